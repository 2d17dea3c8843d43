"""Writing a dataset to files that import reads back unchanged."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from .database import Graph
from .formats import CSV_COLUMNS, GEOJSON_PROPERTIES, JSON_SECTIONS, LIST_SEPARATOR, file_name
from .model import Campaign, Dataset, Neighbourhood, Person
from .store import read_dataset


async def export_files(graph: Graph, path: Path, *, exact_locations: bool = False) -> Dataset:
    """The whole graph to a folder of CSV and GeoJSON files, or to one .json file."""
    dataset = await read_dataset(graph, exact_locations=exact_locations)
    write_files(dataset, path)
    return dataset


def write_files(dataset: Dataset, path: Path) -> None:
    sections = sections_of(dataset)
    if path.suffix == ".json":
        path.parent.mkdir(parents=True, exist_ok=True)
        json_sections = {name: _json_rows(name, rows) for name, rows in sections.items()}
        path.write_text(
            json.dumps(json_sections, indent=1, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8"
        )
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in sections.items():
        target = path / file_name(name)
        if name in GEOJSON_PROPERTIES or name in JSON_SECTIONS:
            target.write_text(
                json.dumps(rows, indent=1, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8"
            )
            continue
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)


def sections_of(dataset: Dataset) -> dict[str, Any]:
    """Each section as rows of plain values (GeoJSON FeatureCollections for areas)."""
    return {
        "people": [_person_row(p) for p in dataset.people],
        "skills": [
            {"id": s.id, "name": s.name, "category": s.category, "broader_id": s.broader_id} for s in dataset.skills
        ],
        "person_skills": [
            {"person_id": s.person_id, "skill_id": s.skill_id, "mode": s.mode.value, "level": s.level, "since": s.since}
            for s in dataset.person_skills
        ],
        "ties": [
            {
                "from_id": t.from_id,
                "to_id": t.to_id,
                "strength": t.strength,
                "since": t.since,
                "last_contact": t.last_contact,
            }
            for t in dataset.ties
        ],
        "supports": [
            {"supporter_id": s.supporter_id, "person_id": s.person_id, "since": s.since} for s in dataset.supports
        ],
        "networks": [{"id": n.id, "name": n.name} for n in dataset.networks],
        "memberships": [
            {"person_id": m.person_id, "network_id": m.network_id, "kind": m.kind.value} for m in dataset.memberships
        ],
        "neighbourhoods": _collection([_neighbourhood_feature(n) for n in dataset.neighbourhoods]),
        "campaigns": _collection([_campaign_feature(c) for c in dataset.campaigns]),
        **{name: getattr(dataset, name) for name in JSON_SECTIONS},
    }


def _person_row(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "roles": [r.value for r in person.roles],
        "bio": person.bio,
        "latitude": person.home.latitude if person.home else None,
        "longitude": person.home.longitude if person.home else None,
        "location_visibility": person.location_visibility.value,
        "neighbourhood_id": person.neighbourhood_id,
        "contact": person.contact,
        "contactable": person.contactable,
        "skills_hidden": person.skills_hidden,
        "ties_shared": person.ties_shared,
    }


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _neighbourhood_feature(neighbourhood: Neighbourhood) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": neighbourhood.id,
        "geometry": neighbourhood.boundary,
        "properties": {"id": neighbourhood.id, "name": neighbourhood.name},
    }


def _campaign_feature(campaign: Campaign) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": campaign.id,
        "geometry": campaign.area,
        "properties": {
            "id": campaign.id,
            "title": campaign.title,
            "description": campaign.description,
            "status": campaign.status.value,
            "stopped_because": campaign.stopped_because,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "neighbourhood_ids": list(campaign.neighbourhood_ids),
            "needed_skill_ids": list(campaign.needed_skill_ids),
            "participants": [
                {"person_id": p.person_id, "role": p.role, "hours": p.hours, "credited_hours": p.credited_hours}
                for p in campaign.participants
            ],
        },
    }


def _json_rows(name: str, rows: Any) -> Any:
    if name in GEOJSON_PROPERTIES or name in JSON_SECTIONS:
        return rows
    return [{k: v for k, v in row.items() if v is not None and v != ""} for row in rows]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
