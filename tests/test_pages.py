"""The pages for people: their words in both languages' catalogs, and, in a real browser (Debian's
chromium through Playwright, nothing fetched from outside), the home page and the consent flow
for a tie, with JavaScript off, from the keyboard, on a phone's width, checked by axe-core."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from babel.messages.pofile import read_po

from peermap.graph.database import Graph
from peermap.graph.model import Dataset, Person, Point, Role
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id

from browser import axe, browser, fits_the_phone, needs_a_browser, screenshot, tab_to
from conftest import TEST_PASSWORD, account_email, api_token, peermap_serving

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "server" / "locale"


# --- the catalogs -------------------------------------------------------------------------------


def test_the_catalog_template_holds_every_word_the_pages_use(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "pyproject.toml",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            "server",
            "maps",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as now, (LOCALE / "messages.pot").open("rb") as committed:
        assert {m.id for m in read_po(now)} == {m.id for m in read_po(committed)}, (
            "server/locale/messages.pot is stale: run pybabel extract (README, Languages)"
        )


def test_polish_is_complete() -> None:
    with (LOCALE / "messages.pot").open("rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    with (LOCALE / "pl" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        polish = read_po(source, locale="pl")
    have = {m.id: m for m in polish if m.id}
    assert wanted <= have.keys(), f"not in the Polish catalog: {sorted(map(str, wanted - have.keys()))[:5]}"
    for message in have.values():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and len(strings) == (3 if isinstance(message.id, tuple) else 1), message.id
        assert not message.fuzzy, message.id
        assert not list(message.check(polish)), (message.id, list(message.check(polish)))


# --- in the browser -----------------------------------------------------------------------------


@pytest.fixture
async def pair(graph: Graph) -> tuple[str, str]:
    """Bo and Vic, each with an account (TEST_PASSWORD); Bo has asked Vic to connect."""
    home = Point(56.462, -2.97)
    await write_dataset(
        graph,
        Dataset(
            people=[
                Person(id="bo", name="Bo Lang", roles=(Role.MEMBER,), home=home),
                Person(id="vic", name="Vic Moss", roles=(Role.VOLUNTEER,), home=home),
            ]
        ),
    )
    return await api_token(graph, "bo"), await api_token(graph, "vic")


@pytest.fixture
def served(pair: tuple[str, str], cli_env: dict[str, str]) -> Iterator[str]:
    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base:
        yield base


@pytest.mark.parametrize(
    ("language", "heading", "sign_in"),
    [("en-GB", "Welcome to Peermap", "Sign in"), ("pl-PL", "Witaj w Peermap", "Zaloguj się")],
)
@needs_a_browser
def test_the_home_page_says_what_peermap_is_in_the_browsers_language(
    served: str, language: str, heading: str, sign_in: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, elsewhere = browser(playwright, served, javascript=False, language=language)
        page = context.new_page()
        page.goto(f"http://{served}/")
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert page.locator("html").get_attribute("lang") == language[:2]
        assert page.get_by_role("link", name=sign_in, exact=True).count() >= 1
        assert fits_the_phone(page), "no sideways scrolling at 360 px"
        assert axe(page) == []
        screenshot(page, f"page-home-{language[:2]}")
        # The switch: the other language, on the same page, kept.
        other = "Polski" if language.startswith("en") else "English"
        page.get_by_role("link", name=other).click()
        assert page.locator("html").get_attribute("lang") == ("pl" if other == "Polski" else "en")
        assert elsewhere == []
        context.close()


@needs_a_browser
def test_a_member_answers_a_request_to_connect_with_the_keyboard_and_no_javascript(
    served: str, pair: tuple[str, str]
) -> None:
    """Bo asked Vic to connect (through the API). Vic signs in on a phone with JavaScript off, finds
    the request on his home page, and says yes from the keyboard; then they know each other."""
    from playwright.sync_api import sync_playwright

    bo, vic = pair
    ask = "mutation($i: AskToConnectInput!) { askToConnect(input: $i) { request { id } } }"
    asked = httpx.post(
        f"http://{served}/graphql",
        json={
            "query": ask,
            "variables": {
                "i": {
                    "person": global_id("Person", "bo"),
                    "other": global_id("Person", "vic"),
                    "note": "We met at the <b>allotment</b>",
                }
            },
        },
        headers={"authorization": f"Bearer {bo}"},
    ).json()
    assert asked["data"]["askToConnect"]["request"]["id"], asked
    with sync_playwright() as playwright:
        context, elsewhere = browser(playwright, served, javascript=False)
        page = context.new_page()
        page.goto(f"http://{served}/signin")
        page.get_by_label("Email").focus()
        page.keyboard.type(account_email("vic"))
        page.keyboard.press("Tab")
        page.keyboard.type(TEST_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/")
        assert page.get_by_role("heading", level=1).inner_text() == "Hello, Vic Moss"
        assert "Bo Lang asks to connect with you." in page.inner_text("main")
        assert "They wrote: We met at the <b>allotment</b>" in page.inner_text("main"), "a note is text, never markup"
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-home-request")
        tab_to(page, text="Yes, accept")
        with page.expect_navigation():  # back to the same address: wait for the new page itself
            page.keyboard.press("Enter")
        assert "You are now connected with Bo Lang." in page.inner_text("main")
        assert "Bo Lang" in page.locator("#people + p + ul").inner_text()
        assert axe(page) == [] and elsewhere == []
        context.close()
    ties = httpx.post(
        f"http://{served}/graphql",
        json={"query": "{ viewer { ties { nodes { person { name } } } } }"},
        headers={"authorization": f"Bearer {bo}"},
    ).json()
    assert ties["data"]["viewer"]["ties"]["nodes"] == [{"person": {"name": "Vic Moss"}}], "through the API too"


def test_answering_a_request_that_is_not_there_says_so_and_changes_nothing(served: str) -> None:
    """Through the form's own route, as a browser would post it: a made-up id, one not waiting."""
    with httpx.Client(base_url=f"http://{served}") as browser:
        sign_in = browser.get("/signin").text
        csrf = sign_in.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        assert browser.post(
            "/signin", data={"email": account_email("vic"), "password": TEST_PASSWORD, "csrf": csrf}
        ).status_code in (200, 303)
        account = browser.get("/account").text  # signing in made a new token: the sign-out form holds it
        csrf = account.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        origin = {"origin": f"http://{served}"}
        made_up = browser.post(
            "/requests", data={"csrf": csrf, "request": "nonsense", "answer": "accept"}, headers=origin
        )
        assert made_up.status_code == 400 and "no longer waiting" in made_up.text
        gone = global_id("Request", "rq-000000000000")
        missing = browser.post("/requests", data={"csrf": csrf, "request": gone, "answer": "accept"}, headers=origin)
        assert missing.status_code == 404 and "no longer waiting" in missing.text


def test_the_readmes_screenshots_are_there_and_are_the_tests_own() -> None:
    """Each screenshot the README shows is in docs/screenshots/, under a name a page test writes."""
    readme = (REPO / "README.md").read_text()
    shown = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert len(shown) >= 6, shown
    tests = "".join(path.read_text() for path in (REPO / "tests").glob("test_*.py"))
    for image in shown:
        assert (REPO / image).stat().st_size > 1000, image
        name = Path(image).stem
        assert f'"{name}"' in tests or name.startswith("page-home-"), f"{name}: no test makes it"
