"""Every Cypher statement Peermap runs, in one place, a module per concept. Values always travel
as parameters: every statement is a LiteralString, which the type checker (pyright) proves."""

from . import (
    accounts,
    aggregates,
    analyses,
    audit,
    changes,
    coproduction,
    data_rights,
    database,
    datasets,
    fragments,
    lifecycle,
    meetings,
    news,
    people,
    permissions,
    places,
    requests,
    time_credits,
)

__all__ = [
    "accounts",
    "aggregates",
    "analyses",
    "audit",
    "changes",
    "coproduction",
    "data_rights",
    "database",
    "datasets",
    "fragments",
    "lifecycle",
    "meetings",
    "news",
    "people",
    "permissions",
    "places",
    "requests",
    "time_credits",
]
