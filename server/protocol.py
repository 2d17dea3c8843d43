"""GraphQL over HTTP as its specification asks, around the GraphQL app: media types, status
codes for request errors, a body size limit and an execution time limit.

Strawberry answers every well-formed request 200 application/json. A client that accepts
`application/graphql-response+json` gets that media type, and 400 when the request never
reached execution (it did not parse, validate, or its variables did not fit): such a
response has no data and its errors point at no field.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _error_body(message: str, code: str) -> bytes:
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})


class GraphQLOverHTTP:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, timeout_seconds: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        wants_graphql_response = GRAPHQL_RESPONSE in headers.get("accept", "")
        media_type = GRAPHQL_RESPONSE if wants_graphql_response else "application/json"
        if scope["method"] == "GET" and "query" not in parse_qs(scope.get("query_string", b"").decode("latin-1")):
            # Not "not found": the endpoint is here, the request lacks its query.
            missing = "GET /graphql needs a query: ?query={viewer{name}}, or POST JSON; a browser gets the IDE here"
            await self._reply(send, 400, _error_body(missing, "BAD_REQUEST"), media_type)
            return

        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reply(
                send,
                413,
                _error_body(f"the request is larger than {self.max_body_bytes} bytes", "REQUEST_TOO_LARGE"),
                media_type,
            )
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._reply(
                    send,
                    413,
                    _error_body(f"the request is larger than {self.max_body_bytes} bytes", "REQUEST_TOO_LARGE"),
                    media_type,
                )
                return

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self.app(scope, replay, capture)
        except TimeoutError:
            await self._reply(
                send,
                504,
                _error_body(f"the request took longer than {self.timeout_seconds:g} s", "TIMEOUT"),
                media_type,
            )
            return
        status, payload = start.get("status", 500), b"".join(chunks)
        content_type = dict(start.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        if not content_type.startswith("application/json"):  # the IDE page, or strawberry's own 4xx text
            await send(start)
            await send({"type": "http.response.body", "body": payload})
            return
        if wants_graphql_response and _is_request_error(payload):
            # The request never ran: 400, and no data at all, not even null (GraphQL over HTTP).
            status, payload = 400, _without_data(payload)
        signed_in = bool(scope.get("user") and scope["user"].is_authenticated)
        await self._reply(send, status, payload, media_type, private=signed_in)

    @staticmethod
    async def _reply(send: Send, status: int, body: bytes, media_type: str, *, private: bool = False) -> None:
        headers = [
            (b"content-type", f"{media_type}; charset=utf-8".encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        if private:  # an answer for one person: no browser or proxy keeps it
            headers.append((b"cache-control", b"no-store"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_request_error(payload: bytes) -> bool:
    try:
        result = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(result, dict):  # a batch: each operation answers for itself
        return False
    errors = result.get("errors") or []
    return result.get("data") is None and bool(errors) and not any("path" in e for e in errors)


def _without_data(payload: bytes) -> bytes:
    result = orjson.loads(payload)
    result.pop("data", None)
    return orjson.dumps(result)
