"""Checks of single values, shared by import and the API: each failure names its field."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from .errors import Invalid
from .formats import LIST_SEPARATOR

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$")
MAX_NAME = 200
MAX_TEXT = 4000


def only_fields(values: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """A row or item has no field but these (a file's row read as __not_an_object__ or with
    __extra__ cells was no row at all)."""
    if "__not_an_object__" in values:
        raise Invalid("-", "each item must be an object")
    if "__extra__" in values:
        raise Invalid("-", "more cells than the header has columns")
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise Invalid(unknown[0], f"unknown field; the fields are {', '.join(allowed)}")


def identifier(values: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = values.get(field)
    if value is None:
        if required:
            raise Invalid(field, "required")
        return None
    value = str(value).strip()
    if not _ID.match(value):
        raise Invalid(field, f"{value[:40]!r} is not a valid id (letters, digits, _ . : -, at most 100)")
    return value


def text(values: dict[str, Any], field: str, *, required: bool, limit: int) -> str:
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(field, "required, and not blank")
        return ""
    if not isinstance(value, str):
        raise Invalid(field, "must be text")
    value = value.strip()
    if len(value) > limit:
        raise Invalid(field, f"at most {limit} characters (this has {len(value)})")
    return value


def number(values: dict[str, Any], field: str, low: float, high: float) -> float | None:
    value = values.get(field)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid(field, f"{value!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise Invalid(field, f"{number} is out of range ({low} to {high})")
    return number


def whole(values: dict[str, Any], field: str, low: int, high: int) -> int:
    value = values.get(field)
    if value is None:
        raise Invalid(field, "required")
    try:
        number = int(str(value))
    except ValueError:
        raise Invalid(field, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise Invalid(field, f"must be from {low} to {high}, not {number}")
    return number


def flag(values: dict[str, Any], field: str) -> bool:
    """Yes or no; absent is no."""
    value = values.get(field)
    if value is None or isinstance(value, bool):
        return bool(value)
    word = str(value).strip().lower()
    if word in ("true", "yes", "1"):
        return True
    if word in ("false", "no", "0", ""):
        return False
    raise Invalid(field, f"{value!r} is not true or false")


def day(values: dict[str, Any], field: str) -> date | None:
    value = values.get(field)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def choice(values: dict[str, Any], field: str, kind: type[Enum], default: Any = None) -> Any:
    value = values.get(field)
    if value is None:
        if default is None:
            raise Invalid(field, f"required: one of {', '.join(m.value for m in kind)}")
        return default
    try:
        return kind(str(value).strip())
    except ValueError:
        raise Invalid(field, f"{value!r} is not one of {', '.join(m.value for m in kind)}") from None


def listed(values: dict[str, Any], field: str) -> list[Any]:
    value = values.get(field)
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if not isinstance(value, list):
        raise Invalid(field, "must be a list")
    return value


def identifiers(values: dict[str, Any], field: str) -> tuple[str, ...]:
    given = listed(values, field)
    checked = tuple(identifier({field: item}, field) or "" for item in given)
    if len(set(checked)) != len(checked):
        raise Invalid(field, "lists an id twice")
    return checked


def polygon(values: dict[str, Any], *, multi: bool, field: str = "geometry") -> dict[str, Any]:
    """A GeoJSON polygon that is well formed, within WGS-84 range and valid (no self-crossing)."""
    geometry = values.get(field)
    kinds = ("Polygon", "MultiPolygon") if multi else ("Polygon",)
    if not isinstance(geometry, dict) or geometry.get("type") not in kinds:
        raise Invalid(field, f"must be a GeoJSON {' or '.join(kinds)}")
    try:
        polygon = shape(geometry)
    except Exception as error:  # shapely raises several kinds for malformed coordinates
        raise Invalid(field, f"malformed coordinates: {error}") from None
    west, south, east, north = polygon.bounds if not polygon.is_empty else (0, 0, 0, 0)
    if polygon.is_empty or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid(field, "coordinates must be [longitude, latitude] within range")
    if not polygon.is_valid:
        raise Invalid(field, f"not a valid polygon: {explain_validity(polygon)}")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def moment(values: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    """A time with its offset from UTC in ISO 8601 (as exported), kept as written so that it
    round-trips exactly; Neo4j reads it."""
    value = values.get(field)
    if value is None:
        if required:
            raise Invalid(field, "required")
        return None
    written = str(value).strip()
    try:
        parsed = datetime.fromisoformat(written.split("[", 1)[0])
    except ValueError:
        raise Invalid(field, f"{written[:40]!r} is not a time (ISO 8601, e.g. 2027-03-01T18:00:00Z)") from None
    if parsed.tzinfo is None:
        raise Invalid(field, "a time needs its offset from UTC (Z or +01:00)")
    return written
