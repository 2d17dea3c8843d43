"""What every map page shares, in folium's own element pattern: the page (MapPage), the map on
Peermap's own Leaflet (PeermapMap), and the sections below it from Jinja templates with
autoescape (Section: legends, text alternatives, forms), so that every user text is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import folium
import jinja2
from babel.numbers import format_decimal
from branca.element import Element, MacroElement
from folium.plugins import FastMarkerCluster

from ..graph.model import BoundingBox
from . import words
from .assets import ASSETS_PATH, local_css, local_js


@dataclass(frozen=True)
class Tiles:
    """Where the map's street tiles come from: a tile source folium knows by name (OpenStreetMap),
    or the address template of a tile server ("https://tiles.example.org/{z}/{x}/{y}.png", one's
    own for a deployment without internet), which then needs its attribution."""

    source: str
    attribution: str | None = None

    @property
    def url(self) -> str:
        return str(folium.TileLayer(self.source, attr=self.attribution).tiles)

    @property
    def origin(self) -> str:
        """The tiles' origin, for the Content-Security-Policy ({s}, the servers' letters, as *)."""
        parts = urlsplit(self.url.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}"


TILES = Tiles("OpenStreetMap")
MAX_ZOOM = 19

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
TEMPLATES.globals["assets_path"] = ASSETS_PATH
TEMPLATES.globals["language"] = words.language
TEMPLATES.filters["number"] = lambda value: format_decimal(value, locale=words.language())
TEMPLATES.add_extension("jinja2.ext.i18n")
# newstyle: named placeholders only, and what they fill in is escaped like any other value.
TEMPLATES.install_gettext_callables(gettext=words.gettext, ngettext=words.ngettext, newstyle=True)  # type: ignore[attr-defined]


class MapPage(folium.Figure):
    """folium's page, with what its template lacks: the page's language, a viewport that leaves zoom
    to the reader (WCAG 1.4.4), and Peermap's style for what is drawn and written below the map."""

    _template = TEMPLATES.get_template("page.html")

    def __init__(self, title: str) -> None:
        super().__init__(title=f"{title} - Peermap")


class PeermapMap(folium.Map):
    """A map on Peermap's copies of Leaflet (assets None: inline, for a standalone file), its div a
    named region. folium's own viewport meta stops zooming: the page sets one of its own instead."""

    def __init__(
        self,
        location: tuple[float, float],
        zoom: int,
        *,
        tiles: Tiles | None,
        assets: str | None,
        drawing: bool = False,
    ) -> None:
        # maxZoom on the map itself: without tiles nothing else sets it, and clustering needs it.
        super().__init__(
            location=location,
            zoom_start=zoom,
            tiles=tiles.source if tiles else None,
            attr=tiles.attribution if tiles else None,
            control_scale=True,
            maxZoom=MAX_ZOOM,
        )
        self.default_js = local_js(assets, drawing=drawing)
        self.default_css = local_css(assets, drawing=drawing)

    def render(self, **kwargs: Any) -> str:
        super().render(**kwargs)  # type: ignore[no-untyped-call]  # folium's own render: header, div, script
        figure, name = cast(folium.Figure, self.get_root()), self.get_name()
        header = figure.header._children[name].render()
        assert _FOLIUM_VIEWPORT in header, "folium's map header changed: check the viewport it sets"
        figure.header.add_child(_Rendered(header.replace(_FOLIUM_VIEWPORT, "")), name=name)
        figure.html.add_child(_Rendered(TEMPLATES.get_template("map_div.html").render(name=name)), name=name)
        return ""


_FOLIUM_VIEWPORT = """<meta name="viewport" content="width=device-width,
                initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />"""


class PeopleCluster(FastMarkerCluster):
    """People as one clustered data array (not one Python object per marker), on Peermap's assets."""

    def __init__(self, rows: list[list[Any]], *, callback: str, assets: str | None) -> None:
        super().__init__(  # type: ignore[no-untyped-call]  # folium's plugins carry no annotations
            rows, callback=callback, name=words.gettext("People"), options={"disableClusteringAtZoom": 17}
        )
        self.default_js = local_js(assets)
        self.default_css = local_css(assets)


class TextTooltip(folium.GeoJsonTooltip):
    """folium's feature tooltip, its values put in as text. folium writes them into the tooltip as
    HTML, so a name holding markup (a link, an image) would be live on the page."""

    _template = jinja2.Template(
        """
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip(function (layer) {
        var table = L.DomUtil.create('table', '{{ this.class_name }}');
        var fields = {{ this.fields | tojson }}, aliases = {{ this.aliases | tojson }};
        fields.forEach(function (field, i) {
            var value = layer.feature.properties[field];
            var row = L.DomUtil.create('tr', '', table);
            L.DomUtil.create('th', '', row).textContent = aliases[i];
            L.DomUtil.create('td', '', row).textContent = value === null || value === undefined ? '' : String(value);
        });
        return table;
    }, {{ this.tooltip_options | tojson }});
    {% endmacro %}
    """
    )

    def __init__(self, fields: list[str], aliases: list[str]) -> None:
        super().__init__(fields=fields, aliases=aliases)


class Section(MacroElement):
    """A part of the page below the map, from maps/templates/NAME (its `html` macro gets this
    element: `this.context` holds what the template shows). Added to the page after the map, it
    renders after the map's own div."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Section"
        self._template = TEMPLATES.get_template(template)
        self.context = context

    def render(self, **kwargs: Any) -> str:
        html = self._template.module.html(self, kwargs)
        cast(folium.Figure, self.get_root()).html.add_child(_Rendered(str(html)), name=self.get_name())
        return ""


class _Rendered(Element):
    """HTML already rendered (and escaped), added as it is. branca's Element would read the text as a
    template of its own: a name with {{ in it would then run as Jinja."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text = html

    def render(self, **kwargs: Any) -> str:
        return self.text


def base_map(
    title: str,
    centre: tuple[float, float],
    zoom: int,
    *,
    tiles: Tiles | None,
    assets: str | None,
    drawing: bool = False,
) -> tuple[MapPage, PeermapMap]:
    """A titled page with a map on Peermap's own Leaflet."""
    page = MapPage(title)
    fmap = PeermapMap(centre, zoom, tiles=tiles, assets=assets, drawing=drawing)
    fmap.add_to(page)
    return page, fmap


def fit_to_box(fmap: folium.Map, box: BoundingBox) -> None:
    fmap.fit_bounds([[box.south, box.west], [box.north, box.east]])
