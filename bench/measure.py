"""Timing side by side, and database hits from PROFILE (which machine noise does not move)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from neo4j import AsyncDriver


def summary(seconds: list[float]) -> dict[str, float]:
    """Median and p95 in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "runs": len(ordered),
    }


async def side_by_side(
    ways: dict[str, Callable[[], Awaitable[Any]]], *, iterations: int, warm_up: int = 2
) -> dict[str, dict[str, float]]:
    """Each way in turn, round after round, so that a noisy moment falls on all of them alike."""
    for _ in range(warm_up):
        for way in ways.values():
            await way()
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(iterations):
        for name, way in ways.items():
            started = time.perf_counter()
            await way()
            times[name].append(time.perf_counter() - started)
    return {name: summary(seconds) for name, seconds in times.items()}


def _hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(_hits(child) for child in plan.get("children", []))


async def db_hits(driver: AsyncDriver, statements: list[tuple[str, dict[str, Any]]], *, database: str) -> int:
    """The database hits of these statements under PROFILE, each in a transaction rolled back
    (so that PROFILE of a write changes nothing)."""
    total = 0
    async with driver.session(database=database) as session:
        for cypher, parameters in statements:
            if cypher.lstrip().upper().startswith("CALL DBMS.COMPONENTS"):
                continue  # the library's version check, not part of the answer
            transaction = await session.begin_transaction()
            try:
                result = await transaction.run("PROFILE " + cypher, parameters)
                await result.values()  # the profile comes with the last record
                summary_ = await result.consume()
                total += _hits(summary_.profile or {})
            finally:
                await transaction.rollback()
    return total
