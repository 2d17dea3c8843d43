"""People's rights over their data: to take all of it away, and to have it erased."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import queries
from .errors import SIGN_IN_FIRST, Forbidden, require_signed_in
from .viewer_graph import ViewerGraph
from .writes import erase_person


async def personal_data(graph: ViewerGraph) -> dict[str, Any]:
    """All Peermap holds about the viewer, as plain JSON values; their own, and only theirs."""
    rows = await graph.read(queries.data_rights.PERSONAL_DATA, person=require_signed_in(graph.viewer))
    if not rows:
        raise Forbidden(SIGN_IN_FIRST)
    return {"exported_at": datetime.now(UTC).isoformat(timespec="seconds"), **rows[0]}


async def erase_myself(graph: ViewerGraph) -> None:
    """The viewer's own erasure (see writes.erase_person)."""
    await erase_person(graph, require_signed_in(graph.viewer))
