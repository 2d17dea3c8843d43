"""Maps with streets: the tile server PEERMAP_MAP_TILES names (here one of our own, as a
deployment without internet would run) is the one and only image source the pages' policy
allows, and the browser draws its tiles under the data, with its attribution."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2 as httpx
import pytest

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.server.settings import SettingsError, load_settings

from browser import browser, needs_a_browser
from conftest import free_port, peermap_serving


def _png() -> bytes:
    """One grey 256 x 256 tile, made here (nothing fetched)."""
    rows = b"".join(b"\x00" + b"\xcc" * 256 for _ in range(256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 256, 256, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """A tile server of one's own, on this machine: every tile asked for is listed."""
    asked: list[str] = []
    tile = _png()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  # http.server's name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.send_header("content-length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PEERMAP_MAP_TILES": "https://tiles.example.org/{z}/{x}/{y}.png"}, "PEERMAP_MAP_TILES_ATTRIBUTION"),
        ({"PEERMAP_MAP_TILES": "ftp://tiles.example.org/{z}/{x}/{y}.png"}, "PEERMAP_MAP_TILES"),
        ({"PEERMAP_MAP_TILES": "https://tiles.example.org/tile.png", "PEERMAP_MAP_TILES_ATTRIBUTION": "x"}, "{z}"),
        ({"PEERMAP_MAP_TILES": "NoSuchTiles"}, "NoSuchTiles"),
    ],
)
def test_a_tile_server_must_be_an_address_template_with_its_attribution(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named.replace("{", r"\{").replace("}", r"\}")):
        load_settings(env, env_file=None)


def test_the_default_tiles_are_openstreetmaps_and_none_means_none() -> None:
    tiles = load_settings({}, env_file=None).map_tiles
    assert tiles is not None and tiles.origin == "https://tile.openstreetmap.org"
    assert load_settings({"PEERMAP_MAP_TILES": "none"}, env_file=None).map_tiles is None


@pytest.fixture
async def community(graph: Graph) -> None:
    await write_dataset(graph, demo_community(60, seed=2))


@needs_a_browser
def test_the_map_draws_streets_from_the_tile_server_named_and_no_other(
    community: None, cli_env: dict[str, str], tile_server: tuple[str, list[str]]
) -> None:
    from playwright.sync_api import sync_playwright

    tiles, asked = tile_server
    env = {
        **cli_env,
        "PEERMAP_MAP_TILES": tiles + "/{z}/{x}/{y}.png",
        "PEERMAP_MAP_TILES_ATTRIBUTION": "Streets: our own tile server",
    }
    with peermap_serving(env) as base:
        for path in ("/maps/isolation", "/"):
            policy = httpx.get(f"http://{base}{path}").headers["content-security-policy"]
            assert f"img-src 'self' data: {tiles};" in policy, policy
        with sync_playwright() as playwright:
            context, elsewhere = browser(playwright, base)
            context.route(f"{tiles}/**", lambda route: route.continue_())  # the tile server too, and only it
            page = context.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"http://{base}/maps/isolation")
            page.wait_for_selector(".leaflet-tile-loaded")
            assert "Streets: our own tile server" in page.inner_text(".leaflet-control-attribution")
            assert page.locator(".leaflet-control-scale-line").first.inner_text().endswith(("m", "km"))
            context.close()
    assert asked and all(path.endswith(".png") for path in asked), asked
    assert refused == [] and elsewhere == [], (refused, elsewhere)
