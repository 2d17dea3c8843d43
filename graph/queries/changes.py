"""Single changes, the API's mutations: each run inside one transaction with its permission check."""

from __future__ import annotations

from typing import LiteralString

from .fragments import CAMPAIGN_ROW, ROLES

# One fixed statement per kind: labels cannot be parameters, and no value is ever pasted in.
EXISTS: dict[str, LiteralString] = {
    label: f"MATCH (n:{label} {{id: $id}}) RETURN count(n) > 0 AS found"
    for label in ("Person", "Skill", "Network", "Neighbourhood", "Campaign")
}

PERSON_RECORD: LiteralString = (
    """
MATCH (p:Person {id: $id})
RETURN p.id AS id, p.name AS name, p.bio AS bio,
       """
    + ROLES
    + """ AS roles,
       p.location.latitude AS lat, p.location.longitude AS lon, p.locationVisibility AS visibility,
       p.contact AS contact, p.contactable AS contactable, p.skillsHidden AS skills_hidden,
       p.tiesShared AS ties_shared,
       head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id }) AS neighbourhood_id
"""
)

# Erasure: the person, their account, tokens, invitations and every tie, skill, membership and
# support go; what others did stays in their logs without the person's id; what the person
# gave to campaigns stays as anonymous totals on the campaigns, and what they alone contributed
# stays without its words, so that the decisions it informed keep their record whole; their time
# credits pass to the community pot, so that every balance still adds up.
ERASE_PERSON: LiteralString = """
MATCH (p:Person {id: $id})
CALL (p) {  // words said by others too stay theirs: only the name goes
  MATCH (p)-[:CONTRIBUTED]->(x:Contribution) WHERE COUNT { (:Person)-[:CONTRIBUTED]->(x) } = 1
  SET x.text = '', x.withdrawn = true
}
CALL (p) { MATCH (n:Notification)-[:TO]->(p) DETACH DELETE n }
CALL (p) {  // who came stays counted, without them
  MATCH (p)-[a:ATTENDED]->(m:Meeting)
  SET m.erasedInPerson = coalesce(m.erasedInPerson, 0) + CASE a.how WHEN 'in person' THEN 1 ELSE 0 END,
      m.erasedRemote = coalesce(m.erasedRemote, 0) + CASE a.how WHEN 'remote' THEN 1 ELSE 0 END
}
CALL (p) { MATCH (p)<-[:TO|FROM]-(e:Exchange {status: 'proposed'}) SET e.status = 'declined', e.awaiting = null }
CALL (p) { MATCH (p)<-[r:FROM]-(e:Exchange) MERGE (pot:Pot {id: 'pot'}) CREATE (e)-[:FROM]->(pot) DELETE r }
CALL (p) { MATCH (p)<-[r:TO]-(e:Exchange) MERGE (pot:Pot {id: 'pot'}) CREATE (e)-[:TO]->(pot) DELETE r }
CALL (p) {
  MATCH (p)-[r:PARTICIPATES_IN]->(c:Campaign)
  SET c.erasedParticipants = coalesce(c.erasedParticipants, 0) + 1,
      c.erasedHours = coalesce(c.erasedHours, 0.0) + coalesce(r.hours, 0.0)
}
CALL (p) { MATCH (p)-[:HAS_ACCOUNT]->(:Account)-[:HAS_SESSION]->(s:Session) DETACH DELETE s }
CALL (p) {
  MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
  OPTIONAL MATCH (a)-[:HAS_TOKEN]->(t:ApiToken)
  DETACH DELETE t, a
}
CALL (p) { MATCH (i:Invitation)-[:INVITES]->(p) DETACH DELETE i }
CALL (p) { MATCH (r:Request)-[:FROM|TO]->(p) DETACH DELETE r }
CALL (p) { MATCH (i:Invitation {invitedBy: p.id}) SET i.invitedBy = null }
CALL (p) { MATCH (e:AuditEntry {subjectId: p.id}) DETACH DELETE e }
CALL (p) { MATCH (e:AuditEntry {actorId: p.id}) SET e.actorId = null }
CALL (p) { MATCH (e:AuditEntry {onBehalfOfId: p.id}) SET e.onBehalfOfId = null }
CALL (p) { MATCH (e:CampaignChange {actorId: p.id}) SET e.actorId = null }
CALL (p) { MATCH (e:CampaignChange {onBehalfOfId: p.id}) SET e.onBehalfOfId = null }
DETACH DELETE p
RETURN count(*) AS removed
"""

SUPPORT_BETWEEN: LiteralString = (
    "MATCH (:Person {id: $supporter})-[r:SUPPORTS]->(:Person {id: $person}) RETURN r.since AS since"
)

TIE_BETWEEN: LiteralString = """
MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b})
RETURN r.strength AS strength, toString(r.since) AS since, toString(r.lastContact) AS last_contact
"""

UPDATE_TIE: LiteralString = """
MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b})
SET r.strength = coalesce($strength, r.strength),
    r.lastContact = CASE WHEN $contact IS NULL THEN r.lastContact
                         WHEN r.lastContact IS NULL OR r.lastContact < $contact THEN $contact
                         ELSE r.lastContact END
RETURN r.strength AS strength, toString(r.since) AS since, toString(r.lastContact) AS last_contact
"""

REMOVE_TIE: LiteralString = "MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b}) DELETE r RETURN count(*) AS removed"

REMOVE_PERSON_SKILL: LiteralString = """
MATCH (:Person {id: $person_id})-[r:HAS_SKILL]->(:Skill {id: $skill_id}) DELETE r RETURN count(*) AS removed
"""

LEAVE_NETWORK: LiteralString = """
MATCH (:Person {id: $person_id})-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(:Network {id: $network_id})
DELETE r RETURN count(*) AS removed
"""

NEIGHBOURHOOD_NAME_TAKEN: LiteralString = """
MATCH (n:Neighbourhood) WHERE toLower(n.name) = toLower($name) AND n.id <> $id
RETURN count(n) > 0 AS taken
"""

NEIGHBOURHOOD_RECORD: LiteralString = (
    "MATCH (n:Neighbourhood {id: $id}) RETURN n.id AS id, n.name AS name, n.boundary AS boundary"
)

CAMPAIGN_RECORD: LiteralString = f"MATCH (c:Campaign {{id: $id}}) RETURN {CAMPAIGN_ROW} AS row"

END_SUPPORT: LiteralString = """
MATCH (:Person {id: $supporter_id})-[r:SUPPORTS]->(:Person {id: $person_id}) DELETE r RETURN count(*) AS removed
"""

# Taking part, in a role of one's own choosing; organisers stay organisers (organising is given
# by the organisers, ORGANISER sets it).
JOIN_CAMPAIGN: LiteralString = """
MATCH (p:Person {id: $person_id}), (c:Campaign {id: $campaign_id})
MERGE (p)-[r:PARTICIPATES_IN]->(c)
ON CREATE SET r.hours = 0.0
SET r.role = CASE WHEN r.role = 'organiser' THEN r.role ELSE $role END
"""

ORGANISER: LiteralString = """
MATCH (p:Person {id: $person_id})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign_id})
SET r.role = CASE WHEN $organiser THEN 'organiser' WHEN r.role = 'organiser' THEN 'participant' ELSE r.role END
RETURN p.name AS name
"""

# What happened to a campaign, by whom: the campaign's own log, read by anyone signed in.
LOG_ON_CAMPAIGN: LiteralString = """
MATCH (c:Campaign {id: $campaign_id})
CREATE (c)<-[:ABOUT]-(:CampaignChange {at: datetime(), action: $action, detail: $detail, actorId: $actor_id,
                                       onBehalfOfId: $on_behalf_of_id})
"""

CAMPAIGN_LOG: LiteralString = """
MATCH (c:Campaign {id: $campaign_id})<-[:ABOUT]-(e:CampaignChange)
WHERE $viewer IS NOT NULL
RETURN toString(e.at) AS at, e.action AS action, e.detail AS detail, e.actorId AS actor_id,
       e.onBehalfOfId AS on_behalf_of_id
ORDER BY e.at DESC LIMIT $limit
"""

LEAVE_CAMPAIGN: LiteralString = """
MATCH (:Person {id: $person_id})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign_id}) DELETE r RETURN count(*) AS removed
"""

LOG_HOURS: LiteralString = """
MATCH (:Person {id: $person_id})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign_id})
SET r.hours = coalesce(r.hours, 0.0) + $hours
RETURN r.hours AS hours
"""

ADD_NEEDED_SKILL: LiteralString = """
MATCH (c:Campaign {id: $campaign_id}), (s:Skill {id: $skill_id})
MERGE (c)-[:NEEDS_SKILL]->(s)
"""

REMOVE_NEEDED_SKILL: LiteralString = """
MATCH (:Campaign {id: $campaign_id})-[r:NEEDS_SKILL]->(:Skill {id: $skill_id}) DELETE r RETURN count(*) AS removed
"""
