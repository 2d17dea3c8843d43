"""Co-production: contributions to a campaign, the decisions they informed, the outcomes carrying
the decisions out, and each outcome's updates.

(p:Person)-[:CONTRIBUTED]->(x:Contribution)-[:TO]->(c:Campaign); (e:Person)-[:ENTERED]->(x) when
a supporter wrote it for p; (r:Person)-[:RECORDED]->(x) when r wrote down what several people
said at a meeting or on a paper form (x.recordedFrom), each of them CONTRIBUTED it; (x)-[:INFORMED]->(d:Decision)-[:ON]->(c);
(p)-[:TOOK_PART {stage}]->(d) for each participant who took part in deciding;
(o:Outcome)-[:CARRIES_OUT]->(d); (u:OutcomeUpdate)-[:OF]->(o).
"""

from __future__ import annotations

from typing import LiteralString

CONTRIBUTE: LiteralString = """
MATCH (p:Person {id: $person}), (c:Campaign {id: $campaign})
CREATE (p)-[:CONTRIBUTED]->(x:Contribution {id: $id, kind: $kind, text: $text, madeAt: datetime(), withdrawn: false,
                                           stage: c.status, area: $area})-[:TO]->(c)
WITH x
CALL (x) { MATCH (e:Person {id: $entered_by}) CREATE (e)-[:ENTERED]->(x) }
RETURN x.madeAt AS made_at
"""

# Written down from a meeting or a paper form: said by people taking part (counted, so that
# anyone else named refuses the whole record).
RECORD: LiteralString = """
MATCH (c:Campaign {id: $campaign}), (r:Person {id: $recorder})
CREATE (r)-[:RECORDED]->(x:Contribution {id: $id, kind: $kind, text: $text, madeAt: datetime(), withdrawn: false,
                                        stage: c.status, recordedFrom: $recorded_from})-[:TO]->(c)
WITH c, x
CALL (c, x) {
  UNWIND $said_by AS speaker
  MATCH (p:Person {id: speaker})-[:PARTICIPATES_IN]->(c)
  CREATE (p)-[:CONTRIBUTED]->(x)
  RETURN count(p) AS speakers
}
RETURN x.madeAt AS made_at, speakers
"""

# One voice each on a proposal or a next area (taking a position again changes it); not on
# withdrawn words, nor in a stopped campaign.
TAKE_POSITION: LiteralString = """
MATCH (p:Person {id: $person}), (x:Contribution {id: $id})-[:TO]->(c:Campaign {id: $campaign})
WHERE x.kind IN ['proposal', 'next area'] AND NOT x.withdrawn AND c.status <> 'stopped'
MERGE (p)-[t:TAKES]->(x)
SET t.stance = $stance, t.reason = $reason, t.at = datetime(), t.stage = c.status
RETURN x.id AS id
"""

DROP_POSITION: LiteralString = """
MATCH (:Person {id: $person})-[t:TAKES]->(:Contribution {id: $id})
DELETE t
RETURN count(*) AS removed
"""

# Only the author's own: anyone else is told there is no such contribution of theirs. Said by
# several people, each takes their own name off; the last takes the words back.
WITHDRAW: LiteralString = """
MATCH (:Person {id: $person})-[mine:CONTRIBUTED]->(x:Contribution {id: $id})-[:TO]->(c:Campaign)
WITH mine, x, c, COUNT { (:Person)-[:CONTRIBUTED]->(x) } AS speakers
FOREACH (_ IN CASE WHEN speakers > 1 THEN [1] ELSE [] END | DELETE mine)
FOREACH (_ IN CASE WHEN speakers = 1 THEN [1] ELSE [] END | SET x.withdrawn = true, x.text = '')
RETURN c.id AS campaign_id
"""

CONTRIBUTION_CAMPAIGN: LiteralString = "MATCH (:Contribution {id: $id})-[:TO]->(c:Campaign) RETURN c.id AS id"
DECISION_CAMPAIGN: LiteralString = "MATCH (:Decision {id: $id})-[:ON]->(c:Campaign) RETURN c.id AS id"
OUTCOME_CAMPAIGN: LiteralString = (
    "MATCH (:Outcome {id: $id})-[:CARRIES_OUT]->(:Decision)-[:ON]->(c:Campaign) RETURN c.id AS id"
)

# A decision and the input that informed it, all in one campaign (withdrawn input informs nothing).
DECIDE: LiteralString = """
MATCH (c:Campaign {id: $campaign})
CREATE (d:Decision {id: $id, statement: $statement, decidedAt: datetime()})-[:ON]->(c)
WITH c, d
CALL (c, d) {
  UNWIND $informed_by AS wanted
  MATCH (x:Contribution {id: wanted})-[:TO]->(c) WHERE NOT x.withdrawn
  CREATE (x)-[:INFORMED]->(d)
  RETURN count(x) AS informed
}
CALL (c, d) {
  UNWIND $took_part AS person
  MATCH (p:Person {id: person})-[:PARTICIPATES_IN]->(c)
  CREATE (p)-[:TOOK_PART {stage: c.status}]->(d)
  RETURN count(p) AS took_part
}
RETURN informed, took_part
"""

ADD_OUTCOME: LiteralString = """
MATCH (d:Decision {id: $decision})-[:ON]->(:Campaign {id: $campaign})
WHERE COUNT { (:Outcome)-[:CARRIES_OUT]->(d) } < $most
CREATE (o:Outcome {id: $id, title: $title, status: $status, progress: $progress, dueOn: $due_on})-[:CARRIES_OUT]->(d)
CREATE (:OutcomeUpdate {at: datetime(), status: $status, progress: $progress, note: ''})-[:OF]->(o)
RETURN o.id AS id
"""

OUTCOME_STATUS: LiteralString = """
MATCH (o:Outcome {id: $id})-[:CARRIES_OUT]->(d:Decision)-[:ON]->(:Campaign {id: $campaign})
RETURN o.status AS status, o.progress AS progress, d.id AS decision
"""

MOVE_OUTCOME: LiteralString = """
MATCH (o:Outcome {id: $id})
SET o.status = $status, o.progress = $progress, o.dueOn = coalesce($due_on, o.dueOn)
CREATE (:OutcomeUpdate {at: datetime(), status: $status, progress: $progress, note: $note})-[:OF]->(o)
"""

# Who said it and who wrote it down from a meeting or a paper form.
_RECORDED: LiteralString = """
       COLLECT { MATCH (a:Person)-[:CONTRIBUTED]->(x) RETURN a.id ORDER BY a.id } AS said_by,
       COLLECT { MATCH (r:Person)-[:RECORDED]->(x) RETURN r.id }[0] AS recorded_by_id, x.recordedFrom AS recorded_from"""

# Who wrote what is for the campaign's participants and coordinators: anyone else reads nothing.
CAMPAIGN_CONTRIBUTIONS: LiteralString = (
    """
MATCH (c:Campaign) WHERE c.id IN $campaigns
  AND (EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
   OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator })
MATCH (x:Contribution)-[:TO]->(c)
RETURN x.id AS id, c.id AS campaign_id, x.kind AS kind, x.text AS text, x.madeAt AS made_at,
       x.withdrawn AS withdrawn, x.area AS area,
       COLLECT { MATCH (a:Person)-[:CONTRIBUTED]->(x) RETURN a.id ORDER BY a.id }[0] AS author_id,
       COLLECT { MATCH (e:Person)-[:ENTERED]->(x) RETURN e.id }[0] AS entered_by_id,"""
    + _RECORDED
    + """,
       COLLECT { MATCH (p:Person)-[t:TAKES]->(x) RETURN {person_id: p.id, stance: t.stance, reason: t.reason}
                 ORDER BY t.at } AS positions
ORDER BY x.madeAt, x.id
"""
)

# The viewer's own contributions, newest first, with the decisions each informed.
OWN_CONTRIBUTIONS: LiteralString = (
    """
MATCH (p:Person {id: $viewer})-[:CONTRIBUTED]->(x:Contribution)-[:TO]->(c:Campaign)
RETURN x.id AS id, c.id AS campaign_id, x.kind AS kind, x.text AS text, x.madeAt AS made_at,
       x.withdrawn AS withdrawn, x.area AS area, p.id AS author_id,
       COLLECT { MATCH (e:Person)-[:ENTERED]->(x) RETURN e.id }[0] AS entered_by_id,"""
    + _RECORDED
    + """,
       COLLECT { MATCH (x)-[:INFORMED]->(d:Decision) RETURN d.id ORDER BY d.decidedAt DESC, d.id LIMIT $decisions }
         AS decision_ids
ORDER BY x.madeAt DESC, x.id
LIMIT $first
"""
)

# Decisions are as public as their campaign; which input informed them is listed by id, and the
# input itself is read (or not) under CAMPAIGN_CONTRIBUTIONS' rule; who took part, like who said
# what, only for those taking part and coordinators.
_DECISION_ROW: LiteralString = """
RETURN d.id AS id, c.id AS campaign_id, d.statement AS statement, d.decidedAt AS decided_at,
       COLLECT { MATCH (x:Contribution)-[:INFORMED]->(d) RETURN x.id ORDER BY x.id } AS informed_by,
       CASE WHEN EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
              OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator }
            THEN COLLECT { MATCH (p:Person)-[:TOOK_PART]->(d) RETURN p.id ORDER BY p.id } ELSE [] END AS took_part,
       COLLECT { MATCH (o:Outcome)-[:CARRIES_OUT]->(d)
                 RETURN {id: o.id, title: o.title, status: o.status, progress: o.progress, due_on: o.dueOn,
                         updates: COLLECT { MATCH (u:OutcomeUpdate)-[:OF]->(o)
                                            RETURN {at: u.at, status: u.status, progress: u.progress, note: u.note}
                                            ORDER BY u.at DESC LIMIT $updates }}
                 ORDER BY o.id } AS outcomes
ORDER BY d.decidedAt, d.id
"""

CAMPAIGN_DECISIONS: LiteralString = "MATCH (d:Decision)-[:ON]->(c:Campaign) WHERE c.id IN $campaigns" + _DECISION_ROW

DECISIONS_BY_IDS: LiteralString = "MATCH (d:Decision)-[:ON]->(c:Campaign) WHERE d.id IN $ids" + _DECISION_ROW

# Everyone whose input informed the decision is told, once each, but not the one who did it.
TELL: LiteralString = """
MATCH (d:Decision {id: $decision})
MATCH (p:Person)-[:CONTRIBUTED]->(:Contribution)-[:INFORMED]->(d)
WITH DISTINCT d, p WHERE $actor IS NULL OR p.id <> $actor
CREATE (n:Notification {id: randomUUID(), event: $event, at: datetime(), read: false,
                        outcomeId: $outcome, status: $status})-[:TO]->(p)
CREATE (n)-[:ABOUT]->(d)
RETURN p.id AS person, n.id AS notification
"""

# A notification is about a decision (and through it its campaign) or a campaign's stage.
_NOTIFICATION_ROW: LiteralString = """
MATCH (n)-[:ABOUT]->(about)
RETURN n.id AS id, n.event AS event, n.at AS at, n.read AS read,
       CASE WHEN about:Decision THEN about.id END AS decision_id,
       CASE WHEN about:Decision THEN COLLECT { MATCH (about)-[:ON]->(c:Campaign) RETURN c.id }[0] ELSE about.id END
         AS campaign_id,
       n.outcomeId AS outcome_id, n.status AS status, n.stage AS stage
"""

OWN_NOTIFICATIONS: LiteralString = (
    """
MATCH (n:Notification)-[:TO]->(:Person {id: $viewer})
WHERE NOT ($unread AND n.read)"""
    + _NOTIFICATION_ROW
    + """ORDER BY n.at DESC, n.id
LIMIT $first
"""
)

NOTIFICATION: LiteralString = "MATCH (n:Notification {id: $id})-[:TO]->(:Person {id: $viewer})" + _NOTIFICATION_ROW

MARK_READ: LiteralString = """
MATCH (n:Notification)-[:TO]->(:Person {id: $person})
WHERE NOT n.read
SET n.read = true
RETURN count(n) AS marked
"""

# The co-production figure's counts, for those taking part and coordinators (like the input itself).
# Roles by precedence: a member is counted as a member, a volunteer as a volunteer, else paid staff.
FIGURES: LiteralString = """
MATCH (c:Campaign) WHERE c.id IN $campaigns
  AND (EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
   OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator })
RETURN c.id AS campaign_id, COUNT { MATCH (d:Decision)-[:ON]->(c) RETURN d } AS decisions,
       COUNT { MATCH (d:Decision)-[:ON]->(c)
               WHERE EXISTS { (:Member)-[:CONTRIBUTED]->(:Contribution)-[:INFORMED]->(d) }
                  OR EXISTS { (:Member)-[:TOOK_PART]->(d) } RETURN d } AS with_members,
       COUNT { MATCH (p:Person)-[:CONTRIBUTED]->(:Contribution)-[:TO]->(c) RETURN DISTINCT p } AS contributors,
       COUNT { MATCH (p:Person)-[:CONTRIBUTED]->(:Contribution)-[:INFORMED]->(:Decision)-[:ON]->(c)
               RETURN DISTINCT p } AS told,
       COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c)
                 RETURN {kind: CASE WHEN p:Member THEN 'member' WHEN p:Volunteer THEN 'volunteer' ELSE 'staff' END,
                         hours: coalesce(r.hours, 0.0)} } AS hours,
       COLLECT { MATCH (p:Person)-[:CONTRIBUTED]->(x:Contribution)-[:TO]->(c)
                 RETURN {stage: x.stage, member: p:Member} AS part
                 UNION MATCH (p:Person)-[t:TAKES]->(:Contribution)-[:TO]->(c)
                 RETURN {stage: t.stage, member: p:Member} AS part
                 UNION MATCH (p:Person)-[t:TOOK_PART]->(:Decision)-[:ON]->(c)
                 RETURN {stage: t.stage, member: p:Member} AS part
                 UNION MATCH (p:Person)-[:SIGNS_OFF]->(c)
                 RETURN {stage: 'review', member: p:Member} AS part
                 UNION MATCH (p:Person)-[a:ATTENDED]->(:Meeting)-[:FOR]->(c)
                 RETURN {stage: a.stage, member: p:Member} AS part
                 UNION MATCH (p:Person)-[a:ANSWERED]->(:Survey)-[:FOR]->(c)
                 RETURN {stage: a.stage, member: p:Member} AS part } AS taking_part
"""
