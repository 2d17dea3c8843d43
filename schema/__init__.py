"""The GraphQL schema: Strawberry types over graph/."""

from pathlib import Path

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from .compiled import CompilingExecutor
from .context import Context
from .cost import ApiPolicy, CostBudget, QueryCost, ReadPath
from .errors import SafeErrors
from .extensions import CypherRoundTrips, IntrospectionGate
from .mutation import Mutation
from .query import Query
from .subscription import Subscription
from .types import ALL_TYPES

# Limits a client cannot talk its way past, checked before anything runs; parsed and validated
# documents are cached (bounded), since clients send the same few queries again and again.
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
DOCUMENT_CACHE = 512
MAX_BATCH = 10  # operations in one HTTP request (a JSON array); each is costed and limited on its own

# The depth and alias limits as validation rules made once: each limiter makes its rule class
# anew, and the validation cache is keyed by the rules, so made per request they would have
# every request validated afresh (8 ms for the benchmarks' three-level read).
_LIMITS = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=ALL_TYPES,
    # Factories: a fresh extension per request (the caches themselves are shared, module-level).
    extensions=[
        lambda: ParserCache(maxsize=DOCUMENT_CACHE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(list(_LIMITS)),
        IntrospectionGate,
        QueryCost,
        CypherRoundTrips,
        SafeErrors,
    ],
    config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
    # Reads answered by one Cypher query per root field where the selection allows (schema/compiled.py).
    execution_context_class=CompilingExecutor,
)

# The committed SDL; `peermap schema` rewrites it, and a test fails when it is stale.
SDL_FILE = Path(__file__).resolve().parent / "schema.graphql"

__all__ = ["SDL_FILE", "ApiPolicy", "Context", "CostBudget", "ReadPath", "schema"]
