"""The Starlette application: /health, /ready and /graphql over one driver per process."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from strawberry.asgi import GraphQL

from ..graph.database import open_driver, ping
from ..graph.model import Viewer
from ..schema import Context, schema
from ..schema.events import InProcessBus
from .bootstrap import neo4j_address
from .ide import ASSETS_PATH, WithIDE
from .ide import assets as ide_assets
from .protocol import GraphQLOverHTTP
from .settings import Settings


class _GraphQL(GraphQL):
    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        state = request.state
        return Context(driver=state.driver, database=state.settings.neo4j_database,
                       viewer=Viewer(state.settings.viewer), events=state.events)


async def health(request: Request) -> JSONResponse:
    """The process is up; says nothing of Neo4j."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    """Neo4j answers: the service can do its work."""
    settings: Settings = request.state.settings
    if await ping(request.state.driver, database=settings.neo4j_database):
        return JSONResponse({"status": "ready", "neo4j": "up"})
    return JSONResponse({"status": "unready", "neo4j": "down"}, status_code=503)


def create_app(settings: Settings) -> Starlette:
    """The app for these settings. It connects to Neo4j but never starts one: see `peermap serve`."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        uri, password = neo4j_address(settings, start=False)
        driver = open_driver(uri, user=settings.neo4j_user, password=password)
        try:
            yield {"driver": driver, "settings": settings, "events": InProcessBus()}
        finally:
            await driver.close()

    graphql = _GraphQL(schema, graphql_ide=None)  # our own, offline (server/ide.py)
    return Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", WithIDE(GraphQLOverHTTP(graphql, max_body_bytes=settings.max_body_bytes,
                                                      timeout_seconds=settings.request_timeout)),
                  methods=["GET", "POST"]),
            Mount(ASSETS_PATH, ide_assets(), name="ide-assets"),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
