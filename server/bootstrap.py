"""The one place that wires settings to a Neo4j (the local one, or the one NEO4J_URI names) and
opens the graph, for the app and the CLI alike."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from neo4j.exceptions import DriverError, Neo4jError

from ..graph.database import Graph, open_driver
from ..graph.runtime import LocalNeo4j
from .settings import Settings

log = logging.getLogger("peermap")


def local_neo4j(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        data_dir=settings.data_dir,
        cache_dir=settings.cache_dir,
        bolt_port=settings.neo4j_bolt_port,
        heap=settings.neo4j_heap,
        page_cache=settings.neo4j_page_cache,
    )


def neo4j_address(settings: Settings, *, start: bool, say: Callable[[str], None] = print) -> tuple[str, str]:
    """The URI and password to use; with no NEO4J_URI, the local Neo4j (started if asked)."""
    if settings.neo4j_uri is not None:
        return settings.neo4j_uri, settings.neo4j_password or ""
    runtime = local_neo4j(settings)
    if start and not runtime.is_running():
        return runtime.uri, runtime.start(password=settings.neo4j_password, say=say)
    return runtime.uri, runtime.password(settings.neo4j_password)


@asynccontextmanager
async def open_graph(
    settings: Settings, *, start: bool = True, must_answer: bool = True, say: Callable[[str], None] = print
) -> AsyncIterator[Graph]:
    """The graph, with Peermap's constraints and indexes in place; closed on leaving. With no
    NEO4J_URI, the local Neo4j is started first unless told not to.

    A command needs the database now (`must_answer`); a server does not: it starts anyway,
    says so in the log, and answers 503 on /ready and SERVICE_UNAVAILABLE until Neo4j is back
    (the driver reconnects by itself)."""
    uri, password = neo4j_address(settings, start=start, say=say)
    driver = open_driver(uri, user=settings.neo4j_user, password=password, retry_seconds=settings.neo4j_retry_seconds)
    graph = Graph(driver=driver, database=settings.neo4j_database)
    try:
        try:
            await driver.verify_connectivity()
            await graph.apply_constraints()
        except (DriverError, Neo4jError, OSError) as problem:
            if must_answer:
                raise
            log.warning("Neo4j at %s is not answering (%s): starting without it", uri, problem)
        yield graph
    finally:
        await driver.close()
