"""Query cost, in the spirit of GitHub's and Shopify's public APIs: the most a query could cost is
known before anything runs and capped per request; what it really cost is charged to the client's
budget, which refills over an hour.

Every object costs one per time it can appear; a field with `first`/`last` (given, a variable's
value or default, or the schema's default) multiplies what is below it by the page, `nodes(ids:)`
by the number of ids, any other list by DEFAULT_PAGE, and a list counts each of its items. So
`people(first: 100) { nodes { ties(first: 20) { nodes { name } } } }` could cost 1 + 100 + 100 +
2,000. Fields that do far more work than the
objects they return carry a price of their own (PRICES: the analyses, one's data export), and so
does every change (MUTATION_PRICE). A query runs only if it could cost no more than the request's
cap and the client has that much left; afterwards it is charged for what it returned (a page of 3
where 100 were allowed costs 3), and a field refused before it ran (bad input, not allowed) costs
nothing.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from limits import RateLimitItemPerHour
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from strawberry.extensions import SchemaExtension

from ..graph import coproduction
from .paging import DEFAULT_PAGE

# Fields whose one object per parent is not multiplied by the page (there is one per connection).
_ONE_PER_CONNECTION = frozenset({"pageInfo"})

# What a field costs to run beyond the objects it returns, measured against a plain page (the
# benchmarks, bench/results/latest.md): graph walks, scoring and networkx over many people.
PRICES: dict[tuple[str, str], int] = {
    ("Query", "findPeers"): 500,
    ("Query", "introductions"): 200,
    ("Query", "networkHealth"): 500,
    ("Query", "campaignPlan"): 2_000,
    ("Query", "myData"): 1_000,
}
MUTATION_PRICE = 10  # a write and its checks, in one transaction

# Lists that graph/ keeps short, counted at their most rather than at a page (graph/coproduction.py).
BOUNDED_LISTS: dict[tuple[str, str], int] = {
    ("InputTrail", "decisions"): coproduction.TRAIL_DECISIONS,
    ("Decision", "outcomes"): coproduction.MAX_OUTCOMES,
    ("Outcome", "updates"): coproduction.LATEST_UPDATES,
}


class ReadPath(str, Enum):
    """How reads are answered (schema/compiled.py): one Cypher query per root field where the
    selection allows, the resolvers field by field, or both with the answers compared (the tests)."""

    COMPILED = "compiled"
    RESOLVERS = "resolvers"
    COMPARED = "compared"


@dataclass(frozen=True, kw_only=True)
class ApiPolicy:
    """What the API allows, set per deployment (server/settings.py)."""

    max_cost: int  # per request
    budget_per_hour: int  # per client (token, account or address)
    introspection: bool
    suggestions: bool  # "Did you mean ...?" in validation errors
    reads: ReadPath = ReadPath.COMPILED


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


class _Pricing:
    """One operation of one document, with its variables as the executor will see them."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any]
    ) -> None:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
        self.operation = chosen[0] if chosen else None
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        coerced = get_variable_values(schema, chosen[0].variable_definitions or (), variables) if chosen else []
        # Values that do not fit are refused by the executor; priced as if absent meanwhile.
        self.variables = coerced if isinstance(coerced, VariableValues) else None

    def root(self) -> GraphQLObjectType | None:
        if self.operation is None:
            return None
        return self.schema.get_root_type(self.operation.operation)

    @property
    def changes(self) -> bool:
        return self.operation is not None and self.operation.operation == OperationType.MUTATION

    def fields(
        self, selections: list[SelectionSetNode], parent: GraphQLNamedType | None
    ) -> Iterator[tuple[str, list[FieldNode], GraphQLField | None, str]]:
        """Each response key once (as the executor merges them): its nodes, its definition, the type it is on."""
        merged: dict[str, tuple[list[FieldNode], GraphQLField | None, str]] = {}
        for node, definition, on in self._flatten(selections, parent):
            key = node.alias.value if node.alias else node.name.value
            if key in merged:
                merged[key][0].append(node)
            else:
                merged[key] = ([node], definition, on)
        for key, (nodes, definition, on) in merged.items():
            yield key, nodes, definition, on

    def _flatten(
        self, selections: list[SelectionSetNode], parent: GraphQLNamedType | None
    ) -> Iterator[tuple[FieldNode, GraphQLField | None, str]]:
        for selection_set in selections:
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    fields = parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
                    yield selection, fields.get(selection.name.value), parent.name if parent else ""
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    on = self.schema.get_type(condition.name.value) if condition else parent
                    yield from self._flatten([selection.selection_set], on)
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value in self.fragments:
                    # Validation has refused cycles of fragments before this runs.
                    fragment = self.fragments[selection.name.value]
                    yield from self._flatten(
                        [fragment.selection_set], self.schema.get_type(fragment.type_condition.name.value)
                    )

    def price(self, on: str, name: str, definition: GraphQLField | None) -> int:
        return PRICES.get((on, name), 0) + (MUTATION_PRICE if self.changes and on == "Mutation" else 0)

    def fan_out(self, node: FieldNode, definition: GraphQLField | None, on: str) -> int:
        """How many times what is below this field can appear for each time the field does."""
        if definition is None or on.endswith("Connection"):  # a connection's page was counted on it
            return 1
        try:
            arguments = get_argument_values(definition, node, self.variables)
        except GraphQLError:  # refused by the executor before it runs
            return 1
        if isinstance(arguments.get("ids"), list):
            return len(arguments["ids"])
        if (on, node.name.value) in BOUNDED_LISTS:
            return BOUNDED_LISTS[(on, node.name.value)]
        for name in ("first", "last"):
            if isinstance(arguments.get(name), int):
                return max(int(arguments[name]), 0)
        if _is_connection(node) or _is_list(definition):
            return DEFAULT_PAGE
        return 1


def _is_connection(field: FieldNode) -> bool:
    """A connection is selected through `nodes` or `edges`."""
    return field.selection_set is not None and any(
        isinstance(s, FieldNode) and s.name.value in ("nodes", "edges") for s in field.selection_set.selections
    )


def _is_list(definition: GraphQLField) -> bool:
    kind = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
    return isinstance(kind, GraphQLList)


def _child(definition: GraphQLField | None) -> GraphQLNamedType | None:
    return get_named_type(definition.type) if definition else None


def requested_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
) -> int:
    """The most the operation could cost, before it runs."""
    pricing = _Pricing(schema, document, operation_name, variables or {})
    if pricing.operation is None:
        return 0

    def cost(selections: list[SelectionSetNode], parent: GraphQLNamedType | None, multiplier: int) -> int:
        total = 0
        for _, nodes, definition, on in pricing.fields(selections, parent):
            node = nodes[0]
            total += multiplier * pricing.price(on, node.name.value, definition)
            below = [n.selection_set for n in nodes if n.selection_set is not None]
            if not below:
                continue
            fan_out = pricing.fan_out(node, definition, on)
            # A list's items are its objects; a connection is one object, its page's nodes are below it.
            total += multiplier * (fan_out if definition is not None and _is_list(definition) else 1)
            if node.name.value not in _ONE_PER_CONNECTION:
                total += cost(below, _child(definition), multiplier * fan_out)
        return total

    return cost([pricing.operation.selection_set], pricing.root(), 1)


# Each response key of a selection: its price, the selections below it, their type, and
# whether its objects are priced one by one (not a connection's own).
_Plan = list[tuple[str, int, list[SelectionSetNode], GraphQLNamedType | None, bool]]


def actual_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    data: dict[str, Any] | None,
) -> int:
    """What the operation returned, priced as requested_cost prices it: what ran and answered."""
    pricing = _Pricing(schema, document, operation_name, variables or {})
    if pricing.operation is None or data is None:
        return 0

    # What each selection prices, worked out once however many objects it is asked of.
    plans: dict[tuple[int, ...], _Plan] = {}

    def plan(selections: list[SelectionSetNode], parent: GraphQLNamedType | None) -> _Plan:
        key = (*map(id, selections), id(parent))
        if key not in plans:
            plans[key] = [
                (
                    response_key,
                    pricing.price(on, nodes[0].name.value, definition),
                    [n.selection_set for n in nodes if n.selection_set is not None],
                    _child(definition),
                    nodes[0].name.value not in _ONE_PER_CONNECTION,
                )
                for response_key, nodes, definition, on in pricing.fields(selections, parent)
            ]
        return plans[key]

    def cost(selections: list[SelectionSetNode], parent: GraphQLNamedType | None, value: dict[str, Any]) -> int:
        total = 0
        for key, price, below, child, descend in plan(selections, parent):
            found = value.get(key)
            if found is None:  # refused, failed, or nothing there
                continue
            total += price
            for item in _objects(found) if below else ():
                total += 1
                if descend:
                    total += cost(below, child, item)
        return total

    return cost([pricing.operation.selection_set], pricing.root(), data)


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


class QueryCost(SchemaExtension):
    """Refuses an operation over the request cap or the client's budget before it runs; charges what
    it returned once it has; reports both."""

    def __init__(self) -> None:
        self.report: dict[str, Any] = {}

    async def on_execute(self) -> AsyncIterator[None]:
        run = self.execution_context
        context, document = run.context, run.graphql_document
        if document is None or context is None:
            yield
            return
        policy, budget, client = context.policy, context.budget, context.client
        schema = run.schema._schema
        cost = requested_cost(schema, document, run.operation_name, run.variables)
        remaining, reset = await budget.status(client)
        refusal = None
        if cost > policy.max_cost:
            refusal = GraphQLError(
                f"This query could cost {cost} points, over the limit of {policy.max_cost} per request: "
                "ask for smaller pages or fewer levels.",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maximum": policy.max_cost},
            )
        elif cost > remaining:
            refusal = GraphQLError(
                f"This query could cost {cost} points and {remaining} are left this hour; more are "
                f"available within {reset} s.",
                extensions={"code": "BUDGET_EXHAUSTED", "cost": cost, "retryAfterSeconds": reset},
            )
        if refusal is not None:
            run.result = GraphQLExecutionResult(data=None, errors=[refusal])
            self._report(policy, cost, 0, remaining, reset)
            yield
            return
        yield
        result = run.result
        data = result.data if isinstance(result, GraphQLExecutionResult) else None
        spent = actual_cost(schema, document, run.operation_name, run.variables, data)
        await budget.spend(client, spent)
        remaining, reset = await budget.status(client)
        self._report(policy, cost, spent, remaining, reset)

    def _report(self, policy: ApiPolicy, requested: int, spent: int, remaining: int, reset: int) -> None:
        self.report = {
            "requestedQueryCost": requested,
            "actualQueryCost": spent,
            "maximumQueryCost": policy.max_cost,
            "throttleStatus": {
                "maximumAvailable": policy.budget_per_hour,
                "currentlyAvailable": remaining,
                "resetsInSeconds": reset,
            },
        }

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.report} if self.report else {}
