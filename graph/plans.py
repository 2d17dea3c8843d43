"""Planning a campaign: who nearby or in its networks has each needed skill, the skills nobody
has (the gaps), who could join the planning, and how far the participants' networks reach
among the members who live there."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from . import queries
from .database import side_by_side
from .errors import NotFound, require_signed_in
from .locations import distance_km
from .model import CampaignPlan, Point, Reason, Skill, SkillPlan, Suggestion
from .peers import CampaignReach, peers_for_each_skill
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
    needed = [Skill(id=n["id"], name=n["name"], category=n["category"]) for n in campaign["needed"]]
    reach = CampaignReach(networked=campaign["networked"], km=radius + walk_km, walkable=_within_walk(area, walk_km))
    # Three independent readings, asked at once: Neo4j works on them side by side.
    each, co_planner_rows, reached_rows = await side_by_side(
        # Ranked skill by skill (each needed skill has its own list), from one reading of the candidates.
        peers_for_each_skill(graph, [skill.id for skill in needed], near=centre, reach=reach, first=first),
        graph.read(queries.analyses.CO_PLANNERS, id=campaign_id, first=first),
        graph.read(queries.analyses.REACHED_BY, participants=campaign["participants"]),
    )
    plans = [SkillPlan(skill=skill, people=tuple(found)) for skill, found in zip(needed, each, strict=True)]
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
        for row in co_planner_rows
    )
    residents = set(campaign["residents"])
    reached = residents & set(reached_rows[0]["reached"]) if reached_rows else set()
    return CampaignPlan(
        skills=tuple(plans),
        gaps=tuple(plan.skill for plan in plans if not plan.people),
        co_planners=co_planners,
        residents=len(residents),
        reached=len(reached),
        coverage=round(len(reached) / len(residents), 3) if residents else 0.0,
    )


def _within_walk(area: BaseGeometry, walk_km: float) -> Callable[[list[Point | None]], list[bool]]:
    """Which of some points lie within `walk_km` of the area (straight line; inside it is 0), measured
    in a flat projection around the area (within a few km of it, distances bend by under 0.1%)."""
    scale = np.array([math.cos(math.radians(area.centroid.y)) * KM_PER_DEGREE, KM_PER_DEGREE])
    local = shapely.transform(area, lambda coordinates: coordinates * scale)

    def walkable(points: list[Point | None]) -> list[bool]:
        known = [p for p in points if p is not None]
        coordinates = np.array([(p.longitude, p.latitude) for p in known]).reshape(-1, 2) * scale
        near = iter(np.atleast_1d(shapely.distance(local, shapely.points(coordinates)) <= walk_km).tolist())
        return [p is not None and bool(next(near)) for p in points]

    return walkable
