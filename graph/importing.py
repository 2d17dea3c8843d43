"""Reading a dataset from files, checking every row before anything is written.

Every bad row is reported (file, line or item, field, reason), not just the first; with any
bad row the import writes nothing. Ids already in the graph may be referred to, and rows
merge on ids, so importing the same files twice adds nothing.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from neo4j.exceptions import ConstraintError

from . import loop_records
from . import validation as check
from .database import Graph
from .errors import ImportRejected, Invalid
from .formats import CSV_COLUMNS, GEOJSON_PROPERTIES, JSON_SECTIONS, OPTIONAL_COLUMNS, SECTIONS
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
from .store import REFERRED_KINDS, existing_ids, write_dataset


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # the CSV line (header is line 1), or the item's number in a JSON list
    field: str
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.file}, {self.unit} {self.line}, {self.field}: {self.reason}"


@dataclass(frozen=True)
class _Row:
    file: str
    line: int
    unit: str
    values: dict[str, Any]


async def import_files(graph: Graph, path: Path, *, progress: Callable[[str, int], None] | None = None) -> Dataset:
    """Check the files at path (a file or a folder of them), then write them in one transaction."""
    dataset = await read_files(graph, path)
    try:
        await write_dataset(graph, dataset, **({"progress": progress} if progress else {}))
    except ConstraintError as error:  # e.g. a skill name the graph holds under another id
        raise ImportRejected([Problem(str(path), 0, "-", f"conflicts with the graph: {error.message}")]) from None
    return dataset


async def read_files(graph: Graph, path: Path) -> Dataset:
    """The dataset in the files, checked against itself and against what the graph holds."""
    rows, problems = _read_rows(path)
    dataset = Dataset()
    sources: dict[str, list[_Row]] = {section: [] for section in SECTIONS}
    for section, section_rows in rows.items():
        convert = _CONVERTERS[section]
        target = getattr(dataset, section)
        for row in section_rows:
            try:
                target.append(convert(row.values))
                sources[section].append(row)
            except Invalid as bad:
                problems.append(Problem(row.file, row.line, bad.field, bad.reason, row.unit))
    problems += _duplicates(dataset, sources)
    problems += await _dangling_references(graph, dataset, sources)
    if problems:
        raise ImportRejected(problems)
    return dataset


# --- files to rows ----------------------------------------------------------------------


def _read_rows(path: Path) -> tuple[dict[str, list[_Row]], list[Problem]]:
    rows: dict[str, list[_Row]] = {section: [] for section in SECTIONS}
    problems: list[Problem] = []
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    files = sorted(p for p in path.iterdir() if p.suffix in (".csv", ".json", ".geojson")) if path.is_dir() else [path]
    if not files:
        raise ImportRejected([Problem(str(path), 0, "-", "no .csv, .json or .geojson files here")])
    for file in files:
        try:
            for section, row in _rows_of(file):
                rows[section].append(row)
        except Invalid as bad:
            problems.append(Problem(file.name, 0, bad.field, bad.reason))
    return rows, problems


def _rows_of(file: Path) -> Iterator[tuple[str, _Row]]:
    if file.suffix == ".csv":
        section = file.stem
        if section not in CSV_COLUMNS:
            raise Invalid("-", f"the file name says what it holds: one of {', '.join(f'{s}.csv' for s in CSV_COLUMNS)}")
        yield from ((section, row) for row in _csv_rows(file, section))
        return
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Invalid("-", f"not valid JSON: {error}") from None
    if isinstance(document, dict) and document.get("type") != "FeatureCollection":
        for section, value in document.items():
            if section not in SECTIONS:
                raise Invalid(section, f"unknown section; the sections are {', '.join(SECTIONS)}")
            yield from ((section, row) for row in _json_rows(file, section, value))
    elif file.stem in SECTIONS:
        yield from ((file.stem, row) for row in _json_rows(file, file.stem, document))
    else:
        raise Invalid(
            "-", f"a lone list or FeatureCollection needs a file name that says what it holds ({', '.join(SECTIONS)})"
        )


def _csv_rows(file: Path, section: str) -> Iterator[_Row]:
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        expected = CSV_COLUMNS[section]
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in expected]
        missing = [c for c in expected if c not in header and c not in OPTIONAL_COLUMNS.get(section, ())]
        if unknown or missing:
            raise Invalid(
                "header",
                f"columns must be {','.join(expected)}"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + (f"; missing: {', '.join(missing)}" if missing else ""),
            )
        for record in reader:
            extra = record.pop(None, None)  # type: ignore[call-overload,unused-ignore]
            values = {k: (v if v != "" else None) for k, v in record.items()}
            if extra:
                values["__extra__"] = extra
            yield _Row(file.name, reader.line_num, "line", values)


def _json_rows(file: Path, section: str, value: Any) -> Iterator[_Row]:
    if section in GEOJSON_PROPERTIES:
        if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
            raise Invalid(section, "must be a GeoJSON FeatureCollection")
        for number, feature in enumerate(value.get("features") or [], start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            values = {
                **(properties if isinstance(properties, dict) else {}),
                "geometry": feature.get("geometry") if isinstance(feature, dict) else None,
            }
            if isinstance(feature, dict) and feature.get("id") is not None and values.get("id") is None:
                values["id"] = feature["id"]
            yield _Row(file.name, number, f"{section} feature", values)
        return
    if not isinstance(value, list):
        raise Invalid(section, "must be a list of rows")
    for number, item in enumerate(value, start=1):
        yield _Row(
            file.name, number, f"{section} item", item if isinstance(item, dict) else {"__not_an_object__": item}
        )


# --- rows to records ----------------------------------------------------------------------


def _person(values: dict[str, Any]) -> Person:
    check.only_fields(values, CSV_COLUMNS["people"])
    roles = check.listed(values, "roles")
    try:
        parsed_roles = tuple(sorted({Role(r) for r in roles}, key=lambda r: r.value))
    except ValueError:
        raise Invalid("roles", f"roles are {', '.join(r.value for r in Role)}; got {roles!r}") from None
    if not parsed_roles:
        raise Invalid("roles", "at least one role")
    latitude = check.number(values, "latitude", -90, 90)
    longitude = check.number(values, "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise Invalid("latitude" if latitude is None else "longitude", "latitude and longitude come together")
    return Person(
        id=check.identifier(values, "id") or "",
        name=check.text(values, "name", required=True, limit=check.MAX_NAME),
        roles=parsed_roles,
        bio=check.text(values, "bio", required=False, limit=check.MAX_TEXT),
        home=Point(latitude, longitude) if latitude is not None and longitude is not None else None,
        location_visibility=check.choice(
            values, "location_visibility", LocationVisibility, LocationVisibility.APPROXIMATE
        ),
        neighbourhood_id=check.identifier(values, "neighbourhood_id", required=False),
        contact=check.text(values, "contact", required=False, limit=check.MAX_NAME),
        contactable=check.flag(values, "contactable"),
        skills_hidden=check.flag(values, "skills_hidden"),
        ties_shared=check.flag(values, "ties_shared"),
    )


def _skill(values: dict[str, Any]) -> Skill:
    check.only_fields(values, CSV_COLUMNS["skills"])
    return Skill(
        id=check.identifier(values, "id") or "",
        name=check.text(values, "name", required=True, limit=check.MAX_NAME),
        category=check.text(values, "category", required=False, limit=check.MAX_NAME),
        broader_id=check.identifier(values, "broader_id", required=False),
    )


def _person_skill(values: dict[str, Any]) -> PersonSkill:
    check.only_fields(values, CSV_COLUMNS["person_skills"])
    return PersonSkill(
        person_id=check.identifier(values, "person_id") or "",
        skill_id=check.identifier(values, "skill_id") or "",
        mode=check.choice(values, "mode", SkillMode),
        level=check.whole(values, "level", 1, 5),
        since=check.day(values, "since"),
    )


def _tie(values: dict[str, Any]) -> Tie:
    check.only_fields(values, CSV_COLUMNS["ties"])
    tie = Tie(
        from_id=check.identifier(values, "from_id") or "",
        to_id=check.identifier(values, "to_id") or "",
        strength=check.whole(values, "strength", 1, 5),
        since=check.day(values, "since"),
        last_contact=check.day(values, "last_contact"),
    )
    if tie.from_id == tie.to_id:
        raise Invalid("to_id", "a person cannot have a tie to themselves")
    if tie.since and tie.last_contact and tie.last_contact < tie.since:
        raise Invalid("last_contact", "before the tie began (since)")
    return tie


def _support(values: dict[str, Any]) -> Support:
    check.only_fields(values, CSV_COLUMNS["supports"])
    support = Support(
        supporter_id=check.identifier(values, "supporter_id") or "",
        person_id=check.identifier(values, "person_id") or "",
        since=check.day(values, "since"),
    )
    if support.supporter_id == support.person_id:
        raise Invalid("person_id", "a person cannot support themselves")
    return support


def _network(values: dict[str, Any]) -> Network:
    check.only_fields(values, CSV_COLUMNS["networks"])
    return Network(
        id=check.identifier(values, "id") or "", name=check.text(values, "name", required=True, limit=check.MAX_NAME)
    )


def _membership(values: dict[str, Any]) -> Membership:
    check.only_fields(values, CSV_COLUMNS["memberships"])
    return Membership(
        person_id=check.identifier(values, "person_id") or "",
        network_id=check.identifier(values, "network_id") or "",
        kind=check.choice(values, "kind", MembershipKind),
    )


def _neighbourhood(values: dict[str, Any]) -> Neighbourhood:
    check.only_fields(values, (*GEOJSON_PROPERTIES["neighbourhoods"], "geometry"))
    return Neighbourhood(
        id=check.identifier(values, "id") or "",
        name=check.text(values, "name", required=True, limit=check.MAX_NAME),
        boundary=check.polygon(values, multi=True),
    )


def _campaign(values: dict[str, Any]) -> Campaign:
    check.only_fields(values, (*GEOJSON_PROPERTIES["campaigns"], "geometry"))
    participants = []
    for item in check.listed(values, "participants"):
        if not isinstance(item, dict):
            raise Invalid("participants", "each participant is an object {person_id, role, hours}")
        hours = check.number(item, "hours", 0, 100_000) or 0.0
        credited = check.number(item, "credited_hours", 0, 100_000) or 0.0
        if credited > hours:
            raise Invalid("participants", "more hours credited than given")
        participants.append(
            Participation(
                person_id=check.identifier(item, "person_id") or "",
                role=check.text(item, "role", required=True, limit=check.MAX_NAME)
                if item.get("role") is not None
                else "participant",
                hours=hours,
                credited_hours=credited,
            )
        )
    if len({p.person_id for p in participants}) != len(participants):
        raise Invalid("participants", "lists a person twice")
    campaign = Campaign(
        id=check.identifier(values, "id") or "",
        title=check.text(values, "title", required=True, limit=check.MAX_NAME),
        description=check.text(values, "description", required=False, limit=check.MAX_TEXT),
        status=check.choice(values, "status", CampaignStatus, CampaignStatus.PROPOSED),
        area=check.polygon(values, multi=False),
        starts_on=check.day(values, "starts_on"),
        ends_on=check.day(values, "ends_on"),
        neighbourhood_ids=check.identifiers(values, "neighbourhood_ids"),
        needed_skill_ids=check.identifiers(values, "needed_skill_ids"),
        participants=tuple(participants),
        stopped_because=check.text(values, "stopped_because", required=False, limit=check.MAX_TEXT),
    )
    if campaign.status is CampaignStatus.STOPPED and not campaign.stopped_because:
        raise Invalid("stopped_because", "a stopped campaign says why")
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise Invalid("ends_on", "before the campaign starts")
    return campaign


_CONVERTERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "people": _person,
    "skills": _skill,
    "person_skills": _person_skill,
    "ties": _tie,
    "supports": _support,
    "networks": _network,
    "memberships": _membership,
    "neighbourhoods": _neighbourhood,
    "campaigns": _campaign,
    **loop_records.CONVERTERS,
}


# --- rows against each other and against the graph -----------------------------------------


def _keys(section: str, record: Any) -> list[tuple[str, Any]]:
    """What must be unique in a section: (field, key) pairs."""
    if section == "ties":
        return [("to_id", frozenset((record.from_id, record.to_id)))]
    if section == "person_skills":
        return [("skill_id", (record.person_id, record.skill_id))]
    if section == "supports":
        return [("person_id", (record.supporter_id, record.person_id))]
    if section == "memberships":
        return [("network_id", (record.person_id, record.network_id, record.kind))]
    if section == "skills":
        return [("id", record.id), ("name", record.name.casefold())]
    if section in JSON_SECTIONS:
        return loop_records.unique_keys(section, record)
    return [("id", record.id)]


def _duplicates(dataset: Dataset, sources: dict[str, list[_Row]]) -> list[Problem]:
    problems = []
    for section in SECTIONS:
        seen: Counter[tuple[str, Any]] = Counter()
        for record, row in zip(getattr(dataset, section), sources[section], strict=False):
            for field, key in _keys(section, record):
                seen[(field, key)] += 1
                if seen[(field, key)] > 1:
                    problems.append(Problem(row.file, row.line, field, f"a duplicate {field} in {section}", row.unit))
    return problems


def _id_of(record: Any) -> str:
    return str(record["id"] if isinstance(record, dict) else record.id)


async def _dangling_references(graph: Graph, dataset: Dataset, sources: dict[str, list[_Row]]) -> list[Problem]:
    """Every id a row points at must be in the files or already in the graph."""
    references: list[tuple[_Row, str, str, str]] = []  # row, field, kind, id

    def refer(section: str, pick: Callable[[Any], list[tuple[str, str, str | None]]]) -> None:
        for record, row in zip(getattr(dataset, section), sources[section], strict=False):
            references.extend((row, field, kind, value) for field, kind, value in pick(record) if value)

    refer("people", lambda p: [("neighbourhood_id", "neighbourhoods", p.neighbourhood_id)])
    refer("skills", lambda s: [("broader_id", "skills", s.broader_id)])
    refer("person_skills", lambda s: [("person_id", "people", s.person_id), ("skill_id", "skills", s.skill_id)])
    refer("ties", lambda t: [("from_id", "people", t.from_id), ("to_id", "people", t.to_id)])
    refer("supports", lambda s: [("supporter_id", "people", s.supporter_id), ("person_id", "people", s.person_id)])
    refer("memberships", lambda m: [("person_id", "people", m.person_id), ("network_id", "networks", m.network_id)])
    refer(
        "campaigns",
        lambda c: [
            *(("neighbourhood_ids", "neighbourhoods", i) for i in c.neighbourhood_ids),
            *(("needed_skill_ids", "skills", i) for i in c.needed_skill_ids),
            *(("participants", "people", p.person_id) for p in c.participants),
        ],
    )
    for section in JSON_SECTIONS:
        refer(section, partial(loop_records.references, section))
    known = {kind: {_id_of(r) for r in getattr(dataset, kind)} for kind in REFERRED_KINDS}
    missing: dict[str, set[str]] = {kind: set() for kind in known}
    for _, _, kind, value in references:
        if value not in known[kind]:
            missing[kind].add(value)
    if any(missing.values()):
        stored = await existing_ids(graph, missing)
        for kind in known:
            known[kind] |= stored[kind]
    return [
        Problem(
            row.file,
            row.line,
            field,
            f"{value!r} is not among the {kind.replace('_', ' ')} in these files or in the graph",
            row.unit,
        )
        for row, field, kind, value in references
        if value not in known[kind]
    ]
