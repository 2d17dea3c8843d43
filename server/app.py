"""The Starlette application: account pages, maps, /health, /ready and /graphql over one graph per process.

`create_app()` with no arguments reads the settings from the environment, so that
`uvicorn --factory peermap.server.app:create_app` serves it as `peermap serve` does.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, cast

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from ..graph.accounts import SESSION_DAYS
from ..graph.database import Graph
from ..maps import words as maps_words
from ..schema import ApiPolicy, Context, CostBudget, ReadPath, schema
from ..schema.events import InProcessBus
from ..schema.subscription import SIGNED_OUT
from . import (
    bid_pages,
    campaign_pages,
    coproduction_pages,
    i18n,
    lifecycle_pages,
    mail,
    map_pages,
    meeting_pages,
    member_pages,
    pages,
    staff_pages,
    survey_pages,
    time_pages,
)
from .auth import (
    ACT_FOR_HEADER,
    SESSION_COOKIE,
    Authentication,
    Refused,
    SameSiteOnly,
    SignInLimiter,
    Visitor,
    client_address,
    identify,
    unavailable_as_refusal,
    visitor,
)
from .bootstrap import open_graph
from .i18n import ChooseLanguage
from .ide import ASSETS_PATH, SCRIPT_PATH, WithIDE
from .ide import assets as ide_assets
from .ide import script as ide_script
from .page_api import context_for
from .protocol import GraphQLOverHTTP
from .security import SecurityHeaders
from .settings import Settings, load_settings

# Work to do on the graph before the app takes requests (`peermap serve` seeds the demo there).
Prepare = Callable[[Graph], Awaitable[None]]


@dataclass
class _SocketContext(Context):
    """A WebSocket's context: the connection itself, and who opened it, for on_ws_connect."""

    websocket: WebSocket | None = None
    visitor: Visitor | None = None


class _GraphQL(GraphQL):
    def encode_json(self, data: object) -> str:
        # A page of people with their skills is some 50 kB of JSON: orjson writes it in a
        # fraction of the standard library's time. Text, not bytes: Strawberry sends bytes over
        # a WebSocket as binary frames, and graphql-ws clients read text frames only.
        return orjson.dumps(data).decode()

    async def get_context(self, request: HTTPConnection, response: Any) -> Context:  # type: ignore[override]
        context = context_for(request, _SocketContext, visitor=visitor(request))
        assert isinstance(context, _SocketContext)
        if isinstance(request, WebSocket):
            context.websocket, context.end_connection = request, partial(_end, request)
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:  # type: ignore[override]
        """A token in connection_init's payload ({"authorization": "Bearer ..."}, as browsers and the
        graphql-ws client send it) signs the connection in; then the connection is watched, and ends
        when its token or session does."""
        assert isinstance(context, _SocketContext) and context.websocket and context.visitor
        websocket, user, state = context.websocket, context.visitor, context.websocket.state
        params = context.connection_params or {}
        authorization = params.get("authorization", params.get("Authorization"))
        if authorization is not None:
            if user.has_credential:  # one identity per connection
                raise ConnectionRejectionError()
            act_for = params.get(ACT_FOR_HEADER)
            try:
                user = await unavailable_as_refusal(
                    identify(
                        state.graph,
                        authorization=str(authorization),
                        act_for=str(act_for) if act_for is not None else None,
                        address=client_address(websocket),
                    )
                )
            except Refused:
                raise ConnectionRejectionError() from None
            context.graph = state.graph.seen_by(user.viewer)
            context.client = user.client
            context.still_signed_in = partial(user.still_valid, state.graph)
            context.refresh()
        if user.has_credential:
            watching = asyncio.create_task(_watch(websocket, context, state.settings.ws_recheck_seconds))
            _watchers.add(watching)
            watching.add_done_callback(_watchers.discard)
        return cast(UnsetType, UNSET)


_watchers: set[asyncio.Task[None]] = set()  # kept, so that a running watcher is not collected


def _open(websocket: WebSocket) -> bool:
    return websocket.application_state != WebSocketState.DISCONNECTED


async def _watch(websocket: WebSocket, context: Context, every: float) -> None:
    """Ends the connection once its token or session no longer holds (revoked, signed out), even
    when no event comes to ask; a database that does not answer just now is asked again later."""
    while _open(websocket):
        await asyncio.sleep(every)
        if not _open(websocket):
            return
        try:
            valid = await context.still_signed_in()
        except Exception:  # Neo4j not answering: not a reason to end anyone's connection
            continue
        if not valid:
            await context.end_connection(SIGNED_OUT, "Signed out")
            return


async def _end(websocket: WebSocket, code: int, reason: str) -> None:
    if _open(websocket):
        with suppress(RuntimeError):  # closed meanwhile from the other side
            await websocket.close(code=code, reason=reason)


async def health(request: Request) -> JSONResponse:
    """The process is up; says nothing of Neo4j."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    """Neo4j answers: the service can do its work."""
    if await request.state.graph.ping():
        return JSONResponse({"status": "ready", "neo4j": "up"})
    return JSONResponse({"status": "unready", "neo4j": "down"}, status_code=503)


def create_app(settings: Settings | None = None, *, prepare: Prepare | None = None) -> Starlette:
    """The app for these settings (by default, the environment's). On start it opens the graph
    (starting the local Neo4j when no NEO4J_URI is set), then runs `prepare` on it."""
    settings = settings or load_settings()
    maps_words.speak(i18n.gettext, i18n.ngettext, i18n.current)  # the maps in the page's language
    policy = ApiPolicy(
        max_cost=settings.max_query_cost,
        budget_per_hour=settings.cost_budget,
        introspection=settings.introspection,
        suggestions=not settings.production,
        reads=ReadPath(settings.reads),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        async with open_graph(settings, must_answer=prepare is not None) as graph:
            if prepare is not None:
                await prepare(graph)
            # People's news by email, when a mail server is set (server/mail.py).
            mailing = (
                asyncio.create_task(
                    mail.keep_sending(
                        graph, settings.smtp, settings.mail_seconds, timedelta(seconds=settings.digest_seconds)
                    )
                )
                if settings.smtp
                else None
            )
            try:
                yield {
                    "graph": graph,
                    "settings": settings,
                    "events": InProcessBus(),
                    "policy": policy,
                    "budget": CostBudget(settings.cost_budget),
                    "sign_in_limiter": SignInLimiter(),
                }
            finally:
                if mailing:
                    mailing.cancel()
                    with suppress(asyncio.CancelledError):
                        await mailing

    graphql = _GraphQL(schema, graphql_ide=None)  # our own, offline (server/ide.py)
    endpoint = GraphQLOverHTTP(
        SameSiteOnly(graphql), max_body_bytes=settings.max_body_bytes, timeout_seconds=settings.request_timeout
    )
    middleware = [
        Middleware(
            SecurityHeaders,
            https=settings.https,
            image_origins=(settings.map_tiles.origin,) if settings.map_tiles else (),
        ),
        Middleware(ChooseLanguage),
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
            Route("/", pages.home),
            Route("/requests", pages.answer_request, methods=["POST"]),
            Route("/find", member_pages.find),
            Route("/connect", member_pages.connect, methods=["GET"]),
            Route("/connect", member_pages.ask_to_connect, methods=["POST"]),
            Route("/people", member_pages.my_people),
            Route("/people/met", member_pages.we_met, methods=["POST"]),
            Route("/me", member_pages.me, methods=["GET"]),
            Route("/me", member_pages.change_me, methods=["POST"]),
            Route("/me/erase", member_pages.erase_me, methods=["POST"]),
            Route("/support", staff_pages.support),
            Route("/network", staff_pages.network_health),
            Route("/act-for", staff_pages.act_for, methods=["POST"]),
            Route("/act-for/stop", staff_pages.stop_acting, methods=["POST"]),
            Route("/person/roles", staff_pages.roles, methods=["GET"]),
            Route("/person/roles", staff_pages.changed_roles, methods=["POST"]),
            Route("/people/add", staff_pages.add_person, methods=["GET"]),
            Route("/people/add", staff_pages.added_person, methods=["POST"]),
            Route("/campaigns", campaign_pages.campaigns),
            Route("/campaign", campaign_pages.campaign),
            Route("/campaign/plan", campaign_pages.plan),
            Route("/campaign/new", campaign_pages.new, methods=["GET"]),
            Route("/campaign/new", campaign_pages.proposed, methods=["POST"]),
            Route("/campaign/edit", campaign_pages.edit, methods=["GET"]),
            Route("/campaign/edit", campaign_pages.edited, methods=["POST"]),
            Route("/campaign/taking-part", campaign_pages.take_part, methods=["POST"]),
            Route("/campaign/contribute", coproduction_pages.contribute, methods=["POST"]),
            Route("/campaign/record", coproduction_pages.record_input, methods=["POST"]),
            Route("/campaign/withdraw", coproduction_pages.withdraw, methods=["POST"]),
            Route("/campaign/position", coproduction_pages.position, methods=["POST"]),
            Route("/campaign/decide", coproduction_pages.decide, methods=["POST"]),
            Route("/campaign/outcome", coproduction_pages.add_outcome, methods=["POST"]),
            Route("/campaign/outcome/move", coproduction_pages.move_outcome, methods=["POST"]),
            Route("/campaign/meeting", meeting_pages.plan, methods=["POST"]),
            Route("/campaign/attend", meeting_pages.attend, methods=["POST"]),
            Route("/campaign/survey", survey_pages.make, methods=["POST"]),
            Route("/campaign/survey/answer", survey_pages.answer, methods=["POST"]),
            Route("/campaign/survey/close", survey_pages.close, methods=["POST"]),
            Route("/campaign/bid", bid_pages.apply, methods=["POST"]),
            Route("/campaign/bid/move", bid_pages.move, methods=["POST"]),
            Route("/campaign/bid/write-too", bid_pages.write_too, methods=["POST"]),
            Route("/campaign/credit-hours", time_pages.credit_hours, methods=["POST"]),
            Route("/campaign/move", lifecycle_pages.move, methods=["POST"]),
            Route("/campaign/sign-off", lifecycle_pages.sign_off, methods=["POST"]),
            Route("/campaign/complete", lifecycle_pages.complete, methods=["POST"]),
            Route("/campaign/next-area", lifecycle_pages.next_area, methods=["POST"]),
            Route("/campaign/choose-next", lifecycle_pages.choose_next, methods=["POST"]),
            Route("/news", coproduction_pages.news),
            Route("/news/email", coproduction_pages.news_by, methods=["POST"]),
            Route("/time", time_pages.time_page),
            Route("/time/thank", time_pages.thank, methods=["POST"]),
            Route("/time/answer", time_pages.answer, methods=["POST"]),
            Route("/time/pot", time_pages.give_to_pot, methods=["POST"]),
            Route("/news/read", coproduction_pages.read, methods=["POST"]),
            Route("/language", pages.choose_language),
            Route("/help", pages.help_page),
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
