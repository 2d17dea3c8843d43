"""Every Cypher statement Peermap runs, in one place. Values always travel as parameters."""

from __future__ import annotations

SCHEMA_VERSION = 1

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

# The exact location leaves the database only when the operator asks for a full backup.
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
      visibility: p.locationVisibility, neighbourhood_id: n.id} AS row
ORDER BY row.id
""")

EXPORT_PERSON_SKILLS = in_chunks("""
MATCH (p:Person)-[r:HAS_SKILL]->(s:Skill)
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
MATCH (p:Person)-[r:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network)
WITH {person_id: p.id, network_id: n.id,
      kind: CASE type(r) WHEN 'MEMBER_OF' THEN 'member' ELSE 'volunteer' END} AS row
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
       head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id }) AS neighbourhood_id
"""

REMOVE_PERSON = "MATCH (p:Person {id: $id}) DETACH DELETE p RETURN count(*) AS removed"

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
MATCH (:Person {id: $person_id})-[r:MEMBER_OF|VOLUNTEERS_FOR]->(:Network {id: $network_id})
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
       COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c) RETURN {person_id: p.id, role: r.role, hours: r.hours}
                 ORDER BY p.name, p.id } AS participants
"""

# --- reading for a viewer ---------------------------------------------------------------

# The exact location is returned only to the person and to those who support them; anyone
# else gets the coarse cell, or nothing when the person chose to hide it. The exact point
# never leaves the database for a viewer who may not see it. Projections only, no MATCH, so
# rows keep the order they come in.
_PERSON_VIEW = """
WITH p, $viewer IS NOT NULL AND (p.id = $viewer OR EXISTS { (:Person {id: $viewer})-[:SUPPORTS]->(p) }) AS may_see_exact
RETURN p.id AS id, p.name AS name, p.bio AS bio,
       [label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']] AS roles,
       CASE WHEN may_see_exact THEN p.location
            WHEN p.locationVisibility = 'hidden' THEN null
            ELSE p.cell END AS position,
       may_see_exact AND p.location IS NOT NULL AS position_is_exact,
       head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id }) AS neighbourhood_id
"""

PEOPLE_BY_IDS = "UNWIND $ids AS wanted MATCH (p:Person {id: wanted})" + _PERSON_VIEW


def people_search(*, text: bool, role: bool, neighbourhood: bool, network: bool, skill: bool,
                  by_distance: bool) -> tuple[str, str]:
    """The page query and the count query for a people search with these filters in use.

    Only the shape varies; every value arrives as a parameter. Distance is measured from the
    position the viewer may see (the cell for most), so sorting cannot reveal more than that.
    """
    start = ("CALL db.index.fulltext.queryNodes('person_text', $text) YIELD node AS p WHERE p:Person"
             if text else "MATCH (p:Person) WHERE true")
    conditions = [
        "$role IN labels(p)" if role else "",
        "EXISTS { (p)-[:LIVES_IN]->(:Neighbourhood {id: $neighbourhood}) }" if neighbourhood else "",
        "EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network {id: $network}) }" if network else "",
        "EXISTS { (p)-[:HAS_SKILL {mode: 'offers'}]->(:Skill {id: $skill}) }" if skill else "",
    ]
    match = start + "".join(f" AND {c}" for c in conditions if c)
    if by_distance:
        order = """
WITH p, CASE WHEN $viewer IS NOT NULL AND (p.id = $viewer OR EXISTS { (:Person {id: $viewer})-[:SUPPORTS]->(p) })
             THEN p.location WHEN p.locationVisibility = 'hidden' THEN null ELSE p.cell END AS seen
WITH p, point.distance(seen, point({latitude: $latitude, longitude: $longitude})) AS distance
ORDER BY distance IS NULL, distance, p.name, p.id SKIP $skip LIMIT $limit"""
    else:
        order = "\nWITH p ORDER BY p.name, p.id SKIP $skip LIMIT $limit"
    return match + order + _PERSON_VIEW, match + "\nRETURN count(p) AS count"


SKILLS_OF_PEOPLE = """
UNWIND $ids AS wanted
MATCH (p:Person {id: wanted})-[r:HAS_SKILL]->(s:Skill)
WITH wanted, r, s ORDER BY s.name
RETURN wanted AS id, collect({id: s.id, name: s.name, category: s.category, mode: r.mode, level: r.level,
                              since: toString(r.since)}) AS rows
"""

NETWORKS_OF_PEOPLE = """
UNWIND $ids AS wanted
MATCH (p:Person {id: wanted})-[r:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network)
WITH wanted, r, n ORDER BY n.name
RETURN wanted AS id, collect({id: n.id, name: n.name,
                              kind: CASE type(r) WHEN 'MEMBER_OF' THEN 'member' ELSE 'volunteer' END}) AS rows
"""

TIES_OF_PEOPLE = """
UNWIND $ids AS wanted
MATCH (p:Person {id: wanted})-[r:KNOWS]-(other:Person)
WITH wanted, r, other ORDER BY other.name, other.id
RETURN wanted AS id, collect({person_id: other.id, strength: r.strength, since: toString(r.since),
                              last_contact: toString(r.lastContact)}) AS rows
"""


_NEIGHBOURHOOD_VIEW = """
RETURN n.id AS id, n.name AS name, n.boundary AS boundary,
       COUNT { (n)<-[:LIVES_IN]-(:Member) } AS member_count
"""

NEIGHBOURHOODS = "MATCH (n:Neighbourhood)" + _NEIGHBOURHOOD_VIEW + "ORDER BY n.name"

NEIGHBOURHOODS_BY_IDS = "UNWIND $ids AS wanted MATCH (n:Neighbourhood {id: wanted})" + _NEIGHBOURHOOD_VIEW

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

