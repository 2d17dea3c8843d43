"""Who may change what: each change checks its rule inside its own transaction.

The rules are fixed Cypher predicates over the viewer and the ids a change touches
(`queries.permissions.MAY`); what the viewer may *see* is decided in the read queries themselves
(`queries.fragments.AUDIENCE`). A refusal says what is needed, never whether the thing exists.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from . import queries
from .errors import Forbidden, require_signed_in
from .model import Viewer

if TYPE_CHECKING:
    from .database import Transaction
    from .viewer_graph import ViewerGraph


class Rule(str, Enum):
    """Who may make a change; the value is said in the refusal ("only a coordinator may do this")."""

    SIGNED_IN = "signed in"
    COORDINATOR = "coordinator"
    THE_PERSON = "the person"
    THE_PERSON_OR_COORDINATOR = "the person or a coordinator"
    EITHER_PERSON = "either person"
    EITHER_PERSON_OR_COORDINATOR = "either person or a coordinator"
    CAMPAIGN_PARTICIPANTS = "the campaign's participants or a coordinator"
    CAMPAIGN_ORGANISERS = "the campaign's organisers or a coordinator"
    NETWORK_STAFF = "network staff"
    STAFF_OF_BOTH = "staff of both people's networks"


async def require(
    tx: Transaction,
    viewer: Viewer,
    rule: Rule,
    *,
    person: str | None = None,
    other: str | None = None,
    campaign: str | None = None,
    network: str | None = None,
) -> None:
    """Raise Forbidden unless the rule holds for this viewer; signed-out viewers may change nothing."""
    row = await tx.single(
        queries.permissions.MAY[rule.value],
        viewer=require_signed_in(viewer),
        person=person,
        other=other,
        campaign=campaign,
        network=network,
    )
    if not row["allowed"]:
        raise Forbidden(f"only {rule.value} may do this")


async def may_see_network_care(graph: ViewerGraph, network_id: str) -> bool:
    """Isolation scores and who needs attention in a network: for its coordinators and support workers only."""
    if not graph.viewer.signed_in:
        return False
    rows = await graph.read(
        queries.permissions.MAY[Rule.NETWORK_STAFF.value], person=None, other=None, campaign=None, network=network_id
    )
    return bool(rows[0]["allowed"])
