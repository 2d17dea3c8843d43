"""Time credits in the API: exchanges of time, balances, the community pot."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ..graph.model import Exchange as GraphExchange
from .enums import ExchangeStatus
from .ids import global_id
from .types import Info, Person, load_person


@strawberry.type(description="Time given, an hour for an hour whoever gives it; counted once confirmed.")
class Exchange:
    id: strawberry.ID
    minutes: int
    what: str = strawberry.field(description="What was done, and thanks.")
    status: ExchangeStatus
    at: datetime
    from_pot: bool = strawberry.field(description="Given from the community pot.")
    to_pot: bool = strawberry.field(description="Given to the community pot.")
    waits_for_you: bool = strawberry.field(description="You are asked whether it happened.")
    _from_id: strawberry.Private[str | None]
    _to_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, record: GraphExchange, viewer_id: str | None) -> Exchange:
        return cls(
            id=global_id("Exchange", record.id),
            minutes=record.minutes,
            what=record.what,
            status=record.status,
            at=record.at,
            from_pot=record.from_id is None,
            to_pot=record.to_id is None,
            waits_for_you=record.awaiting_id is not None and record.awaiting_id == viewer_id,
            _from_id=record.from_id,
            _to_id=record.to_id,
        )

    @strawberry.field(description="Whose time it is paid from (null: the pot, or someone who has left).")
    async def giver(self, info: Info) -> Person | None:
        return await load_person(info, self._from_id)

    @strawberry.field(description="Who earns it (null: the pot, or someone who has left).")
    async def earner(self, info: Info) -> Person | None:
        return await load_person(info, self._to_id)


@strawberry.type(description="Your time credits.")
class MyTime:
    balance_minutes: int = strawberry.field(description="Confirmed minutes earned, less those given.")
    exchanges: list[Exchange] = strawberry.field(description="Newest first.")
