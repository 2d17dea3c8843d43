"""Run the benchmarks: python -m bench [--quick] [--sizes 1000,10000,100000] (README, "Benchmarks").

Each size's graph is a local Neo4j of its own, seeded once and kept in bench/data/. Per size:
every benchmark query against the floor and @neo4j/graphql; the network map; at the middle
size the load test; at the largest the import. The report goes to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from . import api, imports, load, maps, pages, report, servers
from .graphs import bench_graph, runtime

MAP_PEOPLE = (1_000, 10_000, 50_000)
FLAME_GRAPH = "flame.svg"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def run(
    sizes: list[int], *, iterations: int, load_seconds: int, with_node: bool, map_people: tuple[int, ...], out: Path
) -> Path:
    results: dict[str, Any] = {
        "run": report.run_info(iterations),
        "api": [],
        "maps": [],
        "load": [],
        "imports": [],
        "pages": [],
    }
    load_size = sizes[len(sizes) // 2]
    try:
        for members in sizes:
            async with bench_graph(members, say=_say) as graph:
                _say(f"{members:,} members: the queries, side by side...")
                flame = out / FLAME_GRAPH if members == sizes[-1] else None  # the slowest read, largest graph
                results["api"] += await api.compare(
                    graph, iterations=iterations, with_node=with_node, flame=flame, flame_seconds=min(10, iterations)
                )
                # The map at each size it fits: 1,000 people from the smallest graph, 50,000 from the largest.
                people = len(graph.dataset.people)
                for asked in map_people:
                    if asked <= people and (
                        asked * 10 > people
                        or members == sizes[-1]
                        and asked == max(p for p in map_people if p <= people)
                    ):
                        _say(f"{members:,} members: the network map of {asked:,} people...")
                        results["maps"].append(await maps.network_map(graph, people=asked))
                if members == load_size:
                    _say(f"{members:,} members: the pages, as the people they are for...")
                    results["pages"] += await pages.page_times(graph, iterations=iterations)
                if members == load_size and load.available():
                    _say(f"{members:,} members: throughput with wrk ({load_seconds} s a run)...")
                    results["load"] += await load.throughput(graph, seconds=load_seconds)
                if members == sizes[-1]:
                    _say(f"{members:,} members: the import...")
                    results["imports"].append(await imports.import_rate(graph))
    finally:  # no graph stays up longer than the run, whether it ended well or not
        for members in sizes:
            if runtime(members).pid() is not None:
                runtime(members).stop(say=_say)
    return report.write(results, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="members in each graph, comma-separated")
    parser.add_argument("--iterations", type=int, default=20, help="runs of each query (after 2 to warm up)")
    parser.add_argument("--load-seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--quick", action="store_true", help="a smoke run: one small graph, few runs")
    parser.add_argument("--no-node", action="store_true", help="leave out @neo4j/graphql (needs node and npm)")
    parser.add_argument("--out", type=Path, default=report.RESULTS, help="where the report goes")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    iterations, load_seconds, map_people = args.iterations, args.load_seconds, MAP_PEOPLE
    if args.quick:
        sizes, iterations, load_seconds, map_people = [200], 3, 1, (200,)
    with_node = not args.no_node and servers.install_node()
    if not with_node:
        _say("Leaving out @neo4j/graphql (no node or npm, or --no-node).")
    written = asyncio.run(
        run(
            sizes,
            iterations=iterations,
            load_seconds=load_seconds,
            with_node=with_node,
            map_people=map_people,
            out=args.out,
        )
    )
    print(f"Wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
