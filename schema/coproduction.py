"""The co-production loop's types: contributions, decisions, outcomes, and what became of one's input."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from ..graph import coproduction, surveys
from ..graph.model import Attendee as GraphAttendee
from ..graph.model import Bid as GraphBid
from ..graph.model import Contribution as GraphContribution
from ..graph.model import CoProductionFigure
from ..graph.model import Decision as GraphDecision
from ..graph.model import InputTrail as GraphInputTrail
from ..graph.model import Meeting as GraphMeeting
from ..graph.model import Notification as GraphNotification
from ..graph.model import Position as GraphPosition
from ..graph.model import Question as GraphQuestion
from ..graph.model import SignOff as GraphSignOff
from ..graph.model import Survey as GraphSurvey
from .enums import (
    Attendance,
    BidStatus,
    CampaignStatus,
    ContributionKind,
    NotificationEvent,
    OutcomeStatus,
    QuestionKind,
    RecordedFrom,
    Stance,
)
from .ids import global_id
from .types import Campaign, GeoPoint, Info, Person, load_person


@strawberry.type(description="An objection to a proposal, with its reason, so that it can be answered.")
class Objection:
    reason: str
    _person_id: strawberry.Private[str | None]

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)


@strawberry.type(description="The voices on a proposal: each person one, whatever their role.")
class Positions:
    support: int
    object: int
    stand_aside: int
    objections: list[Objection]
    mine: Stance | None = strawberry.field(description="Your own, if you took one.")


@strawberry.type(
    description="Input to a campaign: an idea, a proposal, a comment, notes from a meeting, or (once it has "
    "completed) a proposed next area."
)
class Contribution:
    id: strawberry.ID
    kind: ContributionKind
    text: str = strawberry.field(description="Empty once withdrawn by its author.")
    made_at: datetime
    withdrawn: bool
    area: JSON | None = strawberry.field(description="A next area's GeoJSON Polygon (null for other input).")
    recorded_from: RecordedFrom | None = strawberry.field(
        description="Written down by an organiser from a MEETING or a PAPER_FORM; null if its author wrote it."
    )
    _author_id: strawberry.Private[str | None]
    _entered_by_id: strawberry.Private[str | None]
    _said_by: strawberry.Private[tuple[str, ...]]
    _recorded_by_id: strawberry.Private[str | None]
    _positions: strawberry.Private[tuple[GraphPosition, ...]]

    @classmethod
    def from_record(cls, record: GraphContribution) -> Contribution:
        return cls(
            id=global_id("Contribution", record.id),
            kind=record.kind,
            text=record.text,
            made_at=record.made_at,
            withdrawn=record.withdrawn,
            area=JSON(record.area) if record.area else None,
            recorded_from=record.recorded_from,
            _author_id=record.author_id,
            _entered_by_id=record.entered_by_id,
            _said_by=record.said_by,
            _recorded_by_id=record.recorded_by_id,
            _positions=record.positions,
        )

    @strawberry.field(description="On a proposal: who supports, objects (and why) or stands aside.")
    def positions(self, info: Info) -> Positions:
        stances = [p.stance for p in self._positions]
        me = info.context.graph.viewer.person_id
        return Positions(
            support=stances.count(Stance.SUPPORT),
            object=stances.count(Stance.OBJECT),
            stand_aside=stances.count(Stance.STAND_ASIDE),
            objections=[
                Objection(reason=p.reason, _person_id=p.person_id) for p in self._positions if p.stance is Stance.OBJECT
            ],
            mine=next((p.stance for p in self._positions if p.person_id == me), None),
        )

    @strawberry.field(description="Who said it, as you may see them.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self._author_id)

    @strawberry.field(description="A supporter who wrote it for its author, with their leave; null if the author did.")
    async def entered_by(self, info: Info) -> Person | None:
        return await load_person(info, self._entered_by_id)

    @strawberry.field(description="Everyone who said it (several when written down at a meeting), as you may see them.")
    async def said_by(self, info: Info) -> list[Person]:
        people = await asyncio.gather(*(load_person(info, person_id) for person_id in self._said_by))
        return [person for person in people if person]

    @strawberry.field(description="The organiser who wrote it down from a meeting or a paper form; null otherwise.")
    async def recorded_by(self, info: Info) -> Person | None:
        return await load_person(info, self._recorded_by_id)


@strawberry.type(description="A change of an outcome, kept so that its history stays.")
class OutcomeUpdate:
    at: datetime
    status: OutcomeStatus
    progress: int
    note: str


@strawberry.type(description="What carries a decision out, and where it stands.")
class Outcome:
    id: strawberry.ID
    title: str
    status: OutcomeStatus
    progress: int = strawberry.field(description="From 0 to 100.")
    due_on: date | None = strawberry.field(description="When it should be done by, if anyone said.")
    updates: list[OutcomeUpdate] = strawberry.field(
        description=f"The latest {coproduction.LATEST_UPDATES}, oldest first (all are kept)."
    )


@strawberry.type(description="A decision on a campaign, with the input that informed it and its outcomes.")
class Decision:
    id: strawberry.ID
    statement: str
    decided_at: datetime
    outcomes: list[Outcome] = strawberry.field(description=f"At most {coproduction.MAX_OUTCOMES}.")
    _campaign_id: strawberry.Private[str]
    _informed_by: strawberry.Private[tuple[str, ...]]
    _took_part: strawberry.Private[tuple[str, ...]]

    @classmethod
    def from_record(cls, record: GraphDecision) -> Decision:
        return cls(
            id=global_id("Decision", record.id),
            statement=record.statement,
            decided_at=record.decided_at,
            outcomes=[
                Outcome(
                    id=global_id("Outcome", o.id),
                    title=o.title,
                    status=o.status,
                    progress=o.progress,
                    due_on=o.due_on,
                    updates=[
                        OutcomeUpdate(at=u.at, status=u.status, progress=u.progress, note=u.note) for u in o.updates
                    ],
                )
                for o in record.outcomes
            ],
            _campaign_id=record.campaign_id,
            _informed_by=record.informed_by,
            _took_part=record.took_part,
        )

    @strawberry.field(description="The contributions that informed it, for the campaign's participants.")
    async def informed_by(self, info: Info) -> list[Contribution]:
        wanted = set(self._informed_by)
        found = await info.context.loaders.contributions.load(self._campaign_id)
        return [Contribution.from_record(c) for c in found if c.id in wanted]

    @strawberry.field(description="Who took part in deciding, for the campaign's participants; as you may see them.")
    async def took_part(self, info: Info) -> list[Person]:
        people = await asyncio.gather(*(load_person(info, person_id) for person_id in self._took_part))
        return [person for person in people if person]


@strawberry.type(description="One of your contributions, and what became of it.")
class InputTrail:
    contribution: Contribution
    decisions: list[Decision] = strawberry.field(
        description=f"The latest {coproduction.TRAIL_DECISIONS} decisions it informed, with their outcomes now."
    )

    @classmethod
    def from_record(cls, record: GraphInputTrail) -> InputTrail:
        return cls(
            contribution=Contribution.from_record(record.contribution),
            decisions=[Decision.from_record(d) for d in record.decisions],
        )


def told_topic(person_id: str) -> str:
    """Where a person's news about their input is announced (subscription toldAboutMyInput)."""
    return f"told:{person_id}"


_SAID = {
    NotificationEvent.DECIDED: "A decision was made with your input: {statement}",
    NotificationEvent.OUTCOME_ADDED: "Something will be done about a decision your input helped: {outcome}",
    NotificationEvent.OUTCOME_MOVED: "Something your input helped has moved on: {outcome} is now {status}",
    NotificationEvent.STAGE_MOVED: "A campaign you take part in has moved on: {campaign} is now {stage}",
}


@strawberry.type(
    description="You are told when a decision your input informed is made or moves on, and when a campaign you "
    "take part in moves on."
)
class Notification:
    id: strawberry.ID
    event: NotificationEvent
    at: datetime
    read: bool
    status: OutcomeStatus | None = strawberry.field(description="What the outcome became, then.")
    stage: CampaignStatus | None = strawberry.field(description="What the campaign became, then.")
    _campaign_id: strawberry.Private[str]
    _decision_id: strawberry.Private[str | None]
    _outcome_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, record: GraphNotification) -> Notification:
        return cls(
            id=global_id("Notification", record.id),
            event=record.event,
            at=record.at,
            read=record.read,
            status=record.status,
            stage=record.stage,
            _campaign_id=record.campaign_id,
            _decision_id=record.decision_id,
            _outcome_id=record.outcome_id,
        )

    async def _decision(self, info: Info) -> GraphDecision | None:
        return await info.context.loaders.decision.load(self._decision_id) if self._decision_id else None

    @strawberry.field(description="The decision, as it stands now (null when it is about the campaign's stage).")
    async def decision(self, info: Info) -> Decision | None:
        found = await self._decision(info)
        return Decision.from_record(found) if found else None

    @strawberry.field(description="The campaign it is about.")
    async def campaign(self, info: Info) -> Campaign | None:
        view = await info.context.loaders.campaign.load(self._campaign_id)
        return Campaign.from_record(view) if view else None

    @strawberry.field(description="In plain English words (the pages say it in the reader's language).")
    async def message(self, info: Info) -> str:
        found = await self._decision(info)
        outcome = next((o for o in found.outcomes if o.id == self._outcome_id), None) if found else None
        view = await info.context.loaders.campaign.load(self._campaign_id)
        return _SAID[self.event].format(
            statement=found.statement if found else "",
            outcome=outcome.title if outcome else "",
            status=self.status.value if self.status else "",
            campaign=view.title if view else "",
            stage=self.stage.value if self.stage else "",
        )


@strawberry.type(description="Someone who came to a meeting, and how (in person and remote count the same).")
class MeetingAttendee:
    how: Attendance
    _person_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)


@strawberry.type(description="A campaign's meeting: when, where, what makes it accessible, and who came.")
class Meeting:
    id: strawberry.ID
    title: str
    starts_at: datetime
    place_name: str
    place: GeoPoint | None = strawberry.field(description="Where on the map, if the organisers gave it.")
    accessibility: str = strawberry.field(description="Step-free access, a hearing loop, BSL, quiet room...")
    in_person: int = strawberry.field(description="How many came in person.")
    remote: int = strawberry.field(description="How many came remotely.")
    _attendees: strawberry.Private[tuple[GraphAttendee, ...]]

    @classmethod
    def from_record(cls, record: GraphMeeting) -> Meeting:
        place = record.place
        return cls(
            id=global_id("Meeting", record.id),
            title=record.title,
            starts_at=record.starts_at,
            place_name=record.place_name,
            place=GeoPoint(type="Point", coordinates=[place.longitude, place.latitude], exact=True) if place else None,
            accessibility=record.accessibility,
            in_person=record.in_person,
            remote=record.remote,
            _attendees=record.attendees,
        )

    @strawberry.field(description="Who came: for those taking part in the campaign and coordinators.")
    def attendees(self) -> list[MeetingAttendee]:
        return [MeetingAttendee(how=a.how, _person_id=a.person_id) for a in self._attendees]


@strawberry.type(description="How many gave one answer.")
class AnswerTotal:
    answer: str
    count: int


@strawberry.type(description="A survey's question, with its results.")
class SurveyQuestion:
    id: strawberry.ID
    text: str
    kind: QuestionKind
    choices: list[str] = strawberry.field(description="A choice question's; 1 to 5 for a scale.")
    totals: list[AnswerTotal] | None = strawberry.field(
        description="For a choice or a scale: how many gave each answer; null until five have answered."
    )
    texts: list[str] | None = strawberry.field(
        description="For free text: the answers, in alphabetical order, with no names; null until five have answered."
    )

    @classmethod
    def from_record(cls, record: GraphQuestion, counted: int) -> SurveyQuestion:
        shown = counted >= surveys.BATCH
        choices = list(record.choices) if record.kind is QuestionKind.CHOICE else list(surveys.SCALE)
        counts = [AnswerTotal(answer=c, count=record.answers.count(c)) for c in choices]
        return cls(
            id=global_id("Question", record.id),
            text=record.text,
            kind=record.kind,
            choices=choices if record.kind is not QuestionKind.TEXT else [],
            totals=counts if shown and record.kind is not QuestionKind.TEXT else None,
            texts=list(record.answers) if shown and record.kind is QuestionKind.TEXT else None,
        )


@strawberry.type(
    description="A campaign's survey, answered once by each person taking part. Its results count whole fives "
    "of respondents: nothing under five, and never a single answer that could be told apart."
)
class Survey:
    id: strawberry.ID
    title: str
    open: bool
    respondents: int = strawberry.field(description="How many have answered.")
    counted: int = strawberry.field(description="How many the results count: the respondents, in whole fives.")
    answered: bool = strawberry.field(description="Whether you have.")
    questions: list[SurveyQuestion]

    @classmethod
    def from_record(cls, record: GraphSurvey) -> Survey:
        return cls(
            id=global_id("Survey", record.id),
            title=record.title,
            open=record.open,
            respondents=record.respondents,
            counted=record.counted,
            answered=record.answered,
            questions=[SurveyQuestion.from_record(q, record.counted) for q in record.questions],
        )


@strawberry.type(description="An application for funding for a campaign, and the decision it came from.")
class FundingBid:
    id: strawberry.ID
    funder: str
    amount_pence: int = strawberry.field(description="In pence: 150000 is £1,500.")
    status: BidStatus
    made_at: datetime
    _writer_ids: strawberry.Private[tuple[str, ...]]
    _decision_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, record: GraphBid) -> FundingBid:
        return cls(
            id=global_id("FundingBid", record.id),
            funder=record.funder,
            amount_pence=record.amount_pence,
            status=record.status,
            made_at=record.made_at,
            _writer_ids=record.writer_ids,
            _decision_id=record.decision_id,
        )

    @strawberry.field(description="Who wrote it, as you may see them.")
    async def writers(self, info: Info) -> list[Person]:
        found = await asyncio.gather(*(load_person(info, w) for w in self._writer_ids))  # one batch
        return [p for p in found if p is not None]

    @strawberry.field(description="The decision it came from, if any.")
    async def decision(self, info: Info) -> Decision | None:
        found = await info.context.loaders.decision.load(self._decision_id) if self._decision_id else None
        return Decision.from_record(found) if found else None


@strawberry.type(description="A participant's word at a campaign's review.")
class SignOff:
    satisfied: bool
    reason: str
    at: datetime
    _person_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: GraphSignOff) -> SignOff:
        return cls(satisfied=record.satisfied, reason=record.reason, at=record.at, _person_id=record.person_id)

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)


@strawberry.type(
    description="Is this co-production? The fact sheet's tests, counted; figure is the mean of the parts "
    "there is anything to count for: members in the decisions, contributors told, unpaid time among all time, "
    "stages with members."
)
class CoProduction:
    figure: int | None = strawberry.field(description="0 to 100; null while there is nothing to count.")
    decisions: int
    decisions_with_members: int = strawberry.field(description="Informed by input from at least one member.")
    contributors: int
    contributors_told: int = strawberry.field(description="Whose input informed a decision, so they were told.")
    member_hours: float
    volunteer_hours: float
    staff_hours: float = strawberry.field(description="Paid staff's: support workers and coordinators.")
    stages: int = strawberry.field(description="Of its life so far: proposed, co-planning, active, review, next.")
    stages_with_members: int = strawberry.field(
        description="In which a member contributed, took a position, came to a meeting or signed off."
    )

    @classmethod
    def from_record(cls, record: CoProductionFigure) -> CoProduction:
        return cls(
            figure=record.figure,
            decisions=record.decisions,
            decisions_with_members=record.decisions_with_members,
            contributors=record.contributors,
            contributors_told=record.contributors_told,
            member_hours=record.member_hours,
            volunteer_hours=record.volunteer_hours,
            staff_hours=record.staff_hours,
            stages=record.stages,
            stages_with_members=record.stages_with_members,
        )
