"""A campaign's life: its stage (c.status), the participants' sign-off at review, and the next focal
point chosen when it completes.

(p:Person)-[:SIGNS_OFF {satisfied, reason, at}]->(c:Campaign); c.reviewSince: when the latest review
began (earlier sign-offs are kept but no longer count; a campaign imported at review has none, and
all its sign-offs count); c.nextRound: 'closed' once its next focal point is chosen (a campaign
imported as completed has none: its round is open); (next:Campaign)-[:FOLLOWS]->(c).
"""

from __future__ import annotations

from typing import LiteralString

STAGE: LiteralString = """
MATCH (c:Campaign {id: $campaign})
RETURN c.status AS stage, c.nextRound AS next_round,
       COUNT { (:Person)-[:PARTICIPATES_IN]->(c) } AS participants,
       COLLECT { MATCH (p:Person)-[s:SIGNS_OFF]->(c) WHERE (c.reviewSince IS NULL OR s.at >= c.reviewSince)
                 AND EXISTS { (p)-[:PARTICIPATES_IN]->(c) }
                 RETURN s.satisfied } AS sign_offs
"""

MOVE: LiteralString = """
MATCH (c:Campaign {id: $campaign})
SET c.stoppedFrom = CASE WHEN $stage = 'stopped' THEN c.status ELSE c.stoppedFrom END,
    c.status = $stage,
    c.stoppedBecause = CASE WHEN $stage = 'stopped' THEN $reason ELSE c.stoppedBecause END,
    c.reviewSince = CASE WHEN $stage = 'review' THEN datetime() ELSE c.reviewSince END,
    c.nextRound = CASE WHEN $stage = 'completed' THEN 'open' ELSE c.nextRound END
"""

# One sign-off each, the latest counting; only by someone taking part, only during review.
SIGN_OFF: LiteralString = """
MATCH (p:Person {id: $person})-[:PARTICIPATES_IN]->(c:Campaign {id: $campaign})
MERGE (p)-[s:SIGNS_OFF]->(c)
SET s.satisfied = $satisfied, s.reason = $reason, s.at = datetime()
RETURN c.id AS id
"""

# Everyone taking part is told the campaign moved on, except the one who moved it.
TELL_PARTICIPANTS: LiteralString = """
MATCH (p:Person)-[:PARTICIPATES_IN]->(c:Campaign {id: $campaign})
WHERE $actor IS NULL OR p.id <> $actor
CREATE (n:Notification {id: randomUUID(), event: $event, at: datetime(), read: false, stage: $stage})-[:TO]->(p)
CREATE (n)-[:ABOUT]->(c)
RETURN p.id AS person, n.id AS notification
"""

# The sign-offs of this review, for those taking part and coordinators (as the input is).
SIGN_OFFS: LiteralString = """
MATCH (c:Campaign) WHERE c.id IN $campaigns
  AND (EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
   OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator })
MATCH (p:Person)-[s:SIGNS_OFF]->(c) WHERE (c.reviewSince IS NULL OR s.at >= c.reviewSince) AND EXISTS { (p)-[:PARTICIPATES_IN]->(c) }
RETURN c.id AS campaign_id, p.id AS person_id, s.satisfied AS satisfied, s.reason AS reason, s.at AS at
ORDER BY s.at, p.id
"""

# A next area proposed when the campaign completed: its support and any objection standing.
NEXT_AREA: LiteralString = """
MATCH (x:Contribution {id: $id, kind: 'next area'})-[:TO]->(c:Campaign {id: $campaign})
WHERE NOT x.withdrawn
RETURN x.text AS text, x.area AS area,
       COUNT { (:Person)-[:TAKES {stance: 'support'}]->(x) } AS support,
       COUNT { (:Person)-[:TAKES {stance: 'object'}]->(x) } AS objections,
       COLLECT { MATCH (a:Person)-[:CONTRIBUTED]->(x) RETURN a.id }[0] AS author_id,
       COLLECT { MATCH (y:Contribution {kind: 'next area'})-[:TO]->(c) WHERE NOT y.withdrawn
                 RETURN COUNT { (:Person)-[:TAKES {stance: 'support'}]->(y) } } AS supports,
       COLLECT { MATCH (y:Contribution {kind: 'next area'})-[:TO]->(c) WHERE NOT y.withdrawn RETURN y.id } AS all_ids
"""

FOLLOW: LiteralString = """
MATCH (next:Campaign {id: $next}), (c:Campaign {id: $campaign})
CREATE (next)-[:FOLLOWS]->(c)
SET c.nextRound = 'closed'
"""
