"""GraphQL types of one's own account: API tokens and the audit log about oneself."""

from __future__ import annotations

import strawberry

from .types import Info, Person, load_person


@strawberry.type(description="An API token: the secret itself is shown only once, when it is made.")
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: str
    last_used_at: str | None


@strawberry.type(description="Someone viewed or changed sensitive data about you.")
class AuditEntry:
    at: str
    action: str
    detail: str
    _actor_id: strawberry.Private[str | None]
    _on_behalf_of_id: strawberry.Private[str | None]

    @strawberry.field(description="Who did it (null if they have left Peermap or you may not see them).")
    async def by(self, info: Info) -> Person | None:
        return await load_person(info, self._actor_id)

    @strawberry.field(description="When a supporter acted for someone: for whom.")
    async def on_behalf_of(self, info: Info) -> Person | None:
        return await load_person(info, self._on_behalf_of_id)
