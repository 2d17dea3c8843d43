"""The campaigns: a list anyone may read, a page per campaign (what it is, where, the skills it
needs, who takes part as the rules allow, the hours given), and joining or leaving it."""

from __future__ import annotations

from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from . import i18n
from .page_api import ask
from .rendering import done_then, message, not_done, page, posted_form, viewer_id, went_wrong

_ = i18n.gettext

STATUSES = ("PROPOSED", "PLANNING", "ACTIVE", "COMPLETED")


async def campaigns(request: Request) -> Response:
    status = request.query_params.get("status", "")
    answer = await ask(request, "campaigns", "Campaigns", status=[status] if status in STATUSES else None)
    if answer.errors:
        return went_wrong(request)
    found = answer.data["campaigns"]
    return page(
        request, "campaigns.html", _("Campaigns"), found=found["nodes"], total=found["totalCount"], shown=status
    )


async def campaign(request: Request) -> Response:
    campaign_id = request.query_params.get("id", "")[:200]
    answer = await ask(request, "campaigns", "Campaign", id=campaign_id)
    found = answer.data.get("node")
    if answer.errors or not found or not found.get("title"):
        return message(request, _("Not found"), _("We could not find that campaign."), 404)
    me = (answer.data.get("viewer") or {}).get("id")
    taking_part = [p for p in found["participants"]["nodes"] if p["person"] and p["person"]["id"] == me]
    return page(
        request,
        "campaign.html",
        found["title"],
        campaign=found,
        mine=taking_part[0] if taking_part else None,
    )


@requires("authenticated", redirect="sign_in")
@posted_form
async def take_part(request: Request, form: FormData) -> Response:
    """Join or leave (hours already given stay counted: they are the campaign's, not the role's)."""
    campaign_id = str(form.get("campaign", ""))[:200]
    if form.get("choice") == "join":
        answer = await ask(request, "campaigns", "Join", input={"person": viewer_id(request), "campaign": campaign_id})
        done = _("You joined %(title)s.")
        title = (answer.data.get("joinCampaign") or {}).get("campaign") or {}
    elif form.get("choice") == "leave":
        answer = await ask(request, "campaigns", "Leave", person=viewer_id(request), campaign=campaign_id)
        done = _("You left %(title)s. The hours you gave still count.")
        title = (answer.data.get("leaveCampaign") or {}).get("campaign") or {}
    else:
        return message(request, _("Send it again"), _("Something in the form was missing."), 400)
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, done % {"title": title.get("title", "")}, f"/campaign?id={quote(campaign_id)}")
