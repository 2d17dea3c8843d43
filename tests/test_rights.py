"""Erasure: nothing of the person remains but anonymous totals, and no tie hangs loose."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.model import Dataset, Role
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import account_email, sign_in_as


async def _everything(graph: Graph, settings: Settings) -> str:
    """Every node's and relationship's labels, type and properties, as one text to search."""
    records, _, _ = await graph.driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN collect(DISTINCT n {.*, labels: labels(n)}) AS nodes, "
        "collect(DISTINCT properties(r)) AS relationships",
        database_=settings.neo4j_database,
    )
    return json.dumps(records[0].data(), default=str)


def _ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    return client.post("/graphql", json={"query": query, "variables": variables}).json()


async def test_erasure_leaves_only_anonymous_totals(graph: Graph, settings: Settings) -> None:
    data: Dataset = demo_community(200, seed=2)
    supporter_of = {s.person_id: s.supporter_id for s in data.supports}
    campaign, person_id = next(
        (c, p.person_id) for c in data.campaigns for p in c.participants if p.person_id in supporter_of
    )
    person = next(p for p in data.people if p.id == person_id)
    await write_dataset(graph, data)
    ties = [t for t in data.ties if person.id in (t.from_id, t.to_id)]
    assert ties, "the person knows people"

    with TestClient(create_app(settings)) as client:
        totals = "query($c: ID!) { node(id: $c) { ... on Campaign { participantCount totalHours } } }"
        before = _ask(client, totals, c=global_id("Campaign", campaign.id))["data"]["node"]
        sign_in_as(client, person.id)
        token = client.headers["authorization"]
        sign_in_as(client, supporter_of[person.id])  # the view of the exact home is logged for the person
        _ask(
            client,
            "query($p: ID!) { node(id: $p) { ... on Person { home { exact } } } }",
            p=global_id("Person", person.id),
        )
        client.headers["authorization"] = token
        mine = _ask(client, "{ myData }")["data"]["myData"]
        assert mine["person"]["name"] == person.name and mine["audit_log"], "the log is theirs to read"

        erased = _ask(client, "mutation { eraseMyData { removedId } }")
        assert erased["data"]["eraseMyData"]["removedId"] == global_id("Person", person.id)
        assert client.post("/graphql", json={"query": "{ viewer { name } }"}).status_code == 401, "the token went too"
        client.headers.pop("authorization")
        after = _ask(client, totals, c=global_id("Campaign", campaign.id))["data"]["node"]

    assert after == before, "participants and hours given stay, as anonymous totals"
    everything = await _everything(graph, settings)
    traces = [person.id, person.contact, account_email(person.id)]
    if [p.name for p in data.people].count(person.name) == 1:
        traces.append(person.name)
    for trace in traces:
        assert trace not in everything, trace
    assert str(person.home.latitude) not in everything
    records, _, _ = await graph.driver.execute_query(
        "MATCH (n:Person) WHERE n.id IN $ids RETURN count(n) AS count",
        ids=[t.to_id if t.from_id == person.id else t.from_id for t in ties],
        database_=settings.neo4j_database,
    )
    assert records[0]["count"] == len(ties), "the people they knew are all still there, without the tie"


async def test_erasure_is_for_the_person_or_a_coordinator(graph: Graph, settings: Settings) -> None:
    data = demo_community(10, seed=1)
    await write_dataset(graph, data)
    remove = "mutation($p: ID!) { removePerson(id: $p) { removedId } }"
    with TestClient(create_app(settings)) as client:
        sign_in_as(client, "p-000002")
        refused = _ask(client, remove, p=global_id("Person", "p-000001"))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        coordinator = next(p.id for p in data.people if Role.COORDINATOR in p.roles)
        sign_in_as(client, coordinator)
        assert "errors" not in _ask(client, remove, p=global_id("Person", "p-000001"))
    assert "p-000001" not in await _everything(graph, settings)
