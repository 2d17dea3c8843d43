"""Leaflet and its plugins from Peermap's own server, never from a CDN.

They come installed, as Python dependencies: PyPI's XStatic packages ship Leaflet 1.9.3 and
Leaflet.markercluster. A served map points at /maps/assets/...; an exported map carries them
inline (data: URLs), so that one HTML file works with no network at all.
"""

from __future__ import annotations

import base64
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import Element

ASSETS_PATH = "/maps/assets"
DIRECTORIES = {"leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
               "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR)}
JS = [("leaflet", "leaflet/leaflet.js"), ("markercluster", "markercluster/leaflet.markercluster.js")]
CSS = [("leaflet_css", "leaflet/leaflet.css"), ("markercluster_css", "markercluster/MarkerCluster.css"),
       ("markercluster_default_css", "markercluster/MarkerCluster.Default.css")]
_MEDIA = {".js": "text/javascript", ".css": "text/css"}


def _url(path: str, base: str | None) -> str:
    if base is not None:
        return f"{base}/{path}"
    folder, _, name = path.partition("/")
    data = (DIRECTORIES[folder] / name).read_bytes()
    return f"data:{_MEDIA[Path(name).suffix]};base64,{base64.b64encode(data).decode()}"


def use_local_assets(element: Element, *, base: str | None) -> None:
    """Point a folium element's scripts and styles at Peermap's copies (base None: inline)."""
    element.default_js = [(name, _url(path, base)) for name, path in JS]  # type: ignore[attr-defined]
    element.default_css = [(name, _url(path, base)) for name, path in CSS]  # type: ignore[attr-defined]
