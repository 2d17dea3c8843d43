"""Relay cursor connections: the window a request asks for, and the types that carry it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from .errors import bad_input

MAX_PAGE = 100
DEFAULT_PAGE = 20
MAX_OFFSET_DIGITS = 12  # a cursor past a trillion items is none this API gave out

Item = TypeVar("Item")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Item]):
    cursor: str
    node: Item


@strawberry.type
class Connection(Generic[Item]):
    edges: list[Edge[Item]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[Item]:
        return [edge.node for edge in self.edges]


@dataclass(frozen=True)
class Window:
    """Which slice of an ordered list a request wants: skip this many, take this many."""

    offset: int
    limit: int


def cursor_for(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset_of(cursor: str, argument: str) -> int:
    try:
        kind, _, number = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        if kind == "offset" and number.isascii() and number.isdigit() and len(number) <= MAX_OFFSET_DIGITS:
            return int(number)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise bad_input(argument, "not a cursor this API gave out")


def window(
    *, first: int | None, after: str | None, last: int | None, before: str | None, total: int | None = None
) -> Window:
    """The slice for first/after (forwards) or last/before (backwards).

    Backwards paging needs to know where the list ends: with no `before`, from the total.
    """
    if first is not None and last is not None:
        raise bad_input("last", "ask for first or last, not both")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= MAX_PAGE:
            raise bad_input(name, f"must be from 0 to {MAX_PAGE}")
    start = _offset_of(after, "after") + 1 if after else 0
    end = _offset_of(before, "before") if before else None
    if last is not None:
        if end is None:
            if total is None:
                raise bad_input("last", "needs before, or a list whose length is known")
            end = total
        begin = max(start, end - last)
        return Window(begin, max(0, end - begin))
    size = DEFAULT_PAGE if first is None else first
    if end is not None:
        size = max(0, min(size, end - start))
    return Window(start, size)


def asks_for_length(info: Any) -> bool:
    """Whether the request reads totalCount or pageInfo, the fields that need the list's length:
    without them a page is one query, not two (counting 100,000 people costs more than the page)."""

    def names(selections: list[Selection]) -> Iterator[str]:
        for selection in selections:
            if isinstance(selection, SelectedField):
                yield selection.name
            else:  # a fragment: its fields count as the connection's own
                yield from names(selection.selections)

    return any(name in ("totalCount", "pageInfo") for field in info.selected_fields for name in names(field.selections))


def connection(items: Sequence[Item], *, offset: int, total: int | None) -> Connection[Item]:
    """A connection over one fetched window of a list of `total` items starting at `offset`
    (total None: not counted, because the request reads neither totalCount nor pageInfo)."""
    if total is None:
        total = offset + len(items)
    edges = [Edge(cursor=cursor_for(offset + i), node=item) for i, item in enumerate(items)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(items) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def slice_connection(
    items: Sequence[Item], *, first: int | None, after: str | None, last: int | None, before: str | None
) -> Connection[Item]:
    """A connection over a list already in memory (a nested list loaded in a batch)."""
    chosen = window(first=first, after=after, last=last, before=before, total=len(items))
    return connection(items[chosen.offset : chosen.offset + chosen.limit], offset=chosen.offset, total=len(items))
