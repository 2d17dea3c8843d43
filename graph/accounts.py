"""Accounts, passwords, API tokens, invitations and sessions: who a request comes from.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second profile).
API tokens and invitation codes are `<kind>_<id>_<secret>`: the id finds the record, and only
a SHA-256 of the secret is stored (the secret is long and random, so a slow hash buys nothing),
so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import queries
from .database import Graph, Transaction
from .errors import Forbidden, Invalid, require_signed_in
from .model import ApiToken
from .permissions import Rule, require
from .viewer_graph import ViewerGraph

MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_TOKENS = 20
SESSION_DAYS = 14
INVITATION_DAYS = 14
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_hasher = PasswordHasher()
# Checked when no account has the email, so that a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _credential(kind: str) -> tuple[str, str, str]:
    """(id, the whole code to hand out, the digest to store)."""
    record_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return record_id, f"{kind}_{record_id}_{secret}", _digest(secret)


def _split(code: str, kind: str) -> tuple[str, str] | None:
    parts = code.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != kind or not re.fullmatch(r"[0-9a-f]{16}", parts[1]) or len(parts[2]) > 100:
        return None
    return parts[1], parts[2]


def check_email(email: str, field: str = "email") -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise Invalid(field, "is not an email address")
    return email


def check_password(password: str, field: str = "password") -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid(field, f"from {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


async def create_account(graph: Graph, person_id: str, email: str, password: str) -> None:
    """An account for an existing person (an operator's command; people come in through invitations)."""
    email, password = check_email(email), check_password(password)
    rows = await graph.write(
        queries.accounts.CREATE_ACCOUNT, person=person_id, email=email, hash=_hasher.hash(password)
    )
    _account_made(rows)


def _account_made(rows: list[dict[str, Any]]) -> None:
    if not rows:
        raise Invalid("person", "no such person")
    outcome = rows[0]["outcome"]
    if outcome == "email taken":
        # Said to the person setting up their own account; they can sign in instead.
        raise Invalid("email", "another account uses this email")
    if outcome == "has account":
        raise Invalid("person", "already has an account")


async def sign_in(graph: Graph, email: str, password: str) -> tuple[str, int] | None:
    """(person id, session epoch) when the email and password match, else None, whichever was wrong."""
    rows = await graph.read(queries.accounts.ACCOUNT_BY_EMAIL, email=email.strip().lower())
    stored = rows[0]["hash"] if rows else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if not rows:
        return None
    if _hasher.check_needs_rehash(stored):
        await graph.write(queries.accounts.SET_PASSWORD_HASH, email=rows[0]["email"], hash=_hasher.hash(password))
    return rows[0]["person_id"], rows[0]["epoch"]


async def has_account(graph: Graph, person_id: str) -> bool:
    return bool(await graph.read(queries.accounts.ACCOUNT_EPOCH, person=person_id))


async def start_session(graph: Graph, person_id: str) -> str:
    """A new browser session for the person; the secret (for the signed cookie) is known only there."""
    secret = secrets.token_urlsafe(32)
    await graph.write(queries.accounts.START_SESSION, person=person_id, hash=_digest(secret), days=SESSION_DAYS)
    return secret


async def session_is_current(graph: Graph, person_id: str, epoch: int, secret: str) -> bool:
    """A session cookie is good while its session was not ended (signing out ends it on the server, so a
    copy of the cookie dies with it), and its person has an account and did not sign out everywhere."""
    rows = await graph.read(queries.accounts.SESSION_STATE, person=person_id, hash=_digest(secret))
    return bool(rows) and rows[0]["epoch"] == epoch and bool(rows[0]["live"])


async def end_session(graph: Graph, secret: str) -> None:
    await graph.write(queries.accounts.END_SESSION, hash=_digest(secret))


async def sign_out_everywhere(graph: ViewerGraph) -> None:
    _require_own_account(graph)
    await graph.write(queries.accounts.BUMP_EPOCH, person=graph.viewer.person_id)


def _require_own_account(graph: ViewerGraph) -> None:
    """Account security (tokens, sessions) is the person's own: not for a supporter acting for them."""
    require_signed_in(graph.viewer)
    if graph.viewer.actor_id is not None:
        raise Forbidden("only the account's owner, signed in as themselves, may do this")


# --- API tokens -------------------------------------------------------------------------------


async def create_token(graph: ViewerGraph, name: str) -> tuple[ApiToken, str]:
    """A new token for the signed-in person (not for someone acting for them); the code is shown once."""
    if graph.viewer.person_id is None or graph.viewer.actor_id is not None:
        raise Forbidden("only the account's owner, signed in as themselves, makes tokens")
    token_id, code, digest = _credential("pmt")
    rows = await graph.write(
        queries.accounts.CREATE_TOKEN,
        person=graph.viewer.person_id,
        id=token_id,
        hash=digest,
        name=name,
        limit=MAX_TOKENS,
    )
    if not rows:
        raise Forbidden("tokens belong to accounts: this person has none")
    if rows[0]["token"] is None:
        raise Invalid("name", f"at most {MAX_TOKENS} tokens: revoke one first")
    return _token(rows[0]["token"]), code


async def tokens_of(graph: ViewerGraph) -> list[ApiToken]:
    if graph.viewer.person_id is None:
        return []
    rows = await graph.read(queries.accounts.TOKENS_OF, person=graph.viewer.person_id)
    return [_token(row["token"]) for row in rows]


async def revoke_token(graph: ViewerGraph, token_id: str) -> None:
    """Revoking deletes it: a token can only be revoked by its owner, and unknown ones look the same."""
    _require_own_account(graph)
    rows = await graph.write(queries.accounts.REVOKE_TOKEN, person=graph.viewer.person_id, id=token_id)
    if not rows[0]["removed"]:
        raise Invalid("id", "you have no token with this id")


async def person_for_token(graph: Graph, code: str) -> tuple[str, str] | None:
    """(whose token this is, the token's id), or None for anything that is not a live token."""
    parts = _split(code, "pmt")
    if parts is None:
        return None
    rows = await graph.read(queries.accounts.TOKEN_OWNER, id=parts[0])
    if not rows or not hmac.compare_digest(rows[0]["hash"], _digest(parts[1])):
        return None
    last_used = rows[0]["last_used_at"]
    if last_used is None or last_used.to_native() < datetime.now(UTC) - timedelta(minutes=10):
        await graph.write(queries.accounts.TOKEN_USED, id=parts[0])  # coarse, to spare a write per request
    return rows[0]["person_id"], parts[0]


def _token(row: dict[str, Any]) -> ApiToken:
    return ApiToken(id=row["id"], name=row["name"], created_at=row["created_at"], last_used_at=row["last_used_at"])


# --- invitations ------------------------------------------------------------------------------


async def invite(graph: ViewerGraph, person_id: str) -> str:
    """A coordinator invites a person already in the network to make an account; the code is shown once."""
    invitation_id, code, digest = _credential("inv")

    async def work(tx: Transaction) -> str:
        await require(tx, graph.viewer, Rule.COORDINATOR)
        rows = await tx.run(
            queries.accounts.CREATE_INVITATION,
            person=person_id,
            id=invitation_id,
            hash=digest,
            days=INVITATION_DAYS,
            by=graph.viewer.actor,
        )
        if not rows:
            raise Invalid("person", "no such person")
        if rows[0]["has_account"]:
            raise Invalid("person", "already has an account")
        return code

    require_signed_in(graph.viewer)
    return await graph.writing(work)


async def accept_invitation(graph: Graph, code: str, email: str, password: str) -> tuple[str, int]:
    """Make the invited person's account; the invitation is used up. Returns (person id, session epoch)."""
    email, password = check_email(email), check_password(password)
    parts = _split(code, "inv")
    rows = await graph.read(queries.accounts.INVITATION, id=parts[0]) if parts else []
    if not parts or not rows or not hmac.compare_digest(rows[0]["hash"], _digest(parts[1])):
        raise Invalid("code", "this invitation is not valid, or was used or has expired")
    made = await graph.write(queries.accounts.ACCEPT_INVITATION, id=parts[0], email=email, hash=_hasher.hash(password))
    if not made:
        raise Invalid("code", "this invitation is not valid, or was used or has expired")
    _account_made(made)
    return made[0]["person_id"], 0


# --- acting on behalf -------------------------------------------------------------------------


async def may_act_for(graph: Graph, actor_id: str, person_id: str) -> bool:
    """The actor supports the person, and the person asked for them to act on their behalf."""
    rows = await graph.read(queries.accounts.MAY_ACT_FOR, actor=actor_id, person=person_id)
    return bool(rows) and bool(rows[0]["allowed"])
