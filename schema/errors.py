"""Errors a client can act on: a stable code, the offending argument, a plain message.

Failures the client did not cause never show a stack trace, Cypher or a driver message: they
become INTERNAL_SERVER_ERROR with a request id that the server log carries too, or
SERVICE_UNAVAILABLE when Neo4j is not answering (the driver reconnects by itself when it is
back, so the client only has to try again).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphql import GraphQLError
from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired, TransientError
from strawberry.extensions import MaskErrors

from ..graph.errors import Conflict, Forbidden, Invalid, NotFound

log = logging.getLogger("peermap.graphql")


def bad_input(argument: str, message: str) -> GraphQLError:
    return GraphQLError(f"{argument}: {message}", extensions={"code": "BAD_USER_INPUT", "argument": argument})


def not_found(argument: str, message: str) -> GraphQLError:
    return GraphQLError(f"{argument}: {message}", extensions={"code": "NOT_FOUND", "argument": argument})


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, TransientError, ConnectionError, TimeoutError)


def _unexpected(error: GraphQLError) -> bool:
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


class SafeErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_unexpected)
        self.request_id = ""

    def on_operation(self) -> Iterator[None]:
        self.request_id = uuid.uuid4().hex[:16]
        yield from super().on_operation()

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        context = self.execution_context.context
        if context is not None and not context.policy.suggestions:
            # Suggestions name fields a client did not know of: off in production. A copy, for
            # validation errors come from the shared validation cache and must stay whole there.
            return [_without_suggestions(error) for error in processed]
        return processed

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        cause = error.original_error
        if isinstance(cause, _UNAVAILABLE) or (isinstance(cause, DriverError) and "connect" in str(cause).lower()):
            log.warning("request %s: Neo4j unavailable: %s", self.request_id, cause)
            message, code = "The database is not answering just now; try again shortly.", "SERVICE_UNAVAILABLE"
        else:
            log.error("request %s: %s", self.request_id, cause, exc_info=cause)
            message, code = f"Something went wrong on our side (request {self.request_id}).", "INTERNAL_SERVER_ERROR"
        return _reworded(error, message, original_error=None, extensions={"code": code, "requestId": self.request_id})


def forbidden(message: str) -> GraphQLError:
    """Not for this viewer. Said the same whether or not the thing exists, so nothing is given away."""
    return GraphQLError(message, extensions={"code": "FORBIDDEN"})


def conflict(argument: str, message: str) -> GraphQLError:
    return GraphQLError(f"{argument}: {message}", extensions={"code": "CONFLICT", "argument": argument})


@contextmanager
def reported_as(prefix: str) -> Iterator[None]:
    """graph/'s refusals as GraphQL errors, their field named from the argument down (input.name)."""

    def path(field: str) -> str:
        return f"{prefix}.{field}" if prefix else field

    try:
        yield
    except Invalid as problem:
        raise bad_input(path(problem.field), problem.reason) from None
    except NotFound as problem:
        raise not_found(path(problem.field), problem.reason) from None
    except Conflict as problem:
        raise conflict(path(problem.field), problem.reason) from None
    except Forbidden as refusal:
        raise forbidden(refusal.reason) from None


def _without_suggestions(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return _reworded(error, message, original_error=error.original_error, extensions=error.extensions)


def _reworded(
    error: GraphQLError, message: str, *, original_error: Exception | None, extensions: dict[str, Any] | None
) -> GraphQLError:
    """A new error in other words at the same place (errors may be shared: never changed in place)."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original_error,
        extensions=extensions,
    )
