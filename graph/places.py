"""Neighbourhoods and campaigns: public information, the same for every viewer."""

from __future__ import annotations

import json
from typing import Any

from neo4j import AsyncDriver

from . import queries
from .database import read, read_page
from .model import CampaignStatus, CampaignView, NeighbourhoodView, Page


async def neighbourhoods(driver: AsyncDriver, *, database: str) -> list[NeighbourhoodView]:
    records = await read(driver, queries.NEIGHBOURHOODS, database=database)
    return [NeighbourhoodView(id=r["id"], name=r["name"], boundary=json.loads(r["boundary"]),
                              member_count=r["member_count"]) for r in records]


async def campaigns_page(driver: AsyncDriver, *, first: int, offset: int, database: str) -> Page:
    """One page of campaigns, newest first, and how many there are in all."""
    return await read_page(driver, database=database, page_query=queries.CAMPAIGNS_PAGE,
                           count_query=queries.COUNT_CAMPAIGNS, convert=_campaign, skip=offset, limit=first)


def _campaign(row: dict[str, Any]) -> CampaignView:
    return CampaignView(
        id=row["id"], title=row["title"], description=row["description"] or "",
        status=CampaignStatus(row["status"]), area=json.loads(row["area"]),
        starts_on=row["starts_on"].to_native() if row["starts_on"] else None,
        ends_on=row["ends_on"].to_native() if row["ends_on"] else None,
    )
