"""Planning a campaign: who nearby or in its networks has each needed skill, the skills nobody
has (the gaps), who could join the planning, and how far the participants' networks reach
among the members who live there."""

from __future__ import annotations

import json
import math

import numpy as np
import shapely
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from . import queries
from .errors import NotFound, require_signed_in
from .locations import distance_km
from .model import CampaignPlan, Point, Reason, Skill, SkillPlan, Suggestion
from .peers import peers_for_each_skill
from .viewer_graph import ViewerGraph

WALK_KM = 1.2  # about 15 minutes on foot
KM_PER_DEGREE = 111.32  # of latitude


async def campaign_plan(
    graph: ViewerGraph, campaign_id: str, *, walk_km: float = WALK_KM, first: int = 5
) -> CampaignPlan:
    require_signed_in(graph.viewer)
    rows = await graph.read(queries.analyses.CAMPAIGN_FOR_PLAN, id=campaign_id)
    if not rows:
        raise NotFound("campaign", f"no campaign has the id {campaign_id!r}")
    campaign = rows[0]
    area = shape(json.loads(campaign["area"]))
    centre = Point(area.centroid.y, area.centroid.x)
    radius = max(distance_km(centre, Point(lat, lon)) for lon, lat in area.exterior.coords)
    candidates = await graph.read(
        queries.analyses.CAMPAIGN_CANDIDATES,
        id=campaign_id,
        networks=campaign["networks"],
        metres=(radius + walk_km) * 1000,
    )
    among = tuple(
        sorted(
            row["id"]
            for row in candidates
            if row["in_networks"]
            or (row["latitude"] is not None and _walk_km(area, Point(row["latitude"], row["longitude"])) <= walk_km)
        )
    )

    plans, gaps = [], []
    needed = [Skill(id=n["id"], name=n["name"], category=n["category"]) for n in campaign["needed"]]
    # Ranked skill by skill (each needed skill has its own list), from one reading of the candidates.
    each = await peers_for_each_skill(graph, [skill.id for skill in needed], near=centre, among=among, first=first)
    for skill, found in zip(needed, each, strict=True):
        plans.append(SkillPlan(skill=skill, people=tuple(found)))
        if not found:
            gaps.append(skill)

    co_planners = tuple(
        Suggestion(
            person_id=row["id"],
            score=float(row["knows"] * 10 + row["level"]),
            reasons=(
                Reason(
                    kind="shared connections",
                    value=float(row["knows"]),
                    text=f"knows {row['knows']} {'person' if row['knows'] == 1 else 'people'} taking part",
                ),
                Reason(kind="skill", text="offers " + ", ".join(row["skills"]), value=float(row["level"])),
            ),
        )
        for row in await graph.read(queries.analyses.CO_PLANNERS, id=campaign_id, first=first)
    )

    residents = set(campaign["residents"])
    reached_rows = await graph.read(queries.analyses.REACHED_BY, participants=campaign["participants"])
    reached = residents & set(reached_rows[0]["reached"]) if reached_rows else set()
    return CampaignPlan(
        skills=tuple(plans),
        gaps=tuple(gaps),
        co_planners=co_planners,
        residents=len(residents),
        reached=len(reached),
        coverage=round(len(reached) / len(residents), 3) if residents else 0.0,
    )


def _walk_km(area: BaseGeometry, point: Point) -> float:
    """Straight-line km from the point to the area (0 inside it), in a flat projection around the point."""
    scale = np.array([math.cos(math.radians(point.latitude)) * KM_PER_DEGREE, KM_PER_DEGREE])
    local = shapely.transform(area, lambda coordinates: coordinates * scale)
    return float(local.distance(ShapelyPoint(point.longitude * scale[0], point.latitude * scale[1])))
