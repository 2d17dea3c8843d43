"""Reading a dataset from files, checking every row before anything is written.

Every bad row is reported (file, line or item, field, reason), not just the first; with any
bad row the import writes nothing. Ids already in the graph may be referred to, and rows
merge on ids, so importing the same files twice adds nothing.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from neo4j import AsyncDriver
from neo4j.exceptions import ConstraintError
from shapely.geometry import shape
from shapely.validation import explain_validity

from .formats import CSV_COLUMNS, GEOJSON_PROPERTIES, LIST_SEPARATOR, SECTIONS
from .model import (
    Campaign, CampaignStatus, Dataset, LocationVisibility, Membership, MembershipKind, Neighbourhood,
    Network, Participation, Person, PersonSkill, Point, Role, Skill, SkillMode, Support, Tie,
)
from .store import existing_ids, write_dataset

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$")
MAX_NAME = 200
MAX_TEXT = 4000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # the CSV line (header is line 1), or the item's number in a JSON list
    field: str
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.file}, {self.unit} {self.line}, {self.field}: {self.reason}"


class ImportRejected(Exception):
    """The files hold bad rows; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported:\n"
                         + "\n".join(str(p) for p in problems[:200]))


@dataclass(frozen=True)
class _Row:
    file: str
    line: int
    unit: str
    values: dict[str, Any]


class _Bad(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


async def import_files(driver: AsyncDriver, path: Path, *, database: str,
                       progress: Callable[[str, int], None] | None = None) -> Dataset:
    """Check the files at path (a file or a folder of them), then write them in one transaction."""
    dataset = await read_files(driver, path, database=database)
    try:
        await write_dataset(driver, dataset, database=database, **({"progress": progress} if progress else {}))
    except ConstraintError as error:  # e.g. a skill name the graph holds under another id
        raise ImportRejected([Problem(str(path), 0, "-", f"conflicts with the graph: {error.message}")]) from None
    return dataset


async def read_files(driver: AsyncDriver, path: Path, *, database: str) -> Dataset:
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
            except _Bad as bad:
                problems.append(Problem(row.file, row.line, bad.field, bad.reason, row.unit))
    problems += _duplicates(dataset, sources)
    problems += await _dangling_references(driver, dataset, sources, database=database)
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
        except _Bad as bad:
            problems.append(Problem(file.name, 0, bad.field, bad.reason))
    return rows, problems


def _rows_of(file: Path) -> Iterator[tuple[str, _Row]]:
    if file.suffix == ".csv":
        section = file.stem
        if section not in CSV_COLUMNS:
            raise _Bad("-", f"the file name says what it holds: one of {', '.join(f'{s}.csv' for s in CSV_COLUMNS)}")
        yield from ((section, row) for row in _csv_rows(file, section))
        return
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _Bad("-", f"not valid JSON: {error}") from None
    if isinstance(document, dict) and document.get("type") != "FeatureCollection":
        for section, value in document.items():
            if section not in SECTIONS:
                raise _Bad(section, f"unknown section; the sections are {', '.join(SECTIONS)}")
            yield from ((section, row) for row in _json_rows(file, section, value))
    elif file.stem in SECTIONS:
        yield from ((file.stem, row) for row in _json_rows(file, file.stem, document))
    else:
        raise _Bad("-", f"a lone list or FeatureCollection needs a file name that says what it holds "
                        f"({', '.join(SECTIONS)})")


def _csv_rows(file: Path, section: str) -> Iterator[_Row]:
    with open(file, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        expected = CSV_COLUMNS[section]
        header = reader.fieldnames or []
        unknown = [c for c in header if c not in expected]
        missing = [c for c in expected if c not in header]
        if unknown or missing:
            raise _Bad("header", f"columns must be {','.join(expected)}"
                       + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                       + (f"; missing: {', '.join(missing)}" if missing else ""))
        for record in reader:
            extra = record.pop(None, None)  # type: ignore[call-overload]
            values = {k: (v if v != "" else None) for k, v in record.items()}
            if extra:
                values["__extra__"] = extra
            yield _Row(file.name, reader.line_num, "line", values)


def _json_rows(file: Path, section: str, value: Any) -> Iterator[_Row]:
    if section in GEOJSON_PROPERTIES:
        if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
            raise _Bad(section, "must be a GeoJSON FeatureCollection")
        for number, feature in enumerate(value.get("features") or [], start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            values = {**(properties if isinstance(properties, dict) else {}),
                      "geometry": feature.get("geometry") if isinstance(feature, dict) else None}
            if isinstance(feature, dict) and feature.get("id") is not None and values.get("id") is None:
                values["id"] = feature["id"]
            yield _Row(file.name, number, f"{section} feature", values)
        return
    if not isinstance(value, list):
        raise _Bad(section, "must be a list of rows")
    for number, item in enumerate(value, start=1):
        yield _Row(file.name, number, f"{section} item", item if isinstance(item, dict) else {"__not_an_object__": item})


# --- rows to records ----------------------------------------------------------------------

def _check_keys(values: dict[str, Any], allowed: tuple[str, ...]) -> None:
    if "__not_an_object__" in values:
        raise _Bad("-", "each item must be an object")
    if "__extra__" in values:
        raise _Bad("-", "more cells than the header has columns")
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise _Bad(unknown[0], f"unknown field; the fields are {', '.join(allowed)}")


def _id(values: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = values.get(field)
    if value is None:
        if required:
            raise _Bad(field, "required")
        return None
    value = str(value).strip()
    if not _ID.match(value):
        raise _Bad(field, f"{value[:40]!r} is not a valid id (letters, digits, _ . : -, at most 100)")
    return value


def _text(values: dict[str, Any], field: str, *, required: bool, limit: int) -> str:
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad(field, "required, and not blank")
        return ""
    if not isinstance(value, str):
        raise _Bad(field, "must be text")
    value = value.strip()
    if len(value) > limit:
        raise _Bad(field, f"at most {limit} characters (this has {len(value)})")
    return value


def _number(values: dict[str, Any], field: str, low: float, high: float) -> float | None:
    value = values.get(field)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Bad(field, f"{value!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise _Bad(field, f"{number} is out of range ({low} to {high})")
    return number


def _whole(values: dict[str, Any], field: str, low: int, high: int) -> int:
    value = values.get(field)
    if value is None:
        raise _Bad(field, "required")
    try:
        number = int(str(value))
    except ValueError:
        raise _Bad(field, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise _Bad(field, f"must be from {low} to {high}, not {number}")
    return number


def _day(values: dict[str, Any], field: str) -> date | None:
    value = values.get(field)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Bad(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _choice(values: dict[str, Any], field: str, kind: type, default: Any = None) -> Any:
    value = values.get(field)
    if value is None:
        if default is None:
            raise _Bad(field, f"required: one of {', '.join(m.value for m in kind)}")
        return default
    try:
        return kind(str(value).strip())
    except ValueError:
        raise _Bad(field, f"{value!r} is not one of {', '.join(m.value for m in kind)}") from None


def _list(values: dict[str, Any], field: str) -> list[Any]:
    value = values.get(field)
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if not isinstance(value, list):
        raise _Bad(field, "must be a list")
    return value


def _ids(values: dict[str, Any], field: str) -> tuple[str, ...]:
    items = _list(values, field)
    checked = tuple(_id({field: item}, field) or "" for item in items)
    if len(set(checked)) != len(checked):
        raise _Bad(field, "lists an id twice")
    return checked


def _polygon(values: dict[str, Any], *, multi: bool) -> dict:
    geometry = values.get("geometry")
    kinds = ("Polygon", "MultiPolygon") if multi else ("Polygon",)
    if not isinstance(geometry, dict) or geometry.get("type") not in kinds:
        raise _Bad("geometry", f"must be a GeoJSON {' or '.join(kinds)}")
    try:
        polygon = shape(geometry)
    except Exception as error:  # shapely raises several kinds for malformed coordinates
        raise _Bad("geometry", f"malformed coordinates: {error}") from None
    west, south, east, north = polygon.bounds if not polygon.is_empty else (0, 0, 0, 0)
    if polygon.is_empty or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise _Bad("geometry", "coordinates must be [longitude, latitude] within range")
    if not polygon.is_valid:
        raise _Bad("geometry", f"not a valid polygon: {explain_validity(polygon)}")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _person(values: dict[str, Any]) -> Person:
    _check_keys(values, CSV_COLUMNS["people"])
    roles = _list(values, "roles")
    try:
        parsed_roles = tuple(sorted({Role(r) for r in roles}, key=lambda r: r.value))
    except ValueError:
        raise _Bad("roles", f"roles are {', '.join(r.value for r in Role)}; got {roles!r}") from None
    if not parsed_roles:
        raise _Bad("roles", "at least one role")
    latitude = _number(values, "latitude", -90, 90)
    longitude = _number(values, "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise _Bad("latitude" if latitude is None else "longitude", "latitude and longitude come together")
    return Person(
        id=_id(values, "id") or "", name=_text(values, "name", required=True, limit=MAX_NAME),
        roles=parsed_roles, bio=_text(values, "bio", required=False, limit=MAX_TEXT),
        home=Point(latitude, longitude) if latitude is not None and longitude is not None else None,
        location_visibility=_choice(values, "location_visibility", LocationVisibility, LocationVisibility.APPROXIMATE),
        neighbourhood_id=_id(values, "neighbourhood_id", required=False),
    )


def _skill(values: dict[str, Any]) -> Skill:
    _check_keys(values, CSV_COLUMNS["skills"])
    return Skill(id=_id(values, "id") or "", name=_text(values, "name", required=True, limit=MAX_NAME),
                 category=_text(values, "category", required=False, limit=MAX_NAME),
                 broader_id=_id(values, "broader_id", required=False))


def _person_skill(values: dict[str, Any]) -> PersonSkill:
    _check_keys(values, CSV_COLUMNS["person_skills"])
    return PersonSkill(person_id=_id(values, "person_id") or "", skill_id=_id(values, "skill_id") or "",
                       mode=_choice(values, "mode", SkillMode), level=_whole(values, "level", 1, 5),
                       since=_day(values, "since"))


def _tie(values: dict[str, Any]) -> Tie:
    _check_keys(values, CSV_COLUMNS["ties"])
    tie = Tie(from_id=_id(values, "from_id") or "", to_id=_id(values, "to_id") or "",
              strength=_whole(values, "strength", 1, 5), since=_day(values, "since"),
              last_contact=_day(values, "last_contact"))
    if tie.from_id == tie.to_id:
        raise _Bad("to_id", "a person cannot have a tie to themselves")
    if tie.since and tie.last_contact and tie.last_contact < tie.since:
        raise _Bad("last_contact", "before the tie began (since)")
    return tie


def _support(values: dict[str, Any]) -> Support:
    _check_keys(values, CSV_COLUMNS["supports"])
    support = Support(supporter_id=_id(values, "supporter_id") or "", person_id=_id(values, "person_id") or "",
                      since=_day(values, "since"))
    if support.supporter_id == support.person_id:
        raise _Bad("person_id", "a person cannot support themselves")
    return support


def _network(values: dict[str, Any]) -> Network:
    _check_keys(values, CSV_COLUMNS["networks"])
    return Network(id=_id(values, "id") or "", name=_text(values, "name", required=True, limit=MAX_NAME))


def _membership(values: dict[str, Any]) -> Membership:
    _check_keys(values, CSV_COLUMNS["memberships"])
    return Membership(person_id=_id(values, "person_id") or "", network_id=_id(values, "network_id") or "",
                      kind=_choice(values, "kind", MembershipKind))


def _neighbourhood(values: dict[str, Any]) -> Neighbourhood:
    _check_keys(values, (*GEOJSON_PROPERTIES["neighbourhoods"], "geometry"))
    return Neighbourhood(id=_id(values, "id") or "", name=_text(values, "name", required=True, limit=MAX_NAME),
                         boundary=_polygon(values, multi=True))


def _campaign(values: dict[str, Any]) -> Campaign:
    _check_keys(values, (*GEOJSON_PROPERTIES["campaigns"], "geometry"))
    participants = []
    for item in _list(values, "participants"):
        if not isinstance(item, dict):
            raise _Bad("participants", "each participant is an object {person_id, role, hours}")
        hours = _number(item, "hours", 0, 100_000)
        participants.append(Participation(
            person_id=_id(item, "person_id") or "",
            role=_text(item, "role", required=True, limit=MAX_NAME) if item.get("role") is not None
            else "participant", hours=hours or 0.0))
    if len({p.person_id for p in participants}) != len(participants):
        raise _Bad("participants", "lists a person twice")
    campaign = Campaign(
        id=_id(values, "id") or "", title=_text(values, "title", required=True, limit=MAX_NAME),
        description=_text(values, "description", required=False, limit=MAX_TEXT),
        status=_choice(values, "status", CampaignStatus, CampaignStatus.PROPOSED),
        area=_polygon(values, multi=False), starts_on=_day(values, "starts_on"), ends_on=_day(values, "ends_on"),
        neighbourhood_ids=_ids(values, "neighbourhood_ids"), needed_skill_ids=_ids(values, "needed_skill_ids"),
        participants=tuple(participants),
    )
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise _Bad("ends_on", "before the campaign starts")
    return campaign


_CONVERTERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "people": _person, "skills": _skill, "person_skills": _person_skill, "ties": _tie,
    "supports": _support, "networks": _network, "memberships": _membership,
    "neighbourhoods": _neighbourhood, "campaigns": _campaign,
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
    return [("id", record.id)]


def _duplicates(dataset: Dataset, sources: dict[str, list[_Row]]) -> list[Problem]:
    problems = []
    for section in SECTIONS:
        seen: Counter[tuple[str, Any]] = Counter()
        for record, row in zip(getattr(dataset, section), sources[section]):
            for field, key in _keys(section, record):
                seen[(field, key)] += 1
                if seen[(field, key)] > 1:
                    problems.append(Problem(row.file, row.line, field, f"a duplicate {field} in {section}", row.unit))
    return problems


async def _dangling_references(driver: AsyncDriver, dataset: Dataset, sources: dict[str, list[_Row]],
                               *, database: str) -> list[Problem]:
    """Every id a row points at must be in the files or already in the graph."""
    references: list[tuple[_Row, str, str, str]] = []  # row, field, kind, id

    def refer(section: str, pick: Callable[[Any], list[tuple[str, str, str | None]]]) -> None:
        for record, row in zip(getattr(dataset, section), sources[section]):
            references.extend((row, field, kind, value) for field, kind, value in pick(record) if value)

    refer("people", lambda p: [("neighbourhood_id", "neighbourhoods", p.neighbourhood_id)])
    refer("skills", lambda s: [("broader_id", "skills", s.broader_id)])
    refer("person_skills", lambda s: [("person_id", "people", s.person_id), ("skill_id", "skills", s.skill_id)])
    refer("ties", lambda t: [("from_id", "people", t.from_id), ("to_id", "people", t.to_id)])
    refer("supports", lambda s: [("supporter_id", "people", s.supporter_id), ("person_id", "people", s.person_id)])
    refer("memberships", lambda m: [("person_id", "people", m.person_id), ("network_id", "networks", m.network_id)])
    refer("campaigns", lambda c: [*(("neighbourhood_ids", "neighbourhoods", i) for i in c.neighbourhood_ids),
                                  *(("needed_skill_ids", "skills", i) for i in c.needed_skill_ids),
                                  *(("participants", "people", p.person_id) for p in c.participants)])
    known = {kind: {r.id for r in getattr(dataset, kind)}
             for kind in ("people", "skills", "networks", "neighbourhoods")}
    missing = {kind: set() for kind in known}
    for _, _, kind, value in references:
        if value not in known[kind]:
            missing[kind].add(value)
    if any(missing.values()):
        stored = await existing_ids(driver, database=database, person_ids=missing["people"],
                                    skill_ids=missing["skills"], network_ids=missing["networks"],
                                    neighbourhood_ids=missing["neighbourhoods"])
        for kind in known:
            known[kind] |= stored[kind]
    return [Problem(row.file, row.line, field, f"{value!r} is not among the {kind.replace('_', ' ')} "
                    "in these files or in the graph", row.unit)
            for row, field, kind, value in references if value not in known[kind]]
