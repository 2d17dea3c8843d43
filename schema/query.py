"""The root Query; resolvers turn arguments into graph/ calls and hold no Cypher."""

from __future__ import annotations

import asyncio
from datetime import date
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..graph import accounts, audit, data_rights, network_health, peers, people, places, plans
from ..graph.model import Audience as GraphAudience
from ..graph.model import BoundingBox, CampaignFilter, PeerSearch, PeopleFilter, Point
from ..graph.model import CampaignStatus as GraphStatus
from ..graph.model import Role as GraphRole
from .analysis import CampaignPlan, Match, NetworkHealth, PeerOrder, SkillPlan, checked_first
from .errors import bad_input, forbidden, reported_as
from .paging import Connection, asks_for_length, connection, slice_connection, window
from .types import (
    Campaign,
    CampaignStatus,
    Info,
    Neighbourhood,
    Network,
    Node,
    Person,
    Role,
    Skill,
    global_id,
    parse_global_id,
    person_from_view,
)

MAX_NODES = 100
MAX_SEARCH = 200
MAX_SKILLS = 20


@strawberry.enum(description="Who is looking: for asSeenBy, what each of them sees of you.")
class Audience(Enum):
    SUPPORTER = "supporter"
    NETWORK_STAFF = "network_staff"
    SIGNED_IN = "signed_in"
    PUBLIC = "public"


@strawberry.type(description="An API token: the secret itself is shown only once, when it is made.")
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: str
    last_used_at: str | None


@strawberry.type(description="Someone viewed or changed sensitive data about you.")
class AuditEntry:
    at: str
    action: str
    detail: str
    _actor_id: strawberry.Private[str | None]
    _on_behalf_of_id: strawberry.Private[str | None]

    @strawberry.field(description="Who did it (null if they have left Peermap or you may not see them).")
    async def by(self, info: Info) -> Person | None:
        view = await info.context.loaders.person.load(self._actor_id) if self._actor_id else None
        return person_from_view(view) if view else None

    @strawberry.field(description="When a supporter acted for someone: for whom.")
    async def on_behalf_of(self, info: Info) -> Person | None:
        view = await info.context.loaders.person.load(self._on_behalf_of_id) if self._on_behalf_of_id else None
        return person_from_view(view) if view else None


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


def _campaign_filter(given: CampaignFilterInput | None) -> CampaignFilter:
    if given is None:
        return CampaignFilter()
    if given.within_km is not None and not 0 < given.within_km <= 500:
        raise bad_input("filter.withinKm", "must be more than 0 and at most 500")
    return CampaignFilter(
        statuses=tuple(GraphStatus(s.value) for s in given.status or ()),
        neighbourhood_id=local_id(given.neighbourhood, "Neighbourhood", "filter.neighbourhood"),
        starts_from=given.starts_from,
        starts_until=given.starts_until,
        within=given.within.to_box("filter.within") if given.within else None,
        near=given.near.to_point("filter.near") if given.near else None,
        within_km=given.within_km,
    )


def local_id(value: strawberry.ID | None, kind: str, argument: str) -> str | None:
    """The graph's own id inside a global id of this kind; None stays None (an optional argument)."""
    return required_id(value, kind, argument) if value is not None else None


def required_id(value: strawberry.ID, kind: str, argument: str) -> str:
    found, local = parse_global_id(str(value), argument)
    if found != kind:
        raise bad_input(argument, f"expected the id of a {kind}, got a {found}'s")
    return local


async def _node(info: Info, kind: str, local: str) -> Node | None:
    loaders = info.context.loaders
    if kind == "Person":
        view = await loaders.person.load(local)
        return person_from_view(view) if view else None
    if kind == "Campaign":
        campaign = await loaders.campaign.load(local)
        return Campaign.from_view(campaign) if campaign else None
    if kind == "Neighbourhood":
        neighbourhood = await loaders.neighbourhood.load(local)
        return Neighbourhood.from_view(neighbourhood) if neighbourhood else None
    if kind == "Skill":
        skill = await loaders.skill.load(local)
        return Skill(id=global_id("Skill", skill.id), name=skill.name, category=skill.category) if skill else None
    if kind == "Network":
        network = await loaders.network.load(local)
        return Network(id=global_id("Network", network.id), name=network.name) if network else None
    return None


async def _nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    """Each id through its kind's loader: one query per kind, whatever the number of ids."""
    wanted = [parse_global_id(str(value), "ids") for value in ids]
    return list(await asyncio.gather(*(_node(info, kind, local) for kind, local in wanted)))


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return (await _nodes(info, [id]))[0]

    @strawberry.field(description=f"Objects by their global ids, in the same order (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise bad_input("ids", f"at most {MAX_NODES} at a time")
        return await _nodes(info, ids)

    @strawberry.field(description="The signed-in person, or null for a signed-out visitor.")
    async def viewer(self, info: Info) -> Person | None:
        person_id = info.context.viewer.person_id
        view = await info.context.loaders.person.load(person_id) if person_id else None
        return person_from_view(view) if view else None

    @strawberry.field(
        description="Your own record as others see it: supporters, your networks' staff, other "
        "signed-in people, or signed-out visitors (null: they see nothing of you)."
    )
    async def as_seen_by(self, info: Info, audience: Audience) -> Person | None:
        ctx = info.context
        with reported_as(""):
            if not ctx.viewer.signed_in:
                raise forbidden("sign in first")
            view = await people.as_seen_by(ctx.graph, GraphAudience(audience.value))
        return person_from_view(view) if view else None

    @strawberry.field(description="Who viewed or changed your location or support relationships, newest first.")
    async def audit_log(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[AuditEntry]:
        ctx = info.context
        if not ctx.viewer.signed_in:
            raise forbidden("sign in first")
        chosen = window(first=first, after=after, last=None, before=None, total=None)
        page = await audit.entries_about(ctx.graph, first=chosen.limit, offset=chosen.offset)
        return connection(
            [
                AuditEntry(
                    at=e.at, action=e.action, detail=e.detail, _actor_id=e.actor_id, _on_behalf_of_id=e.on_behalf_of_id
                )
                for e in page.items
            ],
            offset=chosen.offset,
            total=page.total,
        )

    @strawberry.field(description="Your API tokens (never their secrets).")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        ctx = info.context
        if not ctx.viewer.signed_in:
            raise forbidden("sign in first")
        return [
            ApiToken(id=strawberry.ID(t.id), name=t.name, created_at=t.created_at, last_used_at=t.last_used_at)
            for t in await accounts.tokens_of(ctx.graph)
        ]

    @strawberry.field(description="Everything Peermap holds about you, as one JSON document to keep.")
    async def my_data(self, info: Info) -> JSON:
        ctx = info.context
        with reported_as(""):
            return JSON(await data_rights.personal_data(ctx.graph))

    @strawberry.field(description="People, by name or nearest first, a page at a time (for signed-in people).")
    async def people(
        self,
        info: Info,
        filter: PeopleFilterInput | None = None,
        near: PointInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Person]:
        ctx = info.context
        if filter and filter.text and len(filter.text) > MAX_SEARCH:
            raise bad_input("filter.text", f"at most {MAX_SEARCH} characters")
        where = PeopleFilter(
            text=filter.text if filter else None,
            role=GraphRole(filter.role.value) if filter and filter.role else None,
            neighbourhood_id=local_id(filter.neighbourhood, "Neighbourhood", "filter.neighbourhood")
            if filter
            else None,
            network_id=local_id(filter.network, "Network", "filter.network") if filter else None,
            skill_id=local_id(filter.skill, "Skill", "filter.skill") if filter else None,
            near=near.to_point("near") if near else None,
            within=filter.within.to_box("filter.within") if filter and filter.within else None,
        )
        total = None
        if last is not None and before is None:  # counting backwards from the end: learn where it is
            total = (await people.people_page(ctx.graph, first=0, offset=0, where=where)).total
        chosen = window(first=first, after=after, last=last, before=before, total=total)
        page = await people.people_page(
            ctx.graph, first=chosen.limit, offset=chosen.offset, where=where, counted=asks_for_length(info)
        )
        return connection([person_from_view(v) for v in page.items], offset=chosen.offset, total=page.total)

    @strawberry.field(description="Neighbourhoods, by name.")
    async def neighbourhoods(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Neighbourhood]:
        ctx = info.context
        found = await places.neighbourhoods(ctx.graph)
        return slice_connection(
            [Neighbourhood.from_view(v) for v in found], first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="Campaigns, filtered and ordered (newest first unless asked), a page at a time.")
    async def campaigns(
        self,
        info: Info,
        filter: CampaignFilterInput | None = None,
        order: CampaignOrder = CampaignOrder.NEWEST,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Campaign]:
        ctx = info.context
        where = _campaign_filter(filter)
        with reported_as("filter"):
            total = None
            if last is not None and before is None:
                total = (
                    await places.campaigns_page(ctx.graph, first=0, offset=0, where=where, order=order.value)
                ).total
            chosen = window(first=first, after=after, last=last, before=before, total=total)
            page = await places.campaigns_page(
                ctx.graph,
                first=chosen.limit,
                offset=chosen.offset,
                where=where,
                order=order.value,
                counted=asks_for_length(info),
            )
        return connection([Campaign.from_view(v) for v in page.items], offset=chosen.offset, total=page.total)

    @strawberry.field(
        description="People who offer any of these skills (or one under them, or whose skill "
        "matches the words, typos forgiven), near a point, a neighbourhood or you, "
        "optionally within some ties of you; best first, or nearest. Only people open "
        "to contact who show their skills and home are found."
    )
    async def find_peers(
        self,
        info: Info,
        skills: list[strawberry.ID] | None = None,
        text: str | None = None,
        near: PointInput | None = None,
        neighbourhood: strawberry.ID | None = None,
        within_km: float | None = None,
        within_hops: int | None = None,
        order: PeerOrder = PeerOrder.BEST,
        first: int = 10,
    ) -> list[Match]:
        ctx = info.context
        if not skills and not (text and text.strip()):
            raise bad_input("skills", "give skills, or words in text")
        if skills and len(skills) > MAX_SKILLS:
            raise bad_input("skills", f"at most {MAX_SKILLS}")
        if text and len(text) > MAX_SEARCH:
            raise bad_input("text", f"at most {MAX_SEARCH} characters")
        if within_km is not None and not 0 < within_km <= 50:
            raise bad_input("withinKm", "more than 0 and at most 50")
        if within_hops is not None and not 1 <= within_hops <= 3:
            raise bad_input("withinHops", "from 1 to 3")
        search = PeerSearch(
            skill_ids=tuple(required_id(s, "Skill", "skills") for s in skills or ()),
            text=text,
            near=near.to_point("near") if near else None,
            neighbourhood_id=local_id(neighbourhood, "Neighbourhood", "neighbourhood"),
            within_km=within_km,
            within_hops=within_hops,
            nearest_first=order is PeerOrder.NEAREST,
        )
        with reported_as(""):
            found = await peers.find_peers(ctx.graph, search, first=checked_first(first))
        return [Match.from_record(s) for s in found]

    @strawberry.field(
        description="People this person could meet, with what they have in common; for the person, "
        "their supporters and their networks' staff."
    )
    async def introductions(self, info: Info, person: strawberry.ID, first: int = 10) -> list[Match]:
        ctx = info.context
        with reported_as(""):
            found = await peers.introductions(
                ctx.graph, required_id(person, "Person", "person"), first=checked_first(first)
            )
        return [Match.from_record(s) for s in found]

    @strawberry.field(
        description="Who is isolated and why, ties needing attention, the group's shape and trend; "
        "for coordinators and support workers of that network (or neighbourhood)."
    )
    async def network_health(
        self,
        info: Info,
        network: strawberry.ID | None = None,
        neighbourhood: strawberry.ID | None = None,
        attention_days: int = 60,
    ) -> NetworkHealth:
        ctx = info.context
        if (network is None) == (neighbourhood is None):
            raise bad_input("network", "give a network or a neighbourhood, not both")
        if not 1 <= attention_days <= 3650:
            raise bad_input("attentionDays", "from 1 to 3650")
        with reported_as(""):
            if network is not None:
                found = await network_health.network_health(
                    ctx.graph,
                    required_id(network, "Network", "network"),
                    today=date.today(),
                    attention_days=attention_days,
                )
            else:
                found = await network_health.neighbourhood_health(
                    ctx.graph,
                    required_id(neighbourhood or strawberry.ID(""), "Neighbourhood", "neighbourhood"),
                    today=date.today(),
                    attention_days=attention_days,
                )
        return NetworkHealth.from_record(found)

    @strawberry.field(
        description="For each needed skill, who within walking distance or in the campaign's "
        "networks has it; the gaps; possible co-planners; how far the participants' "
        "networks reach among the members living there."
    )
    async def campaign_plan(
        self, info: Info, campaign: strawberry.ID, walk_km: float = plans.WALK_KM, first: int = 5
    ) -> CampaignPlan:
        ctx = info.context
        if not 0 < walk_km <= 10:
            raise bad_input("walkKm", "more than 0 and at most 10")
        with reported_as(""):
            found = await plans.campaign_plan(
                ctx.graph, required_id(campaign, "Campaign", "campaign"), walk_km=walk_km, first=checked_first(first)
            )
        return CampaignPlan(
            skills=[
                SkillPlan(
                    skill=Skill(id=global_id("Skill", p.skill.id), name=p.skill.name, category=p.skill.category),
                    people=[Match.from_record(s) for s in p.people],
                )
                for p in found.skills
            ],
            gaps=[Skill(id=global_id("Skill", g.id), name=g.name, category=g.category) for g in found.gaps],
            co_planners=[Match.from_record(s) for s in found.co_planners],
            residents=found.residents,
            reached=found.reached,
            coverage=found.coverage,
        )
