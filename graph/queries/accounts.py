"""Accounts, API tokens, invitations, and who may act for whom."""

from __future__ import annotations

from typing import LiteralString

# One account per person, one per email (emails stored in lower case, a constraint behind it).
_MAKE_ACCOUNT: LiteralString = """
WITH p, CASE WHEN EXISTS { (p)-[:HAS_ACCOUNT]->(:Account) } THEN 'has account'
             WHEN EXISTS { (:Account {email: $email}) } THEN 'email taken'
             ELSE 'ok' END AS outcome
FOREACH (_ IN CASE WHEN outcome = 'ok' THEN [1] ELSE [] END |
  CREATE (p)-[:HAS_ACCOUNT]->(:Account {email: $email, passwordHash: $hash, epoch: 0, createdAt: datetime()}))
RETURN outcome, p.id AS person_id
"""

CREATE_ACCOUNT: LiteralString = "MATCH (p:Person {id: $person})" + _MAKE_ACCOUNT

ACCOUNT_BY_EMAIL: LiteralString = """
MATCH (p:Person)-[:HAS_ACCOUNT]->(a:Account {email: $email})
RETURN p.id AS person_id, a.email AS email, a.passwordHash AS hash, a.epoch AS epoch
"""

SET_PASSWORD_HASH: LiteralString = "MATCH (a:Account {email: $email}) SET a.passwordHash = $hash"

ACCOUNT_EPOCH: LiteralString = "MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account) RETURN a.epoch AS epoch"

# Signing out everywhere: every session ends, and any cookie of an older epoch too.
BUMP_EPOCH: LiteralString = """
MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account)
SET a.epoch = a.epoch + 1
WITH a
OPTIONAL MATCH (a)-[:HAS_SESSION]->(s:Session)
DETACH DELETE s
"""

# A browser session: only a SHA-256 of its secret is kept; sessions past their days go at the next sign-in.
START_SESSION: LiteralString = """
MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account)
CALL (a) {
  MATCH (a)-[:HAS_SESSION]->(old:Session) WHERE old.createdAt < datetime() - duration({days: $days})
  DETACH DELETE old
}
CREATE (a)-[:HAS_SESSION]->(:Session {hash: $hash, createdAt: datetime()})
"""

SESSION_STATE: LiteralString = """
MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account)
RETURN a.epoch AS epoch, EXISTS { (a)-[:HAS_SESSION]->(:Session {hash: $hash}) } AS live
"""

END_SESSION: LiteralString = "MATCH (s:Session {hash: $hash}) DETACH DELETE s"

_TOKEN_FIELDS: LiteralString = """{id: t.id, name: t.name, created_at: toString(t.createdAt),
                   last_used_at: toString(t.lastUsedAt)}"""

# A token only while the account has room for one. (An OPTIONAL CALL whose subquery filters
# on `room` returned a row of nulls when full in Neo4j 5.26, so the refusal never showed and
# a code that never worked was handed out; FOREACH makes the choice, a MATCH reads it back.)
CREATE_TOKEN: LiteralString = f"""
MATCH (:Person {{id: $person}})-[:HAS_ACCOUNT]->(a:Account)
WITH a, COUNT {{ (a)-[:HAS_TOKEN]->(:ApiToken) }} < $limit AS room
FOREACH (_ IN CASE WHEN room THEN [1] ELSE [] END |
  CREATE (a)-[:HAS_TOKEN]->(:ApiToken {{id: $id, hash: $hash, name: $name, createdAt: datetime()}}))
WITH a
OPTIONAL MATCH (a)-[:HAS_TOKEN]->(t:ApiToken {{id: $id}})
RETURN CASE WHEN t IS NULL THEN null ELSE {_TOKEN_FIELDS} END AS token
"""

TOKENS_OF: LiteralString = f"""
MATCH (:Person {{id: $person}})-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken)
RETURN {_TOKEN_FIELDS} AS token ORDER BY t.createdAt, t.id
"""

REVOKE_TOKEN: LiteralString = """
OPTIONAL MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken {id: $id})
DETACH DELETE t
RETURN count(t) AS removed
"""

TOKEN_OWNER: LiteralString = """
MATCH (p:Person)-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken {id: $id})
RETURN p.id AS person_id, t.hash AS hash, t.lastUsedAt AS last_used_at
"""

TOKEN_USED: LiteralString = "MATCH (t:ApiToken {id: $id}) SET t.lastUsedAt = datetime()"

CREATE_INVITATION: LiteralString = """
MATCH (p:Person {id: $person})
WITH p, EXISTS { (p)-[:HAS_ACCOUNT]->(:Account) } AS has_account
FOREACH (_ IN CASE WHEN has_account THEN [] ELSE [1] END |
  CREATE (p)<-[:INVITES]-(:Invitation {id: $id, hash: $hash, invitedBy: $by, createdAt: datetime(),
                                       expiresAt: datetime() + duration({days: $days})}))
RETURN has_account
"""

INVITATION: LiteralString = """
MATCH (i:Invitation {id: $id})-[:INVITES]->(:Person)
WHERE i.expiresAt > datetime()
RETURN i.hash AS hash
"""

# The invitation is used up whatever the outcome, so a code works once.
ACCEPT_INVITATION: LiteralString = (
    """
MATCH (i:Invitation {id: $id})-[:INVITES]->(p:Person)
WHERE i.expiresAt > datetime()
DETACH DELETE i
WITH p"""
    + _MAKE_ACCOUNT
)

MAY_ACT_FOR: LiteralString = """
MATCH (:Person {id: $actor})-[r:SUPPORTS]->(:Person {id: $person})
RETURN coalesce(r.mayActFor, false) AS allowed
"""

SET_ACTING_ALLOWED: LiteralString = """
MATCH (:Person {id: $supporter})-[r:SUPPORTS]->(:Person {id: $person})
SET r.mayActFor = $allowed
RETURN count(r) AS changed
"""
