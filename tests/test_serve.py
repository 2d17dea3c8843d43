"""`peermap serve`, as the README runs it: the local Neo4j, the demo community, the URLs."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx2 as httpx
import pytest
from neo4j import AsyncDriver

from conftest import TEST_BOLT_PORT, TEST_DATA_DIR, free_port


@pytest.mark.skipif("NEO4J_URI" in os.environ, reason="serve's own-Neo4j path needs the local test server")
async def test_serve_seeds_an_empty_graph_and_answers(graph: AsyncDriver) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update({"PEERMAP_DATA_DIR": str(TEST_DATA_DIR), "PEERMAP_NEO4J_BOLT_PORT": str(TEST_BOLT_PORT),
                "PEERMAP_PORT": str(port), "PEERMAP_DEMO_MEMBERS": "20"})
    server = subprocess.Popen([sys.executable, "-m", "peermap.server.cli", "serve"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        response = httpx.post(f"http://127.0.0.1:{port}/graphql",
                              json={"query": "{ people(first: 1) { totalCount } campaigns { totalCount } }"})
        data = response.json()["data"]
        assert data["people"]["totalCount"] > 20 and data["campaigns"]["totalCount"] == 3
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Seeded" in output
    assert f"GraphQL  http://127.0.0.1:{port}/graphql" in output
