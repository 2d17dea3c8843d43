"""Leaflet and its plugins from Peermap's own server, never from a CDN.

They come installed, as Python dependencies: PyPI's XStatic packages ship Leaflet 1.9.3 and
Leaflet.markercluster. A served map points at /maps/assets/...; an exported map carries them
inline (data: URLs), so that one HTML file works with no network at all.

The drawing tool (Leaflet-Geoman) is on the npm registry only: `peermap assets fetch` (which
`peermap serve` and .ci/run call) installs the versions locked in maps/npm/ into the cache
folder, once, like the Neo4j jars; pages never fetch anything from outside. Peermap's own
scripts for the pages are in maps/static/.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

ASSETS_PATH = "/maps/assets"
DIRECTORIES = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "peermap": Path(__file__).resolve().parent / "static",
}
NPM_LOCK = Path(__file__).resolve().parent / "npm"  # package.json and package-lock.json
GEOMAN = "node_modules/@geoman-io/leaflet-geoman-free/dist"
DRAWING_JS = [("geoman", "geoman/leaflet-geoman.min.js")]
DRAWING_CSS = [("geoman_css", "geoman/leaflet-geoman.css")]
JS = [("leaflet", "leaflet/leaflet.js"), ("markercluster", "markercluster/leaflet.markercluster.js")]
CSS = [
    ("leaflet_css", "leaflet/leaflet.css"),
    ("markercluster_css", "markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "markercluster/MarkerCluster.Default.css"),
]
_MEDIA = {".js": "text/javascript", ".css": "text/css"}


def asset_url(path: str, base: str | None) -> str:
    """Where the page loads one of the assets from: the server (base), or inline (base None)."""
    if base is not None:
        return f"{base}/{path}"
    folder, _, name = path.partition("/")
    data = (DIRECTORIES[folder] / name).read_bytes()
    return f"data:{_MEDIA[Path(name).suffix]};base64,{base64.b64encode(data).decode()}"


def local_js(base: str | None, *, drawing: bool = False) -> list[tuple[str, str]]:
    """Leaflet's scripts (and the drawing tool's) from Peermap's copies (base None: inline)."""
    drawn = [(name, f"{base}/{path}") for name, path in DRAWING_JS] if drawing and base else []
    return [(name, asset_url(path, base)) for name, path in JS] + drawn


def local_css(base: str | None, *, drawing: bool = False) -> list[tuple[str, str]]:
    drawn = [(name, f"{base}/{path}") for name, path in DRAWING_CSS] if drawing and base else []
    return [(name, asset_url(path, base)) for name, path in CSS] + drawn


class AssetsProblem(RuntimeError):
    """The npm assets could not be installed; the message says why."""


def npm_dir(cache_dir: Path) -> Path:
    return cache_dir / "map-assets"


def drawing_dir(cache_dir: Path) -> Path | None:
    """Where Leaflet-Geoman's files are, once fetched (None before)."""
    dist = npm_dir(cache_dir) / GEOMAN
    return dist if (dist / "leaflet-geoman.min.js").is_file() else None


def fetch_npm_assets(cache_dir: Path, say: Callable[[str], None] = print) -> Path:
    """Install the locked npm packages into the cache (npm ci: exactly the lock's versions and hashes)."""
    found = drawing_dir(cache_dir)
    target = npm_dir(cache_dir)
    if (
        found is not None
        and (target / "package-lock.json").read_bytes() == (NPM_LOCK / "package-lock.json").read_bytes()
    ):
        return found
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsProblem(
            "npm is not installed: the map drawing tool comes from the npm registry "
            "(apt-get install npm, then peermap assets fetch)"
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(NPM_LOCK / name, target / name)
    say(f"Installing the map drawing tool from the npm registry into {target}...")
    done = subprocess.run(
        [npm, "ci", "--prefix", str(target), "--legacy-peer-deps", "--no-audit", "--no-fund"],
        capture_output=True,
        text=True,
    )
    found = drawing_dir(cache_dir)
    if done.returncode != 0 or found is None:
        raise AssetsProblem(f"npm ci failed:\n{done.stderr[-2000:]}")
    return found
