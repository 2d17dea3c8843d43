"""People's rights over their data: to take all of it away, and to have it erased."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from neo4j import AsyncDriver

from . import queries
from .access import Forbidden
from .database import read
from .model import Viewer
from .writes import erase_person


async def personal_data(driver: AsyncDriver, viewer: Viewer, *, database: str) -> dict[str, Any]:
    """All Peermap holds about the viewer, as plain JSON values; their own, and only theirs."""
    if viewer.person_id is None:
        raise Forbidden("sign in first")
    rows = await read(driver, queries.PERSONAL_DATA, person=viewer.person_id, database=database)
    if not rows:
        raise Forbidden("sign in first")
    return {"exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **rows[0]}


async def erase_myself(driver: AsyncDriver, viewer: Viewer, *, database: str) -> None:
    """The viewer's own erasure (see writes.erase_person)."""
    if viewer.person_id is None:
        raise Forbidden("sign in first")
    await erase_person(driver, viewer, viewer.person_id, database=database)
