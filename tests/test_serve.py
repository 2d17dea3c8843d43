"""`peermap serve`, as the README runs it: the local Neo4j, the demo community, the URLs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx2 as httpx
import pytest

from peermap.graph.database import Graph

from conftest import TEST_BOLT_PORT, TEST_DATA_DIR, free_port, peermap_serving


@pytest.mark.skipif("NEO4J_URI" in os.environ, reason="serve's own-Neo4j path needs the local test server")
async def test_serve_seeds_an_empty_graph_and_answers(graph: Graph) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update(
        {
            "PEERMAP_DATA_DIR": str(TEST_DATA_DIR),
            "PEERMAP_NEO4J_BOLT_PORT": str(TEST_BOLT_PORT),
            "PEERMAP_PORT": str(port),
            "PEERMAP_DEMO_MEMBERS": "20",
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "peermap.server.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        base = f"http://127.0.0.1:{port}"
        query = {"query": "{ viewer { name } people(first: 1) { totalCount } campaigns { totalCount } }"}
        data = httpx.post(f"{base}/graphql", json=query).json()["data"]
        assert data["viewer"] is None and data["people"]["totalCount"] == 0, "signed out: campaigns only"
        assert data["campaigns"]["totalCount"] == 6, "one at each stage of a campaign's life"

        # Sign in as the demo coordinator, as a browser would, with the password serve wrote down.
        password = re.search(r"password: (\S+)", (TEST_DATA_DIR / "demo-accounts.txt").read_text()).group(1)
        with httpx.Client(base_url=base) as browser:
            form = browser.get("/signin").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
            signed_in = browser.post(
                "/signin", data={"email": "coordinator@demo.peermap.invalid", "password": password, "csrf": csrf}
            )
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
            data = browser.post("/graphql", json=query, headers={"origin": base}).json()["data"]
        assert data["viewer"]["name"] and data["people"]["totalCount"] > 20
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Seeded" in output and "coordinator@demo.peermap.invalid" in output
    assert f"GraphQL  http://127.0.0.1:{port}/graphql" in output


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(graph: Graph, cli_env: dict[str, str]) -> None:
    """The per-address sign-in limit (20 failures in 15 minutes) holds whatever X-Forwarded-For says."""
    with peermap_serving(cli_env) as base, httpx.Client(base_url=f"http://{base}") as browser:
        csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/signin").text).group(1)
        statuses = [
            browser.post(
                "/signin",
                data={"email": f"nobody{n}@example.org", "password": "wrong password", "csrf": csrf},
                headers={"x-forwarded-for": f"203.0.113.{n}"},
            ).status_code
            for n in range(21)
        ]
    assert statuses == [401] * 20 + [429], statuses
