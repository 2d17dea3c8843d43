"""Co-production, first part: what people put into a campaign, the decisions their input informed,
the outcomes that carry the decisions out, and, for each person, what became of their input.

The fact sheet's first test of co-production is that people are told how their input affected
the outcome: every decision is recorded with the contributions that informed it (at least one),
every outcome with its decision, and every change of an outcome as an update, so that the chain
from one person's words to where things stand now can be walked back. Anyone taking part
contributes (a supporter may write for a person who gave them leave: recorded as such);
organisers record decisions and outcomes; only the author withdraws a contribution (its words go,
its place in the decisions' record stays).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, LiteralString

from . import queries
from .database import Transaction
from .errors import Invalid, NotFound
from .model import (
    CampaignStatus,
    Contribution,
    ContributionKind,
    CoProductionFigure,
    Decision,
    InputTrail,
    Notification,
    NotificationEvent,
    Outcome,
    OutcomeStatus,
    OutcomeUpdate,
    Position,
    RecordedFrom,
    Stance,
)
from .permissions import Rule
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

MAX_CONTRIBUTION = 4000  # characters: a page of notes from a meeting
MAX_REASON = 1000
MAX_STATEMENT = 2000
MAX_INFORMED_BY = 100
MAX_TOOK_PART = 100
MAX_SPEAKERS = 30  # named as saying one thing at a meeting
MAX_OUTCOMES = 5  # per decision: more is a new decision
LATEST_UPDATES = 10  # of an outcome, shown; all are kept
TRAIL_DECISIONS = 10  # the latest a contribution informed, in "what became of my input"

# Where an outcome may go from each status (the same status again: only its progress moves).
NEXT_STATUS: dict[OutcomeStatus, set[OutcomeStatus]] = {
    OutcomeStatus.PLANNED: {OutcomeStatus.IN_PROGRESS, OutcomeStatus.DROPPED},
    OutcomeStatus.IN_PROGRESS: {OutcomeStatus.DONE, OutcomeStatus.STALLED, OutcomeStatus.DROPPED},
    OutcomeStatus.STALLED: {OutcomeStatus.IN_PROGRESS, OutcomeStatus.DROPPED},
    OutcomeStatus.DONE: set(),
    OutcomeStatus.DROPPED: set(),
}


def _text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise Invalid(field, "must not be empty")
    if len(text) > limit:
        raise Invalid(field, f"at most {limit} characters")
    return text


# Who was told, as (person, notification) pairs: the caller announces each on their channel.
Told = list[tuple[str, str]]


async def _tell(
    tx: Transaction,
    actor: str | None,
    decision_id: str,
    event: NotificationEvent,
    outcome_id: str | None = None,
    status: OutcomeStatus | None = None,
) -> Told:
    """Tell everyone whose input informed the decision what became of it (not the one who did it)."""
    rows = await tx.run(
        queries.coproduction.TELL,
        decision=decision_id,
        actor=actor,
        event=event.value,
        outcome=outcome_id,
        status=status.value if status else None,
    )
    return [(row["person"], row["notification"]) for row in rows]


def _progress(value: int) -> int:
    if not 0 <= value <= 100:
        raise Invalid("progress", "from 0 to 100")
    return value


# The stages in which input is taken: a next area only once the campaign has completed.
WORKING_STAGES = {CampaignStatus.PROPOSED, CampaignStatus.PLANNING, CampaignStatus.ACTIVE, CampaignStatus.REVIEW}


async def _open_to(tx: Transaction, campaign_id: str, kind: ContributionKind) -> None:
    """Refuse input the campaign's stage does not take."""
    rows = await tx.run(queries.lifecycle.STAGE, campaign=campaign_id)
    if not rows:
        raise NotFound("campaign", f"no campaign has the id {campaign_id!r}")
    stage, next_round = CampaignStatus(rows[0]["stage"]), rows[0]["next_round"]
    if kind is ContributionKind.NEXT_AREA:
        if stage is not CampaignStatus.COMPLETED or next_round == "closed":
            raise Invalid("kind", "the next area is proposed once the campaign has completed, until it is chosen")
    elif stage not in WORKING_STAGES:
        raise Invalid("campaign", f"the campaign is {stage.value}: it takes no more input")


async def contribute(
    graph: ViewerGraph, campaign_id: str, kind: ContributionKind, text: str, area: dict[str, Any] | None = None
) -> Contribution:
    """The viewer's input to a campaign they take part in (acting for someone: that person's,
    entered by the supporter); a next area comes with its area, drawn or a neighbourhood's."""
    words = _text(text, "text", MAX_CONTRIBUTION)
    if (kind is ContributionKind.NEXT_AREA) != (area is not None):
        raise Invalid("area", "a next area has an area, and nothing else does")
    contribution_id = new_id("x")

    async def work(tx: Transaction) -> Contribution:
        await _open_to(tx, campaign_id, kind)
        row = await tx.single(
            queries.coproduction.CONTRIBUTE,
            person=graph.viewer.person_id,
            campaign=campaign_id,
            id=contribution_id,
            kind=kind.value,
            text=words,
            area=json.dumps(area) if area else None,
            entered_by=graph.viewer.actor_id,
        )
        return Contribution(
            id=contribution_id,
            campaign_id=campaign_id,
            kind=kind,
            text=words,
            made_at=row["made_at"].to_native(),
            author_id=graph.viewer.person_id,
            entered_by_id=graph.viewer.actor_id,
            said_by=(graph.viewer.person_id,) if graph.viewer.person_id else (),
            area=area,
        )

    return await graph.change(
        work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="contributed to a campaign"
    )


async def record_input(
    graph: ViewerGraph,
    campaign_id: str,
    kind: ContributionKind,
    text: str,
    said_by: Sequence[str],
    recorded_from: RecordedFrom,
) -> Contribution:
    """What people taking part said at a meeting or wrote on a paper form, written down by one of
    the campaign's organisers (or a coordinator) with everyone who said it named: it is each of
    theirs (in what became of their input, told of what it feeds, each free to take their name
    off), recorded as written down by the viewer."""
    words = _text(text, "text", MAX_CONTRIBUTION)
    speakers = sorted(set(said_by))
    if not speakers:
        raise Invalid("saidBy", "name who said it")
    if len(speakers) > MAX_SPEAKERS:
        raise Invalid("saidBy", f"at most {MAX_SPEAKERS}")
    if kind is ContributionKind.NEXT_AREA:
        raise Invalid("kind", "a next area is proposed by the person, with its area")
    contribution_id = new_id("x")

    async def work(tx: Transaction) -> Contribution:
        await _open_to(tx, campaign_id, kind)
        row = await tx.single(
            queries.coproduction.RECORD,
            campaign=campaign_id,
            recorder=graph.viewer.person_id,
            id=contribution_id,
            kind=kind.value,
            text=words,
            said_by=speakers,
            recorded_from=recorded_from.value,
        )
        if row["speakers"] != len(speakers):  # raised inside the transaction: nothing is kept
            raise Invalid("saidBy", "everyone named must be taking part in the campaign")
        return Contribution(
            id=contribution_id,
            campaign_id=campaign_id,
            kind=kind,
            text=words,
            made_at=row["made_at"].to_native(),
            author_id=speakers[0],
            said_by=tuple(speakers),
            recorded_by_id=graph.viewer.person_id,
            recorded_from=recorded_from,
        )

    return await graph.change(
        work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="wrote down what people said"
    )


async def withdraw(graph: ViewerGraph, contribution_id: str) -> str:
    """The author takes their words back (one of several who said it, their name); the campaign's id."""

    async def work(tx: Transaction) -> str:
        rows = await tx.run(queries.coproduction.WITHDRAW, person=graph.viewer.person_id, id=contribution_id)
        if not rows:
            raise NotFound("id", "you have no contribution with that id")
        return str(rows[0]["campaign_id"])

    return await graph.change(
        work, rule=Rule.THE_PERSON, person=graph.viewer.person_id, action="withdrew a contribution"
    )


async def take_position(graph: ViewerGraph, proposal_id: str, stance: Stance, reason: str = "") -> str:
    """The viewer's one voice on a proposal in a campaign they take part in: support, object (with
    a reason, so that it can be answered) or stand aside; again, to change it. The campaign's id."""
    words = reason.strip()
    if stance is Stance.OBJECT and not words:
        raise Invalid("reason", "say why you object, so that it can be answered")
    if len(words) > MAX_REASON:
        raise Invalid("reason", f"at most {MAX_REASON} characters")
    campaign_id = await _campaign_of(graph, queries.coproduction.CONTRIBUTION_CAMPAIGN, proposal_id, "proposal")

    async def work(tx: Transaction) -> None:
        rows = await tx.run(
            queries.coproduction.TAKE_POSITION,
            person=graph.viewer.person_id,
            id=proposal_id,
            campaign=campaign_id,
            stance=stance.value,
            reason=words,
        )
        if not rows:
            raise Invalid("proposal", "only a proposal that has not been taken back can be supported or objected to")

    await graph.change(
        work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="took a position on a proposal"
    )
    return campaign_id


async def drop_position(graph: ViewerGraph, proposal_id: str) -> str:
    """The viewer takes their voice on a proposal back; the campaign's id."""
    campaign_id = await _campaign_of(graph, queries.coproduction.CONTRIBUTION_CAMPAIGN, proposal_id, "proposal")

    async def work(tx: Transaction) -> None:
        row = await tx.single(queries.coproduction.DROP_POSITION, person=graph.viewer.person_id, id=proposal_id)
        if not row["removed"]:
            raise NotFound("proposal", "you have taken no position on it")

    await graph.change(work, rule=Rule.THE_PERSON, person=graph.viewer.person_id, action="took a position back")
    return campaign_id


async def _campaign_of(graph: ViewerGraph, statement: LiteralString, item_id: str, field: str) -> str:
    """The campaign an item belongs to, by its id (NotFound names the field)."""
    rows = await graph.read(statement, id=item_id)
    if not rows:
        raise NotFound(field, f"nothing has the id {item_id!r}")
    return str(rows[0]["id"])


async def record_decision(
    tx: Transaction,
    actor: str | None,
    campaign_id: str,
    decision_id: str,
    statement: str,
    informed_by: list[str],
    took_part: Sequence[str] = (),
) -> Told:
    """A decision, with the input that informed it (at least one contribution, all to this campaign,
    none withdrawn) and who took part in deciding (people taking part in the campaign), inside the
    caller's transaction; its contributors are told."""
    words = _text(statement, "statement", MAX_STATEMENT)
    wanted, deciders = sorted(set(informed_by)), sorted(set(took_part))
    if not wanted:
        raise Invalid("informedBy", "name at least one contribution that informed it")
    if len(wanted) > MAX_INFORMED_BY:
        raise Invalid("informedBy", f"at most {MAX_INFORMED_BY}")
    if len(deciders) > MAX_TOOK_PART:
        raise Invalid("tookPart", f"at most {MAX_TOOK_PART}")
    await require_exists(tx, "Campaign", campaign_id, "campaign")
    row = await tx.single(
        queries.coproduction.DECIDE,
        campaign=campaign_id,
        id=decision_id,
        statement=words,
        informed_by=wanted,
        took_part=deciders,
    )
    if row["informed"] != len(wanted):  # raised inside the transaction: nothing is kept
        raise Invalid("informedBy", "every contribution must be to this campaign and not withdrawn")
    if row["took_part"] != len(deciders):
        raise Invalid("tookPart", "everyone named must be taking part in the campaign")
    return await _tell(tx, actor, decision_id, NotificationEvent.DECIDED)


async def decide(
    graph: ViewerGraph, campaign_id: str, statement: str, informed_by: list[str], took_part: Sequence[str] = ()
) -> tuple[Decision, Told]:
    """A decision, the input that informed it and who took part in making it, for the campaign's
    organisers (or a coordinator)."""
    decision_id = new_id("d")

    async def work(tx: Transaction) -> Told:
        return await record_decision(
            tx, graph.viewer.person_id, campaign_id, decision_id, statement, informed_by, took_part
        )

    told = await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="recorded a decision")
    return (await decisions_by_ids(graph, [decision_id]))[0], told


async def add_outcome(
    graph: ViewerGraph,
    decision_id: str,
    title: str,
    status: OutcomeStatus = OutcomeStatus.PLANNED,
    progress: int = 0,
    due_on: date | None = None,
) -> tuple[Decision, Told]:
    """An outcome carrying a decision out; the decision, as it now stands."""
    words, done = _text(title, "title", MAX_STATEMENT), _progress(progress)
    campaign_id = await _campaign_of(graph, queries.coproduction.DECISION_CAMPAIGN, decision_id, "decision")

    outcome_id = new_id("o")

    async def work(tx: Transaction) -> Told:
        rows = await tx.run(
            queries.coproduction.ADD_OUTCOME,
            decision=decision_id,
            campaign=campaign_id,
            id=outcome_id,
            title=words,
            status=status.value,
            progress=done,
            due_on=due_on,
            most=MAX_OUTCOMES,
        )
        if not rows:
            raise Invalid("decision", f"a decision has at most {MAX_OUTCOMES} outcomes: record a new decision")
        return await _tell(tx, graph.viewer.person_id, decision_id, NotificationEvent.OUTCOME_ADDED, outcome_id, status)

    told = await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="recorded an outcome")
    return (await decisions_by_ids(graph, [decision_id]))[0], told


async def move_outcome(
    graph: ViewerGraph,
    outcome_id: str,
    status: OutcomeStatus,
    progress: int,
    note: str = "",
    due_on: date | None = None,
) -> tuple[str, Told]:
    """Where an outcome stands now (kept as an update, so its history stays), and when it is due if
    that changed; the campaign's id. Those whose input informed its decision are told when its
    status or progress moves."""
    done = _progress(progress)
    words = note.strip()
    if len(words) > MAX_STATEMENT:
        raise Invalid("note", f"at most {MAX_STATEMENT} characters")
    campaign_id = await _campaign_of(graph, queries.coproduction.OUTCOME_CAMPAIGN, outcome_id, "id")

    async def work(tx: Transaction) -> Told:
        row = await tx.single(queries.coproduction.OUTCOME_STATUS, id=outcome_id, campaign=campaign_id)
        now = OutcomeStatus(row["status"])
        if status is not now and status not in NEXT_STATUS[now]:
            raise Invalid("status", f"an outcome {now.value} cannot become {status.value}")
        await tx.execute(
            queries.coproduction.MOVE_OUTCOME,
            id=outcome_id,
            status=status.value,
            progress=done,
            note=words,
            due_on=due_on,
        )
        if (now, row["progress"]) == (status, done):  # a note alone: nothing moved
            return []
        return await _tell(
            tx, graph.viewer.person_id, row["decision"], NotificationEvent.OUTCOME_MOVED, outcome_id, status
        )

    told = await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="updated an outcome")
    return campaign_id, told


def _contribution(row: dict[str, Any]) -> Contribution:
    return Contribution(
        id=row["id"],
        campaign_id=row["campaign_id"],
        kind=ContributionKind(row["kind"]),
        text=row["text"] or "",
        made_at=row["made_at"].to_native(),
        author_id=row["author_id"],
        entered_by_id=row["entered_by_id"],
        said_by=tuple(row["said_by"]),
        recorded_by_id=row["recorded_by_id"],
        recorded_from=RecordedFrom(row["recorded_from"]) if row["recorded_from"] else None,
        withdrawn=bool(row["withdrawn"]),
        positions=tuple(
            Position(person_id=p["person_id"], stance=Stance(p["stance"]), reason=p["reason"] or "")
            for p in row.get("positions") or ()
        ),
        area=json.loads(row["area"]) if row.get("area") else None,
    )


def _decision(row: dict[str, Any]) -> Decision:
    return Decision(
        id=row["id"],
        campaign_id=row["campaign_id"],
        statement=row["statement"],
        decided_at=row["decided_at"].to_native(),
        informed_by=tuple(row["informed_by"]),
        took_part=tuple(row["took_part"]),
        outcomes=tuple(
            Outcome(
                id=o["id"],
                decision_id=row["id"],
                title=o["title"],
                status=OutcomeStatus(o["status"]),
                progress=int(o["progress"]),
                due_on=o["due_on"].to_native() if o["due_on"] else None,
                updates=tuple(
                    OutcomeUpdate(
                        at=u["at"].to_native(),
                        status=OutcomeStatus(u["status"]),
                        progress=u["progress"],
                        note=u["note"],
                    )
                    for u in reversed(o["updates"])  # the latest few, oldest first
                ),
            )
            for o in row["outcomes"]
        ),
    )


async def contributions(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[Contribution]]:
    """Each campaign's input, oldest first: for its participants and coordinators; none for anyone else."""
    found: dict[str, list[Contribution]] = {}
    for row in await graph.read(queries.coproduction.CAMPAIGN_CONTRIBUTIONS, campaigns=campaign_ids):
        found.setdefault(row["campaign_id"], []).append(_contribution(row))
    return found


async def decisions(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[Decision]]:
    """Each campaign's decisions, oldest first (as public as the campaign)."""
    found: dict[str, list[Decision]] = {}
    rows = await graph.read(queries.coproduction.CAMPAIGN_DECISIONS, campaigns=campaign_ids, updates=LATEST_UPDATES)
    for row in rows:
        found.setdefault(row["campaign_id"], []).append(_decision(row))
    return found


async def decisions_by_id(graph: ViewerGraph, ids: list[str]) -> dict[str, Decision]:
    return {d.id: d for d in await decisions_by_ids(graph, ids)}


async def decisions_by_ids(graph: ViewerGraph, ids: list[str]) -> list[Decision]:
    rows = await graph.read(queries.coproduction.DECISIONS_BY_IDS, ids=ids, updates=LATEST_UPDATES)
    return [_decision(row) for row in rows]


async def my_input(graph: ViewerGraph, *, first: int) -> list[InputTrail]:
    """What became of the viewer's input: each contribution, newest first, with the decisions it
    informed and where their outcomes stand."""
    rows = await graph.read(queries.coproduction.OWN_CONTRIBUTIONS, first=first, decisions=TRAIL_DECISIONS)
    decided = {d.id: d for d in await decisions_by_ids(graph, sorted({i for r in rows for i in r["decision_ids"]}))}
    return [
        InputTrail(
            contribution=_contribution(row),
            decisions=tuple(decided[i] for i in row["decision_ids"] if i in decided),
        )
        for row in rows
    ]


def _notification(row: dict[str, Any]) -> Notification:
    return Notification(
        id=row["id"],
        event=NotificationEvent(row["event"]),
        at=row["at"].to_native(),
        read=bool(row["read"]),
        campaign_id=row["campaign_id"],
        decision_id=row["decision_id"],
        outcome_id=row["outcome_id"],
        status=OutcomeStatus(row["status"]) if row["status"] else None,
        stage=CampaignStatus(row["stage"]) if row["stage"] else None,
    )


async def notifications(graph: ViewerGraph, *, first: int, unread_only: bool = False) -> list[Notification]:
    """What the viewer was told about their input, newest first."""
    rows = await graph.read(queries.coproduction.OWN_NOTIFICATIONS, first=first, unread=unread_only)
    return [_notification(row) for row in rows]


async def notification(graph: ViewerGraph, notification_id: str) -> Notification | None:
    """One of the viewer's own notifications (None for anyone else's)."""
    rows = await graph.read(queries.coproduction.NOTIFICATION, id=notification_id)
    return _notification(rows[0]) if rows else None


async def mark_read(graph: ViewerGraph) -> int:
    """The viewer has seen all their notifications; how many were new."""

    async def work(tx: Transaction) -> int:
        return int((await tx.single(queries.coproduction.MARK_READ, person=graph.viewer.person_id))["marked"])

    return await graph.change(work, rule=Rule.THE_PERSON, person=graph.viewer.person_id, action="read their news")


async def figures(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, CoProductionFigure]:
    """Is this co-production? Each campaign's figure, in one query, for those taking part and
    coordinators (none for anyone else)."""
    rows = await graph.read(queries.coproduction.FIGURES, campaigns=campaign_ids)
    return {row["campaign_id"]: _figure(row) for row in rows}


def _figure(row: dict[str, Any]) -> CoProductionFigure:
    hours = {"member": 0.0, "volunteer": 0.0, "staff": 0.0}
    lived = {part["stage"] for part in row["taking_part"] if part["stage"]}
    with_members = {part["stage"] for part in row["taking_part"] if part["stage"] and part["member"]}
    for given in row["hours"]:
        hours[given["kind"]] += float(given["hours"])
    return CoProductionFigure(
        decisions=row["decisions"],
        decisions_with_members=row["with_members"],
        contributors=row["contributors"],
        contributors_told=row["told"],
        member_hours=hours["member"],
        volunteer_hours=hours["volunteer"],
        staff_hours=hours["staff"],
        stages=len(lived),
        stages_with_members=len(with_members),
    )
