"""People as a given viewer may see them."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import audit, queries
from .locations import widened_by_a_cell
from .model import (
    Audience,
    LocationVisibility,
    MembershipKind,
    Network,
    Page,
    PeopleFilter,
    PersonView,
    Point,
    PrivacyChoices,
    Role,
    Skill,
    SkillMode,
    SkillOfPerson,
    SupportView,
    TieView,
)
from .search import lucene_query
from .viewer_graph import ViewerGraph

# Who may see whom a person knows (queries.people.TIES_OF_PEOPLE says the same in Cypher).
TIE_AUDIENCES = (Audience.SELF.value, Audience.SUPPORTER.value, Audience.NETWORK_STAFF.value)


async def people_page(
    graph: ViewerGraph,
    *,
    first: int,
    offset: int,
    where: PeopleFilter = PeopleFilter(),
    collected: bool = False,
    counted: bool = True,
) -> Page:
    """One page of people (by name, or nearest first), and how many match in all; none for the
    signed-out. Collected: read as one record, several times faster for the thousands a map holds."""
    text = lucene_query(where.text) if where.text else None
    if not graph.viewer.signed_in or (where.text and text is None):  # signed out, or a search with no words in it
        return Page(items=[], total=0)
    page_query, count_query = queries.people.people_search(
        text=text is not None,
        role=where.role is not None,
        neighbourhood=where.neighbourhood_id is not None,
        network=where.network_id is not None,
        skill=where.skill_id is not None,
        box=where.within is not None,
        by_distance=where.near is not None,
        collected=collected,
    )
    box, wide = where.within, widened_by_a_cell(where.within) if where.within else None
    page = await graph.read_page(
        page_query=page_query,
        count_query=count_query,
        convert=_view,
        collected=collected,
        counted=counted,
        skip=offset,
        limit=first,
        text=text,
        role=where.role.value if where.role else None,
        neighbourhood=where.neighbourhood_id,
        network=where.network_id,
        skill=where.skill_id,
        latitude=where.near.latitude if where.near else None,
        longitude=where.near.longitude if where.near else None,
        west=box.west if box else None,
        south=box.south if box else None,
        east=box.east if box else None,
        north=box.north if box else None,
        wide_west=wide.west if wide else None,
        wide_south=wide.south if wide else None,
        wide_east=wide.east if wide else None,
        wide_north=wide.north if wide else None,
    )
    located = [view.id for view in page.items if view.position_is_exact] + page.located_by_count
    await audit.record_views(graph, audit.VIEWED_LOCATION, located)
    return page


async def people_by_ids(graph: ViewerGraph, ids: list[str]) -> dict[str, PersonView]:
    """Many people in one query, as the viewer may see them; unknown ids (and all, signed out) are left out."""
    views = [_view(row) for row in await graph.read_value(queries.people.PEOPLE_BY_IDS, ids=ids)]
    await _log_exact_views(graph, views)
    return {view.id: view for view in views}


async def as_seen_by(graph: ViewerGraph, audience: Audience) -> PersonView | None:
    """The viewer's own record as people of this audience see it ("what others see of me")."""
    if graph.viewer.person_id is None:
        return None
    rows = await graph.read_value(queries.people.PEOPLE_BY_IDS, ids=[graph.viewer.person_id], audience=audience.value)
    return _view(rows[0]) if rows else None


async def own_choices(graph: ViewerGraph) -> PrivacyChoices | None:
    """The viewer's own privacy choices (None when signed out or erased meanwhile)."""
    if graph.viewer.person_id is None:
        return None
    rows = await graph.read(queries.people.OWN_CHOICES)
    if not rows:
        return None
    row = rows[0]
    return PrivacyChoices(
        location_visibility=LocationVisibility(row["location_visibility"]),
        contact=row["contact"],
        contactable=row["contactable"],
        skills_hidden=row["skills_hidden"],
        ties_shared=row["ties_shared"],
    )


async def skills_of_people(graph: ViewerGraph, ids: list[str]) -> dict[str, list[SkillOfPerson]]:
    """Each person's skills, by skill name, for many people in one query: those the viewer may see."""
    records = await graph.read(queries.people.SKILLS_OF_PEOPLE, ids=ids)
    return {
        record["id"]: [
            SkillOfPerson(
                skill=Skill(id=row["id"], name=row["name"], category=row["category"]),
                mode=SkillMode(row["mode"]),
                level=row["level"],
                since=_day(row["since"]),
            )
            for row in record["rows"]
        ]
        for record in records
    }


async def ties_of_people(graph: ViewerGraph, ids: list[str]) -> dict[str, list[TieView]]:
    """Each person's ties, by the other person's name, for many people in one query: those the viewer may see."""
    records = await graph.read(queries.people.TIES_OF_PEOPLE, ids=ids)
    return {
        person["id"]: [
            TieView(
                person_id=row["person_id"],
                strength=row["strength"],
                since=_day(row["since"]),
                last_contact=_day(row["last_contact"]),
            )
            for row in person["rows"]
        ]
        for person in records[0]["people"]
    }


async def ties_among(graph: ViewerGraph, ids: list[str]) -> list[tuple[str, TieView]]:
    """The ties among these people that the viewer may see, each once: from the end whose id sorts
    first of those whose ties the viewer may see."""
    records = await graph.read(queries.people.TIES_AMONG, ids=ids)
    ties = []
    for text in records[0]["ties"]:
        person_id, other_id, strength, last_contact = text.split(" ")
        tie = TieView(person_id=other_id, strength=int(strength), since=None, last_contact=_day(last_contact or None))
        ties.append((person_id, tie))
    return ties


async def networks_of_people(graph: ViewerGraph, ids: list[str]) -> dict[str, list[tuple[Network, MembershipKind]]]:
    """The networks each person belongs to, and as what, for many people in one query."""
    records = await graph.read(queries.people.NETWORKS_OF_PEOPLE, ids=ids)
    return {
        record["id"]: [(Network(id=row["id"], name=row["name"]), MembershipKind(row["kind"])) for row in record["rows"]]
        for record in records
    }


async def supports_of_people(
    graph: ViewerGraph, ids: list[str]
) -> dict[str, tuple[list[SupportView], list[SupportView]]]:
    """For each person: who supports them, and whom they support, as far as the viewer may see."""
    records = await graph.read(queries.people.SUPPORTS_OF_PEOPLE, ids=ids)
    found = {
        record["id"]: ([_support(row) for row in record["supporters"]], [_support(row) for row in record["supporting"]])
        for record in records
    }
    await audit.record_views(
        graph, audit.VIEWED_SUPPORT, [person_id for person_id, (supporters, _) in found.items() if supporters]
    )
    return found


async def may_see_ties(graph: ViewerGraph, person_id: str) -> bool:
    """Whether the viewer may see whom this person knows (and so hear of their new ties)."""
    records = await graph.read(queries.people.AUDIENCE_OF, id=person_id)
    return bool(records) and records[0]["audience"] in TIE_AUDIENCES


async def _log_exact_views(graph: ViewerGraph, views: list[PersonView]) -> None:
    await audit.record_views(graph, audit.VIEWED_LOCATION, [view.id for view in views if view.position_is_exact])


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _support(row: dict[str, Any]) -> SupportView:
    return SupportView(
        supporter_id=row["supporter_id"],
        person_id=row["person_id"],
        since=_day(row["since"]),
        may_act_for=row["may_act_for"],
    )


def _view(row: dict[str, Any]) -> PersonView:
    position = row["position"]
    return PersonView(
        id=row["id"],
        name=row["name"],
        bio=row["bio"] or "",
        roles=tuple(Role(label) for label in sorted(row["roles"])),
        position=Point(position.latitude, position.longitude) if position is not None else None,
        position_is_exact=bool(row["position_is_exact"]),
        neighbourhood_id=row["neighbourhood_id"],
        contact=row["contact"],
        audience=Audience(row["audience"]),
    )
