"""A campaign's surveys: questions, who has answered (never what), and the answers (never whose).

(s:Survey {id, title, open, respondents, stage})-[:FOR]->(c:Campaign);
(q:Question {id, position, text, kind, choices})-[:IN]->(s);
(p:Person)-[:ANSWERED {stage}]->(s): that p answered, once, and nothing about what;
(a:Answer {value, batch})-[:TO]->(q): an answer with no person, no time; batch = which five
respondents it came with (0 for the first five), so totals can be shown five people at a time.
"""

from __future__ import annotations

from typing import LiteralString

CREATE: LiteralString = """
MATCH (c:Campaign {id: $campaign})
CREATE (s:Survey {id: $id, title: $title, open: true, respondents: 0, createdAt: datetime()})-[:FOR]->(c)
WITH s
UNWIND $questions AS question
CREATE (:Question {id: question.id, position: question.position, text: question.text, kind: question.kind,
                   choices: question.choices})-[:IN]->(s)
"""

SURVEY: LiteralString = """
MATCH (s:Survey {id: $id})-[:FOR]->(c:Campaign)
RETURN c.id AS campaign_id, s.open AS open,
       COLLECT { MATCH (q:Question)-[:IN]->(s) RETURN {id: q.id, kind: q.kind, choices: q.choices}
                 ORDER BY q.position } AS questions
"""

CLOSE: LiteralString = "MATCH (s:Survey {id: $id}) SET s.open = false"

# Once per person, only while open, only by someone taking part: the fact is kept on its own,
# and each answer with the batch of five it belongs to (never the person or the time).
ANSWER: LiteralString = """
MATCH (p:Person {id: $person})-[:PARTICIPATES_IN]->(c:Campaign)<-[:FOR]-(s:Survey {id: $id})
WHERE s.open AND NOT EXISTS { (p)-[:ANSWERED]->(s) }
CREATE (p)-[:ANSWERED {stage: c.status}]->(s)
SET s.counting = true  // the survey's write lock first, so two answers never take the same place
SET s.respondents = s.respondents + 1
REMOVE s.counting
WITH s, (s.respondents - 1) / 5 AS batch
CALL (s, batch) {
  UNWIND $answers AS given
  MATCH (q:Question {id: given.question})-[:IN]->(s)
  CREATE (:Answer {value: given.value, batch: batch})-[:TO]->(q)
}
RETURN s.id AS id
"""

# Surveys are for those taking part and coordinators; results only over whole batches of five.
CAMPAIGN_SURVEYS: LiteralString = """
MATCH (s:Survey)-[:FOR]->(c:Campaign) WHERE c.id IN $campaigns
  AND (EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
   OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator })
WITH s, c, s.respondents / 5 AS shown_batches
RETURN s.id AS id, c.id AS campaign_id, s.title AS title, s.open AS open, s.respondents AS respondents,
       shown_batches * 5 AS counted,
       EXISTS { (:Person {id: $viewer})-[:ANSWERED]->(s) } AS answered,
       COLLECT { MATCH (q:Question)-[:IN]->(s)
                 RETURN {id: q.id, text: q.text, kind: q.kind, choices: q.choices,
                         answers: COLLECT { MATCH (a:Answer)-[:TO]->(q) WHERE a.batch < shown_batches
                                            RETURN a.value ORDER BY a.value }}
                 ORDER BY q.position } AS questions
ORDER BY s.createdAt, s.id
"""
