"""Changing the network through /graphql: payloads, error codes with the field, nothing half-written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from neo4j import AsyncDriver
from starlette.testclient import TestClient

from peermap.graph.database import graph_size
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.schema.types import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

ANN = global_id("Person", "p-000001")
NOBODY = global_id("Person", "nobody")


@pytest.fixture
async def client(graph: AsyncDriver, settings: Settings):  # type: ignore[no-untyped-def]
    await write_dataset(graph, demo_community(10, seed=1), database=settings.neo4j_database)
    with TestClient(create_app(replace(settings, viewer="p-000001"))) as client:
        yield client


def _ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


def _error(body: dict[str, Any]) -> tuple[str, str]:
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"]["argument"]


CREATE = """mutation($input: CreatePersonInput!) {
  createPerson(input: $input) { person { id name roles home { coordinates exact } networks { role } } }
}"""


def test_create_update_and_remove_a_person(client: TestClient) -> None:
    created = _ask(client, CREATE, input={"name": "  Dana Reid ", "roles": ["MEMBER", "VOLUNTEER"],
                                          "home": {"latitude": 56.47, "longitude": -2.96},
                                          "neighbourhood": global_id("Neighbourhood", "nb-stobswell")})
    person = created["data"]["createPerson"]["person"]
    assert person["name"] == "Dana Reid" and person["roles"] == ["MEMBER", "VOLUNTEER"]
    assert person["home"]["exact"] is False, "the viewer (Ann) sees only Dana's cell"

    update = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { name bio roles } } }"
    updated = _ask(client, update, input={"id": person["id"], "bio": "Bakes on Fridays.", "roles": ["MEMBER"]})
    assert updated["data"]["updatePerson"]["person"] == {"name": "Dana Reid", "bio": "Bakes on Fridays.",
                                                         "roles": ["MEMBER"]}

    removed = _ask(client, "mutation($id: ID!) { removePerson(id: $id) { removedId } }", id=person["id"])
    assert removed["data"]["removePerson"]["removedId"] == person["id"]
    assert _ask(client, "query($id: ID!) { node(id: $id) { id } }", id=person["id"])["data"]["node"] is None
    again = _ask(client, "mutation($id: ID!) { removePerson(id: $id) { removedId } }", id=person["id"])
    assert _error(again) == ("NOT_FOUND", "id")


@pytest.mark.parametrize(("person_input", "code", "argument"), [
    ({"name": "   ", "roles": ["MEMBER"]}, "BAD_USER_INPUT", "input.name"),
    ({"name": "x" * 201, "roles": ["MEMBER"]}, "BAD_USER_INPUT", "input.name"),
    ({"name": "Eve", "roles": []}, "BAD_USER_INPUT", "input.roles"),
    ({"name": "Eve", "roles": ["MEMBER"], "home": {"latitude": 95, "longitude": 0}}, "BAD_USER_INPUT",
     "input.home.latitude"),
    ({"name": "Eve", "roles": ["MEMBER"], "neighbourhood": global_id("Neighbourhood", "nb-atlantis")},
     "NOT_FOUND", "input.neighbourhood"),
    ({"name": "Eve", "roles": ["MEMBER"], "neighbourhood": ANN}, "BAD_USER_INPUT", "input.neighbourhood"),
])
async def test_bad_people_are_refused_and_nothing_is_written(
        client: TestClient, graph: AsyncDriver, settings: Settings,
        person_input: dict[str, Any], code: str, argument: str) -> None:
    before = await graph_size(graph, database=settings.neo4j_database)
    body = _ask(client, CREATE, input=person_input)
    assert _error(body) == (code, argument)
    assert body["data"] is None
    assert await graph_size(graph, database=settings.neo4j_database) == before


TIES = "query($id: ID!) { node(id: $id) { ... on Person { ties(first: 50) { nodes { strength lastContact person { id } } } } } }"


def _tie_to(client: TestClient, person: str, other: str) -> dict[str, Any] | None:
    ties = _ask(client, TIES, id=person)["data"]["node"]["ties"]["nodes"]
    return next((t for t in ties if t["person"]["id"] == other), None)


def test_ties_are_made_kept_alive_and_ended(client: TestClient) -> None:
    dana = _ask(client, CREATE, input={"name": "Dana", "roles": ["MEMBER"]})["data"]["createPerson"]["person"]["id"]
    connect = "mutation($input: ConnectInput!) { connect(input: $input) { tie { strength since person { id } } } }"
    made = _ask(client, connect, input={"person": ANN, "other": dana, "strength": 2, "since": "2026-01-05"})
    assert made["data"]["connect"]["tie"] == {"strength": 2, "since": "2026-01-05", "person": {"id": dana}}
    assert _tie_to(client, dana, ANN)["strength"] == 2, "a tie has no direction"
    assert _error(_ask(client, connect, input={"person": dana, "other": ANN})) == ("CONFLICT", "input.other")
    assert _error(_ask(client, connect, input={"person": ANN, "other": ANN})) == ("BAD_USER_INPUT", "input.other")
    assert _error(_ask(client, connect, input={"person": ANN, "other": NOBODY})) == ("NOT_FOUND", "input.other")
    assert _error(_ask(client, connect, input={"person": ANN, "other": NOBODY, "strength": 9})) == (
        "BAD_USER_INPUT", "input.strength"), "input is checked before the graph is asked"

    update = "mutation($input: TieChangeInput!) { updateTie(input: $input) { tie { strength lastContact } } }"
    contact = _ask(client, update, input={"person": dana, "other": ANN, "contactOn": "2026-03-01"})
    assert contact["data"]["updateTie"]["tie"] == {"strength": 2, "lastContact": "2026-03-01"}
    older = _ask(client, update, input={"person": dana, "other": ANN, "contactOn": "2026-02-01"})
    assert older["data"]["updateTie"]["tie"]["lastContact"] == "2026-03-01", "last contact only moves forward"
    stronger = _ask(client, update, input={"person": ANN, "other": dana, "strength": 4})
    assert stronger["data"]["updateTie"]["tie"] == {"strength": 4, "lastContact": "2026-03-01"}
    today = _ask(client, update, input={"person": ANN, "other": dana})
    assert today["data"]["updateTie"]["tie"]["lastContact"] == date.today().isoformat()

    ended = _ask(client, "mutation($a: ID!, $b: ID!) { disconnect(person: $a, other: $b) { removedId } }", a=dana, b=ANN)
    assert "errors" not in ended and _tie_to(client, ANN, dana) is None
    again = _ask(client, "mutation($a: ID!, $b: ID!) { disconnect(person: $a, other: $b) { removedId } }", a=dana, b=ANN)
    assert _error(again) == ("NOT_FOUND", "other")


def test_skills_and_networks_on_a_person(client: TestClient) -> None:
    dana = _ask(client, CREATE, input={"name": "Dana", "roles": ["MEMBER"]})["data"]["createPerson"]["person"]["id"]
    set_skill = """mutation($input: SetPersonSkillInput!) {
      setPersonSkill(input: $input) { person { skills { nodes { mode level skill { name } } } } } }"""
    baking = global_id("Skill", "sk-baking")
    body = _ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "WANTS", "level": 1})
    assert body["data"]["setPersonSkill"]["person"]["skills"]["nodes"] == [
        {"mode": "WANTS", "level": 1, "skill": {"name": "baking"}}]
    body = _ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "OFFERS", "level": 4})
    assert body["data"]["setPersonSkill"]["person"]["skills"]["nodes"] == [
        {"mode": "OFFERS", "level": 4, "skill": {"name": "baking"}}]
    assert _error(_ask(client, set_skill, input={"person": dana, "skill": baking, "mode": "OFFERS", "level": 0})) == (
        "BAD_USER_INPUT", "input.level")
    unknown = global_id("Skill", "sk-juggling")
    assert _error(_ask(client, set_skill, input={"person": dana, "skill": unknown, "mode": "OFFERS", "level": 2})) == (
        "NOT_FOUND", "input.skill")

    network = _ask(client, 'mutation { createNetwork(name: "Hilltown Ring") { network { id name } } }')[
        "data"]["createNetwork"]["network"]
    join = "mutation($input: MembershipInput!) { joinNetwork(input: $input) { person { networks { role network { name } } } } }"
    joined = _ask(client, join, input={"person": dana, "network": network["id"], "role": "VOLUNTEER"})
    assert joined["data"]["joinNetwork"]["person"]["networks"] == [{"role": "volunteer", "network": {"name": "Hilltown Ring"}}]
    leave = "mutation($p: ID!, $n: ID!) { leaveNetwork(person: $p, network: $n) { person { networks { role } } } }"
    assert _ask(client, leave, p=dana, n=network["id"])["data"]["leaveNetwork"]["person"]["networks"] == []
    assert _error(_ask(client, leave, p=dana, n=network["id"])) == ("NOT_FOUND", "network")
