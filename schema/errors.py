"""Errors a client can act on: a stable code, the offending argument, a plain message."""

from __future__ import annotations

from graphql import GraphQLError


def bad_input(argument: str, message: str) -> GraphQLError:
    return GraphQLError(f"{argument}: {message}", extensions={"code": "BAD_USER_INPUT", "argument": argument})


def not_found(argument: str, message: str) -> GraphQLError:
    return GraphQLError(f"{argument}: {message}", extensions={"code": "NOT_FOUND", "argument": argument})
