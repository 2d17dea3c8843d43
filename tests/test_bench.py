"""The benchmark suite's smoke run (tiny graph, a few runs): it keeps working. Nothing here is
about speed; the figures come from `python -m bench` (README, "Benchmarks"). The run lends the
benchmarks the test Neo4j (emptied and seeded, as every test may), then each test reads its part
of the report; what needs wrk or node says so as a skip, never silently."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

from conftest import REPO

QUERIES = 8
HAVE_NODE = shutil.which("node") is not None and shutil.which("npm") is not None


@pytest.fixture(scope="module")
def report(neo4j_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    uri, password = neo4j_server
    out = tmp_path_factory.mktemp("bench")
    env = {
        **os.environ,
        "TMPDIR": str(out),
        "PEERMAP_BENCH_DATA": str(out / "data"),
        "PEERMAP_BENCH_NEO4J_URI": uri,
        "PEERMAP_BENCH_NEO4J_PASSWORD": password,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {
        "results": json.loads((out / "latest.json").read_text()),
        "markdown": (out / "latest.md").read_text(),
        "folder": out,
    }


def test_every_query_is_measured_against_its_floor(report: dict[str, Any]) -> None:
    results = report["results"]
    assert results["run"]["machine"]["cores"] and results["run"]["versions"]["neo4j"].startswith("5.26")
    rows = results["api"]
    assert len(rows) == QUERIES
    for row in rows:
        assert row["round_trips"] >= 1 and row["peermap_db_hits"] > 0 and row["floor_db_hits"] > 0, row
        assert row["peermap_median_ms"] > 0 and row["floor_median_ms"] > 0 and row["runs"] == 3, row
    assert "## Goals" in report["markdown"]


def test_the_slowest_read_has_a_flame_graph(report: dict[str, Any]) -> None:
    """py-spy sampled the server while it answered the slowest read: the SVG shows requests executing."""
    sampled = [row for row in report["results"]["api"] if row.get("flame_graph")]
    assert len(sampled) == 1 and not sampled[0]["write"]
    slowest = max((row for row in report["results"]["api"] if not row["write"]), key=lambda r: r["peermap_median_ms"])
    assert sampled[0]["query"] == slowest["query"]
    svg = (report["folder"] / sampled[0]["flame_graph"]).read_text()
    assert svg.lstrip().startswith("<?xml") and "graphql/execution" in svg and "samples" in svg
    assert "flame.svg" in report["markdown"]


def test_every_page_is_timed_with_its_size(report: dict[str, Any]) -> None:
    rows = report["results"]["pages"]
    assert {row["page"] for row in rows} >= {"home", "find someone: cooking, 20 minutes", "about me", "a campaign"}
    for row in rows:
        assert 0 < row["median_ms"] <= row["p95_ms"] and row["html_kb"] > 1, row
    assert "## Pages" in report["markdown"] and any(g["goal"].startswith("page ") for g in report["results"]["goals"])


@pytest.mark.skipif(not HAVE_NODE, reason="@neo4j/graphql needs node and npm (.ci/run installs them)")
def test_the_shared_queries_are_measured_against_neo4j_graphql(report: dict[str, Any]) -> None:
    shared = [row for row in report["results"]["api"] if "neo4j_graphql_median_ms" in row]
    assert len(shared) == 3 and all(row["neo4j_graphql_db_hits"] > 0 for row in shared)
    assert "@neo4j/graphql" in report["markdown"]


def test_the_map_and_the_import_are_measured(report: dict[str, Any]) -> None:
    results = report["results"]
    assert results["maps"] and results["maps"][0]["people"] > 0 and results["maps"][0]["html_mb"] > 0
    imported = results["imports"][0]
    assert imported["people"] >= 200 and imported["ties"] > 0 and imported["people_per_s"] > 0


@pytest.mark.skipif(shutil.which("wrk") is None, reason="the load test needs wrk (.ci/run installs it)")
def test_the_load_test_runs_at_each_concurrency_without_failures(report: dict[str, Any]) -> None:
    load = report["results"]["load"]
    assert {row["connections"] for row in load} == {1, 8, 32}
    assert all(row["failed"] == 0 for row in load)
    assert all(row["requests_per_s"] > 0 for row in load if row["connections"] == 1)
