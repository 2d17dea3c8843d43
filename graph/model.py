"""The plain records graph/ hands out and takes in: never driver records, never GraphQL types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import cached_property
from typing import Any


class Role(str, Enum):
    MEMBER = "Member"
    SUPPORT_WORKER = "SupportWorker"
    VOLUNTEER = "Volunteer"
    COORDINATOR = "Coordinator"


class LocationVisibility(str, Enum):
    """What people other than the person and their supporters see of the home location.

    Nobody else ever sees it exactly (DESIGN.md), so the choice is between a coarse cell
    and nothing.
    """

    APPROXIMATE = "approximate"
    HIDDEN = "hidden"


class SkillMode(str, Enum):
    OFFERS = "offers"
    WANTS = "wants"


class CampaignStatus(str, Enum):
    """A campaign's life (graph/lifecycle.py moves it): planning is co-planning; it completes only
    when its participants sign off, or stops early with a reason."""

    PROPOSED = "proposed"
    PLANNING = "planning"
    ACTIVE = "active"
    REVIEW = "review"
    COMPLETED = "completed"
    STOPPED = "stopped"


class ContributionKind(str, Enum):
    """What someone put into a campaign."""

    IDEA = "idea"
    PROPOSAL = "proposal"
    COMMENT = "comment"
    MEETING_NOTE = "meeting note"
    NEXT_AREA = "next area"  # once a campaign is completed: where to go next, with an area


class RecordedFrom(str, Enum):
    """Where input written down by someone running the campaign was said."""

    MEETING = "meeting"
    PAPER_FORM = "paper form"


class OutcomeStatus(str, Enum):
    """Where a decision's outcome stands; a stalled one may start again."""

    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    DONE = "done"
    STALLED = "stalled"
    DROPPED = "dropped"


class Stance(str, Enum):
    """One person's voice on a proposal, whatever their role."""

    SUPPORT = "support"
    OBJECT = "object"  # with a reason, so that it can be answered
    STAND_ASIDE = "stand aside"


class Attendance(str, Enum):
    """How someone came to a meeting: both count the same."""

    IN_PERSON = "in person"
    REMOTE = "remote"


class BidStatus(str, Enum):
    """A funding bid's way: written, sent to the funder, then won or lost (or withdrawn)."""

    DRAFTING = "drafting"
    SUBMITTED = "submitted"
    WON = "won"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


class ExchangeStatus(str, Enum):
    """An exchange of time counts once both sides have said it happened."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class NotificationEvent(str, Enum):
    """What happened to a decision someone's input informed, or to a campaign they take part in."""

    DECIDED = "decided"
    OUTCOME_ADDED = "outcome added"
    OUTCOME_MOVED = "outcome moved"
    STAGE_MOVED = "stage moved"


class NewsBy(str, Enum):
    """How often a person is emailed their news (the pages and the subscription tell at once anyway)."""

    AT_ONCE = "at once"
    DAILY = "daily"
    NEVER = "never"


class MembershipKind(str, Enum):
    MEMBER = "member"
    VOLUNTEER = "volunteer"
    STAFF = "staff"  # a coordinator or support worker who works with the network (WORKS_WITH)


class Audience(str, Enum):
    """How a viewer stands to a person, which decides what they see of them (README, "Who sees what")."""

    SELF = "self"
    SUPPORTER = "supporter"  # supports the person (SUPPORTS)
    NETWORK_STAFF = "network_staff"  # coordinator or support worker of a network the person is in
    SIGNED_IN = "signed_in"  # anyone else with an account
    PUBLIC = "public"  # signed out


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, kw_only=True)
class Person:
    id: str
    name: str
    roles: tuple[Role, ...]
    bio: str = ""
    home: Point | None = None
    location_visibility: LocationVisibility = LocationVisibility.APPROXIMATE
    neighbourhood_id: str | None = None
    contact: str = ""  # how to reach them (phone, email): shown to others only if contactable
    contactable: bool = False
    skills_hidden: bool = False
    ties_shared: bool = False  # the people they know may see whom they know


@dataclass(frozen=True, kw_only=True)
class Skill:
    id: str
    name: str
    category: str
    broader_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonSkill:
    person_id: str
    skill_id: str
    mode: SkillMode
    level: int
    since: date | None = None


@dataclass(frozen=True, kw_only=True)
class Tie:
    """Two people who know each other; a tie has no direction."""

    from_id: str
    to_id: str
    strength: int
    since: date | None = None
    last_contact: date | None = None


@dataclass(frozen=True, kw_only=True)
class Support:
    supporter_id: str
    person_id: str
    since: date | None = None


class RequestKind(str, Enum):
    """What a request asks the person it goes to: to know each other (a tie), or to be supported."""

    TIE = "tie"
    SUPPORT = "support"


@dataclass(frozen=True, kw_only=True)
class Request:
    """A request waiting for consent until it expires. A tie: from the person asking, to the one
    asked. Support: from the supporter, to the person, proposed by a coordinator."""

    id: str
    kind: RequestKind
    from_id: str
    to_id: str
    note: str
    strength: int | None
    proposed_by: str | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class Network:
    id: str
    name: str


@dataclass(frozen=True, kw_only=True)
class Membership:
    person_id: str
    network_id: str
    kind: MembershipKind


@dataclass(frozen=True, kw_only=True)
class Neighbourhood:
    id: str
    name: str
    boundary: dict[str, Any]  # a GeoJSON Polygon or MultiPolygon


@dataclass(frozen=True, kw_only=True)
class Participation:
    person_id: str
    role: str
    hours: float = 0.0
    credited_hours: float = 0.0  # of them, confirmed as time credits (graph/time_credits.py)


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: str
    title: str
    status: CampaignStatus
    area: dict[str, Any]  # a GeoJSON Polygon
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    neighbourhood_ids: tuple[str, ...] = ()
    needed_skill_ids: tuple[str, ...] = ()
    participants: tuple[Participation, ...] = ()
    stopped_because: str = ""  # a stopped campaign's reason


@dataclass(kw_only=True)
class Dataset:
    """A whole community, or any part of one: what demo data, import and export exchange."""

    people: list[Person] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    person_skills: list[PersonSkill] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    supports: list[Support] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    # The co-production loop's records: checked rows, as their JSON files hold them
    # (graph/loop_records.py), since each holds lists of its own.
    contributions: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    sign_offs: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    funding_bids: list[dict[str, Any]] = field(default_factory=list)
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


@dataclass(frozen=True)
class Viewer:
    """Who is asking. graph/ decides what each viewer may see; None as person_id is signed out.

    A support worker acting on behalf of a person they support (a "guardian angel") is that
    person for what they may see and do, and `actor_id` keeps who really did it, for the audit log.
    """

    person_id: str | None = None
    actor_id: str | None = None

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(None)

    @property
    def signed_in(self) -> bool:
        return self.person_id is not None

    @property
    def actor(self) -> str | None:
        """Who is at the keyboard."""
        return self.actor_id or self.person_id


@dataclass(frozen=True, kw_only=True)
class PersonView:
    """A person as one viewer may see them: the position is exact only for those allowed."""

    id: str
    name: str
    roles: tuple[Role, ...]
    bio: str
    position: Point | None
    position_is_exact: bool
    neighbourhood_id: str | None
    contact: str | None = None  # None: not for this viewer
    audience: Audience = Audience.SIGNED_IN


@dataclass(frozen=True, kw_only=True)
class PrivacyChoices:
    """What a person chose others may see of them: their own, for their own "what others see" page."""

    location_visibility: LocationVisibility
    contact: str
    contactable: bool
    skills_hidden: bool
    ties_shared: bool


@dataclass(frozen=True, kw_only=True)
class SkillOfPerson:
    """A skill a person offers or wants to learn, with the relationship's properties."""

    skill: Skill
    mode: SkillMode
    level: int
    since: date | None


@dataclass(frozen=True, kw_only=True)
class TieView:
    """One side of a tie: who is at the other end, and how strong and recent it is."""

    person_id: str
    strength: int
    since: date | None
    last_contact: date | None


@dataclass(frozen=True, kw_only=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True, kw_only=True)
class PeopleFilter:
    text: str | None = None
    role: Role | None = None
    neighbourhood_id: str | None = None
    network_id: str | None = None
    skill_id: str | None = None
    near: Point | None = None  # sort by distance from here, nearest first
    within: BoundingBox | None = None  # seen inside this box (where the viewer may see them)


@dataclass(frozen=True, kw_only=True)
class CampaignFilter:
    statuses: tuple[CampaignStatus, ...] = ()
    neighbourhood_id: str | None = None
    starts_from: date | None = None
    starts_until: date | None = None
    within: BoundingBox | None = None
    near: Point | None = None  # with within_km: only campaigns that close; either way, order "nearest" uses it
    within_km: float | None = None


@dataclass(frozen=True, kw_only=True)
class NeighbourhoodView:
    id: str
    name: str
    boundary: dict[str, Any]
    member_count: int


@dataclass(frozen=True, kw_only=True)
class CampaignView:
    id: str
    title: str
    description: str
    status: CampaignStatus
    area: dict[str, Any]
    starts_on: date | None
    ends_on: date | None
    stopped_because: str = ""
    follows_id: str | None = None  # the campaign whose next focal point this is
    followed_by_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class CampaignDetails:
    neighbourhoods: tuple[tuple[str, str], ...]  # (id, name)
    needed_skills: tuple[Skill, ...]
    participants: tuple[Participation, ...]
    participant_count: int = 0  # with people since erased: an anonymous aggregate
    total_hours: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Page:
    items: list[Any]
    total: int | None  # None: not counted (nobody asked)
    # Who was counted because of their exact home (a box around it): the count reveals where
    # they live as surely as the field would, so it is logged for them as a view.
    located_by_count: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SupportView:
    """A support relationship: who supports whom, since when, and whether they may act for them."""

    supporter_id: str
    person_id: str
    since: date | None
    may_act_for: bool


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """Someone viewed or changed sensitive data about a person."""

    at: str  # ISO date and time, UTC
    action: str
    subject_id: str
    actor_id: str | None  # None once the actor has been erased
    on_behalf_of_id: str | None
    detail: str


@dataclass(frozen=True, kw_only=True)
class ApiToken:
    id: str
    name: str
    created_at: str
    last_used_at: str | None


@dataclass(frozen=True, kw_only=True)
class Reason:
    """Why a person is suggested: in words, and the figure behind them."""

    kind: str  # skill, distance, shared connections, same network, hops, campaign
    text: str
    value: float | None = None


@dataclass(frozen=True, kw_only=True)
class PeerSearch:
    skill_ids: tuple[str, ...] = ()
    text: str | None = None  # skill names as people type them, typos forgiven
    near: Point | None = None  # else the neighbourhood's centre, else the viewer's own home
    neighbourhood_id: str | None = None
    within_km: float | None = None
    within_hops: int | None = None  # 1 to 3 ties away from the viewer
    among: tuple[str, ...] | None = None  # only these people (a campaign's candidates)
    nearest_first: bool = False


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """A person found for someone (a peer, an introduction, a co-planner), ranked, with reasons."""

    person_id: str
    score: float
    reasons: tuple[Reason, ...]
    distance_km: float | None = None
    skill_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonHealth:
    person_id: str
    isolation: int  # 0 (well connected) to 100 (cut off)
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, kw_only=True)
class TieAttention:
    """A tie inside the group with no contact for too long (or none recorded)."""

    person_id: str
    other_id: str
    days_since_contact: int | None


@dataclass(frozen=True, kw_only=True)
class GroupShape:
    """The group's shape. The two dearest measures are made only when first read: for a
    neighbourhood of 2,000 people they were most of the answer's time, asked for or not."""

    size: int
    ties: int
    density: float
    components: int
    bridges: tuple[str, ...]  # people whose absence would split the group
    measure_reach: Callable[[], float] = field(repr=False, compare=False)
    measure_communities: Callable[[], tuple[tuple[str, ...], ...]] = field(repr=False, compare=False)

    @cached_property
    def reach_within_two(self) -> float:
        """On average, the share of the others a person reaches in two ties."""
        return self.measure_reach()

    @cached_property
    def communities(self) -> tuple[tuple[str, ...], ...]:
        """Groups within the group tied more among themselves (Louvain), largest first."""
        return self.measure_communities()


@dataclass(frozen=True, kw_only=True)
class Trend:
    """Now against a day in the past, from the ties' dates."""

    days: int
    ties_now: int
    ties_then: int
    isolated_now: int
    isolated_then: int
    verdict: str  # better, worse or the same


@dataclass(frozen=True, kw_only=True)
class GroupHealth:
    people: tuple[PersonHealth, ...]  # most isolated first
    attention: tuple[TieAttention, ...]  # longest without contact first
    shape: GroupShape
    trend: Trend


@dataclass(frozen=True, kw_only=True)
class SkillPlan:
    skill: Skill
    people: tuple[Suggestion, ...]  # nearby or in the campaign's networks, ranked as find_peers ranks


@dataclass(frozen=True, kw_only=True)
class CampaignPlan:
    skills: tuple[SkillPlan, ...]
    gaps: tuple[Skill, ...]  # needed skills nobody nearby or in its networks offers
    co_planners: tuple[Suggestion, ...]
    residents: int  # members living in the campaign's neighbourhoods
    reached: int  # of them, those in a network with a participant or tied to one
    coverage: float


@dataclass(frozen=True, kw_only=True)
class Contribution:
    """Input to a campaign, as the viewer may see it: the text is empty once withdrawn (or its
    author erased); the author is None for whoever may not see who wrote it."""

    id: str
    campaign_id: str
    kind: ContributionKind
    text: str
    made_at: datetime
    author_id: str | None
    entered_by_id: str | None = None  # a supporter who wrote it for the author, with their leave
    said_by: tuple[str, ...] = ()  # everyone who said it: several when written down at a meeting
    recorded_by_id: str | None = None  # who wrote it down from a meeting or a paper form
    recorded_from: RecordedFrom | None = None
    withdrawn: bool = False
    positions: tuple[Position, ...] = ()  # on a proposal: each person's voice
    area: dict[str, Any] | None = None  # a next area's GeoJSON Polygon


@dataclass(frozen=True, kw_only=True)
class Position:
    person_id: str | None
    stance: Stance
    reason: str


@dataclass(frozen=True, kw_only=True)
class OutcomeUpdate:
    at: datetime
    status: OutcomeStatus
    progress: int
    note: str


@dataclass(frozen=True, kw_only=True)
class Outcome:
    id: str
    decision_id: str
    title: str
    status: OutcomeStatus
    progress: int  # 0 to 100
    due_on: date | None = None
    updates: tuple[OutcomeUpdate, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Decision:
    """A decision on a campaign, with the input that informed it and the outcomes carrying it out."""

    id: str
    campaign_id: str
    statement: str
    decided_at: datetime
    informed_by: tuple[str, ...]  # contribution ids
    took_part: tuple[str, ...] = ()  # person ids, for those who may see who took part
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Attendee:
    person_id: str
    how: Attendance


@dataclass(frozen=True, kw_only=True)
class Meeting:
    """A campaign's meeting: when, where (a place's name, and a point on the map if given), what
    makes it accessible, and who came (names for those taking part; counts for everyone)."""

    id: str
    campaign_id: str
    title: str
    starts_at: datetime
    place_name: str
    place: Point | None
    accessibility: str
    in_person: int
    remote: int
    attendees: tuple[Attendee, ...] = ()


class QuestionKind(str, Enum):
    CHOICE = "choice"  # one of its choices
    SCALE = "scale"  # 1 to 5
    TEXT = "text"  # free words, shown without a name, in alphabetical order


@dataclass(frozen=True, kw_only=True)
class Question:
    id: str
    text: str
    kind: QuestionKind
    choices: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # over the respondents counted, sorted: never whose, never in order


@dataclass(frozen=True, kw_only=True)
class Survey:
    """A campaign's survey. Results count whole fives of respondents: none under five, and each
    step between two results five people at once, so no single answer can be told apart."""

    id: str
    campaign_id: str
    title: str
    open: bool
    respondents: int
    counted: int  # respondents whose answers the results hold: a multiple of five
    answered: bool  # by the viewer
    questions: tuple[Question, ...]


@dataclass(frozen=True, kw_only=True)
class Bid:
    """An application for funding for a campaign (KeyRing members apply for funding)."""

    id: str
    campaign_id: str
    funder: str
    amount_pence: int
    status: BidStatus
    made_at: datetime
    writer_ids: tuple[str, ...]
    decision_id: str | None = None  # the decision it came from


@dataclass(frozen=True, kw_only=True)
class SignOff:
    """One participant's word at a campaign's review: satisfied or not, and why."""

    person_id: str
    satisfied: bool
    reason: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class InputTrail:
    """One of a person's contributions and what became of it: the decisions it informed, and
    through them the outcomes and where each stands."""

    contribution: Contribution
    decisions: tuple[Decision, ...]


@dataclass(frozen=True, kw_only=True)
class Notification:
    """A person told that a decision their input informed was made or moved on."""

    id: str
    event: NotificationEvent
    at: datetime
    read: bool
    campaign_id: str
    decision_id: str | None = None  # None: about the campaign itself (a stage)
    outcome_id: str | None = None
    status: OutcomeStatus | None = None  # what the outcome became, then
    stage: CampaignStatus | None = None  # what the campaign became, then


@dataclass(frozen=True, kw_only=True)
class NewsItem:
    """One notification, with the words an email needs (the person may read them all)."""

    event: NotificationEvent
    at: datetime
    campaign: str  # its title
    statement: str = ""  # the decision's
    outcome: str = ""  # the outcome's title
    status: OutcomeStatus | None = None
    stage: CampaignStatus | None = None


@dataclass(frozen=True, kw_only=True)
class NewsEmail:
    """News claimed for one email: to a person's account address, in the language they chose it in."""

    person_id: str
    email: str
    language: str
    digest: bool
    items: tuple[NewsItem, ...]
    notification_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """Time given, an hour for an hour whoever gives it: from one account to another (a person's,
    or the community pot's: None), counted in balances once confirmed."""

    id: str
    from_id: str | None  # None: the community pot
    to_id: str | None
    minutes: int
    what: str
    status: ExchangeStatus
    at: datetime
    awaiting_id: str | None = None  # the person whose confirmation it waits for


@dataclass(frozen=True, kw_only=True)
class CoProductionFigure:
    """Is this co-production? The fact sheet's own tests, counted for one campaign."""

    decisions: int
    decisions_with_members: int  # informed by input from at least one member
    contributors: int
    contributors_told: int  # whose input informed a decision, so they were told what became of it
    member_hours: float
    volunteer_hours: float
    staff_hours: float  # paid: support workers and coordinators
    stages: int = 0  # of its life so far (proposed, co-planning, ...), those in which anyone took part
    stages_with_members: int = 0  # of them, in which a member contributed, took a position or signed off

    @staticmethod
    def _share(part: float, whole: float) -> float | None:
        return part / whole if whole else None

    @property
    def parts(self) -> tuple[float | None, float | None, float | None, float | None]:
        """Members in the decisions, contributors told, unpaid time among all time given, stages
        with members."""
        unpaid = self.member_hours + self.volunteer_hours
        return (
            self._share(self.decisions_with_members, self.decisions),
            self._share(self.contributors_told, self.contributors),
            self._share(unpaid, unpaid + self.staff_hours),
            self._share(self.stages_with_members, self.stages),
        )

    @property
    def figure(self) -> int | None:
        """0 to 100: the mean of the parts there is anything to count for (None: nothing yet)."""
        known = [p for p in self.parts if p is not None]
        return round(100 * sum(known) / len(known)) if known else None
