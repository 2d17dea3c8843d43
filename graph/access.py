"""Who may change what: each change checks its rule inside its own transaction.

The rules are fixed Cypher predicates over the viewer and the ids a change touches
(`queries.MAY`); what the viewer may *see* is decided in the read queries themselves
(`queries.AUDIENCE`). A refusal says what is needed, never whether the thing exists.
"""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncManagedTransaction

from . import queries
from .database import count_round_trip, read
from .model import Viewer


class Forbidden(PermissionError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def require(tx: AsyncManagedTransaction, viewer: Viewer, rule: str, *, person: str | None = None,
                  other: str | None = None, campaign: str | None = None, network: str | None = None) -> None:
    """Raise Forbidden unless the rule holds for this viewer; signed-out viewers may change nothing."""
    if viewer.person_id is None:
        raise Forbidden("sign in first")
    parameters = {"viewer": viewer.person_id, "person": person, "other": other, "campaign": campaign,
                  "network": network}
    count_round_trip(queries.MAY[rule], parameters)
    record = await (await tx.run(queries.MAY[rule], **parameters)).single(strict=True)
    if not record["allowed"]:
        raise Forbidden(f"only {rule} may do this")


async def may_see_network_care(driver: AsyncDriver, viewer: Viewer, network_id: str, *, database: str) -> bool:
    """Isolation scores and who needs attention in a network: for its coordinators and support workers only."""
    if viewer.person_id is None:
        return False
    rows = await read(driver, queries.MAY["network staff"], viewer=viewer.person_id, person=None, other=None,
                      campaign=None, network=network_id, database=database)
    return bool(rows[0]["allowed"])
