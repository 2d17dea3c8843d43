"""The root Query; resolvers turn arguments into graph/ calls and hold no Cypher."""

from __future__ import annotations

import asyncio
from datetime import date
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..graph import (
    accounts,
    audit,
    coproduction,
    data_rights,
    network_health,
    news,
    peers,
    people,
    places,
    plans,
    time_credits,
)
from ..graph import requests as consent
from ..graph import skills as taxonomy
from ..graph.model import Audience as GraphAudience
from ..graph.model import PeerSearch, PeopleFilter
from ..graph.model import PrivacyChoices as GraphPrivacyChoices
from .accounts import ApiToken
from .analysis import CampaignPlan, Match, NetworkHealth, PeerOrder, SkillPlan, checked_first
from .coproduction import InputTrail, Notification
from .enums import LocationVisibility, NewsBy
from .errors import bad_input, reported_as
from .ids import local_id, parse_global_id, required_id
from .inputs import CampaignFilterInput, CampaignOrder, PeopleFilterInput, PointInput, campaign_filter
from .paging import MAX_PAGE, Connection, asks_for_length, connection, slice_connection, window
from .permissions import SignedIn
from .requests import ConsentRequest
from .time_credits import Exchange, MyTime
from .types import (
    AuditEntry,
    Campaign,
    Info,
    Neighbourhood,
    Network,
    Node,
    Person,
    Skill,
    load_person,
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


async def _node(info: Info, kind: str, local: str) -> Node | None:
    loaders = info.context.loaders
    if kind == "Person":
        return await load_person(info, local)
    if kind == "Campaign":
        campaign = await loaders.campaign.load(local)
        return Campaign.from_record(campaign) if campaign else None
    if kind == "Neighbourhood":
        neighbourhood = await loaders.neighbourhood.load(local)
        return Neighbourhood.from_record(neighbourhood) if neighbourhood else None
    if kind == "Skill":
        skill = await loaders.skill.load(local)
        return Skill.from_record(skill) if skill else None
    if kind == "Network":
        network = await loaders.network.load(local)
        return Network.from_record(network) if network else None
    return None


async def _nodes(info: Info, ids: list[strawberry.ID], argument: str) -> list[Node | None]:
    """Each id through its kind's loader: one query per kind, whatever the number of ids."""
    wanted = [parse_global_id(str(value), argument) for value in ids]
    return list(await asyncio.gather(*(_node(info, kind, local) for kind, local in wanted)))


@strawberry.type(description="What you chose others may see of you (updatePerson changes it).")
class PrivacyChoices:
    location_visibility: LocationVisibility = strawberry.field(
        description="Your home: its area (about 400 m) or nothing, for people who do not support you."
    )
    contact: str = strawberry.field(description="How to reach you.")
    contactable: bool = strawberry.field(description="Others may see your contact details.")
    skills_hidden: bool = strawberry.field(description="Only you and your supporters see your skills.")
    ties_shared: bool = strawberry.field(description="The people you know may see whom you know.")

    @classmethod
    def from_record(cls, record: GraphPrivacyChoices) -> PrivacyChoices:
        return cls(
            location_visibility=record.location_visibility,
            contact=record.contact,
            contactable=record.contactable,
            skills_hidden=record.skills_hidden,
            ties_shared=record.ties_shared,
        )


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return (await _nodes(info, [id], "id"))[0]

    @strawberry.field(description=f"Objects by their global ids, in the same order (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise bad_input("ids", f"at most {MAX_NODES} at a time")
        return await _nodes(info, ids, "ids")

    @strawberry.field(description="The signed-in person, or null for a signed-out visitor.")
    async def viewer(self, info: Info) -> Person | None:
        person_id = info.context.viewer.person_id
        return await load_person(info, person_id)

    @strawberry.field(
        description="Your own record as others see it: supporters, your networks' staff, other "
        "signed-in people, or signed-out visitors (null: they see nothing of you).",
        permission_classes=[SignedIn],
    )
    async def as_seen_by(self, info: Info, audience: Audience) -> Person | None:
        ctx = info.context
        with reported_as(""):
            view = await people.as_seen_by(ctx.graph, GraphAudience(audience.value))
        return Person.from_record(view) if view else None

    @strawberry.field(description="Your own privacy choices (null when signed out).", permission_classes=[SignedIn])
    async def my_choices(self, info: Info) -> PrivacyChoices | None:
        found = await people.own_choices(info.context.graph)
        return PrivacyChoices.from_record(found) if found else None

    @strawberry.field(
        description=f"The campaigns you take part in, by title (at most {MAX_PAGE}).", permission_classes=[SignedIn]
    )
    async def my_campaigns(self, info: Info, first: int = 20) -> list[Campaign]:
        if not 1 <= first <= MAX_PAGE:
            raise bad_input("first", f"from 1 to {MAX_PAGE}")
        return [Campaign.from_record(v) for v in await places.own_campaigns(info.context.graph, first=first)]

    @strawberry.field(
        description="What became of your input: your contributions, newest first, each with the decisions it "
        f"informed and where their outcomes stand now (at most {MAX_PAGE}).",
        permission_classes=[SignedIn],
    )
    async def my_input(self, info: Info, first: int = 20) -> list[InputTrail]:
        if not 1 <= first <= MAX_PAGE:
            raise bad_input("first", f"from 1 to {MAX_PAGE}")
        return [InputTrail.from_record(t) for t in await coproduction.my_input(info.context.graph, first=first)]

    @strawberry.field(
        description=f"What you were told about your input, newest first (at most {MAX_PAGE}).",
        permission_classes=[SignedIn],
    )
    async def my_notifications(self, info: Info, first: int = 20, unread_only: bool = False) -> list[Notification]:
        if not 1 <= first <= MAX_PAGE:
            raise bad_input("first", f"from 1 to {MAX_PAGE}")
        found = await coproduction.notifications(info.context.graph, first=first, unread_only=unread_only)
        return [Notification.from_record(n) for n in found]

    @strawberry.field(
        description="How often your news is emailed (to the address you sign in with, where Peermap can send "
        "email); none chosen: at once.",
        permission_classes=[SignedIn],
    )
    async def my_news_by(self, info: Info) -> NewsBy | None:
        return await news.chosen(info.context.graph)

    @strawberry.field(description="Your time credits: your balance and your exchanges.", permission_classes=[SignedIn])
    async def my_time(self, info: Info, first: int = 20) -> MyTime:
        if not 1 <= first <= MAX_PAGE:
            raise bad_input("first", f"from 1 to {MAX_PAGE}")
        graph = info.context.graph
        found = await time_credits.own_exchanges(graph, first=first)
        return MyTime(
            balance_minutes=await time_credits.own_balance(graph),
            exchanges=[Exchange.from_record(e, graph.viewer.person_id) for e in found],
        )

    @strawberry.field(
        description="Minutes in the community pot (below nothing: the community owes them).",
        permission_classes=[SignedIn],
    )
    async def pot_minutes(self, info: Info) -> int:
        return await time_credits.pot_balance(info.context.graph)

    @strawberry.field(description="The skills people can offer or want to learn, by name; words narrow them.")
    async def skills(self, info: Info, text: str | None = None) -> list[Skill]:
        if text and len(text) > MAX_SEARCH:
            raise bad_input("text", f"at most {MAX_SEARCH} characters")
        wanted = (text or "").strip().casefold()
        every = await taxonomy.skills(info.context.graph)
        return [Skill.from_record(s) for s in every if wanted in s.name.casefold() or wanted in s.category.casefold()]

    @strawberry.field(
        description="Requests waiting for an answer: to connect, or to be supported; those you made and those made "
        "to you (for coordinators, also support waiting for a second coordinator). Oldest first; they expire.",
        permission_classes=[SignedIn],
    )
    async def requests(self, info: Info) -> list[ConsentRequest]:
        return [ConsentRequest.from_record(r) for r in await consent.pending_for(info.context.graph)]

    @strawberry.field(
        description="Who viewed or changed your location or support relationships, newest first.",
        permission_classes=[SignedIn],
    )
    async def audit_log(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[AuditEntry]:
        ctx = info.context
        chosen = window(first=first, after=after, last=None, before=None, total=None)
        page = await audit.entries_about(ctx.graph, first=chosen.limit, offset=chosen.offset)
        return connection(
            [AuditEntry.from_record(e) for e in page.items],
            offset=chosen.offset,
            total=page.total,
        )

    @strawberry.field(description="Your API tokens (never their secrets).", permission_classes=[SignedIn])
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        ctx = info.context
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
            role=filter.role if filter else None,
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
        return connection([Person.from_record(v) for v in page.items], offset=chosen.offset, total=page.total)

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
            [Neighbourhood.from_record(v) for v in found], first=first, after=after, last=last, before=before
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
        where = campaign_filter(filter)
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
        return connection([Campaign.from_record(v) for v in page.items], offset=chosen.offset, total=page.total)

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
                    skill=Skill.from_record(p.skill),
                    people=[Match.from_record(s) for s in p.people],
                )
                for p in found.skills
            ],
            gaps=[Skill.from_record(g) for g in found.gaps],
            co_planners=[Match.from_record(s) for s in found.co_planners],
            residents=found.residents,
            reached=found.reached,
            coverage=found.coverage,
        )
