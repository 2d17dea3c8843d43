"""The GraphQL schema: Strawberry types over graph/."""

from pathlib import Path

from .context import Context
from .query import schema

# The committed SDL; `peermap schema` rewrites it, and a test fails when it is stale.
SDL_FILE = Path(__file__).resolve().parent / "schema.graphql"

__all__ = ["SDL_FILE", "Context", "schema"]
