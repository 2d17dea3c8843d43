"""The GraphQL schema: Strawberry types over graph/."""

from pathlib import Path

import strawberry

from .context import Context
from .errors import SafeErrors
from .extensions import CypherRoundTrips
from .mutation import Mutation
from .query import Query
from .subscription import Subscription
from .types import ALL_TYPES

schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription, types=ALL_TYPES,
                           extensions=[CypherRoundTrips, SafeErrors])

# The committed SDL; `peermap schema` rewrites it, and a test fails when it is stale.
SDL_FILE = Path(__file__).resolve().parent / "schema.graphql"

__all__ = ["SDL_FILE", "Context", "schema"]
