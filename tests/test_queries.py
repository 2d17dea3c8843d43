"""Every Cypher statement Peermap can send is valid Cypher for the real Neo4j: each constant, and
every shape each builder can produce (EXPLAIN plans a statement without running it)."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

import pytest

from peermap.graph import queries
from peermap.graph.database import Graph
from peermap.graph.shaped import PersonRead, SkillsRead, TiesRead, Window

# Statements EXPLAIN cannot take: schema commands (applied by every test's start-up anyway).
NOT_EXPLAINED = {id(statement) for statement in queries.database.CONSTRAINTS}
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NUMBERS = {"skip": 0, "limit": 10, "first": 10, "seconds": 1, "chunk": 10, "version": 1, "days": 1}


def _constants() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for module_name in queries.__all__:
        module = getattr(queries, module_name)
        if module_name == "fragments":
            continue  # pieces of statements, explained inside the statements that use them
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(queries.fragments, name, None) is value:
                continue  # a module's own fragments, and the shared ones it imports
            if (
                isinstance(value, str)
                and _PARAMETER.search(value)
                or isinstance(value, str)
                and ("MATCH" in value or "RETURN" in value or "CALL" in value)
                and value.lstrip()[:1] != "{"
            ):
                found.append((f"{module_name}.{name}", value))
            elif isinstance(value, dict) and name.isupper() and all(isinstance(v, str) for v in value.values()):
                found += [
                    (f"{module_name}.{name}[{key!r}]", v) for key, v in value.items() if "RETURN" in v or "MATCH" in v
                ]
    return found


def _shapes() -> list[tuple[str, str]]:
    shapes: list[tuple[str, str]] = []
    names = ("text", "role", "neighbourhood", "network", "skill", "box", "by_distance", "collected")
    for flags in itertools.product((False, True), repeat=len(names)):
        chosen = dict(zip(names, flags, strict=True))
        page, count = queries.people.people_search(**chosen)
        label = ",".join(name for name, on in chosen.items() if on) or "none"
        shapes += [(f"people_search({label}) page", page), (f"people_search({label}) count", count)]
    names = ("statuses", "neighbourhood", "starts_from", "starts_until", "box", "radius")
    for flags in itertools.product((False, True), repeat=len(names)):
        for order in queries.places.CAMPAIGN_ORDERS:
            chosen = dict(zip(names, flags, strict=True))
            page, count = queries.places.campaign_search(**chosen, order=order)
            label = ",".join(name for name, on in chosen.items() if on) or "none"
            shapes += [
                (f"campaign_search({label}, {order}) page", page),
                (f"campaign_search({label}, {order}) count", count),
            ]
    shapes += [
        (f"peer_candidates({kind})", queries.analyses.peer_candidates(kind))
        for kind in queries.analyses.PEER_CANDIDATE_KINDS
    ]
    return shapes + _compiled_shapes()


def _compiled_shapes() -> list[tuple[str, str]]:
    """The compiled path's reads with every column, list and count, two ties deep."""
    person, skill, tie = queries.shaped.columns()
    everything = PersonRead(columns=person, skills=(SkillsRead(Window(0, 10), True, skill),))
    for _ in range(2):
        everything = replace(everything, ties=(TiesRead(Window(0, 10), True, tie, everything),))
    return [
        ("shaped.person_by_id", queries.shaped.person_by_id(everything)),
        ("shaped.people_page(counted)", queries.shaped.people_page(everything, counted=True)),
        ("shaped.people_page", queries.shaped.people_page(PersonRead(), counted=False)),
    ]


def _parameters(statement: str) -> dict[str, Any]:
    return {name: _NUMBERS.get(name) for name in _PARAMETER.findall(statement)}


async def _explain(graph: Graph, statements: list[tuple[str, str]]) -> list[str]:
    problems = []
    async with graph.driver.session(database=graph.database) as session:
        for label, statement in statements:
            try:
                await (await session.run("EXPLAIN " + statement, _parameters(statement))).consume()
            except Exception as error:  # collected, so one run names every broken statement
                problems.append(f"{label}: {error}")
    return problems


def test_each_combination_of_filters_is_a_shape_of_its_own() -> None:
    pages = [statement for label, statement in _shapes() if not label.endswith("count")]
    kinds = len(queries.analyses.PEER_CANDIDATE_KINDS)
    assert len(pages) == 2**8 + 2**6 * len(queries.places.CAMPAIGN_ORDERS) + kinds + 3
    assert len(set(pages)) == len(pages), "no two combinations ask the same"


async def test_every_statement_and_every_shape_is_valid_cypher(graph: Graph) -> None:
    statements = [(label, s) for label, s in _constants() if id(s) not in NOT_EXPLAINED] + _shapes()
    unique = list({statement: label for label, statement in statements}.items())  # counts repeat
    assert len(unique) > 600
    assert await _explain(graph, [(label, statement) for statement, label in unique]) == []


@pytest.mark.parametrize("broken", ["MATCH (p:Person RETURN p", "RETURN $a +"])
async def test_explain_catches_a_broken_statement(graph: Graph, broken: str) -> None:
    assert await _explain(graph, [("broken", broken)]) != []
