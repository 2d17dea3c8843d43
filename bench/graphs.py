"""The graphs the benchmarks run on: a real local Neo4j per size, seeded once with the demo.

Each size has its own data folder under bench/data/ (ignored by git) and is kept between runs:
seeding 100,000 members takes about two minutes, measuring should not wait for it each time.
Neo4j Community holds one database, so sizes are served one after another on the same port.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from neo4j import AsyncDriver

from peermap.graph.database import Graph, open_driver
from peermap.graph.demo import demo_community
from peermap.graph.model import Dataset
from peermap.graph.runtime import LocalNeo4j
from peermap.graph.store import write_dataset

DATA = Path(os.environ.get("PEERMAP_BENCH_DATA", Path(__file__).resolve().parent / "data"))
BOLT_PORT = int(os.environ.get("PEERMAP_BENCH_BOLT_PORT", "7689"))
DATABASE = "neo4j"
SEED = 1
CITY_COORDINATOR = "bench-coordinator"  # works with every network: sees everyone's ties (cells, not homes)


@dataclass
class BenchGraph:
    members: int
    db: Graph
    uri: str
    password: str
    dataset: Dataset

    @property
    def driver(self) -> AsyncDriver:
        return self.db.driver


def runtime(members: int) -> LocalNeo4j:
    cache = Path(os.environ.get("PEERMAP_CACHE_DIR", "~/.cache/peermap")).expanduser()
    return LocalNeo4j(
        data_dir=DATA / f"neo4j-{members}", cache_dir=cache, bolt_port=BOLT_PORT, heap="4g", page_cache="1g"
    )


async def _seeded_as(db: Graph) -> int | None:
    rows = await db.read("MATCH (m:BenchSeed) RETURN m.members AS members")
    return rows[0]["members"] if rows else None


async def _seed(db: Graph, dataset: Dataset, members: int) -> None:
    await db.delete_all()
    await write_dataset(db, dataset)
    await mark_seeded(db.driver, members)


async def mark_seeded(driver: AsyncDriver, members: int) -> None:
    """The city-wide coordinator and the marker that says which demo this graph holds."""
    await driver.execute_query(
        """MERGE (c:Person:Coordinator {id: $id})
           SET c.name = 'City Coordinator', c.bio = '', c.locationVisibility = 'hidden',
               c.contactable = false, c.skillsHidden = false
           WITH c MATCH (n:Network) MERGE (c)-[:WORKS_WITH]->(n)""",
        id=CITY_COORDINATOR,
        database_=DATABASE,
    )
    await driver.execute_query(
        "MERGE (m:BenchSeed) SET m.members = $members, m.seed = $seed", members=members, seed=SEED, database_=DATABASE
    )


@asynccontextmanager
async def bench_graph(members: int, say: Callable[[str], None] = print) -> AsyncIterator[BenchGraph]:
    """The demo of this many members on a running Neo4j (started, and seeded if it is not yet).

    With PEERMAP_BENCH_NEO4J_URI (and _PASSWORD) set, that Neo4j instead, which is emptied and
    seeded: the test suite's smoke run lends its own test server, sparing a second JVM."""
    uri, password = os.environ.get("PEERMAP_BENCH_NEO4J_URI"), os.environ.get("PEERMAP_BENCH_NEO4J_PASSWORD", "")
    home: Path | str = uri or ""
    if uri is None:
        local = runtime(members)
        for other in DATA.glob("neo4j-*"):  # one size at a time on the port
            if other.name != f"neo4j-{members}":
                size = int(other.name.split("-", 1)[1])
                if runtime(size).is_running():
                    runtime(size).stop(say=say)
        uri, password, home = local.uri, local.start(say=say), local.home
    driver = open_driver(uri, user="neo4j", password=password)
    db = Graph(driver=driver, database=DATABASE)
    try:
        await db.apply_constraints()
        dataset = demo_community(members, SEED)
        if await _seeded_as(db) != members:
            say(f"Seeding the {members:,}-member demo (once; kept in {home})...")
            await _seed(db, dataset, members)
        await mark_seeded(driver, members)  # idempotent: keeps the bench's own coordinator up to date
        yield BenchGraph(members=members, db=db, uri=uri, password=password, dataset=dataset)
    finally:
        await driver.close()
