"""The GraphQL schema: Strawberry types over graph/."""

from .context import Context
from .query import schema

__all__ = ["Context", "schema"]
