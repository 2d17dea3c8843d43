"""Who a request comes from: an API token, or a browser's signed session cookie.

`Authentication` (Starlette's middleware with our one backend) works out the viewer once per
request or WebSocket, for every route, as `request.user`; it refuses a bad token with 401.
`SameSiteOnly` refuses a cookie-signed change to /graphql from another site with 403 (CSRF).
Sign-in attempts are limited per email and per address, and every failure reads the same.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLError
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from neo4j.exceptions import DriverError, Neo4jError
from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, BaseUser
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..graph import accounts
from ..graph.database import Graph, track_round_trips
from ..graph.model import Viewer
from ..schema.ids import parse_global_id
from .i18n import N_

SESSION_COOKIE = "peermap_session"
ACT_FOR_HEADER = "x-peermap-act-for"  # a supporter acting for a person: that person's global id
# The pages' way to the same: the person's global id and name, kept in the session while it lasts.
ACTING_FOR = "acting_for"

# Failed sign-ins: per email (guessing one person's password) and per address (trying many people).
PER_EMAIL = RateLimitItemPerMinute(5, 15)
PER_ADDRESS = RateLimitItemPerMinute(20, 15)
SIGN_IN_FAILED = N_(
    "That email and password do not match an account, or it is locked for a while after failed attempts."
)


class SignInLimiter:
    """In this process's memory, like the query budgets: see schema/cost.py for many processes."""

    def __init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def allowed(self, email: str, address: str) -> bool:
        return await self.limiter.test(PER_EMAIL, "email", email.strip().lower()) and await self.limiter.test(
            PER_ADDRESS, "address", address
        )

    async def failed(self, email: str, address: str) -> None:
        await self.limiter.hit(PER_EMAIL, "email", email.strip().lower())
        await self.limiter.hit(PER_ADDRESS, "address", address)


def client_address(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"


async def start_session(connection: HTTPConnection, graph: Graph, person_id: str, epoch: int) -> None:
    """A fresh session, known on the server too (so signing out ends it there), with a new CSRF
    token, so that nothing from before signing in carries over."""
    secret = await accounts.start_session(graph, person_id)
    connection.session.clear()
    connection.session.update(
        {"person": person_id, "epoch": epoch, "session": secret, "csrf": secrets.token_urlsafe(24)}
    )


async def end_session(connection: HTTPConnection, graph: Graph) -> None:
    secret = connection.session.get("session")
    if secret:
        await accounts.end_session(graph, str(secret))
    connection.session.clear()


def csrf_token(connection: HTTPConnection) -> str:
    """The session's token for forms (made on first use)."""
    if "csrf" not in connection.session:
        connection.session["csrf"] = secrets.token_urlsafe(24)
    return str(connection.session["csrf"])


def csrf_ok(connection: HTTPConnection, given: str | None) -> bool:
    expected = connection.session.get("csrf")
    return bool(expected) and given is not None and secrets.compare_digest(str(expected), given)


def same_origin(connection: HTTPConnection, allowed: tuple[str, ...]) -> bool:
    """The browser says the request comes from this site (or an allowed one): Origin, else
    Sec-Fetch-Site (sent where Origin is not, on a same-site GET; no page can set it), else Referer."""
    origin = connection.headers.get("origin")
    if origin is None and connection.headers.get("sec-fetch-site") == "same-origin":
        return True
    source = origin or connection.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.netloc == connection.headers.get("host") or f"{parts.scheme}://{parts.netloc}" in allowed


class Refused(AuthenticationError):
    """The request says who it is from, and that does not hold: a bad token, a foreign site, no database."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Visitor(BaseUser):
    """`request.user`: the viewer graph/ answers for, and whose query budget the request spends.
    `still_valid` asks again whether what signed them in still holds (a WebSocket lives long)."""

    def __init__(
        self,
        viewer: Viewer,
        client: str,
        *,
        by_cookie: bool = False,
        still_valid: Callable[[Graph], Awaitable[bool]] | None = None,
    ) -> None:
        self.viewer, self.client, self.by_cookie = viewer, client, by_cookie
        self._still_valid = still_valid

    async def still_valid(self, graph: Graph) -> bool:
        return self._still_valid is None or await self._still_valid(graph)

    @property
    def has_credential(self) -> bool:
        return self._still_valid is not None

    @property
    def is_authenticated(self) -> bool:
        return self.viewer.signed_in

    @property
    def display_name(self) -> str:
        return self.viewer.person_id or ""

    @property
    def identity(self) -> str:
        return self.viewer.person_id or ""


class PeermapAuth(AuthenticationBackend):
    """One way in for every route: an API token (Authorization: Bearer) or the signed session cookie,
    and a supporter's X-Peermap-Act-For on top of either."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        if conn.scope["type"] == "http":
            track_round_trips()  # the sign-in check is the request's first statement
        visitor = await unavailable_as_refusal(
            identify(
                conn.state.graph,
                authorization=conn.headers.get("authorization"),
                act_for=conn.headers.get(ACT_FOR_HEADER),
                address=client_address(conn),
                session=conn.session if "session" in conn.scope else None,
            )
        )
        return AuthCredentials(["authenticated"] if visitor.is_authenticated else []), visitor


async def unavailable_as_refusal(identifying: Awaitable[Visitor]) -> Visitor:
    try:
        return await identifying
    except (DriverError, Neo4jError, ConnectionError, TimeoutError):
        raise Refused(
            503, "SERVICE_UNAVAILABLE", "The database is not answering just now; try again shortly."
        ) from None


async def identify(
    graph: Graph,
    *,
    authorization: str | None,
    act_for: str | None,
    address: str,
    session: dict[str, Any] | None = None,
) -> Visitor:
    """Who this is: from a token (the Authorization header, or a WebSocket's connection_init), else
    the session cookie; then, for a supporter, whom they act for."""
    if authorization is not None:
        scheme, _, code = authorization.partition(" ")
        owner = await accounts.person_for_token(graph, code) if scheme.lower() == "bearer" else None
        if owner is None:
            raise Refused(401, "UNAUTHENTICATED", "The API token is not valid (revoked, mistyped or not a token).")
        person_id, client, by_cookie = owner[0], f"token:{owner[1]}", False

        async def signed_in(graph: Graph) -> bool:
            again = await accounts.person_for_token(graph, code)
            return again is not None and again[0] == person_id

    elif session is not None and "person" in session:
        person_id = str(session["person"])
        epoch, secret = int(session.get("epoch", -1)), str(session.get("session", ""))
        if not await accounts.session_is_current(graph, person_id, epoch, secret):
            session.clear()
            return Visitor(Viewer.anonymous(), f"address:{address}")
        client, by_cookie = f"person:{person_id}", True

        async def signed_in(graph: Graph) -> bool:
            return await accounts.session_is_current(graph, person_id, epoch, secret)

    else:
        return Visitor(Viewer.anonymous(), f"address:{address}")

    chosen_on_a_page = act_for is None and by_cookie and session is not None and ACTING_FOR in session
    if chosen_on_a_page:
        assert session is not None
        act_for = str(session[ACTING_FOR]["id"])
    if act_for is None:
        return Visitor(Viewer(person_id), client, by_cookie=by_cookie, still_valid=signed_in)
    try:
        kind, person = parse_global_id(act_for, ACT_FOR_HEADER)
    except GraphQLError:
        kind, person = "", ""
    if kind != "Person" or not await accounts.may_act_for(graph, person_id, person):
        if chosen_on_a_page:  # the person has taken the permission back meanwhile: the pages are yours again
            assert session is not None
            session.pop(ACTING_FOR, None)
            return Visitor(Viewer(person_id), client, by_cookie=by_cookie, still_valid=signed_in)
        raise Refused(403, "FORBIDDEN", "You may act only for a person you support who asked you to.")

    async def acting(graph: Graph) -> bool:
        return await signed_in(graph) and await accounts.may_act_for(graph, person_id, person)

    return Visitor(Viewer(person, actor_id=person_id), client, by_cookie=by_cookie, still_valid=acting)


def refusal_response(connection: HTTPConnection, error: Exception) -> Response:
    refused = error if isinstance(error, Refused) else Refused(400, "BAD_REQUEST", str(error))
    headers = {"www-authenticate": 'Bearer realm="peermap"'} if refused.status == 401 else None
    return JSONResponse(
        {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]},
        status_code=refused.status,
        headers=headers,
    )


class Authentication(AuthenticationMiddleware):
    """Starlette's, but a refused WebSocket is told why: close code 4000 + the HTTP status, and the code."""

    def __init__(self, app: ASGIApp) -> None:
        self.peermap_auth = PeermapAuth()
        super().__init__(app, backend=self.peermap_auth, on_error=refusal_response)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await super().__call__(scope, receive, send)
            return
        try:
            scope["auth"], scope["user"] = await self.peermap_auth.authenticate(HTTPConnection(scope))
        except Refused as refused:
            await receive()  # the connect message
            await send({"type": "websocket.close", "code": 4000 + refused.status, "reason": refused.code})
            return
        await self.app(scope, receive, send)


def visitor(connection: HTTPConnection) -> Visitor:
    user = connection.user
    assert isinstance(user, Visitor), "the Authentication middleware runs before every route"
    return user


class SameSiteOnly:
    """Wraps /graphql: a request signed with a browser's session cookie must come from this site's own
    pages, so another site cannot ride on the cookie (403 CSRF). GETs too: a query writes the audit log
    of what it showed and spends the budget. Tokens are not sent by browsers on their own, so they need
    no such check."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = HTTPConnection(scope)
        preflight = scope.get("method") == "OPTIONS"  # CORS asks first, with no cookie
        if (
            not preflight
            and visitor(connection).by_cookie
            and not same_origin(connection, connection.state.settings.cors_origins)
        ):
            if scope["type"] == "websocket":
                await receive()
                await send({"type": "websocket.close", "code": 4403, "reason": "CSRF"})
                return
            refused = Refused(403, "CSRF", "Signed-in requests from a browser must come from this site.")
            await refusal_response(connection, refused)(scope, receive, send)
            return
        await self.app(scope, receive, send)
