"""The servers the benchmarks talk to over HTTP on loopback: Peermap itself (`peermap serve` on
the bench graph), a bare Starlette endpoint on the same uvicorn (the ceiling of the stack), and
the official Neo4j GraphQL Library on Node (installed with npm ci from bench/node's lock)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx  # the test extra's HTTP client (Starlette's test client uses it too)

NODE = Path(__file__).resolve().parent / "node"
BARE = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def answer(request):
    await request.body()
    return JSONResponse({"data": {"ok": True}})

app = Starlette(routes=[Route("/graphql", answer, methods=["POST"])])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped (exit {process.returncode})")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def _running(name: str, command: list[str], env: dict[str, str], probe: str, cwd: Path | None = None) -> Iterator[int]:
    """Run a server until the block ends, its output in $TMPDIR/peermap-bench-NAME.log."""
    with (Path(os.environ.get("TMPDIR", "/tmp")) / f"peermap-bench-{name}.log").open("wb") as log:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
        try:
            _wait(probe, process)
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def peermap(uri: str, password: str) -> Iterator[tuple[str, int]]:
    """Peermap's app on the bench graph: (base URL, pid). Budgets raised: the load test spends a lot."""
    port = free_port()
    env = {
        "NEO4J_URI": uri,
        "NEO4J_PASSWORD": password,
        "NEO4J_USER": "neo4j",
        "PEERMAP_MAX_QUERY_COST": "1000000",
        "PEERMAP_COST_BUDGET": "1000000000",
        "PEERMAP_SECRET_KEY": "bench-" + "x" * 40,
    }
    command = [sys.executable, "-m", "peermap.server.cli", "serve", "--no-demo", "--port", str(port)]
    with _running("peermap", command, env, f"http://127.0.0.1:{port}/health") as pid:
        yield f"http://127.0.0.1:{port}", pid


@contextmanager
def bare_starlette() -> Iterator[tuple[str, int]]:
    port = free_port()
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "peermap-bench-bare"
    folder.mkdir(exist_ok=True)
    (folder / "bare_app.py").write_text(BARE)
    command = [sys.executable, "-m", "uvicorn", "--port", str(port), "--log-level", "warning", "bare_app:app"]
    with _running(
        "bare-starlette", command, {"PYTHONPATH": str(folder)}, f"http://127.0.0.1:{port}/graphql", cwd=folder
    ) as pid:
        yield f"http://127.0.0.1:{port}", pid


def install_node() -> bool:
    """npm ci in bench/node (the lock's exact versions); False when node or npm is missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not (NODE / "node_modules" / "@neo4j" / "graphql").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=NODE, check=True)
    return True


@contextmanager
def neo4j_graphql(uri: str, password: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    with _running(
        "neo4j-graphql",
        ["node", str(NODE / "server.mjs"), str(port)],
        {"NEO4J_URI": uri, "NEO4J_PASSWORD": password, "NEO4J_USER": "neo4j"},
        f"http://127.0.0.1:{port}/recorded",
    ) as pid:
        yield f"http://127.0.0.1:{port}", pid
