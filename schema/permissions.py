"""Checks a resolver makes before it runs, as Strawberry permission classes. What a viewer may see
of a person is graph/'s to decide; these only refuse what is for the signed-in alone."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from ..graph.errors import SIGN_IN_FIRST
from .types import Info


class SignedIn(BasePermission):
    message = SIGN_IN_FIRST
    error_extensions = {"code": "FORBIDDEN"}  # as graph/'s refusals are reported (errors.forbidden)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.signed_in
