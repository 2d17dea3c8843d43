"""The driver's lifecycle and the database's own schema: constraints, indexes, version."""

from __future__ import annotations

import asyncio

from neo4j import AsyncDriver, AsyncGraphDatabase

from . import queries


def open_driver(uri: str, *, user: str, password: str) -> AsyncDriver:
    """An async driver for bolt:// or neo4j:// (routing) URIs; nothing is sent until first use."""
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=15.0,
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


async def delete_all(driver: AsyncDriver, *, database: str) -> None:
    """Remove every node but the schema marker, in batches (an auto-commit transaction)."""
    async with driver.session(database=database) as session:
        result = await session.run(queries.DELETE_ALL)
        await result.consume()
