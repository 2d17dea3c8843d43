"""Query cost, in the spirit of GitHub's and Shopify's public APIs: computed from the document
before anything runs, capped per request, and drawn from each client's budget over time.

A leaf field costs nothing; every object costs one per time it can appear. A field with
`first`/`last` multiplies what is below it by the page asked for (DEFAULT_PAGE when not
given), `nodes(ids:)` by the number of ids. So `people(first: 100) { nodes { ties(first: 20)
{ nodes { name } } } }` costs 1 + 100 + 100 + 2,000. The cost is what the query could
return, known before execution, so a client can plan around it and nothing runs that would
go over.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from limits import RateLimitItemPerHour
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from strawberry.extensions import SchemaExtension

from .paging import DEFAULT_PAGE

# Fields whose one object per parent is not multiplied by the page (there is one per connection).
_ONE_PER_CONNECTION = frozenset({"pageInfo"})


@dataclass(frozen=True, kw_only=True)
class ApiPolicy:
    """What the API allows, set per deployment (server/settings.py)."""

    max_cost: int  # per request
    budget_per_hour: int  # per client (token, account or address)
    introspection: bool
    suggestions: bool  # "Did you mean ...?" in validation errors


class CostBudget:
    """Points each client may spend in a sliding hour. In this process's memory: behind a load
    balancer, give `limits` a shared storage (Redis, Memcached) instead."""

    def __init__(self, points_per_hour: int) -> None:
        self.item = RateLimitItemPerHour(points_per_hour)
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    async def spend(self, client: str, cost: int) -> bool:
        return cost == 0 or await self.limiter.hit(self.item, client, cost=cost)

    async def status(self, client: str) -> tuple[int, int]:
        """(points left, seconds until the window has moved on far enough to give them all back)."""
        stats = await self.limiter.get_window_stats(self.item, client)
        return stats.remaining, max(0, round(stats.reset_time - time.time()))


def operation_cost(document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None) -> int:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if not chosen:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _cost(chosen[0].selection_set, 1, fragments, variables or {})


def _cost(
    selections: SelectionSetNode,
    multiplier: int,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                continue
            total += multiplier
            if selection.name.value not in _ONE_PER_CONNECTION:
                total += _cost(
                    selection.selection_set, multiplier * _fan_out(selection, variables), fragments, variables
                )
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(selection.selection_set, multiplier, fragments, variables)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            # Validation has refused cycles of fragments before this runs.
            total += _cost(fragments[selection.name.value].selection_set, multiplier, fragments, variables)
    return total


def _fan_out(field: FieldNode, variables: dict[str, Any]) -> int:
    """How many times what is below this field can appear for each time the field does."""
    arguments = {argument.name.value: _value(argument.value, variables) for argument in field.arguments or ()}
    if "ids" in arguments:
        return len(arguments["ids"]) if isinstance(arguments["ids"], list) else 1
    for name in ("first", "last"):
        if isinstance(arguments.get(name), int):
            return max(int(arguments[name]), 0)
    if {"after", "before"} & arguments.keys() or _is_connection(field):
        return DEFAULT_PAGE
    return 1


def _is_connection(field: FieldNode) -> bool:
    """A connection is selected through `nodes` or `edges`."""
    assert field.selection_set is not None
    return any(isinstance(s, FieldNode) and s.name.value in ("nodes", "edges") for s in field.selection_set.selections)


def _value(node: ValueNode, variables: dict[str, Any]) -> Any:
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, ListValueNode):
        return list(node.values)
    return None


class QueryCost(SchemaExtension):
    """Refuses an operation over the request cap or the client's budget before it runs; reports the cost."""

    def __init__(self) -> None:
        self.report: dict[str, Any] = {}

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        document = self.execution_context.graphql_document
        if document is not None and context is not None:
            policy, budget, client = context.policy, context.budget, context.client
            cost = operation_cost(document, self.execution_context.operation_name, self.execution_context.variables)
            refusal = None
            if cost > policy.max_cost:
                refusal = GraphQLError(
                    f"This query could cost {cost} points, over the limit of {policy.max_cost} per request: "
                    "ask for smaller pages or fewer levels.",
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maximum": policy.max_cost},
                )
            elif not await budget.spend(client, cost):
                remaining, reset = await budget.status(client)
                refusal = GraphQLError(
                    f"This query costs {cost} points and {remaining} are left this hour; more are "
                    f"available within {reset} s.",
                    extensions={"code": "BUDGET_EXHAUSTED", "cost": cost, "retryAfterSeconds": reset},
                )
            remaining, reset = await budget.status(client)
            self.report = {
                "requestedQueryCost": cost,
                "maximumQueryCost": policy.max_cost,
                "throttleStatus": {
                    "maximumAvailable": policy.budget_per_hour,
                    "currentlyAvailable": remaining,
                    "resetsInSeconds": reset,
                },
            }
            if refusal is not None:
                self.execution_context.result = GraphQLExecutionResult(data=None, errors=[refusal])
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.report} if self.report else {}
