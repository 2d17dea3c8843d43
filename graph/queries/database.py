"""The database's own housekeeping: constraints and indexes, the schema version, size, emptying."""

from __future__ import annotations

from typing import LiteralString

# 3: consent requests (Request), campaigns' logs (CampaignChange); 4: the co-production loop's
# meetings, surveys and bids by id, and recent news by time (the email sender's claim)
SCHEMA_VERSION = 5

CONSTRAINTS: list[LiteralString] = [
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_id IF NOT EXISTS FOR (n:Skill) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_name IF NOT EXISTS FOR (n:Skill) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT network_id IF NOT EXISTS FOR (n:Network) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT neighbourhood_id IF NOT EXISTS FOR (n:Neighbourhood) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT contribution_id IF NOT EXISTS FOR (n:Contribution) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (n:Decision) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT outcome_id IF NOT EXISTS FOR (n:Outcome) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT notification_id IF NOT EXISTS FOR (n:Notification) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT exchange_id IF NOT EXISTS FOR (n:Exchange) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT pot_id IF NOT EXISTS FOR (n:Pot) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT schema_id IF NOT EXISTS FOR (n:PeermapSchema) REQUIRE n.id IS UNIQUE",
    "CREATE POINT INDEX person_location IF NOT EXISTS FOR (n:Person) ON (n.location)",
    "CREATE POINT INDEX person_cell IF NOT EXISTS FOR (n:Person) ON (n.cell)",
    "CREATE POINT INDEX campaign_centre IF NOT EXISTS FOR (n:Campaign) ON (n.centre)",
    "CREATE RANGE INDEX campaign_status IF NOT EXISTS FOR (n:Campaign) ON (n.status)",
    "CREATE FULLTEXT INDEX person_text IF NOT EXISTS FOR (n:Person) ON EACH [n.name, n.bio]",
    "CREATE FULLTEXT INDEX skill_text IF NOT EXISTS FOR (n:Skill) ON EACH [n.name]",
    "CREATE CONSTRAINT account_email IF NOT EXISTS FOR (n:Account) REQUIRE n.email IS UNIQUE",
    "CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT invitation_id IF NOT EXISTS FOR (n:Invitation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT session_hash IF NOT EXISTS FOR (n:Session) REQUIRE n.hash IS UNIQUE",
    "CREATE RANGE INDEX audit_subject IF NOT EXISTS FOR (n:AuditEntry) ON (n.subjectId)",
    "CREATE RANGE INDEX audit_actor IF NOT EXISTS FOR (n:AuditEntry) ON (n.actorId)",
    "CREATE CONSTRAINT request_id IF NOT EXISTS FOR (n:Request) REQUIRE n.id IS UNIQUE",
    "CREATE RANGE INDEX request_expires IF NOT EXISTS FOR (n:Request) ON (n.expiresAt)",
    "CREATE RANGE INDEX campaign_change_actor IF NOT EXISTS FOR (n:CampaignChange) ON (n.actorId)",
    "CREATE CONSTRAINT meeting_id IF NOT EXISTS FOR (n:Meeting) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT survey_id IF NOT EXISTS FOR (n:Survey) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT question_id IF NOT EXISTS FOR (n:Question) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT bid_id IF NOT EXISTS FOR (n:Bid) REQUIRE n.id IS UNIQUE",
    "CREATE RANGE INDEX notification_at IF NOT EXISTS FOR (n:Notification) ON (n.at)",
    # People by name: a page of them is read in the index's order, not sorted from every person.
    "CREATE RANGE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
]

RECORD_SCHEMA_VERSION: LiteralString = """
MERGE (s:PeermapSchema {id: 'peermap'})
SET s.version = $version, s.appliedAt = datetime()
"""

SCHEMA_VERSION_READ: LiteralString = "MATCH (s:PeermapSchema {id: 'peermap'}) RETURN s.version AS version"

AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"

PING: LiteralString = "RETURN 1 AS ok"

GRAPH_SIZE: LiteralString = """
CALL () { MATCH (n) WHERE NOT n:PeermapSchema RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
"""

COUNT_NODES: LiteralString = "MATCH (n) WHERE NOT n:PeermapSchema RETURN count(n) AS count"

DELETE_ALL: LiteralString = """
MATCH (n) WHERE NOT n:PeermapSchema
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
