"""Headers every response carries: no framing, no sniffing, no referrers, a strict content policy."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


# Scripts only from this site and never inline (the IDE's own script is a file, server/ide.py);
# styles may be inline because GraphiQL sets them; connections to this site (WebSockets included).
def content_security_policy(image_origins: tuple[str, ...] = ()) -> str:
    """Images from this site, and from the map's tile server alone (PEERMAP_MAP_TILES)."""
    images = " ".join(("'self'", "data:", *image_origins))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "geolocation=(), camera=(), microphone=()",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool, image_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.headers = {"content-security-policy": content_security_policy(image_origins), **_HEADERS}
        if https:
            self.headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
