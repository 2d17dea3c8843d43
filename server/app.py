"""The Starlette application: account pages, maps, /health, /ready and /graphql over one graph per process.

`create_app()` with no arguments reads the settings from the environment, so that
`uvicorn --factory peermap.server.app:create_app` serves it as `peermap serve` does.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Mount, Route, WebSocketRoute
from strawberry.asgi import GraphQL

from ..graph.accounts import SESSION_DAYS
from ..graph.database import Graph
from ..schema import ApiPolicy, Context, CostBudget, schema
from ..schema.events import InProcessBus
from . import map_pages, pages
from .auth import SESSION_COOKIE, Authentication, SameSiteOnly, SignInLimiter, visitor
from .bootstrap import open_graph
from .ide import ASSETS_PATH, SCRIPT_PATH, WithIDE
from .ide import assets as ide_assets
from .ide import script as ide_script
from .protocol import GraphQLOverHTTP
from .security import SecurityHeaders
from .settings import Settings, load_settings

# Work to do on the graph before the app takes requests (`peermap serve` seeds the demo there).
Prepare = Callable[[Graph], Awaitable[None]]


class _GraphQL(GraphQL):
    async def get_context(self, request: HTTPConnection, response: Any) -> Context:  # type: ignore[override]
        state, user = request.state, visitor(request)
        return Context(
            graph=state.graph.seen_by(user.viewer),
            events=state.events,
            policy=state.policy,
            budget=state.budget,
            client=user.client,
        )


async def health(request: Request) -> JSONResponse:
    """The process is up; says nothing of Neo4j."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    """Neo4j answers: the service can do its work."""
    if await request.state.graph.ping():
        return JSONResponse({"status": "ready", "neo4j": "up"})
    return JSONResponse({"status": "unready", "neo4j": "down"}, status_code=503)


async def home(request: Request) -> RedirectResponse:
    return RedirectResponse("/account", status_code=303)


def create_app(settings: Settings | None = None, *, prepare: Prepare | None = None) -> Starlette:
    """The app for these settings (by default, the environment's). On start it opens the graph
    (starting the local Neo4j when no NEO4J_URI is set), then runs `prepare` on it."""
    settings = settings or load_settings()
    policy = ApiPolicy(
        max_cost=settings.max_query_cost,
        budget_per_hour=settings.cost_budget,
        introspection=settings.introspection,
        suggestions=not settings.production,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        async with open_graph(settings, must_answer=prepare is not None) as graph:
            if prepare is not None:
                await prepare(graph)
            yield {
                "graph": graph,
                "settings": settings,
                "events": InProcessBus(),
                "policy": policy,
                "budget": CostBudget(settings.cost_budget),
                "sign_in_limiter": SignInLimiter(),
            }

    graphql = _GraphQL(schema, graphql_ide=None)  # our own, offline (server/ide.py)
    endpoint = GraphQLOverHTTP(
        SameSiteOnly(graphql), max_body_bytes=settings.max_body_bytes, timeout_seconds=settings.request_timeout
    )
    middleware = [
        Middleware(SecurityHeaders, https=settings.https),
        # Without a configured key (development), sessions last until the server restarts.
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key or secrets.token_urlsafe(48),
            session_cookie=SESSION_COOKIE,
            max_age=int(timedelta(days=SESSION_DAYS).total_seconds()),
            same_site="lax",
            https_only=settings.https,
        ),
        Middleware(Authentication),
    ]
    if settings.cors_origins:
        # For GraphQL clients on other sites, with tokens: cookies are never sent cross-site.
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_credentials=False,
                allow_headers=["authorization", "content-type", "accept", "x-peermap-act-for"],
                max_age=600,
            ),
        )
    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/ready", ready),
            Route("/signin", pages.sign_in, methods=["GET", "POST"]),
            Route("/signout", pages.sign_out, methods=["POST"]),
            Route("/invitation", pages.invitation, methods=["GET", "POST"]),
            Route("/account", pages.account),
            Route("/account/data.json", pages.my_data),
            Route("/pages.css", pages.style),
            *map_pages.routes(settings.cache_dir),
            Route("/graphql", WithIDE(endpoint, enabled=settings.ide), methods=["GET", "POST"]),
            Route(SCRIPT_PATH, ide_script),
            Mount(ASSETS_PATH, ide_assets(), name="ide-assets"),
            WebSocketRoute("/graphql", SameSiteOnly(graphql)),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
