"""The campaigns: a list anyone may read, a page per campaign (what it is, where, the skills it
needs, who takes part as the rules allow, the hours given), and joining or leaving it."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ..graph.locations import largest_polygon
from . import i18n
from .page_api import ask
from .rendering import done_then, message, not_done, page, posted_form, viewer_id, went_wrong

_ = i18n.gettext

STATUSES = ("PROPOSED", "PLANNING", "ACTIVE", "REVIEW", "COMPLETED", "STOPPED")


async def campaigns(request: Request) -> Response:
    """Twenty at a time (a short list is easier to read, and quicker), newest first."""
    status, after = request.query_params.get("status", ""), request.query_params.get("after")
    answer = await ask(request, "campaigns", "Campaigns", status=[status] if status in STATUSES else None, after=after)
    if "BAD_USER_INPUT" in answer.codes:  # an address with a made-up place in the list
        return message(request, _("Not found"), _("We could not find that list of campaigns."), 400)
    if answer.errors:
        return went_wrong(request)
    found = answer.data["campaigns"]
    more = found["pageInfo"]["endCursor"] if found["pageInfo"]["hasNextPage"] else None
    return page(
        request,
        "campaigns.html",
        _("Campaigns"),
        found=found["nodes"],
        total=found["totalCount"],
        shown=status,
        more=more,
        paged=after is not None,
    )


async def campaign(request: Request) -> Response:
    return await campaign_page(request, request.query_params.get("id", "")[:200])


async def campaign_page(request: Request, campaign_id: str, status: int = 200, **more: Any) -> Response:
    """A campaign's page (again, with `problems`, when one of its forms was sent wrong)."""
    answer = await ask(request, "campaigns", "Campaign", id=campaign_id)
    found = answer.data.get("node")
    if answer.errors or not found or not found.get("title"):
        return message(request, _("Not found"), _("We could not find that campaign."), 404)
    me = (answer.data.get("viewer") or {}).get("id")
    taking_part = [p for p in found["participants"]["nodes"] if p["person"] and p["person"]["id"] == me]
    mine = taking_part[0] if taking_part else None
    return page(
        request,
        "campaign.html",
        found["title"],
        status,
        campaign=found,
        mine=mine,
        me=me,
        organising=bool(mine and mine["role"] == "organiser"),
        places=answer.data["places"]["nodes"],
        problems=more.pop("problems", None),
        **more,
    )


async def _proposing(request: Request, chosen: dict[str, Any], status: int = 200, **more: Any) -> Response:
    answer = await ask(request, "campaigns", "NewCampaign")
    if answer.errors:
        return went_wrong(request)
    return page(
        request,
        "campaign_new.html",
        _("Propose a campaign"),
        status,
        neighbourhoods=answer.data["neighbourhoods"]["nodes"],
        skills=answer.data["skills"],
        chosen=chosen,
        **more,
    )


@requires("authenticated", redirect="sign_in")
async def new(request: Request) -> Response:
    """Proposing a campaign without a map: its area is a neighbourhood's. Drawing an area of its own
    needs the map (and JavaScript); this form needs neither."""
    return await _proposing(request, {"title": "", "description": "", "neighbourhood": "", "skills": []})


@requires("authenticated", redirect="sign_in")
@posted_form
async def proposed(request: Request, form: FormData) -> Response:
    chosen = {
        "title": str(form.get("title", "")).strip()[:200],
        "description": str(form.get("description", "")).strip()[:4000],
        "neighbourhood": str(form.get("neighbourhood", ""))[:200],
        "skills": [str(s)[:200] for s in form.getlist("skill")][:100],
    }
    problems: dict[str, str] = {}
    if not chosen["title"]:
        problems["title"] = _("Write a title.")
    boundary: dict[str, Any] = {}
    if chosen["neighbourhood"]:
        where = await ask(request, "campaigns", "NeighbourhoodArea", id=chosen["neighbourhood"])
        boundary = (where.data.get("node") or {}).get("boundary") or {}
    if not boundary:
        problems["neighbourhood"] = _("Choose the neighbourhood where it happens.")
    if problems:
        return await _proposing(request, chosen, 400, problems=problems)
    answer = await ask(
        request,
        "campaigns",
        "Propose",
        input={
            "title": chosen["title"],
            "description": chosen["description"],
            "area": largest_polygon(boundary),
            "neighbourhoods": [chosen["neighbourhood"]],
            "neededSkills": chosen["skills"],
        },
    )
    if answer.errors:
        return not_done(request, answer)
    made = answer.data["createCampaign"]["campaign"]
    done = _("You proposed %(title)s. You organise it: others can join it now.") % {"title": made["title"]}
    return done_then(request, done, f"/campaign?id={quote(made['id'])}")


@requires("authenticated", redirect="sign_in")
async def plan(request: Request) -> Response:
    """Planning a campaign: for each skill it needs, who nearby or in its networks could help; the
    skills nobody offers; who could plan it with its people; how far its people's networks reach."""
    answer = await ask(request, "campaigns", "Plan", id=request.query_params.get("id", "")[:200])
    found = answer.data.get("node")
    if not found or not found.get("title") or not answer.data.get("campaignPlan"):
        return message(request, _("Not found"), _("We could not find that campaign."), 404)
    title = _("Planning %(title)s") % {"title": found["title"]}
    return page(request, "plan.html", title, campaign=found, plan=answer.data["campaignPlan"])


async def _editing(request: Request, campaign_id: str, status: int = 200, **more: Any) -> Response:
    answer = await ask(request, "campaigns", "Campaign", id=campaign_id)
    found = answer.data.get("node")
    if answer.errors or not found or not found.get("title"):
        return message(request, _("Not found"), _("We could not find that campaign."), 404)
    me = (answer.data.get("viewer") or {}).get("id")
    organising = any(
        p["role"] == "organiser" and p["person"] and p["person"]["id"] == me for p in found["participants"]["nodes"]
    )
    title = _("Change %(title)s") % {"title": found["title"]}
    return page(request, "campaign_edit.html", title, status, campaign=found, organising=organising, **more)


@requires("authenticated", redirect="sign_in")
async def edit(request: Request) -> Response:
    """The organisers' form (and coordinators'): what the campaign is, its stage, its dates."""
    return await _editing(request, request.query_params.get("id", "")[:200])


@requires("authenticated", redirect="sign_in")
@posted_form
async def edited(request: Request, form: FormData) -> Response:
    campaign_id = str(form.get("campaign", ""))[:200]
    title = str(form.get("title", "")).strip()
    if not title:
        return await _editing(request, campaign_id, 400, problems={"title": _("Write a title.")})
    change: dict[str, Any] = {
        "id": campaign_id,
        "title": title[:200],
        "description": str(form.get("description", "")).strip()[:4000],
    }
    dates_problem = _("Write the dates as year-month-day, for example 2027-03-01, the end after the start.")
    for field in ("startsOn", "endsOn"):
        day = str(form.get(field, "")).strip()
        if day:
            try:
                change[field] = date.fromisoformat(day).isoformat()
            except ValueError:
                return await _editing(request, campaign_id, 400, problems={"startsOn": dates_problem})
    answer = await ask(request, "campaigns", "Update", input=change)
    if "BAD_USER_INPUT" in answer.codes:  # the end before the start, say
        return await _editing(request, campaign_id, 400, problems={"startsOn": dates_problem})
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers and coordinators can change it."))
    return done_then(request, _("Saved the campaign."), f"/campaign?id={quote(campaign_id)}")


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
