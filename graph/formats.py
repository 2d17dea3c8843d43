"""The file formats of import and export: which sections there are and their columns.

A dataset on disk is a folder of one file per section (CSV for rows, GeoJSON for areas, JSON
for the co-production loop's records, which hold lists of their own), or one JSON document
holding any of the sections under these names.
"""

from __future__ import annotations

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (
        "id",
        "name",
        "roles",
        "bio",
        "latitude",
        "longitude",
        "location_visibility",
        "neighbourhood_id",
        "contact",
        "contactable",
        "skills_hidden",
        "ties_shared",
    ),
    "skills": ("id", "name", "category", "broader_id"),
    "person_skills": ("person_id", "skill_id", "mode", "level", "since"),
    "ties": ("from_id", "to_id", "strength", "since", "last_contact"),
    "supports": ("supporter_id", "person_id", "since"),
    "networks": ("id", "name"),
    "memberships": ("person_id", "network_id", "kind"),
}

GEOJSON_PROPERTIES: dict[str, tuple[str, ...]] = {
    "neighbourhoods": ("id", "name"),
    "campaigns": (
        "id",
        "title",
        "description",
        "status",
        "stopped_because",
        "starts_on",
        "ends_on",
        "neighbourhood_ids",
        "needed_skill_ids",
        "participants",
    ),
}

# Columns added after the first release: files written before them still import.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"people": ("contact", "contactable", "skills_hidden", "ties_shared")}

# The loop's records (graph/loop_records.py has their fields), in the order they are written.
JSON_SECTIONS: tuple[str, ...] = (
    "contributions",
    "decisions",
    "sign_offs",
    "meetings",
    "surveys",
    "funding_bids",
    "exchanges",
)

SECTIONS: tuple[str, ...] = (*CSV_COLUMNS, *GEOJSON_PROPERTIES, *JSON_SECTIONS)

# Several roles in one CSV cell are separated by this.
LIST_SEPARATOR = ";"


def file_name(section: str) -> str:
    if section in GEOJSON_PROPERTIES:
        return f"{section}.geojson"
    return f"{section}.json" if section in JSON_SECTIONS else f"{section}.csv"
