"""Import speed: the demo exported once as files (exact locations, so it round-trips), the graph
emptied, and the files imported back in one transaction, timed; people and ties per second."""

from __future__ import annotations

import time
from typing import Any

from peermap.graph.exporting import export_files
from peermap.graph.importing import import_files

from .graphs import DATA, BenchGraph, mark_seeded


async def import_rate(graph: BenchGraph) -> dict[str, Any]:
    folder = DATA / f"export-{graph.members}"
    if not (folder / "people.csv").exists():
        await export_files(graph.db, folder, exact_locations=True)
    await graph.db.delete_all()
    started = time.perf_counter()
    dataset = await import_files(graph.db, folder)
    seconds = time.perf_counter() - started
    await mark_seeded(graph.driver, graph.members)
    counts = dataset.counts()
    rows = sum(counts.values())
    return {
        "members": graph.members,
        "people": counts["people"],
        "ties": counts["ties"],
        "rows": rows,
        "seconds": round(seconds, 1),
        "people_per_s": round(counts["people"] / seconds),
        "ties_per_s": round(counts["ties"] / seconds),
        "rows_per_s": round(rows / seconds),
    }
