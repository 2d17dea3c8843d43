"""Relay global ids: the kind of object and the graph's own id in one opaque string, so that
`node(id:)` knows where to look; and the checks that an id argument is of the kind asked for."""

from __future__ import annotations

import base64
import binascii

import strawberry

from .errors import bad_input


def global_id(kind: str, local_id: str) -> strawberry.ID:
    """Relay global ids: the kind and the graph's own id, so `node(id:)` knows where to look."""
    return strawberry.ID(base64.b64encode(f"{kind}:{local_id}".encode()).decode())


def parse_global_id(value: str, argument: str = "id") -> tuple[str, str]:
    try:
        kind, _, local_id = base64.b64decode(value.encode(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise bad_input(argument, f"{value!r} is not an id this API gave out") from None
    if not kind or not local_id:
        raise bad_input(argument, f"{value!r} is not an id this API gave out")
    return kind, local_id


def local_id(value: strawberry.ID | None, kind: str, argument: str) -> str | None:
    """The graph's own id inside a global id of this kind; None stays None (an optional argument)."""
    return required_id(value, kind, argument) if value is not None else None


def required_id(value: strawberry.ID, kind: str, argument: str) -> str:
    found, local = parse_global_id(str(value), argument)
    if found != kind:
        raise bad_input(argument, f"expected the id of a {kind}, got a {found}'s")
    return local
