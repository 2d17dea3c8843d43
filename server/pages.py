"""The account pages: sign in, sign out, accept an invitation, your account and your data.

Plain server-rendered HTML forms (they work without JavaScript and with screen readers), each
POST checked against the session's CSRF token.
"""

from __future__ import annotations

import json
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..graph import accounts, rights
from ..graph.access import Forbidden
from ..graph.model import Viewer
from ..graph.validation import Invalid
from .auth import SIGN_IN_FAILED, client_address, csrf_ok, csrf_token, start_session

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
    return f"""<form method="post" action="{action}">
      <input type="hidden" name="csrf" value="{escape(csrf_token(request))}">{fields}
      <button type="submit">{button}</button>
    </form>"""


def _described(message: str | None) -> str:
    return ' aria-describedby="problem" aria-invalid="true"' if message else ""


async def style(request: Request) -> Response:
    return Response(STYLE, media_type="text/css")


async def _viewer(request: Request) -> Viewer:
    """The session's person while the session is current (not signed out everywhere, account not erased)."""
    person_id = request.session.get("person")
    if person_id is None or not await accounts.session_is_current(
            request.state.driver, str(person_id), int(request.session.get("epoch", -1)),
            database=request.state.settings.neo4j_database):
        request.session.pop("person", None)
        return Viewer.anonymous()
    return Viewer(str(person_id))


async def sign_in(request: Request) -> Response:
    problem, status, email = None, 200, ""
    if request.method == "POST":
        form = await request.form()
        email, password = str(form.get("email", ""))[:254], str(form.get("password", ""))
        limiter, settings = request.state.sign_in_limiter, request.state.settings
        address = client_address(request)
        if not csrf_ok(request, str(form.get("csrf", ""))):
            problem, status = "The form had expired: please try again.", 400
        elif not await limiter.allowed(email, address):
            problem, status = SIGN_IN_FAILED, 429
        else:
            found = await accounts.sign_in(request.state.driver, email, password, database=settings.neo4j_database)
            if found is None:
                await limiter.failed(email, address)
                problem, status = SIGN_IN_FAILED, 401
            else:
                start_session(request, *found)
                return RedirectResponse("/account", status_code=303)
    fields = f"""
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="{escape(email)}"{_described(problem)}>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required{_described(problem)}>"""
    body = f"""{_problem(problem)}
    {_form(request, "/signin", fields, "Sign in")}
    <p>No account yet? A coordinator can invite you: enter their code on the <a href="/invitation">invitation page</a>.</p>"""
    response = _page("Sign in", body, status)
    if status == 429:
        response.headers["retry-after"] = str(15 * 60)
    return response


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
                found = await accounts.accept_invitation(request.state.driver, code, email,
                                                         str(form.get("password", "")),
                                                         database=request.state.settings.neo4j_database)
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


async def account(request: Request) -> Response:
    if not (await _viewer(request)).signed_in:
        return RedirectResponse("/signin", status_code=303)
    body = f"""<p>You are signed in.</p>
    <ul>
      <li><a href="/account/data.json" download="peermap-my-data.json">Download all your data (JSON)</a></li>
      <li><a href="/graphql">The GraphQL IDE</a> (where it is switched on): try <code>{{ viewer {{ name }} }}</code></li>
    </ul>
    {_form(request, "/signout", "", "Sign out")}"""
    return _page("Your account", body)


async def my_data(request: Request) -> Response:
    """The signed-in person's own data, as a file to keep (GraphQL's myData, for a browser)."""
    try:
        data = await rights.personal_data(request.state.driver, await _viewer(request),
                                          database=request.state.settings.neo4j_database)
    except Forbidden:
        return RedirectResponse("/signin", status_code=303)
    return Response(json.dumps(data, indent=2, ensure_ascii=False), media_type="application/json",
                    headers={"content-disposition": 'attachment; filename="peermap-my-data.json"',
                             "cache-control": "no-store"})
