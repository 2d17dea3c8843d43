"""Funding bids for a campaign (KeyRing members apply for funding): the funder, the amount, who wrote
it, where it stands, and the decision it came from. Anyone taking part writes one, and others taking
part add their own names to it (nobody is named a writer by someone else); its writers and the
organisers move it on."""

from __future__ import annotations

from typing import Any

from . import queries
from .database import Transaction
from .errors import Forbidden, Invalid, NotFound
from .model import Bid, BidStatus
from .permissions import Rule
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

MAX_FUNDER = 200
MAX_AMOUNT_PENCE = 100_000_000_00  # a hundred million pounds
NEXT_STATUS: dict[BidStatus, set[BidStatus]] = {
    BidStatus.DRAFTING: {BidStatus.SUBMITTED, BidStatus.WITHDRAWN},
    BidStatus.SUBMITTED: {BidStatus.WON, BidStatus.LOST, BidStatus.WITHDRAWN},
    BidStatus.WON: set(),
    BidStatus.LOST: set(),
    BidStatus.WITHDRAWN: set(),
}


async def create(
    graph: ViewerGraph,
    campaign_id: str,
    *,
    funder: str,
    amount_pence: int,
    decision_id: str | None = None,
) -> str:
    """A bid the viewer writes; its id."""
    name = funder.strip()
    if not name or len(name) > MAX_FUNDER:
        raise Invalid("funder", f"from 1 to {MAX_FUNDER} characters")
    if not 0 < amount_pence <= MAX_AMOUNT_PENCE:
        raise Invalid("amount", "more than nothing, and at most a hundred million pounds")
    writers = [graph.viewer.person_id or ""]
    bid_id = new_id("b")

    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Campaign", campaign_id, "campaign")
        row = await tx.single(
            queries.bids.CREATE,
            campaign=campaign_id,
            id=bid_id,
            funder=name,
            amount=amount_pence,
            writers=writers,
            decision=decision_id,
        )
        if decision_id is not None and not row["decisions"]:
            raise Invalid("decision", "a decision of this campaign")

    await graph.change(work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="wrote a funding bid")
    return bid_id


async def write_too(graph: ViewerGraph, bid_id: str) -> str:
    """The viewer, taking part, adds their own name to a bid's writers; the campaign's id."""
    rows = await graph.read(queries.bids.BID, id=bid_id)
    if not rows:
        raise NotFound("id", f"no bid has the id {bid_id!r}")
    campaign_id = str(rows[0]["campaign_id"])

    async def work(tx: Transaction) -> None:
        await tx.execute(queries.bids.WRITE_TOO, id=bid_id, person=graph.viewer.person_id)

    await graph.change(work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="wrote a funding bid too")
    return campaign_id


async def move(graph: ViewerGraph, bid_id: str, status: BidStatus) -> str:
    """Where a bid stands now, one step on (its writers or the campaign's organisers); the campaign's id."""
    rows = await graph.read(queries.bids.BID, id=bid_id)
    if not rows:
        raise NotFound("id", f"no bid has the id {bid_id!r}")
    campaign_id, writer = str(rows[0]["campaign_id"]), bool(rows[0]["writer"])

    async def work(tx: Transaction) -> None:
        now = BidStatus((await tx.single(queries.bids.BID, id=bid_id, viewer=graph.viewer.person_id))["status"])
        if status not in NEXT_STATUS[now]:
            raise Invalid("status", f"a bid {now.value} cannot become {status.value}")
        await tx.execute(queries.bids.MOVE, id=bid_id, status=status.value)

    if writer:
        await graph.change(work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="moved a bid on")
    else:
        try:
            await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="moved a bid on")
        except Forbidden:
            raise Forbidden("only the bid's writers or the campaign's organisers may do this") from None
    return campaign_id


def _bid(row: dict[str, Any]) -> Bid:
    return Bid(
        id=row["id"],
        campaign_id=row["campaign_id"],
        funder=row["funder"],
        amount_pence=row["amount_pence"],
        status=BidStatus(row["status"]),
        made_at=row["made_at"].to_native(),
        writer_ids=tuple(row["writer_ids"]),
        decision_id=row["decision_id"],
    )


async def bids(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[Bid]]:
    """Each campaign's bids, oldest first, for those taking part and coordinators."""
    found: dict[str, list[Bid]] = {}
    for row in await graph.read(queries.bids.CAMPAIGN_BIDS, campaigns=campaign_ids):
        found.setdefault(row["campaign_id"], []).append(_bid(row))
    return found
