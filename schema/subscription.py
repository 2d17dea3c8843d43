"""Subscriptions (graphql-transport-ws on /graphql): campaigns, network memberships, new ties."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from functools import partial

import strawberry

from ..graph import coproduction, people, places
from .coproduction import Notification, told_topic
from .errors import forbidden
from .events import Event
from .ids import global_id, required_id
from .permissions import SignedIn
from .types import Campaign, Info, Person, load_person


@strawberry.type
class CampaignChange:
    kind: str = strawberry.field(description="updated, joined, left, hours logged, skills changed")
    campaign: Campaign | None


@strawberry.type
class MembershipChange:
    kind: str = strawberry.field(description="joined or left")
    network_id: strawberry.ID
    person: Person | None


@strawberry.type
class TieMade:
    person: Person | None
    other: Person | None


def campaign_topic(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


def network_topic(network_id: str) -> str:
    return f"network:{network_id}"


def person_topic(person_id: str) -> str:
    return f"person:{person_id}"


SIGNED_OUT = 4401  # the WebSocket's close code once its token or session has ended


async def _events(
    info: Info, topic: str, still_allowed: Callable[[], Awaitable[bool]] | None = None
) -> AsyncGenerator[Event, None]:
    """The topic's events, each sent only if the viewer is still signed in as they were (else the
    connection ends) and still may see it (else the subscription ends with FORBIDDEN)."""
    ctx = info.context
    async for event in ctx.events.subscribe(topic):
        ctx.refresh()
        if not await ctx.still_signed_in():
            await ctx.end_connection(SIGNED_OUT, "Signed out")
            return
        if still_allowed is not None and not await still_allowed():
            raise forbidden("you may no longer see this")
        yield event


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Each change to one campaign, as it happens.")
    async def campaign_changed(self, info: Info, campaign: strawberry.ID) -> AsyncGenerator[CampaignChange, None]:
        campaign_id = required_id(campaign, "Campaign", "campaign")
        async for event in _events(info, campaign_topic(campaign_id)):
            found = await places.campaigns_by_ids(info.context.graph, [campaign_id])
            view = found.get(campaign_id)
            yield CampaignChange(kind=event.kind, campaign=Campaign.from_record(view) if view else None)

    @strawberry.subscription(description="People joining or leaving one network.", permission_classes=[SignedIn])
    async def network_membership_changed(
        self, info: Info, network: strawberry.ID
    ) -> AsyncGenerator[MembershipChange, None]:
        network_id = required_id(network, "Network", "network")
        async for event in _events(info, network_topic(network_id)):
            yield MembershipChange(
                kind=event.kind,
                network_id=global_id("Network", network_id),
                person=await load_person(info, event.subject_id),
            )

    @strawberry.subscription(
        description="Each time you are told what became of your input (myNotifications), as it happens.",
        permission_classes=[SignedIn],
    )
    async def told_about_my_input(self, info: Info) -> AsyncGenerator[Notification, None]:
        viewer = info.context.graph.viewer.person_id or ""
        async for event in _events(info, told_topic(viewer)):
            found = await coproduction.notification(info.context.graph, event.other_id or "")
            if found is not None:
                yield Notification.from_record(found)

    @strawberry.subscription(description="New ties made by one person.")
    async def tie_made(self, info: Info, person: strawberry.ID) -> AsyncGenerator[TieMade, None]:
        person_id = required_id(person, "Person", "person")
        ctx = info.context
        if not await people.may_see_ties(ctx.graph, person_id):
            raise forbidden("only the person, their supporters and their networks' staff see whom they know")
        async for event in _events(info, person_topic(person_id), partial(people.may_see_ties, ctx.graph, person_id)):
            yield TieMade(
                person=await load_person(info, event.subject_id), other=await load_person(info, event.other_id)
            )
