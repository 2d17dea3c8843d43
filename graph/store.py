"""Writing a whole dataset into the graph, and reading it back out, in bulk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, LiteralString

from shapely.geometry import shape

from . import loop_records, queries
from .database import Graph, Transaction
from .locations import approximate
from .model import (
    Campaign,
    CampaignStatus,
    Dataset,
    LocationVisibility,
    Membership,
    MembershipKind,
    Neighbourhood,
    Network,
    Participation,
    Person,
    PersonSkill,
    Point,
    Role,
    Skill,
    SkillMode,
    Support,
    Tie,
)

BATCH_SIZE = 5_000
EXPORT_CHUNK = 10_000

Progress = Callable[[str, int], None]


def _no_progress(section: str, rows: int) -> None:
    pass


async def write_dataset(graph: Graph, dataset: Dataset, *, progress: Progress = _no_progress) -> None:
    """Merge everything in the dataset on ids, in one transaction: all of it or none of it.

    Rows go in UNWIND batches inside that one transaction, so a large import costs a few
    hundred round trips rather than one per row, and still cannot be left half-written.
    """
    sections = _sections(dataset)

    async def work(tx: Transaction) -> None:
        for name, statement, rows in sections:
            for start in range(0, len(rows), BATCH_SIZE):
                batch = rows[start : start + BATCH_SIZE]
                await tx.execute(statement, rows=batch)
                progress(name, len(batch))

    await graph.writing(work)


def _sections(dataset: Dataset) -> list[tuple[str, LiteralString, list[dict[str, Any]]]]:
    """In dependency order: what a row links to is written before the row."""
    skills = [_skill_row(s) for s in dataset.skills]
    return [
        (
            "neighbourhoods",
            queries.datasets.MERGE_NEIGHBOURHOODS,
            [neighbourhood_row(n) for n in dataset.neighbourhoods],
        ),
        ("skills", queries.datasets.MERGE_SKILLS, skills),
        ("skills", queries.datasets.LINK_BROADER_SKILLS, skills),
        ("networks", queries.datasets.MERGE_NETWORKS, [{"id": n.id, "name": n.name} for n in dataset.networks]),
        ("people", queries.datasets.MERGE_PEOPLE, [person_row(p) for p in dataset.people]),
        ("person_skills", queries.datasets.MERGE_PERSON_SKILLS, [plain(s) for s in dataset.person_skills]),
        ("ties", queries.datasets.MERGE_TIES, [plain(t) for t in dataset.ties]),
        ("supports", queries.datasets.MERGE_SUPPORTS, [plain(s) for s in dataset.supports]),
        ("memberships", queries.datasets.MERGE_MEMBERSHIPS, [plain(m) for m in dataset.memberships]),
        ("campaigns", queries.datasets.MERGE_CAMPAIGNS, [campaign_row(c) for c in dataset.campaigns]),
        *(
            (name, statement, [loop_records.written(name, r) for r in getattr(dataset, name)])
            for name, statement in loop_records.MERGES.items()
        ),
    ]


def plain(record: Any) -> dict[str, Any]:
    return {key: value.value if isinstance(value, Enum) else value for key, value in vars(record).items()}


def person_row(person: Person) -> dict[str, Any]:
    cell = approximate(person.home) if person.home else None
    return {
        "id": person.id,
        "name": person.name,
        "bio": person.bio,
        "roles": [role.value for role in person.roles],
        "visibility": person.location_visibility.value,
        "lat": person.home.latitude if person.home else None,
        "lon": person.home.longitude if person.home else None,
        "cell_lat": cell.latitude if cell else None,
        "cell_lon": cell.longitude if cell else None,
        "neighbourhood_id": person.neighbourhood_id,
        "contact": person.contact,
        "contactable": person.contactable,
        "skills_hidden": person.skills_hidden,
        "ties_shared": person.ties_shared,
    }


def _skill_row(skill: Skill) -> dict[str, Any]:
    return {"id": skill.id, "name": skill.name, "category": skill.category, "broader_id": skill.broader_id}


def neighbourhood_row(neighbourhood: Neighbourhood) -> dict[str, Any]:
    centre = shape(neighbourhood.boundary).representative_point()
    return {
        "id": neighbourhood.id,
        "name": neighbourhood.name,
        "boundary": json.dumps(neighbourhood.boundary),
        "centre_lat": centre.y,
        "centre_lon": centre.x,
    }


def campaign_row(campaign: Campaign) -> dict[str, Any]:
    centre = shape(campaign.area).representative_point()
    return {
        "id": campaign.id,
        "title": campaign.title,
        "description": campaign.description,
        "status": campaign.status.value,
        "area": json.dumps(campaign.area),
        "centre_lat": centre.y,
        "centre_lon": centre.x,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "neighbourhood_ids": list(campaign.neighbourhood_ids),
        "needed_skill_ids": list(campaign.needed_skill_ids),
        "participants": [vars(p) for p in campaign.participants],
        "stopped_because": campaign.stopped_because,
    }


# The kinds of node an imported row may point at, by the name of the section that holds them.
REFERRED_KINDS = ("people", "skills", "networks", "neighbourhoods", "campaigns", "contributions", "decisions")


async def existing_ids(graph: Graph, wanted: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Which of these ids (by kind, one of REFERRED_KINDS) the graph holds already, in one query."""
    given = {kind: sorted(set(wanted.get(kind, ()))) for kind in REFERRED_KINDS}
    record = (await graph.read(queries.datasets.EXISTING_IDS, **given))[0]
    return {kind: set(record[kind]) for kind in REFERRED_KINDS}


async def read_dataset(graph: Graph, *, exact_locations: bool = False) -> Dataset:
    """The whole graph as a dataset, in one read transaction (a consistent snapshot).

    Positions are the coarse cells, and nothing for hidden homes, unless the operator asks
    for exact locations (a full backup); the export then carries everyone's home.
    """

    async def work(tx: Transaction) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for name, statement in _EXPORTS:
            records = await tx.run(statement, exact=exact_locations, chunk=EXPORT_CHUNK)
            out[name] = [row for record in records for row in record["chunk"]]
        return out

    rows = await graph.reading(work)
    return Dataset(
        neighbourhoods=[
            Neighbourhood(id=r["id"], name=r["name"], boundary=json.loads(r["boundary"]))
            for r in rows["neighbourhoods"]
        ],
        skills=[
            Skill(id=r["id"], name=r["name"], category=r["category"], broader_id=r["broader_id"])
            for r in rows["skills"]
        ],
        networks=[Network(id=r["id"], name=r["name"]) for r in rows["networks"]],
        people=[person_from_row(r) for r in rows["people"]],
        person_skills=[
            PersonSkill(
                person_id=r["person_id"],
                skill_id=r["skill_id"],
                mode=SkillMode(r["mode"]),
                level=r["level"],
                since=_date(r["since"]),
            )
            for r in rows["person_skills"]
        ],
        ties=[
            Tie(
                from_id=r["from_id"],
                to_id=r["to_id"],
                strength=r["strength"],
                since=_date(r["since"]),
                last_contact=_date(r["last_contact"]),
            )
            for r in rows["ties"]
        ],
        supports=[
            Support(supporter_id=r["supporter_id"], person_id=r["person_id"], since=_date(r["since"]))
            for r in rows["supports"]
        ],
        memberships=[
            Membership(person_id=r["person_id"], network_id=r["network_id"], kind=MembershipKind(r["kind"]))
            for r in rows["memberships"]
        ],
        campaigns=[campaign_from_row(r) for r in rows["campaigns"]],
        **{name: [loop_records.exported(name, r) for r in rows[name]] for name in loop_records.EXPORTS},
    )


_EXPORTS: Sequence[tuple[str, LiteralString]] = (
    ("neighbourhoods", queries.datasets.EXPORT_NEIGHBOURHOODS),
    ("skills", queries.datasets.EXPORT_SKILLS),
    ("networks", queries.datasets.EXPORT_NETWORKS),
    ("people", queries.datasets.EXPORT_PEOPLE),
    ("person_skills", queries.datasets.EXPORT_PERSON_SKILLS),
    ("ties", queries.datasets.EXPORT_TIES),
    ("supports", queries.datasets.EXPORT_SUPPORTS),
    ("memberships", queries.datasets.EXPORT_MEMBERSHIPS),
    ("campaigns", queries.datasets.EXPORT_CAMPAIGNS),
    *loop_records.EXPORTS.items(),
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def person_from_row(row: dict[str, Any]) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        bio=row["bio"] or "",
        roles=tuple(Role(label) for label in sorted(row["roles"])),
        home=Point(row["lat"], row["lon"]) if row["lat"] is not None else None,
        location_visibility=LocationVisibility(row["visibility"]),
        neighbourhood_id=row["neighbourhood_id"],
        contact=row["contact"] or "",
        contactable=bool(row["contactable"]),
        skills_hidden=bool(row["skills_hidden"]),
        ties_shared=bool(row.get("ties_shared")),
    )


def campaign_from_row(row: dict[str, Any]) -> Campaign:
    return Campaign(
        id=row["id"],
        title=row["title"],
        description=row["description"] or "",
        status=CampaignStatus(row["status"]),
        area=json.loads(row["area"]),
        starts_on=_date(row["starts_on"]),
        ends_on=_date(row["ends_on"]),
        neighbourhood_ids=tuple(row["neighbourhood_ids"]),
        needed_skill_ids=tuple(row["needed_skill_ids"]),
        participants=tuple(
            Participation(
                person_id=p["person_id"],
                role=p["role"],
                hours=p["hours"],
                credited_hours=p.get("credited_hours") or 0.0,
            )
            for p in row["participants"]
        ),
        stopped_because=row.get("stopped_because") or "",
    )
