"""News by email, against a real SMTP server the tests start (aiosmtpd): each person is emailed at
once, in a daily digest or never, as they chose, in the language they chose it in; news a mail
server could not take is kept and sent again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from test_coproduction import BENCHES, CONTRIBUTE, DECIDE, Asking, benches_community
from test_member_pages import _main, signed_in_browser

from peermap.graph import news, queries
from peermap.graph.database import Graph
from peermap.server import mail
from peermap.server.settings import Settings, Smtp

from browser import axe, fits_the_phone, needs_a_browser, tab_to
from conftest import account_email, free_port, peermap_serving

CHOOSE = "mutation($how: NewsBy!, $l: String!) { chooseNewsBy(how: $how, language: $l) }"
MOVE = """mutation($c: ID!, $s: CampaignStatus! = ACTIVE) {
  moveCampaign(input: {campaign: $c, stage: $s}) { campaign { status } } }"""


class Inbox:
    """What the mail server received, by recipient."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted"

    def to(self, person: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == account_email(person)]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _wait_for(found: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not found():
        assert time.monotonic() < deadline, "no email came"
        time.sleep(0.1)


def _body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_each_person_is_emailed_their_news_as_often_as_they_chose(
    graph: Graph, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    mailing = replace(settings, smtp=Smtp(host="127.0.0.1", port=port), mail_seconds=0.2, digest_seconds=4)
    with benches_community(mailing) as asks:
        assert asks("bo", "{ myNewsBy }")["data"]["myNewsBy"] == "AT_ONCE", "none chosen: at once"
        assert asks("cat", CHOOSE, how="DAILY", l="pl")["data"]["chooseNewsBy"] == "DAILY"  # a "day" of 4 s
        assert asks("ann", CHOOSE, how="NEVER", l="en")["data"]["chooseNewsBy"] == "NEVER"
        assert "language" in str(asks("ann", CHOOSE, how="NEVER", l="polish")["errors"])
        ideas = [_idea(asks, person, words) for person, words in (("bo", "Benches with backs"), ("cat", "Shade"))]
        assert not asks("ann", DECIDE, c=BENCHES, s="Four benches with backs", by=ideas).get("errors")
        assert not asks("kim", MOVE, c=BENCHES).get("errors")  # a coordinator: Ann, Bo and Cat are told

        _wait_for(lambda: "Happening now" in " ".join(map(_body, received.to("bo"))))
        bos = " ".join(_body(m) for m in received.to("bo"))
        assert "A decision was made with your idea: Four benches with backs" in bos
        assert "A campaign you take part in has moved on. Now it is: Happening now." in bos
        assert "In Benches on Hill Street, on " in bos
        assert {m["Subject"] for m in received.to("bo")} == {"News about your ideas on Peermap"}
        assert received.to("cat") == [], "Cat's day is not over"

        _wait_for(lambda: len(received.to("cat")) == 1)
        digest = received.to("cat")[0]
        assert digest["Subject"] == "Twoje dzisiejsze wiadomości z Peermap", "the day's news in one, in Polish"
        cats = _body(digest)
        assert "Podjęto decyzję z twoim pomysłem: Four benches with backs" in cats
        assert "Teraz: Trwa teraz." in cats

        # More news: Bo hears at once; Cat in her next digest, with only what is new; Ann never.
        assert not asks("kim", MOVE, c=BENCHES, s="REVIEW").get("errors")
        _wait_for(lambda: "Looking back" in " ".join(map(_body, received.to("bo"))))
        _wait_for(lambda: len(received.to("cat")) == 2)
        second = _body(received.to("cat")[1])
        assert "Patrzymy wstecz: czy się udało?" in second and "Four benches" not in second
        assert received.to("ann") == []


def _idea(asks: Asking, person: str, words: str) -> str:
    return str(asks(person, CONTRIBUTE, c=BENCHES, kind="IDEA", text=words)["data"]["contribute"]["contribution"]["id"])


def test_news_a_mail_server_could_not_take_is_kept_and_sent_later(
    graph: Graph, settings: Settings, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    with benches_community(settings) as asks:  # no mail server set: nothing is sent, news waits
        asks("bo", CONTRIBUTE, c=BENCHES, kind="IDEA", text="Benches with backs")
        assert not asks("kim", MOVE, c=BENCHES).get("errors")
        portal, app_graph = asks.client.portal, asks.client.app_state["graph"]
        down = Smtp(host="127.0.0.1", port=free_port())  # nobody listens there
        assert portal.call(mail.send_due, app_graph, down) == 0
        assert portal.call(mail.send_due, app_graph, Smtp(host="127.0.0.1", port=port)) == 3  # Ann, Bo, Cat
        assert sorted(m["To"] for m in received.received) == sorted(account_email(p) for p in ("ann", "bo", "cat"))
        assert portal.call(news.claim_due, app_graph) == [], "each piece of news is sent once"


@needs_a_browser
def test_a_member_chooses_a_daily_email_on_the_news_page_in_their_language(
    graph: Graph, settings: Settings, inbox: tuple[Inbox, int], cli_env: dict[str, str]
) -> None:
    _, port = inbox
    mail_env = {"PEERMAP_SMTP_HOST": "127.0.0.1", "PEERMAP_SMTP_PORT": str(port), "PEERMAP_MAP_TILES": "none"}
    with benches_community(settings) as asks, peermap_serving({**cli_env, **mail_env}) as served:
        with signed_in_browser(served, "cat", language="pl-PL") as page:
            page.goto(f"http://{served}/news")
            assert "Jak często mamy wysyłać ci e-maile?" in _main(page)
            tab_to(page, field="news-by-AT_ONCE")
            page.keyboard.press("ArrowDown")  # once a day
            tab_to(page, text="Zapisz")
            page.keyboard.press("Enter")
            page.wait_for_url("**/news#done")
            assert "Zapisane. Będziemy wysyłać e-maile tak, jak wybrałeś/aś." in _main(page)
            assert page.is_checked("#news-by-DAILY")
            assert axe(page) == [] and fits_the_phone(page)
        assert asks("cat", "{ myNewsBy }")["data"]["myNewsBy"] == "DAILY"
        portal, app_graph = asks.client.portal, asks.client.app_state["graph"]
        language = portal.call(app_graph.read, "MATCH (p:Person {id: 'cat'}) RETURN p.newsLanguage AS language")
        assert language == [{"language": "pl"}], "her emails come in the page's language"


async def test_the_sender_reads_only_recent_news_through_its_index(graph: Graph, settings: Settings) -> None:
    """The sender looks for news to email every few seconds: through the index on when news was
    made, it reads the last two days' news, not every notification ever kept."""
    async with graph.driver.session(database=settings.neo4j_database) as session:
        result = await session.run("EXPLAIN " + queries.news.CLAIM_AT_ONCE, most=50)
        plan = (await result.consume()).plan
    operators: list[str] = []

    def walk(step: dict[str, Any]) -> None:
        operators.append(f"{step['operatorType']} {step['args'].get('Details', '')}")
        for child in step.get("children", []):
            walk(child)

    walk(plan)
    assert any(o.startswith("NodeIndexSeekByRange") and "Notification(at)" in o for o in operators), operators
    assert not any(o.startswith("NodeByLabelScan") and ":Notification" in o for o in operators), operators
