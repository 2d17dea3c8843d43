"""The benchmark suite's smoke run (tiny graph, a few runs): it keeps working. Nothing here is
about speed; the figures come from `python -m bench` (README, "Benchmarks")."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from conftest import REPO

QUERIES = 7


def test_the_benchmarks_run_and_report_every_measure(tmp_path: Path) -> None:
    # Its own data folder and a free port: a benchmark graph of the developer's may be running.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp_path), "PEERMAP_BENCH_DATA": str(tmp_path / "data"),
           "PEERMAP_BENCH_BOLT_PORT": str(port)}
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["run"]["machine"]["cores"] and results["run"]["versions"]["neo4j"].startswith("5.26")
    rows = results["api"]
    assert len(rows) == QUERIES
    for row in rows:
        assert row["round_trips"] >= 1 and row["peermap_db_hits"] > 0 and row["floor_db_hits"] > 0, row
        assert row["peermap_median_ms"] > 0 and row["floor_median_ms"] > 0 and row["runs"] == 3, row
    node = shutil.which("node") is not None and shutil.which("npm") is not None
    shared = [row for row in rows if "neo4j_graphql_median_ms" in row]
    assert len(shared) == (3 if node else 0), "@neo4j/graphql answers the shared queries when node is there"
    assert all(row["neo4j_graphql_db_hits"] > 0 for row in shared)
    assert results["maps"] and results["maps"][0]["people"] > 0 and results["maps"][0]["html_mb"] > 0
    imported = results["imports"][0]
    assert imported["people"] >= 200 and imported["ties"] > 0 and imported["people_per_s"] > 0
    if shutil.which("wrk"):
        assert {row["connections"] for row in results["load"]} == {1, 8, 32}
        assert all(row["failed"] == 0 for row in results["load"])
        assert all(row["requests_per_s"] > 0 for row in results["load"] if row["connections"] == 1)
    report = (tmp_path / "latest.md").read_text()
    assert "## Goals" in report and "@neo4j/graphql" in report
