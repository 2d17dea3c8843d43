"""Counts per neighbourhood for the public maps: nobody can be picked out of them.

A neighbourhood with fewer than MIN_GROUP people behind a figure shows no figure at all,
so that a count cannot point at a person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import queries
from .database import Graph
from .network_health import FEW_TIES

MIN_GROUP = 5


@dataclass(frozen=True, kw_only=True)
class AreaFigure:
    neighbourhood_id: str
    name: str
    boundary: dict[str, Any]
    base: int  # the people the figures are about (shown only from MIN_GROUP)
    counts: dict[str, int] | None  # None: too few people to show


async def skill_by_neighbourhood(graph: Graph, skill_id: str) -> list[AreaFigure]:
    under = await graph.read(queries.analyses.SKILLS_UNDER, asked=[skill_id])
    rows = await graph.read(queries.aggregates.SKILL_BY_NEIGHBOURHOOD, skills=[row["id"] for row in under])
    return [_figure(row, row["people"], {"offered": row["offered"], "wanted": row["wanted"]}) for row in rows]


async def isolation_by_neighbourhood(graph: Graph) -> list[AreaFigure]:
    rows = await graph.read(queries.aggregates.ISOLATION_BY_NEIGHBOURHOOD, few=FEW_TIES)
    return [_figure(row, row["members"], {"isolated": row["isolated"]}) for row in rows]


def _figure(row: dict[str, Any], base: int, counts: dict[str, int]) -> AreaFigure:
    return AreaFigure(
        neighbourhood_id=row["id"],
        name=row["name"],
        boundary=json.loads(row["boundary"]),
        base=base,
        counts=counts if base >= MIN_GROUP else None,
    )
