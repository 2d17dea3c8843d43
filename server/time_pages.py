"""Time credits on the pages: what one has earned and given, thanking someone for their help,
saying whether help one was thanked for happened, and giving to the community pot."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from . import i18n
from .page_api import ask
from .rendering import TEMPLATES, done_then, not_done, page, posted_form, went_wrong

_ = i18n.gettext

DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240, 360, 480)  # minutes the forms offer


async def _time_page(request: Request, status: int = 200, **more: Any) -> Response:
    answer = await ask(request, "time", "Time")
    if answer.errors or not answer.data.get("viewer"):
        return went_wrong(request)
    known = [t["person"] for t in answer.data["viewer"]["ties"]["nodes"] if t["person"]]
    mine = answer.data["myTime"]
    return page(
        request,
        "time.html",
        _("My time"),
        status,
        balance=mine["balanceMinutes"],
        waiting=[e for e in mine["exchanges"] if e["waitsForYou"]],
        exchanges=[e for e in mine["exchanges"] if not e["waitsForYou"]],
        known=sorted(known, key=lambda p: p["name"]),
        pot=answer.data["potMinutes"],
        durations=DURATIONS,
        **more,
    )


@requires("authenticated", redirect="sign_in")
async def time_page(request: Request) -> Response:
    return await _time_page(request)


def _minutes(form: FormData) -> int | None:
    chosen = str(form.get("minutes", ""))
    return int(chosen) if chosen.isdigit() and int(chosen) in DURATIONS else None


@requires("authenticated", redirect="sign_in")
@posted_form
async def thank(request: Request, form: FormData) -> Response:
    helper, minutes = str(form.get("helper", ""))[:200], _minutes(form)
    problems: dict[str, str] = {}
    if not helper:
        problems["helper"] = _("Choose who helped you.")
    if minutes is None:
        problems["minutes"] = _("Choose how long they helped.")
    if problems or minutes is None:
        return await _time_page(request, 400, problems=problems)
    what = str(form.get("what", "")).strip()[:300]
    answer = await ask(request, "time", "Thank", input={"helper": helper, "minutes": minutes, "what": what})
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, _("Thank you. It counts for them once they say it happened."), "/time")


@requires("authenticated", redirect="sign_in")
@posted_form
async def answer(request: Request, form: FormData) -> Response:
    happened = form.get("happened") == "yes"
    answered = await ask(request, "time", "Answer", id=str(form.get("exchange", ""))[:200], happened=happened)
    if answered.errors:
        return not_done(request, answered)
    done = _("Thank you. The time counts for you now.") if happened else _("Thank you. It will not count.")
    return done_then(request, done, "/time")


@requires("authenticated", redirect="sign_in")
@posted_form
async def give_to_pot(request: Request, form: FormData) -> Response:
    minutes = _minutes(form)
    if minutes is None:
        return await _time_page(request, 400, problems={"pot-minutes": _("Choose how much time to give.")})
    answer = await ask(request, "time", "Pot", minutes=minutes)
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, _("Thank you. Your time is in the community pot."), "/time")


@requires("authenticated", redirect="sign_in")
@posted_form
async def credit_hours(request: Request, form: FormData) -> Response:
    """An organiser confirms the hours someone gave to a campaign as their time credits."""
    campaign_id = str(form.get("campaign", ""))[:200]
    answer = await ask(
        request, "coproduction", "CreditHours", campaign=campaign_id, person=str(form.get("person", ""))[:200]
    )
    if answer.errors:
        return not_done(request, answer, _("Another organiser or a coordinator confirms an organiser's own hours."))
    done = _("Confirmed: %(hours)s hours are their time credits now.") % {
        "hours": TEMPLATES.env.filters["number"](answer.data["creditCampaignHours"]["minutes"] / 60)
    }
    return done_then(request, done, f"/campaign?id={quote(campaign_id)}")
