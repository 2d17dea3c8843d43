"""How a network or a neighbourhood is doing: who is isolated and why, which ties need
attention, its shape, and whether it is better or worse than 90 days ago.

The group (tens to a few thousand people) and their ties are read in one query; the measures are
networkx's (components, articulation points, Louvain communities) over that bounded subgraph.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import networkx as nx

from . import queries
from .errors import Forbidden
from .model import GroupHealth, GroupShape, PersonHealth, Reason, TieAttention, Trend
from .permissions import may_see_network_care
from .viewer_graph import ViewerGraph

FEW_TIES = 3
WEAK_STRENGTH = 2.5
TREND_DAYS = 90


async def network_health(graph: ViewerGraph, network_id: str, *, today: date, attention_days: int) -> GroupHealth:
    if not await may_see_network_care(graph, network_id):
        raise Forbidden("only the network's coordinators and support workers see its health")
    rows = await graph.read_value(queries.analyses.NETWORK_PEOPLE, id=network_id)
    return group_health(rows, today=today, attention_days=attention_days)


async def neighbourhood_health(
    graph: ViewerGraph, neighbourhood_id: str, *, today: date, attention_days: int
) -> GroupHealth:
    allowed = (
        graph.viewer.signed_in
        and (await graph.read(queries.analyses.MAY_SEE_NEIGHBOURHOOD_CARE, id=neighbourhood_id))[0]["allowed"]
    )
    if not allowed:
        raise Forbidden("only coordinators and support workers of networks there see a neighbourhood's health")
    rows = await graph.read_value(queries.analyses.NEIGHBOURHOOD_PEOPLE, id=neighbourhood_id)
    return group_health(rows, today=today, attention_days=attention_days)


def group_health(rows: list[dict[str, Any]], *, today: date, attention_days: int) -> GroupHealth:
    """The measures over rows of people with all their ties (NETWORK_PEOPLE's shape)."""
    members = {row["id"] for row in rows}
    people = tuple(
        sorted((_person(row, today, attention_days) for row in rows), key=lambda h: (-h.isolation, h.person_id))
    )
    inside = nx.Graph()
    inside.add_nodes_from(members)
    attention = []
    for row in rows:
        for tie in row["ties"]:
            if tie["other"] in members and row["id"] < tie["other"]:
                inside.add_edge(row["id"], tie["other"])
                days = _days_since(tie["last_contact"], today)
                if days is None or days > attention_days:
                    attention.append(TieAttention(person_id=row["id"], other_id=tie["other"], days_since_contact=days))
    attention.sort(
        key=lambda t: (t.days_since_contact is not None, -(t.days_since_contact or 0), t.person_id, t.other_id)
    )
    return GroupHealth(people=people, attention=tuple(attention), shape=_shape(inside), trend=_trend(rows, today))


def _person(row: dict[str, Any], today: date, attention_days: int) -> PersonHealth:
    ties = row["ties"]
    reasons: list[Reason] = []
    score = 0
    if not ties:
        score += 60
        reasons.append(Reason(kind="few ties", text="no ties at all", value=0.0))
    elif len(ties) < FEW_TIES:
        score += 30
        reasons.append(
            Reason(kind="few ties", text=f"only {len(ties)} tie{'s' if len(ties) > 1 else ''}", value=float(len(ties)))
        )
    if ties:
        strength = _mean([t["strength"] for t in ties])
        if strength < WEAK_STRENGTH:
            score += 20
            reasons.append(
                Reason(
                    kind="weak ties",
                    text=f"weak ties (strength {strength:.1f} of 5 on average)",
                    value=round(strength, 1),
                )
            )
        recent = [d for d in (_days_since(t["last_contact"], today) for t in ties) if d is not None]
        if not recent or min(recent) > attention_days:
            days = min(recent) if recent else None
            score += 25
            reasons.append(
                Reason(
                    kind="no recent contact",
                    value=float(days) if days is not None else None,
                    text=f"no contact for {days} days" if days is not None else "no contact recorded",
                )
            )
        if all(t["paid"] for t in ties):
            score += 25
            reasons.append(
                Reason(kind="only paid staff", text="ties only to paid support workers", value=float(len(ties)))
            )
    return PersonHealth(person_id=row["id"], isolation=min(score, 100), reasons=tuple(reasons))


def _shape(inside: nx.Graph) -> GroupShape:
    size = inside.number_of_nodes()
    return GroupShape(
        size=size,
        ties=inside.number_of_edges(),
        density=round(nx.density(inside), 3) if size > 1 else 0.0,
        components=nx.number_connected_components(inside) if size else 0,
        bridges=tuple(sorted(nx.articulation_points(inside))),
        measure_reach=lambda: _reach_within_two(inside),
        measure_communities=lambda: _communities(inside),
    )


def _reach_within_two(inside: nx.Graph) -> float:
    size = inside.number_of_nodes()
    if size <= 1:
        return 0.0
    shares = [(len(nx.single_source_shortest_path_length(inside, n, cutoff=2)) - 1) / (size - 1) for n in inside.nodes]
    return round(_mean(shares), 3)


def _communities(inside: nx.Graph) -> tuple[tuple[str, ...], ...]:
    found = nx.community.louvain_communities(inside, seed=1) if inside.number_of_edges() else []
    return tuple(sorted((tuple(sorted(c)) for c in found if len(c) > 1), key=lambda c: (-len(c), c)))


def _trend(rows: list[dict[str, Any]], today: date) -> Trend:
    """Ties are counted then if they had been made by then (their `since`); contacts have no
    history, so "then" knows only which ties existed."""
    then = today - timedelta(days=TREND_DAYS)
    ties_now = {row["id"]: len(row["ties"]) for row in rows}
    ties_then = {
        row["id"]: sum(1 for t in row["ties"] if t["since"] is None or date.fromisoformat(t["since"]) <= then)
        for row in rows
    }
    isolated_now = sum(1 for n in ties_now.values() if n < FEW_TIES)
    isolated_then = sum(1 for n in ties_then.values() if n < FEW_TIES)
    total_now = len({frozenset((row["id"], t["other"])) for row in rows for t in row["ties"]})
    total_then = len(
        {
            frozenset((row["id"], t["other"]))
            for row in rows
            for t in row["ties"]
            if t["since"] is None or date.fromisoformat(t["since"]) <= then
        }
    )
    verdict = (
        "better"
        if (isolated_now, -total_now) < (isolated_then, -total_then)
        else "worse"
        if (isolated_now, -total_now) > (isolated_then, -total_then)
        else "the same"
    )
    return Trend(
        days=TREND_DAYS,
        ties_now=total_now,
        ties_then=total_then,
        isolated_now=isolated_now,
        isolated_then=isolated_then,
        verdict=verdict,
    )


def _mean(values: list[float]) -> float:
    """statistics.mean's answer (to the last place for these sums) without its exact fractions,
    which took a third of a 2,000-resident neighbourhood's analysis."""
    return math.fsum(values) / len(values)


def _days_since(day: str | None, today: date) -> int | None:
    return (today - date.fromisoformat(day)).days if day else None
