"""A member's pages, in a real browser (Debian's chromium, JavaScript off, 360 px wide, nothing
fetched from elsewhere), from the keyboard alone: find someone and ask to connect, say "we met
today", change what others see, join and leave a campaign (in Polish); axe-core on every page;
a hostile name shown as text everywhere. What each flow did is then checked through the API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from urllib.parse import unquote

import httpx2 as httpx
import pytest

from peermap.graph.database import Graph
from peermap.graph.locations import approximate, largest_polygon
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
        with page.expect_navigation():
            page.keyboard.press("Enter")
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
        results = page.locator("#results ~ ul.cards").inner_text()
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
        page.wait_for_function("document.activeElement.id === 'done'")  # focus on what was done (autofocus)
        assert "We sent your request to Vic Moss. They can say yes or no." in _main(page)
        assert "You asked Vic Moss to connect." in _main(page)
    waiting = _api(served, tokens["vic"], "{ requests { note from { name } } }")["requests"]
    assert waiting == [
        {"note": "I saw you cook at the <b>fair</b>. Shall we cook together?", "from": {"name": "Bo Lang"}}
    ]


@needs_a_browser
def test_the_people_found_are_on_a_map_where_they_may_be_seen(served: str) -> None:
    """The list's own search on a map: the same people, each at the area they show (never the exact
    home), with the walk drawn around home; the words below the map list them, and lead back."""
    vic_area = approximate(Point(56.4647, -2.9700))
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/find?what=cooking&near=home&walk=10&who=anyone")
        tab_to(page, text="See them on a map")
        page.keyboard.press("Enter")
        page.wait_for_url("**/maps/peers?what=cooking**")
        text = page.inner_text("#text-alternative")
        assert re.search(r"Vic Moss\tcooking\tabout \d+ minutes", text) and HOSTILE in text
        assert "Blue ring: about 10 minutes' walk from there" in page.inner_text(".peermap-legend")
        html = page.content()
        assert "56.4647" not in html, "Vic's exact home is nowhere in the page"
        assert f"{vic_area.longitude}, {vic_area.latitude}" in html, "his area is"
        assert page.locator("main img").count() == 0 and fits_the_phone(page)
        assert axe(page, ready=".leaflet-container") == []
        screenshot(page, "page-find-map", ready=".leaflet-marker-pane, .leaflet-overlay-pane path")
        tab_to(page, text="Back to the list")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/find?what=cooking&near=home&walk=10&who=anyone")
        assert page.get_by_role("link", name="Ask to connect with Vic Moss").count() == 1, "the same search"


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
        assert "Bo Lang" in page.locator("main ul.participants").inner_text()
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
def test_a_member_proposes_a_campaign_with_the_keyboard_and_no_javascript(served: str, tokens: dict[str, str]) -> None:
    """Without the map: the area is the chosen neighbourhood's. Left empty, the form says what is
    missing, field by field, and proposes nothing."""
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/campaigns")
        tab_to(page, text="Propose a campaign")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/campaign/new")
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-campaign-new")
        tab_to(page, text="Propose the campaign")
        with page.expect_navigation():  # to the same address: wait for the new page itself
            page.keyboard.press("Enter")
        problems = page.inner_text("#problem")
        assert "Write a title." in problems and "Choose the neighbourhood where it happens." in problems
        assert focused(page)["text"].startswith("There is a problem"), "the summary has the focus"
        assert axe(page) == []
        tab_to(page, field="title")
        page.keyboard.type("Benches on Green Hill")
        tab_to(page, field="neighbourhood")
        page.keyboard.press("ArrowDown")  # a closed list changes with the arrows, as on a phone's keyboard
        tab_to(page, field="skill-1")
        assert focused(page)["label"] == "cooking"
        page.keyboard.press("Space")
        tab_to(page, text="Propose the campaign")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "You proposed Benches on Green Hill. You organise it" in _main(page)
        campaign_id = unquote(page.url.split("id=", 1)[1].split("#", 1)[0])
        # Home lists it among Bo's campaigns, beside people he could meet (Vic lives 300 m away).
        page.goto(f"http://{served}/")
        assert "Benches on Green Hill: An idea" in page.inner_text("#my-campaigns + ul")
        met = page.locator("#could-meet ~ ul.cards").inner_text()
        assert "Vic Moss" in met and "minutes' walk from you" in met
        assert axe(page) == []
    campaign = _api(
        served,
        tokens["ann"],
        "query($id: ID!) { node(id: $id) { ... on Campaign { title status area "
        "neighbourhoods { nodes { name } } neededSkills { nodes { name } } "
        "participants { nodes { role person { name } } } } } }",
        id=campaign_id,
    )["node"]
    assert campaign["title"] == "Benches on Green Hill" and campaign["status"] == "PROPOSED"
    assert campaign["area"] == BOX, "the neighbourhood's own boundary"
    assert campaign["neighbourhoods"]["nodes"] == [{"name": "Green Hill"}]
    assert campaign["neededSkills"]["nodes"] == [{"name": "cooking"}]
    assert campaign["participants"]["nodes"] == [{"role": "organiser", "person": {"name": "Bo Lang"}}]


def test_a_neighbourhood_in_pieces_gives_its_largest_piece_as_a_campaigns_area() -> None:
    islet = [[-2.90, 56.40], [-2.89, 56.40], [-2.89, 56.41], [-2.90, 56.40]]
    pieces = {"type": "MultiPolygon", "coordinates": [[islet], BOX["coordinates"]]}
    assert largest_polygon(pieces) == BOX
    assert largest_polygon(BOX) == BOX


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
            ("/campaign/new", False),
            (f"/campaign?id={lunch}", True),
            (f"/campaign/plan?id={lunch}", True),
            ("/me", False),
            ("/help", False),
            (f"/campaign/edit?id={lunch}", False),
            ("/news", False),
            ("/time", True),  # whom Bo could thank: the people he knows
            ("/account", False),
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
        assert client.get("/campaigns?after=bm9uc2Vuc2U=").status_code == 400, "a made-up place in the list"
        _sign_in(client, "bo")
        assert client.get("/campaign?id=nonsense").status_code == 404
        assert client.get("/campaign/plan?id=nonsense").status_code == 404
        plan = client.get(f"/campaign/plan?id={global_id('Campaign', 'c-lunch')}").text
        cooking = plan.split("<h2>cooking</h2>", 1)[1].split("<h2>", 1)[0]
        assert "Vic Moss: about 15 minutes" in cooking, "who could help, and how far"
        assert client.get(f"/connect?person={global_id('Person', 'nobody')}").status_code == 404
        me = client.get("/me").text
        not_sure = client.post("/me/erase", data={"csrf": _csrf(me)})
        assert not_sure.status_code == 400 and "Nothing was erased" in not_sure.text
        assert client.get("/me").status_code == 200, "still there, still signed in"
        gone = client.post("/me/erase", data={"csrf": _csrf(me), "sure": "yes"})
        assert gone.status_code == 303
        assert "We erased your data. Goodbye." in client.get("/").text
        assert client.get("/me").status_code == 303, "signed out"


@pytest.fixture
async def many_campaigns(graph: Graph) -> None:
    await write_dataset(
        graph,
        Dataset(
            campaigns=[
                Campaign(id=f"c-{n:02}", title=f"Campaign {n:02}", status=CampaignStatus.ACTIVE, area=BOX)
                for n in range(23)
            ]
        ),
    )


def test_campaigns_come_twenty_at_a_time(many_campaigns: None, cli_env: dict[str, str]) -> None:
    with (
        peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base,
        httpx.Client(base_url=f"http://{base}") as client,
    ):
        first = client.get("/campaigns?status=ACTIVE").text
        assert "23 campaigns" in first and first.count('<a href="/campaign?id=') == 20
        more = re.search(r'href="(/campaigns\?status=ACTIVE&amp;after=[^"]+)">Show 20 more', first)
        assert more, "a link to the rest"
        rest = client.get(more.group(1).replace("&amp;", "&")).text
        assert rest.count('<a href="/campaign?id=') == 3 and "Show 20 more" not in rest
        assert "Back to the newest" in rest


def test_a_day_on_the_pages_stays_inside_the_hourly_budget(served: str, tokens: dict[str, str]) -> None:
    """The pages' dearest operations, priced by the API as the pages ask them: a person opening one
    every ten seconds for an hour (360 pages) spends less than the default budget; a script asking
    several times a second does not."""
    from peermap.server.page_api import OPERATIONS
    from peermap.server.settings import load_settings

    def cost(document: str, operation: str, **variables: Any) -> int:
        answer = httpx.post(
            f"http://{served}/graphql",
            json={
                "query": (OPERATIONS / f"{document}.graphql").read_text(),
                "operationName": operation,
                "variables": variables,
            },
            headers={"authorization": f"Bearer {tokens['bo']}"},
        ).json()
        assert "errors" not in answer, answer
        return int(answer["extensions"]["cost"]["actualQueryCost"])

    dearest = max(
        cost("find", "Find", text="cooking", neighbourhood=None, withinKm=None, withinHops=None),
        cost("campaigns", "Plan", id=global_id("Campaign", "c-lunch")),
        cost("me", "Me"),
        cost("home", "Home"),
    )
    budget = load_settings({}, env_file=None).cost_budget  # the default
    assert 360 * dearest < budget, (dearest, budget)
    assert 3 * 3600 * dearest > budget, "a script asking three times a second meets the limit"


def test_organisers_change_their_campaign_and_nobody_else_does(served: str, tokens: dict[str, str]) -> None:
    lunch = global_id("Campaign", "c-lunch")
    origin = {"origin": f"http://{served}"}
    with (
        httpx.Client(base_url=f"http://{served}", headers=origin) as ann,
        httpx.Client(base_url=f"http://{served}", headers=origin) as bo,
    ):
        _sign_in(ann, "ann")
        _sign_in(bo, "bo")
        assert "Change the campaign" in ann.get(f"/campaign?id={lunch}").text, "Ann organises it"
        assert "Change the campaign" not in bo.get(f"/campaign?id={lunch}").text
        form = ann.get(f"/campaign/edit?id={lunch}").text
        change = {"csrf": _csrf(form), "campaign": lunch, "title": "Friday lunch club"}
        bad_day = ann.post("/campaign/edit", data={**change, "startsOn": "next Friday"})
        assert bad_day.status_code == 400 and 'href="#startsOn"' in bad_day.text
        assert ann.post("/campaign/edit", data={**change, "startsOn": "2027-01-08"}).status_code == 303
        refused = bo.post("/campaign/edit", data={**change, "csrf": _csrf(bo.get("/me").text), "title": "Mine now"})
        assert refused.status_code == 403 and "Only the campaign&#39;s organisers" in refused.text
    campaign = _api(
        served,
        tokens["ann"],
        "query($id: ID!) { node(id: $id) { ... on Campaign { title status startsOn } } }",
        id=lunch,
    )["node"]
    assert campaign == {"title": "Friday lunch club", "status": "ACTIVE", "startsOn": "2027-01-08"}
