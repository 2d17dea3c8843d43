"""What graph/ refuses with: each says which field (where one is to blame) and why, in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .importing import Problem
    from .model import Viewer


class Invalid(ValueError):
    """A value is missing or wrong; `field` says which, `reason` why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class NotFound(LookupError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Conflict(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Forbidden(PermissionError):
    """Not for this viewer; said the same whether or not the thing exists."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportRejected(Exception):
    """The files hold bad rows; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s); nothing was imported:\n" + "\n".join(str(p) for p in problems[:200])
        )


SIGN_IN_FIRST = "sign in first"


def require_signed_in(viewer: Viewer) -> str:
    """The viewer's person id; signed-out viewers may change nothing and have nothing of their own."""
    if viewer.person_id is None:
        raise Forbidden(SIGN_IN_FIRST)
    return viewer.person_id
