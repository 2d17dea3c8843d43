"""The plain records graph/ hands out and takes in: never driver records, never GraphQL types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


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
    PROPOSED = "proposed"
    PLANNING = "planning"
    ACTIVE = "active"
    COMPLETED = "completed"


class MembershipKind(str, Enum):
    MEMBER = "member"
    VOLUNTEER = "volunteer"


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
    boundary: dict  # a GeoJSON Polygon or MultiPolygon


@dataclass(frozen=True, kw_only=True)
class Participation:
    person_id: str
    role: str
    hours: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: str
    title: str
    status: CampaignStatus
    area: dict  # a GeoJSON Polygon
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    neighbourhood_ids: tuple[str, ...] = ()
    needed_skill_ids: tuple[str, ...] = ()
    participants: tuple[Participation, ...] = ()


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

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


@dataclass(frozen=True)
class Viewer:
    """Who is asking. graph/ decides what each viewer may see; None as person_id is signed out."""

    person_id: str | None = None

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(None)


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
class PeopleFilter:
    text: str | None = None
    role: Role | None = None
    neighbourhood_id: str | None = None
    network_id: str | None = None
    skill_id: str | None = None
    near: Point | None = None  # sort by distance from here, nearest first


@dataclass(frozen=True, kw_only=True)
class BoundingBox:
    west: float
    south: float
    east: float
    north: float


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
    boundary: dict
    member_count: int


@dataclass(frozen=True, kw_only=True)
class CampaignView:
    id: str
    title: str
    description: str
    status: CampaignStatus
    area: dict
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True, kw_only=True)
class CampaignDetails:
    neighbourhoods: tuple[tuple[str, str], ...]  # (id, name)
    needed_skills: tuple[Skill, ...]
    participants: tuple[Participation, ...]


@dataclass(frozen=True, kw_only=True)
class Page:
    items: list
    total: int
