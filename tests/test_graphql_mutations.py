"""Changing the network through /graphql: payloads, error codes with the field, nothing half-written.

The client signs in as whoever may make each change (coordinators add people and networks,
people change their own details and ties); who may not is tested in test_access.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id, parse_global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

ANN = global_id("Person", "p-000001")
COORDINATOR = "p-000013"
NOBODY = global_id("Person", "nobody")


@pytest.fixture
async def client(graph: Graph, settings: Settings):  # type: ignore[no-untyped-def]
    """Signed in as a coordinator."""
    await write_dataset(graph, demo_community(10, seed=1))
    with TestClient(create_app(settings)) as client:
        yield sign_in_as(client, COORDINATOR)


def _as(client: TestClient, person: str) -> TestClient:
    """The same app, signed in as this person (a global id)."""
    return sign_in_as(client, parse_global_id(person)[1])


def _ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


def _error(body: dict[str, Any]) -> tuple[str, str]:
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"]["argument"]


CREATE = """mutation($input: CreatePersonInput!) {
  createPerson(input: $input) { person { id name roles home { coordinates exact } networks { totalCount } } }
}"""


def test_create_update_and_remove_a_person(client: TestClient) -> None:
    created = _ask(
        client,
        CREATE,
        input={
            "name": "  Dana Reid ",
            "roles": ["MEMBER", "VOLUNTEER"],
            "home": {"latitude": 56.47, "longitude": -2.96},
            "neighbourhood": global_id("Neighbourhood", "nb-stobswell"),
        },
    )
    person = created["data"]["createPerson"]["person"]
    assert person["name"] == "Dana Reid" and person["roles"] == ["MEMBER", "VOLUNTEER"]
    assert person["home"]["exact"] is False, "the coordinator sees only Dana's cell"

    update = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { name bio roles } } }"
    updated = _ask(client, update, input={"id": person["id"], "bio": "Bakes on Fridays.", "roles": ["MEMBER"]})
    assert updated["data"]["updatePerson"]["person"] == {
        "name": "Dana Reid",
        "bio": "Bakes on Fridays.",
        "roles": ["MEMBER"],
    }

    removed = _ask(client, "mutation($id: ID!) { removePerson(id: $id) { removedId } }", id=person["id"])
    assert removed["data"]["removePerson"]["removedId"] == person["id"]
    assert _ask(client, "query($id: ID!) { node(id: $id) { id } }", id=person["id"])["data"]["node"] is None
    again = _ask(client, "mutation($id: ID!) { removePerson(id: $id) { removedId } }", id=person["id"])
    assert _error(again) == ("NOT_FOUND", "id")


@pytest.mark.parametrize(
    ("person_input", "code", "argument"),
    [
        ({"name": "   ", "roles": ["MEMBER"]}, "BAD_USER_INPUT", "input.name"),
        ({"name": "x" * 201, "roles": ["MEMBER"]}, "BAD_USER_INPUT", "input.name"),
        ({"name": "Eve", "roles": []}, "BAD_USER_INPUT", "input.roles"),
        (
            {"name": "Eve", "roles": ["MEMBER"], "home": {"latitude": 95, "longitude": 0}},
            "BAD_USER_INPUT",
            "input.home.latitude",
        ),
        (
            {"name": "Eve", "roles": ["MEMBER"], "neighbourhood": global_id("Neighbourhood", "nb-atlantis")},
            "NOT_FOUND",
            "input.neighbourhood",
        ),
        ({"name": "Eve", "roles": ["MEMBER"], "neighbourhood": ANN}, "BAD_USER_INPUT", "input.neighbourhood"),
        (
            {"name": "Eve", "roles": ["MEMBER"], "network": global_id("Network", "net-none")},
            "NOT_FOUND",
            "input.network",
        ),
    ],
)
async def test_bad_people_are_refused_and_nothing_is_written(
    client: TestClient, graph: Graph, settings: Settings, person_input: dict[str, Any], code: str, argument: str
) -> None:
    before = await graph.size()
    body = _ask(client, CREATE, input=person_input)
    assert _error(body) == (code, argument)
    assert body["data"] is None
    assert await graph.size() == before


@pytest.mark.parametrize(
    ("roles", "role"), [(["MEMBER"], "member"), (["VOLUNTEER"], "volunteer"), (["SUPPORT_WORKER"], "staff")]
)
def test_a_person_added_to_a_network_belongs_to_it_as_their_role_says(
    client: TestClient, roles: list[str], role: str
) -> None:
    network = global_id("Network", "net-00001")
    added = _ask(
        client,
        "mutation($input: CreatePersonInput!) { createPerson(input: $input) "
        "{ person { networks { nodes { role network { id } } } } } }",
        input={"name": "Dana Reid", "roles": roles, "network": network},
    )
    assert added["data"]["createPerson"]["person"]["networks"]["nodes"] == [{"role": role, "network": {"id": network}}]


TIES = (
    "query($id: ID!) { node(id: $id) { ... on Person { "
    "ties(first: 50) { nodes { strength lastContact person { id } } } } } }"
)


def _tie_to(client: TestClient, person: str, other: str) -> dict[str, Any] | None:
    ties = _ask(client, TIES, id=person)["data"]["node"]["ties"]["nodes"]
    return next((t for t in ties if t["person"]["id"] == other), None)


ASK = "mutation($input: AskToConnectInput!) { askToConnect(input: $input) { request { id note } tie { strength } } }"
ANSWER = (
    "mutation($r: ID!, $yes: Boolean!) { answerRequest(request: $r, accept: $yes) "
    "{ tie { strength since person { id } } person { supporters { nodes { supporter { id } } } } } }"
)
REQUESTS = "{ requests { id kind note from { id } to { id } proposedBy { id } expiresAt } }"


def test_ties_are_made_kept_alive_and_ended(client: TestClient) -> None:
    dana = _ask(client, CREATE, input={"name": "Dana", "roles": ["MEMBER"]})["data"]["createPerson"]["person"]["id"]
    _as(client, ANN)
    asked = _ask(client, ASK, input={"person": ANN, "other": dana, "strength": 2, "note": "From the bakery"})
    request = asked["data"]["askToConnect"]["request"]
    assert request["note"] == "From the bakery" and asked["data"]["askToConnect"]["tie"] is None
    made = _ask(_as(client, dana), ANSWER, r=request["id"], yes=True)["data"]["answerRequest"]["tie"]
    assert made == {"strength": 2, "since": date.today().isoformat(), "person": {"id": ANN}}
    assert _tie_to(client, dana, ANN)["strength"] == 2, "a tie has no direction"
    _as(client, ANN)
    assert _error(_ask(client, ASK, input={"person": ANN, "other": dana})) == ("CONFLICT", "input.other")
    assert _error(_ask(client, ASK, input={"person": ANN, "other": ANN})) == ("BAD_USER_INPUT", "input.other")
    assert _error(_ask(client, ASK, input={"person": ANN, "other": NOBODY})) == ("NOT_FOUND", "input.other")
    assert _error(_ask(client, ASK, input={"person": ANN, "other": NOBODY, "strength": 9})) == (
        "BAD_USER_INPUT",
        "input.strength",
    ), "input is checked before the graph is asked"
    assert _error(_ask(client, ASK, input={"person": ANN, "other": dana, "note": "x" * 301})) == (
        "BAD_USER_INPUT",
        "input.note",
    )
    update = "mutation($input: TieChangeInput!) { updateTie(input: $input) { tie { strength lastContact } } }"
    today = date.today().isoformat()  # the tie was made today, when Dana said yes
    older = _ask(client, update, input={"person": dana, "other": ANN, "contactOn": "2026-02-01"})
    assert older["data"]["updateTie"]["tie"] == {"strength": 2, "lastContact": today}, "last contact only moves forward"
    stronger = _ask(client, update, input={"person": ANN, "other": dana, "strength": 4})
    assert stronger["data"]["updateTie"]["tie"] == {"strength": 4, "lastContact": today}

    ended = _ask(
        _as(client, ANN),
        "mutation($a: ID!, $b: ID!) { disconnect(person: $a, other: $b) { removedId } }",
        a=dana,
        b=ANN,
    )
    assert "errors" not in ended and _tie_to(client, ANN, dana) is None
    again = _ask(
        client, "mutation($a: ID!, $b: ID!) { disconnect(person: $a, other: $b) { removedId } }", a=dana, b=ANN
    )
    assert _error(again) == ("NOT_FOUND", "other")


def test_skills_and_networks_on_a_person(client: TestClient) -> None:
    dana = _ask(client, CREATE, input={"name": "Dana", "roles": ["MEMBER"]})["data"]["createPerson"]["person"]["id"]
    _as(client, dana)
    set_skill = """mutation($input: SetPersonSkillInput!) {
      setPersonSkill(input: $input) { person { skills { nodes { mode level skill { name } } } } } }"""
    baking = global_id("Skill", "sk-baking")
    body = _ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "WANTS", "level": 1})
    assert body["data"]["setPersonSkill"]["person"]["skills"]["nodes"] == [
        {"mode": "WANTS", "level": 1, "skill": {"name": "baking"}}
    ]
    body = _ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "OFFERS", "level": 4})
    assert body["data"]["setPersonSkill"]["person"]["skills"]["nodes"] == [
        {"mode": "OFFERS", "level": 4, "skill": {"name": "baking"}}
    ]
    assert _error(_ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "OFFERS", "level": 0})) == (
        "BAD_USER_INPUT",
        "input.level",
    )
    remove = (
        "mutation($p: ID!, $s: ID!) { removePersonSkill(person: $p, skill: $s) { person { skills { totalCount } } } }"
    )
    assert _ask(client, remove, p=dana, s=baking)["data"]["removePersonSkill"]["person"]["skills"]["totalCount"] == 0
    assert _error(_ask(client, remove, p=dana, s=baking)) == ("NOT_FOUND", "skill")
    _ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "OFFERS", "level": 4})
    unknown = global_id("Skill", "sk-juggling")
    assert _error(_ask(client, set_skill, input={"person": dana, "skill": unknown, "mode": "OFFERS", "level": 2})) == (
        "NOT_FOUND",
        "input.skill",
    )

    sign_in_as(client, COORDINATOR)
    network = _ask(client, 'mutation { createNetwork(name: "Hilltown Ring") { network { id name } } }')["data"][
        "createNetwork"
    ]["network"]
    join = (
        "mutation($input: MembershipInput!) { joinNetwork(input: $input) "
        "{ person { networks { nodes { role network { name } } } } } }"
    )
    joined = _ask(client, join, input={"person": dana, "network": network["id"], "role": "VOLUNTEER"})
    assert joined["data"]["joinNetwork"]["person"]["networks"]["nodes"] == [
        {"role": "volunteer", "network": {"name": "Hilltown Ring"}}
    ]
    leave = (
        "mutation($p: ID!, $n: ID!) { leaveNetwork(person: $p, network: $n) "
        "{ person { networks { nodes { role } } } } }"
    )
    assert _ask(client, leave, p=dana, n=network["id"])["data"]["leaveNetwork"]["person"]["networks"]["nodes"] == []
    assert _error(_ask(client, leave, p=dana, n=network["id"])) == ("NOT_FOUND", "network")


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-2.97, 56.46], [-2.96, 56.46], [-2.96, 56.47], [-2.97, 56.47], [-2.97, 56.46]]],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}

CAMPAIGN = """{ id title status startsOn neighbourhoods { nodes { name } } neededSkills { nodes { name } }
               participants { nodes { role hours person { name } } } }"""


def test_a_campaign_from_plan_to_completion(client: TestClient) -> None:
    dana = _ask(client, CREATE, input={"name": "Dana", "roles": ["MEMBER"]})["data"]["createPerson"]["person"]["id"]
    _as(client, ANN)  # anyone may propose a campaign, and is its organiser
    create = "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign " + CAMPAIGN + " } }"
    body = _ask(
        client,
        create,
        input={
            "title": "Dropped kerbs on Albert Street",
            "area": SQUARE,
            "startsOn": "2026-12-01",
            "neighbourhoods": [global_id("Neighbourhood", "nb-stobswell")],
            "neededSkills": [global_id("Skill", "sk-talking-to-the-council"), global_id("Skill", "sk-leaflet-design")],
        },
    )
    campaign = body["data"]["createCampaign"]["campaign"]
    assert (campaign["title"], campaign["status"], campaign["startsOn"]) == (
        "Dropped kerbs on Albert Street",
        "PROPOSED",
        "2026-12-01",
    )
    assert campaign["neighbourhoods"]["nodes"] == [{"name": "Stobswell"}]
    assert [s["name"] for s in campaign["neededSkills"]["nodes"]] == ["leaflet design", "talking to the council"]

    assert [p["role"] for p in campaign["participants"]["nodes"]] == ["organiser"]
    join = "mutation($input: ParticipationInput!) { joinCampaign(input: $input) { campaign " + CAMPAIGN + " } }"
    joined = _ask(client, join, input={"person": ANN, "campaign": campaign["id"], "role": "co-planner"})
    assert joined["data"]["joinCampaign"]["campaign"]["participants"]["nodes"][0]["role"] == "organiser", (
        "an organiser who joins again stays one"
    )

    log = "mutation($input: LogHoursInput!) { logHours(input: $input) { campaign " + CAMPAIGN + " } }"
    _ask(client, log, input={"person": ANN, "campaign": campaign["id"], "hours": 2.5})
    logged = _ask(client, log, input={"person": ANN, "campaign": campaign["id"], "hours": 1})
    assert logged["data"]["logHours"]["campaign"]["participants"]["nodes"][0]["hours"] == 3.5
    assert _error(_ask(client, log, input={"person": ANN, "campaign": campaign["id"], "hours": 0})) == (
        "BAD_USER_INPUT",
        "input.hours",
    )
    assert _error(_ask(_as(client, dana), log, input={"person": dana, "campaign": campaign["id"], "hours": 1})) == (
        "NOT_FOUND",
        "input.campaign",
    )
    _as(client, ANN)

    update = "mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign " + CAMPAIGN + " } }"
    done = _ask(client, update, input={"id": campaign["id"], "title": "Ramps on Hill Street"})["data"][
        "updateCampaign"
    ]["campaign"]
    assert done["title"] == "Ramps on Hill Street" and done["participants"]["nodes"][0]["hours"] == 3.5, "rest kept"
    assert _error(_ask(client, update, input={"id": campaign["id"], "endsOn": "2026-01-01"})) == (
        "BAD_USER_INPUT",
        "input.endsOn",
    )

    add = "mutation($c: ID!, $s: ID!) { addNeededSkill(campaign: $c, skill: $s) { campaign " + CAMPAIGN + " } }"
    added = _ask(client, add, c=campaign["id"], s=global_id("Skill", "sk-baking"))["data"]["addNeededSkill"]["campaign"]
    assert [s["name"] for s in added["neededSkills"]["nodes"]] == ["baking", "leaflet design", "talking to the council"]
    assert _error(_ask(client, add, c=campaign["id"], s=global_id("Skill", "sk-juggling"))) == ("NOT_FOUND", "skill")
    _ask(
        client,
        "mutation($c: ID!, $s: ID!) { removeNeededSkill(campaign: $c, skill: $s) { campaign { id } } }",
        c=campaign["id"],
        s=global_id("Skill", "sk-baking"),
    )
    remove = "mutation($c: ID!, $s: ID!) { removeNeededSkill(campaign: $c, skill: $s) { campaign " + CAMPAIGN + " } }"
    left = _ask(client, remove, c=campaign["id"], s=global_id("Skill", "sk-leaflet-design"))
    assert [s["name"] for s in left["data"]["removeNeededSkill"]["campaign"]["neededSkills"]["nodes"]] == [
        "talking to the council"
    ]
    leave = "mutation($p: ID!, $c: ID!) { leaveCampaign(person: $p, campaign: $c) { campaign " + CAMPAIGN + " } }"
    assert (
        _ask(client, leave, p=ANN, c=campaign["id"])["data"]["leaveCampaign"]["campaign"]["participants"]["nodes"] == []
    )
    assert _ask(client, "query($id: ID!) { node(id: $id) { ... on Campaign { title } } }", id=campaign["id"])["data"][
        "node"
    ] == {"title": "Ramps on Hill Street"}


@pytest.mark.parametrize(
    ("changes", "code", "argument"),
    [
        ({"area": BOWTIE}, "BAD_USER_INPUT", "input.area"),
        ({"area": {"type": "Point", "coordinates": [0, 0]}}, "BAD_USER_INPUT", "input.area"),
        ({"title": ""}, "BAD_USER_INPUT", "input.title"),
        ({"startsOn": "2026-05-01", "endsOn": "2026-04-01"}, "BAD_USER_INPUT", "input.endsOn"),
        ({"neededSkills": [global_id("Skill", "sk-juggling")]}, "NOT_FOUND", "input.neededSkills"),
        ({"neighbourhoods": [ANN]}, "BAD_USER_INPUT", "input.neighbourhoods"),
    ],
)
async def test_bad_campaigns_are_refused_whole(
    client: TestClient, graph: Graph, settings: Settings, changes: dict[str, Any], code: str, argument: str
) -> None:
    before = await graph.size()
    create = "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }"
    body = _ask(
        client,
        create,
        input={"title": "A campaign", "area": SQUARE, "neededSkills": [global_id("Skill", "sk-baking")], **changes},
    )
    assert _error(body) == (code, argument)
    assert await graph.size() == before


def test_neighbourhoods_have_unique_names_and_valid_boundaries(client: TestClient) -> None:
    create = (
        "mutation($input: NeighbourhoodInput!) { createNeighbourhood(input: $input) { neighbourhood { id name } } }"
    )
    made = _ask(client, create, input={"name": "Blackness", "boundary": SQUARE})["data"]["createNeighbourhood"]
    assert made["neighbourhood"]["name"] == "Blackness"
    assert _error(_ask(client, create, input={"name": "blackness", "boundary": SQUARE})) == ("CONFLICT", "input.name")
    assert _error(_ask(client, create, input={"name": "Elsewhere", "boundary": BOWTIE})) == (
        "BAD_USER_INPUT",
        "input.boundary",
    )
    update = (
        "mutation($input: UpdateNeighbourhoodInput!) { updateNeighbourhood(input: $input) { neighbourhood { name } } }"
    )
    renamed = _ask(client, update, input={"id": made["neighbourhood"]["id"], "name": "Blackness and Perth Road"})
    assert renamed["data"]["updateNeighbourhood"]["neighbourhood"]["name"] == "Blackness and Perth Road"
    assert _error(_ask(client, update, input={"id": made["neighbourhood"]["id"], "name": "Stobswell"})) == (
        "CONFLICT",
        "input.name",
    )


def test_support_starts_and_ends_and_shows_the_exact_home(client: TestClient, settings: Settings) -> None:
    sam = _ask(client, CREATE, input={"name": "Sam", "roles": ["SUPPORT_WORKER"]})["data"]["createPerson"]["person"][
        "id"
    ]
    propose = "mutation($input: SupportInput!) { proposeSupport(input: $input) { request { id kind } } }"
    proposed = _ask(client, propose, input={"supporter": sam, "person": ANN})["data"]["proposeSupport"]["request"]
    assert proposed["kind"] == "SUPPORT"
    assert _error(_ask(client, propose, input={"supporter": sam, "person": sam})) == ("BAD_USER_INPUT", "input.person")
    home = "query($id: ID!) { node(id: $id) { ... on Person { home { exact } } } }"
    assert _ask(_as(client, sam), home, id=ANN)["data"]["node"]["home"]["exact"] is False, "not before Ann agrees"
    started = _ask(_as(client, ANN), ANSWER, r=proposed["id"], yes=True)["data"]["answerRequest"]["person"]
    assert started["supporters"]["nodes"] == [{"supporter": {"id": sam}}]
    home = "query($id: ID!) { node(id: $id) { ... on Person { home { exact } } } }"
    assert _ask(_as(client, sam), home, id=ANN)["data"]["node"]["home"]["exact"] is True, (
        "a supporter sees the exact home"
    )
    end = "mutation($s: ID!, $p: ID!) { endSupport(supporter: $s, person: $p) { person { name } } }"
    assert "errors" not in _ask(_as(client, ANN), end, s=sam, p=ANN), "the person supported may end it"
    assert _ask(_as(client, sam), home, id=ANN)["data"]["node"]["home"]["exact"] is False, "and no longer once it ends"
    assert _error(_ask(sign_in_as(client, COORDINATOR), end, s=sam, p=ANN)) == ("NOT_FOUND", "person")
