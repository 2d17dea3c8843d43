"""Throughput under concurrency: wrk (Debian's load generator) on loopback, bounded in time,
at 1, 8 and 32 connections, against Peermap for a simple query and for findPeers, and against
a bare Starlette endpoint on the same uvicorn (the most this stack could do); Peermap's memory
sampled while it runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from peermap.schema.ids import global_id

from . import servers
from .api import viewer_token
from .graphs import BenchGraph
from .queries import Subjects

CONNECTIONS = (1, 8, 32)
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def available() -> bool:
    return shutil.which("wrk") is not None


def _script(body: dict[str, Any], token: str | None) -> Path:
    lines = [
        'wrk.method = "POST"',
        f"wrk.body = {json.dumps(json.dumps(body))}",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text("\n".join(lines) + "\n")
    return script


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return round(float(number) * _UNITS[unit], 2)


def _wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "failed": int(errors.group(1)) if errors else 0,
    }


class _PeakMemory:
    """The largest resident set of a process while the block runs (sampled every 0.2 s)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self._stop = pid, 0.0, threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            status = Path(f"/proc/{self.pid}/status").read_text()
            resident = re.search(r"VmRSS:\s+(\d+)", status)
            if resident:
                self.peak_mb = max(self.peak_mb, int(resident.group(1)) / 1024)
            time.sleep(0.2)

    def __enter__(self) -> _PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


async def throughput(graph: BenchGraph, *, seconds: int) -> list[dict[str, Any]]:
    subjects = Subjects.of(graph.dataset)
    token = await viewer_token(graph.db, subjects.member)
    bodies = {
        "simple (a person's name)": {
            "query": "query($id: ID!) { node(id: $id) { ... on Person { name } } }",
            "variables": {"id": global_id("Person", subjects.member)},
        },
        "findPeers (cooking, from home)": {
            "query": "query($s: ID!) { findPeers(skills: [$s], first: 10) { score person { name } } }",
            "variables": {"s": global_id("Skill", subjects.skill)},
        },
    }
    rows = []
    with servers.peermap(graph.uri, graph.password) as (base, pid):
        for name, body in bodies.items():
            script = _script(body, token)
            try:
                for connections in CONNECTIONS:
                    with _PeakMemory(pid) as memory:
                        figures = _wrk(f"{base}/graphql", script, connections, seconds)
                    rows.append(
                        {
                            "target": f"Peermap: {name}",
                            "members": graph.members,
                            "connections": connections,
                            **figures,
                            "server_peak_mb": round(memory.peak_mb),
                        }
                    )
            finally:
                script.unlink()  # it holds a live token
    with servers.bare_starlette() as (base, pid):
        script = _script({"query": "{ ok }"}, None)
        try:
            for connections in CONNECTIONS:
                with _PeakMemory(pid) as memory:
                    figures = _wrk(f"{base}/graphql", script, connections, seconds)
                rows.append(
                    {
                        "target": "bare Starlette endpoint (ceiling)",
                        "members": None,
                        "connections": connections,
                        **figures,
                        "server_peak_mb": round(memory.peak_mb),
                    }
                )
        finally:
            script.unlink()
    return rows
