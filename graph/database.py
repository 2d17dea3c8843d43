"""The connection to Neo4j: one `Graph` per process, every statement sent through it counted.

`Graph` holds the driver and the database's name, made once (server/bootstrap.py). Every
read and write in graph/ goes through it, or through the `ViewerGraph` bound to one viewer
(graph/viewer_graph.py). Statements inside a transaction go through `Transaction`, which
counts and, when asked, records each one, so that a request's round trips are all seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, LiteralString, TypeVar, overload

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record

from . import queries
from .model import Page, Viewer

if TYPE_CHECKING:
    from .viewer_graph import ViewerGraph

Result = TypeVar("Result")
Row = dict[str, Any]


@dataclass
class RoundTrips:
    """The Cypher statements sent from one context (a request, a test, a benchmark)."""

    count: int = 0
    claimed: bool = False  # a GraphQL operation has taken it as its own (see take_round_trips)


# Tasks started within a context share its counter.
_round_trips: ContextVar[RoundTrips | None] = ContextVar("round_trips", default=None)


def track_round_trips() -> RoundTrips:
    """Start counting the Cypher statements sent from this context on."""
    counter = RoundTrips()
    _round_trips.set(counter)
    return counter


def take_round_trips() -> RoundTrips:
    """The counter the request started (its sign-in check counted already) for the first operation
    that asks; a fresh one for any other (the next of a batch, each on a WebSocket)."""
    counter = _round_trips.get()
    if counter is None or counter.claimed:
        counter = track_round_trips()
    counter.claimed = True
    return counter


# The Cypher itself, with its parameters, when someone records it (the benchmarks PROFILE it).
_recorded: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar("recorded", default=None)


def record_queries() -> list[tuple[str, dict[str, Any]]]:
    """Start recording the Cypher sent from this context on: (query, parameters) in order."""
    recorded: list[tuple[str, dict[str, Any]]] = []
    _recorded.set(recorded)
    return recorded


# Inside unobserved(): a second answer to the same request, asked only to be compared with the
# first (schema/compiled.py); its queries are not counted or recorded, nor its views logged again.
_unobserved: ContextVar[bool] = ContextVar("unobserved", default=False)


@contextmanager
def unobserved() -> Iterator[None]:
    token = _unobserved.set(True)
    try:
        yield
    finally:
        _unobserved.reset(token)


def is_unobserved() -> bool:
    return _unobserved.get()


def _sent(cypher: str, parameters: dict[str, Any]) -> None:
    if _unobserved.get():
        return
    counter = _round_trips.get()
    if counter is not None:
        counter.count += 1
    recorded = _recorded.get()
    if recorded is not None:
        recorded.append((cypher, dict(parameters)))


First = TypeVar("First")
Second = TypeVar("Second")
Third = TypeVar("Third")


@overload
async def side_by_side(first: Awaitable[First], second: Awaitable[Second], /) -> tuple[First, Second]: ...
@overload
async def side_by_side(
    first: Awaitable[First], second: Awaitable[Second], third: Awaitable[Third], /
) -> tuple[First, Second, Third]: ...
async def side_by_side(*readings: Awaitable[Any]) -> tuple[Any, ...]:
    """Independent readings at once (Neo4j works on them in parallel). The first failure is raised
    as itself, so a refusal or an unavailable Neo4j keeps its meaning (a TaskGroup would wrap it
    in an ExceptionGroup); the readings still running are cancelled and awaited."""
    tasks = [asyncio.ensure_future(reading) for reading in readings]
    try:
        return tuple(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _row(record: Record) -> Row:
    """The record as a dict of its values as the driver gives them. Peermap's queries return plain
    values (maps, lists, numbers, text, dates), never nodes or relationships, so the driver's own
    record.data(), which walks every nested value looking for them, is not needed: on a map of
    10,000 people and 40,000 ties that walk took half the reading."""
    return dict(zip(record.keys(), record, strict=True))


class Transaction:
    """A managed transaction whose every statement is counted (and recorded, when asked)."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, cypher: LiteralString, **parameters: Any) -> list[Row]:
        _sent(cypher, parameters)
        return [_row(record) async for record in await self._tx.run(cypher, parameters)]

    async def single(self, cypher: LiteralString, **parameters: Any) -> Row:
        """The one row the statement returns (an error if it returns none or several)."""
        _sent(cypher, parameters)
        record = await (await self._tx.run(cypher, parameters)).single(strict=True)
        return _row(record)

    async def execute(self, cypher: LiteralString, **parameters: Any) -> None:
        """A statement whose rows nobody reads (bulk writes): consumed, not fetched."""
        _sent(cypher, parameters)
        await (await self._tx.run(cypher, parameters)).consume()


@dataclass(frozen=True)
class Graph:
    """The driver and the database, for work that is nobody's in particular: sign-in checks,
    bulk import and export, public figures, the schema. Bind it to a viewer (`seen_by`) for
    anything that depends on who asks."""

    driver: AsyncDriver = field(repr=False)
    database: str

    def seen_by(self, viewer: Viewer) -> ViewerGraph:
        """The graph as this viewer may know it (one per request: nothing in it outlives the request)."""
        from .viewer_graph import ViewerGraph  # it builds on this class

        return ViewerGraph(driver=self.driver, database=self.database, viewer=viewer)

    async def read(self, cypher: LiteralString, **parameters: Any) -> list[Row]:
        """One read statement, as one round trip, routed to a reader in a cluster."""
        _sent(cypher, parameters)
        records, _, _ = await self.driver.execute_query(cypher, parameters, database_=self.database, routing_="r")
        return [_row(record) for record in records]

    async def read_value(self, cypher: LiteralString, **parameters: Any) -> Any:
        """One read statement whose answer is one value (lists and maps of plain values, taken as the
        driver gives them: a large nested answer is not walked again); None when there is no row."""
        _sent(cypher, parameters)
        records, _, _ = await self.driver.execute_query(cypher, parameters, database_=self.database, routing_="r")
        return records[0][0] if records else None

    async def write(self, cypher: LiteralString, **parameters: Any) -> list[Row]:
        """One write statement in a transaction of its own."""
        return await self.writing(lambda tx: tx.run(cypher, **parameters))

    async def reading(self, work: Callable[[Transaction], Awaitable[Result]]) -> Result:
        """Several reads in one transaction: one consistent snapshot."""
        async with self.driver.session(database=self.database, default_access_mode="READ") as session:
            return await session.execute_read(lambda tx: work(Transaction(tx)))

    async def writing(self, work: Callable[[Transaction], Awaitable[Result]]) -> Result:
        """One change, all of it or none of it: retried by the driver on a transient failure."""
        async with self.driver.session(database=self.database) as session:
            return await session.execute_write(lambda tx: work(Transaction(tx)))

    async def read_page(
        self,
        *,
        page_query: LiteralString,
        count_query: LiteralString,
        convert: Callable[[Row], Any],
        collected: bool = False,
        counted: bool = True,
        **parameters: Any,
    ) -> Page:
        """One page of rows and the total they come from, read in one transaction so they agree.
        Collected: the page query returns them all in one record, as a list called rows. Not
        counted: the total is left unknown (None) and its query not sent."""

        async def work(tx: Transaction) -> Page:
            rows = await tx.run(page_query, **parameters)
            if collected:
                rows = rows[0]["rows"]
            if not counted:
                return Page(items=[convert(row) for row in rows], total=None)
            count = await tx.single(count_query, **parameters)
            return Page(
                items=[convert(row) for row in rows], total=count["count"], located_by_count=count.get("located", [])
            )

        return await self.reading(work)

    async def apply_constraints(self) -> None:
        """Create constraints and indexes if missing, wait for them, record the schema version."""
        for statement in queries.database.CONSTRAINTS:
            await self.write(statement)
        await self.write(queries.database.AWAIT_INDEXES, seconds=300)
        await self.write(queries.database.RECORD_SCHEMA_VERSION, version=queries.database.SCHEMA_VERSION)

    async def schema_version(self) -> int | None:
        rows = await self.read(queries.database.SCHEMA_VERSION_READ)
        return rows[0]["version"] if rows else None

    async def ping(self, *, timeout: float = 3.0) -> bool:
        """Whether Neo4j answers a query within the time limit."""
        try:
            async with asyncio.timeout(timeout):
                rows = await self.read(queries.database.PING)
            return bool(rows[0]["ok"] == 1)
        except Exception:  # any failure to answer means not ready: the caller reports it
            return False

    async def is_empty(self) -> bool:
        return bool((await self.read(queries.database.COUNT_NODES))[0]["count"] == 0)

    async def size(self) -> tuple[int, int]:
        """How many nodes and relationships the graph holds (the schema marker aside)."""
        row = (await self.read(queries.database.GRAPH_SIZE))[0]
        return row["nodes"], row["relationships"]

    async def delete_all(self) -> None:
        """Remove every node but the schema marker, in batches (an auto-commit transaction:
        CALL IN TRANSACTIONS cannot run inside a managed one)."""
        _sent(queries.database.DELETE_ALL, {})
        async with self.driver.session(database=self.database) as session:
            await (await session.run(queries.database.DELETE_ALL)).consume()


def open_driver(uri: str, *, user: str, password: str, retry_seconds: float = 5.0) -> AsyncDriver:
    """An async driver for bolt:// or neo4j:// (routing) URIs; nothing is sent until first use.
    A transaction that fails for a passing reason is retried for retry_seconds: long enough for a
    cluster to elect a leader, short enough to fail fast."""
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=retry_seconds,
        notifications_min_severity="OFF",  # hints such as "property not used yet" are not errors
    )
