"""The GraphQL types: each made from the plain record graph/ hands back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from ..graph import audit
from ..graph.model import AuditEntry as GraphAuditEntry
from ..graph.model import (
    CampaignView,
    NeighbourhoodView,
    PersonView,
    SkillOfPerson,
    SupportView,
    TieView,
)
from ..graph.model import Network as GraphNetwork
from ..graph.model import Skill as GraphSkill
from .context import Context
from .enums import CampaignStatus, Role, SkillMode
from .errors import bad_input
from .ids import global_id
from .paging import MAX_PAGE, Connection, slice_connection

if TYPE_CHECKING:
    from .coproduction import Contribution, CoProduction, Decision, FundingBid, Meeting, SignOff, Survey

Info = strawberry.Info[Context, None]


@strawberry.interface(description="An object with a global id, fetchable with node(id:).")
class Node:
    id: strawberry.ID


@strawberry.type(description="A GeoJSON Point: coordinates are [longitude, latitude].")
class GeoPoint:
    type: str
    coordinates: list[float]
    exact: bool = strawberry.field(description="False when this is the coarse cell (about 400 m) around the home.")


@strawberry.type
class Skill(Node):
    name: str
    category: str

    @classmethod
    def from_record(cls, record: GraphSkill) -> Skill:
        return cls(id=global_id("Skill", record.id), name=record.name, category=record.category)


@strawberry.type(description="A KeyRing-style network: about ten neighbours and a volunteer.")
class Network(Node):
    name: str

    @classmethod
    def from_record(cls, record: GraphNetwork) -> Network:
        return cls(id=global_id("Network", record.id), name=record.name)


@strawberry.type(description="A skill on a person: the HAS_SKILL relationship and its properties.")
class PersonSkill:
    skill: Skill
    mode: SkillMode
    level: int
    since: date | None

    @classmethod
    def from_record(cls, record: SkillOfPerson) -> PersonSkill:
        return cls(
            skill=Skill.from_record(record.skill),
            mode=record.mode,
            level=record.level,
            since=record.since,
        )


@strawberry.type(description="A tie to another person: the KNOWS relationship and its properties.")
class Tie:
    strength: int
    since: date | None
    last_contact: date | None
    _person_id: strawberry.Private[str]

    @strawberry.field(description="The person at the other end (null if the viewer may not see them).")
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)

    @classmethod
    def from_record(cls, record: TieView) -> Tie:
        return cls(
            strength=record.strength, since=record.since, last_contact=record.last_contact, _person_id=record.person_id
        )


@strawberry.type(description="Someone supporting a person: the SUPPORTS relationship.")
class Support:
    since: date | None
    may_act_for: bool = strawberry.field(description="The person asked for the supporter to act on their behalf.")
    _supporter_id: strawberry.Private[str]
    _person_id: strawberry.Private[str]

    @strawberry.field
    async def supporter(self, info: Info) -> Person | None:
        return await load_person(info, self._supporter_id)

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)

    @classmethod
    def from_record(cls, record: SupportView) -> Support:
        return cls(
            since=record.since,
            may_act_for=record.may_act_for,
            _supporter_id=record.supporter_id,
            _person_id=record.person_id,
        )


@strawberry.interface(description="Anyone in the network. Every participant is a person; roles are not ranks.")
class Person(Node):
    name: str
    bio: str
    roles: list[Role]
    home: GeoPoint | None = strawberry.field(
        description="Exact only for the person and those who support them; otherwise a coarse cell or nothing."
    )
    neighbourhood_id: strawberry.ID | None
    contact: str | None = strawberry.field(
        description="How to reach them: for others only if the person agreed to be contacted."
    )
    _local_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: PersonView) -> Person:
        """As the type of the first of their roles (a person may hold several)."""
        return _person_from_record(record)

    @strawberry.field(
        description="Who supports this person: for the person, their supporters and their "
        "networks' coordinators and support workers; empty for anyone else."
    )
    async def supporters(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Support]:
        supporters, _ = await info.context.loaders.supports.load(self._local_id)
        return slice_connection(
            [Support.from_record(s) for s in supporters], first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="Whom this person supports: for the person only.")
    async def supporting(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Support]:
        _, supporting = await info.context.loaders.supports.load(self._local_id)
        return slice_connection(
            [Support.from_record(s) for s in supporting], first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="Skills offered or wanted, by name; empty to others if the person hides them.")
    async def skills(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PersonSkill]:
        records = await info.context.loaders.skills.load(self._local_id)
        return slice_connection(
            [PersonSkill.from_record(r) for r in records], first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="The people this person knows, by name: for the person, their supporters and "
        "their networks' coordinators and support workers; empty for anyone else."
    )
    async def ties(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Tie]:
        records = await info.context.loaders.ties.load(self._local_id)
        return slice_connection(
            [Tie.from_record(r) for r in records], first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="The networks this person belongs to, by name.")
    async def networks(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[NetworkMembership]:
        memberships = [
            NetworkMembership(network=Network.from_record(network), role=kind.value)
            for network, kind in await info.context.loaders.networks.load(self._local_id)
        ]
        return slice_connection(memberships, first=first, after=after, last=last, before=before)


@strawberry.type(description="A network a person belongs to, and as what.")
class NetworkMembership:
    network: Network
    role: str = strawberry.field(description="member or volunteer")


@strawberry.type
class Member(Person):
    pass


@strawberry.type
class SupportWorker(Person):
    pass


@strawberry.type
class Volunteer(Person):
    pass


@strawberry.type
class Coordinator(Person):
    pass


# A person with several roles is presented as the first of these they hold.
_PERSON_TYPES: list[tuple[Role, type[Person]]] = [
    (Role.MEMBER, Member),
    (Role.SUPPORT_WORKER, SupportWorker),
    (Role.VOLUNTEER, Volunteer),
    (Role.COORDINATOR, Coordinator),
]


def _person_from_record(view: PersonView) -> Person:
    home = None
    if view.position is not None:
        home = GeoPoint(
            type="Point", coordinates=[view.position.longitude, view.position.latitude], exact=view.position_is_exact
        )
    kind = next((cls for role, cls in _PERSON_TYPES if role in view.roles), Member)
    return kind(
        id=global_id("Person", view.id),
        name=view.name,
        bio=view.bio,
        roles=list(view.roles),
        home=home,
        neighbourhood_id=global_id("Neighbourhood", view.neighbourhood_id) if view.neighbourhood_id else None,
        contact=view.contact,
        _local_id=view.id,
    )


async def load_person(info: Info, person_id: str | None) -> Person | None:
    """The person as the viewer may see them, through this request's loader; None if they may not."""
    record = await info.context.loaders.person.load(person_id) if person_id else None
    return Person.from_record(record) if record else None


@strawberry.type(description="Someone viewed or changed sensitive data about you, or changed a campaign.")
class AuditEntry:
    at: str
    action: str
    detail: str
    _actor_id: strawberry.Private[str | None]
    _on_behalf_of_id: strawberry.Private[str | None]

    @strawberry.field(description="Who did it (null if they have left Peermap or you may not see them).")
    async def by(self, info: Info) -> Person | None:
        return await load_person(info, self._actor_id)

    @strawberry.field(description="When a supporter acted for someone: for whom.")
    async def on_behalf_of(self, info: Info) -> Person | None:
        return await load_person(info, self._on_behalf_of_id)

    @classmethod
    def from_record(cls, entry: GraphAuditEntry) -> AuditEntry:
        return cls(
            at=entry.at,
            action=entry.action,
            detail=entry.detail,
            _actor_id=entry.actor_id,
            _on_behalf_of_id=entry.on_behalf_of_id,
        )


@strawberry.type
class Neighbourhood(Node):
    name: str
    boundary: JSON = strawberry.field(description="A GeoJSON Polygon or MultiPolygon.")
    member_count: int

    @classmethod
    def from_record(cls, view: NeighbourhoodView) -> Neighbourhood:
        return cls(
            id=global_id("Neighbourhood", view.id),
            name=view.name,
            boundary=JSON(view.boundary),
            member_count=view.member_count,
        )


@strawberry.type(description="A neighbourhood named where the full record is not needed.")
class Place:
    id: strawberry.ID
    name: str


@strawberry.type(description="Someone taking part in a campaign: the PARTICIPATES_IN relationship.")
class Participant:
    role: str
    hours: float = strawberry.field(description="Time given so far.")
    credited_hours: float = strawberry.field(description="Of it, confirmed as time credits (creditCampaignHours).")
    _person_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)


@strawberry.type
class Campaign(Node):
    title: str
    description: str
    status: CampaignStatus
    area: JSON = strawberry.field(description="A GeoJSON Polygon.")
    starts_on: date | None
    ends_on: date | None
    stopped_because: str = strawberry.field(description="Why it stopped, if it did (empty otherwise).")
    _local_id: strawberry.Private[str]
    _follows_id: strawberry.Private[str | None]
    _followed_by_id: strawberry.Private[str | None]

    @strawberry.field(description="The campaign whose next focal point this one is.")
    async def follows(self, info: Info) -> Campaign | None:
        return await _load_campaign(info, self._follows_id)

    @strawberry.field(description="The next focal point chosen when this one completed.")
    async def followed_by(self, info: Info) -> Campaign | None:
        return await _load_campaign(info, self._followed_by_id)

    @strawberry.field(
        description="This review's sign-offs: each participant satisfied or not, and why. For those taking "
        "part and coordinators."
    )
    async def sign_offs(self, info: Info) -> list[Annotated[SignOff, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import SignOff

        return [SignOff.from_record(s) for s in await info.context.loaders.sign_offs.load(self._local_id)]

    @strawberry.field(description="Its surveys, oldest first: for those taking part and coordinators.")
    async def surveys(self, info: Info) -> list[Annotated[Survey, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import Survey

        return [Survey.from_record(s) for s in await info.context.loaders.surveys.load(self._local_id)]

    @strawberry.field(description="Its funding bids, oldest first: for those taking part and coordinators.")
    async def funding_bids(
        self, info: Info
    ) -> list[Annotated[FundingBid, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import FundingBid

        return [FundingBid.from_record(b) for b in await info.context.loaders.bids.load(self._local_id)]

    @strawberry.field(description="Its meetings, soonest first.")
    async def meetings(self, info: Info) -> list[Annotated[Meeting, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import Meeting

        return [Meeting.from_record(m) for m in await info.context.loaders.meetings.load(self._local_id)]

    @strawberry.field(description="What people put into it, oldest first: for its participants and coordinators.")
    async def contributions(
        self, info: Info
    ) -> list[Annotated[Contribution, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import Contribution

        found = await info.context.loaders.contributions.load(self._local_id)
        return [Contribution.from_record(c) for c in found]

    @strawberry.field(description="Its decisions, oldest first, each with the input that informed it and its outcomes.")
    async def decisions(self, info: Info) -> list[Annotated[Decision, strawberry.lazy("peermap.schema.coproduction")]]:
        from .coproduction import Decision

        return [Decision.from_record(d) for d in await info.context.loaders.decisions.load(self._local_id)]

    @strawberry.field(description="Is this co-production? For those taking part and coordinators.")
    async def co_production(
        self, info: Info
    ) -> Annotated[CoProduction, strawberry.lazy("peermap.schema.coproduction")] | None:
        from .coproduction import CoProduction

        found = await info.context.loaders.figure.load(self._local_id)
        return CoProduction.from_record(found) if found else None

    @strawberry.field(description="Where the campaign runs, by name.")
    async def neighbourhoods(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Place]:
        details = await info.context.loaders.campaign_details.load(self._local_id)
        return slice_connection(
            [Place(id=global_id("Neighbourhood", n_id), name=name) for n_id, name in details.neighbourhoods],
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="The skills the campaign needs, by name.")
    async def needed_skills(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Skill]:
        details = await info.context.loaders.campaign_details.load(self._local_id)
        return slice_connection(
            [Skill.from_record(s) for s in details.needed_skills],
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="How many have taken part, counting people who have since left Peermap.")
    async def participant_count(self, info: Info) -> int:
        return (await info.context.loaders.campaign_details.load(self._local_id)).participant_count

    @strawberry.field(description="Hours given in all (time credits), counting people who have since left Peermap.")
    async def total_hours(self, info: Info) -> float:
        return (await info.context.loaders.campaign_details.load(self._local_id)).total_hours

    @strawberry.field(
        description="Everyone taking part, by name (for signed-in people); every participant is a "
        "person, roles are not ranks."
    )
    async def participants(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Participant]:
        details = await info.context.loaders.campaign_details.load(self._local_id)
        return slice_connection(
            [
                Participant(role=p.role, hours=p.hours, credited_hours=p.credited_hours, _person_id=p.person_id)
                for p in details.participants
            ],
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="What was changed on the campaign and by whom, newest first (for signed-in people).")
    async def changes(self, info: Info, first: int = 20) -> list[AuditEntry]:
        if not 0 <= first <= MAX_PAGE:
            raise bad_input("first", f"must be from 0 to {MAX_PAGE}")
        return [
            AuditEntry.from_record(e) for e in await audit.campaign_log(info.context.graph, self._local_id, first=first)
        ]

    @classmethod
    def from_record(cls, view: CampaignView) -> Campaign:
        return cls(
            id=global_id("Campaign", view.id),
            title=view.title,
            description=view.description,
            status=view.status,
            area=JSON(view.area),
            starts_on=view.starts_on,
            ends_on=view.ends_on,
            stopped_because=view.stopped_because,
            _local_id=view.id,
            _follows_id=view.follows_id,
            _followed_by_id=view.followed_by_id,
        )


async def _load_campaign(info: Info, campaign_id: str | None) -> Campaign | None:
    view = await info.context.loaders.campaign.load(campaign_id) if campaign_id else None
    return Campaign.from_record(view) if view else None


ALL_TYPES = [Member, SupportWorker, Volunteer, Coordinator, Skill, Network, Neighbourhood, Campaign]
