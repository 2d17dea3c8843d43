"""Neighbourhoods, networks and campaigns: public information, the same for every viewer (but who
takes part in a campaign, which is for the signed-in)."""

from __future__ import annotations

import json
from typing import Any

from . import queries
from .database import Graph
from .errors import Invalid
from .model import (
    CampaignDetails,
    CampaignFilter,
    CampaignStatus,
    CampaignView,
    NeighbourhoodView,
    Network,
    Page,
    Participation,
    Skill,
)
from .viewer_graph import ViewerGraph


async def neighbourhoods(graph: Graph) -> list[NeighbourhoodView]:
    """Every neighbourhood, by name (a city has tens of them, not thousands)."""
    return [_neighbourhood(row) for row in await graph.read(queries.places.NEIGHBOURHOODS)]


async def neighbourhoods_by_ids(graph: Graph, ids: list[str]) -> dict[str, NeighbourhoodView]:
    rows = await graph.read(queries.places.NEIGHBOURHOODS_BY_IDS, ids=ids)
    return {view.id: view for view in map(_neighbourhood, rows)}


async def networks_by_ids(graph: ViewerGraph, ids: list[str]) -> dict[str, Network]:
    """Networks by id, for the signed-in (signed-out visitors see campaigns and neighbourhoods only)."""
    if not graph.viewer.signed_in:
        return {}
    rows = await graph.read(queries.places.NETWORKS_BY_IDS, ids=ids)
    return {row["id"]: Network(id=row["id"], name=row["name"]) for row in rows}


def _neighbourhood(row: dict[str, Any]) -> NeighbourhoodView:
    return NeighbourhoodView(
        id=row["id"], name=row["name"], boundary=json.loads(row["boundary"]), member_count=row["member_count"]
    )


async def campaigns_page(
    graph: Graph,
    *,
    first: int,
    offset: int,
    where: CampaignFilter = CampaignFilter(),
    order: str = "newest",
    counted: bool = True,
) -> Page:
    """One page of campaigns in the order asked for, and how many match in all."""
    if order == "nearest" and where.near is None:
        raise Invalid("near", "nearest first needs a point to measure from")
    if where.within_km is not None and where.near is None:
        raise Invalid("near", "withinKm needs a point to measure from")
    page_query, count_query = queries.places.campaign_search(
        statuses=bool(where.statuses),
        neighbourhood=where.neighbourhood_id is not None,
        starts_from=where.starts_from is not None,
        starts_until=where.starts_until is not None,
        box=where.within is not None,
        radius=where.within_km is not None,
        order=order,
    )
    box = where.within
    return await graph.read_page(
        page_query=page_query,
        count_query=count_query,
        convert=_campaign,
        counted=counted,
        skip=offset,
        limit=first,
        statuses=[s.value for s in where.statuses],
        neighbourhood=where.neighbourhood_id,
        starts_from=where.starts_from,
        starts_until=where.starts_until,
        west=box.west if box else None,
        south=box.south if box else None,
        east=box.east if box else None,
        north=box.north if box else None,
        latitude=where.near.latitude if where.near else None,
        longitude=where.near.longitude if where.near else None,
        metres=where.within_km * 1000 if where.within_km is not None else None,
    )


async def own_campaigns(graph: ViewerGraph, *, first: int) -> list[CampaignView]:
    """The campaigns the viewer takes part in (acting for someone: that person's)."""
    rows = await graph.read(queries.places.OWN_CAMPAIGNS, first=first)
    return [_campaign(row) for row in rows]


async def campaigns_by_ids(graph: Graph, ids: list[str]) -> dict[str, CampaignView]:
    rows = await graph.read(queries.places.CAMPAIGNS_BY_IDS, ids=ids)
    return {view.id: view for view in map(_campaign, rows)}


async def campaign_details(graph: ViewerGraph, ids: list[str]) -> dict[str, CampaignDetails]:
    """Where each campaign is, what it needs and who takes part, for many campaigns in one query.

    Campaigns are public, but who takes part is for signed-in people: signed-out visitors see
    only the anonymous totals.
    """
    rows = await graph.read(queries.places.CAMPAIGN_DETAILS, ids=ids)
    return {
        row["id"]: CampaignDetails(
            neighbourhoods=tuple((n["id"], n["name"]) for n in row["neighbourhoods"]),
            needed_skills=tuple(Skill(id=s["id"], name=s["name"], category=s["category"]) for s in row["skills"]),
            participants=tuple(
                Participation(
                    person_id=p["person_id"],
                    role=p["role"],
                    hours=p["hours"] or 0.0,
                    credited_hours=p["credited"] or 0.0,
                )
                for p in row["participants"]
            ),
            participant_count=row["participant_count"],
            total_hours=round(float(row["total_hours"]), 2),  # a sum of floats in any order: no 135.99999999999997
        )
        for row in rows
    }


def _campaign(row: dict[str, Any]) -> CampaignView:
    return CampaignView(
        id=row["id"],
        title=row["title"],
        description=row["description"] or "",
        status=CampaignStatus(row["status"]),
        area=json.loads(row["area"]),
        starts_on=row["starts_on"].to_native() if row["starts_on"] else None,
        ends_on=row["ends_on"].to_native() if row["ends_on"] else None,
        stopped_because=row["stopped_because"] or "",
        follows_id=row["follows_id"],
        followed_by_id=row["followed_by_id"],
    )
