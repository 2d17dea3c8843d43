"""Single changes to the network: each one a managed transaction, checked inside it.

Who may make the change (graph/permissions.py), existence and uniqueness are checked in the same
transaction as the write, so what was checked is what is changed; a failed check raises
before anything is written. A change made by a supporter acting for someone, and every
change to a location or a support relationship, is logged in that same transaction.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from typing import Any, LiteralString

from . import audit, queries
from .database import Transaction
from .errors import Conflict, Forbidden, Invalid, NotFound
from .model import (
    Campaign,
    Membership,
    MembershipKind,
    Neighbourhood,
    Network,
    Participation,
    Person,
    PersonSkill,
    Role,
    TieView,
)
from .permissions import Rule
from .store import campaign_from_row, campaign_row, neighbourhood_row, person_from_row, person_row, plain
from .viewer_graph import ViewerGraph


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def require_exists(tx: Transaction, label: str, node_id: str, field: str) -> None:
    if not (await tx.single(queries.changes.EXISTS[label], id=node_id))["found"]:
        raise NotFound(field, f"no {label.lower()} has the id {node_id!r}")


async def _removes(tx: Transaction, statement: LiteralString, **parameters: Any) -> bool:
    """Whether the statement removed anything (it returns its count as `removed`)."""
    return bool((await tx.single(statement, **parameters))["removed"])


async def _link(
    graph: ViewerGraph,
    ends: list[tuple[str, str, str]],
    statement: LiteralString,
    *,
    rule: Rule,
    action: str,
    person: str | None = None,
    campaign: str | None = None,
    **parameters: Any,
) -> None:
    """Make or update one relationship after checking that both its ends exist."""

    async def work(tx: Transaction) -> None:
        for label, node_id, field in ends:
            await require_exists(tx, label, node_id, field)
        await tx.execute(statement, **parameters)

    await graph.change(work, rule=rule, action=action, person=person, campaign=campaign)


# --- people ------------------------------------------------------------------------------------


def membership_kind(roles: tuple[Role, ...]) -> MembershipKind:
    """How a person belongs to a network, by their roles: staff, the volunteer, or a member."""
    if {Role.COORDINATOR, Role.SUPPORT_WORKER} & set(roles):
        return MembershipKind.STAFF
    return MembershipKind.VOLUNTEER if Role.VOLUNTEER in roles else MembershipKind.MEMBER


async def create_person(graph: ViewerGraph, person: Person, *, network_id: str | None = None) -> Person:
    """A coordinator adds a person (who can then be invited to make an account), and with them,
    in the same transaction, their place in a network."""

    async def work(tx: Transaction) -> Person:
        if (await tx.single(queries.changes.EXISTS["Person"], id=person.id))["found"]:
            raise Conflict("id", f"a person with the id {person.id!r} exists already")
        if person.neighbourhood_id:
            await require_exists(tx, "Neighbourhood", person.neighbourhood_id, "neighbourhood")
        if network_id:
            await require_exists(tx, "Network", network_id, "network")
        await tx.run(queries.datasets.MERGE_PEOPLE, rows=[person_row(person)])
        if network_id:
            membership = Membership(person_id=person.id, network_id=network_id, kind=membership_kind(person.roles))
            await tx.run(queries.datasets.MERGE_MEMBERSHIPS, rows=[plain(membership)])
        return person

    return await graph.change(work, rule=Rule.COORDINATOR, action="added a person")


# Members decide where they are seen and how they are reached: only they (or a supporter
# acting for them) change these. Roles are given by coordinators, so nobody makes themselves one.
PERSONAL_FIELDS = frozenset({"home", "location_visibility", "contact", "contactable", "skills_hidden", "ties_shared"})
ROLE_FIELDS = frozenset({"roles"})


async def update_person(graph: ViewerGraph, person_id: str, changes: dict[str, Any]) -> Person:
    """Change the given fields (names as on Person) and keep the rest."""
    personal, roles = PERSONAL_FIELDS & changes.keys(), ROLE_FIELDS & changes.keys()
    if personal and roles:
        raise Invalid("roles", "change roles apart from one's own details: they are decided by different people")
    rule = Rule.THE_PERSON if personal else Rule.COORDINATOR if roles else Rule.THE_PERSON_OR_COORDINATOR
    if roles and person_id in (graph.viewer.person_id, graph.viewer.actor):
        raise Forbidden("nobody gives themselves a role: another coordinator may")

    async def work(tx: Transaction) -> Person:
        rows = await tx.run(queries.changes.PERSON_RECORD, id=person_id)
        if not rows:
            raise NotFound("id", f"no person has the id {person_id!r}")
        updated = replace(person_from_row(rows[0]), **changes)
        if not updated.roles:
            raise Invalid("roles", "at least one role")
        if changes.get("neighbourhood_id"):
            await require_exists(tx, "Neighbourhood", updated.neighbourhood_id or "", "neighbourhood")
        await tx.run(queries.datasets.MERGE_PEOPLE, rows=[person_row(updated)])
        if {"home", "location_visibility"} & changes.keys():
            await audit.record_change(tx, graph.viewer, audit.CHANGED_LOCATION, person_id)
        elif personal:
            await audit.record_change(tx, graph.viewer, audit.CHANGED_PRIVACY, person_id, ", ".join(sorted(personal)))
        return updated

    return await graph.change(work, rule=rule, person=person_id, action="changed your details")


async def erase_person(graph: ViewerGraph, person_id: str) -> None:
    """Erasure: the person, their account and personal data, every tie, skill, membership and
    support; what they gave to campaigns stays only as anonymous totals. The person decides
    this (or a coordinator, when asked to)."""

    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.ERASE_PERSON, id=person_id):
            raise NotFound("id", f"no person has the id {person_id!r}")

    # The log about the person goes with them, so nobody may do this on their behalf: it could
    # not be recorded as theirs.
    if graph.viewer.actor_id is not None:
        raise Forbidden("erasure is for the person themselves, or a coordinator at their request")
    await graph.change(work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=person_id, action="erased")


# --- skills on a person ------------------------------------------------------------------------


async def set_person_skill(graph: ViewerGraph, skill: PersonSkill) -> None:
    """Offer a skill or want to learn it, at a level; setting it again changes it."""
    await _link(
        graph,
        [("Person", skill.person_id, "person"), ("Skill", skill.skill_id, "skill")],
        queries.datasets.MERGE_PERSON_SKILLS,
        rows=[plain(skill)],
        rule=Rule.THE_PERSON,
        person=skill.person_id,
        action="set a skill",
    )


async def remove_person_skill(graph: ViewerGraph, person_id: str, skill_id: str) -> None:
    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.REMOVE_PERSON_SKILL, person_id=person_id, skill_id=skill_id):
            raise NotFound("skill", "the person does not have that skill")

    await graph.change(work, rule=Rule.THE_PERSON, person=person_id, action="removed a skill")


# --- ties --------------------------------------------------------------------------------------


def _tie_view(other_id: str, row: dict[str, Any]) -> TieView:
    return TieView(
        person_id=other_id,
        strength=row["strength"],
        since=date.fromisoformat(row["since"]) if row["since"] else None,
        last_contact=date.fromisoformat(row["last_contact"]) if row["last_contact"] else None,
    )


async def update_tie(
    graph: ViewerGraph, a: str, b: str, *, strength: int | None = None, contact: date | None = None
) -> TieView:
    """Record a contact (last contact only moves forward) or change the strength."""

    async def work(tx: Transaction) -> TieView:
        rows = await tx.run(queries.changes.UPDATE_TIE, a=a, b=b, strength=strength, contact=contact)
        if not rows:
            raise NotFound("other", "these two have no tie")
        return _tie_view(b, rows[0])

    return await graph.change(work, rule=Rule.EITHER_PERSON, person=a, other=b, action="updated a tie")


async def disconnect(graph: ViewerGraph, a: str, b: str) -> None:
    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.REMOVE_TIE, a=a, b=b):
            raise NotFound("other", "these two have no tie")

    await graph.change(work, rule=Rule.EITHER_PERSON, person=a, other=b, action="removed a tie")


# --- networks ----------------------------------------------------------------------------------


async def create_network(graph: ViewerGraph, network: Network) -> Network:
    async def work(tx: Transaction) -> Network:
        if (await tx.single(queries.changes.EXISTS["Network"], id=network.id))["found"]:
            raise Conflict("id", f"a network with the id {network.id!r} exists already")
        await tx.run(queries.datasets.MERGE_NETWORKS, rows=[plain(network)])
        return network

    return await graph.change(work, rule=Rule.COORDINATOR, action="created a network")


async def join_network(graph: ViewerGraph, membership: Membership) -> None:
    """A coordinator adds someone as a member, the volunteer or staff (coordinators and support
    workers only); joining again changes nothing."""

    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Person", membership.person_id, "person")
        await require_exists(tx, "Network", membership.network_id, "network")
        if membership.kind is MembershipKind.STAFF:
            person = person_from_row((await tx.run(queries.changes.PERSON_RECORD, id=membership.person_id))[0])
            if not {Role.COORDINATOR, Role.SUPPORT_WORKER} & set(person.roles):
                raise Invalid("role", "staff of a network are coordinators or support workers")
        await tx.run(queries.datasets.MERGE_MEMBERSHIPS, rows=[plain(membership)])

    await graph.change(work, rule=Rule.COORDINATOR, action="added to a network")


async def leave_network(graph: ViewerGraph, person_id: str, network_id: str) -> None:
    """Anyone may leave a network; a coordinator may take someone out."""

    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.LEAVE_NETWORK, person_id=person_id, network_id=network_id):
            raise NotFound("network", "the person is not in that network")

    await graph.change(work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=person_id, action="left a network")


# --- support -----------------------------------------------------------------------------------


async def end_support(graph: ViewerGraph, supporter_id: str, person_id: str) -> None:
    """The person supported, the supporter or a coordinator ends it."""

    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.END_SUPPORT, supporter_id=supporter_id, person_id=person_id):
            raise NotFound("person", "the supporter does not support that person")
        await audit.record_change(tx, graph.viewer, audit.ENDED_SUPPORT, person_id, f"supporter {supporter_id}")

    await graph.change(
        work, rule=Rule.EITHER_PERSON_OR_COORDINATOR, person=person_id, other=supporter_id, action="ended support"
    )


async def allow_acting_for(graph: ViewerGraph, supporter_id: str, person_id: str, allowed: bool) -> None:
    """The person (or a coordinator, at their request) lets a supporter act on their behalf, or stops it."""

    async def work(tx: Transaction) -> None:
        changed = await tx.run(
            queries.accounts.SET_ACTING_ALLOWED, supporter=supporter_id, person=person_id, allowed=allowed
        )
        if not changed[0]["changed"]:
            raise NotFound("supporter", "that person does not support this person")
        await audit.record_change(
            tx,
            graph.viewer,
            audit.ALLOWED_ACTING,
            person_id,
            f"supporter {supporter_id}: {'allowed' if allowed else 'no longer allowed'}",
        )

    # A supporter acting for someone cannot widen their own powers.
    if graph.viewer.actor_id is not None:
        raise Forbidden("only the person, signed in as themselves, or a coordinator may do this")
    await graph.change(
        work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=person_id, action="changed who may act for you"
    )


# --- neighbourhoods ----------------------------------------------------------------------------


async def save_neighbourhood(
    graph: ViewerGraph, neighbourhood_id: str, *, name: str | None, boundary: dict[str, Any] | None, create: bool
) -> Neighbourhood:
    """Create a neighbourhood, or change its name or boundary; names are unique, whatever their case."""

    async def work(tx: Transaction) -> Neighbourhood:
        rows = await tx.run(queries.changes.NEIGHBOURHOOD_RECORD, id=neighbourhood_id)
        if create and rows:
            raise Conflict("id", f"a neighbourhood with the id {neighbourhood_id!r} exists already")
        if not create and not rows:
            raise NotFound("id", f"no neighbourhood has the id {neighbourhood_id!r}")
        current = rows[0] if rows else {}
        updated = Neighbourhood(
            id=neighbourhood_id,
            name=name or current.get("name", ""),
            boundary=boundary or json.loads(current["boundary"]),
        )
        if (await tx.single(queries.changes.NEIGHBOURHOOD_NAME_TAKEN, name=updated.name, id=neighbourhood_id))["taken"]:
            raise Conflict("name", f"another neighbourhood is called {updated.name!r}")
        await tx.run(queries.datasets.MERGE_NEIGHBOURHOODS, rows=[neighbourhood_row(updated)])
        return updated

    return await graph.change(work, rule=Rule.COORDINATOR, action="saved a neighbourhood")


# --- campaigns ---------------------------------------------------------------------------------


async def _require_all(tx: Transaction, label: str, ids: tuple[str, ...], field: str) -> None:
    for node_id in ids:
        await require_exists(tx, label, node_id, field)


async def create_campaign(graph: ViewerGraph, campaign: Campaign) -> Campaign:
    """Anyone signed in may propose a campaign (co-production: roles are not ranks); they join it as its organiser."""
    campaign = replace(
        campaign, participants=(Participation(person_id=graph.viewer.person_id or "", role="organiser"),)
    )

    async def work(tx: Transaction) -> Campaign:
        await _require_all(tx, "Neighbourhood", campaign.neighbourhood_ids, "neighbourhoods")
        await _require_all(tx, "Skill", campaign.needed_skill_ids, "neededSkills")
        await tx.run(queries.datasets.MERGE_CAMPAIGNS, rows=[campaign_row(campaign)])
        await audit.record_on_campaign(tx, graph.viewer, campaign.id, "proposed the campaign", campaign.title)
        return campaign

    return await graph.change(work, rule=Rule.SIGNED_IN, action="proposed a campaign")


async def update_campaign(graph: ViewerGraph, campaign_id: str, changes: dict[str, Any]) -> Campaign:
    """Change the given fields (names as on Campaign: title, description, status, area, dates)."""

    async def work(tx: Transaction) -> Campaign:
        rows = await tx.run(queries.changes.CAMPAIGN_RECORD, id=campaign_id)
        if not rows:
            raise NotFound("id", f"no campaign has the id {campaign_id!r}")
        updated = replace(campaign_from_row(rows[0]["row"]), **changes)
        if updated.starts_on and updated.ends_on and updated.ends_on < updated.starts_on:
            raise Invalid("endsOn", "before the campaign starts")
        await tx.run(queries.datasets.MERGE_CAMPAIGNS, rows=[campaign_row(updated)])
        await audit.record_on_campaign(tx, graph.viewer, campaign_id, "changed the campaign", _said(changes))
        return updated

    return await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="changed a campaign")


def _said(changes: dict[str, Any]) -> str:
    """The changes in the campaign's log: each field and its new value (the area only as redrawn)."""
    words = []
    for name, value in sorted(changes.items()):
        shown = "redrawn" if name == "area" else getattr(value, "value", value)
        words.append(f"{name.replace('_', ' ')}: {shown}")
    return "; ".join(words)


ORGANISER_ROLE = "organiser"


async def join_campaign(graph: ViewerGraph, person_id: str, campaign_id: str, role: str) -> None:
    """Take part, or change one's role; hours already given are kept. Organising is not taken but
    given (set_organiser): an organiser who joins again stays one."""
    if role.strip().lower() in (ORGANISER_ROLE, "organizer"):
        raise Invalid("role", "organisers are chosen by the campaign's organisers: join, and ask one of them")
    await _link(
        graph,
        [("Person", person_id, "person"), ("Campaign", campaign_id, "campaign")],
        queries.changes.JOIN_CAMPAIGN,
        person_id=person_id,
        campaign_id=campaign_id,
        role=role,
        rule=Rule.THE_PERSON_OR_COORDINATOR,
        person=person_id,
        action="joined a campaign",
    )


async def set_organiser(graph: ViewerGraph, person_id: str, campaign_id: str, organiser: bool) -> None:
    """The campaign's organisers (or a coordinator) make someone taking part an organiser, or end
    it; nobody makes themselves one, but anyone may step down."""
    if organiser and person_id in (graph.viewer.person_id, graph.viewer.actor):
        raise Forbidden("nobody makes themselves an organiser: another organiser or a coordinator may")

    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Campaign", campaign_id, "campaign")
        rows = await tx.run(
            queries.changes.ORGANISER, person_id=person_id, campaign_id=campaign_id, organiser=organiser
        )
        if not rows:
            raise NotFound("person", "the person does not take part in that campaign: they join it first")
        action = "made someone an organiser" if organiser else "ended someone's organising"
        await audit.record_on_campaign(tx, graph.viewer, campaign_id, action, rows[0]["name"])

    stepping_down = not organiser and person_id == graph.viewer.person_id
    await graph.change(
        work,
        rule=Rule.THE_PERSON if stepping_down else Rule.CAMPAIGN_ORGANISERS,
        person=person_id,
        campaign=campaign_id,
        action="changed who organises a campaign",
    )


async def leave_campaign(graph: ViewerGraph, person_id: str, campaign_id: str) -> None:
    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.LEAVE_CAMPAIGN, person_id=person_id, campaign_id=campaign_id):
            raise NotFound("campaign", "the person does not take part in that campaign")

    await graph.change(work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=person_id, action="left a campaign")


async def log_hours(graph: ViewerGraph, person_id: str, campaign_id: str, hours: float) -> float:
    """Add time given to a campaign (time credits); returns the person's total for it."""

    async def work(tx: Transaction) -> float:
        rows = await tx.run(queries.changes.LOG_HOURS, person_id=person_id, campaign_id=campaign_id, hours=hours)
        if not rows:
            raise NotFound("campaign", "the person does not take part in that campaign: join it first")
        return float(rows[0]["hours"])

    return await graph.change(work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=person_id, action="logged hours")


async def add_needed_skill(graph: ViewerGraph, campaign_id: str, skill_id: str) -> None:
    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Campaign", campaign_id, "campaign")
        await require_exists(tx, "Skill", skill_id, "skill")
        await tx.execute(queries.changes.ADD_NEEDED_SKILL, campaign_id=campaign_id, skill_id=skill_id)
        await audit.record_on_campaign(tx, graph.viewer, campaign_id, "added a needed skill", skill_id)

    await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="added a needed skill")


async def remove_needed_skill(graph: ViewerGraph, campaign_id: str, skill_id: str) -> None:
    async def work(tx: Transaction) -> None:
        if not await _removes(tx, queries.changes.REMOVE_NEEDED_SKILL, campaign_id=campaign_id, skill_id=skill_id):
            raise NotFound("skill", "the campaign does not list that skill")
        await audit.record_on_campaign(tx, graph.viewer, campaign_id, "removed a needed skill", skill_id)

    await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="removed a needed skill")
