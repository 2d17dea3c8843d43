"""A member's pages, in a real browser (Debian's chromium, JavaScript off, 360 px wide, nothing
fetched from elsewhere), from the keyboard alone: find someone and ask to connect, say "we met
today", change what others see, join and leave a campaign (in Polish); axe-core on every page;
a hostile name shown as text everywhere. What each flow did is then checked through the API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import httpx2 as httpx
import pytest

from peermap.graph.database import Graph
from peermap.graph.model import (
    Campaign,
    CampaignStatus,
    Dataset,
    Neighbourhood,
    Participation,
    Person,
    PersonSkill,
    Point,
    Role,
    Skill,
    SkillMode,
    Tie,
)
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id

from browser import axe, browser, fits_the_phone, focused, needs_a_browser, screenshot, sign_in_with_keyboard, tab_to
from conftest import TEST_PASSWORD, account_email, api_token, peermap_serving

HOSTILE = "<img src=x onerror=alert(1)>" + "\u202e\u05e9\u05dc\u05d5\u05dd " + "Z" * 160  # markup, RTL, 200 letters
HOME = Point(56.4620, -2.9700)
BOX = {
    "type": "Polygon",
    "coordinates": [[[-2.99, 56.45], [-2.95, 56.45], [-2.95, 56.47], [-2.99, 56.47], [-2.99, 56.45]]],
}


@pytest.fixture
async def tokens(graph: Graph) -> dict[str, str]:
    """Bo (a member) knows Ann and the person with the hostile name; Vic lives 300 m away and
    offers cooking; the Green Hill lunch club needs cooking, and Ann gave it 3 hours."""
    near = Point(56.4647, -2.9700)
    await write_dataset(
        graph,
        Dataset(
            people=[
                Person(id="bo", name="Bo Lang", roles=(Role.MEMBER,), home=HOME, neighbourhood_id="nb-green"),
                Person(id="ann", name="Ann Reid", roles=(Role.MEMBER,), home=HOME, contactable=True),
                Person(id="vic", name="Vic Moss", roles=(Role.VOLUNTEER,), home=near, contactable=True),
                Person(id="evil", name=HOSTILE, roles=(Role.MEMBER,), home=near, contactable=True),
            ],
            skills=[
                Skill(id="sk-cooking", name="cooking", category="food"),
                Skill(id="sk-gardening", name="gardening", category="outdoors"),
            ],
            person_skills=[
                PersonSkill(person_id="vic", skill_id="sk-cooking", mode=SkillMode.OFFERS, level=4),
                PersonSkill(person_id="evil", skill_id="sk-cooking", mode=SkillMode.OFFERS, level=2),
            ],
            ties=[
                Tie(from_id="bo", to_id="ann", strength=3, last_contact=date(2026, 10, 1)),
                Tie(from_id="bo", to_id="evil", strength=2),
            ],
            neighbourhoods=[Neighbourhood(id="nb-green", name="Green Hill", boundary=BOX)],
            campaigns=[
                Campaign(
                    id="c-lunch",
                    title="Green Hill lunch club",
                    status=CampaignStatus.ACTIVE,
                    area=BOX,
                    description="A warm lunch on Fridays, cooked together.",
                    neighbourhood_ids=("nb-green",),
                    needed_skill_ids=("sk-cooking",),
                    participants=(
                        Participation(person_id="ann", role="organiser", hours=3.0),
                        Participation(person_id="evil", role="participant", hours=1.0),
                    ),
                )
            ],
        ),
    )
    return {person: await api_token(graph, person) for person in ("bo", "vic", "ann")}


@pytest.fixture
def served(tokens: dict[str, str], cli_env: dict[str, str]) -> Iterator[str]:
    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base:
        yield base


def _api(base: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = httpx.post(
        f"http://{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    ).json()
    assert "errors" not in answer, answer
    return dict(answer["data"])


@contextmanager
def signed_in_browser(served: str, person: str, *, language: str = "en-GB") -> Iterator[Any]:
    """A phone's browser with JavaScript off, signed in as this person from the keyboard; it must
    fetch nothing from anywhere but the server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, elsewhere = browser(playwright, served, javascript=False, language=language)
        page = context.new_page()
        sign_in_with_keyboard(page, served, person)
        yield page
        assert elsewhere == []
        context.close()


def _main(page: Any) -> str:
    return str(page.inner_text("main"))


@needs_a_browser
def test_a_member_finds_someone_and_asks_to_connect_with_the_keyboard_alone(
    served: str, tokens: dict[str, str]
) -> None:
    with signed_in_browser(served, "bo") as page:
        tab_to(page, text="Find someone")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/find")
        assert axe(page) == []
        # Sent empty: the problem is said, linked to the field, and nothing is searched.
        tab_to(page, text="Search")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        assert "Write what you want help with" in page.inner_text("#problem")
        assert page.get_attribute("#what", "aria-invalid") == "true"
        assert page.title().startswith("Error:")
        assert axe(page) == []
        # What, how far, who: typed and chosen from the keyboard.
        tab_to(page, field="what")
        page.keyboard.type("cooking")
        tab_to(page, field="walk")
        page.keyboard.press("ArrowDown")  # 5 minutes
        page.keyboard.press("ArrowDown")  # 10 minutes
        tab_to(page, text="Search")
        page.keyboard.press("Enter")
        page.wait_for_url("**/find?**walk=10**")
        results = page.locator("#results + ul").inner_text()
        assert "Vic Moss" in results and "Can help with cooking" in results
        assert "About 10 minutes' walk from you" in results, "300 m, measured from the ~400 m cell"
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-find")
        tab_to(page, text="Ask to connect with Vic Moss")
        page.keyboard.press("Enter")
        page.wait_for_url("**/connect?person=**")
        assert page.get_by_role("heading", level=1).inner_text() == "Ask Vic Moss to connect"
        assert axe(page) == []
        tab_to(page, field="note")
        page.keyboard.type("I saw you cook at the <b>fair</b>. Shall we cook together?")
        tab_to(page, text="Send the request")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/#done")
        assert focused(page)["id"] == "done", "focus is on what was done"
        assert "We sent your request to Vic Moss. They can say yes or no." in _main(page)
        assert "You asked Vic Moss to connect." in _main(page)
    waiting = _api(served, tokens["vic"], "{ requests { note from { name } } }")["requests"]
    assert waiting == [
        {"note": "I saw you cook at the <b>fair</b>. Shall we cook together?", "from": {"name": "Bo Lang"}}
    ]


def test_a_note_too_long_is_refused_and_kept_and_nothing_is_asked(served: str, tokens: dict[str, str]) -> None:
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        _sign_in(client, "bo")
        form = client.get(f"/connect?person={global_id('Person', 'vic')}").text
        long_note = "A long note. " * 30
        sent = client.post(
            "/connect", data={"csrf": _csrf(form), "person": global_id("Person", "vic"), "note": long_note}
        )
        assert sent.status_code == 400
        assert "Your note is too long. Write at most 300 letters." in sent.text
        assert 'href="#note"' in sent.text and long_note.strip() in sent.text, "linked to the field, the note kept"
        forged = client.post("/connect", data={"csrf": "made-up", "person": global_id("Person", "vic"), "note": "hi"})
        assert forged.status_code == 400
    assert _api(served, tokens["vic"], "{ requests { id } }")["requests"] == []


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _sign_in(client: httpx.Client, person: str) -> None:
    signed = client.post(
        "/signin",
        data={"email": account_email(person), "password": TEST_PASSWORD, "csrf": _csrf(client.get("/signin").text)},
    )
    assert signed.status_code == 303


@needs_a_browser
def test_a_member_says_we_met_today_and_changes_what_others_see_with_the_keyboard(
    served: str, tokens: dict[str, str]
) -> None:
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/people")
        assert "You last met on 1 October 2026." in _main(page)
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-people")
        tab_to(page, text="We met today with Ann Reid")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/people#done")
        assert "Saved: you met Ann Reid today." in _main(page)

        page.goto(f"http://{served}/me")
        other_people = page.locator("#seen-signedIn").inner_text()
        assert "Your home\nOnly your area" in other_people
        assert "Nothing. They cannot see you at all." in page.locator("#seen-public").inner_text()
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-me")
        # Hide the home and share whom Bo knows: radio buttons, moved with the arrow keys.
        tab_to(page, field="home-area")
        page.keyboard.press("ArrowDown")
        tab_to(page, field="ties-private")  # Tab lands on the checked one of the group
        page.keyboard.press("ArrowUp")
        tab_to(page, text="Save my choices")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/me#done")
        assert "Saved what others can see." in _main(page)
        other_people = page.locator("#seen-signedIn").inner_text()
        assert "Your home\nHidden" in other_people and "Whom you know\nShown to people you know" in other_people
    seen = _api(
        served,
        tokens["bo"],
        "{ asSeenBy(audience: SIGNED_IN) { home { exact } } myChoices { locationVisibility tiesShared } "
        "viewer { ties { nodes { lastContact person { name } } } } }",
    )
    assert seen["asSeenBy"]["home"] is None
    assert seen["myChoices"] == {"locationVisibility": "HIDDEN", "tiesShared": True}
    met = {t["person"]["name"]: t["lastContact"] for t in seen["viewer"]["ties"]["nodes"]}
    assert met["Ann Reid"] == date.today().isoformat()


@needs_a_browser
def test_a_member_joins_and_leaves_a_campaign_in_polish_with_the_keyboard(served: str, tokens: dict[str, str]) -> None:
    with signed_in_browser(served, "bo", language="pl-PL") as page:
        tab_to(page, text="Kampanie")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/campaigns")
        assert page.get_by_role("heading", level=1).inner_text() == "Kampanie"
        assert fits_the_phone(page) and axe(page) == []
        tab_to(page, text="Green Hill lunch club")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**")
        assert "Razem dali 4 godz." in _main(page), "3 hours from Ann and 1 from another, in Polish"
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-campaign-pl")
        tab_to(page, text="Dołącz do tej kampanii")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Bo Lang" in page.locator("main ul").last.inner_text()
        assert axe(page) == []
        tab_to(page, text="Opuść tę kampanię")
        with page.expect_navigation():  # to the same address: wait for the new page itself
            page.keyboard.press("Enter")
        assert "Nie jesteś już w kampanii Green Hill lunch club. Twoje godziny nadal się liczą." in _main(page)
        assert "Bo Lang" not in _main(page)
    campaign = _api(
        served,
        tokens["ann"],
        "query($id: ID!) { node(id: $id) { ... on Campaign { totalHours "
        "participants { nodes { person { name } } } } } }",
        id=global_id("Campaign", "c-lunch"),
    )["node"]
    assert campaign["totalHours"] == 4.0, "hours given stay counted"
    assert "Bo Lang" not in [p["person"]["name"] for p in campaign["participants"]["nodes"]]


@needs_a_browser
def test_every_members_page_passes_axe_and_shows_a_hostile_name_as_text(served: str) -> None:
    """The name is HTML, right-to-left and 200 letters long: on every page it is these letters,
    never an element, and it does not push the page wider than the phone."""
    lunch = global_id("Campaign", "c-lunch")
    with signed_in_browser(served, "bo") as page:
        for path, shows_the_name in [
            ("/", True),
            ("/people", True),
            ("/find?what=cooking&near=home&walk=any&who=anyone", True),
            (f"/connect?person={global_id('Person', 'evil')}", True),
            ("/campaigns", False),
            (f"/campaign?id={lunch}", True),
            ("/me", False),
            ("/help", False),
        ]:
            page.goto(f"http://{served}{path}")
            assert page.locator("main img").count() == 0, path
            assert (HOSTILE in _main(page)) is shows_the_name, path
            assert fits_the_phone(page), path
            assert axe(page) == [], path
            assert page.locator("h1").count() == 1, path


def test_member_pages_ask_to_sign_in_and_refuse_what_is_not_there(served: str) -> None:
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        for path in ("/find", "/people", "/me", f"/connect?person={global_id('Person', 'vic')}"):
            answer = client.get(path)
            assert answer.status_code == 303 and "/signin?next=" in answer.headers["location"], path
        assert client.get("/campaigns").status_code == 200, "campaigns are for everyone"
        _sign_in(client, "bo")
        assert client.get("/campaign?id=nonsense").status_code == 404
        assert client.get(f"/connect?person={global_id('Person', 'nobody')}").status_code == 404
        me = client.get("/me").text
        not_sure = client.post("/me/erase", data={"csrf": _csrf(me)})
        assert not_sure.status_code == 400 and "Nothing was erased" in not_sure.text
        assert client.get("/me").status_code == 200, "still there, still signed in"
        gone = client.post("/me/erase", data={"csrf": _csrf(me), "sure": "yes"})
        assert gone.status_code == 303
        assert "We erased your data. Goodbye." in client.get("/").text
        assert client.get("/me").status_code == 303, "signed out"
