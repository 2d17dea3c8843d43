"""People as a given viewer may see them."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from . import queries
from .database import read_page
from .model import Page, PersonView, Point, Role, Viewer


async def person(driver: AsyncDriver, viewer: Viewer, person_id: str, *, database: str) -> PersonView | None:
    records, _, _ = await driver.execute_query(
        queries.PERSON_BY_ID, id=person_id, viewer=viewer.person_id, database_=database, routing_="r")
    return _view(records[0].data()) if records else None


async def people_page(driver: AsyncDriver, viewer: Viewer, *, first: int, offset: int, database: str) -> Page:
    """One page of people by name, and how many there are in all."""
    return await read_page(driver, database=database, page_query=queries.PEOPLE_PAGE,
                           count_query=queries.COUNT_PEOPLE, convert=_view,
                           skip=offset, limit=first, viewer=viewer.person_id)


def _view(row: dict[str, Any]) -> PersonView:
    position = row["position"]
    return PersonView(
        id=row["id"], name=row["name"], bio=row["bio"] or "",
        roles=tuple(Role(label) for label in sorted(row["roles"])),
        position=Point(position.latitude, position.longitude) if position is not None else None,
        position_is_exact=bool(row["position_is_exact"]),
        neighbourhood_id=row["neighbourhood_id"],
    )
