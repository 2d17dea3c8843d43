"""The run's report: bench/results/latest.json (everything) and latest.md (tables, and each goal
met or missed by how much), with the machine, versions and date."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from graphql import parse

from peermap.graph.runtime import NEO4J_VERSION

RESULTS = Path(__file__).resolve().parent / "results"
NODE = Path(__file__).resolve().parent / "node"


def machine() -> dict[str, Any]:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return {
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "os": platform.platform(),
    }


def _command_version(*command: str) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else None


def versions() -> dict[str, Any]:
    lock = NODE / "package-lock.json"
    node_packages = json.loads(lock.read_text())["packages"] if lock.exists() else {}
    return {
        "python": platform.python_version(),
        "neo4j": f"{NEO4J_VERSION} Community",
        "neo4j Python driver": version("neo4j"),
        **{name: version(name) for name in ("strawberry-graphql", "starlette", "uvicorn", "folium")},
        "node": _command_version("node", "--version"),
        "wrk": " ".join((_command_version("wrk", "--version") or "").split()[:2]) or None,
        "@neo4j/graphql": node_packages.get("node_modules/@neo4j/graphql", {}).get("version"),
        "graphql-yoga": node_packages.get("node_modules/graphql-yoga", {}).get("version"),
    }


def document_depth(document: str) -> int:
    """How deep the GraphQL document's selections nest: the bound on round trips (one per level)."""

    def depth(node: Any) -> int:
        selections = getattr(getattr(node, "selection_set", None), "selections", None) or []
        return 1 + max((depth(s) for s in selections), default=0) if selections else 0

    return max(depth(d) for d in parse(document).definitions)


SIGN_IN_CHECK = 1  # every request's token check, counted in cypherQueries
# Issue 16's goals for the analyses at the largest size: median ms (findPeers: p95 < 150 ms too).
ANALYSIS_GOALS = {"findPeers": 50, "introductions": 100, "campaignPlan": 300, "networkHealth": 300}


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of the issue, met or not, and by how much."""
    found = []
    for row in results["api"]:
        ratio = row["peermap_vs_floor"]
        found.append(
            {
                "goal": f"within 1.5x of the floor: {row['query']} ({row['members']:,})",
                "met": ratio <= 1.5,
                "figure": f"{ratio}x",
                "by": None if ratio <= 1.5 else f"{ratio / 1.5:.1f}x over",
            }
        )
        if "peermap_vs_neo4j_graphql" in row:
            faster, fewer = row["peermap_vs_neo4j_graphql"] < 1, row["peermap_db_hits"] <= row["neo4j_graphql_db_hits"]
            found.append(
                {
                    "goal": f"faster than @neo4j/graphql, no more db hits: {row['query']} ({row['members']:,})",
                    "met": faster and fewer,
                    "figure": f"{row['peermap_vs_neo4j_graphql']}x the time, {row['peermap_db_hits']:,} "
                    f"against {row['neo4j_graphql_db_hits']:,} db hits",
                    "by": None
                    if faster and fewer
                    else ", ".join(
                        ([f"{row['peermap_vs_neo4j_graphql']:.2f}x slower"] if not faster else [])
                        + (
                            [f"{row['peermap_db_hits'] / max(1, row['neo4j_graphql_db_hits']):.1f}x the hits"]
                            if not fewer
                            else []
                        )
                    ),
                }
            )
        trips = row["round_trips"] - SIGN_IN_CHECK
        found.append(
            {
                "goal": f"one Cypher query for its root field, the sign-in check aside: {row['query']} "
                f"({row['members']:,})",
                "met": trips <= 1,
                "figure": f"{trips} (depth {row['depth']})",
                "by": None if trips <= 1 else f"{trips - 1} more",
            }
        )
    largest = max((r["members"] for r in results["api"]), default=0)
    for row in results["api"]:
        for start, limit in ANALYSIS_GOALS.items():
            if row["query"].startswith(start) and row["members"] == largest:
                median, p95 = row["peermap_median_ms"], row["peermap_p95_ms"]
                met = median < limit and (start != "findPeers" or p95 < 150)
                found.append(
                    {
                        "goal": f"{row['query']} at {largest:,} members: median < {limit} ms"
                        + (", p95 < 150 ms" if start == "findPeers" else ""),
                        "met": met,
                        "figure": f"median {median} ms, p95 {p95} ms",
                        "by": None if met else f"median {median / limit:.1f}x the goal",
                    }
                )
    for row in results["maps"]:
        if 5_000 <= row["people"] <= 15_000:
            met = row["built_s"] < 2 and row["html_mb"] < 10
            found.append(
                {
                    "goal": f"network map of {row['people']:,} people: built < 2 s, HTML < 10 MB",
                    "met": met,
                    "figure": f"{row['built_s']} s, {row['html_mb']} MB",
                    "by": None if met else f"{row['built_s'] / 2:.1f}x the time",
                }
            )
    for row in results.get("pages", []):
        met = row["p95_ms"] < 150 and row["html_kb"] < 100
        found.append(
            {
                "goal": f"page {row['page']} ({row['members']:,}): p95 < 150 ms, HTML < 100 kB",
                "met": met,
                "figure": f"p95 {row['p95_ms']} ms, {row['html_kb']} kB",
                "by": None if met else f"{max(row['p95_ms'] / 150, row['html_kb'] / 100):.1f}x the goal",
            }
        )
    return found


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    head = "| " + " | ".join(title for title, _ in columns) + " |\n|" + " --- |" * len(columns) + "\n"

    def cell(value: Any) -> str:
        if value is None:
            return ""
        return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)

    return head + "".join("| " + " | ".join(cell(row.get(key)) for _, key in columns) + " |\n" for row in rows)


def write(results: dict[str, Any], folder: Path = RESULTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    results["goals"] = goals(results)
    (folder / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    run = results["run"]
    text = [
        f"# Peermap benchmarks\n\nRun {run['date']} on {run['machine']['cpu']}, {run['machine']['cores']} cores, "
        f"{run['machine']['memory_gb']} GB ({run['machine']['os']}); a shared machine: compare the ratios, which "
        f"were measured side by side in one run, more than the times. {run['iterations']} runs of each query "
        f"after 2 to warm up. Versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items() if v) + ".\n",
        "## Goals\n",
        _table(
            [{**g, "met": "met" if g["met"] else "missed"} for g in results["goals"]],
            [("goal", "goal"), ("", "met"), ("measured", "figure"), ("missed by", "by")],
        ),
        "\n## Peermap against the floor and @neo4j/graphql\n\nMedians and p95 in ms over HTTP on loopback (the "
        "floor through the Python driver). Floor: one hand-written Cypher query with the same answer, or for "
        "the analyses the Cypher Peermap itself sends, replayed back to back (their ranking and graph "
        "measures run in Python). Database hits from PROFILE.\n",
        _table(
            results["api"],
            [
                ("query", "query"),
                ("members", "members"),
                ("Peermap", "peermap_median_ms"),
                ("p95", "peermap_p95_ms"),
                ("floor", "floor_median_ms"),
                ("floor is", "floor_kind"),
                ("x floor", "peermap_vs_floor"),
                ("@neo4j/graphql", "neo4j_graphql_median_ms"),
                ("x theirs", "peermap_vs_neo4j_graphql"),
                ("round trips", "round_trips"),
                ("depth", "depth"),
                ("their trips", "neo4j_graphql_round_trips"),
                ("db hits", "peermap_db_hits"),
                ("floor hits", "floor_db_hits"),
                ("their hits", "neo4j_graphql_db_hits"),
            ],
        ),
        *(
            f"\nWhere the slowest read's time goes ({row['query']}, {row['members']:,} members, sampled by py-spy "
            f"while it was asked back to back): [{row['flame_graph']}]({row['flame_graph']}).\n"
            for row in results["api"]
            if row.get("flame_graph")
        ),
        "\n## Throughput under concurrency (wrk, loopback)\n",
        _table(
            results["load"],
            [
                ("target", "target"),
                ("members", "members"),
                ("connections", "connections"),
                ("requests/s", "requests_per_s"),
                ("p50 ms", "p50_ms"),
                ("p99 ms", "p99_ms"),
                ("failed", "failed"),
                ("server peak MB", "server_peak_mb"),
            ],
        ),
        "\n## Network map (as a coordinator working with every network)\n",
        _table(
            results["maps"],
            [
                ("members", "members"),
                ("people drawn", "people"),
                ("ties", "ties"),
                ("read s", "read_s"),
                ("render s", "render_s"),
                ("built s", "built_s"),
                ("HTML MB", "html_mb"),
            ],
        ),
        "\n## Pages (server time over loopback, as the person each is for)\n",
        _table(
            results.get("pages", []),
            [
                ("page", "page"),
                ("members", "members"),
                ("median ms", "median_ms"),
                ("p95 ms", "p95_ms"),
                ("HTML kB", "html_kb"),
            ],
        ),
        "\n## Import (one transaction, into an empty graph)\n",
        _table(
            results["imports"],
            [
                ("members", "members"),
                ("people", "people"),
                ("ties", "ties"),
                ("rows", "rows"),
                ("seconds", "seconds"),
                ("people/s", "people_per_s"),
                ("ties/s", "ties_per_s"),
                ("rows/s", "rows_per_s"),
            ],
        ),
    ]
    (folder / "latest.md").write_text("\n".join(text))
    return folder / "latest.md"


def run_info(iterations: int) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "iterations": iterations,
    }
