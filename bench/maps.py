"""Map building at scale: the network map as the city-wide coordinator sees it (everyone at
their ~400 m cell, every tie), read through graph/ and rendered by maps/, timed apart; with
the HTML's size."""

from __future__ import annotations

import statistics
import time
from typing import Any

from peermap.graph.model import BoundingBox, Viewer
from peermap.maps import network

from .graphs import CITY_COORDINATOR, BenchGraph


def western_part(graph: BenchGraph, people: int) -> BoundingBox:
    """A box over the west of the city holding about this many homes (ties are local, so most
    of theirs stay inside): how a map of a part of a big city is asked for."""
    longitudes = sorted(p.home.longitude for p in graph.dataset.people if p.home is not None)
    edge = longitudes[min(len(longitudes) - 1, people)]
    return BoundingBox(west=-180.0, south=-90.0, east=edge, north=90.0)


async def network_map(graph: BenchGraph, *, people: int, repeats: int = 3) -> dict[str, Any]:
    """The map of about this many people: the whole graph when it holds no more than a fifth
    again as many, else the western part of the city holding them."""
    everyone = len(graph.dataset.people)
    within = western_part(graph, people) if people * 1.2 < everyone else None
    people = people if within is not None else everyone + 1
    reads, renders, size, found = [], [], 0, None
    for _ in range(repeats):
        started = time.perf_counter()
        found = await network.network_map_data(graph.db.seen_by(Viewer(CITY_COORDINATOR)), within=within, limit=people)
        read_done = time.perf_counter()
        html = network.render(found, assets="/maps/assets", tiles=None)
        reads.append(read_done - started)
        renders.append(time.perf_counter() - read_done)
        size = len(html.encode())
    assert found is not None
    read_s, render_s = statistics.median(reads), statistics.median(renders)
    return {
        "members": graph.members,
        "asked": people,
        "people": len(found.people),
        "ties": len(found.ties),
        "read_s": round(read_s, 2),
        "render_s": round(render_s, 2),
        "built_s": round(read_s + render_s, 2),
        "html_mb": round(size / 1e6, 2),
    }
