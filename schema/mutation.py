"""The root Mutation: each field checks its input, makes one graph/ change, returns a payload."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import strawberry

from ..graph import validation as check
from ..graph import writes
from ..graph.model import LocationVisibility as GraphVisibility
from ..graph.model import Membership, MembershipKind, Network as GraphNetwork
from ..graph.model import Person as GraphPerson
from ..graph.model import PersonSkill as GraphPersonSkill
from ..graph.model import Role as GraphRole
from ..graph.model import SkillMode as GraphSkillMode
from ..graph.model import Tie as GraphTie
from .errors import reported_as
from .loaders import forget
from .query import PointInput, local_id
from .types import Info, Network, Person, Role, SkillMode, Tie, global_id, person_from_view


@strawberry.enum(description="What people other than the person and their supporters see of the home.")
class LocationVisibility(Enum):
    APPROXIMATE = "approximate"
    HIDDEN = "hidden"


@strawberry.enum
class NetworkRole(Enum):
    MEMBER = "member"
    VOLUNTEER = "volunteer"


@strawberry.input
class CreatePersonInput:
    name: str
    roles: list[Role]
    bio: str = ""
    home: PointInput | None = None
    location_visibility: LocationVisibility = LocationVisibility.APPROXIMATE
    neighbourhood: strawberry.ID | None = None


@strawberry.input(description="Only the fields given change.")
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    roles: list[Role] | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET
    home: PointInput | None = strawberry.UNSET
    location_visibility: LocationVisibility | None = strawberry.UNSET
    neighbourhood: strawberry.ID | None = strawberry.UNSET


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
class TieChangeInput:
    person: strawberry.ID
    other: strawberry.ID
    strength: int | None = strawberry.field(default=None, description="A new strength, 1 to 5.")
    contact_on: date | None = strawberry.field(default=None, description="A contact on this day (default today).")


@strawberry.input
class MembershipInput:
    person: strawberry.ID
    network: strawberry.ID
    role: NetworkRole = NetworkRole.MEMBER


@strawberry.type
class PersonPayload:
    person: Person | None


@strawberry.type
class RemovedPayload:
    removed_id: strawberry.ID


@strawberry.type
class TiePayload:
    tie: Tie


@strawberry.type
class NetworkPayload:
    network: Network


async def _person(info: Info, person_id: str) -> Person | None:
    """The person as the viewer may see them now, after the change."""
    forget(info.context.loaders.person, person_id)
    view = await info.context.loaders.person.load(person_id)
    return person_from_view(view) if view else None


def _roles(roles: list[Role], field: str) -> tuple[GraphRole, ...]:
    if not roles:
        raise check.Invalid(field, "at least one role")
    return tuple(sorted({GraphRole(r.value) for r in roles}, key=lambda r: r.value))


def _home(point: PointInput | None, field: str) -> Any:
    return point.to_point(field) if point is not None else None


def _name(value: str, field: str = "name") -> str:
    return check.text({field: value}, field, required=True, limit=check.MAX_NAME)


def _level(value: int, field: str) -> int:
    return check.whole({field: value}, field, 1, 5)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a person to the network.")
    async def create_person(self, info: Info, input: CreatePersonInput) -> PersonPayload:
        with reported_as("input"):
            person = GraphPerson(
                id=writes.new_id("p"), name=_name(input.name), roles=_roles(input.roles, "roles"),
                bio=check.text({"bio": input.bio}, "bio", required=False, limit=check.MAX_TEXT),
                home=_home(input.home, "input.home"), location_visibility=GraphVisibility(input.location_visibility.value),
                neighbourhood_id=local_id(input.neighbourhood, "Neighbourhood", "input.neighbourhood"))
            await writes.create_person(info.context.driver, person, database=info.context.database)
        return PersonPayload(person=await _person(info, person.id))

    @strawberry.mutation(description="Change some of a person's details.")
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonPayload:
        person_id = local_id(input.id, "Person", "input.id") or ""
        changes: dict[str, Any] = {}
        with reported_as("input"):
            if input.name is not strawberry.UNSET:
                changes["name"] = _name(input.name or "")
            if input.roles is not strawberry.UNSET:
                changes["roles"] = _roles(input.roles or [], "roles")
            if input.bio is not strawberry.UNSET:
                changes["bio"] = check.text({"bio": input.bio}, "bio", required=False, limit=check.MAX_TEXT)
            if input.home is not strawberry.UNSET:
                changes["home"] = _home(input.home, "input.home")
            if input.location_visibility is not strawberry.UNSET:
                if input.location_visibility is None:
                    raise check.Invalid("locationVisibility", "cannot be null")
                changes["location_visibility"] = GraphVisibility(input.location_visibility.value)
            if input.neighbourhood is not strawberry.UNSET:
                changes["neighbourhood_id"] = local_id(input.neighbourhood, "Neighbourhood", "input.neighbourhood")
            await writes.update_person(info.context.driver, person_id, changes, database=info.context.database)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(description="Remove a person with their ties, skills and memberships.")
    async def remove_person(self, info: Info, id: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await writes.remove_person(info.context.driver, local_id(id, "Person", "id") or "",
                                       database=info.context.database)
        return RemovedPayload(removed_id=id)

    @strawberry.mutation(description="Offer a skill or want to learn it; setting it again changes mode and level.")
    async def set_person_skill(self, info: Info, input: SetPersonSkillInput) -> PersonPayload:
        person_id = local_id(input.person, "Person", "input.person") or ""
        with reported_as("input"):
            skill = GraphPersonSkill(person_id=person_id, skill_id=local_id(input.skill, "Skill", "input.skill") or "",
                                     mode=GraphSkillMode(input.mode.value), level=_level(input.level, "level"),
                                     since=date.today())
            await writes.set_person_skill(info.context.driver, skill, database=info.context.database)
        forget(info.context.loaders.skills, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation
    async def remove_person_skill(self, info: Info, person: strawberry.ID, skill: strawberry.ID) -> PersonPayload:
        person_id = local_id(person, "Person", "person") or ""
        with reported_as(""):
            await writes.remove_person_skill(info.context.driver, person_id, local_id(skill, "Skill", "skill") or "",
                                             database=info.context.database)
        forget(info.context.loaders.skills, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(description="Two people who know each other: a new tie.")
    async def connect(self, info: Info, input: ConnectInput) -> TiePayload:
        with reported_as("input"):
            tie = GraphTie(from_id=local_id(input.person, "Person", "input.person") or "",
                           to_id=local_id(input.other, "Person", "input.other") or "",
                           strength=_level(input.strength, "strength"), since=input.since or date.today(),
                           last_contact=input.since or date.today())
            view = await writes.connect(info.context.driver, tie, database=info.context.database)
        return TiePayload(tie=Tie.from_record(view))

    @strawberry.mutation(description="Record a contact between two people, or change how strong their tie is.")
    async def update_tie(self, info: Info, input: TieChangeInput) -> TiePayload:
        with reported_as("input"):
            strength = _level(input.strength, "strength") if input.strength is not None else None
            view = await writes.update_tie(
                info.context.driver, local_id(input.person, "Person", "input.person") or "",
                local_id(input.other, "Person", "input.other") or "", strength=strength,
                contact=input.contact_on or (date.today() if strength is None else None),
                database=info.context.database)
        return TiePayload(tie=Tie.from_record(view))

    @strawberry.mutation
    async def disconnect(self, info: Info, person: strawberry.ID, other: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await writes.disconnect(info.context.driver, local_id(person, "Person", "person") or "",
                                    local_id(other, "Person", "other") or "", database=info.context.database)
        return RemovedPayload(removed_id=other)

    @strawberry.mutation(description="A new KeyRing-style network.")
    async def create_network(self, info: Info, name: str) -> NetworkPayload:
        with reported_as(""):
            network = GraphNetwork(id=writes.new_id("net"), name=_name(name))
            await writes.create_network(info.context.driver, network, database=info.context.database)
        return NetworkPayload(network=Network(id=global_id("Network", network.id), name=network.name))

    @strawberry.mutation(description="Join a network as a member or as its volunteer.")
    async def join_network(self, info: Info, input: MembershipInput) -> PersonPayload:
        person_id = local_id(input.person, "Person", "input.person") or ""
        with reported_as("input"):
            membership = Membership(person_id=person_id, kind=MembershipKind(input.role.value),
                                    network_id=local_id(input.network, "Network", "input.network") or "")
            await writes.join_network(info.context.driver, membership, database=info.context.database)
        forget(info.context.loaders.networks, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation
    async def leave_network(self, info: Info, person: strawberry.ID, network: strawberry.ID) -> PersonPayload:
        person_id = local_id(person, "Person", "person") or ""
        with reported_as(""):
            await writes.leave_network(info.context.driver, person_id, local_id(network, "Network", "network") or "",
                                       database=info.context.database)
        forget(info.context.loaders.networks, person_id)
        return PersonPayload(person=await _person(info, person_id))
