"""What every page shares: the templates (autoescaped, in the request's language), the layout's
values, and the round of a form: check its CSRF token, run the API's mutation, and either go on to
the next page with what was done, or show the problem in the page's own words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from ..graph.locations import walk_minutes
from ..schema.ids import global_id
from . import i18n
from .auth import ACTING_FOR, csrf_ok, csrf_token, visitor
from .page_api import Answer

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")  # autoescaped
TEMPLATES.env.add_extension("jinja2.ext.i18n")
# newstyle: named placeholders only, and what they fill in is escaped like any other value.
TEMPLATES.env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
_ = i18n.gettext


def _day(value: str | date | None) -> str:
    """A date in the page's language ("2 December 2026", "2 grudnia 2026")."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return format_date(day, format="long", locale=_formats())


# Where the pages' times are shown for: Peermap's communities are in the UK.
LOCAL_TIME = ZoneInfo("Europe/London")


def _when(value: str | datetime | None) -> str:
    """A time in the page's language, in UK time ("Monday 1 March 2027, 18:00")."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return format_datetime(moment, "EEEE d MMMM y, HH:mm", tzinfo=LOCAL_TIME, locale=_formats())


def _pounds(pence: int) -> str:
    """Money as the page's language writes pounds ("£1,500.00", "1500,00 £")."""
    return format_currency(pence / 100, "GBP", locale=_formats())


def _number(value: float) -> str:
    """A number as the page's language writes it, to one decimal place at most ("3.5", "3,5")."""
    return format_decimal(round(value, 1), locale=_formats())


def _formats() -> str:
    return i18n.FORMATS.get(i18n.current(), i18n.current())


TEMPLATES.env.filters["day"] = _day
TEMPLATES.env.filters["walk_minutes"] = walk_minutes
TEMPLATES.env.filters["number"] = _number
TEMPLATES.env.filters["when"] = _when
TEMPLATES.env.filters["pounds"] = _pounds


def here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def layout(request: Request) -> dict[str, Any]:
    """What the shared layout shows (server/templates/_header.html): the language, the menu, the
    acting-for banner, and the session's CSRF token for the forms."""
    return {
        "csrf": csrf_token(request),
        "language": i18n.current(),
        "languages": i18n.LANGUAGES,
        "here": here(request),
        "signed_in": request.user.is_authenticated,
        "acting_for": _acting_for(request),
    }


def page(request: Request, template: str, title: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, in the request's language, with what was just done (a message kept
    in the session across the redirect after a form)."""
    done = request.session.pop("done", None) if "session" in request.scope else None
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"title": title, "done": done, **layout(request), **context},
        status_code=status,
    )


def _acting_for(request: Request) -> str | None:
    """The name of the person the signed-in supporter acts for from the pages, for the banner."""
    if "session" not in request.scope or "user" not in request.scope:
        return None
    acting = request.session.get(ACTING_FOR)
    return str(acting["name"]) if acting and visitor(request).viewer.actor_id else None


def message(request: Request, title: str, text: str, status: int) -> HTMLResponse:
    return page(request, "message.html", title, status, message=text)


def viewer_id(request: Request) -> str:
    """The signed-in person's global id (the person acted for, while acting for someone)."""
    return global_id("Person", visitor(request).viewer.person_id or "")


def went_wrong(request: Request) -> HTMLResponse:
    return message(request, _("Something went wrong"), _("Try again in a minute."), 500)


FormHandler = Callable[[Request, FormData], Awaitable[Response]]


def posted_form(handler: FormHandler) -> Callable[[Request], Awaitable[Response]]:
    """A POST route's handler, given the form once its CSRF token is this session's; an old or
    forged form is refused before the handler runs."""

    @wraps(handler)
    async def checked(request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, str(form.get("csrf", ""))):
            return message(request, _("Send it again"), _("The form was too old. Send it again."), 400)
        return await handler(request, form)

    return checked


def done_then(request: Request, done: str, target: str) -> RedirectResponse:
    """After a form: say what was done on the next page, with focus on the news (#done)."""
    request.session["done"] = done
    return RedirectResponse(f"{target}#done", status_code=303)


STATUS_OF = {"BAD_USER_INPUT": 400, "NOT_FOUND": 404, "FORBIDDEN": 403, "CONFLICT": 409, "TOO_MANY_REQUESTS": 429}


def not_done(request: Request, answer: Answer, text: str | None = None) -> Response:
    """A mutation the API refused, told plainly (its English message is for programmers)."""
    code = answer.codes[0] if answer.codes else ""
    words = text or {
        "FORBIDDEN": _("You cannot do that."),
        "NOT_FOUND": _("We could not find that. It may have been removed."),
        "TOO_MANY_REQUESTS": _("You did a lot in a short time. Wait a few minutes, then try again."),
    }.get(code, _("That did not work. Try again in a minute."))
    return message(request, _("Not done"), words, STATUS_OF.get(code, 500))
