"""Finding peers, introductions, network health and campaign plans."""

from __future__ import annotations

from typing import LiteralString

from .fragments import AUDIENCE, ROLES, SEEN_POSITION, SKILLS_SHOWN, VIEWER, VIEWER_NODE, audience_of, reads_ties

# The skills asked for and every skill under them in the taxonomy (BROADER points up), each
# with the one it was found through and how far below it lies.
SKILLS_UNDER: LiteralString = """
UNWIND $asked AS asked_id
MATCH (s:Skill)-[path:BROADER*0..3]->(asked:Skill {id: asked_id})
RETURN s.id AS id, s.name AS name, asked.id AS asked_id, asked.name AS asked_name, size(path) AS depth,
       COUNT { (s)<-[:HAS_SKILL]-() } AS holders
"""

SKILLS_BY_TEXT: LiteralString = """
CALL db.index.fulltext.queryNodes('skill_text', $text) YIELD node, score
RETURN node.id AS id ORDER BY score DESC LIMIT 5
"""

# People within three ties of the viewer, by how many ties away (for hops and withinHops),
# walking only ties the viewer may read (fragments.reads_ties).
REACH: LiteralString = (
    VIEWER_NODE
    + f"""
RETURN COLLECT {{ MATCH (viewer_node)-[:KNOWS]-(a:Person) RETURN DISTINCT a.id }} AS one,
       COLLECT {{ MATCH (viewer_node)-[:KNOWS]-(a:Person)-[:KNOWS]-(b:Person)
                 WHERE {reads_ties("a")} OR {reads_ties("b")} RETURN DISTINCT b.id }} AS two,
       COLLECT {{ MATCH (viewer_node)-[:KNOWS]-(a:Person)-[:KNOWS]-(b:Person)-[:KNOWS]-(c:Person)
                 WHERE ({reads_ties("a")} OR {reads_ties("b")}) AND ({reads_ties("b")} OR {reads_ties("c")})
                 RETURN DISTINCT c.id }} AS three
"""
)


# Who offers any of these skills ($skills, ids) and may be found: contactable, skills and home
# not hidden, not the viewer; with every such skill they offer, for the caller to weigh (one
# query can serve several searches: a campaign's plan asks for each needed skill at once).
# Distance from the position the viewer may see of them. Shared connections are counted (never
# named) from the candidate's own few ties to the viewer's ($friends), and the same network
# from their own memberships: asked from the viewer's side, each candidate would cost a walk
# through the viewer's whole circle. One record holds them all: thousands of records cost the
# driver far more than one list. Whom it looks at (PEER_CANDIDATE_KINDS):
# - everyone: every holder of the skills;
# - among: only the people $among;
# - ring: people whose cell lies within $cell_km of the point, not within $inner_km (the point
#   index), leaving out those $close to the viewer (peers.find_peers asks about them apart);
# - beyond: every holder but those, and those whose cell lies within $inner_km;
# - campaign: holders among $networked (the people of a campaign's participants' networks) or whose
#   cell lies within $reach_km of the point, each with that cell and whether they are among them
#   (plans.campaign_plan measures the walk to the campaign's area itself).
PEER_CANDIDATE_KINDS = ("everyone", "among", "ring", "beyond", "campaign")


def peer_candidates(kind: str) -> LiteralString:
    here: LiteralString = "point({latitude: $latitude, longitude: $longitude})"
    holders: LiteralString = (
        "UNWIND $skills AS wanted\nMATCH (p:Person)-[r:HAS_SKILL {mode: 'offers'}]->(s:Skill {id: wanted})\nWHERE true"
    )
    if kind == "among":
        offers: LiteralString = (
            "UNWIND $among AS candidate MATCH (p:Person {id: candidate})-[r:HAS_SKILL {mode: 'offers'}]->(s:Skill)\n"
            "WHERE s.id IN $skills"
        )
    elif kind == "ring":
        offers = (
            f"MATCH (p:Person)\nWHERE point.distance(p.cell, {here}) <= $cell_km * 1000.0\n"
            f"  AND ($inner_km IS NULL OR point.distance(p.cell, {here}) > $inner_km * 1000.0) AND NOT p.id IN $close\n"
            "MATCH (p)-[r:HAS_SKILL {mode: 'offers'}]->(s:Skill)\nWHERE s.id IN $skills"
        )
    elif kind == "beyond":
        offers = holders + (
            f" AND NOT p.id IN $close AND (p.cell IS NULL OR point.distance(p.cell, {here}) > $inner_km * 1000.0)"
        )
    elif kind == "campaign":
        # From the skills out: a campaign's area and the walk around it can hold a third of a city.
        offers = (
            "UNWIND $skills AS wanted\nMATCH (s:Skill {id: wanted})\n"
            "CALL (s) { MATCH (p:Person)-[r:HAS_SKILL {mode: 'offers'}]->(s) RETURN p, r }\nWITH * WHERE true"
        ) + (f" AND (p.id IN $networked OR point.distance(p.cell, {here}) <= $reach_km * 1000.0)")
    else:
        offers = holders
    # Strangers (ring, beyond) share no connection or network with the viewer: they are not $close.
    circle: LiteralString = (
        "shared: 0, same_network: false"
        if kind in ("ring", "beyond")
        else f"""shared: COUNT {{ MATCH (p)-[:KNOWS]-(friend:Person) WHERE friend.id IN $friends
                                 AND ({reads_ties("friend")} OR {reads_ties("p")}) }},
                 same_network: EXISTS {{ MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n.id IN $networks }}"""
    )
    reach: LiteralString = (
        ", cell: [p.cell.latitude, p.cell.longitude], in_networks: p.id IN $networked" if kind == "campaign" else ""
    )
    return (
        VIEWER_NODE
        + offers
        + f"""
  AND (viewer_node IS NULL OR p <> viewer_node) AND coalesce(p.contactable, false)
  AND NOT coalesce(p.skillsHidden, false) AND coalesce(p.locationVisibility, 'approximate') <> 'hidden'
WITH {VIEWER}, p, collect({{skill_id: s.id, skill: s.name, level: r.level}}) AS offers
WITH {VIEWER}, p, offers, {audience_of("p", staff=False)} AS audience  // only for where their home is seen
WITH {VIEWER}, p, offers, CASE WHEN audience IN ['self', 'supporter'] THEN p.location ELSE p.cell END AS seen
WITH {VIEWER}, p, offers, point.distance(seen, {here}) / 1000.0 AS km
WHERE $within_km IS NULL OR km <= $within_km
RETURN collect({{id: p.id, offers: offers, km: km, {circle}{reach}}}) AS rows
"""
    )


# The networks the viewer is a member or the volunteer of, and everyone who could owe part of
# their findPeers score to the viewer's circle, whatever the viewer may read: within two ties of
# them (a shared connection), or in one of their networks. Only which people are scored in full
# depends on it, never a score (peers.find_peers).
CIRCLE_OF_VIEWER: LiteralString = """
MATCH (me:Person {id: $viewer})
RETURN COLLECT { MATCH (me)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) RETURN n.id } AS networks,
       COLLECT { MATCH (me)-[:KNOWS*1..2]-(p:Person) RETURN DISTINCT p.id } AS tied,
       COLLECT { MATCH (me)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(p:Person)
                 RETURN DISTINCT p.id } AS networked
"""

NEIGHBOURHOOD_CENTRE: LiteralString = """
MATCH (n:Neighbourhood {id: $id}) RETURN n.centre.latitude AS latitude, n.centre.longitude AS longitude
"""

# Where the viewer is, as they see themselves (their exact home).
OWN_HOME: LiteralString = (
    "MATCH (p:Person {id: $viewer}) RETURN p.location.latitude AS latitude, p.location.longitude AS longitude"
)

# People someone could meet, with what they have in common; existing ties, the person and
# anyone not open to contact are left out. Candidates come from friends of friends, skills one
# could teach the other, shared campaigns and living near (cells within $near_km); a rough
# score (the same weights as peers._introduction, less "also offers") keeps the best $limit
# before their details are gathered: a city has thousands of neighbours within a kilometre.
# Only what the viewer may read of the person counts: their skills unless hidden from the
# viewer, their cell unless their home is hidden from the viewer (so no reason, distance or
# order tells more); candidates count only with skills and homes they show everyone.
INTRODUCTIONS: LiteralString = (
    VIEWER_NODE
    + f"""
MATCH (p:Person {{id: $person}})
WITH {VIEWER}, p, {AUDIENCE} AS audience
WITH {VIEWER}, p AS me, {SKILLS_SHOWN} AS skills_shown, CASE WHEN {SEEN_POSITION} IS NOT NULL THEN p.cell END AS home
// Whom they know, read once: checked candidate by candidate, it walked all their ties each time.
WITH {VIEWER}, me, skills_shown, home, COLLECT {{ MATCH (me)-[:KNOWS]-(known:Person) RETURN known }} AS known
CALL (me, skills_shown, home, viewer_node, staff_networks, supported) {{
  MATCH (me)-[:KNOWS]-(friend:Person)-[:KNOWS]-(p:Person) WHERE {reads_ties("friend")} OR {reads_ties("p")}
  RETURN p, 'friend of a friend' AS why
  UNION ALL
  MATCH (me)-[:HAS_SKILL {{mode: 'wants'}}]->(:Skill)<-[:HAS_SKILL {{mode: 'offers'}}]-(p:Person)
  WHERE skills_shown AND NOT coalesce(p.skillsHidden, false) RETURN p, 'they teach' AS why
  UNION ALL
  MATCH (me)-[:HAS_SKILL {{mode: 'offers'}}]->(:Skill)<-[:HAS_SKILL {{mode: 'wants'}}]-(p:Person)
  WHERE skills_shown AND NOT coalesce(p.skillsHidden, false) RETURN p, 'you teach' AS why
  UNION ALL
  MATCH (me)-[:PARTICIPATES_IN]->(:Campaign)<-[:PARTICIPATES_IN]-(p:Person) RETURN p, 'campaign' AS why
  UNION ALL
  MATCH (p:Person) WHERE home IS NOT NULL AND point.distance(p.cell, home) <= $near_km * 1000
    AND coalesce(p.locationVisibility, 'approximate') <> 'hidden'
  RETURN p, 'near' AS why
}}
WITH me, skills_shown, home, known, p, collect(why) AS whys
WHERE p <> me AND NOT p IN known AND coalesce(p.contactable, false)
WITH me, skills_shown, p, size([w IN whys WHERE w = 'friend of a friend']) AS shared,
     CASE WHEN 'near' IN whys THEN point.distance(p.cell, home) / 1000.0 END AS km, whys
WITH me, skills_shown, p, shared, km,
     3.0 * CASE WHEN shared > 4 THEN 4 ELSE shared END + 4.0 * size([w IN whys WHERE w = 'they teach'])
     + 3.0 * size([w IN whys WHERE w = 'you teach']) + 3.0 * size([w IN whys WHERE w = 'campaign'])
     + CASE WHEN km IS NULL THEN 0.0 ELSE 3.0 / (1 + km) END AS rough
ORDER BY rough DESC, p.id LIMIT $limit
RETURN p.id AS id, shared, km,
       COLLECT {{ MATCH (me)-[:HAS_SKILL {{mode: 'wants'}}]->(s:Skill)<-[:HAS_SKILL {{mode: 'offers'}}]-(p)
                 WHERE skills_shown AND NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name }} AS they_teach,
       COLLECT {{ MATCH (me)-[:HAS_SKILL {{mode: 'offers'}}]->(s:Skill)<-[:HAS_SKILL {{mode: 'wants'}}]-(p)
                 WHERE skills_shown AND NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name }} AS you_teach,
       COLLECT {{ MATCH (me)-[:HAS_SKILL {{mode: 'offers'}}]->(s:Skill)<-[:HAS_SKILL {{mode: 'offers'}}]-(p)
                 WHERE skills_shown AND NOT coalesce(p.skillsHidden, false) RETURN s.name ORDER BY s.name }} AS both_offer,
       COLLECT {{ MATCH (me)-[:PARTICIPATES_IN]->(c:Campaign)<-[:PARTICIPATES_IN]-(p) RETURN c.title ORDER BY c.title }}
         AS campaigns
"""
)

# A network's or a neighbourhood's people and every tie they have (inside or out), for the
# health analysis in Python (networkx): a bounded subgraph of tens to a few thousand people, in
# one record (thousands of records cost the driver far more than one list).
_HEALTH_ROWS: LiteralString = (
    """
WITH p ORDER BY p.name, p.id
RETURN collect({id: p.id, name: p.name, roles: """
    + ROLES
    + """,
       ties: COLLECT { MATCH (p)-[r:KNOWS]-(o:Person)
                       RETURN {other: o.id, strength: r.strength, since: toString(r.since),
                               last_contact: toString(r.lastContact),
                               paid: o:SupportWorker AND NOT o:Member AND NOT o:Volunteer} }}) AS rows
"""
)

NETWORK_PEOPLE: LiteralString = (
    """
MATCH (:Network {id: $id})<-[:MEMBER_OF|VOLUNTEERS_FOR]-(p:Person)
"""
    + _HEALTH_ROWS
)

# The residents whose care figures the viewer may see: the people of the networks they work with
# (as a coordinator or support worker: staff_networks). Asked from the viewer's side for each
# resident, the city-wide coordinator's 10,000 networks took 13 s for 2,000 residents.
NEIGHBOURHOOD_PEOPLE: LiteralString = (
    VIEWER_NODE
    + """
MATCH (:Neighbourhood {id: $id})<-[:LIVES_IN]-(p:Person)
WHERE (p:Member OR p:Volunteer)
  AND EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n IN staff_networks }
"""
    + _HEALTH_ROWS
)

# Coordinators and support workers who work with a network that has people in the neighbourhood.
MAY_SEE_NEIGHBOURHOOD_CARE: LiteralString = """
RETURN EXISTS {
  MATCH (v:Person {id: $viewer})-[:WORKS_WITH]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(:Person)
        -[:LIVES_IN]->(:Neighbourhood {id: $id})
  WHERE v:Coordinator OR v:SupportWorker } AS allowed
"""

# A campaign, the people of its neighbourhoods and of its participants' networks, for the plan.
CAMPAIGN_FOR_PLAN: LiteralString = """
MATCH (c:Campaign {id: $id})
RETURN c.id AS id, c.title AS title, c.area AS area,
       COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN {id: s.id, name: s.name, category: s.category}
                 ORDER BY s.name } AS needed,
       COLLECT { MATCH (p:Person)-[:PARTICIPATES_IN]->(c) RETURN p.id } AS participants,
       COLLECT { MATCH (p:Person)-[:PARTICIPATES_IN]->(c)
                 MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(m:Person)
                 RETURN DISTINCT m.id } AS networked,
       COLLECT { MATCH (c)-[:IN_AREA]->(:Neighbourhood)<-[:LIVES_IN]-(m:Member) RETURN DISTINCT m.id } AS residents
"""

# Members whom the participants' networks reach: in a network with a participant, or tied to
# one by a tie the viewer may read.
REACHED_BY: LiteralString = (
    VIEWER_NODE
    + f"""
UNWIND $participants AS pid
MATCH (p:Person {{id: pid}})
CALL (p, viewer_node, staff_networks, supported) {{
  MATCH (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(m:Member) RETURN m
  UNION
  MATCH (p)-[:KNOWS]-(m:Member) WHERE {reads_ties("p")} OR {reads_ties("m")} RETURN m
  UNION
  MATCH (m:Member) WHERE m = p RETURN m
}}
RETURN collect(DISTINCT m.id) AS reached
"""
)

# People offering a needed skill (or one under it) who already know someone taking part.
CO_PLANNERS: LiteralString = (
    VIEWER_NODE
    + f"""
CALL () {{  // grouped apart from the viewer's lists: carried through the grouping, they filled memory
  // Only people who know someone taking part can count (knows > 0): start from those taking part.
  MATCH (c:Campaign {{id: $id}})<-[:PARTICIPATES_IN]-(:Person)-[:KNOWS]-(p:Person)
  WHERE NOT EXISTS {{ (p)-[:PARTICIPATES_IN]->(c) }} AND coalesce(p.contactable, false)
    AND NOT coalesce(p.skillsHidden, false)
  WITH DISTINCT c, p
  MATCH (c)-[:NEEDS_SKILL]->(needed:Skill)<-[:BROADER*0..3]-(:Skill)<-[r:HAS_SKILL {{mode: 'offers'}}]-(p)
  RETURN c, p, collect(DISTINCT needed.name) AS skills, max(r.level) AS level
}}
WITH p, skills, level, COUNT {{ MATCH (p)-[:KNOWS]-(taking_part:Person)-[:PARTICIPATES_IN]->(c)
                               WHERE {reads_ties("p")} OR {reads_ties("taking_part")} }} AS knows
WHERE knows > 0
RETURN p.id AS id, skills, level, knows
ORDER BY knows DESC, level DESC, p.id LIMIT $first
"""
)
