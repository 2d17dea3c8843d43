"""Dundee, where the demo community lives: the fact sheet's housing case study is there.

The centroids are the neighbourhoods' real approximate centres. Official boundaries are not
bundled, so each neighbourhood's boundary is the area nearer its centre than any other's
(a Voronoi cell) inside a rough outline of the city between the Tay and the Sidlaw edge:
good enough to group people and campaigns, not a survey.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, Polygon, mapping

# (name, latitude, longitude)
NEIGHBOURHOOD_CENTRES: list[tuple[str, float, float]] = [
    ("City Centre", 56.4604, -2.9707),
    ("West End", 56.4588, -2.9930),
    ("Hilltown", 56.4700, -2.9720),
    ("Law", 56.4715, -2.9860),
    ("Lochee", 56.4717, -3.0120),
    ("Charleston", 56.4720, -3.0400),
    ("Menzieshill", 56.4630, -3.0330),
    ("Dryburgh", 56.4830, -3.0080),
    ("Ardler", 56.4900, -3.0230),
    ("St Mary's", 56.4960, -3.0000),
    ("Downfield", 56.4860, -2.9880),
    ("Kirkton", 56.4930, -2.9800),
    ("Coldside", 56.4770, -2.9640),
    ("Mains", 56.4880, -2.9640),
    ("Stobswell", 56.4710, -2.9540),
    ("Maryfield", 56.4650, -2.9520),
    ("Fintry", 56.4870, -2.9430),
    ("Craigiebank", 56.4700, -2.9310),
    ("Whitfield", 56.4910, -2.9250),
    ("Douglas", 56.4780, -2.9100),
    ("West Ferry", 56.4660, -2.8980),
    ("Broughty Ferry", 56.4680, -2.8730),
    ("Barnhill", 56.4740, -2.8550),
]

# Rough city outline (longitude, latitude), the Tay's north shore along the south side.
CITY_OUTLINE: list[tuple[float, float]] = [
    (-3.062, 56.456),
    (-3.020, 56.4555),
    (-2.990, 56.4565),
    (-2.965, 56.4575),
    (-2.940, 56.4605),
    (-2.910, 56.4625),
    (-2.880, 56.4635),
    (-2.850, 56.4665),
    (-2.835, 56.4725),
    (-2.840, 56.4850),
    (-2.880, 56.4900),
    (-2.920, 56.5000),
    (-2.960, 56.5050),
    (-3.000, 56.5050),
    (-3.040, 56.4980),
    (-3.065, 56.4850),
    (-3.070, 56.4680),
    (-3.062, 56.456),
]


def neighbourhood_id(name: str) -> str:
    return "nb-" + "".join(c if c.isalnum() else "-" for c in name.lower()).replace("--", "-").strip("-")


@cache
def neighbourhood_polygons() -> dict[str, Polygon]:
    """Each neighbourhood's boundary, keyed by name, in neighbourhood order."""
    outline = Polygon(CITY_OUTLINE)
    centres = {name: Point(lon, lat) for name, lat, lon in NEIGHBOURHOOD_CENTRES}
    cells = voronoi_polygons(MultiPoint(list(centres.values())), extend_to=outline)
    polygons: dict[str, Polygon] = {}
    for name, centre in centres.items():
        cell = next(c for c in cells.geoms if c.contains(centre))
        clipped = cell.intersection(outline)
        polygons[name] = clipped if isinstance(clipped, Polygon) else max(clipped.geoms, key=lambda g: g.area)
    return polygons


def boundary_geojson(name: str) -> dict[str, Any]:
    polygon = neighbourhood_polygons()[name].simplify(0.00005)
    geometry = mapping(polygon)
    return {
        "type": geometry["type"],
        "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in geometry["coordinates"]],
    }
