"""Funding bids for a campaign.

(b:Bid {id, funder, amountPence, status, madeAt})-[:FOR]->(c:Campaign); (p:Person)-[:WROTE]->(b);
(b)-[:FROM]->(d:Decision) when it carries a decision out.
"""

from __future__ import annotations

from typing import LiteralString

# Written by someone taking part; others add their own names (WRITE_TOO), never each other's.
CREATE: LiteralString = """
MATCH (c:Campaign {id: $campaign})
CREATE (b:Bid {id: $id, funder: $funder, amountPence: $amount, status: 'drafting', madeAt: datetime()})-[:FOR]->(c)
WITH b, c
CALL (b, c) {
  UNWIND $writers AS writer
  MATCH (p:Person {id: writer})-[:PARTICIPATES_IN]->(c)
  CREATE (p)-[:WROTE]->(b)
  RETURN count(p) AS writers
}
CALL (b, c) {
  MATCH (d:Decision {id: $decision})-[:ON]->(c)
  CREATE (b)-[:FROM]->(d)
  RETURN count(d) AS decisions
}
RETURN writers, decisions
"""

BID: LiteralString = """
MATCH (b:Bid {id: $id})-[:FOR]->(c:Campaign)
RETURN c.id AS campaign_id, b.status AS status,
       EXISTS { (:Person {id: $viewer})-[:WROTE]->(b) } AS writer
"""

MOVE: LiteralString = "MATCH (b:Bid {id: $id}) SET b.status = $status"

WRITE_TOO: LiteralString = """
MATCH (p:Person {id: $person})-[:PARTICIPATES_IN]->(:Campaign)<-[:FOR]-(b:Bid {id: $id})
MERGE (p)-[:WROTE]->(b)
"""

# Bids are for those taking part and coordinators (their amounts and funders are the campaign's own).
CAMPAIGN_BIDS: LiteralString = """
MATCH (b:Bid)-[:FOR]->(c:Campaign) WHERE c.id IN $campaigns
  AND (EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
   OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator })
RETURN b.id AS id, c.id AS campaign_id, b.funder AS funder, b.amountPence AS amount_pence, b.status AS status,
       b.madeAt AS made_at,
       COLLECT { MATCH (p:Person)-[:WROTE]->(b) RETURN p.id ORDER BY p.id } AS writer_ids,
       COLLECT { MATCH (b)-[:FROM]->(d:Decision) RETURN d.id }[0] AS decision_id
ORDER BY b.madeAt, b.id
"""
