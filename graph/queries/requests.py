"""Requests that wait for a person's consent: to connect (a tie), or to be supported."""

from __future__ import annotations

from typing import LiteralString

# Requests past their time are as good as gone: every read and answer skips them, and asking
# anew sweeps them away.
_PENDING: LiteralString = "r.expiresAt > datetime()"

DELETE_EXPIRED: LiteralString = "MATCH (r:Request) WHERE r.expiresAt <= datetime() DETACH DELETE r"

CREATE: LiteralString = """
MATCH (a:Person {id: $from_id}), (b:Person {id: $to_id})
CREATE (r:Request {id: $id, kind: $kind, note: $note, strength: $strength, proposedBy: $proposed_by,
                   createdAt: datetime(), expiresAt: datetime() + duration({days: $days})})
CREATE (r)-[:FROM]->(a), (r)-[:TO]->(b)
"""

_ROW: LiteralString = """r.id AS id, r.kind AS kind, r.note AS note, r.strength AS strength,
       r.proposedBy AS proposed_by, a.id AS from_id, b.id AS to_id,
       toString(r.createdAt) AS created_at, toString(r.expiresAt) AS expires_at"""

BY_ID: LiteralString = (
    "MATCH (a:Person)<-[:FROM]-(r:Request {id: $id})-[:TO]->(b:Person) WHERE " + _PENDING + "\nRETURN " + _ROW
)

BETWEEN: LiteralString = (
    "MATCH (a:Person {id: $from_id})<-[:FROM]-(r:Request {kind: $kind})-[:TO]->(b:Person {id: $to_id})\nWHERE "
    + _PENDING
    + "\nRETURN "
    + _ROW
)

# A person's pending requests, either way; the coordinators of the person's networks also see the
# support proposed for them, waiting for a second coordinator (nobody else learns of it: who
# supports someone is for their networks' staff). Oldest first: the first asked expires first.
OF_VIEWER: LiteralString = (
    """
MATCH (a:Person)<-[:FROM]-(r:Request)-[:TO]->(b:Person)
WHERE """
    + _PENDING
    + """ AND ($viewer IN [a.id, b.id, r.proposedBy]
       OR (r.kind = 'support' AND EXISTS { MATCH (v:Person {id: $viewer})-[:WORKS_WITH]->(:Network)
                                            <-[:MEMBER_OF|VOLUNTEERS_FOR]-(b) WHERE v:Coordinator }))
RETURN """
    + _ROW
    + "\nORDER BY r.createdAt, r.id"
)

REMOVE: LiteralString = "MATCH (r:Request {id: $id}) DETACH DELETE r RETURN count(*) AS removed"

SUPPORTER_ROLES: LiteralString = """
MATCH (p:Person {id: $id}) RETURN p:SupportWorker OR p:Volunteer AS may_support
"""
