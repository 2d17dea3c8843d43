"""The network map: people where the viewer may see them, their ties, the networks' outlines.

Read through graph/ for the viewer, so the map holds exactly what the viewer may see: exact
homes only for the person and their supporters, cells drawn as the ~400 m areas they are,
hidden people not at all, ties only for those who may see them, isolation only for the
network's staff. People go to the browser as one clustered data array, not one Python object
per marker, so ten thousand of them render in a moment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import folium
import numpy as np
import shapely
from shapely.geometry import mapping

from ..graph import network_health, people, places
from ..graph.errors import Forbidden
from ..graph.model import Audience, BoundingBox, PeopleFilter, PersonView, Role, TieView
from ..graph.permissions import may_see_network_care
from ..graph.viewer_graph import ViewerGraph
from .assets import ASSETS_PATH, asset_url
from .page import TILES, PeopleCluster, Section, Tiles, base_map, fit_to_box
from .words import N_
from .words import gettext as _

MAX_PEOPLE = 20_000  # past this, the page shows the first by name and offers the visible box
ISOLATED = 50  # an isolation score from here up is highlighted (for those who may see it)
# Okabe-Ito, safe for the common colour-blindnesses; every role also has its own letter on
# the marker, in white or black, whichever reads on that colour (WCAG contrast 4.5:1).
ROLE_STYLE = {
    Role.MEMBER: ("#0072B2", "M", N_("member"), "#FFFFFF"),
    Role.SUPPORT_WORKER: ("#D55E00", "S", N_("support worker"), "#000000"),
    Role.VOLUNTEER: ("#009E73", "V", N_("volunteer"), "#000000"),
    Role.COORDINATOR: ("#CC79A7", "C", N_("coordinator"), "#000000"),
}


@dataclass
class NetworkMap:
    title: str
    people: list[PersonView]
    ties: list[tuple[str, TieView]]  # (one end, the tie as seen from there; each tie once)
    isolated: set[str] = field(default_factory=set)
    may_see_isolation: bool = False
    outline: dict[str, Any] | None = None  # GeoJSON polygon around the people
    total: int = 0  # how many match in all (more than shown when past one page)
    box: BoundingBox | None = None
    neighbourhood_names: dict[str, str] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.people)


async def network_map_data(
    graph: ViewerGraph,
    *,
    network_id: str | None = None,
    neighbourhood_id: str | None = None,
    within: BoundingBox | None = None,
    today: date | None = None,
    limit: int = MAX_PEOPLE,
) -> NetworkMap:
    if graph.viewer.person_id is None:
        raise Forbidden("sign in to see the network map")
    page = await people.people_page(
        graph,
        first=limit,
        offset=0,
        collected=True,
        where=PeopleFilter(network_id=network_id, neighbourhood_id=neighbourhood_id, within=within),
    )
    shown = [view for view in page.items if view.position is not None]
    ids = {view.id for view in shown}
    pairs = sorted(await people.ties_among(graph, sorted(ids)), key=lambda pair: (pair[0], pair[1].person_id))
    hoods = await places.neighbourhoods(graph)
    found = NetworkMap(
        title=N_("Network map"),
        people=shown,
        ties=pairs,
        box=within,
        total=(page.total or 0) - (len(page.items) - len(shown)),
        neighbourhood_names={hood.id: hood.name for hood in hoods},
    )
    if network_id is not None and await may_see_network_care(graph, network_id):
        group = await network_health.network_health(graph, network_id, today=today or date.today(), attention_days=60)
        found.isolated = {p.person_id for p in group.people if p.isolation >= ISOLATED}
        found.may_see_isolation = True
    if len(shown) >= 3:
        points = shapely.multipoints([(v.position.longitude, v.position.latitude) for v in shown if v.position])
        found.outline = mapping(shapely.convex_hull(points).buffer(0.002))
    return found


def _role(view: PersonView) -> tuple[str, str, str, str]:
    return ROLE_STYLE[next((r for r in ROLE_STYLE if r in view.roles), Role.MEMBER)]


def geojson(found: NetworkMap) -> dict[str, Any]:
    """Every layer as one FeatureCollection (a `layer` property says which), for GIS tools."""
    positions = {v.id: v.position for v in found.people}
    features: list[dict[str, Any]] = []
    for view in found.people:
        assert view.position is not None
        properties: dict[str, str | bool] = {
            "layer": "people",
            "id": view.id,
            "name": view.name,
            "role": _role(view)[2],
            "position": "exact home" if view.position_is_exact else "approximate (about 400 m)",
        }
        if found.may_see_isolation:
            properties["isolated"] = view.id in found.isolated
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Point", "coordinates": [view.position.longitude, view.position.latitude]},
            }
        )
    for person_id, tie in found.ties:
        a, b = positions[person_id], positions[tie.person_id]
        assert a is not None and b is not None
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "layer": "ties",
                    "from": person_id,
                    "to": tie.person_id,
                    "strength": tie.strength,
                    "last_contact": tie.last_contact.isoformat() if tie.last_contact else None,
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[a.longitude, a.latitude], [b.longitude, b.latitude]],
                },
            }
        )
    if found.outline is not None:
        features.append(
            {"type": "Feature", "properties": {"layer": "outline", "name": found.title}, "geometry": found.outline}
        )
    return {"type": "FeatureCollection", "features": features}


# Each person: [lat, lon, name, colour, letter, role, exact, isolated, letter colour], drawn by
# this callback as the role's letter: filled for an exact home, on white in a dashed ring for
# an approximate one (the classes are in page.STYLE). Markers are not tab stops: the text
# alternative below the map is the keyboard's way through the people.
_CALLBACK = """function (row) {
  var words = WORDS;  // the tooltip's words, in the page's language
  var look = row[6] ? 'background:' + row[3] + ';color:' + row[8] + ';border-color:' + row[3]
                    : 'border-color:' + row[3];
  var icon = L.divIcon({html: '<span style="' + look + '">' + row[4] + '</span>', iconSize: [24, 24],
                        className: 'peermap-person ' + (row[6] ? 'exact' : 'approximate')
                                   + (row[7] ? ' isolated' : '')});
  var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, keyboard: false});
  var tip = document.createElement('span');  // the name as text: a name may hold markup
  tip.textContent = row[2] + ' (' + row[5] + (row[6] ? words.exact : words.approximate)
                    + (row[7] ? words.isolated : '') + ')';
  marker.bindTooltip(tip);
  return marker;
}"""


def render(found: NetworkMap, *, assets: str | None, tiles: Tiles | None = TILES) -> str:
    """The map as one HTML page; assets None makes it standalone (scripts inline)."""
    page, fmap = base_map(_(found.title), _centre(found), 14, tiles=tiles, assets=assets)
    rows = [
        [
            v.position.latitude,
            v.position.longitude,
            v.name,
            *_role(v)[:2],
            _(_role(v)[2]),
            v.position_is_exact,
            v.id in found.isolated,
            _role(v)[3],
        ]
        for v in found.people
        if v.position
    ]
    tooltip_words = {"exact": _(", exact home"), "approximate": _(", approximate area"), "isolated": _(", isolated")}
    callback = _CALLBACK.replace("WORDS;", json.dumps(tooltip_words) + ";", 1)
    PeopleCluster(rows, callback=callback, assets=assets).add_to(fmap)
    if found.ties:
        group = folium.FeatureGroup(name=_("Ties")).add_to(fmap)
        page.header.add_child(folium.JavascriptLink(asset_url("peermap/ties.js", assets)))
        Section("network_ties.html", layer=group.get_name(), rows=_tie_rows(found)).add_to(page)
    if found.outline is not None:
        folium.GeoJson(
            found.outline,
            name=_("Outline"),
            style_function=lambda _: {"color": "#444444", "weight": 2, "dashArray": "8 6", "fill": False},
        ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if found.box is not None:
        fit_to_box(fmap, found.box)
    if assets == ASSETS_PATH:  # served: the server can answer for the visible box (an exported file cannot)
        Section("network_in_view.html", map=fmap.get_name()).add_to(page)
    roles = [(colour, letter, _(label), text) for colour, letter, label, text in ROLE_STYLE.values()]
    Section("network_legend.html", found=found, roles=roles).add_to(page)
    Section(
        "network_text.html", found=found, title=_(found.title), rows=_text_rows(found), ties=_text_ties(found)
    ).add_to(page)
    return str(page.render())


def _tie_rows(found: NetworkMap) -> list[list[float]]:
    """Each tie as [lat, lon, lat, lon, line width, opacity in %], for maps/static/ties.js: one compact
    array rather than a GeoJSON feature each, which at 50,000 ties is most of the page. Stronger
    ties are thicker; ties without contact for long are fainter."""
    positions = {v.id: (v.position.latitude, v.position.longitude) for v in found.people if v.position}
    if not found.ties:
        return []
    today = date.today()
    ends = np.array([positions[person_id] + positions[tie.person_id] for person_id, tie in found.ties]).round(6)
    rows = []
    for line, (_one, tie) in zip(ends.tolist(), found.ties, strict=True):
        days = (today - tie.last_contact).days if tie.last_contact else 365
        rows.append(line + [1 + tie.strength, max(20, round(100 - days * 100 / 365))])
    return rows


def _centre(found: NetworkMap) -> tuple[float, float]:
    points = [v.position for v in found.people if v.position]
    if not points:
        return (56.462, -2.970)  # Dundee
    return (sum(p.latitude for p in points) / len(points), sum(p.longitude for p in points) / len(points))


def _where(found: NetworkMap, view: PersonView) -> str:
    """Where in words: the neighbourhood, and how exact the position is (with it, for GIS users)."""
    assert view.position is not None
    hood = found.neighbourhood_names.get(view.neighbourhood_id or "")
    place = _("in %(place)s") % {"place": hood} if hood else _("outside the neighbourhoods")
    at = {"place": place, "lat": f"{view.position.latitude:.5f}", "lon": f"{view.position.longitude:.5f}"}
    if view.position_is_exact:
        return _("home %(place)s (%(lat)s, %(lon)s)") % at
    at |= {"lat": f"{view.position.latitude:.4f}", "lon": f"{view.position.longitude:.4f}"}
    return _("%(place)s, within about 400 m of %(lat)s, %(lon)s") % at


_WHY = {
    Audience.SELF: N_("this is you"),
    Audience.SUPPORTER: N_("you support them"),
    Audience.NETWORK_STAFF: N_("you work with their network"),
    Audience.SIGNED_IN: N_("they show their area to members"),
}


def _why(found: NetworkMap, view: PersonView) -> str:
    reasons = [_(_WHY[view.audience]) if view.audience in _WHY else ""]
    if view.id in found.isolated:
        reasons.append(_("isolated: few or fading ties"))
    return "; ".join(reasons)


def _text_rows(found: NetworkMap) -> list[tuple[str, str, str, str]]:
    """Each person drawn, in words: name, role, where, and why the viewer is shown them."""
    return [(v.name, _(_role(v)[2]), _where(found, v), _why(found, v)) for v in found.people if v.position]


def _text_ties(found: NetworkMap) -> list[str]:
    """Each tie in words. Worded here, each sentence translated once: asked of the template tie by
    tie, the translation took most of a 40,000-tie map's building."""
    names = {v.id: v.name for v in found.people}
    in_touch = _("%(one)s and %(other)s: strength %(strength)s of 5, last in touch %(day)s")
    not_in_touch = _("%(one)s and %(other)s: strength %(strength)s of 5")
    return [
        (in_touch if t.last_contact else not_in_touch)
        % {
            "one": names[a],
            "other": names[t.person_id],
            "strength": t.strength,
            "day": t.last_contact.isoformat() if t.last_contact else "",
        }
        for a, t in found.ties
    ]
