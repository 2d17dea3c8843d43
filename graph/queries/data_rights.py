"""Everything Peermap holds about one person, for them to take away (their right of access)."""

from __future__ import annotations

from typing import LiteralString

from .fragments import ROLES

# Everything Peermap holds about one person, for them to take away (their right of access).
PERSONAL_DATA: LiteralString = (
    """
MATCH (p:Person {id: $person})
OPTIONAL MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
RETURN {
  id: p.id, name: p.name, bio: p.bio,
  roles: """
    + ROLES
    + """,
  home: CASE WHEN p.location IS NULL THEN null
             ELSE {latitude: p.location.latitude, longitude: p.location.longitude} END,
  location_visibility: p.locationVisibility, contact: p.contact,
  contactable: coalesce(p.contactable, false), skills_hidden: coalesce(p.skillsHidden, false),
  ties_shared: coalesce(p.tiesShared, false),
  neighbourhood: head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.name })
} AS person,
CASE WHEN a IS NULL THEN null ELSE {email: a.email, created_at: toString(a.createdAt),
  api_tokens: COLLECT { MATCH (a)-[:HAS_TOKEN]->(t:ApiToken)
                        RETURN {id: t.id, name: t.name, created_at: toString(t.createdAt),
                                last_used_at: toString(t.lastUsedAt)} ORDER BY t.createdAt }} END AS account,
COLLECT { MATCH (p)-[r:HAS_SKILL]->(s:Skill)
          RETURN {skill: s.name, mode: r.mode, level: r.level, since: toString(r.since)} ORDER BY s.name } AS skills,
COLLECT { MATCH (p)-[r:KNOWS]-(o:Person)
          RETURN {person_id: o.id, name: o.name, strength: r.strength, since: toString(r.since),
                  last_contact: toString(r.lastContact)} ORDER BY o.name, o.id } AS ties,
COLLECT { MATCH (s:Person)-[r:SUPPORTS]->(p)
          RETURN {person_id: s.id, name: s.name, since: toString(r.since), may_act_for: coalesce(r.mayActFor, false)}
          ORDER BY s.name } AS supported_by,
COLLECT { MATCH (p)-[r:SUPPORTS]->(s:Person)
          RETURN {person_id: s.id, name: s.name, since: toString(r.since)} ORDER BY s.name } AS supports,
COLLECT { MATCH (p)-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(n:Network)
          RETURN {network_id: n.id, name: n.name, as: toLower(type(r))} ORDER BY n.name } AS networks,
COLLECT { MATCH (p)-[r:PARTICIPATES_IN]->(c:Campaign)
          RETURN {campaign_id: c.id, title: c.title, role: r.role, hours: r.hours} ORDER BY c.title } AS campaigns,
COLLECT { MATCH (p)-[:CONTRIBUTED]->(x:Contribution)-[:TO]->(c:Campaign)
          RETURN {campaign_id: c.id, kind: x.kind, text: x.text, made_at: toString(x.madeAt), withdrawn: x.withdrawn,
                  entered_by: COLLECT { MATCH (e:Person)-[:ENTERED]->(x) RETURN e.name }[0],
                  informed: COLLECT { MATCH (x)-[:INFORMED]->(d:Decision) RETURN d.statement ORDER BY d.decidedAt }}
          ORDER BY x.madeAt } AS contributions,
COLLECT { MATCH (f:Person)<-[:FROM]-(r:Request)-[:TO]->(t:Person) WHERE p IN [f, t]
          RETURN {kind: r.kind, from: f.name, to: t.name, note: r.note, created_at: toString(r.createdAt),
                  expires_at: toString(r.expiresAt)} ORDER BY r.createdAt } AS requests,
{how: coalesce(p.newsBy, 'at once'), language: coalesce(p.newsLanguage, 'en')} AS news_by_email,
COLLECT { MATCH (p)-[came:ATTENDED]->(m:Meeting)-[:FOR]->(c:Campaign)
          RETURN {campaign_id: c.id, meeting: m.title, starts_at: toString(m.startsAt), how: came.how}
          ORDER BY m.startsAt } AS meetings,
COLLECT { MATCH (p)-[s:SIGNS_OFF]->(c:Campaign)
          RETURN {campaign_id: c.id, satisfied: s.satisfied, reason: s.reason, at: toString(s.at)} ORDER BY s.at }
  AS sign_offs,
// That one answered a survey is kept; what one answered is kept without a name, so it cannot be given back.
COLLECT { MATCH (p)-[:ANSWERED]->(s:Survey)-[:FOR]->(c:Campaign) RETURN {campaign_id: c.id, survey: s.title}
          ORDER BY s.createdAt } AS surveys_answered,
COLLECT { MATCH (p)-[:WROTE]->(b:Bid)-[:FOR]->(c:Campaign)
          RETURN {campaign_id: c.id, funder: b.funder, amount_pence: b.amountPence, status: b.status}
          ORDER BY b.madeAt } AS funding_bids,
COLLECT { MATCH (e:AuditEntry {subjectId: p.id})
          RETURN {at: toString(e.at), action: e.action, by: e.actorId, on_behalf_of: e.onBehalfOfId,
                  detail: e.detail, times: e.times} ORDER BY e.at DESC } AS audit_log
"""
)
