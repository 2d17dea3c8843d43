"""People as a given viewer may see them."""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import AsyncDriver

from . import queries
from .database import read, read_page
from .model import (
    MembershipKind, Network, PeopleFilter, Page, PersonView, Point, Role, Skill, SkillMode, SkillOfPerson, TieView, Viewer,
)
from .search import lucene_query


async def people_page(driver: AsyncDriver, viewer: Viewer, *, first: int, offset: int, database: str,
                      where: PeopleFilter = PeopleFilter()) -> Page:
    """One page of people (by name, or nearest first), and how many match in all."""
    text = lucene_query(where.text) if where.text else None
    page_query, count_query = queries.people_search(
        text=text is not None, role=where.role is not None, neighbourhood=where.neighbourhood_id is not None,
        network=where.network_id is not None, skill=where.skill_id is not None, by_distance=where.near is not None)
    return await read_page(
        driver, database=database, page_query=page_query, count_query=count_query, convert=_view,
        skip=offset, limit=first, viewer=viewer.person_id, text=text,
        role=where.role.value if where.role else None, neighbourhood=where.neighbourhood_id,
        network=where.network_id, skill=where.skill_id,
        latitude=where.near.latitude if where.near else None, longitude=where.near.longitude if where.near else None)


async def people_by_ids(driver: AsyncDriver, viewer: Viewer, ids: list[str], *, database: str) -> dict[str, PersonView]:
    """Many people in one query, as the viewer may see them; unknown ids are left out."""
    rows = await read(driver, queries.PEOPLE_BY_IDS, ids=ids, viewer=viewer.person_id, database=database)
    return {view.id: view for view in map(_view, rows)}


async def skills_of_people(driver: AsyncDriver, ids: list[str], *, database: str) -> dict[str, list[SkillOfPerson]]:
    """Each person's skills, by skill name, for many people in one query."""
    records = await read(driver, queries.SKILLS_OF_PEOPLE, ids=ids, database=database)
    return {record["id"]: [SkillOfPerson(
        skill=Skill(id=row["id"], name=row["name"], category=row["category"]), mode=SkillMode(row["mode"]),
        level=row["level"], since=_day(row["since"])) for row in record["rows"]] for record in records}


async def ties_of_people(driver: AsyncDriver, ids: list[str], *, database: str) -> dict[str, list[TieView]]:
    """Each person's ties, by the other person's name, for many people in one query."""
    records = await read(driver, queries.TIES_OF_PEOPLE, ids=ids, database=database)
    return {record["id"]: [TieView(person_id=row["person_id"], strength=row["strength"], since=_day(row["since"]),
                                   last_contact=_day(row["last_contact"])) for row in record["rows"]]
            for record in records}


async def networks_of_people(driver: AsyncDriver, ids: list[str], *,
                             database: str) -> dict[str, list[tuple[Network, MembershipKind]]]:
    """The networks each person belongs to, and as what, for many people in one query."""
    records = await read(driver, queries.NETWORKS_OF_PEOPLE, ids=ids, database=database)
    return {record["id"]: [(Network(id=row["id"], name=row["name"]), MembershipKind(row["kind"]))
                           for row in record["rows"]] for record in records}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _view(row: dict[str, Any]) -> PersonView:
    position = row["position"]
    return PersonView(
        id=row["id"], name=row["name"], bio=row["bio"] or "",
        roles=tuple(Role(label) for label in sorted(row["roles"])),
        position=Point(position.latitude, position.longitude) if position is not None else None,
        position_is_exact=bool(row["position_is_exact"]),
        neighbourhood_id=row["neighbourhood_id"],
    )
