"""Neighbourhoods and campaigns: public information, the same for every viewer."""

from __future__ import annotations

import json
from typing import Any

from neo4j import AsyncDriver

from . import queries
from .model import CampaignStatus, CampaignView, NeighbourhoodView, Page


async def neighbourhoods(driver: AsyncDriver, *, database: str) -> list[NeighbourhoodView]:
    records, _, _ = await driver.execute_query(queries.NEIGHBOURHOODS, database_=database, routing_="r")
    return [NeighbourhoodView(id=r["id"], name=r["name"], boundary=json.loads(r["boundary"]),
                              member_count=r["member_count"]) for r in records]


async def campaigns_page(driver: AsyncDriver, *, first: int, offset: int, database: str) -> Page:
    async def work(tx: Any) -> Page:
        page = await tx.run(queries.CAMPAIGNS_PAGE, skip=offset, limit=first)
        items = [_campaign(row) for row in await page.data()]
        total = await (await tx.run(queries.COUNT_CAMPAIGNS)).single()
        return Page(items=items, total=total["count"])

    async with driver.session(database=database, default_access_mode="READ") as session:
        return await session.execute_read(work)


def _campaign(row: dict[str, Any]) -> CampaignView:
    return CampaignView(
        id=row["id"], title=row["title"], description=row["description"] or "",
        status=CampaignStatus(row["status"]), area=json.loads(row["area"]),
        starts_on=row["starts_on"].to_native() if row["starts_on"] else None,
        ends_on=row["ends_on"].to_native() if row["ends_on"] else None,
    )
