"""A campaign's life, planned together: proposed, co-planning, active, review, then completed when
those taking part sign off, or stopped early with a reason; completing opens the next focal point.

The rule for completing (README, "The campaign's life"): during review each participant says
whether they are satisfied, with a reason when not; the organisers may complete the campaign once
more than half of the participants have signed off and none of them is unsatisfied. An unsatisfied
participant is answered by going back to work (review -> active) and reviewing again; earlier
sign-offs then no longer count. Completing opens a round in which anyone taking part proposes the
next area (a contribution with an area) and people support or object; the organisers choose the
one with the most support and no objection standing, which becomes a new proposed campaign that
follows this one, and a decision informed by every proposal, so that each proposer is told.
"""

from __future__ import annotations

import json
from typing import Any

from . import audit, queries
from .coproduction import MAX_REASON, Told, record_decision
from .database import Transaction
from .errors import Invalid, NotFound
from .model import Campaign, CampaignStatus, NotificationEvent, Participation, SignOff
from .permissions import Rule
from .store import campaign_row
from .viewer_graph import ViewerGraph
from .writes import new_id

# A campaign moves one stage on (or back from review to work), stops from any stage before it
# completes, and completes only by complete_campaign.
NEXT_STAGE: dict[CampaignStatus, set[CampaignStatus]] = {
    CampaignStatus.PROPOSED: {CampaignStatus.PLANNING, CampaignStatus.STOPPED},
    CampaignStatus.PLANNING: {CampaignStatus.ACTIVE, CampaignStatus.STOPPED},
    CampaignStatus.ACTIVE: {CampaignStatus.REVIEW, CampaignStatus.STOPPED},
    CampaignStatus.REVIEW: {CampaignStatus.ACTIVE, CampaignStatus.STOPPED},
    CampaignStatus.COMPLETED: set(),
    CampaignStatus.STOPPED: set(),
}
MAX_TITLE = 200


def _reason(value: str, *, needed: bool, why: str) -> str:
    words = value.strip()
    if needed and not words:
        raise Invalid("reason", why)
    if len(words) > MAX_REASON:
        raise Invalid("reason", f"at most {MAX_REASON} characters")
    return words


async def _stage(tx: Transaction, campaign_id: str) -> dict[str, Any]:
    rows = await tx.run(queries.lifecycle.STAGE, campaign=campaign_id)
    if not rows:
        raise NotFound("campaign", f"no campaign has the id {campaign_id!r}")
    return rows[0]


async def _tell(tx: Transaction, actor: str | None, campaign_id: str, stage: CampaignStatus) -> Told:
    rows = await tx.run(
        queries.lifecycle.TELL_PARTICIPANTS,
        campaign=campaign_id,
        actor=actor,
        event=NotificationEvent.STAGE_MOVED.value,
        stage=stage.value,
    )
    return [(row["person"], row["notification"]) for row in rows]


async def _moved(tx: Transaction, graph: ViewerGraph, campaign_id: str, stage: CampaignStatus, reason: str) -> Told:
    await tx.execute(queries.lifecycle.MOVE, campaign=campaign_id, stage=stage.value, reason=reason)
    await audit.record_on_campaign(tx, graph.viewer, campaign_id, f"moved the campaign to {stage.value}", reason)
    return await _tell(tx, graph.viewer.person_id, campaign_id, stage)


async def move_campaign(graph: ViewerGraph, campaign_id: str, stage: CampaignStatus, reason: str = "") -> Told:
    """The organisers move the campaign one stage on (or back to work from review), or stop it,
    saying why; everyone taking part is told."""
    if stage is CampaignStatus.COMPLETED:
        raise Invalid("stage", "a campaign completes when those taking part sign it off: completeCampaign")
    words = _reason(reason, needed=stage is CampaignStatus.STOPPED, why="say why the campaign stops")

    async def work(tx: Transaction) -> Told:
        now = CampaignStatus((await _stage(tx, campaign_id))["stage"])
        if stage not in NEXT_STAGE[now]:
            raise Invalid("stage", f"a campaign in {now.value} cannot move to {stage.value}")
        return await _moved(tx, graph, campaign_id, stage, words)

    return await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="moved a campaign on")


async def sign_off(graph: ViewerGraph, campaign_id: str, satisfied: bool, reason: str = "") -> None:
    """The viewer, taking part, says whether they are satisfied with a campaign under review (again,
    to change it); not satisfied needs a reason, so that it can be answered."""
    words = _reason(reason, needed=not satisfied, why="say why you are not satisfied, so that it can be answered")

    async def work(tx: Transaction) -> None:
        if CampaignStatus((await _stage(tx, campaign_id))["stage"]) is not CampaignStatus.REVIEW:
            raise Invalid("campaign", "a campaign is signed off during its review")
        rows = await tx.run(
            queries.lifecycle.SIGN_OFF,
            person=graph.viewer.person_id,
            campaign=campaign_id,
            satisfied=satisfied,
            reason=words,
        )
        if not rows:
            raise Invalid("campaign", "only those taking part sign a campaign off: join it first")

    await graph.change(work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="signed a campaign off")


def completion_refused(participants: int, sign_offs: list[bool]) -> str | None:
    """Why the campaign cannot complete yet (None: it can), by the rule in the module's docstring."""
    unsatisfied = sign_offs.count(False)
    if unsatisfied:
        return f"{unsatisfied} of those taking part are not satisfied: answer them, and review again"
    if 2 * len(sign_offs) <= participants:
        return f"{len(sign_offs)} of {participants} have signed off: more than half must"
    return None


async def complete_campaign(graph: ViewerGraph, campaign_id: str) -> Told:
    """Completed, by the participants' sign-off; the round for the next focal point opens."""

    async def work(tx: Transaction) -> Told:
        row = await _stage(tx, campaign_id)
        if CampaignStatus(row["stage"]) is not CampaignStatus.REVIEW:
            raise Invalid("campaign", "a campaign completes from its review")
        refused = completion_refused(row["participants"], list(row["sign_offs"]))
        if refused:
            raise Invalid("campaign", refused)
        return await _moved(tx, graph, campaign_id, CampaignStatus.COMPLETED, "")

    return await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="completed a campaign")


def _title(text: str) -> str:
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first[:MAX_TITLE] or "The next focal point"


async def choose_next_area(graph: ViewerGraph, campaign_id: str, proposal_id: str) -> tuple[str, Told]:
    """The organisers close the round: the proposed next area with the most support and no objection
    standing becomes a new proposed campaign following this one (its proposer its first organiser),
    decided with every proposal as its input, so that each proposer is told. The new campaign's id,
    and who was told."""
    next_id, decision_id = new_id("c"), new_id("d")

    async def work(tx: Transaction) -> Told:
        row = await _stage(tx, campaign_id)
        if CampaignStatus(row["stage"]) is not CampaignStatus.COMPLETED or row["next_round"] == "closed":
            raise Invalid("campaign", "the next focal point is chosen once a campaign completes, and only once")
        rows = await tx.run(queries.lifecycle.NEXT_AREA, id=proposal_id, campaign=campaign_id)
        if not rows:
            raise NotFound("proposal", "no next area proposed in this campaign has that id")
        proposal = rows[0]
        if proposal["objections"]:
            raise Invalid("proposal", "an objection to it stands: answer it first")
        if proposal["support"] < max(proposal["supports"]):
            raise Invalid("proposal", "another proposal has more support")
        title = _title(proposal["text"])
        statement = f"The next focal point: {title}"
        told = await record_decision(
            tx, graph.viewer.person_id, campaign_id, decision_id, statement, list(proposal["all_ids"])
        )
        follow = Campaign(
            id=next_id,
            title=title,
            description=proposal["text"],
            status=CampaignStatus.PROPOSED,
            area=json.loads(proposal["area"]),
            participants=(Participation(person_id=proposal["author_id"] or "", role="organiser"),),
        )
        await tx.run(queries.datasets.MERGE_CAMPAIGNS, rows=[campaign_row(follow)])
        await tx.execute(queries.lifecycle.FOLLOW, next=next_id, campaign=campaign_id)
        await audit.record_on_campaign(tx, graph.viewer, next_id, "proposed the campaign", statement)
        return told

    told = await graph.change(
        work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="chose the next focal point"
    )
    return next_id, told


async def sign_offs(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[SignOff]]:
    """This review's sign-offs per campaign, for those taking part and coordinators."""
    found: dict[str, list[SignOff]] = {}
    for row in await graph.read(queries.lifecycle.SIGN_OFFS, campaigns=campaign_ids):
        found.setdefault(row["campaign_id"], []).append(
            SignOff(
                person_id=row["person_id"],
                satisfied=row["satisfied"],
                reason=row["reason"] or "",
                at=row["at"].to_native(),
            )
        )
    return found
