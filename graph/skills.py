"""The skills of the taxonomy: public, the same for every viewer. (A person's own skills are
read with the person, in people.py; the demo's taxonomy is in demo_skills.py.)"""

from __future__ import annotations

from typing import Any

from . import queries
from .database import Graph
from .model import Skill


async def skills(graph: Graph) -> list[Skill]:
    """Every skill of the taxonomy, by name (tens, not thousands)."""
    return [_skill(row) for row in await graph.read(queries.places.ALL_SKILLS)]


async def skills_by_ids(graph: Graph, ids: list[str]) -> dict[str, Skill]:
    rows = await graph.read(queries.places.SKILLS_BY_IDS, ids=ids)
    return {row["id"]: _skill(row) for row in rows}


def _skill(row: dict[str, Any]) -> Skill:
    return Skill(id=row["id"], name=row["name"], category=row["category"])
