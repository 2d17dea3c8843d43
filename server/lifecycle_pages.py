"""A campaign's life on the pages: the organisers move it on or stop it, those taking part sign it
off at review, and once it has completed they suggest and choose what to do next. Each form goes
through the API's own mutations (server/templates/coproduction.graphql)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ..graph.locations import largest_polygon
from . import i18n
from .campaign_pages import campaign_page
from .page_api import ask
from .rendering import done_then, not_done, posted_form

_ = i18n.gettext

STAGES = ("PLANNING", "ACTIVE", "REVIEW", "STOPPED")  # where the form may move a campaign


def _back(campaign_id: str, part: str = "life") -> str:
    return f"/campaign?id={quote(campaign_id)}#{part}"


def _campaign(form: FormData) -> str:
    return str(form.get("campaign", ""))[:200]


@requires("authenticated", redirect="sign_in")
@posted_form
async def move(request: Request, form: FormData) -> Response:
    campaign_id, stage = _campaign(form), str(form.get("stage", ""))
    reason = str(form.get("reason", "")).strip()
    if stage not in STAGES:  # only a form not sent from the page: the radios always give one
        return await campaign_page(request, campaign_id, 400, problems={"stop-reason": _("Choose what happens now.")})
    if stage == "STOPPED" and not reason:
        return await campaign_page(request, campaign_id, 400, problems={"stop-reason": _("Say why it stops.")})
    change = {"campaign": campaign_id, "stage": stage, "reason": reason[:1000]}
    answer = await ask(request, "coproduction", "MoveCampaign", input=change)
    if "BAD_USER_INPUT" in answer.codes:  # a step the campaign cannot take from where it is now
        problems = {"stop-reason": _("The campaign cannot go there from where it is now.")}
        return await campaign_page(request, campaign_id, 400, problems=problems)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can move it on."))
    return done_then(request, _("The campaign has moved on. Everyone taking part is told."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def sign_off(request: Request, form: FormData) -> Response:
    campaign_id, satisfied = _campaign(form), str(form.get("satisfied", "")) == "yes"
    reason = str(form.get("reason", "")).strip()
    if not satisfied and not reason:
        problems = {"sign-off-reason": _("Say what is missing, so that it can be done.")}
        return await campaign_page(request, campaign_id, 400, problems=problems)
    answer = await ask(
        request,
        "coproduction",
        "SignOff",
        input={"campaign": campaign_id, "satisfied": satisfied, "reason": reason[:1000]},
    )
    if answer.errors:
        return not_done(request, answer, _("Only people taking part can say this, while the campaign looks back."))
    return done_then(request, _("Thank you. Your answer is counted."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def complete(request: Request, form: FormData) -> Response:
    campaign_id = _campaign(form)
    answer = await ask(request, "coproduction", "Complete", campaign=campaign_id)
    if "BAD_USER_INPUT" in answer.codes:
        why = _("Not yet: more than half of the people taking part must say they are happy, and nobody unhappy.")
        return not_done(request, answer, why)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can say it is finished."))
    done = _("The campaign is finished. Now everyone can say what to do next.")
    return done_then(request, done, _back(campaign_id, "next"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def next_area(request: Request, form: FormData) -> Response:
    """An idea for what to do next, in a neighbourhood (its area: the neighbourhood's largest piece)."""
    campaign_id, text = _campaign(form), str(form.get("text", "")).strip()
    problems: dict[str, str] = {}
    if not text:
        problems["next-text"] = _("Write what we should do.")
    where = await ask(request, "campaigns", "NeighbourhoodArea", id=str(form.get("neighbourhood", ""))[:200])
    boundary: dict[str, Any] = (where.data.get("node") or {}).get("boundary") or {}
    if not boundary:
        problems["next-place"] = _("Choose the neighbourhood where it happens.")
    if problems:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    answer = await ask(
        request,
        "coproduction",
        "Contribute",
        input={"campaign": campaign_id, "kind": "NEXT_AREA", "text": text[:4000], "area": largest_polygon(boundary)},
    )
    if answer.errors:
        return not_done(request, answer, _("Only people taking part can say what to do next."))
    return done_then(request, _("Thank you. Others can support your idea now."), _back(campaign_id, "ideas"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def choose_next(request: Request, form: FormData) -> Response:
    campaign_id = _campaign(form)
    answer = await ask(
        request, "coproduction", "ChooseNext", campaign=campaign_id, proposal=str(form.get("proposal", ""))[:200]
    )
    if "BAD_USER_INPUT" in answer.codes:
        why = _("Not this one: choose the idea with the most support, once nobody objects to it.")
        return not_done(request, answer, why)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can choose what to do next."))
    made = answer.data["chooseNextArea"]["campaign"]
    done = _("Chosen: %(title)s is a new campaign. Everyone who gave an idea is told.") % {"title": made["title"]}
    return done_then(request, done, f"/campaign?id={quote(made['id'])}")
