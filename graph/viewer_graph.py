"""The graph as one viewer may know it: made for each request, and the one way graph/ reads and
changes anything on someone's behalf.

Every statement sent through it carries the viewer (`$viewer`, the person asking, and
`$audience`, none unless a query asks how a given audience would see them), so the rules in the
Cypher (`queries.fragments.AUDIENCE`, `queries.permissions.MAY`) always judge the viewer this object was made for,
never one a caller passed by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, LiteralString

from . import audit
from .database import Graph, Result, Row, Transaction
from .errors import require_signed_in
from .model import Page, Viewer
from .permissions import Rule, require


@dataclass(frozen=True)
class ViewerGraph(Graph):
    viewer: Viewer = Viewer.anonymous()

    def _bound(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return {"viewer": self.viewer.person_id, "audience": None, **parameters}

    async def read(self, cypher: LiteralString, **parameters: Any) -> list[Row]:
        return await super().read(cypher, **self._bound(parameters))

    async def read_value(self, cypher: LiteralString, **parameters: Any) -> Any:
        return await super().read_value(cypher, **self._bound(parameters))

    async def read_page(
        self,
        *,
        page_query: LiteralString,
        count_query: LiteralString,
        convert: Callable[[Row], Any],
        collected: bool = False,
        counted: bool = True,
        **parameters: Any,
    ) -> Page:
        return await super().read_page(
            page_query=page_query,
            count_query=count_query,
            convert=convert,
            collected=collected,
            counted=counted,
            **self._bound(parameters),
        )

    async def change(
        self,
        work: Callable[[Transaction], Awaitable[Result]],
        *,
        rule: Rule,
        action: str,
        person: str | None = None,
        other: str | None = None,
        campaign: str | None = None,
        network: str | None = None,
    ) -> Result:
        """One change, made only if the rule holds for this viewer, checked in the same transaction as
        the change itself; a change made for someone by their supporter is logged there too."""
        require_signed_in(self.viewer)

        async def guarded(tx: Transaction) -> Result:
            await require(tx, self.viewer, rule, person=person, other=other, campaign=campaign, network=network)
            result = await work(tx)
            if self.viewer.actor_id is not None:
                await audit.record_change(
                    tx, self.viewer, f"acted on your behalf: {action}", self.viewer.person_id or ""
                )
            return result

        return await self.writing(guarded)
