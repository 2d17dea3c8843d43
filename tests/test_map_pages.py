"""The served map pages in a real browser (Debian's chromium, driven by Playwright), signed in
through the sign-in page, with every request outside this server refused: Leaflet starts, the
features are drawn, nothing leaves the machine, and axe-core finds nothing serious.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from peermap.graph.database import Graph
from peermap.graph.model import Dataset, Role
from peermap.maps.assets import drawing_dir
from peermap.schema.ids import global_id
from peermap.server.settings import Settings

from browser import tab_to
from conftest import TEST_PASSWORD, account_email, api_token, only_this_server, peermap_serving

CHROMIUM = shutil.which("chromium")
CACHE = Path(os.environ.get("PEERMAP_CACHE_DIR", "~/.cache/peermap")).expanduser()
AXE = CACHE / "axe/node_modules/axe-core/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not in {AXE} (.ci/run installs it with npm)"),
]


@pytest.fixture
async def coordinator(demo_city: Dataset, graph: Graph, settings: Settings) -> str:
    """A coordinator of the demo with an account (signs in with TEST_PASSWORD)."""
    person = next(p.id for p in demo_city.people if Role.COORDINATOR in p.roles)
    await api_token(graph, person)
    return person


@pytest.fixture
def browser(coordinator: str, cli_env: dict[str, str]) -> Iterator[tuple[Any, str, list[str]]]:
    from playwright.sync_api import sync_playwright

    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = chromium.new_page(viewport={"width": 1200, "height": 900})
        elsewhere = only_this_server(page, base)
        page.goto(f"http://{base}/signin")
        page.get_by_label("Email").fill(account_email(coordinator))
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"http://{base}/")
        yield page, base, elsewhere
        chromium.close()


def _serious(page: Any) -> list[Any]:
    # Evaluated through the DevTools protocol: the page's own policy rightly refuses a script tag.
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "axe.run().then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => [v.id, v.impact, v.nodes.map(n => n.target)]))"
    )


@pytest.mark.parametrize(
    ("path", "least"),
    [
        ("/maps/network", 50),
        ("/maps/campaigns?campaign=" + global_id("Campaign", "c-00001"), 20),
        ("/maps/skills?skill=" + global_id("Skill", "sk-cooking"), 20),
        ("/maps/isolation", 20),
    ],
)
def test_each_map_page_draws_offline_and_passes_axe(browser: tuple[Any, str, list[str]], path: str, least: int) -> None:
    page, base, elsewhere = browser
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"http://{base}{path}")
    assert response.status == 200
    page.wait_for_selector(".leaflet-container")
    page.wait_for_timeout(500)
    drawn = page.evaluate("document.querySelectorAll('.leaflet-interactive').length")
    assert drawn >= least, f"{path}: {drawn} features drawn"
    if path == "/maps/network":  # the ties, from their compact array onto the canvas, every one
        sent, lines = page.evaluate("""() => { const block = document.getElementById('peermap-ties');
            return [JSON.parse(block.textContent).length, window[block.dataset.layer].getLayers().length]; }""")
        assert sent == lines > 0, (sent, lines)
    assert errors == [], errors
    assert elsewhere == [], f"requests left this server: {elsewhere[:3]}"
    assert page.get_by_role("main").count() == 1 and page.title().endswith("- Peermap")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{path.split('?')[0].rsplit('/', 1)[1]}.png"), full_page=True)
    assert _serious(page) == []


def _campaign_through_the_api(page: Any, campaign_id: str) -> dict[str, Any]:
    return page.evaluate(
        """id => fetch('/graphql', {method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify({query: 'query($id: ID!) { node(id: $id) { ... on Campaign { title status area ' +
          'neighbourhoods { nodes { name } } neededSkills { nodes { name } } participantCount } } }',
          variables: {id}})}).then(r => r.json()).then(r => r.data.node)""",
        campaign_id,
    )


def _saved_campaign_id(page: Any, base: str) -> str:
    page.wait_for_url(f"http://{base}/maps/campaigns?campaign=*")
    return unquote(page.url.split("campaign=", 1)[1].split("#", 1)[0])


@pytest.mark.skipif(drawing_dir(CACHE) is None, reason=f"the drawing tool is not in {CACHE} (peermap assets fetch)")
def test_the_map_pages_speak_the_sites_language(browser: tuple[Any, str, list[str]]) -> None:
    """Chosen with the site's language switch, the map pages are Polish too: their legends, the text
    below the map, the drawing tool's messages; numbers written as Polish writes them."""
    page, base, elsewhere = browser
    page.goto(f"http://{base}/maps/network")
    page.get_by_role("link", name="Polski").click()
    page.wait_for_url(f"http://{base}/maps/network")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("heading", level=1).inner_text() == "Mapa sieci"
    assert "Legenda" in page.locator(".peermap-legend").inner_text()
    assert "To samo co na mapie:" in page.locator("#text-alternative").inner_text()
    assert _serious(page) == []

    page.goto(f"http://{base}/maps/campaigns")
    page.wait_for_selector(".leaflet-pm-toolbar")
    assert page.get_by_role("heading", level=1).inner_text() == "Mapa kampanii"
    assert "brzeg kropkowany" in page.locator(".peermap-legend").inner_text()
    page.get_by_label("Tytuł").fill("Ławki na Law")
    page.get_by_role("button", name="Zaproponuj kampanię").click()
    assert page.locator("#save-result").inner_text() == "Nie zapisano: najpierw narysuj obszar (co najmniej trzy rogi)."
    page.get_by_role("button", name="Dodaj tu róg").click()
    assert page.locator("#area-status").inner_text() == "Dodano 1 z co najmniej 3 rogów."
    assert _serious(page) == []

    page.goto(f"http://{base}/maps/isolation")
    assert page.locator("caption").inner_text() == "Osamotnienie według okolic"
    assert elsewhere == []


@pytest.mark.skipif(drawing_dir(CACHE) is None, reason=f"the drawing tool is not in {CACHE} (peermap assets fetch)")
def test_a_coordinator_draws_a_new_campaigns_area_and_saves_it(browser: tuple[Any, str, list[str]]) -> None:
    """With the mouse (Leaflet-Geoman's polygon tool) and then from the keyboard alone; both save
    through the API's createCampaign and read back as drawn."""
    page, base, elsewhere = browser
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"http://{base}/maps/campaigns")
    page.wait_for_selector(".leaflet-pm-toolbar")
    page.get_by_label("Title").fill("Benches on the Law")
    page.get_by_role("button", name="Propose the campaign").click()
    assert "Not saved: draw the area first" in page.locator("#save-result").inner_text()

    page.locator(".leaflet-pm-icon-polygon").click()
    frame = page.locator(".folium-map").bounding_box()
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    corners = [(-80, -50), (80, -50), (80, 50), (-80, 50)]
    for dx, dy in corners:
        page.mouse.click(x + dx, y + dy)
    page.mouse.click(x - 80, y - 50)  # back on the first corner closes the shape
    assert page.locator("#area-status").inner_text().startswith("Area of 4 corners")
    page.get_by_label("Neighbourhoods it covers").select_option(index=0)
    page.get_by_label("Skills it needs").select_option(index=[0, 1])
    page.get_by_role("button", name="Propose the campaign").click()
    drawn = _campaign_through_the_api(page, _saved_campaign_id(page, base))
    assert drawn["title"] == "Benches on the Law" and drawn["status"] == "PROPOSED"
    ring = drawn["area"]["coordinates"][0]
    assert drawn["area"]["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    south, north = min(p[1] for p in ring), max(p[1] for p in ring)
    assert 0 < east - west < 0.1 and 0 < north - south < 0.1 and 56.3 < south < north < 56.6, "where it was drawn"
    assert len(drawn["neighbourhoods"]["nodes"]) == 1 and len(drawn["neededSkills"]["nodes"]) == 2
    assert drawn["participantCount"] == 1, "the one who proposed it organises it"
    page.screenshot(path=str(ARTIFACTS / "map-campaigns-drawn.png"), full_page=True)

    # The toolbar's remove tool leaves the campaigns and neighbourhoods shown alone.
    page.goto(f"http://{base}/maps/campaigns")
    page.wait_for_selector(".leaflet-pm-toolbar")
    shown = page.locator("path.leaflet-interactive").count()
    page.locator(".leaflet-pm-icon-delete").click()
    for path in page.locator("path.leaflet-interactive").all()[:5]:
        path.click(force=True)
    assert page.locator("path.leaflet-interactive").count() == shown, "nothing shown was removed"
    page.locator(".leaflet-pm-icon-delete").click()

    # From the keyboard alone, the keys on the map itself: Tab to the map, then C adds the corner
    # under the cross and the arrows move it: 3 corners in about a dozen key presses, not 370.
    presses = tab_to(page, field=page.locator(".folium-map").get_attribute("id"))
    for key in ("c", "ArrowLeft", "c", "ArrowUp", "c", "ArrowRight", "c", "u"):
        page.keyboard.press(key)
        presses += 1
        page.wait_for_timeout(300)  # the pan animates
    assert page.locator("#area-status").inner_text().startswith("Area of 3 corners")
    assert presses < 40, presses
    tab_to(page, field="campaign-title")
    page.keyboard.type("Dropped kerbs on Hilltown")
    page.keyboard.press("Enter")
    typed = _campaign_through_the_api(page, _saved_campaign_id(page, base))
    assert typed["title"] == "Dropped kerbs on Hilltown" and len(typed["area"]["coordinates"][0]) == 4
    assert page.url.endswith("#text-alternative"), "after saving, on to the plan's words"
    assert errors == [] and elsewhere == []


HOSTILE = '<img src="x" class="injected"><a class="injected" href="https://evil.invalid/">Sign in again</a>'


@pytest.fixture
async def hostile_names(coordinator: str, graph: Graph) -> None:
    """Every person, campaign and neighbourhood named with markup, as an import or a member could name them."""
    await graph.write(
        "MATCH (x) WHERE x:Person OR x:Neighbourhood SET x.name = $hostile + x.name "
        "WITH count(*) AS done MATCH (c:Campaign) SET c.title = $hostile + c.title",
        hostile=HOSTILE,
    )


# Hovers every feature that has a tooltip (as the mouse would: the event names the feature) and
# every person's marker (zoomed in past clustering), and gives back what each tooltip showed.
_HOVER_EVERY_TOOLTIP = """async () => {
  const map = window[document.querySelector('.folium-map').id];
  const shown = [];
  const read = () => document.querySelectorAll('.leaflet-tooltip').forEach(t => shown.push(t.textContent));
  const groups = [], markers = [];
  map.eachLayer(layer => {
    if (layer.getTooltip && layer.getTooltip() && layer.getLayers) groups.push(layer);
    if (layer.getLayers && !layer.getTooltip()) markers.push(...layer.getLayers().filter(m => m.getTooltip()));
  });
  for (const group of groups) {
    for (const feature of group.getLayers()) {
      const at = feature.getBounds ? feature.getBounds().getCenter() : feature.getLatLng();
      group.fire('mouseover', {layer: feature, latlng: at});
      read();
      group.fire('mouseout', {layer: feature});
    }
  }
  for (const marker of markers.slice(0, 3)) {
    map.setView(marker.getLatLng(), 18, {animate: false});
    await new Promise(done => setTimeout(done, 300));
    marker.openTooltip();
    read();
    marker.closeTooltip();
  }
  return shown;
}"""


@pytest.mark.parametrize(
    "path",
    ["/maps/network", "/maps/campaigns?campaign=" + global_id("Campaign", "c-00001"), "/maps/isolation"],
)
def test_names_with_markup_show_as_text_in_the_map_tooltips(
    hostile_names: None, browser: tuple[Any, str, list[str]], path: str
) -> None:
    page, base, _ = browser
    page.goto(f"http://{base}{path}")
    page.wait_for_selector(".leaflet-container")
    shown = page.evaluate(_HOVER_EVERY_TOOLTIP)
    assert len(shown) >= 3, f"{path}: {len(shown)} tooltips shown"
    assert any('<a class="injected"' in text for text in shown), "the markup is shown as the text it is"
    assert page.locator(".injected").count() == 0, "no element made from a name"
