"""Reports, in each response's extensions, how many Cypher queries answering it took."""

from __future__ import annotations

from typing import Any, Iterator

from strawberry.extensions import SchemaExtension

from ..graph.database import track_round_trips


class CypherRoundTrips(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        self._counter = track_round_trips()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cypherQueries": self._counter[0]}
