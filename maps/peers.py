"""The people a search for someone found (/find), on a map: each where the viewer may see them
(the ~400 m cell for most), the place the search measured from, and the walk it allowed.

The same search as the list, through graph/ for the viewer, so the map shows the same people in
the same order, and nothing the list would not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import folium

from ..graph import peers, people, skills
from ..graph.locations import walk_minutes
from ..graph.model import PeerSearch, PersonView, Point, Suggestion
from ..graph.viewer_graph import ViewerGraph
from .page import TILES, Section, TextTooltip, Tiles, base_map
from .words import gettext as _

FIRST = 20  # as many as the list shows
KM_PER_DEGREE = 111.32  # of latitude


@dataclass
class PeersMap:
    found: list[tuple[Suggestion, PersonView, str]]  # each match, the person as seen, the skill's name
    origin: Point | None
    within_km: float | None


async def peers_map_data(graph: ViewerGraph, search: PeerSearch) -> PeersMap:
    found = await peers.find_peers(graph, search, first=FIRST)
    seen = await people.people_by_ids(graph, [s.person_id for s in found])
    named = await skills.skills_by_ids(graph, sorted({s.skill_id for s in found if s.skill_id}))
    return PeersMap(
        found=[
            (s, seen[s.person_id], named[s.skill_id].name if s.skill_id in named else "")
            for s in found
            if s.person_id in seen and seen[s.person_id].position is not None
        ],
        origin=await peers.search_origin(graph, search),
        within_km=search.within_km,
    )


def render(found: PeersMap, *, back: str, assets: str | None, tiles: Tiles | None = TILES) -> str:
    """back: the address of the list these people came from."""
    rows = _rows(found)
    centre = found.origin or (found.found[0][1].position if found.found else None)
    page, fmap = base_map(
        _("The people you found, on a map"),
        (centre.latitude, centre.longitude) if centre else (56.462, -2.970),  # else Dundee
        14,
        tiles=tiles,
        assets=assets,
    )
    if found.origin is not None:
        at = (found.origin.latitude, found.origin.longitude)
        if found.within_km is not None:
            folium.Circle(at, radius=found.within_km * 1000, color="#0072B2", weight=2, fill=False).add_to(fmap)
        folium.CircleMarker(at, radius=6, color="#000000", weight=2, fill_color="#FFFFFF", fill_opacity=1).add_to(fmap)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": [_feature(row) for row in rows]},
        name=_("People"),
        marker=folium.CircleMarker(radius=8, color="#000000", weight=2, fill_color="#E69F00", fill_opacity=0.9),
        tooltip=TextTooltip(fields=["name", "skill", "walk"], aliases=[_("Name"), _("Skill"), _("Walk")]),
    ).add_to(fmap)
    if rows or found.origin is not None:  # all of them in view, and the walk around where it measured from
        lats, lons = [row["latitude"] for row in rows], [row["longitude"] for row in rows]
        if found.origin is not None:
            reach = found.within_km or 0.0
            across = reach / (KM_PER_DEGREE * max(math.cos(math.radians(found.origin.latitude)), 0.01))
            lats += [found.origin.latitude - reach / KM_PER_DEGREE, found.origin.latitude + reach / KM_PER_DEGREE]
            lons += [found.origin.longitude - across, found.origin.longitude + across]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    Section("peers_legend.html", walk=walk_minutes(found.within_km)).add_to(page)
    Section("peers_text.html", rows=rows, back=back).add_to(page)
    return str(page.render())


def _rows(found: PeersMap) -> list[dict[str, Any]]:
    rows = []
    for match, view, skill in found.found:
        assert view.position is not None
        minutes = walk_minutes(match.distance_km)
        rows.append(
            {
                "name": view.name,
                "skill": skill,
                "walk": _("about %(minutes)s minutes") % {"minutes": minutes} if minutes is not None else "",
                "latitude": view.position.latitude,
                "longitude": view.position.longitude,
                "exact": view.position_is_exact,
            }
        )
    return rows


def _feature(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": {"name": row["name"], "skill": row["skill"], "walk": row["walk"]},
    }
