"""Who a request comes from: an API token, or a browser's signed session cookie.

`Authenticated` wraps /graphql: it works out the viewer once per request (or WebSocket) and
refuses a bad token with 401, and a cookie-signed request from another site with 403 (CSRF).
Sign-in attempts are limited per email and per address, and every failure reads the same.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from graphql import GraphQLError
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, Neo4jError
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from ..graph import accounts
from ..graph.model import Viewer

from ..schema.types import parse_global_id
from .settings import Settings

SESSION_COOKIE = "peermap_session"
SESSION_DAYS = 14
ACT_FOR_HEADER = "x-peermap-act-for"  # a supporter acting for a person: that person's global id
VIEWER_KEY, CLIENT_KEY = "peermap.viewer", "peermap.client"

# Failed sign-ins: per email (guessing one person's password) and per address (trying many people).
PER_EMAIL = RateLimitItemPerMinute(5, 15)
PER_ADDRESS = RateLimitItemPerMinute(20, 15)
SIGN_IN_FAILED = "That email and password do not match an account, or it is locked for a while after failed attempts."


class SignInLimiter:
    """In this process's memory, like the query budgets: see schema/cost.py for many processes."""

    def __init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def allowed(self, email: str, address: str) -> bool:
        return (await self.limiter.test(PER_EMAIL, "email", email.strip().lower())
                and await self.limiter.test(PER_ADDRESS, "address", address))

    async def failed(self, email: str, address: str) -> None:
        await self.limiter.hit(PER_EMAIL, "email", email.strip().lower())
        await self.limiter.hit(PER_ADDRESS, "address", address)


def client_address(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"


def start_session(connection: HTTPConnection, person_id: str, epoch: int) -> None:
    """A fresh session (a new CSRF token too), so nothing from before signing in carries over."""
    connection.session.clear()
    connection.session.update({"person": person_id, "epoch": epoch, "csrf": secrets.token_urlsafe(24)})


def csrf_token(connection: HTTPConnection) -> str:
    """The session's token for forms (made on first use)."""
    if "csrf" not in connection.session:
        connection.session["csrf"] = secrets.token_urlsafe(24)
    return str(connection.session["csrf"])


def csrf_ok(connection: HTTPConnection, given: str | None) -> bool:
    expected = connection.session.get("csrf")
    return bool(expected) and given is not None and secrets.compare_digest(str(expected), given)


def same_origin(connection: HTTPConnection, allowed: tuple[str, ...]) -> bool:
    """The browser says the request comes from this site (or an allowed one): Origin, else Referer."""
    source = connection.headers.get("origin") or connection.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.netloc == connection.headers.get("host") or f"{parts.scheme}://{parts.netloc}" in allowed


@dataclass(frozen=True)
class _Refusal:
    status: int
    code: str
    message: str


async def _identify(connection: HTTPConnection, driver: AsyncDriver, settings: Settings,
                    unsafe: bool) -> tuple[Viewer, str] | _Refusal:
    database = settings.neo4j_database
    authorization = connection.headers.get("authorization")
    if authorization is not None:
        scheme, _, code = authorization.partition(" ")
        owner = await accounts.person_for_token(driver, code, database=database) if scheme.lower() == "bearer" else None
        if owner is None:
            return _Refusal(401, "UNAUTHENTICATED", "The API token is not valid (revoked, mistyped or not a token).")
        person_id, client = owner[0], f"token:{owner[1]}"
    elif "person" in connection.session:
        person_id = str(connection.session["person"])
        if not await accounts.session_is_current(driver, person_id, int(connection.session.get("epoch", -1)),
                                                 database=database):
            connection.session.clear()
            return Viewer.anonymous(), f"address:{client_address(connection)}"
        if unsafe and not same_origin(connection, settings.cors_origins):
            return _Refusal(403, "CSRF", "Signed-in requests from a browser must come from this site.")
        client = f"person:{person_id}"
    else:
        return Viewer.anonymous(), f"address:{client_address(connection)}"

    acting_for = connection.headers.get(ACT_FOR_HEADER)
    if acting_for is None:
        return Viewer(person_id), client
    try:
        kind, person = parse_global_id(acting_for, ACT_FOR_HEADER)
    except GraphQLError:
        kind, person = "", ""
    if kind != "Person" or not await accounts.may_act_for(driver, person_id, person, database=database):
        return _Refusal(403, "FORBIDDEN", "You may act only for a person you support who asked you to.")
    return Viewer(person, actor_id=person_id), client


class Authenticated:
    """Puts the viewer and the budget's client in the scope for the GraphQL app behind it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = HTTPConnection(scope)
        state = scope["state"]
        unsafe = scope["type"] == "websocket" or scope.get("method", "GET") not in ("GET", "HEAD", "OPTIONS")
        try:
            found = await _identify(connection, state["driver"], state["settings"], unsafe)
        except (DriverError, Neo4jError, ConnectionError, TimeoutError):
            found = _Refusal(503, "SERVICE_UNAVAILABLE", "The database is not answering just now; try again shortly.")
        if isinstance(found, _Refusal):
            await _refuse(scope, receive, send, found)
            return
        scope[VIEWER_KEY], scope[CLIENT_KEY] = found
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: _Refusal) -> None:
    if scope["type"] == "websocket":
        await receive()  # the connect message
        await send({"type": "websocket.close", "code": 4000 + refusal.status,
                    "reason": refusal.code})
        return
    body = json.dumps({"errors": [{"message": refusal.message, "extensions": {"code": refusal.code}}]}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if refusal.status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="peermap"'))
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
