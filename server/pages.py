"""The account pages: sign in, sign out, accept an invitation, your account and your data.

Plain server-rendered HTML forms (they work without JavaScript and with screen readers), from
Jinja templates in server/templates/ with autoescape, each POST checked against the session's
CSRF token.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..graph import accounts, data_rights
from ..graph.errors import Forbidden, Invalid
from . import i18n
from .auth import SIGN_IN_FAILED, client_address, csrf_ok, end_session, start_session, visitor
from .page_api import ask
from .rendering import done_then, message, not_done, page, posted_form, went_wrong

_ = i18n.gettext


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
            problem, status = _("The form was too old. Send it again."), 400
        elif not await limiter.allowed(email, address):
            problem, status = _(SIGN_IN_FAILED), 429
        else:
            found = await accounts.sign_in(request.state.graph, email, password)
            if found is None:
                await limiter.failed(email, address)
                problem, status = _(SIGN_IN_FAILED), 401
            else:
                await start_session(request, request.state.graph, *found)
                return RedirectResponse(_next_page(request), status_code=303)
    action = request.url.path + (f"?{request.url.query}" if request.url.query else "")  # keeps ?next=
    response = page(request, "sign_in.html", _("Sign in"), status, problem=problem, email=email, action=action)
    if status == 429:
        response.headers["retry-after"] = str(15 * 60)
    return response


def _next_page(request: Request) -> str:
    """Where a page that asked to sign in first sent us (`@requires` adds ?next=), if it is on this site."""
    target = urlsplit(request.query_params.get("next", ""))
    if target.netloc not in ("", request.url.netloc) or not target.path.startswith("/") or target.path.startswith("//"):
        return "/"
    return target.path + (f"?{target.query}" if target.query else "")


async def sign_out(request: Request) -> Response:
    form = await request.form()
    if csrf_ok(request, str(form.get("csrf", ""))):
        await end_session(request, request.state.graph)
    request.session["done"] = _("You are signed out.")
    return RedirectResponse("/", status_code=303)


async def invitation(request: Request) -> Response:
    problem, status, code, email = None, 200, request.query_params.get("code", ""), ""
    if request.method == "POST":
        form = await request.form()
        code, email = str(form.get("code", ""))[:200], str(form.get("email", ""))[:254]
        if not csrf_ok(request, str(form.get("csrf", ""))):
            problem, status = _("The form was too old. Send it again."), 400
        elif not await request.state.sign_in_limiter.allowed(code, client_address(request)):
            problem, status = _("You tried too many times. Wait 15 minutes, then try again."), 429
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
                # A first visit: straight to the choices of what others see, and to the skills.
                welcome = _("Welcome to Peermap! First, choose what others can see. Then add your skills.")
                return done_then(request, welcome, "/me")
    return page(
        request,
        "invitation.html",
        _("Make your account"),
        status,
        problem=problem,
        code=code,
        email=email,
        min_password=accounts.MIN_PASSWORD,
    )


@requires("authenticated", redirect="sign_in")
async def account(request: Request) -> Response:
    return page(request, "account.html", _("My account"))


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


async def home(request: Request) -> Response:
    """What Peermap is, for everyone; for the signed-in, their own home: the requests waiting for
    them and by them, the people they know, people they could meet, and their campaigns."""
    if not request.user.is_authenticated:
        return page(request, "home.html", _("Welcome to Peermap"), viewer=None)
    answer = await ask(request, "home", "Home")
    if answer.errors or not answer.data.get("viewer"):
        return went_wrong(request)
    viewer, requests = answer.data["viewer"], answer.data["requests"]
    suggested = await ask(request, "home", "Suggestions", me=viewer["id"])
    return page(
        request,
        "home.html",
        _("Hello, %(name)s") % {"name": viewer["name"]},
        viewer=viewer,
        for_me=[r for r in requests if r["to"] and r["to"]["id"] == viewer["id"]],
        by_me=[r for r in requests if r["from"] and r["from"]["id"] == viewer["id"] and r["kind"] == "TIE"],
        campaigns=answer.data["myCampaigns"],
        news=len(answer.data["myNotifications"]),
        suggestions=[s for s in suggested.data.get("introductions") or [] if s["person"]],
    )


@requires("authenticated", redirect="sign_in")
@posted_form
async def answer_request(request: Request, form: FormData) -> Response:
    """Accept, decline or take back a request (a form on the home page), then back home to say so."""
    request_id, choice = str(form.get("request", ""))[:200], str(form.get("answer", ""))
    if choice == "withdraw":
        answer = await ask(request, "home", "Withdraw", request=request_id)
        done = _("You took back your request.")
    elif choice in ("accept", "decline"):
        answer = await ask(request, "home", "Answer", request=request_id, accept=choice == "accept")
        made = answer.data.get("answerRequest") or {}
        if choice == "decline":
            done = _("You said no.")
        elif made.get("tie") and made["tie"].get("person"):
            done = _("You are now connected with %(name)s.") % {"name": made["tie"]["person"]["name"]}
        else:
            done = _("You said yes.")
    else:
        return message(request, _("Send it again"), _("Choose yes or no."), 400)
    if answer.errors:
        return not_done(request, answer, _("This request is no longer waiting. It may have expired."))
    return done_then(request, done, "/")


async def choose_language(request: Request) -> Response:
    """The language links: remember the choice for a year, and go back to the same page."""
    chosen = request.query_params.get("to", "")
    back = urlsplit(request.query_params.get("back", "/"))
    target = back.path if back.path.startswith("/") and not back.path.startswith("//") and not back.netloc else "/"
    target += f"?{back.query}" if back.query and target == back.path else ""
    response = RedirectResponse(target, status_code=303)
    if chosen in i18n.LANGUAGES:
        response.set_cookie(i18n.LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="lax")
    return response


async def help_page(request: Request) -> Response:
    return page(request, "help.html", _("Get help"))
