"""The network map: what each viewer sees on it (HTML and GeoJSON), offline assets, the export.

The community is test_access's Ring: Ann (exact home seen only by her and Sam, her support
worker), Bo (hides his home), Vic the volunteer, Cat who coordinates the Ring, Dee elsewhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest
from neo4j import AsyncDriver
from starlette.testclient import TestClient

from peermap.graph.model import Dataset
from peermap.graph.store import write_dataset
from peermap.schema.types import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as
from test_access import ANN_HOME, BO_HOME, ROLES, _community

RING = global_id("Network", "ring")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
async def ring(graph: AsyncDriver, settings: Settings) -> Dataset:
    data = _community()
    await write_dataset(graph, data, database=settings.neo4j_database)
    return data


@pytest.fixture
def client(ring: Dataset, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(replace(settings, map_tiles=None))) as client:
        yield client


def _features(body: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [f for f in body["features"] if f["properties"]["layer"] == layer]


@pytest.mark.parametrize("role", ROLES)
def test_what_each_viewer_sees_on_the_network_map(client: TestClient, role: str | None) -> None:
    sign_in_as(client, role)
    geo = client.get("/maps/network.geojson", params={"network": RING})
    page = client.get("/maps/network", params={"network": RING})
    if role is None:
        assert geo.status_code == page.status_code == 403, "signed out: no network map"
        return
    assert geo.status_code == page.status_code == 200
    people = {f["properties"]["name"]: f for f in _features(geo.json(), "people")}
    assert set(people) == {"Ann Reid", "Vic Moss"} | ({"Bo Lang"} if role == "bo" else set()), \
        "hidden homes are not drawn; Sam and Cat are staff, not members of the Ring"
    ann = people["Ann Reid"]
    exact = role in ("ann", "sam")
    assert (ann["geometry"]["coordinates"] == [ANN_HOME.longitude, ANN_HOME.latitude]) is exact
    assert ann["properties"]["position"] == ("exact home" if exact else "approximate (about 400 m)")
    for text in (geo.text, page.text):
        assert (str(ANN_HOME.latitude) in text) is exact, role
        assert (str(BO_HOME.latitude) in text) is (role == "bo"), role
    ties = {frozenset((f["properties"]["from"], f["properties"]["to"])) for f in _features(geo.json(), "ties")}
    expected = {"ann": {"ann", "vic"}, "sam": {"ann", "vic"}, "cat": {"ann", "vic"}, "vic": {"ann", "vic"},
                "bo": {"ann", "bo"}}  # Bo sees his own tie to Ann, drawn to her cell; Dee sees none
    assert ties == ({frozenset(expected[role])} if role in expected else set()), "ties only as the viewer may see"
    assert ("isolated" in ann["properties"]) is (role in ("sam", "cat")), "isolation only for the network's staff"


def test_the_map_page_needs_nothing_from_elsewhere(client: TestClient) -> None:
    sign_in_as(client, "cat")
    page = client.get("/maps/network", params={"network": RING})
    assert not re.findall(r"https?://", page.text), "no CDN, and no tiles when they are switched off"
    sources = re.findall(r'<script src="([^"]+)"', page.text) + re.findall(r'<link rel="stylesheet" href="([^"]+)"',
                                                                           page.text)
    assert sources and all(s.startswith("/maps/assets/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    policy = page.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert inline and policy.count("'sha256-") == len(inline), "exactly the page's own inline scripts are allowed"
    assert "<main" in page.text and "<caption>People on the map</caption>" in page.text, "a text alternative"
    assert 'aria-label="Legend"' in page.text
    bad = client.get("/maps/network", params={"network": global_id("Campaign", "kerbs")})
    assert bad.status_code == 400


def test_the_exported_map_is_one_file_that_works_offline(ring: Dataset, cli_env: dict[str, str],
                                                         tmp_path: Path) -> None:
    html, geo = tmp_path / "network.html", tmp_path / "network.geojson"
    env = {**cli_env, "PEERMAP_MAP_TILES": "none"}
    for target, extra in ((html, []), (geo, ["--geojson"])):
        done = subprocess.run([sys.executable, "-m", "peermap.server.cli", "map", "network", "--as", "vic",
                               "--network", "ring", "-o", str(target), *extra], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    text = html.read_text()
    assert "data:text/javascript;base64," in text and "/maps/assets/" not in text and "https://" not in text
    assert str(ANN_HOME.latitude) not in text and str(ANN_HOME.latitude) not in geo.read_text(), "Vic's view"
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    ARTIFACTS.mkdir(exist_ok=True)
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
              "--virtual-time-budget=5000", "--window-size=1200,900"]
    dom = subprocess.run([*common, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "leaflet-container" in dom, "Leaflet started with no network"
    # Two people (Ann and Vic; Bo hides his home) drawn as circles, and the tie between them.
    assert dom.count('class="leaflet-interactive"') == 3, dom.count('class="leaflet-interactive"')
    subprocess.run([*common, f"--screenshot={ARTIFACTS / 'network-map.png'}", html.as_uri()],
                   capture_output=True, timeout=120)
