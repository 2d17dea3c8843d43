"""Every Cypher statement Peermap runs, in one place. Values always travel as parameters."""

from __future__ import annotations

SCHEMA_VERSION = 2

CONSTRAINTS = [
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_id IF NOT EXISTS FOR (n:Skill) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_name IF NOT EXISTS FOR (n:Skill) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT network_id IF NOT EXISTS FOR (n:Network) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT neighbourhood_id IF NOT EXISTS FOR (n:Neighbourhood) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.id IS UNIQUE",
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
    "CREATE RANGE INDEX audit_subject IF NOT EXISTS FOR (n:AuditEntry) ON (n.subjectId)",
    "CREATE RANGE INDEX audit_actor IF NOT EXISTS FOR (n:AuditEntry) ON (n.actorId)",
]

RECORD_SCHEMA_VERSION = """
MERGE (s:PeermapSchema {id: 'peermap'})
SET s.version = $version, s.appliedAt = datetime()
"""

SCHEMA_VERSION_READ = "MATCH (s:PeermapSchema {id: 'peermap'}) RETURN s.version AS version"

AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

PING = "RETURN 1 AS ok"

GRAPH_SIZE = """
CALL () { MATCH (n) WHERE NOT n:PeermapSchema RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
"""

COUNT_NODES = "MATCH (n) WHERE NOT n:PeermapSchema RETURN count(n) AS count"

DELETE_ALL = """
MATCH (n) WHERE NOT n:PeermapSchema
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

# --- writing a dataset -----------------------------------------------------------------

MERGE_NEIGHBOURHOODS = """
UNWIND $rows AS row
MERGE (n:Neighbourhood {id: row.id})
SET n.name = row.name, n.boundary = row.boundary,
    n.centre = point({latitude: row.centre_lat, longitude: row.centre_lon})
"""

MERGE_SKILLS = """
UNWIND $rows AS row
MERGE (s:Skill {id: row.id})
SET s.name = row.name, s.category = row.category
"""

LINK_BROADER_SKILLS = """
UNWIND $rows AS row
MATCH (s:Skill {id: row.id})
OPTIONAL MATCH (s)-[old:BROADER]->()
DELETE old
WITH DISTINCT s, row
MATCH (broader:Skill {id: row.broader_id})
MERGE (s)-[:BROADER]->(broader)
"""

MERGE_NETWORKS = """
UNWIND $rows AS row
MERGE (n:Network {id: row.id})
SET n.name = row.name
"""

# Role labels are set one by one (no dynamic labels) so that any Neo4j 5 server works.
MERGE_PEOPLE = """
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
SET p.name = row.name, p.bio = row.bio, p.locationVisibility = row.visibility,
    p.contact = row.contact, p.contactable = row.contactable, p.skillsHidden = row.skills_hidden,
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

MERGE_PERSON_SKILLS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (s:Skill {id: row.skill_id})
MERGE (p)-[r:HAS_SKILL]->(s)
SET r.mode = row.mode, r.level = row.level, r.since = row.since
"""

# A tie has no direction: MERGE without an arrow finds it whichever way it was stored.
MERGE_TIES = """
UNWIND $rows AS row
MATCH (a:Person {id: row.from_id})
MATCH (b:Person {id: row.to_id})
MERGE (a)-[r:KNOWS]-(b)
SET r.strength = row.strength, r.since = row.since, r.lastContact = row.last_contact
"""

MERGE_SUPPORTS = """
UNWIND $rows AS row
MATCH (a:Person {id: row.supporter_id})
MATCH (b:Person {id: row.person_id})
MERGE (a)-[r:SUPPORTS]->(b)
SET r.since = row.since
"""

MERGE_MEMBERSHIPS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.person_id})
MATCH (n:Network {id: row.network_id})
FOREACH (_ IN CASE WHEN row.kind = 'member' THEN [1] ELSE [] END | MERGE (p)-[:MEMBER_OF]->(n))
FOREACH (_ IN CASE WHEN row.kind = 'volunteer' THEN [1] ELSE [] END | MERGE (p)-[:VOLUNTEERS_FOR]->(n))
FOREACH (_ IN CASE WHEN row.kind = 'staff' THEN [1] ELSE [] END | MERGE (p)-[:WORKS_WITH]->(n))
"""

MERGE_CAMPAIGNS = """
UNWIND $rows AS row
MERGE (c:Campaign {id: row.id})
SET c.title = row.title, c.description = row.description, c.status = row.status,
    c.area = row.area, c.centre = point({latitude: row.centre_lat, longitude: row.centre_lon}),
    c.startsOn = row.starts_on, c.endsOn = row.ends_on
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
  SET r.role = participant.role, r.hours = participant.hours
}
"""

# Which of the given ids exist already, per kind: lets an import refer to what is stored.
EXISTING_IDS = """
CALL () { UNWIND $person_ids AS id MATCH (n:Person {id: id}) RETURN collect(id) AS people }
CALL () { UNWIND $skill_ids AS id MATCH (n:Skill {id: id}) RETURN collect(id) AS skills }
CALL () { UNWIND $network_ids AS id MATCH (n:Network {id: id}) RETURN collect(id) AS networks }
CALL () { UNWIND $neighbourhood_ids AS id MATCH (n:Neighbourhood {id: id})
          RETURN collect(id) AS neighbourhoods }
RETURN people, skills, networks, neighbourhoods
"""

# --- reading a dataset (export) ----------------------------------------------------------

def in_chunks(rows_query: str) -> str:
    """Return a query's `row` maps many to a record.

    The driver handles each record on its own at a cost of a few hundred microseconds in
    Python; a million rows one to a record take minutes, in chunks seconds.
    """
    return rows_query + """
WITH collect(row) AS rows
UNWIND range(0, size(rows) - 1, $chunk) AS start
RETURN rows[start..start + $chunk] AS chunk
"""


EXPORT_NEIGHBOURHOODS = in_chunks("""
MATCH (n:Neighbourhood)
WITH {id: n.id, name: n.name, boundary: n.boundary} AS row ORDER BY row.id
""")

EXPORT_SKILLS = in_chunks("""
MATCH (s:Skill)
OPTIONAL MATCH (s)-[:BROADER]->(b:Skill)
WITH {id: s.id, name: s.name, category: s.category, broader_id: b.id} AS row ORDER BY row.id
""")

EXPORT_NETWORKS = in_chunks("""
MATCH (n:Network)
WITH {id: n.id, name: n.name} AS row ORDER BY row.id
""")

# The exact location, contact details without consent and hidden skills leave the database
# only when the operator asks for a full backup.
EXPORT_PEOPLE = in_chunks("""
MATCH (p:Person)
OPTIONAL MATCH (p)-[:LIVES_IN]->(n:Neighbourhood)
WITH p, n,
     CASE WHEN $exact THEN p.location
          WHEN p.locationVisibility = 'hidden' THEN null
          ELSE p.cell END AS position
WITH {id: p.id, name: p.name, bio: p.bio,
      roles: [label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']],
      lat: position.latitude, lon: position.longitude,
      visibility: coalesce(p.locationVisibility, 'approximate'), neighbourhood_id: n.id,
      contact: CASE WHEN $exact OR p.contactable THEN p.contact ELSE '' END,
      contactable: coalesce(p.contactable, false), skills_hidden: coalesce(p.skillsHidden, false)} AS row
ORDER BY row.id
""")

EXPORT_PERSON_SKILLS = in_chunks("""
MATCH (p:Person)-[r:HAS_SKILL]->(s:Skill)
WHERE $exact OR NOT coalesce(p.skillsHidden, false)
WITH {person_id: p.id, skill_id: s.id, mode: r.mode, level: r.level, since: toString(r.since)} AS row
ORDER BY row.person_id, row.skill_id
""")

EXPORT_TIES = in_chunks("""
MATCH (a:Person)-[r:KNOWS]->(b:Person)
WITH {from_id: a.id, to_id: b.id, strength: r.strength, since: toString(r.since),
      last_contact: toString(r.lastContact)} AS row
ORDER BY row.from_id, row.to_id
""")

EXPORT_SUPPORTS = in_chunks("""
MATCH (a:Person)-[r:SUPPORTS]->(b:Person)
WITH {supporter_id: a.id, person_id: b.id, since: toString(r.since)} AS row
ORDER BY row.supporter_id, row.person_id
""")

EXPORT_MEMBERSHIPS = in_chunks("""
MATCH (p:Person)-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(n:Network)
WITH {person_id: p.id, network_id: n.id, kind: CASE type(r) WHEN 'MEMBER_OF' THEN 'member' WHEN 'VOLUNTEERS_FOR' THEN 'volunteer' ELSE 'staff' END} AS row
ORDER BY row.person_id, row.network_id
""")

# A campaign as a map of plain values, shared by export and by single changes.
_CAMPAIGN_ROW = """{id: c.id, title: c.title, description: c.description, status: c.status, area: c.area,
      starts_on: toString(c.startsOn), ends_on: toString(c.endsOn),
      neighbourhood_ids: COLLECT { MATCH (c)-[:IN_AREA]->(n:Neighbourhood) RETURN n.id ORDER BY n.id },
      needed_skill_ids: COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN s.id ORDER BY s.id },
      participants: COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c)
                              RETURN {person_id: p.id, role: r.role, hours: r.hours} ORDER BY p.id }}"""

EXPORT_CAMPAIGNS = in_chunks(f"""
MATCH (c:Campaign)
WITH {_CAMPAIGN_ROW} AS row
ORDER BY row.id
""")
# --- single changes (the API's mutations) ----------------------------------------------------

# One fixed statement per kind: labels cannot be parameters, and no value is ever pasted in.
EXISTS = {label: f"MATCH (n:{label} {{id: $id}}) RETURN count(n) > 0 AS found"
          for label in ("Person", "Skill", "Network", "Neighbourhood", "Campaign")}

PERSON_RECORD = """
MATCH (p:Person {id: $id})
RETURN p.id AS id, p.name AS name, p.bio AS bio,
       [label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']] AS roles,
       p.location.latitude AS lat, p.location.longitude AS lon, p.locationVisibility AS visibility,
       p.contact AS contact, p.contactable AS contactable, p.skillsHidden AS skills_hidden,
       head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id }) AS neighbourhood_id
"""

# Erasure: the person, their account, tokens, invitations and every tie, skill, membership and
# support go; what others did stays in their logs without the person's id; what the person
# gave to campaigns stays as anonymous totals on the campaigns.
ERASE_PERSON = """
MATCH (p:Person {id: $id})
CALL (p) {
  MATCH (p)-[r:PARTICIPATES_IN]->(c:Campaign)
  SET c.erasedParticipants = coalesce(c.erasedParticipants, 0) + 1,
      c.erasedHours = coalesce(c.erasedHours, 0.0) + coalesce(r.hours, 0.0)
}
CALL (p) {
  MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
  OPTIONAL MATCH (a)-[:HAS_TOKEN]->(t:ApiToken)
  DETACH DELETE t, a
}
CALL (p) { MATCH (i:Invitation)-[:INVITES]->(p) DETACH DELETE i }
CALL (p) { MATCH (i:Invitation {invitedBy: p.id}) SET i.invitedBy = null }
CALL (p) { MATCH (e:AuditEntry {subjectId: p.id}) DETACH DELETE e }
CALL (p) { MATCH (e:AuditEntry {actorId: p.id}) SET e.actorId = null }
CALL (p) { MATCH (e:AuditEntry {onBehalfOfId: p.id}) SET e.onBehalfOfId = null }
DETACH DELETE p
RETURN count(*) AS removed
"""

TIE_BETWEEN = """
MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b})
RETURN r.strength AS strength, toString(r.since) AS since, toString(r.lastContact) AS last_contact
"""

UPDATE_TIE = """
MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b})
SET r.strength = coalesce($strength, r.strength),
    r.lastContact = CASE WHEN $contact IS NULL THEN r.lastContact
                         WHEN r.lastContact IS NULL OR r.lastContact < $contact THEN $contact
                         ELSE r.lastContact END
RETURN r.strength AS strength, toString(r.since) AS since, toString(r.lastContact) AS last_contact
"""

REMOVE_TIE = "MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b}) DELETE r RETURN count(*) AS removed"

REMOVE_PERSON_SKILL = """
MATCH (:Person {id: $person_id})-[r:HAS_SKILL]->(:Skill {id: $skill_id}) DELETE r RETURN count(*) AS removed
"""

LEAVE_NETWORK = """
MATCH (:Person {id: $person_id})-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(:Network {id: $network_id})
DELETE r RETURN count(*) AS removed
"""

NEIGHBOURHOOD_NAME_TAKEN = """
MATCH (n:Neighbourhood) WHERE toLower(n.name) = toLower($name) AND n.id <> $id
RETURN count(n) > 0 AS taken
"""

NEIGHBOURHOOD_RECORD = "MATCH (n:Neighbourhood {id: $id}) RETURN n.id AS id, n.name AS name, n.boundary AS boundary"

CAMPAIGN_RECORD = f"MATCH (c:Campaign {{id: $id}}) RETURN {_CAMPAIGN_ROW} AS row"

END_SUPPORT = """
MATCH (:Person {id: $supporter_id})-[r:SUPPORTS]->(:Person {id: $person_id}) DELETE r RETURN count(*) AS removed
"""

JOIN_CAMPAIGN = """
MATCH (p:Person {id: $person_id}), (c:Campaign {id: $campaign_id})
MERGE (p)-[r:PARTICIPATES_IN]->(c)
ON CREATE SET r.hours = 0.0
SET r.role = $role
"""

LEAVE_CAMPAIGN = """
MATCH (:Person {id: $person_id})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign_id}) DELETE r RETURN count(*) AS removed
"""

LOG_HOURS = """
MATCH (:Person {id: $person_id})-[r:PARTICIPATES_IN]->(:Campaign {id: $campaign_id})
SET r.hours = coalesce(r.hours, 0.0) + $hours
RETURN r.hours AS hours
"""

ADD_NEEDED_SKILL = """
MATCH (c:Campaign {id: $campaign_id}), (s:Skill {id: $skill_id})
MERGE (c)-[:NEEDS_SKILL]->(s)
"""

REMOVE_NEEDED_SKILL = """
MATCH (:Campaign {id: $campaign_id})-[r:NEEDS_SKILL]->(:Skill {id: $skill_id}) DELETE r RETURN count(*) AS removed
"""

CAMPAIGN_DETAILS = """
UNWIND $ids AS wanted
MATCH (c:Campaign {id: wanted})
RETURN wanted AS id,
       COLLECT { MATCH (c)-[:IN_AREA]->(n:Neighbourhood) RETURN {id: n.id, name: n.name} ORDER BY n.name }
         AS neighbourhoods,
       COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN {id: s.id, name: s.name, category: s.category}
                 ORDER BY s.name } AS skills,
       CASE WHEN $viewer IS NULL THEN [] ELSE
         COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c) RETURN {person_id: p.id, role: r.role, hours: r.hours}
                   ORDER BY p.name, p.id } END AS participants,
       COUNT { (:Person)-[:PARTICIPATES_IN]->(c) } + coalesce(c.erasedParticipants, 0) AS participant_count,
       reduce(total = coalesce(c.erasedHours, 0.0),
              hours IN COLLECT { MATCH (:Person)-[r:PARTICIPATES_IN]->(c) RETURN r.hours } |
              total + coalesce(hours, 0.0)) AS total_hours
"""

# --- reading for a viewer ---------------------------------------------------------------

# The viewer's own node (null when signed out) and the networks they work with as staff,
# bound once at the start of every read for a viewer: the checks below then follow a
# person's own few relationships. Written with $viewer inside them instead, they cost Neo4j
# a scan per person (2.3 million db hits for a page of 100 in a 10,000-member graph).
VIEWER_NODE = """OPTIONAL MATCH (viewer_node:Person {id: $viewer})
WITH viewer_node, CASE WHEN viewer_node:Coordinator OR viewer_node:SupportWorker
                       THEN COLLECT { MATCH (viewer_node)-[:WORKS_WITH]->(n:Network) RETURN n } ELSE [] END AS staff_networks
"""
VIEWER = "viewer_node, staff_networks"  # to carry them through a WITH

# How the viewer stands to the person p: graph.model.Audience, the first that holds. Every
# rule of "Who sees what" (README) starts from this. $audience, when not null, stands in for
# it: only the "what others see of me" preview sets it.
AUDIENCE = """coalesce($audience,
  CASE WHEN viewer_node IS NULL THEN 'public'
       WHEN p = viewer_node THEN 'self'
       WHEN EXISTS { (viewer_node)-[:SUPPORTS]->(p) } THEN 'supporter'
       WHEN EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n IN staff_networks } THEN 'network_staff'
       ELSE 'signed_in' END)"""

# Where the viewer may see p's home, given how they stand to p: every map and distance uses this.
SEEN_POSITION = """CASE WHEN audience IN ['self', 'supporter'] THEN p.location
                        WHEN p.locationVisibility = 'hidden' THEN null ELSE p.cell END"""

# The exact location goes only to the person and those who support them; other signed-in
# people get the coarse cell, or nothing when the person chose to hide it; signed-out
# visitors get no person at all. The exact point never leaves the database for a viewer who
# may not see it. Contact details go to others only if the person consented. Rows keep the
# order they come in.
_PERSON_FIELDS = [
    ("id", "p.id"), ("name", "p.name"), ("bio", "p.bio"), ("audience", "audience"),
    ("roles", "[label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']]"),
    ("position", SEEN_POSITION),
    ("position_is_exact", "audience IN ['self', 'supporter'] AND p.location IS NOT NULL"),
    ("contact", "CASE WHEN audience = 'self' OR coalesce(p.contactable, false) THEN coalesce(p.contact, '') END"),
    ("neighbourhood_id", "head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id })"),
]


def _person_view(*, collected: bool) -> str:
    """People as the viewer may see them: a row each, or (collected) all in one row called rows,
    which the driver reads several times faster when there are thousands."""
    start = f"\nWITH p, {AUDIENCE} AS audience\nWHERE audience <> 'public'\n"
    if collected:
        return start + "RETURN collect({" + ", ".join(f"{name}: {value}" for name, value in _PERSON_FIELDS) + "}) AS rows"
    return start + "RETURN " + ", ".join(f"{value} AS {name}" for name, value in _PERSON_FIELDS)


_PERSON_VIEW = _person_view(collected=False)

PEOPLE_BY_IDS = VIEWER_NODE + "UNWIND $ids AS wanted MATCH (p:Person {id: wanted})" + _PERSON_VIEW

AUDIENCE_OF = VIEWER_NODE + f"MATCH (p:Person {{id: $id}}) RETURN {AUDIENCE} AS audience"


def people_search(*, text: bool, role: bool, neighbourhood: bool, network: bool, skill: bool,
                  box: bool, by_distance: bool, collected: bool = False) -> tuple[str, str]:
    """The page query and the count query for a people search with these filters in use.

    Only the shape varies; every value arrives as a parameter. Distance and the box are
    measured on the position the viewer may see (the cell for most), so neither sorting nor
    narrowing the box can reveal more than that. The box first picks cells in a box one cell
    wider on each side (the point index), since an exact home lies within a cell of its own.
    """
    start = VIEWER_NODE + ("CALL db.index.fulltext.queryNodes('person_text', $text) YIELD node AS p WHERE p:Person"
                           if text else "MATCH (p:Person) WHERE true")
    start += " AND $viewer IS NOT NULL"  # signed-out visitors see no people
    conditions = [
        "$role IN labels(p)" if role else "",
        "EXISTS { (p)-[:LIVES_IN]->(:Neighbourhood {id: $neighbourhood}) }" if neighbourhood else "",
        "EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network {id: $network}) }" if network else "",
        "EXISTS { (p)-[:HAS_SKILL {mode: 'offers'}]->(:Skill {id: $skill}) }" if skill else "",
        "point.withinBBox(p.cell, point({latitude: $wide_south, longitude: $wide_west}), "
        "point({latitude: $wide_north, longitude: $wide_east}))" if box else "",
    ]
    match = start + "".join(f" AND {c}" for c in conditions if c)
    if box:
        match += f"""
WITH p, {VIEWER}, {AUDIENCE} AS audience
WITH p, {VIEWER}, {SEEN_POSITION} AS seen
WHERE point.withinBBox(seen, point({{latitude: $south, longitude: $west}}), point({{latitude: $north, longitude: $east}}))"""
    if by_distance:
        order = f"""
WITH p, {VIEWER}, {AUDIENCE} AS audience
WITH p, {VIEWER}, {SEEN_POSITION} AS seen
WITH p, {VIEWER}, point.distance(seen, point({{latitude: $latitude, longitude: $longitude}})) AS distance
ORDER BY distance IS NULL, distance, p.name, p.id SKIP $skip LIMIT $limit"""
    else:
        order = f"\nWITH p, {VIEWER} ORDER BY p.name, p.id SKIP $skip LIMIT $limit"
    return match + order + _person_view(collected=collected), match + "\nRETURN count(p) AS count"


# Skills: to signed-in people unless the person hid them; to themselves and their supporters always.
SKILLS_OF_PEOPLE = VIEWER_NODE + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WITH wanted, p, {AUDIENCE} AS audience
WHERE audience IN ['self', 'supporter'] OR (audience <> 'public' AND NOT coalesce(p.skillsHidden, false))
MATCH (p)-[r:HAS_SKILL]->(s:Skill)
WITH wanted, r, s ORDER BY s.name
RETURN wanted AS id, collect({{id: s.id, name: s.name, category: s.category, mode: r.mode, level: r.level,
                              since: toString(r.since)}}) AS rows
"""

_MEMBERSHIP_KIND = "CASE type(r) WHEN 'MEMBER_OF' THEN 'member' WHEN 'VOLUNTEERS_FOR' THEN 'volunteer' ELSE 'staff' END"

NETWORKS_OF_PEOPLE = VIEWER_NODE + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WHERE {AUDIENCE} <> 'public'
MATCH (p)-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(n:Network)
WITH wanted, r, n ORDER BY n.name
RETURN wanted AS id, collect({{id: n.id, name: n.name, kind: {_MEMBERSHIP_KIND}}}) AS rows
"""

# Who knows whom: the person, their supporters, and the staff of their networks.
_VISIBLE_TIES = VIEWER_NODE + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WHERE {AUDIENCE} IN ['self', 'supporter', 'network_staff']
MATCH (p)-[r:KNOWS]-(other:Person)
"""

TIES_OF_PEOPLE = _VISIBLE_TIES + """WITH wanted, r, other ORDER BY other.name, other.id
WITH wanted, collect({person_id: other.id, strength: r.strength, since: toString(r.since),
                      last_contact: toString(r.lastContact)}) AS rows
RETURN collect({id: wanted, rows: rows}) AS people  // one record: a map asks for thousands of people's ties
"""

# The same ties for a map, one short string each ("from to strength last-contact"; ids hold no
# spaces): for tens of thousands the driver reads strings several times faster than lists or maps.
TIES_AMONG = _VISIBLE_TIES + """
RETURN collect(p.id + ' ' + other.id + ' ' + r.strength + ' ' + coalesce(toString(r.lastContact), '')) AS ties
"""

# Who supports the person: the person, their supporters, and the staff of their networks.
# Whom a person supports: the person only (each of those is visible from the other side).
SUPPORTS_OF_PEOPLE = VIEWER_NODE + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WITH wanted, p, {AUDIENCE} AS audience
RETURN wanted AS id,
       CASE WHEN audience IN ['self', 'supporter', 'network_staff'] THEN
         COLLECT {{ MATCH (s:Person)-[r:SUPPORTS]->(p)
                   RETURN {{supporter_id: s.id, person_id: p.id, since: toString(r.since),
                           may_act_for: coalesce(r.mayActFor, false)}} ORDER BY s.name, s.id }} ELSE [] END AS supporters,
       CASE WHEN audience = 'self' THEN
         COLLECT {{ MATCH (p)-[r:SUPPORTS]->(s:Person)
                   RETURN {{supporter_id: p.id, person_id: s.id, since: toString(r.since),
                           may_act_for: coalesce(r.mayActFor, false)}} ORDER BY s.name, s.id }} ELSE [] END AS supporting
"""


_NEIGHBOURHOOD_VIEW = """
RETURN n.id AS id, n.name AS name, n.boundary AS boundary,
       COUNT { (n)<-[:LIVES_IN]-(:Member) } AS member_count
"""

NEIGHBOURHOODS = "MATCH (n:Neighbourhood)" + _NEIGHBOURHOOD_VIEW + "ORDER BY n.name"

NEIGHBOURHOODS_BY_IDS = "UNWIND $ids AS wanted MATCH (n:Neighbourhood {id: wanted})" + _NEIGHBOURHOOD_VIEW

ALL_SKILLS = "MATCH (s:Skill) RETURN s.id AS id, s.name AS name, s.category AS category ORDER BY s.name"

SKILLS_BY_IDS = """
UNWIND $ids AS wanted MATCH (s:Skill {id: wanted})
RETURN s.id AS id, s.name AS name, s.category AS category
"""

NETWORKS_BY_IDS = "UNWIND $ids AS wanted MATCH (n:Network {id: wanted}) RETURN n.id AS id, n.name AS name"

CAMPAIGN_ORDERS = {
    "newest": "c.startsOn IS NULL, c.startsOn DESC, c.id",
    "oldest": "c.startsOn IS NULL, c.startsOn, c.id",
    "title": "c.title, c.id",
    "nearest": "point.distance(c.centre, point({latitude: $latitude, longitude: $longitude})), c.id",
}


def campaign_search(*, statuses: bool, neighbourhood: bool, starts_from: bool, starts_until: bool, box: bool,
                    radius: bool, order: str) -> tuple[str, str]:
    """The page query and the count query for a campaign search with these filters in use."""
    conditions = [
        "c.status IN $statuses" if statuses else "",
        "EXISTS { (c)-[:IN_AREA]->(:Neighbourhood {id: $neighbourhood}) }" if neighbourhood else "",
        "c.startsOn >= $starts_from" if starts_from else "",
        "c.startsOn <= $starts_until" if starts_until else "",
        "point.withinBBox(c.centre, point({latitude: $south, longitude: $west}), "
        "point({latitude: $north, longitude: $east}))" if box else "",
        "point.distance(c.centre, point({latitude: $latitude, longitude: $longitude})) <= $metres" if radius else "",
    ]
    match = "MATCH (c:Campaign) WHERE true" + "".join(f" AND {c}" for c in conditions if c)
    page = match + f"""
WITH c ORDER BY {CAMPAIGN_ORDERS[order]} SKIP $skip LIMIT $limit
RETURN c.id AS id, c.title AS title, c.description AS description, c.status AS status,
       c.area AS area, c.startsOn AS starts_on, c.endsOn AS ends_on"""
    return page, match + "\nRETURN count(c) AS count"


CAMPAIGNS_BY_IDS = """
UNWIND $ids AS wanted
MATCH (c:Campaign {id: wanted})
RETURN c.id AS id, c.title AS title, c.description AS description, c.status AS status,
       c.area AS area, c.startsOn AS starts_on, c.endsOn AS ends_on
"""


# --- the audit log ----------------------------------------------------------------------------

# Changes are logged one by one; views once a day per viewer, person and kind, with a count,
# so that a support worker's daily work does not bury the changes.
RECORD_CHANGES = """
UNWIND $entries AS e
CREATE (:AuditEntry {at: datetime(), day: date(), action: e.action, subjectId: e.subject_id, actorId: e.actor_id,
                     onBehalfOfId: e.on_behalf_of_id, detail: e.detail, times: 1})
"""

RECORD_VIEWS = """
UNWIND $subject_ids AS subject_id
MERGE (a:AuditEntry {subjectId: subject_id, actorId: $actor_id, action: $action, day: date()})
ON CREATE SET a.times = 0, a.onBehalfOfId = $on_behalf_of_id, a.detail = ''
SET a.times = a.times + 1, a.at = datetime()
"""

AUDIT_ABOUT = """
MATCH (a:AuditEntry {subjectId: $person})
WITH a ORDER BY a.at DESC, elementId(a) SKIP $skip LIMIT $limit
RETURN toString(a.at) AS at, a.action AS action, a.subjectId AS subject_id, a.actorId AS actor_id,
       a.onBehalfOfId AS on_behalf_of_id, a.detail AS detail, a.times AS times
"""

AUDIT_ABOUT_COUNT = "MATCH (a:AuditEntry {subjectId: $person}) RETURN count(a) AS count"

# --- accounts, tokens, invitations ------------------------------------------------------------

# One account per person, one per email (emails stored in lower case, a constraint behind it).
_MAKE_ACCOUNT = """
WITH p, CASE WHEN EXISTS { (p)-[:HAS_ACCOUNT]->(:Account) } THEN 'has account'
             WHEN EXISTS { (:Account {email: $email}) } THEN 'email taken'
             ELSE 'ok' END AS outcome
FOREACH (_ IN CASE WHEN outcome = 'ok' THEN [1] ELSE [] END |
  CREATE (p)-[:HAS_ACCOUNT]->(:Account {email: $email, passwordHash: $hash, epoch: 0, createdAt: datetime()}))
RETURN outcome, p.id AS person_id
"""

CREATE_ACCOUNT = "MATCH (p:Person {id: $person})" + _MAKE_ACCOUNT

ACCOUNT_BY_EMAIL = """
MATCH (p:Person)-[:HAS_ACCOUNT]->(a:Account {email: $email})
RETURN p.id AS person_id, a.email AS email, a.passwordHash AS hash, a.epoch AS epoch
"""

SET_PASSWORD_HASH = "MATCH (a:Account {email: $email}) SET a.passwordHash = $hash"

ACCOUNT_EPOCH = "MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account) RETURN a.epoch AS epoch"

BUMP_EPOCH = "MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(a:Account) SET a.epoch = a.epoch + 1"

_TOKEN_FIELDS = """{id: t.id, name: t.name, created_at: toString(t.createdAt),
                   last_used_at: toString(t.lastUsedAt)}"""

CREATE_TOKEN = f"""
MATCH (:Person {{id: $person}})-[:HAS_ACCOUNT]->(a:Account)
WITH a, COUNT {{ (a)-[:HAS_TOKEN]->(:ApiToken) }} < $limit AS room
OPTIONAL CALL (a, room) {{
  WITH a, room WHERE room
  CREATE (a)-[:HAS_TOKEN]->(t:ApiToken {{id: $id, hash: $hash, name: $name, createdAt: datetime()}})
  RETURN t
}}
RETURN CASE WHEN t IS NULL THEN null ELSE {_TOKEN_FIELDS} END AS token
"""

TOKENS_OF = f"""
MATCH (:Person {{id: $person}})-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken)
RETURN {_TOKEN_FIELDS} AS token ORDER BY t.createdAt, t.id
"""

REVOKE_TOKEN = """
OPTIONAL MATCH (:Person {id: $person})-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken {id: $id})
DETACH DELETE t
RETURN count(t) AS removed
"""

TOKEN_OWNER = """
MATCH (p:Person)-[:HAS_ACCOUNT]->(:Account)-[:HAS_TOKEN]->(t:ApiToken {id: $id})
RETURN p.id AS person_id, t.hash AS hash, t.lastUsedAt AS last_used_at
"""

TOKEN_USED = "MATCH (t:ApiToken {id: $id}) SET t.lastUsedAt = datetime()"

CREATE_INVITATION = """
MATCH (p:Person {id: $person})
WITH p, EXISTS { (p)-[:HAS_ACCOUNT]->(:Account) } AS has_account
FOREACH (_ IN CASE WHEN has_account THEN [] ELSE [1] END |
  CREATE (p)<-[:INVITES]-(:Invitation {id: $id, hash: $hash, invitedBy: $by, createdAt: datetime(),
                                       expiresAt: datetime() + duration({days: $days})}))
RETURN has_account
"""

INVITATION = """
MATCH (i:Invitation {id: $id})-[:INVITES]->(:Person)
WHERE i.expiresAt > datetime()
RETURN i.hash AS hash
"""

# The invitation is used up whatever the outcome, so a code works once.
ACCEPT_INVITATION = """
MATCH (i:Invitation {id: $id})-[:INVITES]->(p:Person)
WHERE i.expiresAt > datetime()
DETACH DELETE i
WITH p""" + _MAKE_ACCOUNT

MAY_ACT_FOR = """
MATCH (:Person {id: $actor})-[r:SUPPORTS]->(:Person {id: $person})
RETURN coalesce(r.mayActFor, false) AS allowed
"""

SET_ACTING_ALLOWED = """
MATCH (:Person {id: $supporter})-[r:SUPPORTS]->(:Person {id: $person})
SET r.mayActFor = $allowed
RETURN count(r) AS changed
"""

# --- who may change what ------------------------------------------------------------------------

_IS_COORDINATOR = "EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator }"

# Each rule a fixed predicate over $viewer and the ids a change touches ($person, $other,
# $campaign, $network); the rule is chosen in code, never by a request.
MAY = {name: f"RETURN ({predicate}) AS allowed" for name, predicate in {
    "signed in": "$viewer IS NOT NULL",
    "coordinator": _IS_COORDINATOR,
    "the person": "$viewer = $person",
    "the person or a coordinator": f"$viewer = $person OR {_IS_COORDINATOR}",
    "either person": "$viewer IN [$person, $other]",
    "either person or a coordinator": f"$viewer IN [$person, $other] OR {_IS_COORDINATOR}",
    "the campaign's team": "EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(:Campaign {id: $campaign}) } "
                           f"OR {_IS_COORDINATOR}",
    "network staff": "EXISTS { (v:Person {id: $viewer})-[:WORKS_WITH]->(:Network {id: $network}) "
                     "WHERE v:Coordinator OR v:SupportWorker }",
}.items()}

# Everything Peermap holds about one person, for them to take away (their right of access).
PERSONAL_DATA = """
MATCH (p:Person {id: $person})
OPTIONAL MATCH (p)-[:HAS_ACCOUNT]->(a:Account)
RETURN {
  id: p.id, name: p.name, bio: p.bio,
  roles: [label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']],
  home: CASE WHEN p.location IS NULL THEN null
             ELSE {latitude: p.location.latitude, longitude: p.location.longitude} END,
  location_visibility: p.locationVisibility, contact: p.contact,
  contactable: coalesce(p.contactable, false), skills_hidden: coalesce(p.skillsHidden, false),
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
COLLECT { MATCH (e:AuditEntry {subjectId: p.id})
          RETURN {at: toString(e.at), action: e.action, by: e.actorId, on_behalf_of: e.onBehalfOfId,
                  detail: e.detail, times: e.times} ORDER BY e.at DESC } AS audit_log
"""

# --- finding peers, introductions, network health, campaign plans -------------------------------

# The skills asked for and every skill under them in the taxonomy (BROADER points up), each
# with the one it was found through and how far below it lies.
SKILLS_UNDER = """
UNWIND $asked AS asked_id
MATCH (s:Skill)-[path:BROADER*0..3]->(asked:Skill {id: asked_id})
RETURN s.id AS id, s.name AS name, asked.id AS asked_id, asked.name AS asked_name, size(path) AS depth
"""

SKILLS_BY_TEXT = """
CALL db.index.fulltext.queryNodes('skill_text', $text) YIELD node, score
RETURN node.id AS id ORDER BY score DESC LIMIT 5
"""

# People within three ties of the viewer, by how many ties away (for hops and withinHops).
REACH = """
MATCH (v:Person {id: $viewer})
RETURN COLLECT { MATCH (v)-[:KNOWS]-(a:Person) RETURN DISTINCT a.id } AS one,
       COLLECT { MATCH (v)-[:KNOWS]-(:Person)-[:KNOWS]-(b:Person) RETURN DISTINCT b.id } AS two,
       COLLECT { MATCH (v)-[:KNOWS]-(:Person)-[:KNOWS]-(:Person)-[:KNOWS]-(c:Person) RETURN DISTINCT c.id } AS three
"""

# Who offers any of these skills and may be found: contactable, skills and home not hidden,
# not the viewer; among given people only, when $among. Distance from the position the viewer
# may see of them. Shared connections are counted (never named) from the candidate's own few
# ties to the viewer's ($friends), and the same network from their own memberships: asked
# from the viewer's side, each candidate would cost a walk through the viewer's whole circle.
# One record holds them all: thousands of records cost the driver far more than one list.
def peer_candidates(*, among: bool) -> str:
    offers = ("UNWIND $among AS candidate MATCH (p:Person {id: candidate})-[r:HAS_SKILL {mode: 'offers'}]->(s:Skill)\n"
              "WITH viewer_node, staff_networks, p, r, s, [w IN $skills WHERE w.id = s.id][0] AS wanted\n"
              "WHERE wanted IS NOT NULL" if among else
              "UNWIND $skills AS wanted\n"
              "MATCH (p:Person)-[r:HAS_SKILL {mode: 'offers'}]->(s:Skill {id: wanted.id})\nWHERE true")
    return VIEWER_NODE + offers + f"""
  AND (viewer_node IS NULL OR p <> viewer_node) AND coalesce(p.contactable, false)
  AND NOT coalesce(p.skillsHidden, false) AND coalesce(p.locationVisibility, 'approximate') <> 'hidden'
WITH {VIEWER}, p, s, r, wanted ORDER BY r.level * wanted.weight DESC, s.name
WITH {VIEWER}, p, collect({{skill_id: s.id, skill: s.name, level: r.level, weight: wanted.weight,
                           asked: wanted.asked, how: wanted.how}})[0] AS best
WITH {VIEWER}, p, best, {AUDIENCE} AS audience
WITH p, best, CASE WHEN audience IN ['self', 'supporter'] THEN p.location ELSE p.cell END AS seen
WITH p, best, point.distance(seen, point({{latitude: $latitude, longitude: $longitude}})) / 1000.0 AS km
WHERE $within_km IS NULL OR km <= $within_km
RETURN collect({{id: p.id, best: best, km: km,
                 shared: COUNT {{ MATCH (p)-[:KNOWS]-(friend:Person) WHERE friend.id IN $friends }},
                 same_network: EXISTS {{ MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n.id IN $networks }}
               }}) AS rows
"""


# The networks a person is a member or the volunteer of.
NETWORK_IDS_OF = "MATCH (:Person {id: $person})-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) RETURN collect(n.id) AS ids"

NEIGHBOURHOOD_CENTRE = """
MATCH (n:Neighbourhood {id: $id}) RETURN n.centre.latitude AS latitude, n.centre.longitude AS longitude
"""

# Where the viewer is, as they see themselves (their exact home).
OWN_HOME = "MATCH (p:Person {id: $viewer}) RETURN p.location.latitude AS latitude, p.location.longitude AS longitude"

# People someone could meet, with what they have in common; existing ties, the person and
# anyone not open to contact are left out. Candidates come from friends of friends, skills one
# could teach the other, shared campaigns and living near (cells within $near_km); a rough
# score (the same weights as peers._introduction, less "also offers") keeps the best $limit
# before their details are gathered: a city has thousands of neighbours within a kilometre.
INTRODUCTIONS = """
MATCH (me:Person {id: $person})
CALL (me) {
  MATCH (me)-[:KNOWS]-(:Person)-[:KNOWS]-(p:Person) RETURN p, 'friend of a friend' AS why
  UNION ALL
  MATCH (me)-[:HAS_SKILL {mode: 'wants'}]->(:Skill)<-[:HAS_SKILL {mode: 'offers'}]-(p:Person)
  WHERE NOT coalesce(p.skillsHidden, false) RETURN p, 'they teach' AS why
  UNION ALL
  MATCH (me)-[:HAS_SKILL {mode: 'offers'}]->(:Skill)<-[:HAS_SKILL {mode: 'wants'}]-(p:Person)
  WHERE NOT coalesce(p.skillsHidden, false) RETURN p, 'you teach' AS why
  UNION ALL
  MATCH (me)-[:PARTICIPATES_IN]->(:Campaign)<-[:PARTICIPATES_IN]-(p:Person) RETURN p, 'campaign' AS why
  UNION ALL
  MATCH (p:Person) WHERE me.cell IS NOT NULL AND point.distance(p.cell, me.cell) <= $near_km * 1000
  RETURN p, 'near' AS why
}
WITH me, p, collect(why) AS whys
WHERE p <> me AND NOT EXISTS { (me)-[:KNOWS]-(p) } AND coalesce(p.contactable, false)
WITH me, p, size([w IN whys WHERE w = 'friend of a friend']) AS shared,
     CASE WHEN 'near' IN whys AND p.locationVisibility <> 'hidden'
          THEN point.distance(p.cell, me.cell) / 1000.0 END AS km, whys
WITH me, p, shared, km,
     3.0 * CASE WHEN shared > 4 THEN 4 ELSE shared END + 4.0 * size([w IN whys WHERE w = 'they teach'])
     + 3.0 * size([w IN whys WHERE w = 'you teach']) + 3.0 * size([w IN whys WHERE w = 'campaign'])
     + CASE WHEN km IS NULL THEN 0.0 ELSE 3.0 / (1 + km) END AS rough
ORDER BY rough DESC, p.id LIMIT $limit
RETURN p.id AS id, shared, km,
       COLLECT { MATCH (me)-[:HAS_SKILL {mode: 'wants'}]->(s:Skill)<-[:HAS_SKILL {mode: 'offers'}]-(p)
                 WHERE NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name } AS they_teach,
       COLLECT { MATCH (me)-[:HAS_SKILL {mode: 'offers'}]->(s:Skill)<-[:HAS_SKILL {mode: 'wants'}]-(p)
                 WHERE NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name } AS you_teach,
       COLLECT { MATCH (me)-[:HAS_SKILL {mode: 'offers'}]->(s:Skill)<-[:HAS_SKILL {mode: 'offers'}]-(p)
                 WHERE NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name } AS both_offer,
       COLLECT { MATCH (me)-[:PARTICIPATES_IN]->(c:Campaign)<-[:PARTICIPATES_IN]-(p) RETURN c.title ORDER BY c.title }
         AS campaigns
"""

# A network's or a neighbourhood's people and every tie they have (inside or out), for the
# health analysis in Python (networkx): a bounded subgraph of tens to hundreds of people.
_HEALTH_ROWS = """
RETURN p.id AS id, p.name AS name,
       [label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']] AS roles,
       COLLECT { MATCH (p)-[r:KNOWS]-(o:Person)
                 RETURN {other: o.id, strength: r.strength, since: toString(r.since),
                         last_contact: toString(r.lastContact),
                         paid: o:SupportWorker AND NOT o:Member AND NOT o:Volunteer} } AS ties
"""

NETWORK_PEOPLE = """
MATCH (:Network {id: $id})<-[:MEMBER_OF|VOLUNTEERS_FOR]-(p:Person)
""" + _HEALTH_ROWS + "ORDER BY p.name, p.id"

NEIGHBOURHOOD_PEOPLE = """
MATCH (:Neighbourhood {id: $id})<-[:LIVES_IN]-(p:Person)
WHERE p:Member OR p:Volunteer
""" + _HEALTH_ROWS + "ORDER BY p.name, p.id"

# Coordinators and support workers who work with a network that has people in the neighbourhood.
MAY_SEE_NEIGHBOURHOOD_CARE = """
RETURN EXISTS {
  MATCH (v:Person {id: $viewer})-[:WORKS_WITH]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(:Person)
        -[:LIVES_IN]->(:Neighbourhood {id: $id})
  WHERE v:Coordinator OR v:SupportWorker } AS allowed
"""

# A campaign, the people of its neighbourhoods and its participants' networks, for the plan.
CAMPAIGN_FOR_PLAN = """
MATCH (c:Campaign {id: $id})
RETURN c.id AS id, c.title AS title, c.area AS area,
       COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN {id: s.id, name: s.name, category: s.category}
                 ORDER BY s.name } AS needed,
       COLLECT { MATCH (p:Person)-[:PARTICIPATES_IN]->(c) RETURN p.id } AS participants,
       COLLECT { MATCH (p:Person)-[:PARTICIPATES_IN]->(c)
                 MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) RETURN DISTINCT n.id } AS networks,
       COLLECT { MATCH (c)-[:IN_AREA]->(:Neighbourhood)<-[:LIVES_IN]-(m:Member) RETURN DISTINCT m.id } AS residents
"""

# Members whom the participants' networks reach: in a network with a participant, or tied to one.
REACHED_BY = """
UNWIND $participants AS pid
MATCH (p:Person {id: pid})
CALL (p) {
  MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(m:Member) RETURN m
  UNION
  MATCH (p)-[:KNOWS]-(m:Member) RETURN m
  UNION
  MATCH (m:Member) WHERE m = p RETURN m
}
RETURN collect(DISTINCT m.id) AS reached
"""

# The people a campaign could draw on: anyone whose cell lies within $metres of its centre
# (the walk to the area itself is measured in Python), and the members of its participants'
# networks.
CAMPAIGN_CANDIDATES = """
MATCH (c:Campaign {id: $id})
CALL (c) {
  MATCH (p:Person) WHERE p.cell IS NOT NULL AND point.distance(p.cell, c.centre) <= $metres RETURN p
  UNION
  MATCH (p:Person)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n.id IN $networks RETURN p
}
RETURN p.id AS id, p.cell.latitude AS latitude, p.cell.longitude AS longitude,
       EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n.id IN $networks } AS in_networks
"""

# People offering a needed skill (or one under it) who already know someone taking part.
CO_PLANNERS = """
MATCH (c:Campaign {id: $id})-[:NEEDS_SKILL]->(needed:Skill)<-[:BROADER*0..3]-(:Skill)
      <-[r:HAS_SKILL {mode: 'offers'}]-(p:Person)
WHERE NOT EXISTS { (p)-[:PARTICIPATES_IN]->(c) } AND coalesce(p.contactable, false)
  AND NOT coalesce(p.skillsHidden, false)
WITH c, p, collect(DISTINCT needed.name) AS skills, max(r.level) AS level
WITH p, skills, level, COUNT { MATCH (p)-[:KNOWS]-(:Person)-[:PARTICIPATES_IN]->(c) } AS knows
WHERE knows > 0
RETURN p.id AS id, skills, level, knows
ORDER BY knows DESC, level DESC, p.id LIMIT $first
"""

# --- aggregates for the public maps ----------------------------------------------------------

# Per neighbourhood: the people living there, and how many offer / want one of $skills (a
# skill and those under it), counting only people who show their skills. Tallied from the
# skills' side: a few thousand people hold a skill, a hundred thousand live somewhere.
SKILL_BY_NEIGHBOURHOOD = """
CALL () {
  MATCH (s:Skill)<-[r:HAS_SKILL]-(p:Person)-[:LIVES_IN]->(n:Neighbourhood)
  WHERE s.id IN $skills AND NOT coalesce(p.skillsHidden, false)
  WITH n.id AS hood, r.mode AS mode, count(DISTINCT p) AS count
  RETURN collect({hood: hood, mode: mode, count: count}) AS tallies
}
MATCH (n:Neighbourhood)
RETURN n.id AS id, n.name AS name, n.boundary AS boundary,
       COUNT { (n)<-[:LIVES_IN]-(:Person) } AS people,
       coalesce([t IN tallies WHERE t.hood = n.id AND t.mode = 'offers' | t.count][0], 0) AS offered,
       coalesce([t IN tallies WHERE t.hood = n.id AND t.mode = 'wants' | t.count][0], 0) AS wanted
ORDER BY n.name
"""

# Per neighbourhood: its members, and how many of them have fewer than $few ties.
ISOLATION_BY_NEIGHBOURHOOD = """
MATCH (n:Neighbourhood)
CALL (n) {
  OPTIONAL MATCH (n)<-[:LIVES_IN]-(m:Member)
  WITH m, CASE WHEN m IS NULL THEN null ELSE COUNT { (m)-[:KNOWS]-(:Person) } END AS ties
  RETURN count(m) AS members, count(CASE WHEN ties < $few THEN 1 END) AS isolated
}
RETURN n.id AS id, n.name AS name, n.boundary AS boundary, members, isolated
ORDER BY n.name
"""
