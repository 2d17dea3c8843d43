"""The one place that wires settings to a Neo4j: the local one, or the one NEO4J_URI names."""

from __future__ import annotations

from typing import Callable

from neo4j import AsyncDriver

from ..graph.database import apply_constraints, open_driver
from ..graph.runtime import LocalNeo4j
from .settings import Settings


def local_neo4j(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        data_dir=settings.data_dir, cache_dir=settings.cache_dir, bolt_port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap, page_cache=settings.neo4j_page_cache,
    )


def neo4j_address(settings: Settings, *, start: bool, say: Callable[[str], None] = print) -> tuple[str, str]:
    """The URI and password to use; with no NEO4J_URI, the local Neo4j (started if asked)."""
    if settings.neo4j_uri is not None:
        return settings.neo4j_uri, settings.neo4j_password or ""
    runtime = local_neo4j(settings)
    if start and not runtime.is_running():
        return runtime.uri, runtime.start(password=settings.neo4j_password, say=say)
    return runtime.uri, runtime.password(settings.neo4j_password)


async def connect(settings: Settings, *, start: bool = True, say: Callable[[str], None] = print) -> AsyncDriver:
    """A driver to a ready database with Peermap's constraints and indexes in place."""
    uri, password = neo4j_address(settings, start=start, say=say)
    driver = open_driver(uri, user=settings.neo4j_user, password=password)
    try:
        await driver.verify_connectivity()
        await apply_constraints(driver, database=settings.neo4j_database)
    except BaseException:
        await driver.close()
        raise
    return driver
