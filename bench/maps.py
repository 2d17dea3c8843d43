"""Map building at scale: the network map as the city-wide coordinator sees it (everyone at
their ~400 m cell, every tie), read through graph/ and rendered by maps/, timed apart."""

from __future__ import annotations

import statistics
import time
from typing import Any

from peermap.graph.model import Viewer
from peermap.maps import network

from .graphs import CITY_COORDINATOR, DATABASE, BenchGraph


async def network_map(graph: BenchGraph, *, repeats: int = 3) -> dict[str, Any]:
    reads, renders, size, found = [], [], 0, None
    for _ in range(repeats):
        started = time.perf_counter()
        found = await network.network_map_data(graph.driver, Viewer(CITY_COORDINATOR), database=DATABASE)
        read_done = time.perf_counter()
        html = network.render(found, assets="/maps/assets", tiles=None)
        reads.append(read_done - started)
        renders.append(time.perf_counter() - read_done)
        size = len(html.encode())
    assert found is not None
    return {"members": graph.members, "people": len(found.people), "ties": len(found.ties),
            "truncated": found.truncated, "read_s": statistics.median(reads),
            "render_s": statistics.median(renders), "html_mb": size / 1e6}
