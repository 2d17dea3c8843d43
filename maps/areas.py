"""Maps of figures per neighbourhood (the skills map, the isolation map): choropleths, public.

Shades of one colour-blind-safe sequential scale (viridis), each class also written in the
legend and the tooltip, and every figure repeated in the text alternative's table.
"""

from __future__ import annotations

from typing import Any, TypedDict

import folium
from shapely.geometry import shape
from shapely.ops import unary_union

from ..graph import aggregates, skills
from ..graph.aggregates import MIN_GROUP, AreaFigure
from ..graph.database import Graph
from .page import TILES, Section, TextTooltip, Tiles, base_map
from .words import N_
from .words import gettext as _

# Lightest to darkest: a higher share is darker, whatever one's colour vision.
SCALE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
NO_FIGURE = "#bbbbbb"


def share(figure: AreaFigure, measure: str) -> float | None:
    if figure.counts is None or figure.base == 0:
        return None
    return figure.counts[measure] / figure.base


def _class(value: float | None, top: float) -> int | None:
    if value is None:
        return None
    return min(len(SCALE) - 1, int(value / top * len(SCALE))) if top > 0 else 0


def geojson(figures: list[AreaFigure], measure: str) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": f.boundary,
                "properties": {
                    "layer": "neighbourhoods",
                    "id": f.neighbourhood_id,
                    "name": f.name,
                    "people": f.base if f.counts is not None else None,
                    **(f.counts or {}),
                    "share": round(s, 3) if (s := share(f, measure)) is not None else None,
                },
            }
            for f in figures
        ],
    }


def render(
    figures: list[AreaFigure],
    *,
    title: str,
    measure: str,
    words: str,
    columns: dict[str, str],
    assets: str | None,
    tiles: Tiles | None = TILES,
) -> str:
    """words: what the share is ("offer it"); columns: the counts to list, with their headings (both
    English msgids, said here in the page's language)."""
    words, columns = _(words), {key: _(heading) for key, heading in columns.items()}
    top = max((s for f in figures if (s := share(f, measure)) is not None), default=0.0)
    collection = geojson(figures, measure)
    page, fmap = base_map(title, _centre(figures), 12, tiles=tiles, assets=assets)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        band = _class(feature["properties"]["share"], top)
        return {
            "fillColor": NO_FIGURE if band is None else SCALE[band],
            "fillOpacity": 0.7,
            "color": "#333333",
            "weight": 1,
            "dashArray": "4 4" if band is None else None,
        }

    folium.GeoJson(
        collection,
        name=title,
        style_function=style,
        tooltip=TextTooltip(
            fields=["name", "people", "share"],
            aliases=[_("Neighbourhood"), _("People"), _("Share who %(words)s") % {"words": words}],
        ),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    Section("areas_legend.html", bands=legend_bands(top), words=words, min_group=MIN_GROUP).add_to(page)
    rows = [(f.name, f.base, f.counts, f"{share(f, measure):.0%}" if f.counts is not None else "") for f in figures]
    Section("areas_table.html", title=title, columns=columns, rows=rows, min_group=MIN_GROUP).add_to(page)
    return str(page.render())


def legend_bands(top: float) -> list[tuple[str, str, str]]:
    """Each colour with the shares it stands for, from none up to the highest share shown; fine
    enough that no two bounds read the same. No bands when nobody anywhere is counted."""
    if top <= 0:
        return []
    step = top / len(SCALE)
    digits = 0 if step >= 0.05 else 1 if step >= 0.005 else 2
    return [(colour, f"{step * i:.{digits}%}", f"{step * (i + 1):.{digits}%}") for i, colour in enumerate(SCALE)]


def _centre(figures: list[AreaFigure]) -> tuple[float, float]:
    if not figures:
        return (56.475, -2.97)  # Dundee
    west, south, east, north = unary_union([shape(f.boundary) for f in figures]).bounds
    return ((south + north) / 2, (west + east) / 2)


# The two maps drawn this way: what is counted, the share's words, the columns listed.
class Drawing(TypedDict):
    """What a map of figures shows: the figure that shades it, in words, and the table's columns."""

    measure: str
    words: str
    columns: dict[str, str]


SKILLS: Drawing = {
    "measure": "offered",
    "words": N_("offer it"),
    "columns": {"offered": N_("Offer it"), "wanted": N_("Want to learn it")},
}
ISOLATION: Drawing = {
    "measure": "isolated",
    "words": N_("have fewer than three ties"),
    "columns": {"isolated": N_("Members with fewer than three ties")},
}


async def skills_figures(graph: Graph, skill_id: str) -> tuple[list[AreaFigure], str]:
    """The skills map's figures and title; ValueError for a skill that does not exist."""
    found = await skills.skills_by_ids(graph, [skill_id])
    if skill_id not in found:
        raise ValueError("skill must be the id of a skill, as the GraphQL API gives it: { skills { id name } }")
    return (
        await aggregates.skill_by_neighbourhood(graph, skill_id),
        _("Where %(skill)s is offered and wanted, by neighbourhood") % {"skill": found[skill_id].name},
    )


async def isolation_figures(graph: Graph) -> tuple[list[AreaFigure], str]:
    return await aggregates.isolation_by_neighbourhood(graph), _("Isolation by neighbourhood")
