"""GraphQL types of one's own account: API tokens (the audit log about oneself is types.AuditEntry)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="An API token: the secret itself is shown only once, when it is made.")
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: str
    last_used_at: str | None
