"""The network map: what each viewer sees on it (HTML and GeoJSON), offline assets, the export.

The community is test_access's Ring: Ann (exact home seen only by her and Sam, her support
worker), Bo (hides his home), Vic the volunteer, Cat who coordinates the Ring, Dee elsewhere.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from test_access import ANN_HOME, BO_HOME, ROLES, _community

from peermap.graph.aggregates import MIN_GROUP
from peermap.graph.database import Graph
from peermap.graph.locations import approximate
from peermap.graph.model import Dataset, Role, Viewer
from peermap.graph.store import write_dataset
from peermap.maps import areas, network
from peermap.maps.assets import drawing_dir
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

RING = global_id("Network", "ring")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
async def ring(graph: Graph, settings: Settings) -> Dataset:
    data = _community()
    await write_dataset(graph, data)
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
    assert set(people) == {"Ann Reid", "Vic Moss"} | ({"Bo Lang"} if role == "bo" else set()), (
        "hidden homes are not drawn; Sam and Cat are staff, not members of the Ring"
    )
    ann = people["Ann Reid"]
    exact = role in ("ann", "sam")
    assert (ann["geometry"]["coordinates"] == [ANN_HOME.longitude, ANN_HOME.latitude]) is exact
    assert ann["properties"]["position"] == ("exact home" if exact else "approximate (about 400 m)")
    for text in (geo.text, page.text):
        assert (str(ANN_HOME.latitude) in text) is exact, role
        assert (str(BO_HOME.latitude) in text) is (role == "bo"), role
    drawn = [frozenset((f["properties"]["from"], f["properties"]["to"])) for f in _features(geo.json(), "ties")]
    ties = set(drawn)
    assert len(drawn) == len(ties), "each tie drawn once, though both ends are shown"
    expected = {
        "ann": {"ann", "vic"},
        "sam": {"ann", "vic"},
        "cat": {"ann", "vic"},
        "vic": {"ann", "vic"},
        "bo": {"ann", "bo"},
    }  # Bo sees his own tie to Ann, drawn to her cell; Dee sees none
    assert ties == ({frozenset(expected[role])} if role in expected else set()), "ties only as the viewer may see"
    assert ("isolated" in ann["properties"]) is (role in ("sam", "cat")), "isolation only for the network's staff"


def test_the_map_page_needs_nothing_from_elsewhere(client: TestClient) -> None:
    sign_in_as(client, "cat")
    page = client.get("/maps/network", params={"network": RING})
    assert not re.findall(r"https?://", page.text), "no CDN, and no tiles when they are switched off"
    sources = re.findall(r'<script src="([^"]+)"', page.text) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page.text
    )
    assert sources and all(s.startswith("/maps/assets/") or s == "/pages.css" for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    policy = page.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert inline and policy.count("'sha256-") == len(inline), "exactly the page's own inline scripts are allowed"
    assert "<main" in page.text and "<caption>People on the map</caption>" in page.text, "a text alternative"
    assert 'aria-label="Legend"' in page.text
    bad = client.get("/maps/network", params={"network": global_id("Campaign", "kerbs")})
    assert bad.status_code == 400


def _box_around(latitude: float, longitude: float, half: float = 0.0003) -> str:
    return f"{longitude - half},{latitude - half},{longitude + half},{latitude + half}"


@pytest.mark.parametrize("role", ["sam", "vic"])
def test_a_box_holds_only_who_is_seen_inside_it(client: TestClient, role: str) -> None:
    """The box is tested on the position the viewer may see: boxes cannot home in on a house."""
    cell = approximate(ANN_HOME)
    assert abs(cell.latitude - ANN_HOME.latitude) + abs(cell.longitude - ANN_HOME.longitude) > 0.001, "apart"
    sign_in_as(client, role)

    def names_in(box: str) -> set[str]:
        answer = client.get("/maps/network.geojson", params={"network": RING, "bbox": box})
        assert answer.status_code == 200, answer.text
        return {f["properties"]["name"] for f in _features(answer.json(), "people")}

    exact = role == "sam"  # Ann's support worker sees her home; Vic sees her cell
    assert ("Ann Reid" in names_in(_box_around(ANN_HOME.latitude, ANN_HOME.longitude))) is exact
    assert ("Ann Reid" in names_in(_box_around(cell.latitude, cell.longitude))) is not exact
    assert names_in("-10,-10,-9,-9") == set()
    page = client.get("/maps/network", params={"network": RING, "bbox": _box_around(cell.latitude, cell.longitude)})
    assert page.status_code == 200 and (str(ANN_HOME.latitude) in page.text) is False
    answer = client.post(
        "/graphql",
        json={
            "query": "query($box: BoundingBoxInput!) { people(filter: {within: $box}) { nodes { name } } }",
            "variables": {
                "box": {
                    "west": ANN_HOME.longitude - 0.0003,
                    "south": ANN_HOME.latitude - 0.0003,
                    "east": ANN_HOME.longitude + 0.0003,
                    "north": ANN_HOME.latitude + 0.0003,
                }
            },
        },
    ).json()
    assert ({n["name"] for n in answer["data"]["people"]["nodes"]} == {"Ann Reid"}) is exact, "the API says the same"


@pytest.mark.parametrize(
    ("box", "message"),
    [
        ("1,2,3", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("-3,57,-2,56", "south"),
        ("-200,56,-2,57", "-180"),
    ],
)
def test_a_bad_box_is_refused_with_the_reason(client: TestClient, box: str, message: str) -> None:
    sign_in_as(client, "cat")
    for path in ("/maps/network", "/maps/network.geojson", "/maps/campaigns.geojson"):
        answer = client.get(path, params={"bbox": box})
        assert answer.status_code == 400 and message in answer.text, (path, answer.text)


def _export_network_map(cli_env: dict[str, str], tmp_path: Path) -> tuple[Path, Path]:
    """Vic's network map of the ring, exported by the CLI as one HTML file and as GeoJSON."""
    html, geo = tmp_path / "network.html", tmp_path / "network.geojson"
    env = {**cli_env, "PEERMAP_MAP_TILES": "none"}
    for target, extra in ((html, []), (geo, ["--geojson"])):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "peermap.server.cli",
                "map",
                "network",
                "--as",
                "vic",
                "--network",
                "ring",
                "-o",
                str(target),
                *extra,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    return html, geo


def test_the_exported_map_is_one_file_that_asks_for_nothing_outside(
    ring: Dataset, cli_env: dict[str, str], tmp_path: Path
) -> None:
    html, geo = _export_network_map(cli_env, tmp_path)
    text = html.read_text()
    assert "data:text/javascript;base64," in text and "/maps/assets/" not in text and "https://" not in text
    assert str(ANN_HOME.latitude) not in text and str(ANN_HOME.latitude) not in geo.read_text(), "Vic's view"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_exported_map_draws_in_a_browser_with_no_network(
    ring: Dataset, cli_env: dict[str, str], tmp_path: Path
) -> None:
    html, _ = _export_network_map(cli_env, tmp_path)
    chromium = shutil.which("chromium") or ""
    ARTIFACTS.mkdir(exist_ok=True)
    common = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=5000",
        "--window-size=1200,900",
    ]
    dom = subprocess.run([*common, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "leaflet-container" in dom, "Leaflet started with no network"
    # Two people (Ann and Vic; Bo hides his home) drawn as their role's letter, and the tie between them.
    assert dom.count('class="leaflet-marker-icon peermap-person') == 2, "two markers"
    ties = json.loads(re.search(r'<script type="application/json" id="peermap-ties"[^>]*>(.*?)</script>', dom).group(1))
    assert len(ties) == 1 and "<canvas" in dom, "the one tie, drawn on the canvas by ties.js"
    subprocess.run(
        [*common, f"--screenshot={ARTIFACTS / 'network-map.png'}", html.as_uri()], capture_output=True, timeout=120
    )


# --- the skills and isolation maps: counts per neighbourhood, public ---------------------------


def _expected_skill_counts(data: Dataset, skill_id: str) -> dict[str, tuple[int, int, int] | None]:
    """Per neighbourhood: (people, offering, wanting) the skill or one under it; None under MIN_GROUP people."""
    under = {skill_id}
    broader = {s.id: s.broader_id for s in data.skills}
    under |= {s for s in broader if broader[s] == skill_id or broader.get(broader[s] or "") == skill_id}
    people = {p.id: p for p in data.people}
    result = {}
    for hood in data.neighbourhoods:
        living = {p.id for p in data.people if p.neighbourhood_id == hood.id}
        shown = {
            ps
            for ps in data.person_skills
            if ps.person_id in living and ps.skill_id in under and not people[ps.person_id].skills_hidden
        }
        offered = len({ps.person_id for ps in shown if ps.mode.value == "offers"})
        wanted = len({ps.person_id for ps in shown if ps.mode.value == "wants"})
        result[hood.name] = (len(living), offered, wanted) if len(living) >= MIN_GROUP else None
    return result


def test_the_skills_map_counts_per_neighbourhood_and_shows_no_one(demo_city: Dataset, settings: Settings) -> None:
    with TestClient(create_app(replace(settings, map_tiles=None))) as client:  # signed out: aggregates are public
        geo = client.get("/maps/skills.geojson", params={"skill": global_id("Skill", "sk-cooking")})
        page = client.get("/maps/skills", params={"skill": global_id("Skill", "sk-cooking")})
        assert client.get("/maps/skills", params={"skill": global_id("Skill", "sk-juggling")}).status_code == 400
        chooser = client.get("/maps/skills")  # no skill: each skill as a link to its map, with an id that works
        assert chooser.status_code == 200
        cooking = global_id("Skill", "sk-cooking").replace("=", "%3D")
        assert f'<a href="/maps/skills?skill={cooking}">cooking</a>' in chooser.text
    assert geo.status_code == page.status_code == 200
    found = {f["properties"]["name"]: f["properties"] for f in geo.json()["features"]}
    expected = _expected_skill_counts(demo_city, "sk-cooking")
    assert {
        name: (p["people"], p["offered"], p["wanted"]) if p["people"] is not None else None for name, p in found.items()
    } == expected
    assert any(v is None for v in expected.values()) and any(v and v[1] for v in expected.values())
    _no_one_located(demo_city, geo.text + page.text)
    assert "Where cooking is offered and wanted" in page.text and "<caption>" in page.text


def test_the_isolation_map_counts_members_with_few_ties(demo_city: Dataset, settings: Settings) -> None:
    with TestClient(create_app(replace(settings, map_tiles=None))) as client:
        geo = client.get("/maps/isolation.geojson")
        page = client.get("/maps/isolation")
    ties: dict[str, int] = {}
    for tie in demo_city.ties:
        ties[tie.from_id] = ties.get(tie.from_id, 0) + 1
        ties[tie.to_id] = ties.get(tie.to_id, 0) + 1
    for feature in geo.json()["features"]:
        members = [
            p for p in demo_city.people if p.neighbourhood_id == feature["properties"]["id"] and Role.MEMBER in p.roles
        ]
        if len(members) < MIN_GROUP:
            assert feature["properties"]["people"] is None and "isolated" not in feature["properties"]
        else:
            assert feature["properties"]["isolated"] == sum(1 for m in members if ties.get(m.id, 0) < 3)
    _no_one_located(demo_city, geo.text + page.text)
    # Nobody shown has fewer than three ties here: the legend says so, not "0% to 0%" five times.
    assert "Every neighbourhood shown: 0% have fewer than three ties" in page.text and "0% to 0%" not in page.text
    assert "<caption>Isolation by neighbourhood</caption>" in page.text


@pytest.mark.parametrize(("top", "bounds"), [(0.03, ["0.0%", "0.6%", "3.0%"]), (0.6, ["0%", "12%", "60%"])])
def test_the_legend_of_small_shares_is_fine_enough_to_tell_its_bands_apart(top: float, bounds: list[str]) -> None:
    bands = areas.legend_bands(top)
    assert [bands[0][1], bands[0][2], bands[-1][2]] == bounds
    assert len({high for _, _, high in bands}) == len(bands)
    assert areas.legend_bands(0.0) == [], "nobody counted anywhere: no bands of 0% to 0%"


def _no_one_located(data: Dataset, text: str) -> None:
    for person in data.people:
        assert person.home is not None
        cell = approximate(person.home)
        for coordinate in (person.home.latitude, cell.latitude):  # as a whole number, not inside a longer one
            assert not re.search(rf"(?<![\d.]){re.escape(str(coordinate))}(?!\d)", text), (
                f"{person.id} can be located from the map"
            )
        assert person.name not in text


def test_the_campaign_map_shows_campaigns_to_all_and_a_plans_people_to_the_signed_in(
    demo_city: Dataset, settings: Settings
) -> None:
    campaign = demo_city.campaigns[0]
    params = {"campaign": global_id("Campaign", campaign.id)}
    with TestClient(create_app(replace(settings, map_tiles=None))) as client:
        public = client.get("/maps/campaigns.geojson", params=params).json()
        public_page = client.get("/maps/campaigns", params=params).text
        member = next(p for p in demo_city.people if Role.MEMBER in p.roles)
        sign_in_as(client, member.id)
        signed_in = client.get("/maps/campaigns.geojson", params=params).json()
        page = client.get("/maps/campaigns", params=params)
        assert client.get("/maps/campaigns", params={"campaign": global_id("Network", "x")}).status_code == 400
    assert len(_features(public, "campaigns")) == len(demo_city.campaigns)
    assert len(_features(public, "neighbourhoods")) == len(demo_city.neighbourhoods)
    assert _features(public, "people with needed skills") == [], "signed out: no people"
    assert "Sign in to see who nearby has the skills it needs" in public_page
    _no_one_located(demo_city, json.dumps(public) + public_page)
    drawn = _features(signed_in, "people with needed skills")
    assert drawn and all(
        f["properties"]["position"] == "approximate (about 400 m)"
        for f in drawn
        if f["properties"]["name"] != member.name
    )
    homes = {p.name: p.home for p in demo_city.people if p.id != member.id}
    for feature in drawn:
        home = homes.get(feature["properties"]["name"])
        assert home is None or feature["geometry"]["coordinates"] != [home.longitude, home.latitude]
    assert f"Plan for {campaign.title}" in page.text and "Skills nobody nearby has" in page.text
    assert "new-campaign-form" not in public_page, "proposing a campaign needs an account"
    if drawing_dir(settings.cache_dir) is not None:
        assert 'id="new-campaign-form"' in page.text
        assert f'<option value="{global_id("Skill", "sk-cooking")}">cooking</option>' in page.text, "the API's ids"


def test_the_network_maps_text_says_where_in_words(demo_city: Dataset, settings: Settings) -> None:
    coordinator = next(p for p in demo_city.people if Role.COORDINATOR in p.roles)
    network = next(m.network_id for m in demo_city.memberships if m.person_id == coordinator.id)
    members = {m.person_id for m in demo_city.memberships if m.network_id == network and m.kind.value != "staff"}
    hoods = {h.id: h.name for h in demo_city.neighbourhoods}
    with TestClient(create_app(replace(settings, map_tiles=None))) as client:
        sign_in_as(client, coordinator.id)
        page = client.get("/maps/network", params={"network": global_id("Network", network)}).text
    rows = re.findall(r"<tr><td>([^<]*)</td><td>[^<]*</td><td>([^<]*)</td>", page)
    shown = [p for p in demo_city.people if p.id in members and p.location_visibility.value != "hidden"]
    assert len(rows) == len(shown) > 0
    for person in shown:
        assert (person.name,) in {(name,) for name, _ in rows}
        where = next(w for name, w in rows if name == person.name)
        assert where.startswith(f"in {hoods[person.neighbourhood_id]}, within about 400 m"), where
    assert "Show only the people in this view" in page


async def test_names_on_the_map_pages_are_text_never_markup_or_template(graph: Graph) -> None:
    """Every section below the map comes from a template with autoescape, added as it is rendered:
    a name with markup stays text, and one with template syntax is never run."""
    hostile = "{{ 7 * 7 }} <b>Ann</b> {% if true %}x{% endif %}"
    data = _community()
    data.people = [replace(p, name=hostile) if p.id == "ann" else p for p in data.people]
    await write_dataset(graph, data)
    found = await network.network_map_data(graph.seen_by(Viewer("cat")), network_id="ring")
    html = network.render(found, assets=None, tiles=None)
    as_text = "{{ 7 * 7 }} &lt;b&gt;Ann&lt;/b&gt; {% if true %}x{% endif %}"
    assert f"<td>{as_text}</td>" in html, "as text in the table"
    assert any(as_text in line for line in re.findall(r"<li>(.*?)</li>", html)), "and in the ties, worded in Python"
    assert "49 &lt;b&gt;" not in html and "49 <b>" not in html, "the template syntax in a name never runs"
