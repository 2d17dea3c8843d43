"""Every test talks to a real Neo4j: the test server Peermap starts itself, or NEO4J_URI's.

The test server has its own port and data folder (.peermap-test), so it never touches the
development database. Each test that uses `graph` starts from an empty graph.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from peermap.graph import accounts
from peermap.graph.database import Graph, open_driver
from peermap.graph.demo import demo_community
from peermap.graph.errors import Invalid
from peermap.graph.model import Dataset, Viewer
from peermap.graph.runtime import LocalNeo4j
from peermap.graph.store import write_dataset
from peermap.schema.compiled import MISMATCHES
from peermap.server.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
TEST_DATA_DIR = REPO / ".peermap-test"
# Every query the tests ask of a compiled root field is answered both ways and the answers compared
# byte for byte (schema/compiled.py); PEERMAP_READS=compiled or resolvers tries one path alone.
os.environ.setdefault("PEERMAP_READS", "compared")

TEST_BOLT_PORT = int(os.environ.get("PEERMAP_TEST_BOLT_PORT", "7688"))


def local_test_neo4j(data_dir: Path = TEST_DATA_DIR, bolt_port: int = TEST_BOLT_PORT) -> LocalNeo4j:
    return LocalNeo4j(
        data_dir=data_dir,
        cache_dir=Path(os.environ.get("PEERMAP_CACHE_DIR", "~/.cache/peermap")).expanduser(),
        bolt_port=bolt_port,
        heap="1g",
        page_cache="256m",
    )


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[tuple[str, str]]:
    """(uri, password) of the Neo4j the tests may wipe."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        if os.environ.get("PEERMAP_TESTS_MAY_WIPE") != "yes":
            pytest.exit(
                "NEO4J_URI is set: the tests delete everything in that database. "
                "Set PEERMAP_TESTS_MAY_WIPE=yes if that is what you want.",
                returncode=2,
            )
        yield uri, os.environ.get("NEO4J_PASSWORD", "")
        return
    runtime = local_test_neo4j()
    was_running = runtime.is_running()
    password = runtime.start(say=lambda message: print(message))
    yield runtime.uri, password
    if not was_running:
        runtime.stop(say=lambda message: None)


@pytest.fixture(scope="session")
def settings(neo4j_server: tuple[str, str]) -> Settings:
    uri, password = neo4j_server
    return load_settings(
        {
            "NEO4J_URI": uri,
            "NEO4J_PASSWORD": password,
            "NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
            "NEO4J_DATABASE": os.environ.get("NEO4J_DATABASE", "neo4j"),
            "PEERMAP_READS": os.environ["PEERMAP_READS"],
        },
        env_file=None,
    )


@pytest.fixture(scope="session")
async def test_graph(settings: Settings) -> AsyncIterator[Graph]:
    driver = open_driver(settings.neo4j_uri or "", user=settings.neo4j_user, password=settings.neo4j_password or "")
    graph = Graph(driver=driver, database=settings.neo4j_database)
    await graph.apply_constraints()
    yield graph
    await driver.close()


@pytest.fixture
async def graph(test_graph: Graph) -> Graph:
    """The test Neo4j's graph, emptied (constraints and indexes kept)."""
    await test_graph.delete_all()
    return test_graph


@pytest.fixture
async def demo_ten(graph: Graph, settings: Settings) -> Dataset:
    """The demo community of ten members (seed 1), written into an empty graph."""
    data = demo_community(10, seed=1)
    await write_dataset(graph, data)
    return data


@pytest.fixture
async def demo_city(graph: Graph, settings: Settings) -> Dataset:
    """The 200-member demo community (seed 1), written into an empty graph: enough for maps."""
    data = demo_community(200, seed=1)
    await write_dataset(graph, data)
    return data


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the `peermap` command against the test Neo4j."""
    return {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri or "",
        "NEO4J_PASSWORD": settings.neo4j_password or "",
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_DATABASE": settings.neo4j_database,
    }


TEST_PASSWORD = "correct horse battery staple"


def account_email(person_id: str) -> str:
    return f"{person_id.lower()}@test.peermap.invalid"


# The Cypher statements a request signed in with a used token sends before GraphQL runs (the
# token's check), counted in extensions.cypherQueries like every other.
TOKEN_CHECK = 1


async def api_token(graph: Graph, person_id: str) -> str:
    """A new API token of this person's, making them an account (account_email, TEST_PASSWORD) if they have none.
    Used once here, so that requests with it send only the token's check (TOKEN_CHECK), not its first-use mark."""
    with suppress(Invalid):  # they have one already
        await accounts.create_account(graph, person_id, account_email(person_id), TEST_PASSWORD)
    token = (await accounts.create_token(graph.seen_by(Viewer(person_id)), "tests"))[1]
    assert await accounts.person_for_token(graph, token) is not None
    return token


def sign_in_as(client: TestClient, person_id: str | None) -> TestClient:
    """From now on the client asks as this person, with an API token of theirs (None: signed out).

    Runs on the app's own event loop and graph, so it works from plain synchronous tests.
    """
    client.headers.pop("authorization", None)
    if person_id is not None:
        token = client.portal.call(partial(api_token, client.app_state["graph"], person_id))
        client.headers["authorization"] = f"Bearer {token}"
    return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def peermap_serving(env: dict[str, str]) -> Iterator[str]:
    """`peermap serve` in its own process on a free port, until it answers /ready; yields host:port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "peermap.server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"http://{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def only_this_server(target: Any, base: str) -> list[str]:
    """Refuse every request a browser page or context makes outside `base` (host:port): pages must
    work offline. Returns the list the refused addresses are added to, for the test to check."""
    elsewhere: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(f"http://{base}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    target.route("**/*", only_here)
    return elsewhere


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Any answer of the compiled path that differed from the resolvers' fails the run, even where
    a test only looked at part of it."""
    if MISMATCHES:
        print("\nThe compiled path and the resolvers answered differently:\n" + "\n".join(MISMATCHES[:20]))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
