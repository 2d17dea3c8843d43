"""Time credits: exchanges of time between accounts (a person's, or the community pot), counted
once confirmed.

(e:Exchange {id, minutes, what, status, at, awaiting})-[:FROM]->(:Person|:Pot),
(e)-[:TO]->(:Person|:Pot). The pot is one node, (:Pot {id: 'pot'}).
"""

from __future__ import annotations

from typing import LiteralString

# From $from_id to $to_id (null: the pot); waiting for $awaiting (null: confirmed at once).
RECORD: LiteralString = """
MERGE (pot:Pot {id: 'pot'})
WITH pot
OPTIONAL MATCH (giver:Person {id: $from_id})
OPTIONAL MATCH (taker:Person {id: $to_id})
WITH pot, CASE WHEN $from_id IS NULL THEN pot ELSE giver END AS source,
     CASE WHEN $to_id IS NULL THEN pot ELSE taker END AS target
WHERE source IS NOT NULL AND target IS NOT NULL
CREATE (source)<-[:FROM]-(e:Exchange {id: $id, minutes: $minutes, what: $what, at: datetime(),
                                      status: CASE WHEN $awaiting IS NULL THEN 'confirmed' ELSE 'proposed' END,
                                      awaiting: $awaiting})-[:TO]->(target)
RETURN e.at AS at, e.status AS status
"""

# A participant's hours given to a campaign, and how many of them are already time credits.
CAMPAIGN_HOURS: LiteralString = """
MATCH (:Person {id: $person})-[r:PARTICIPATES_IN]->(c:Campaign {id: $campaign})
RETURN r.hours AS hours, coalesce(r.credited, 0.0) AS credited, c.title AS title
"""

CREDITED: LiteralString = """
MATCH (:Person {id: $person})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign})
SET r.credited = r.hours
"""

# Only the person it waits for answers it, and only while it waits.
ANSWER: LiteralString = """
MATCH (e:Exchange {id: $id, status: 'proposed', awaiting: $person})
SET e.status = $status, e.awaiting = null
RETURN e.id AS id
"""

_ROW: LiteralString = """
RETURN e.id AS id, e.minutes AS minutes, e.what AS what, e.status AS status, e.at AS at, e.awaiting AS awaiting,
       COLLECT { MATCH (e)-[:FROM]->(p:Person) RETURN p.id }[0] AS from_id,
       COLLECT { MATCH (e)-[:TO]->(p:Person) RETURN p.id }[0] AS to_id
"""

EXCHANGE: LiteralString = "MATCH (e:Exchange {id: $id})" + _ROW

# The viewer's own exchanges, newest first: only the two sides see one.
OWN_EXCHANGES: LiteralString = (
    "MATCH (e:Exchange)-[:FROM|TO]->(:Person {id: $viewer}) WITH DISTINCT e ORDER BY e.at DESC, e.id LIMIT $first"
    + _ROW
)

# Confirmed minutes in less confirmed minutes out.
_NET: LiteralString = """
RETURN reduce(total = 0, m IN [(a)<-[:TO]-(e:Exchange {status: 'confirmed'}) | e.minutes] | total + m)
     - reduce(total = 0, m IN [(a)<-[:FROM]-(e:Exchange {status: 'confirmed'}) | e.minutes] | total + m) AS minutes
"""

BALANCE: LiteralString = "MATCH (a:Person {id: $viewer})" + _NET

# No pot yet: nothing in it.
POT_BALANCE: LiteralString = "OPTIONAL MATCH (a:Pot {id: 'pot'})" + _NET
