"""The driver's lifecycle and the database's own schema: constraints, indexes, version."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any, Callable

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction

from . import queries
from .model import Page


# Cypher round trips made in the current context, when someone is counting (a GraphQL
# request, a test, a benchmark); tasks started within the context share the same counter.
_round_trips: ContextVar[list[int] | None] = ContextVar("round_trips", default=None)


def track_round_trips() -> list[int]:
    """Start counting the Cypher queries sent from this context on; read the count at [0]."""
    counter = [0]
    _round_trips.set(counter)
    return counter


# The Cypher itself, with its parameters, when someone records it (the benchmarks PROFILE it).
_recorded: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar("recorded", default=None)


def record_queries() -> list[tuple[str, dict[str, Any]]]:
    """Start recording the Cypher sent from this context on: (query, parameters) in order."""
    recorded: list[tuple[str, dict[str, Any]]] = []
    _recorded.set(recorded)
    return recorded


def count_round_trip(cypher: str | None = None, parameters: dict[str, Any] | None = None) -> None:
    counter = _round_trips.get()
    if counter is not None:
        counter[0] += 1
    recorded = _recorded.get()
    if recorded is not None and cypher is not None:
        recorded.append((cypher, dict(parameters or {})))


async def read(driver: AsyncDriver, cypher: str, *, database: str, **parameters: Any) -> list[dict[str, Any]]:
    """One read query, as one round trip, routed to a reader in a cluster."""
    count_round_trip(cypher, parameters)
    records, _, _ = await driver.execute_query(cypher, parameters, database_=database, routing_="r")
    return [record.data() for record in records]


def open_driver(uri: str, *, user: str, password: str) -> AsyncDriver:
    """An async driver for bolt:// or neo4j:// (routing) URIs; nothing is sent until first use."""
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=5.0,  # long enough for a cluster to elect a leader, short enough to fail fast
        notifications_min_severity="OFF",  # hints such as "property not used yet" are not errors
    )


async def apply_constraints(driver: AsyncDriver, *, database: str) -> None:
    """Create constraints and indexes if missing, wait for them, record the schema version."""
    for statement in queries.CONSTRAINTS:
        await driver.execute_query(statement, database_=database)
    await driver.execute_query(queries.AWAIT_INDEXES, seconds=300, database_=database)
    await driver.execute_query(
        queries.RECORD_SCHEMA_VERSION, version=queries.SCHEMA_VERSION, database_=database)


async def schema_version(driver: AsyncDriver, *, database: str) -> int | None:
    records, _, _ = await driver.execute_query(
        queries.SCHEMA_VERSION_READ,
        database_=database, routing_="r")
    return records[0]["version"] if records else None


async def ping(driver: AsyncDriver, *, database: str, timeout: float = 3.0) -> bool:
    """Whether Neo4j answers a query within the time limit."""
    try:
        async with asyncio.timeout(timeout):
            records, _, _ = await driver.execute_query(queries.PING, database_=database, routing_="r")
        return records[0]["ok"] == 1
    except Exception:  # any failure to answer means not ready: the caller reports it
        return False


async def is_empty(driver: AsyncDriver, *, database: str) -> bool:
    records, _, _ = await driver.execute_query(queries.COUNT_NODES, database_=database, routing_="r")
    return records[0]["count"] == 0


async def graph_size(driver: AsyncDriver, *, database: str) -> tuple[int, int]:
    """How many nodes and relationships the graph holds (the schema marker aside)."""
    records, _, _ = await driver.execute_query(queries.GRAPH_SIZE, database_=database, routing_="r")
    return records[0]["nodes"], records[0]["relationships"]


async def delete_all(driver: AsyncDriver, *, database: str) -> None:
    """Remove every node but the schema marker, in batches (an auto-commit transaction)."""
    async with driver.session(database=database) as session:
        result = await session.run(queries.DELETE_ALL)
        await result.consume()


async def read_page(driver: AsyncDriver, *, database: str, page_query: str, count_query: str,
                    convert: Callable[[dict[str, Any]], Any], collected: bool = False, counted: bool = True,
                    **parameters: Any) -> Page:
    """One page of rows and the total they come from, read in one transaction so they agree.
    Collected: the page query returns them all in one record, as a list called rows. Not
    counted: the total is left unknown (None) and its query not sent."""

    async def work(tx: AsyncManagedTransaction) -> Page:
        count_round_trip(page_query, parameters)
        rows = await (await tx.run(page_query, **parameters)).data()
        if collected:
            rows = rows[0]["rows"]
        total = None
        if counted:
            count_round_trip(count_query, parameters)
            total = (await (await tx.run(count_query, **parameters)).single(strict=True))["count"]
        return Page(items=[convert(row) for row in rows], total=total)

    async with driver.session(database=database, default_access_mode="READ") as session:
        return await session.execute_read(work)
