"""The co-production loop's records in bulk, for import (merged on ids) and export (in chunks).

Each row has the shape of its file's items (graph/loop_records.py): times as ISO 8601 text,
the nested parts (a contribution's positions, a decision's outcomes and their updates, a
meeting's attendance, a survey's questions and answers) inside their record.
"""

from __future__ import annotations

from typing import LiteralString

from .datasets import in_chunks

MERGE_CONTRIBUTIONS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Campaign {id: row.campaign_id})
MERGE (x:Contribution {id: row.id})
SET x.kind = row.kind, x.text = row.text, x.madeAt = datetime(row.made_at), x.withdrawn = row.withdrawn,
    x.stage = row.stage, x.area = row.area, x.recordedFrom = row.recorded_from
MERGE (x)-[:TO]->(c)
WITH x, row
CALL (x, row) { UNWIND row.said_by AS speaker MATCH (a:Person {id: speaker}) MERGE (a)-[:CONTRIBUTED]->(x) }
CALL (x, row) { MATCH (e:Person {id: row.entered_by_id}) MERGE (e)-[:ENTERED]->(x) }
CALL (x, row) { MATCH (r:Person {id: row.recorded_by_id}) MERGE (r)-[:RECORDED]->(x) }
CALL (x, row) {
  UNWIND row.positions AS position
  MATCH (p:Person {id: position.person_id})
  MERGE (p)-[t:TAKES]->(x)
  SET t.stance = position.stance, t.reason = position.reason, t.at = datetime(position.at), t.stage = position.stage
}
"""

# An outcome's updates have no id of their own: one is known by its outcome and its time.
MERGE_DECISIONS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Campaign {id: row.campaign_id})
MERGE (d:Decision {id: row.id})
SET d.statement = row.statement, d.decidedAt = datetime(row.decided_at)
MERGE (d)-[:ON]->(c)
WITH d, row
CALL (d, row) {
  UNWIND row.informed_by AS contribution
  MATCH (x:Contribution {id: contribution})
  MERGE (x)-[:INFORMED]->(d)
}
CALL (d, row) {
  UNWIND row.took_part AS taking
  MATCH (p:Person {id: taking.person_id})
  MERGE (p)-[t:TOOK_PART]->(d)
  SET t.stage = taking.stage
}
CALL (d, row) {
  UNWIND row.outcomes AS given
  MERGE (o:Outcome {id: given.id})
  SET o.title = given.title, o.status = given.status, o.progress = given.progress, o.dueOn = date(given.due_on)
  MERGE (o)-[:CARRIES_OUT]->(d)
  WITH o, given
  UNWIND given.updates AS update
  MERGE (o)<-[:OF]-(u:OutcomeUpdate {at: datetime(update.at)})
  SET u.status = update.status, u.progress = update.progress, u.note = update.note
}
"""

MERGE_SIGN_OFFS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id}), (c:Campaign {id: row.campaign_id})
MERGE (p)-[s:SIGNS_OFF]->(c)
SET s.satisfied = row.satisfied, s.reason = row.reason, s.at = datetime(row.at)
"""

MERGE_MEETINGS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Campaign {id: row.campaign_id})
MERGE (m:Meeting {id: row.id})
SET m.title = row.title, m.startsAt = datetime(row.starts_at), m.placeName = row.place_name,
    m.place = CASE WHEN row.latitude IS NULL THEN null
                   ELSE point({latitude: row.latitude, longitude: row.longitude}) END,
    m.accessibility = row.accessibility, m.stage = row.stage,
    m.erasedInPerson = row.erased_in_person, m.erasedRemote = row.erased_remote
MERGE (m)-[:FOR]->(c)
WITH m, row
CALL (m, row) {
  UNWIND row.attendance AS came
  MATCH (p:Person {id: came.person_id})
  MERGE (p)-[a:ATTENDED]->(m)
  SET a.how = came.how, a.stage = came.stage, a.at = datetime(came.at)
}
"""

# Answers have no id and no person (so that nothing links one to whoever gave it): they are
# written only with a survey new to the graph, so importing the same file twice adds none.
MERGE_SURVEYS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Campaign {id: row.campaign_id})
MERGE (s:Survey {id: row.id})
ON CREATE SET s.importing = true
SET s.title = row.title, s.open = row.open, s.respondents = row.respondents, s.createdAt = datetime(row.created_at)
MERGE (s)-[:FOR]->(c)
WITH s, row
CALL (s, row) {
  UNWIND row.questions AS question
  MERGE (q:Question {id: question.id})
  SET q.position = question.position, q.text = question.text, q.kind = question.kind, q.choices = question.choices
  MERGE (q)-[:IN]->(s)
}
CALL (s, row) {
  UNWIND row.answered AS answered
  MATCH (p:Person {id: answered.person_id})
  MERGE (p)-[a:ANSWERED]->(s)
  SET a.stage = answered.stage
}
CALL (s, row) {
  UNWIND CASE WHEN s.importing THEN row.answers ELSE [] END AS given
  MATCH (q:Question {id: given.question_id})-[:IN]->(s)
  CREATE (:Answer {value: given.value, batch: given.batch})-[:TO]->(q)
}
REMOVE s.importing
"""

MERGE_FUNDING_BIDS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Campaign {id: row.campaign_id})
MERGE (b:Bid {id: row.id})
SET b.funder = row.funder, b.amountPence = row.amount_pence, b.status = row.status, b.madeAt = datetime(row.made_at)
MERGE (b)-[:FOR]->(c)
WITH b, row
CALL (b, row) { UNWIND row.writer_ids AS writer MATCH (p:Person {id: writer}) MERGE (p)-[:WROTE]->(b) }
CALL (b, row) { MATCH (d:Decision {id: row.decision_id}) MERGE (b)-[:FROM]->(d) }
"""

# A side with no person is the community pot.
MERGE_EXCHANGES: LiteralString = """
MERGE (pot:Pot {id: 'pot'})
WITH pot
UNWIND $rows AS row
MERGE (e:Exchange {id: row.id})
SET e.minutes = row.minutes, e.what = row.what, e.status = row.status, e.at = datetime(row.at),
    e.awaiting = row.awaiting
WITH pot, e, row
CALL (pot, e, row) {
  OPTIONAL MATCH (p:Person {id: row.from_id})
  WITH coalesce(p, pot) AS source
  MERGE (e)-[:FROM]->(source)
}
CALL (pot, e, row) {
  OPTIONAL MATCH (p:Person {id: row.to_id})
  WITH coalesce(p, pot) AS target
  MERGE (e)-[:TO]->(target)
}
"""

EXPORT_CONTRIBUTIONS: LiteralString = in_chunks("""
MATCH (x:Contribution)-[:TO]->(c:Campaign)
WITH {id: x.id, campaign_id: c.id, kind: x.kind, text: x.text, made_at: toString(x.madeAt),
      withdrawn: x.withdrawn, stage: x.stage, area: x.area,
      said_by: COLLECT { MATCH (a:Person)-[:CONTRIBUTED]->(x) RETURN a.id ORDER BY a.id },
      entered_by_id: COLLECT { MATCH (e:Person)-[:ENTERED]->(x) RETURN e.id }[0],
      recorded_by_id: COLLECT { MATCH (r:Person)-[:RECORDED]->(x) RETURN r.id }[0], recorded_from: x.recordedFrom,
      positions: COLLECT { MATCH (p:Person)-[t:TAKES]->(x)
                           RETURN {person_id: p.id, stance: t.stance, reason: t.reason, at: toString(t.at),
                                   stage: t.stage} ORDER BY p.id }} AS row
ORDER BY row.id
""")

EXPORT_DECISIONS: LiteralString = in_chunks("""
MATCH (d:Decision)-[:ON]->(c:Campaign)
WITH {id: d.id, campaign_id: c.id, statement: d.statement, decided_at: toString(d.decidedAt),
      informed_by: COLLECT { MATCH (x:Contribution)-[:INFORMED]->(d) RETURN x.id ORDER BY x.id },
      took_part: COLLECT { MATCH (p:Person)-[t:TOOK_PART]->(d) RETURN {person_id: p.id, stage: t.stage}
                           ORDER BY p.id },
      outcomes: COLLECT { MATCH (o:Outcome)-[:CARRIES_OUT]->(d)
                          RETURN {id: o.id, title: o.title, status: o.status, progress: o.progress,
                                  due_on: toString(o.dueOn),
                                  updates: COLLECT { MATCH (u:OutcomeUpdate)-[:OF]->(o)
                                                     RETURN {at: toString(u.at), status: u.status,
                                                             progress: u.progress, note: u.note}
                                                     ORDER BY u.at }}
                          ORDER BY o.id }} AS row
ORDER BY row.id
""")

EXPORT_SIGN_OFFS: LiteralString = in_chunks("""
MATCH (p:Person)-[s:SIGNS_OFF]->(c:Campaign)
WITH {person_id: p.id, campaign_id: c.id, satisfied: s.satisfied, reason: s.reason, at: toString(s.at)} AS row
ORDER BY row.campaign_id, row.person_id
""")

EXPORT_MEETINGS: LiteralString = in_chunks("""
MATCH (m:Meeting)-[:FOR]->(c:Campaign)
WITH {id: m.id, campaign_id: c.id, title: m.title, starts_at: toString(m.startsAt), place_name: m.placeName,
      latitude: m.place.latitude, longitude: m.place.longitude, accessibility: m.accessibility, stage: m.stage,
      erased_in_person: coalesce(m.erasedInPerson, 0), erased_remote: coalesce(m.erasedRemote, 0),
      attendance: COLLECT { MATCH (p:Person)-[a:ATTENDED]->(m)
                            RETURN {person_id: p.id, how: a.how, stage: a.stage, at: toString(a.at)}
                            ORDER BY p.id }} AS row
ORDER BY row.id
""")

# Answers in order of batch, question and value: never in the order they were given.
EXPORT_SURVEYS: LiteralString = in_chunks("""
MATCH (s:Survey)-[:FOR]->(c:Campaign)
WITH {id: s.id, campaign_id: c.id, title: s.title, open: s.open, respondents: s.respondents,
      created_at: toString(s.createdAt),
      questions: COLLECT { MATCH (q:Question)-[:IN]->(s)
                           RETURN {id: q.id, position: q.position, text: q.text, kind: q.kind, choices: q.choices}
                           ORDER BY q.position },
      answered: COLLECT { MATCH (p:Person)-[a:ANSWERED]->(s) RETURN {person_id: p.id, stage: a.stage}
                          ORDER BY p.id },
      answers: COLLECT { MATCH (a:Answer)-[:TO]->(q:Question)-[:IN]->(s)
                         RETURN {question_id: q.id, value: a.value, batch: a.batch}
                         ORDER BY a.batch, q.id, a.value }} AS row
ORDER BY row.id
""")

EXPORT_FUNDING_BIDS: LiteralString = in_chunks("""
MATCH (b:Bid)-[:FOR]->(c:Campaign)
WITH {id: b.id, campaign_id: c.id, funder: b.funder, amount_pence: b.amountPence, status: b.status,
      made_at: toString(b.madeAt),
      writer_ids: COLLECT { MATCH (p:Person)-[:WROTE]->(b) RETURN p.id ORDER BY p.id },
      decision_id: COLLECT { MATCH (b)-[:FROM]->(d:Decision) RETURN d.id }[0]} AS row
ORDER BY row.id
""")

EXPORT_EXCHANGES: LiteralString = in_chunks("""
MATCH (e:Exchange)
WITH {id: e.id, minutes: e.minutes, what: e.what, status: e.status, at: toString(e.at), awaiting: e.awaiting,
      from_id: COLLECT { MATCH (e)-[:FROM]->(p:Person) RETURN p.id }[0],
      to_id: COLLECT { MATCH (e)-[:TO]->(p:Person) RETURN p.id }[0]} AS row
ORDER BY row.id
""")
