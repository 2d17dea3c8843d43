"""The pages as the API's first client: each page reads and writes through the GraphQL schema,
executed in this process for the signed-in viewer, so a page can do nothing the API would
refuse, and every rule and cost limit applies once. The operations are named, in .graphql files
beside the templates (server/templates/NAME.graphql)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from starlette.requests import HTTPConnection

from ..schema import Context, schema
from .auth import visitor

OPERATIONS = Path(__file__).resolve().parent / "templates"


def context_for(connection: HTTPConnection, kind: type[Context] = Context, **more: Any) -> Context:
    """The context a GraphQL operation gets for this request's viewer (over HTTP, a WebSocket or a page)."""
    state, user = connection.state, visitor(connection)
    return kind(
        graph=state.graph.seen_by(user.viewer),
        events=state.events,
        policy=state.policy,
        budget=state.budget,
        client=user.client,
        still_signed_in=partial(user.still_valid, state.graph),
        **more,
    )


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [str(error.get("extensions", {}).get("code", "")) for error in self.errors]


@cache
def _document(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")


async def ask(connection: HTTPConnection, document: str, operation: str, **variables: Any) -> Answer:
    """Run one named operation of server/templates/DOCUMENT.graphql as the signed-in viewer."""
    result = await schema.execute(
        _document(document),
        variable_values=variables,
        context_value=context_for(connection),
        operation_name=operation,
    )
    errors = [dict(error.formatted) for error in result.errors or ()]
    return Answer(data=dict(result.data or {}), errors=errors)
