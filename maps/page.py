"""What every map page shares: the base map on local assets, and the page's own style."""

from __future__ import annotations

import re

import folium

from ..graph.model import BoundingBox
from .assets import use_local_assets

TILES = "OpenStreetMap"
MAX_ZOOM = 19

STYLE = """<style>
  .peermap-legend { position: absolute; bottom: 24px; left: 12px; z-index: 1000; background: #fff; padding: 8px 12px;
                    border: 1px solid #555; font: 14px/1.4 system-ui, sans-serif; }
  .peermap-legend span.key { display: inline-block; min-width: 1.4em; text-align: center; font-weight: 700; }
  .peermap-text { font: 16px/1.5 system-ui, sans-serif; padding: 1rem; }
  .peermap-text table { border-collapse: collapse; } .peermap-text td, .peermap-text th { padding: 2px 8px; }
  /* A city's table holds thousands of rows: lay it out only when scrolled to (9 s to 3 s at 10,000
     people in chromium); it stays in the accessibility tree and in-page search. */
  .peermap-text table, .peermap-text ul { content-visibility: auto; contain-intrinsic-size: auto 2000px; }
  .peermap-person span { display: block; width: 20px; height: 20px; border: 2px solid; border-radius: 50%;
                         font: 700 12px/20px system-ui, sans-serif; text-align: center; }
  .peermap-person.approximate span { border-style: dashed; background: #fff; color: #000; }
  .peermap-person.isolated span { box-shadow: 0 0 0 4px #E69F00; }
  .peermap-in-view { position: absolute; top: 12px; left: 60px; z-index: 1000; background: #fff; padding: 4px 8px;
                     border: 1px solid #555; font: 14px/1.4 system-ui, sans-serif; }
  .peermap-cross { position: absolute; top: 50%; left: 50%; width: 24px; height: 24px; margin: -12px 0 0 -12px;
                   z-index: 650; pointer-events: none; font: 700 24px/24px monospace; text-align: center; color: #000; }
</style>"""


def base_map(
    title: str, centre: tuple[float, float], zoom: int, *, tiles: str | None, assets: str | None
) -> tuple[folium.Figure, folium.Map]:
    """A titled page with a map on Peermap's own Leaflet (assets None: inline, for a standalone file)."""
    figure = folium.Figure(title=f"{title} - Peermap")
    # maxZoom on the map itself: without tiles nothing else sets it, and clustering needs it.
    fmap = folium.Map(location=centre, zoom_start=zoom, tiles=tiles, control_scale=True, maxZoom=MAX_ZOOM)
    fmap.add_to(figure)
    use_local_assets(fmap, base=assets)
    figure.header.add_child(folium.Element(STYLE))
    return figure, fmap


def fit_to_box(fmap: folium.Map, box: BoundingBox) -> None:
    fmap.fit_bounds([[box.south, box.west], [box.north, box.east]])


def finish(html: str, after_map: str) -> str:
    """The page with after_map (legend, text alternative, forms) right below the map, which fills
    the first screen, and what folium's page template lacks for accessibility: the page's
    language, zoom left to the reader (WCAG 1.4.4), and the map as a named region."""
    html = html.replace("<html>", '<html lang="en">', 1)
    html = re.sub(r",\s*maximum-scale=1\.0,\s*user-scalable=no", "", html, count=1)
    # Folium adds the map's own div last of all, so what is added before would sit above the map.
    return re.sub(
        r'<div class="folium-map"( id="[^"]+")\s*></div>',
        lambda m: f'<div role="region" aria-label="Map" class="folium-map"{m.group(1)}></div>\n{after_map}',
        html,
        count=1,
    )
