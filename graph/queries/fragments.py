"""Pieces of Cypher that several statements share: who the viewer is, how they stand to a person,
where they may see a home, a person's roles, a campaign as plain values."""

from __future__ import annotations

from typing import LiteralString

# A person p's roles: its role labels (a person may hold several; roles are not ranks).
ROLES: LiteralString = "[label IN labels(p) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']]"

# A campaign as a map of plain values, shared by export and by single changes.
CAMPAIGN_ROW: LiteralString = """{id: c.id, title: c.title, description: c.description, status: c.status, area: c.area,
      starts_on: toString(c.startsOn), ends_on: toString(c.endsOn), stopped_because: c.stoppedBecause,
      neighbourhood_ids: COLLECT { MATCH (c)-[:IN_AREA]->(n:Neighbourhood) RETURN n.id ORDER BY n.id },
      needed_skill_ids: COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN s.id ORDER BY s.id },
      participants: COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c)
                              RETURN {person_id: p.id, role: r.role, hours: r.hours,
                                      credited_hours: coalesce(r.credited, 0.0)} ORDER BY p.id }}"""

# The viewer's own node (null when signed out), the networks they work with as staff and the
# people they support, bound once at the start of every read for a viewer: the checks below
# then follow a person's own few relationships. Written with $viewer inside them instead, they
# cost Neo4j a scan per person (2.3 million db hits for a page of 100 in a 10,000-member
# graph); asked from the viewer's side for each person, the support check alone walks all of a
# staff member's relationships each time (17 db hits a person for a city's coordinator).
VIEWER_NODE: LiteralString = """OPTIONAL MATCH (viewer_node:Person {id: $viewer})
WITH viewer_node, CASE WHEN viewer_node:Coordinator OR viewer_node:SupportWorker
                       THEN COLLECT { MATCH (viewer_node)-[:WORKS_WITH]->(n:Network) RETURN n } ELSE [] END AS staff_networks,
     COLLECT { MATCH (viewer_node)-[:SUPPORTS]->(supported:Person) RETURN supported } AS supported
"""

VIEWER: LiteralString = "viewer_node, staff_networks, supported"  # to carry them through a WITH


# How the viewer stands to the person p: graph.model.Audience, the first that holds. Every
# rule of "Who sees what" (README) starts from this. $audience, when not null, stands in for
# it: only the "what others see of me" preview sets it.
def audience_of(p: LiteralString, *, staff: bool = True) -> LiteralString:
    """AUDIENCE for the person bound to `p` (a compiled read names each level's person apart).
    Without `staff`, a network's staff count as signed in: enough where only whether the person
    may be seen at all, and their exact home, depend on it, and cheaper for thousands of people."""
    as_staff: LiteralString = (
        f"WHEN EXISTS {{ ({p})-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network) WHERE n IN staff_networks }} THEN 'network_staff'"
        if staff
        else ""
    )
    return f"""coalesce($audience,
  CASE WHEN viewer_node IS NULL THEN 'public'
       WHEN {p} = viewer_node THEN 'self'
       WHEN {p} IN supported THEN 'supporter'
       {as_staff}
       ELSE 'signed_in' END)"""


AUDIENCE: LiteralString = audience_of("p")


# Whether the viewer may read p's skills, given how they stand to p: every skill filter, count
# and reason uses this, so none can tell more than the skills field would.
def skills_shown(p: LiteralString, audience: LiteralString) -> LiteralString:
    return (
        f"({audience} IN ['self', 'supporter'] OR ({audience} <> 'public' AND NOT coalesce({p}.skillsHidden, false)))"
    )


SKILLS_SHOWN: LiteralString = skills_shown("p", "audience")


# Whether the viewer may read whom p knows, given how they stand to p: the person, their
# supporters and their networks' staff, and anyone p knows if p chose to share their ties with
# the people they know (tiesShared). The person.ties field reads this.
def ties_shown(p: LiteralString, audience: LiteralString) -> LiteralString:
    return f"""({audience} IN ['self', 'supporter', 'network_staff']
  OR ({audience} <> 'public' AND coalesce({p}.tiesShared, false) AND EXISTS {{ ({p})-[:KNOWS]-(viewer_node) }}))"""


TIES_SHOWN: LiteralString = ties_shown("p", "audience")


def reads_ties(person: LiteralString) -> LiteralString:
    """TIES_SHOWN for any person in a pattern, with no audience worked out first: a tie between
    two people counts in a derived figure (friends in common, how many ties away, who knows
    someone taking part) only if the viewer may read the ties of one of them."""
    return f"""({person} = viewer_node OR {person} IN supported
   OR EXISTS {{ ({person})-[:MEMBER_OF|VOLUNTEERS_FOR]->(staffed:Network) WHERE staffed IN staff_networks }}
   OR (coalesce({person}.tiesShared, false) AND EXISTS {{ ({person})-[:KNOWS]-(viewer_node) }}))"""


# Where the viewer may see p's home, given how they stand to p: every map and distance uses this.
SEEN_POSITION: LiteralString = """CASE WHEN audience IN ['self', 'supporter'] THEN p.location
                        WHEN p.locationVisibility = 'hidden' THEN null ELSE p.cell END"""
