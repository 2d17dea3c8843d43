"""Coarse positions: what everyone but a person and their supporters sees of their home."""

from __future__ import annotations

import math
from typing import Any

from .model import BoundingBox, Point

CELL_METRES = 400.0
WALK_KM_PER_HOUR = 4.0  # a gentle pace: many members walk slowly, with a stick or a chair
_METRES_PER_DEGREE_LATITUDE = 111_320.0


def approximate(point: Point) -> Point:
    """The centre of the grid cell (about 400 m a side) the point lies in.

    A fixed grid, not random noise: the same home always gives the same cell, so asking
    again and again cannot average the noise away and home in on the house.
    """
    lat_step = CELL_METRES / _METRES_PER_DEGREE_LATITUDE
    row = math.floor(point.latitude / lat_step)
    centre_lat = (row + 0.5) * lat_step
    # Cells keep their width in metres: the longitude step grows towards the poles, and is
    # fixed per row so that every point of a row shares the same columns.
    lon_step = CELL_METRES / (_METRES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(centre_lat)), 0.01))
    column = math.floor(point.longitude / lon_step)
    centre_lon = (column + 0.5) * lon_step
    return Point(round(centre_lat, 6), round(max(-180.0, min(180.0, centre_lon)), 6))


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine), good to a few metres at city scale."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def widened_by_a_cell(box: BoundingBox) -> BoundingBox:
    """The box grown by one cell on every side: any home whose cell is inside the box lies in it."""
    lat_step = CELL_METRES / _METRES_PER_DEGREE_LATITUDE
    widest = max(abs(box.south), abs(box.north)) + lat_step
    lon_step = CELL_METRES / (_METRES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(min(widest, 89.0))), 0.01))
    return BoundingBox(
        west=max(-180.0, box.west - lon_step),
        south=max(-90.0, box.south - lat_step),
        east=min(180.0, box.east + lon_step),
        north=min(90.0, box.north + lat_step),
    )


def largest_polygon(boundary: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Polygon for a boundary: itself, or a MultiPolygon's largest part (a campaign's area
    is one Polygon; a neighbourhood split by a river is still mostly one piece)."""
    if boundary.get("type") != "MultiPolygon":
        return boundary

    def flat_area(rings: list[list[list[float]]]) -> float:
        outer = rings[0]
        return abs(sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(outer, outer[1:], strict=False)))

    return {"type": "Polygon", "coordinates": max(boundary["coordinates"], key=flat_area)}


def walk_minutes(km: float | None) -> int | None:
    """Kilometres as minutes on foot, at a gentle pace, rounded up to 5."""
    if km is None:
        return None
    return max(5, math.ceil(km / WALK_KM_PER_HOUR * 60 / 5) * 5)


def walk_km(minutes: int) -> float:
    """How far one walks in these minutes, at the same pace."""
    return minutes * WALK_KM_PER_HOUR / 60
