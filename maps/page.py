"""What every map page shares: the base map on local assets, and the page's own style."""

from __future__ import annotations

import re

import folium

from .assets import use_local_assets

TILES = "OpenStreetMap"
MAX_ZOOM = 19

STYLE = """<style>
  .peermap-legend { position: absolute; bottom: 24px; left: 12px; z-index: 1000; background: #fff; padding: 8px 12px;
                    border: 1px solid #555; font: 14px/1.4 system-ui, sans-serif; }
  .peermap-legend span.key { display: inline-block; min-width: 1.4em; text-align: center; font-weight: 700; }
  .peermap-text { font: 16px/1.5 system-ui, sans-serif; padding: 1rem; }
  .peermap-text table { border-collapse: collapse; } .peermap-text td, .peermap-text th { padding: 2px 8px; }
</style>"""


def base_map(title: str, centre: tuple[float, float], zoom: int, *, tiles: str | None,
             assets: str | None) -> tuple[folium.Figure, folium.Map]:
    """A titled page with a map on Peermap's own Leaflet (assets None: inline, for a standalone file)."""
    figure = folium.Figure(title=f"{title} - Peermap")
    # maxZoom on the map itself: without tiles nothing else sets it, and clustering needs it.
    fmap = folium.Map(location=centre, zoom_start=zoom, tiles=tiles, control_scale=True, maxZoom=MAX_ZOOM)
    fmap.add_to(figure)
    use_local_assets(fmap, base=assets)
    figure.header.add_child(folium.Element(STYLE))
    return figure, fmap


def finish(html: str) -> str:
    """What folium's page template lacks for accessibility: the page's language, zoom left to
    the reader (WCAG 1.4.4), and the map as a named region."""
    html = html.replace("<html>", '<html lang="en">', 1)
    html = re.sub(r",\s*maximum-scale=1\.0,\s*user-scalable=no", "", html, count=1)
    return html.replace('<div class="folium-map"', '<div role="region" aria-label="Map" class="folium-map"', 1)
