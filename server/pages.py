"""The account pages: sign in, sign out, accept an invitation, your account and your data.

Plain server-rendered HTML forms (they work without JavaScript and with screen readers), each
POST checked against the session's CSRF token.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlsplit

from starlette.authentication import requires
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..graph import accounts, data_rights
from ..graph.errors import Forbidden, Invalid
from .auth import SIGN_IN_FAILED, client_address, csrf_ok, csrf_token, start_session, visitor

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} - Peermap</title>
  <link rel="stylesheet" href="/pages.css">
</head>
<body>
  <header><a href="/account">Peermap</a></header>
  <main>
    <h1>{title}</h1>
    {body}
  </main>
</body>
</html>
"""

STYLE = """
body { font: 1.1rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 36rem;
       padding: 1rem; }
a { color: #0b4f8a; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; border: 2px solid #555; }
button { font: inherit; margin-top: 1.2rem; padding: .5rem 1.2rem; background: #0b4f8a; color: #fff; border: 0; }
:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.problem { color: #a4000f; font-weight: 600; }
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), body=body), status_code=status)


def _problem(message: str | None) -> str:
    return f'<p class="problem" id="problem" role="alert">{escape(message)}</p>' if message else ""


def _form(request: Request, action: str, fields: str, button: str) -> str:
    """A form that posts back here with the session's CSRF token."""
    return f"""<form method="post" action="{escape(action)}">
      <input type="hidden" name="csrf" value="{escape(csrf_token(request))}">{fields}
      <button type="submit">{button}</button>
    </form>"""


def _described(message: str | None) -> str:
    return ' aria-describedby="problem" aria-invalid="true"' if message else ""


async def style(request: Request) -> Response:
    return Response(STYLE, media_type="text/css")


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
                start_session(request, *found)
                return RedirectResponse(_next_page(request), status_code=303)
    fields = f"""
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required
             value="{escape(email)}"{_described(problem)}>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password"
             required{_described(problem)}>"""
    body = f"""{_problem(problem)}
    {_form(request, request.url.path + (f"?{request.url.query}" if request.url.query else ""), fields, "Sign in")}
    <p>No account yet? A coordinator can invite you: enter their code on the
       <a href="/invitation">invitation page</a>.</p>"""
    response = _page("Sign in", body, status)
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
        request.session.clear()
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
                start_session(request, *found)
                return RedirectResponse("/account", status_code=303)
    fields = f"""
      <label for="code">Invitation code</label>
      <input id="code" name="code" required autocomplete="off" value="{escape(code)}"{_described(problem)}>
      <label for="email">Your email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="{escape(email)}">
      <label for="password">Choose a password (at least {accounts.MIN_PASSWORD} characters)</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required
             minlength="{accounts.MIN_PASSWORD}">"""
    body = f"{_problem(problem)}\n    {_form(request, '/invitation', fields, 'Make my account')}"
    return _page("Accept an invitation", body, status)


@requires("authenticated", redirect="sign_in")
async def account(request: Request) -> Response:
    body = f"""<p>You are signed in.</p>
    <ul>
      <li><a href="/account/data.json" download="peermap-my-data.json">Download all your data (JSON)</a></li>
      <li><a href="/graphql">The GraphQL IDE</a> (where it is switched on):
          try <code>{{ viewer {{ name }} }}</code></li>
    </ul>
    {_form(request, "/signout", "", "Sign out")}"""
    return _page("Your account", body)


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
