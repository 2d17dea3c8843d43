"""The account pages: sign in, sign out, accept an invitation, your account and your data.

Plain server-rendered HTML forms (they work without JavaScript and with screen readers), from
Jinja templates in server/templates/ with autoescape, each POST checked against the session's
CSRF token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.authentication import requires
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from ..graph import accounts, data_rights
from ..graph.errors import Forbidden, Invalid
from .auth import SIGN_IN_FAILED, client_address, csrf_ok, csrf_token, end_session, start_session, visitor

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")  # autoescaped


def page(request: Request, template: str, title: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the session's CSRF token for its forms."""
    return TEMPLATES.TemplateResponse(
        request, template, {"title": title, "csrf": csrf_token(request), **context}, status_code=status
    )


async def style(request: Request) -> Response:
    return FileResponse(Path(__file__).resolve().parent / "static" / "pages.css", media_type="text/css")


async def sign_in(request: Request) -> Response:
    problem, status, email = None, 200, ""
    if request.method == "POST":
        form = await request.form()
        email, password = str(form.get("email", ""))[:254], str(form.get("password", ""))
        limiter = request.state.sign_in_limiter
        address = client_address(request)
        if not csrf_ok(request, str(form.get("csrf", ""))):
            problem, status = "The form had expired: please try again.", 400
        elif not await limiter.allowed(email, address):
            problem, status = SIGN_IN_FAILED, 429
        else:
            found = await accounts.sign_in(request.state.graph, email, password)
            if found is None:
                await limiter.failed(email, address)
                problem, status = SIGN_IN_FAILED, 401
            else:
                await start_session(request, request.state.graph, *found)
                return RedirectResponse(_next_page(request), status_code=303)
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")  # keeps ?next=
    response = page(request, "sign_in.html", "Sign in", status, problem=problem, email=email, action=action)
    if status == 429:
        response.headers["retry-after"] = str(15 * 60)
    return response


def _next_page(request: Request) -> str:
    """Where a page that asked to sign in first sent us (`@requires` adds ?next=), if it is on this site."""
    target = urlsplit(request.query_params.get("next", ""))
    if target.netloc not in ("", request.url.netloc) or not target.path.startswith("/") or target.path.startswith("//"):
        return "/account"
    return target.path + (f"?{target.query}" if target.query else "")


async def sign_out(request: Request) -> Response:
    form = await request.form()
    if csrf_ok(request, str(form.get("csrf", ""))):
        await end_session(request, request.state.graph)
    return RedirectResponse("/signin", status_code=303)


async def invitation(request: Request) -> Response:
    problem, status, code, email = None, 200, request.query_params.get("code", ""), ""
    if request.method == "POST":
        form = await request.form()
        code, email = str(form.get("code", ""))[:200], str(form.get("email", ""))[:254]
        if not csrf_ok(request, str(form.get("csrf", ""))):
            problem, status = "The form had expired: please try again.", 400
        elif not await request.state.sign_in_limiter.allowed(code, client_address(request)):
            problem, status = "Too many attempts: please wait a while.", 429
        else:
            try:
                found = await accounts.accept_invitation(
                    request.state.graph, code, email, str(form.get("password", ""))
                )
            except Invalid as error:
                await request.state.sign_in_limiter.failed(code, client_address(request))
                problem, status = f"{error.field}: {error.reason}", 400
            else:
                await start_session(request, request.state.graph, *found)
                return RedirectResponse("/account", status_code=303)
    return page(
        request,
        "invitation.html",
        "Accept an invitation",
        status,
        problem=problem,
        code=code,
        email=email,
        min_password=accounts.MIN_PASSWORD,
    )


@requires("authenticated", redirect="sign_in")
async def account(request: Request) -> Response:
    return page(request, "account.html", "Your account")


@requires("authenticated", redirect="sign_in")
async def my_data(request: Request) -> Response:
    """The signed-in person's own data, as a file to keep (GraphQL's myData, for a browser)."""
    try:
        data = await data_rights.personal_data(request.state.graph.seen_by(visitor(request).viewer))
    except Forbidden:  # signed in, but the person was erased meanwhile
        return RedirectResponse("/signin", status_code=303)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="peermap-my-data.json"', "cache-control": "no-store"},
    )
