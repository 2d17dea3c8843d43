"""The pages' server time and size: each page a person opens, fetched over HTTP on loopback from
`peermap serve` on the bench graph, side by side, as the person it is for (a member, the
member's support worker, a coordinator, or someone signed out); median, p95 and the HTML's size."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx2 as httpx  # the test extra's HTTP client (Starlette's test client uses it too)

from peermap.schema.ids import global_id

from . import measure, servers
from .api import viewer_token
from .graphs import CITY_COORDINATOR, BenchGraph
from .queries import Subjects

GOAL_P95_MS = 150
GOAL_HTML_KB = 100


def _pages(graph: BenchGraph) -> list[tuple[str, str | None, str]]:
    """(page, who opens it, address): who is a person id, or None for someone signed out."""
    subjects = Subjects.of(graph.dataset)
    supporter = graph.dataset.supports[0].supporter_id  # a support worker with someone to support
    coordinator = CITY_COORDINATOR  # works with every network: the largest "add a person" form
    campaign = global_id("Campaign", subjects.campaign)
    worked_with = {m.network_id for m in graph.dataset.memberships if m.person_id == supporter}
    network = global_id("Network", sorted(worked_with)[0])
    return [
        ("welcome (signed out)", None, "/"),
        ("sign in", None, "/signin"),
        ("campaigns (signed out)", None, "/campaigns"),
        ("home", subjects.member, "/"),
        ("find someone: cooking, 20 minutes", subjects.member, "/find?what=cooking&near=home&walk=20&who=anyone"),
        ("find someone: the form", subjects.member, "/find"),
        ("my people", subjects.member, "/people"),
        ("about me", subjects.member, "/me"),
        ("campaigns", subjects.member, "/campaigns"),
        ("a campaign", subjects.member, f"/campaign?id={campaign}"),
        ("a campaign's plan", subjects.member, f"/campaign/plan?id={campaign}"),
        ("my work (support worker)", supporter, "/support"),
        ("a network's health (support worker)", supporter, f"/network?id={network}"),
        ("propose a campaign: the form", subjects.member, "/campaign/new"),
        ("add a person (coordinator)", coordinator, "/people/add"),
        ("a person's roles (coordinator)", coordinator, f"/person/roles?id={global_id('Person', subjects.member)}"),
        ("help", subjects.member, "/help"),
    ]


async def page_times(graph: BenchGraph, *, iterations: int) -> list[dict[str, Any]]:
    pages = _pages(graph)
    # One token each: a person keeps a few tokens at most, so a token per page would revoke the first.
    tokens = {who: await viewer_token(graph.db, who) for who in {who for _, who, _ in pages if who is not None}}
    rows: list[dict[str, Any]] = []
    with servers.peermap(graph.uri, graph.password) as (base, _):
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:

            def fetch(who: str | None, path: str) -> Callable[[], Awaitable[httpx.Response]]:
                headers = {"authorization": f"Bearer {tokens[who]}"} if who else {}

                async def get() -> httpx.Response:
                    answer = await client.get(path, headers=headers)
                    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                    return answer

                return get

            ways = {name: fetch(who, path) for name, who, path in pages}
            times = await measure.side_by_side(ways, iterations=iterations)
            for name in ways:
                size = len((await ways[name]()).content)
                rows.append(
                    {
                        "page": name,
                        "members": graph.members,
                        "median_ms": times[name]["median_ms"],
                        "p95_ms": times[name]["p95_ms"],
                        "html_kb": round(size / 1000, 1),
                    }
                )
    return rows
