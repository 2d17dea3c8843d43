"""The GraphQL IDE at GET /graphql works from this machine alone."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from peermap.server.app import create_app
from peermap.server.settings import Settings

from browser import axe, browser, needs_a_browser
from conftest import peermap_serving


def test_the_ide_page_and_every_asset_it_names_come_from_peermap(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "<title>Peermap GraphQL IDE</title>" in page.text
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(urls) == 6
        for url in urls:
            assert url.startswith(("/ide-assets/", "/ide.js")), url  # nothing from a CDN
            asset = client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 300, url
        assert "<script>" not in page.text, "no inline script: the content security policy forbids them"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        # A query over GET still gets JSON, even from a browser.
        answer = client.get("/graphql", params={"query": "{ viewer { name } }"}, headers={"accept": "text/html"})
        assert answer.json()["data"] == {"viewer": None}


def test_the_ide_can_be_switched_off(settings: Settings) -> None:
    with TestClient(create_app(replace(settings, ide=False))) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert "GraphiQL" not in page.text and not page.headers["content-type"].startswith("text/html")


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_graphiql_renders_in_a_real_browser_with_no_network(cli_env: dict[str, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    with peermap_serving(cli_env) as base:
        dom = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--virtual-time-budget=10000",
                "--dump-dom",
                f"http://{base}/graphql",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    assert "graphiql-container" in dom, dom[:2000]
    assert "Loading the GraphQL IDE" not in dom


@needs_a_browser
def test_the_ide_passes_axe_with_its_editors_named(cli_env: dict[str, str]) -> None:
    """GraphiQL is a third-party page, but Peermap serves it: its editors are named for screen
    readers, its faint line numbers darkened, and axe-core finds nothing, of any impact."""
    from playwright.sync_api import sync_playwright

    with peermap_serving(cli_env) as base, sync_playwright() as playwright:
        context, elsewhere = browser(playwright, base)
        page = context.new_page()
        page.goto(f"http://{base}/graphql")
        page.wait_for_selector(".graphiql-query-editor .CodeMirror textarea[aria-label]")
        names = page.eval_on_selector_all(
            "textarea[aria-label]", "boxes => boxes.map(b => b.getAttribute('aria-label'))"
        )
        assert {"GraphQL query", "Variables (JSON)", "Headers (JSON)"} <= set(names), names
        assert axe(page, ready=".graphiql-query-editor .CodeMirror textarea[aria-label]") == []
        assert elsewhere == []
        context.close()
