"""GraphQL types of requests that wait for consent: to connect, or to be supported."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ..graph.model import Request
from .enums import RequestKind
from .ids import global_id
from .types import Info, Person, load_person


@strawberry.type(description="A request waiting for an answer until it expires.")
class ConsentRequest:
    id: strawberry.ID
    kind: RequestKind
    note: str = strawberry.field(description="What the person asking wrote (tie requests).")
    created_at: datetime
    expires_at: datetime
    _from_id: strawberry.Private[str]
    _to_id: strawberry.Private[str]
    _proposed_by: strawberry.Private[str | None]

    @strawberry.field(name="from", description="Who asks (for support: the supporter proposed).")
    async def from_(self, info: Info) -> Person | None:
        return await load_person(info, self._from_id)

    @strawberry.field(description="Who is asked (for support: the person to be supported).")
    async def to(self, info: Info) -> Person | None:
        return await load_person(info, self._to_id)

    @strawberry.field(description="For support: the coordinator who proposed it.")
    async def proposed_by(self, info: Info) -> Person | None:
        return await load_person(info, self._proposed_by)

    @classmethod
    def from_record(cls, record: Request) -> ConsentRequest:
        return cls(
            id=global_id("Request", record.id),
            kind=record.kind,
            note=record.note,
            created_at=record.created_at,
            expires_at=record.expires_at,
            _from_id=record.from_id,
            _to_id=record.to_id,
            _proposed_by=record.proposed_by,
        )
