"""The compiled path (schema/compiled.py): one Cypher query per root field, the same answer as the
resolvers byte for byte, privacy included, for any selection it takes, whoever asks.

The whole suite runs with PEERMAP_READS=compared (conftest.py), so every query any test asks of a
compiled field is answered both ways and compared; here selections are also generated, and the
compiled path is checked to have answered them alone, in one query.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from peermap.graph.database import Graph, open_driver, record_queries
from peermap.graph.demo import demo_community
from peermap.graph.model import Dataset, MembershipKind, Role, Viewer
from peermap.graph.queries import shaped as shaped_queries
from peermap.graph.shaped import PersonRead
from peermap.graph.store import write_dataset
from peermap.schema import ApiPolicy, Context, CostBudget, ReadPath, schema
from peermap.schema.compiled import MISMATCHES
from peermap.schema.events import InProcessBus
from peermap.schema.ids import global_id
from peermap.schema.paging import cursor_for
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as


@dataclass
class World:
    runner: asyncio.Runner
    graph: Graph
    data: Dataset
    viewers: list[str | None]  # people who stand differently to the others, and a signed-out visitor


@pytest.fixture(scope="module")
def world(settings: Settings) -> Iterator[World]:
    """Thirty demo members written once, and a loop of its own to ask them on (hypothesis runs
    plain functions)."""
    runner = asyncio.Runner()
    driver = open_driver(settings.neo4j_uri or "", user=settings.neo4j_user, password=settings.neo4j_password or "")
    graph = Graph(driver=driver, database=settings.neo4j_database)
    data = demo_community(30, seed=1)

    async def prepare() -> None:
        await graph.apply_constraints()
        await graph.delete_all()
        await write_dataset(graph, data)

    runner.run(prepare())
    supported = data.supports[0]
    staff = next(m.person_id for m in data.memberships if m.kind == MembershipKind.STAFF)
    hiding = next((p.id for p in data.people if p.skills_hidden), data.people[1].id)
    volunteer = next(p.id for p in data.people if Role.VOLUNTEER in p.roles)
    viewers: list[str | None] = [supported.person_id, supported.supporter_id, staff, hiding, volunteer, None]
    yield World(runner=runner, graph=graph, data=data, viewers=viewers)
    runner.run(driver.close())
    runner.close()


def _context(graph: Graph, viewer: str | None, reads: ReadPath) -> Context:
    budget = 10**9
    return Context(
        graph=graph.seen_by(Viewer(viewer)),
        events=InProcessBus(),
        policy=ApiPolicy(max_cost=budget, budget_per_hour=budget, introspection=True, suggestions=True, reads=reads),
        budget=CostBudget(budget),
        client="tests",
    )


def _ask(
    world: World, query: str, viewer: str | None, variables: dict[str, Any], reads: ReadPath
) -> tuple[Any, list[str]]:
    """The answer, and the reads sent to Neo4j for it (not the audit log's writes)."""

    async def asking() -> tuple[Any, list[str]]:
        recorded = record_queries()
        result = await schema.execute(
            query, variable_values=variables, context_value=_context(world.graph, viewer, reads)
        )
        assert not result.errors, result.errors
        return result.data, [cypher for cypher, _ in recorded if "CREATE" not in cypher and "MERGE" not in cypher]

    return world.runner.run(asking())


# Generated selections ----------------------------------------------------------------------------

SCALARS = ["id", "name", "bio", "roles", "contact", "neighbourhoodId", "__typename", "home { type coordinates exact }"]


@st.composite
def _scalars(draw: st.DrawFn, fields: list[str]) -> str:
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique=True))
    # An alias is made from the field's name, so two different fields never share one.
    return " ".join(draw(st.sampled_from(["", "", f"my_{name.split()[0].strip('_')}: "])) + name for name in chosen)


@st.composite
def _window(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from([None, 0, 1, 3, 20]))
    after = draw(st.sampled_from([None, 0, 2]))
    arguments = [
        f"first: {first}" if first is not None else "",
        f'after: "{cursor_for(after)}"' if after is not None else "",
    ]
    joined = ", ".join(a for a in arguments if a)
    return f"({joined})" if joined else ""


@st.composite
def _connection(draw: st.DrawFn, item: str, by_edges: bool) -> str:
    """A connection's fields around an item's selection: items by edges or by nodes, not both (a
    person read twice under one tie is left to the resolvers)."""
    parts = draw(
        st.lists(
            st.sampled_from(
                ["totalCount", "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }", "__typename"]
            ),
            max_size=2,
            unique=True,
        )
    )
    parts.append(f"edges {{ cursor node {{ {item} }} }}" if by_edges else f"nodes {{ {item} }}")
    return " ".join(draw(st.permutations(parts)))


@st.composite
def _person(draw: st.DrawFn, levels: int) -> str:
    """A person's selection using at most this many levels below it (the API allows 12 in all)."""
    parts = [draw(_scalars(SCALARS))]
    by_edges = draw(st.booleans())
    if levels >= 4 + by_edges and draw(st.booleans()):
        skill = draw(_scalars(["level", "mode", "since", "__typename"]))
        skill += " skill { " + draw(_scalars(["id", "name", "category"])) + " }"
        parts.append("skills" + draw(_window()) + " { " + draw(_connection(skill, by_edges)) + " }")
    by_edges = draw(st.booleans())
    below = levels - 3 - by_edges  # ties, edges and node or nodes, person
    if below >= 1 and draw(st.booleans()):
        tie = draw(_scalars(["strength", "since", "lastContact"])) + " person { " + draw(_person(below)) + " }"
        parts.append("ties" + draw(_window()) + " { " + draw(_connection(tie, by_edges)) + " }")
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["Member", "Coordinator", "Person"]))
        parts.append("... on " + kind + " { " + draw(_scalars(SCALARS)) + " }")
    return " ".join(parts)


@st.composite
def _request(draw: st.DrawFn) -> tuple[str, str]:
    """(the root field, a selection of it)."""
    root = draw(st.sampled_from(["people", "node", "viewer"]))
    if root == "people":
        by_edges = draw(st.booleans())
        person = draw(_person(10 - by_edges))
        return root, "{ people" + draw(_window()) + " { " + draw(_connection(person, by_edges)) + " } }"
    person = draw(_person(11))
    if root == "node":
        return root, "query($id: ID!) { node(id: $id) { ... on Person { " + person + " } } }"
    return root, "{ viewer { " + person + " } }"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=_request(), viewer_at=st.integers(0, 5), person_at=st.integers(0, 35))
def test_any_selection_is_answered_alike_in_one_query(
    world: World, request: tuple[str, str], viewer_at: int, person_at: int
) -> None:
    root, query = request
    viewer = world.viewers[viewer_at]
    people = world.data.people
    variables = {"id": global_id("Person", people[person_at % len(people)].id)} if root == "node" else {}
    before = len(MISMATCHES)
    compiled, reads = _ask(world, query, viewer, variables, ReadPath.COMPARED)
    assert len(MISMATCHES) == before, MISMATCHES[before:]
    asks_nothing = viewer is None and root != "node"  # nobody to read for: no query at all
    assert len(reads) == (0 if asks_nothing else 1), reads
    assert all("(p0:Person" in cypher for cypher in reads), "the compiled path answered, not the resolvers"
    by_resolvers, _ = _ask(world, query, viewer, variables, ReadPath.RESOLVERS)
    assert compiled == by_resolvers


def test_what_the_compiled_path_does_not_read_is_left_to_the_resolvers(world: World) -> None:
    """A filter, a last page, supporters, a bad argument: the resolvers answer, with their own words."""
    member = world.viewers[0]
    for query in (
        "{ people(first: 3, filter: {role: MEMBER}) { nodes { name } } }",
        "{ people(last: 2) { nodes { name } } }",
        "{ viewer { supporters { nodes { since } } } }",
    ):
        answer, reads = _ask(world, query, member, {}, ReadPath.COMPILED)
        assert answer and not any("(p0:Person" in cypher for cypher in reads), query

    async def refused() -> list[str]:
        context = _context(world.graph, member, ReadPath.COMPILED)
        result = await schema.execute("{ people(first: 101) { nodes { name } } }", context_value=context)
        return [error.message for error in result.errors or []]

    assert world.runner.run(refused()) == ["first: must be from 0 to 100"]


def test_the_list_is_counted_only_when_its_length_is_asked_for() -> None:
    """Counting 100,000 people costs more than a page of them: the query counts only when asked."""
    read = PersonRead(columns=("name",))
    assert "MATCH (p:Person)" in shaped_queries.people_page(read, counted=True)
    assert "MATCH (p:Person)" not in shaped_queries.people_page(read, counted=False)


def test_an_exact_home_seen_through_the_compiled_path_is_logged(settings: Settings, demo_ten: Dataset) -> None:
    """As by the resolvers: a supporter shown the person they support (whose exact home they may
    see) is logged in that person's audit log, whatever fields were asked; others are not."""
    support = demo_ten.supports[0]
    supported = next(p for p in demo_ten.people if p.id == support.person_id)
    assert supported.home is not None
    query = "query($id: ID!) { node(id: $id) { ... on Person { name } } }"
    log = "{ auditLog { nodes { action by { id } } } }"
    with TestClient(create_app(replace(settings, reads="compiled"))) as client:
        sign_in_as(client, support.supporter_id)
        answer = client.post("/graphql", json={"query": query, "variables": {"id": global_id("Person", supported.id)}})
        assert answer.json()["data"]["node"]["name"] == supported.name
        assert answer.json()["extensions"]["cypherQueries"] <= 3, "token check, the one read, the log"
        sign_in_as(client, supported.id)
        entries = client.post("/graphql", json={"query": log}).json()["data"]["auditLog"]["nodes"]
    assert entries == [
        {"action": "viewed your exact home location", "by": {"id": global_id("Person", support.supporter_id)}}
    ]
