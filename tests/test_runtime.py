"""Peermap's own Neo4j: constraints at start-up, the db command's lifecycle, readiness."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.queries.database import SCHEMA_VERSION
from peermap.graph.runtime import RuntimeProblem
from peermap.server.app import create_app
from peermap.server.settings import Settings, load_settings

from conftest import TEST_BOLT_PORT, local_test_neo4j


async def test_constraints_and_indexes_exist_after_start_up(graph: Graph, settings: Settings) -> None:
    await graph.apply_constraints()  # a second time changes nothing
    records, _, _ = await graph.driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties", database_=settings.neo4j_database
    )
    constraints = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records if r["type"] == "UNIQUENESS"}
    assert {
        ("Person", "id"),
        ("Skill", "id"),
        ("Skill", "name"),
        ("Network", "id"),
        ("Neighbourhood", "id"),
        ("Campaign", "id"),
    } <= constraints
    records, _, _ = await graph.driver.execute_query(
        "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties", database_=settings.neo4j_database
    )
    indexes = {(r["type"], tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ())) for r in records}
    assert ("POINT", ("Person",), ("location",)) in indexes
    assert ("FULLTEXT", ("Person",), ("name", "bio")) in indexes
    assert ("FULLTEXT", ("Skill",), ("name",)) in indexes
    assert all(r["state"] == "ONLINE" for r in records)
    assert await graph.schema_version() == SCHEMA_VERSION


def _peermap(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peermap.server.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def _ready_within(client: TestClient, status: int, seconds: float = 30.0) -> bool:
    """/ready is polled, as an orchestrator would: it settles on the status within a few seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/ready").status_code == status:
            return True
        time.sleep(0.5)
    return False


def test_db_start_stop_status_and_readiness(tmp_path: Path) -> None:
    """A Neo4j of its own: start, a second start, /ready when it stops and when it is back."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update(
        {
            "PEERMAP_DATA_DIR": str(tmp_path / "data"),
            "PEERMAP_NEO4J_BOLT_PORT": str(TEST_BOLT_PORT + 2),
            "PEERMAP_NEO4J_HEAP": "512m",
            "PEERMAP_NEO4J_PAGE_CACHE": "64m",
        }
    )
    settings = load_settings(env, env_file=None)
    try:
        assert _peermap(env, "db", "status").returncode == 3
        started = _peermap(env, "db", "start")
        assert started.returncode == 0, started.stderr
        assert "Neo4j is up" in started.stderr
        password_file = tmp_path / "data" / "neo4j" / "password"
        assert oct(password_file.stat().st_mode & 0o777) == "0o600"
        again = _peermap(env, "db", "start")
        assert again.returncode == 0 and "already running" in again.stderr

        status = _peermap(env, "db", "status")
        assert status.returncode == 0 and "answering" in status.stdout

        with TestClient(create_app(settings)) as client:
            assert _ready_within(client, 200)
            assert _peermap(env, "db", "stop").returncode == 0
            assert _ready_within(client, 503)
            assert client.get("/ready").json()["neo4j"] == "down"
            assert client.get("/health").status_code == 200
            assert _peermap(env, "db", "start").returncode == 0
            assert _ready_within(client, 200), "ready again by itself once Neo4j is back"
    finally:
        _peermap(env, "db", "stop")
    assert _peermap(env, "db", "status").returncode == 3


def test_a_start_that_does_not_answer_in_time_fails_with_the_log(tmp_path: Path) -> None:
    runtime = local_test_neo4j(tmp_path / "data", TEST_BOLT_PORT + 4)
    with pytest.raises(RuntimeProblem) as problem:
        # A password that looks like an option must still be set (it once was taken for one).
        runtime.start(password="-looks-like-an-option", timeout=0.5, say=lambda message: None)
    assert f"Bolt port {TEST_BOLT_PORT + 4} did not answer within" in str(problem.value)
    assert "The end of its log" in str(problem.value)
    assert runtime.pid() is None, "the half-started server is not left behind"


def test_missing_java_names_the_three_ways_forward(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update(
        {
            "PATH": str(tmp_path),
            "PEERMAP_DATA_DIR": str(tmp_path / "data"),
            "PEERMAP_NEO4J_BOLT_PORT": str(TEST_BOLT_PORT + 3),
        }
    )
    result = _peermap(env, "db", "start")
    assert result.returncode == 2
    assert "java and mvn could not be found" in result.stderr
    for way in ("install them", "NEO4J_URI", "docker compose up"):
        assert way in result.stderr


def test_with_neo4j_uri_set_peermap_starts_no_neo4j_of_its_own(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "NEO4J_URI": "neo4j://127.0.0.1:1",
        "NEO4J_PASSWORD": "not-a-real-one",
        "PEERMAP_DATA_DIR": str(tmp_path / "data"),
    }
    result = _peermap(env, "db", "start")
    assert result.returncode == 2 and "runs none of its own" in result.stdout
    failed = _peermap(env, "seed", "--demo")
    assert failed.returncode == 2 and "did not answer" in failed.stderr
    assert not (tmp_path / "data").exists()


async def test_routing_uris_work_against_a_single_server(settings: Settings) -> None:
    """neo4j:// is how Peermap talks to a cluster; a single server answers it too."""
    from peermap.graph.database import open_driver

    uri = (settings.neo4j_uri or "").replace("bolt://", "neo4j://")
    driver = open_driver(uri, user=settings.neo4j_user, password=settings.neo4j_password or "")
    try:
        assert await Graph(driver=driver, database=settings.neo4j_database).ping()
    finally:
        await driver.close()
