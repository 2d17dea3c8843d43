"""Schema extensions of our own: Cypher round trips reported, introspection switched off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension

from ..graph.database import take_round_trips


class CypherRoundTrips(SchemaExtension):
    """Reports, in each response's extensions, how many Cypher queries answering it took: the
    request's sign-in check (a token or a session) included."""

    def on_operation(self) -> Iterator[None]:
        self._counter = take_round_trips()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cypherQueries": self._counter.count}


class IntrospectionGate(SchemaExtension):
    """Refuses __schema and __type when the deployment switched introspection off (the default in production)."""

    def on_execute(self) -> Iterator[None]:
        context, document = self.execution_context.context, self.execution_context.graphql_document
        if document is not None and context is not None and not context.policy.introspection:
            errors = validate(self.execution_context.schema._schema, document, [NoSchemaIntrospectionCustomRule])
            if errors:
                for error in errors:
                    error.extensions = {"code": "INTROSPECTION_DISABLED"}
                self.execution_context.result = GraphQLExecutionResult(data=None, errors=errors)
        yield
