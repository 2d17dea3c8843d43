"""People as a given viewer may see them."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from . import queries
from .model import Page, PersonView, Point, Role, Viewer


async def person(driver: AsyncDriver, viewer: Viewer, person_id: str, *, database: str) -> PersonView | None:
    records, _, _ = await driver.execute_query(
        queries.PERSON_BY_ID, id=person_id, viewer=viewer.person_id, database_=database, routing_="r")
    return _view(records[0].data()) if records else None


async def people_page(driver: AsyncDriver, viewer: Viewer, *, first: int, offset: int, database: str) -> Page:
    """One page of people by name, and how many there are in all."""

    async def work(tx: Any) -> Page:
        page = await tx.run(queries.PEOPLE_PAGE, skip=offset, limit=first, viewer=viewer.person_id)
        items = [_view(row) for row in await page.data()]
        total = await (await tx.run(queries.COUNT_PEOPLE)).single()
        return Page(items=items, total=total["count"])

    async with driver.session(database=database, default_access_mode="READ") as session:
        return await session.execute_read(work)


def _view(row: dict[str, Any]) -> PersonView:
    position = row["position"]
    return PersonView(
        id=row["id"], name=row["name"], bio=row["bio"] or "",
        roles=tuple(Role(label) for label in sorted(row["roles"])),
        position=Point(position.latitude, position.longitude) if position is not None else None,
        position_is_exact=bool(row["position_is_exact"]),
        neighbourhood_id=row["neighbourhood_id"],
    )
