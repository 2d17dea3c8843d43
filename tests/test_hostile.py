"""Hostile input gets a clear error or is stored as the plain text it is, and nothing else changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.model import Dataset, Role
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import TOKEN_CHECK, sign_in_as

INJECTIONS = [
    "x' OR 1=1 //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "x` RETURN 1 UNION MATCH (n) DETACH DELETE n //",
    "$viewer",
    "x\\' CALL apoc.cypher.runFirstColumn('MATCH (n) DETACH DELETE n', {}) //",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE people;--",
    "x\u0000y",
]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-2.97, 56.46], [-2.96, 56.46], [-2.96, 56.47], [-2.97, 56.47], [-2.97, 56.46]]],
}


@pytest.fixture
def community(demo_ten: Dataset) -> Dataset:
    return demo_ten


@pytest.fixture
def coordinator(community, settings: Settings) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings)) as client:
        yield sign_in_as(client, next(p.id for p in community.people if Role.COORDINATOR in p.roles))


def _ask(client: TestClient, query: str, status: int = 200, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == status, response.text
    return response.json()


async def _count(graph: Graph, settings: Settings) -> int:
    records, _, _ = await graph.driver.execute_query(
        "MATCH (n) WHERE NOT n:AuditEntry AND NOT n:CampaignChange AND NOT n:ApiToken RETURN count(n) AS count",
        database_=settings.neo4j_database,
    )
    return records[0]["count"]


@pytest.mark.parametrize("text", INJECTIONS)
async def test_injection_strings_in_every_text_field_are_only_text(
    coordinator: TestClient, graph: Graph, settings: Settings, text: str
) -> None:
    before = await _count(graph, settings)
    person = _ask(
        coordinator,
        "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id name bio } } }",
        i={"name": text, "bio": text, "contact": text, "roles": ["MEMBER"]},
    )
    made = person["data"]["createPerson"]["person"]
    assert (made["name"], made["bio"]) == (text.strip(), text.strip()), "stored verbatim: values are parameters"
    network = _ask(coordinator, "mutation($n: String!) { createNetwork(name: $n) { network { name } } }", n=text)
    assert network["data"]["createNetwork"]["network"]["name"] == text.strip()
    place = _ask(
        coordinator,
        "mutation($i: NeighbourhoodInput!) { createNeighbourhood(input: $i) { neighbourhood { name } } }",
        i={"name": text, "boundary": SQUARE},
    )
    assert place["data"]["createNeighbourhood"]["neighbourhood"]["name"] == text.strip()
    campaign = _ask(
        coordinator,
        "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id title description } } }",
        i={"title": text, "description": text, "area": SQUARE},
    )["data"]["createCampaign"]["campaign"]
    assert (campaign["title"], campaign["description"]) == (text.strip(), text.strip())
    joined = _ask(
        coordinator,
        "mutation($i: ParticipationInput!) { joinCampaign(input: $i) "
        "{ campaign { participants { nodes { role } } } } }",
        i={"person": made["id"], "campaign": campaign["id"], "role": text},
    )
    assert text.strip() in [p["role"] for p in joined["data"]["joinCampaign"]["campaign"]["participants"]["nodes"]]
    token = _ask(coordinator, "mutation($n: String!) { createApiToken(name: $n) { token { name } } }", n=text)
    assert token["data"]["createApiToken"]["token"]["name"] == text.strip()
    search = _ask(coordinator, "query($t: String!) { people(filter: {text: $t}) { totalCount } }", t=text)
    assert "errors" not in search
    # Exactly what was made, nothing more and nothing less.
    assert await _count(graph, settings) == before + 4


@pytest.mark.parametrize("text", ["*:*", 'name:"x" OR bio:*', "((((", "\\", "a AND", "~2 ^3 ? [x TO y] {", "/.*/"])
def test_lucene_syntax_in_search_is_taken_as_plain_words(coordinator: TestClient, text: str) -> None:
    found = _ask(coordinator, "query($t: String!) { people(filter: {text: $t}) { totalCount } }", t=text)
    assert "errors" not in found, found
    assert found["data"]["people"]["totalCount"] == 0, "no query syntax reaches the index: *:* matches no one"


async def test_huge_strings_and_lists_are_refused_and_nothing_is_written(
    coordinator: TestClient, graph: Graph, settings: Settings
) -> None:
    before = await _count(graph, settings)
    create = "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }"
    long_name = _ask(coordinator, create, i={"name": "x" * 10_000, "roles": ["MEMBER"]})
    assert long_name["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.name"}
    huge = coordinator.post(
        "/graphql", json={"query": create, "variables": {"i": {"name": "x" * 2_000_000, "roles": ["MEMBER"]}}}
    )
    assert huge.status_code == 413
    many = [global_id("Skill", f"sk-{n}") for n in range(5_000)]
    campaign = _ask(
        coordinator,
        "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id } } }",
        i={"title": "Many", "area": SQUARE, "neededSkills": many},
    )
    assert campaign["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.neededSkills"}
    nodes = _ask(coordinator, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=many[:101])
    assert nodes["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    search = _ask(coordinator, "query($t: String!) { people(filter: {text: $t}) { totalCount } }", t="word " * 1000)
    assert search["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.text"}
    assert await _count(graph, settings) == before


async def test_deep_wide_and_aliased_queries_are_refused_before_running(
    coordinator: TestClient, graph: Graph, settings: Settings
) -> None:
    before = await _count(graph, settings)
    deep = "{ people(first: 1) { nodes { " + "ties(first: 1) { nodes { person { " * 8 + "name" + " } } }" * 8 + " } } }"
    aliases = "{ " + " ".join(f"a{n}: campaigns(first: 1) {{ totalCount }}" for n in range(40)) + " }"
    wide = "{ campaigns { nodes { " + " ".join(["title"] * 3000) + " } } }"
    mutations = (
        "mutation { " + " ".join(f'n{n}: createNetwork(name: "x{n}") {{ network {{ id }} }}' for n in range(40)) + " }"
    )
    for query, word in ((deep, "depth"), (aliases, "aliases"), (wide, "token"), (mutations, "aliases")):
        body = _ask(coordinator, query)
        assert body.get("data") is None and body["errors"], query[:60]
        assert word in json.dumps(body["errors"]).lower(), body["errors"]
        assert body["extensions"]["cypherQueries"] == TOKEN_CHECK, "nothing ran but the token's check"
    assert await _count(graph, settings) == before
