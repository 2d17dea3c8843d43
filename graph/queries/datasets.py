"""Whole datasets in bulk: merged on ids for the demo and imports, read in chunks for exports."""

from __future__ import annotations

from typing import LiteralString

from .fragments import CAMPAIGN_ROW, ROLES

MERGE_NEIGHBOURHOODS: LiteralString = """
UNWIND $rows AS row
MERGE (n:Neighbourhood {id: row.id})
SET n.name = row.name, n.boundary = row.boundary,
    n.centre = point({latitude: row.centre_lat, longitude: row.centre_lon})
"""

MERGE_SKILLS: LiteralString = """
UNWIND $rows AS row
MERGE (s:Skill {id: row.id})
SET s.name = row.name, s.category = row.category
"""

LINK_BROADER_SKILLS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Skill {id: row.id})
OPTIONAL MATCH (s)-[old:BROADER]->()
DELETE old
WITH DISTINCT s, row
MATCH (broader:Skill {id: row.broader_id})
MERGE (s)-[:BROADER]->(broader)
"""

MERGE_NETWORKS: LiteralString = """
UNWIND $rows AS row
MERGE (n:Network {id: row.id})
SET n.name = row.name
"""

# Role labels are set one by one (no dynamic labels) so that any Neo4j 5 server works.
MERGE_PEOPLE: LiteralString = """
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p.name = row.name, p.bio = row.bio, p.locationVisibility = row.visibility,
    p.contact = row.contact, p.contactable = row.contactable, p.skillsHidden = row.skills_hidden,
    p.tiesShared = row.ties_shared,
    p.location = CASE WHEN row.lat IS NULL THEN null
                      ELSE point({latitude: row.lat, longitude: row.lon}) END,
    p.cell = CASE WHEN row.cell_lat IS NULL THEN null
                  ELSE point({latitude: row.cell_lat, longitude: row.cell_lon}) END
REMOVE p:Member:SupportWorker:Volunteer:Coordinator
FOREACH (_ IN CASE WHEN 'Member' IN row.roles THEN [1] ELSE [] END | SET p:Member)
FOREACH (_ IN CASE WHEN 'SupportWorker' IN row.roles THEN [1] ELSE [] END | SET p:SupportWorker)
FOREACH (_ IN CASE WHEN 'Volunteer' IN row.roles THEN [1] ELSE [] END | SET p:Volunteer)
FOREACH (_ IN CASE WHEN 'Coordinator' IN row.roles THEN [1] ELSE [] END | SET p:Coordinator)
WITH p, row
OPTIONAL MATCH (p)-[old:LIVES_IN]->()
DELETE old
WITH DISTINCT p, row
MATCH (n:Neighbourhood {id: row.neighbourhood_id})
MERGE (p)-[:LIVES_IN]->(n)
"""

MERGE_PERSON_SKILLS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (s:Skill {id: row.skill_id})
MERGE (p)-[r:HAS_SKILL]->(s)
SET r.mode = row.mode, r.level = row.level, r.since = row.since
"""

# A tie has no direction: MERGE without an arrow finds it whichever way it was stored.
MERGE_TIES: LiteralString = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:KNOWS]-(b)
SET r.strength = row.strength, r.since = row.since, r.lastContact = row.last_contact
"""

MERGE_SUPPORTS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Person {id: row.supporter_id})
MATCH (b:Person {id: row.person_id})
MERGE (a)-[r:SUPPORTS]->(b)
SET r.since = row.since
"""

MERGE_MEMBERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (n:Network {id: row.network_id})
FOREACH (_ IN CASE WHEN row.kind = 'member' THEN [1] ELSE [] END | MERGE (p)-[:MEMBER_OF]->(n))
FOREACH (_ IN CASE WHEN row.kind = 'volunteer' THEN [1] ELSE [] END | MERGE (p)-[:VOLUNTEERS_FOR]->(n))
FOREACH (_ IN CASE WHEN row.kind = 'staff' THEN [1] ELSE [] END | MERGE (p)-[:WORKS_WITH]->(n))
"""

MERGE_CAMPAIGNS: LiteralString = """
UNWIND $rows AS row
MERGE (c:Campaign {id: row.id})
SET c.title = row.title, c.description = row.description, c.status = row.status,
    c.area = row.area, c.centre = point({latitude: row.centre_lat, longitude: row.centre_lon}),
    c.startsOn = row.starts_on, c.endsOn = row.ends_on, c.stoppedBecause = row.stopped_because
WITH c, row
CALL (c, row) {
  UNWIND row.neighbourhood_ids AS neighbourhood_id
  MATCH (n:Neighbourhood {id: neighbourhood_id})
  MERGE (c)-[:IN_AREA]->(n)
}
CALL (c, row) {
  UNWIND row.needed_skill_ids AS skill_id
  MATCH (s:Skill {id: skill_id})
  MERGE (c)-[:NEEDS_SKILL]->(s)
}
CALL (c, row) {
  UNWIND row.participants AS participant
  MATCH (p:Person {id: participant.person_id})
  MERGE (p)-[r:PARTICIPATES_IN]->(c)
  // credited hours have become time credits: a file never takes them back
  SET r.role = participant.role, r.hours = participant.hours,
      r.credited = CASE WHEN coalesce(r.credited, 0.0) > participant.credited_hours THEN r.credited
                        ELSE participant.credited_hours END
}
"""

# Which of the given ids exist already, per kind: lets an import refer to what is stored.
EXISTING_IDS: LiteralString = """
CALL () { UNWIND $people AS id MATCH (n:Person {id: id}) RETURN collect(id) AS people }
CALL () { UNWIND $skills AS id MATCH (n:Skill {id: id}) RETURN collect(id) AS skills }
CALL () { UNWIND $networks AS id MATCH (n:Network {id: id}) RETURN collect(id) AS networks }
CALL () { UNWIND $neighbourhoods AS id MATCH (n:Neighbourhood {id: id})
          RETURN collect(id) AS neighbourhoods }
CALL () { UNWIND $campaigns AS id MATCH (n:Campaign {id: id}) RETURN collect(id) AS campaigns }
CALL () { UNWIND $contributions AS id MATCH (n:Contribution {id: id}) RETURN collect(id) AS contributions }
CALL () { UNWIND $decisions AS id MATCH (n:Decision {id: id}) RETURN collect(id) AS decisions }
RETURN people, skills, networks, neighbourhoods, campaigns, contributions, decisions
"""


def in_chunks(rows_query: LiteralString) -> LiteralString:
    """Return a query's `row` maps many to a record.

    The driver handles each record on its own at a cost of a few hundred microseconds in
    Python; a million rows one to a record take minutes, in chunks seconds.
    """
    return (
        rows_query
        + """
WITH collect(row) AS rows
UNWIND range(0, size(rows) - 1, $chunk) AS start
RETURN rows[start..start + $chunk] AS chunk
"""
    )


EXPORT_NEIGHBOURHOODS: LiteralString = in_chunks("""
MATCH (n:Neighbourhood)
WITH {id: n.id, name: n.name, boundary: n.boundary} AS row ORDER BY row.id
""")

EXPORT_SKILLS: LiteralString = in_chunks("""
MATCH (s:Skill)
OPTIONAL MATCH (s)-[:BROADER]->(b:Skill)
WITH {id: s.id, name: s.name, category: s.category, broader_id: b.id} AS row ORDER BY row.id
""")

EXPORT_NETWORKS: LiteralString = in_chunks("""
MATCH (n:Network)
WITH {id: n.id, name: n.name} AS row ORDER BY row.id
""")

# The exact location, contact details without consent and hidden skills leave the database
# only when the operator asks for a full backup.
EXPORT_PEOPLE: LiteralString = in_chunks(
    """
MATCH (p:Person)
OPTIONAL MATCH (p)-[:LIVES_IN]->(n:Neighbourhood)
WITH p, n,
     CASE WHEN $exact THEN p.location
          WHEN p.locationVisibility = 'hidden' THEN null
          ELSE p.cell END AS position
WITH {id: p.id, name: p.name, bio: p.bio,
      roles: """
    + ROLES
    + """,
      lat: position.latitude, lon: position.longitude,
      visibility: coalesce(p.locationVisibility, 'approximate'), neighbourhood_id: n.id,
      contact: CASE WHEN $exact OR p.contactable THEN p.contact ELSE '' END,
      contactable: coalesce(p.contactable, false), skills_hidden: coalesce(p.skillsHidden, false),
      ties_shared: coalesce(p.tiesShared, false)} AS row
ORDER BY row.id
"""
)

EXPORT_PERSON_SKILLS: LiteralString = in_chunks("""
MATCH (p:Person)-[r:HAS_SKILL]->(s:Skill)
WHERE $exact OR NOT coalesce(p.skillsHidden, false)
WITH {person_id: p.id, skill_id: s.id, mode: r.mode, level: r.level, since: toString(r.since)} AS row
ORDER BY row.person_id, row.skill_id
""")

EXPORT_TIES: LiteralString = in_chunks("""
MATCH (a:Person)-[r:KNOWS]->(b:Person)
WITH {from_id: a.id, to_id: b.id, strength: r.strength, since: toString(r.since),
      last_contact: toString(r.lastContact)} AS row
ORDER BY row.from_id, row.to_id
""")

EXPORT_SUPPORTS: LiteralString = in_chunks("""
MATCH (a:Person)-[r:SUPPORTS]->(b:Person)
WITH {supporter_id: a.id, person_id: b.id, since: toString(r.since)} AS row
ORDER BY row.supporter_id, row.person_id
""")

EXPORT_MEMBERSHIPS: LiteralString = in_chunks("""
MATCH (p:Person)-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(n:Network)
WITH {person_id: p.id, network_id: n.id, kind: CASE type(r) WHEN 'MEMBER_OF' THEN 'member' WHEN 'VOLUNTEERS_FOR' THEN 'volunteer' ELSE 'staff' END} AS row
ORDER BY row.person_id, row.network_id
""")

EXPORT_CAMPAIGNS: LiteralString = in_chunks(f"""
MATCH (c:Campaign)
WITH {CAMPAIGN_ROW} AS row
ORDER BY row.id
""")
