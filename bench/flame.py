"""A flame graph of Peermap's server answering one request over and over (py-spy, sampling the
running process from outside: nothing in the server changes to be measured)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx2 as httpx


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


async def flame_graph(
    client: httpx.AsyncClient,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    pid: int,
    out: Path,
    *,
    seconds: int = 10,
) -> Path | None:
    """Samples the server (pid) for `seconds` while the request is asked back to back; the SVG
    goes to `out`. None when py-spy is missing or may not attach (it needs ptrace)."""
    py_spy = _py_spy()
    if py_spy is None:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    sampling = await asyncio.create_subprocess_exec(
        py_spy,
        *("record", "--pid", str(pid), "--output", str(out), "--format", "flamegraph"),
        *("--duration", str(seconds), "--rate", "250", "--nonblocking"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    while sampling.returncode is None:
        (await client.post(f"{url}/graphql", json=body, headers=headers)).raise_for_status()
        await asyncio.sleep(0)
    _, problem = await sampling.communicate()
    if sampling.returncode != 0 or not out.exists():
        print(f"py-spy could not sample the server: {problem.decode(errors='replace')[-300:]}", file=sys.stderr)
        return None
    return out
