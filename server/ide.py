"""The in-browser GraphQL IDE at GET /graphql, served whole from this machine.

GraphiQL, React and graphql-ws come from the graphene-django-graphiql-static package on PyPI,
which ships them as plain files (no Django needed to serve them); nothing is fetched from a
CDN, so the IDE works with no internet access. Subscriptions run over the same /graphql path.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .rendering import TEMPLATES

ASSETS_PATH = "/ide-assets"
_PACKAGE = "graphene_django_graphiql_static"

SCRIPT_PATH = "/ide.js"


async def script(request: Request) -> Response:
    return FileResponse(Path(__file__).resolve().parent / "static" / "ide.js", media_type="text/javascript")


def assets_directory() -> Path:
    """Where the installed package keeps the IDE's files (found without importing it)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {_PACKAGE} package is missing: reinstall Peermap")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / _PACKAGE


def assets() -> StaticFiles:
    return StaticFiles(directory=assets_directory())


class WithIDE:
    """GET /graphql from a browser (HTML wanted, no query) gets the IDE, when it is enabled; the rest goes
    to GraphQL."""

    def __init__(self, app: ASGIApp, *, enabled: bool = True) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.enabled and scope["type"] == "http" and scope["method"] == "GET":
            request = Request(scope)
            if "text/html" in request.headers.get("accept", "") and "query" not in request.query_params:
                page = TEMPLATES.TemplateResponse(request, "ide.html", {"assets": ASSETS_PATH, "script": SCRIPT_PATH})
                await page(scope, receive, send)
                return
        await self.app(scope, receive, send)
