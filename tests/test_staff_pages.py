"""The pages of support workers and coordinators, in Debian's chromium with JavaScript off at
360 px, from the keyboard: a support worker sees who may be lonely and why, acts for a person
who allowed it (a banner on every page while it lasts, one button to stop) and records a meeting
for them; a coordinator adds a person and hands on the invitation, whose first visit leads to
the privacy choices. Each checked afterwards through the API, and by axe-core on every page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx2 as httpx
import pytest
from test_member_pages import _api, _csrf, _main, _sign_in, signed_in_browser

from peermap.graph.database import Graph
from peermap.graph.model import (
    Dataset,
    Membership,
    MembershipKind,
    Network,
    Person,
    Point,
    Role,
    Support,
    Tie,
)
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id

from browser import axe, browser, fits_the_phone, needs_a_browser, screenshot, tab_to
from conftest import api_token, peermap_serving

HOME = Point(56.462, -2.97)


@pytest.fixture
async def tokens(graph: Graph) -> dict[str, str]:
    """The Ring network: Kay and Lou (members), Sam (Kay's support worker, staff of the Ring), Cora
    (a coordinator, staff too). Kay knows Lou; Lou knows only Kay; Max, in the Ring, knows nobody."""
    people = [
        Person(id="kay", name="Kay Reid", roles=(Role.MEMBER,), home=HOME),
        Person(id="lou", name="Lou Park", roles=(Role.MEMBER,), home=HOME),
        Person(id="max", name="Max Bell", roles=(Role.MEMBER,), home=HOME),
        Person(id="sam", name="Sam Kerr", roles=(Role.SUPPORT_WORKER,), home=HOME),
        Person(id="cora", name="Cora Dunn", roles=(Role.COORDINATOR,), home=HOME),
    ]
    await write_dataset(
        graph,
        Dataset(
            people=people,
            ties=[Tie(from_id="kay", to_id="lou", strength=3, last_contact=date(2026, 9, 1))],
            supports=[Support(supporter_id="sam", person_id="kay")],
            networks=[Network(id="ring", name="The Ring")],
            memberships=[
                *(
                    Membership(person_id=p, network_id="ring", kind=MembershipKind.MEMBER)
                    for p in ("kay", "lou", "max")
                ),
                Membership(person_id="sam", network_id="ring", kind=MembershipKind.STAFF),
                Membership(person_id="cora", network_id="ring", kind=MembershipKind.STAFF),
            ],
        ),
    )
    return {person: await api_token(graph, person) for person in ("kay", "sam", "cora")}


@pytest.fixture
def served(tokens: dict[str, str], cli_env: dict[str, str]) -> Iterator[str]:
    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base:
        yield base


ALLOW = (
    "mutation($s: ID!, $p: ID!, $a: Boolean!) "
    "{ allowActingFor(supporter: $s, person: $p, allowed: $a) { person { id } } }"
)


@needs_a_browser
def test_a_support_worker_acts_for_a_person_who_allowed_it_with_a_banner_throughout(
    served: str, tokens: dict[str, str]
) -> None:
    kay, sam = global_id("Person", "kay"), global_id("Person", "sam")
    _api(served, tokens["kay"], ALLOW, s=sam, p=kay, a=True)
    with signed_in_browser(served, "sam") as page:
        tab_to(page, text="My work")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/support")
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-support")
        tab_to(page, text="The Ring")
        page.keyboard.press("Enter")
        page.wait_for_url("**/network?id=**")
        lonely = " ".join(_main(page).split())
        assert "Max Bell Knows nobody in Peermap yet" in lonely
        assert "Lou Park Knows only 1 person" in lonely
        assert "Kay Reid and Lou Park: no meeting for" in lonely
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-network")
        page.go_back()
        tab_to(page, text="Act for Kay Reid")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/#done")
        assert "You are acting for Kay Reid." in page.inner_text(".acting")
        assert page.get_by_role("heading", level=1).inner_text() == "Hello, Kay Reid"
        assert axe(page) == []
        screenshot(page, "page-acting-for")
        # Every page says so while it lasts; a meeting recorded now is Kay's, made by Sam.
        tab_to(page, text="My people")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/people")
        assert "You are acting for Kay Reid." in page.inner_text(".acting")
        tab_to(page, text="We met today with Lou Park")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/people#done")
        assert "Saved: you met Lou Park today." in _main(page)
        page.keyboard.press("Shift+Tab")  # from the news, back up to the banner's button
        tab_to(page, text="Stop acting for Kay Reid")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/support#done")
        assert page.locator(".acting").count() == 0
        assert "You stopped acting for Kay Reid." in _main(page)
    seen = _api(
        served,
        tokens["kay"],
        "{ viewer { ties { nodes { lastContact } } } "
        "auditLog(first: 5) { nodes { action by { name } onBehalfOf { name } } } }",
    )
    assert seen["viewer"]["ties"]["nodes"] == [{"lastContact": date.today().isoformat()}]
    for_kay = {
        "action": "acted on your behalf: updated a tie",
        "by": {"name": "Sam Kerr"},
        "onBehalfOf": {"name": "Kay Reid"},
    }
    assert for_kay in seen["auditLog"]["nodes"], "Kay sees who did it, for her"


def test_acting_for_needs_the_persons_leave_and_ends_when_it_is_taken_back(served: str) -> None:
    """Kay gives Sam leave on her own page, and takes it back there; Sam's pages follow at once."""
    kay, sam = global_id("Person", "kay"), global_id("Person", "sam")
    origin = {"origin": f"http://{served}"}
    with (
        httpx.Client(base_url=f"http://{served}", headers=origin) as sams,
        httpx.Client(base_url=f"http://{served}", headers=origin) as kays,
    ):
        _sign_in(sams, "sam")
        _sign_in(kays, "kay")
        assert "Kay Reid has not asked you to act for them." in sams.get("/support").text
        work = sams.get("/me").text  # a page with a form, for the session's CSRF token
        assert sams.post("/act-for", data={"csrf": _csrf(work), "person": kay}).status_code == 403
        assert "Hello, Sam Kerr" in sams.get("/").text

        def kay_says(allowed: str) -> None:
            page = kays.get("/me").text
            assert "People who support me" in page and "Sam Kerr" in page
            sent = {"csrf": _csrf(page), "part": "acting", "supporter": sam, "allowed": allowed}
            assert kays.post("/me", data=sent).status_code == 303

        kay_says("yes")
        assert "Sam Kerr can act for you." in kays.get("/me").text
        assert sams.post("/act-for", data={"csrf": _csrf(work), "person": kay}).status_code == 303
        assert "Hello, Kay Reid" in sams.get("/").text
        hers = sams.get("/me").text  # her page, without what only she may do (the API refuses it too)
        assert "About me" in hers and "Erase all my data" not in hers and "People who support me" not in hers
        kay_says("no")
        home = sams.get("/").text
        assert "Hello, Sam Kerr" in home and "You are acting for" not in home
        lou = global_id("Person", "lou")
        not_sams = sams.post("/act-for", data={"csrf": _csrf(work), "person": lou})
        assert not_sams.status_code == 403, "Lou is not Sam's to support"


@needs_a_browser
def test_a_coordinator_adds_and_invites_a_person_whose_first_visit_leads_to_the_choices(
    served: str, tokens: dict[str, str]
) -> None:
    with signed_in_browser(served, "cora") as page:
        page.goto(f"http://{served}/support")
        tab_to(page, text="Add a person")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/people/add")
        assert fits_the_phone(page) and axe(page) == []
        tab_to(page, text="Add and invite")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Write the person's name." in page.inner_text("#problem") and axe(page) == []
        tab_to(page, field="name")
        page.keyboard.type("Nia Ross")
        tab_to(page, field="role-MEMBER")
        page.keyboard.press("ArrowDown")  # a volunteer
        tab_to(page, text="Add and invite")
        with page.expect_navigation():  # to the same address: wait for the new page itself
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", level=1).inner_text() == "Nia Ross is added"
        assert axe(page) == []
        screenshot(page, "page-invited")
        link = page.locator("dl.invitation a").get_attribute("href")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, elsewhere = browser(playwright, served, javascript=False)
        page = context.new_page()
        page.goto(link)
        assert page.get_by_label("Invitation code").input_value(), "the link fills in the code"
        assert axe(page) == []
        tab_to(page, field="email")
        page.keyboard.type("nia@test.peermap.invalid")
        page.keyboard.press("Tab")
        page.keyboard.type("a long enough password")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/me#done")
        assert "Welcome to Peermap! First, choose what others can see." in _main(page)
        assert page.get_by_role("heading", level=1).inner_text() == "About me"
        assert elsewhere == []
        context.close()
    ring = _api(
        served,
        tokens["cora"],
        '{ people(filter: {text: "Nia Ross"}) { nodes { roles networks { nodes { role network { name } } } } } }',
    )["people"]["nodes"]
    assert ring == [
        {"roles": ["VOLUNTEER"], "networks": {"nodes": [{"role": "volunteer", "network": {"name": "The Ring"}}]}}
    ]


def test_only_coordinators_add_people(served: str, tokens: dict[str, str]) -> None:
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        _sign_in(client, "kay")  # a member: no network's health, however asked
        not_hers = client.get(f"/network?id={global_id('Network', 'ring')}")
        assert not_hers.status_code == 404 and "among the networks you work with" in not_hers.text
        assert client.get("/network?id=nonsense").status_code == 404
        _sign_in(client, "sam")
        assert client.get("/people/add").status_code == 403
        form = client.get("/me").text
        refused = client.post("/people/add", data={"csrf": _csrf(form), "name": "Zed", "role": "MEMBER"})
        assert refused.status_code == 403
    assert _api(served, tokens["cora"], '{ people(filter: {text: "Zed"}) { totalCount } }')["people"]["totalCount"] == 0


@needs_a_browser
def test_a_coordinator_changes_what_a_person_does_from_the_networks_page(served: str, tokens: dict[str, str]) -> None:
    with signed_in_browser(served, "cora") as page:
        page.goto(f"http://{served}/network?id={global_id('Network', 'ring')}")
        people = page.locator("main ul.cards").last.inner_text()
        assert "Max Bell: A member" in people and "Kay Reid: A member" in people
        assert fits_the_phone(page) and axe(page) == []
        tab_to(page, text="Change the roles of Max Bell")
        page.keyboard.press("Enter")
        page.wait_for_url("**/person/roles?**")
        assert page.get_by_role("heading", level=1).inner_text() == "Roles of Max Bell"
        assert fits_the_phone(page) and axe(page) == []
        screenshot(page, "page-roles")
        tab_to(page, field="role-MEMBER")
        page.keyboard.press("Space")  # no role at all: refused, and said why
        tab_to(page, text="Save the roles")
        with page.expect_navigation():  # to the same address: wait for the new page itself
            page.keyboard.press("Enter")
        assert "Choose at least one role." in page.inner_text("#problem") and axe(page) == []
        tab_to(page, field="role-MEMBER")
        page.keyboard.press("Space")
        tab_to(page, field="role-VOLUNTEER")
        page.keyboard.press("Space")
        tab_to(page, text="Save the roles")
        page.keyboard.press("Enter")
        page.wait_for_url("**/network?id=**#done")
        assert "Saved the roles of Max Bell." in _main(page)
        assert "Max Bell: A member, A volunteer" in _main(page)
    max_bell = _api(served, tokens["cora"], '{ people(filter: {text: "Max Bell"}) { nodes { roles } } }')
    assert max_bell["people"]["nodes"] == [{"roles": ["MEMBER", "VOLUNTEER"]}]


def test_only_a_coordinator_changes_roles_and_never_their_own(served: str, tokens: dict[str, str]) -> None:
    ring = global_id("Network", "ring")
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        _sign_in(client, "sam")
        assert "Change the roles" not in client.get(f"/network?id={ring}").text, "only coordinators are offered it"
        csrf = _csrf(client.get("/me").text)
        refused = client.post(
            "/person/roles", data={"csrf": csrf, "person": global_id("Person", "max"), "role": "COORDINATOR"}
        )
        assert refused.status_code == 403 and "Only a coordinator can change roles" in refused.text
        _sign_in(client, "cora")
        csrf = _csrf(client.get("/me").text)
        mine = client.post(
            "/person/roles", data={"csrf": csrf, "person": global_id("Person", "cora"), "role": "MEMBER"}
        )
        assert mine.status_code == 403
        assert client.get("/person/roles?id=nonsense").status_code == 404
    roles = _api(served, tokens["cora"], "{ people(filter: {role: COORDINATOR}) { nodes { name } } }")
    assert roles["people"]["nodes"] == [{"name": "Cora Dunn"}], "nobody became a coordinator, and Cora still is"
