"""Reads of people in one query each, the result already shaped like the answer: what the compiled
GraphQL path (schema/compiled.py) asks for instead of one loader call per field.

A read says which of a person's columns are wanted and which of their lists (skills, ties, and the
people at the other end of each tie, to any depth), each with the window of it wanted. The answer
keeps to one layout, so that the caller can pick values out by position without looking at them
twice:

- a person: [type name, id, seen exactly, [columns in the read's order], [skills reads], [ties reads]]
- a skills read: [total or null, [[columns], ...]]
- a ties read: [total or null, [[[columns], person or null], ...]]

The rules are in the Cypher (queries.shaped), the same fragments as every other read of people;
what the viewer is shown of an exact home is logged here, as people.people_page does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import audit, queries
from .viewer_graph import ViewerGraph

# Where each part of a person's row sits.
TYPE_NAME, ID, SEEN_EXACTLY, COLUMNS, SKILLS, TIES = range(6)


@dataclass(frozen=True)
class Window:
    skip: int
    limit: int


@dataclass(frozen=True)
class SkillsRead:
    window: Window
    counted: bool  # the total is wanted (totalCount, pageInfo)
    columns: tuple[str, ...]  # as queries.shaped.columns() names them


@dataclass(frozen=True)
class TiesRead:
    window: Window
    counted: bool
    columns: tuple[str, ...]  # as queries.shaped.columns() names them
    person: PersonRead | None  # the person at the other end, if wanted


@dataclass(frozen=True)
class PersonRead:
    columns: tuple[str, ...] = ()  # as queries.shaped.columns() names them
    skills: tuple[SkillsRead, ...] = ()
    ties: tuple[TiesRead, ...] = field(default=())


def _windows(read: PersonRead) -> Iterator[list[int]]:
    """Each list's window, in the order queries.shaped numbers them."""
    for skills in read.skills:
        yield [skills.window.skip, skills.window.limit]
    for ties in read.ties:
        yield [ties.window.skip, ties.window.limit]
        if ties.person is not None:
            yield from _windows(ties.person)


def _seen_exactly(read: PersonRead, row: list[Any] | None) -> Iterator[str]:
    """The ids of everyone in the answer whose exact home the viewer may see (audit.VIEWED_LOCATION)."""
    if row is None:
        return
    if row[SEEN_EXACTLY]:
        yield row[ID]
    for ties, (_, items) in zip(read.ties, row[TIES], strict=True):
        if ties.person is not None:
            for _, person in items:
                yield from _seen_exactly(ties.person, person)


async def person_by_id(graph: ViewerGraph, read: PersonRead, person_id: str) -> list[Any] | None:
    """The person as the viewer may see them, or None (unknown, or not to be seen)."""
    row: list[Any] | None = await graph.read_value(
        queries.shaped.person_by_id(read), id=person_id, windows=list(_windows(read))
    )
    await audit.record_views(graph, audit.VIEWED_LOCATION, list(_seen_exactly(read, row)))
    return row


async def people_page(
    graph: ViewerGraph, read: PersonRead, *, window: Window, counted: bool
) -> tuple[list[list[Any]], int | None]:
    """A page of people by name, and how many there are (None unless counted); none signed out."""
    if not graph.viewer.signed_in:
        return [], 0
    rows, total = await graph.read_value(
        queries.shaped.people_page(read, counted=counted),
        skip=window.skip,
        limit=window.limit,
        windows=list(_windows(read)),
    )
    seen = [person_id for row in rows for person_id in _seen_exactly(read, row)]
    await audit.record_views(graph, audit.VIEWED_LOCATION, seen)
    return rows, total
