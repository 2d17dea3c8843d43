"""Our overhead against the floor, the official Neo4j GraphQL Library beside us, and round trips:
every benchmark query asked all ways in one run, side by side, on one bench graph."""

from __future__ import annotations

from contextlib import ExitStack, suppress
from datetime import date
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the test extra's HTTP client (Starlette's test client uses it too)

from peermap.graph import accounts
from peermap.graph.database import Graph, record_queries
from peermap.graph.errors import Invalid
from peermap.graph.model import Viewer
from peermap.schema import ApiPolicy, Context, CostBudget, schema
from peermap.schema.events import InProcessBus

from . import servers
from .flame import flame_graph
from .graphs import CITY_COORDINATOR, DATABASE, BenchGraph
from .measure import db_hits, side_by_side
from .queries import BenchQuery, Subjects, benchmark_queries
from .report import document_depth

PASSWORD = "bench-password-not-secret"


async def viewer_token(db: Graph, person_id: str) -> str:
    """A new API token for this person, with an account made for them on first use. The bench's
    tokens from earlier runs are revoked first: an account holds at most 20."""
    with suppress(Invalid):  # made by an earlier run
        await accounts.create_account(db, person_id, f"{person_id}@bench.peermap.invalid", PASSWORD)
    owner = db.seen_by(Viewer(person_id))
    for old in await accounts.tokens_of(owner):
        if old.name == "bench":
            await accounts.revoke_token(owner, old.id)
    return (await accounts.create_token(owner, "bench"))[1]


async def _our_cypher(db: Graph, query: BenchQuery, viewer: str) -> list[tuple[str, dict[str, Any]]]:
    """The Cypher Peermap sends for the query, recorded in this process (the server's own code)."""
    recorded = record_queries()
    budget = 10**12
    context = Context(
        graph=db.seen_by(Viewer(viewer)),
        events=InProcessBus(),
        policy=ApiPolicy(max_cost=budget, budget_per_hour=budget, introspection=True, suggestions=True),
        budget=CostBudget(budget),
        client="bench",
    )
    result = await schema.execute(query.graphql, variable_values=query.variables, context_value=context)
    if result.errors:
        raise RuntimeError(f"{query.name}: {result.errors}")
    return list(recorded)


async def compare(
    graph: BenchGraph,
    *,
    iterations: int,
    with_node: bool,
    today: date | None = None,
    flame: Path | None = None,
    flame_seconds: int = 10,
) -> list[dict[str, Any]]:
    """Every benchmark query all ways; with `flame`, a flame graph of the slowest read there too."""
    subjects = Subjects.of(graph.dataset)
    viewers = {"coordinator": CITY_COORDINATOR, "member": subjects.member}
    tokens = {kind: await viewer_token(graph.db, person) for kind, person in viewers.items()}
    results = []
    with ExitStack() as stack:
        ours_url, ours_pid = stack.enter_context(servers.peermap(graph.uri, graph.password))
        theirs_url = stack.enter_context(servers.neo4j_graphql(graph.uri, graph.password))[0] if with_node else None
        async with httpx.AsyncClient(timeout=120) as client:
            queries = benchmark_queries(subjects, today or date.today())
            for query in queries:
                results.append(
                    await _one(
                        graph,
                        client,
                        query,
                        ours_url,
                        theirs_url,
                        tokens[query.viewer],
                        viewers[query.viewer],
                        iterations,
                    )
                )
            if flame is not None:
                slowest_row = max((r for r in results if not r["write"]), key=lambda r: r["peermap_median_ms"])
                slowest = next(q for q in queries if q.name == slowest_row["query"])
                headers = {"authorization": f"Bearer {tokens[slowest.viewer]}"}
                body = {"query": slowest.graphql, "variables": slowest.variables}
                if await flame_graph(client, ours_url, body, headers, ours_pid, flame, seconds=flame_seconds):
                    slowest_row["flame_graph"] = flame.name
    return results


async def _one(
    graph: BenchGraph,
    client: httpx.AsyncClient,
    query: BenchQuery,
    ours_url: str,
    theirs_url: str | None,
    token: str,
    viewer: str,
    iterations: int,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    body = {"query": query.graphql, "variables": query.variables}
    first = (await client.post(f"{ours_url}/graphql", json=body, headers=headers)).json()
    if first.get("errors"):
        raise RuntimeError(f"{query.name}: {first['errors']}")
    if not query.write:  # round trips as every later request makes them (a token's first use is marked once)
        first = (await client.post(f"{ours_url}/graphql", json=body, headers=headers)).json()
    ours_cypher = await _our_cypher(graph.db, query, viewer)
    floor = [(query.floor, query.floor_parameters)] if query.floor else ours_cypher

    async def ours() -> None:
        answer = await client.post(f"{ours_url}/graphql", json=body, headers=headers)
        answer.raise_for_status()

    async def by_hand() -> None:
        for cypher, parameters in floor:
            await graph.driver.execute_query(
                cypher, parameters, database_=DATABASE, routing_="w" if query.write else "r"
            )

    ways = {"peermap": ours, "floor": by_hand}
    row: dict[str, Any] = {
        "query": query.name,
        "members": graph.members,
        "floor_kind": query.floor_kind,
        "write": query.write,
        "round_trips": first.get("extensions", {}).get("cypherQueries"),
        "depth": document_depth(query.graphql),
        "peermap_db_hits": await db_hits(graph.driver, ours_cypher, database=DATABASE),
        "floor_db_hits": await db_hits(graph.driver, floor, database=DATABASE),
    }
    if theirs_url is not None and query.theirs is not None:
        theirs_body = {"query": query.theirs, "variables": query.theirs_variables}
        await client.get(f"{theirs_url}/recorded")  # forget what came before
        answer = (await client.post(f"{theirs_url}/graphql", json=theirs_body)).json()
        if answer.get("errors"):
            raise RuntimeError(f"{query.name} (@neo4j/graphql): {answer['errors']}")
        their_cypher = [(r["query"], r["parameters"]) for r in (await client.get(f"{theirs_url}/recorded")).json()]
        row["neo4j_graphql_db_hits"] = await db_hits(graph.driver, their_cypher, database=DATABASE)
        row["neo4j_graphql_round_trips"] = len([c for c, _ in their_cypher if "dbms.components" not in c])

        async def theirs() -> None:
            (await client.post(f"{theirs_url}/graphql", json=theirs_body)).raise_for_status()

        ways["neo4j_graphql"] = theirs
    timings = await side_by_side(ways, iterations=iterations)
    row.update(
        {f"{way}_{key}": value for way, figures in timings.items() for key, value in figures.items() if key != "runs"}
    )
    row["runs"] = iterations
    row["peermap_vs_floor"] = round(timings["peermap"]["median_ms"] / timings["floor"]["median_ms"], 2)
    if "neo4j_graphql" in timings:
        row["peermap_vs_neo4j_graphql"] = round(
            timings["peermap"]["median_ms"] / timings["neo4j_graphql"]["median_ms"], 2
        )
    return row
