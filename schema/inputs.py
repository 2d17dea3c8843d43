"""GraphQL input types: what clients send, each checked and turned into the plain values graph/ takes."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..graph.model import BoundingBox, CampaignFilter, Point
from .enums import (
    Attendance,
    CampaignStatus,
    ContributionKind,
    LocationVisibility,
    MembershipKind,
    OutcomeStatus,
    QuestionKind,
    RecordedFrom,
    Role,
    SkillMode,
    Stance,
)
from .errors import bad_input
from .ids import local_id


@strawberry.input(description="A WGS-84 point.")
class PointInput:
    latitude: float
    longitude: float

    def to_point(self, argument: str) -> Point:
        if not -90 <= self.latitude <= 90:
            raise bad_input(f"{argument}.latitude", "must be from -90 to 90")
        if not -180 <= self.longitude <= 180:
            raise bad_input(f"{argument}.longitude", "must be from -180 to 180")
        return Point(self.latitude, self.longitude)


@strawberry.input(description="A box on the map, in WGS-84 degrees.")
class BoundingBoxInput:
    west: float
    south: float
    east: float
    north: float

    def to_box(self, argument: str) -> BoundingBox:
        for name in ("west", "east"):
            if not -180 <= getattr(self, name) <= 180:
                raise bad_input(f"{argument}.{name}", "must be from -180 to 180")
        for name in ("south", "north"):
            if not -90 <= getattr(self, name) <= 90:
                raise bad_input(f"{argument}.{name}", "must be from -90 to 90")
        if self.south > self.north:
            raise bad_input(f"{argument}.north", "must not be south of south")
        return BoundingBox(west=self.west, south=self.south, east=self.east, north=self.north)


@strawberry.input(description="Narrow the people listed; all given conditions must hold.")
class PeopleFilterInput:
    text: str | None = strawberry.field(default=None, description="Words in the name or bio; typos forgiven.")
    role: Role | None = None
    neighbourhood: strawberry.ID | None = None
    network: strawberry.ID | None = None
    skill: strawberry.ID | None = strawberry.field(default=None, description="People who offer this skill.")
    within: BoundingBoxInput | None = strawberry.field(
        default=None, description="Seen inside this box: at the position you may see them (the ~400 m cell for most)."
    )


@strawberry.input(description="Narrow the campaigns listed; all given conditions must hold.")
class CampaignFilterInput:
    status: list[CampaignStatus] | None = None
    neighbourhood: strawberry.ID | None = None
    starts_from: date | None = None
    starts_until: date | None = None
    within: BoundingBoxInput | None = strawberry.field(default=None, description="Centred inside this box.")
    near: PointInput | None = strawberry.field(default=None, description="With withinKm, or to sort NEAREST.")
    within_km: float | None = None


@strawberry.enum
class CampaignOrder(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    NEAREST = "nearest"


def campaign_filter(given: CampaignFilterInput | None) -> CampaignFilter:
    if given is None:
        return CampaignFilter()
    if given.within_km is not None and not 0 < given.within_km <= 500:
        raise bad_input("filter.withinKm", "must be more than 0 and at most 500")
    return CampaignFilter(
        statuses=tuple(given.status or ()),
        neighbourhood_id=local_id(given.neighbourhood, "Neighbourhood", "filter.neighbourhood"),
        starts_from=given.starts_from,
        starts_until=given.starts_until,
        within=given.within.to_box("filter.within") if given.within else None,
        near=given.near.to_point("filter.near") if given.near else None,
        within_km=given.within_km,
    )


@strawberry.input
class CreatePersonInput:
    name: str
    roles: list[Role]
    bio: str = ""
    home: PointInput | None = None
    location_visibility: LocationVisibility = LocationVisibility.APPROXIMATE
    neighbourhood: strawberry.ID | None = None
    contact: str = strawberry.field(default="", description="Shown to others only once the person agrees.")
    network: strawberry.ID | None = strawberry.field(
        default=None,
        description="A network to add them to in the same step: as its volunteer if they are one, as staff if "
        "they are a coordinator or support worker, else as a member.",
    )


@strawberry.input(
    description="Only the fields given change. Home, visibility, contact and hiding skills are "
    "the person's own choices; roles are given by coordinators."
)
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    roles: list[Role] | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    home: PointInput | None = strawberry.UNSET
    location_visibility: LocationVisibility | None = strawberry.UNSET
    neighbourhood: strawberry.ID | None = strawberry.UNSET
    contact: str | None = strawberry.UNSET
    contactable: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Agree that others may see the contact details."
    )
    skills_hidden: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Show skills only to yourself and your supporters."
    )
    ties_shared: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Let the people you know see whom you know (so friends in common can be counted).",
    )


@strawberry.input
class SetPersonSkillInput:
    person: strawberry.ID
    skill: strawberry.ID
    mode: SkillMode
    level: int = strawberry.field(description="1 (beginner) to 5 (can teach it).")


@strawberry.input
class ConnectInput:
    person: strawberry.ID
    other: strawberry.ID
    strength: int = strawberry.field(default=3, description="1 (acquaintance) to 5 (close).")
    since: date | None = None


@strawberry.input
class AskToConnectInput:
    person: strawberry.ID = strawberry.field(description="Who asks: yourself, or the person you act for.")
    other: strawberry.ID
    note: str = strawberry.field(default="", description="A short note for the other person.")
    strength: int = strawberry.field(default=3, description="1 (acquaintance) to 5 (close).")


@strawberry.input
class TieChangeInput:
    person: strawberry.ID
    other: strawberry.ID
    strength: int | None = strawberry.field(default=None, description="A new strength, 1 to 5.")
    contact_on: date | None = strawberry.field(default=None, description="A contact on this day (default today).")


@strawberry.input
class MembershipInput:
    person: strawberry.ID
    network: strawberry.ID
    role: MembershipKind = MembershipKind.MEMBER


@strawberry.input
class SupportInput:
    supporter: strawberry.ID
    person: strawberry.ID


@strawberry.input
class NeighbourhoodInput:
    name: str
    boundary: JSON = strawberry.field(description="A GeoJSON Polygon or MultiPolygon, [longitude, latitude].")


@strawberry.input(description="Only the fields given change.")
class UpdateNeighbourhoodInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    boundary: JSON | None = strawberry.UNSET


@strawberry.input
class CreateCampaignInput:
    title: str
    area: JSON = strawberry.field(description="A GeoJSON Polygon, [longitude, latitude].")
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    neighbourhoods: list[strawberry.ID] = strawberry.field(default_factory=list)
    needed_skills: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given change; moveCampaign moves it along its life.")
class UpdateCampaignInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    area: JSON | None = strawberry.UNSET
    starts_on: date | None = strawberry.UNSET
    ends_on: date | None = strawberry.UNSET


@strawberry.input
class ParticipationInput:
    person: strawberry.ID
    campaign: strawberry.ID
    role: str = "participant"


@strawberry.input
class LogHoursInput:
    person: strawberry.ID
    campaign: strawberry.ID
    hours: float = strawberry.field(description="More than 0, at most 24 at a time.")


@strawberry.input(description="Your input to a campaign you take part in.")
class ContributeInput:
    campaign: strawberry.ID
    kind: ContributionKind
    text: str
    area: JSON | None = strawberry.field(
        default=None, description="A next area's GeoJSON Polygon, [longitude, latitude]; only for NEXT_AREA."
    )


@strawberry.input(description="What people said at a meeting or on a paper form, written down with who said it.")
class RecordInputInput:
    campaign: strawberry.ID
    kind: ContributionKind
    text: str
    said_by: list[strawberry.ID] = strawberry.field(description="Everyone who said it: people taking part.")
    recorded_from: RecordedFrom


@strawberry.input(description="Move a campaign one stage on, back from review to work, or stop it (with a reason).")
class MoveCampaignInput:
    campaign: strawberry.ID
    stage: CampaignStatus
    reason: str = strawberry.field(default="", description="Needed to stop it.")


@strawberry.input(description="A meeting of a campaign (its organisers).")
class PlanMeetingInput:
    campaign: strawberry.ID
    title: str
    starts_at: datetime = strawberry.field(description="With its offset from UTC.")
    place_name: str = strawberry.field(description="Where, in words people know: 'the library, upstairs'.")
    place: PointInput | None = strawberry.field(default=None, description="Where on the map (a public place).")
    accessibility: str = strawberry.field(default="", description="What makes it accessible.")


@strawberry.input(description="Who came to a meeting: yourself, or (organisers) someone taking part.")
class AttendInput:
    meeting: strawberry.ID
    person: strawberry.ID
    how: Attendance = Attendance.IN_PERSON


@strawberry.input
class QuestionInput:
    text: str
    kind: QuestionKind
    choices: list[str] = strawberry.field(default_factory=list, description="A choice question's, 2 to 10.")


@strawberry.input(description="A survey of a campaign (its organisers): 1 to 20 questions.")
class CreateSurveyInput:
    campaign: strawberry.ID
    title: str
    questions: list[QuestionInput]


@strawberry.input(description="One answer: a choice's words, a number from 1 to 5, or free text (may be empty).")
class SurveyAnswerInput:
    question: strawberry.ID
    value: str


@strawberry.input(description="Your answers to a survey, once; never kept with your name.")
class AnswerSurveyInput:
    survey: strawberry.ID
    answers: list[SurveyAnswerInput]


@strawberry.input(description="A funding bid you write for a campaign you take part in.")
class FundingBidInput:
    campaign: strawberry.ID
    funder: str
    amount_pence: int = strawberry.field(description="In pence: 150000 is £1,500.")
    decision: strawberry.ID | None = strawberry.field(default=None, description="The decision it carries out.")


@strawberry.input(description="Your word at a campaign's review: satisfied or not (then say why).")
class SignOffInput:
    campaign: strawberry.ID
    satisfied: bool
    reason: str = ""


@strawberry.input(description="A decision and the contributions (at least one, to this campaign) that informed it.")
class DecideInput:
    campaign: strawberry.ID
    statement: str
    informed_by: list[strawberry.ID]
    took_part: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The people taking part in the campaign who made the decision."
    )


@strawberry.input(description="What will carry a decision out.")
class AddOutcomeInput:
    decision: strawberry.ID
    title: str
    status: OutcomeStatus = OutcomeStatus.PLANNED
    progress: int = 0
    due_on: date | None = strawberry.field(default=None, description="When it should be done by.")


@strawberry.input(description="Where an outcome stands now; kept as an update.")
class MoveOutcomeInput:
    id: strawberry.ID
    status: OutcomeStatus
    progress: int
    note: str = ""
    due_on: date | None = strawberry.field(default=None, description="A new date to be done by; null keeps it.")


@strawberry.input(description="Your one voice on a proposal; again, to change it.")
class PositionInput:
    proposal: strawberry.ID
    stance: Stance
    reason: str = strawberry.field(default="", description="Needed to object, so that it can be answered.")


@strawberry.input(description="Someone helped you: for how long, and your thanks. It counts once they confirm.")
class ThanksInput:
    helper: strawberry.ID
    minutes: int
    what: str = ""


@strawberry.input(description="Time credits from the community pot to someone (coordinators).")
class FromPotInput:
    person: strawberry.ID
    minutes: int
    what: str = ""
