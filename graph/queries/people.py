"""People as a viewer may see them, and what hangs off a person: skills, networks, ties, support."""

from __future__ import annotations

from typing import LiteralString

from .fragments import AUDIENCE, ROLES, SEEN_POSITION, SKILLS_SHOWN, TIES_SHOWN, VIEWER, VIEWER_NODE

# The exact location goes only to the person and those who support them; other signed-in
# people get the coarse cell, or nothing when the person chose to hide it; signed-out
# visitors get no person at all. The exact point never leaves the database for a viewer who
# may not see it. Contact details go to others only if the person consented. Rows keep the
# order they come in.
_PERSON_FIELDS: list[tuple[str, LiteralString]] = [
    ("id", "p.id"),
    ("name", "p.name"),
    ("bio", "p.bio"),
    ("audience", "audience"),
    ("roles", ROLES),
    ("position", SEEN_POSITION),
    ("position_is_exact", "audience IN ['self', 'supporter'] AND p.location IS NOT NULL"),
    ("contact", "CASE WHEN audience = 'self' OR coalesce(p.contactable, false) THEN coalesce(p.contact, '') END"),
    ("neighbourhood_id", "head(COLLECT { MATCH (p)-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id })"),
]


def _person_view(*, collected: bool) -> LiteralString:
    """People as the viewer may see them: a row each, or (collected) all in one row called rows,
    which the driver reads several times faster when there are thousands."""
    start = f"\nWITH p, {AUDIENCE} AS audience\nWHERE audience <> 'public'\n"
    if collected:
        return (
            start + "RETURN collect({" + ", ".join(f"{name}: {value}" for name, value in _PERSON_FIELDS) + "}) AS rows"
        )
    return start + "RETURN " + ", ".join(f"{value} AS {name}" for name, value in _PERSON_FIELDS)


PEOPLE_BY_IDS: LiteralString = (
    VIEWER_NODE + "UNWIND $ids AS wanted MATCH (p:Person {id: wanted})" + _person_view(collected=True)
)

# The viewer's own choices, read for the viewer alone ($viewer is bound by ViewerGraph).
OWN_CHOICES: LiteralString = """
MATCH (p:Person {id: $viewer})
RETURN coalesce(p.locationVisibility, 'approximate') AS location_visibility, coalesce(p.contact, '') AS contact,
       coalesce(p.contactable, false) AS contactable, coalesce(p.skillsHidden, false) AS skills_hidden,
       coalesce(p.tiesShared, false) AS ties_shared
"""

AUDIENCE_OF: LiteralString = VIEWER_NODE + f"MATCH (p:Person {{id: $id}}) RETURN {AUDIENCE} AS audience"


def people_search(
    *,
    text: bool,
    role: bool,
    neighbourhood: bool,
    network: bool,
    skill: bool,
    box: bool,
    by_distance: bool,
    collected: bool = False,
) -> tuple[LiteralString, LiteralString]:
    """The page query and the count query for a people search with these filters in use.

    Only the shape varies; every value arrives as a parameter. Distance and the box are
    measured on the position the viewer may see (the cell for most), so neither sorting nor
    narrowing the box can reveal more than that. The box first picks cells in a box one cell
    wider on each side (the point index), since an exact home lies within a cell of its own.
    """
    start = VIEWER_NODE + (
        "CALL db.index.fulltext.queryNodes('person_text', $text) YIELD node AS p WHERE p:Person"
        if text
        else "MATCH (p:Person) WHERE true"
    )
    start += " AND $viewer IS NOT NULL"  # signed-out visitors see no people
    conditions = [
        "$role IN labels(p)" if role else "",
        "EXISTS { (p)-[:LIVES_IN]->(:Neighbourhood {id: $neighbourhood}) }" if neighbourhood else "",
        "EXISTS { (p)-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network {id: $network}) }" if network else "",
        "EXISTS { (p)-[:HAS_SKILL {mode: 'offers'}]->(:Skill {id: $skill}) }" if skill else "",
        "point.withinBBox(p.cell, point({latitude: $wide_south, longitude: $wide_west}), "
        "point({latitude: $wide_north, longitude: $wide_east}))"
        if box
        else "",
    ]
    match = start + "".join(f" AND {c}" for c in conditions if c)
    if skill:  # a skill counts as a filter only where the viewer could read it (README, "Who sees what")
        match += f"\nWITH p, {VIEWER}, {AUDIENCE} AS audience\nWHERE {SKILLS_SHOWN}"
    count: LiteralString = "\nRETURN count(p) AS count"
    if box:
        match += f"""
WITH p, {VIEWER}, {AUDIENCE} AS audience
WITH p, {VIEWER}, audience, {SEEN_POSITION} AS seen
WHERE point.withinBBox(seen, point({{latitude: $south, longitude: $west}}), point({{latitude: $north, longitude: $east}}))"""
        # Counted by their exact home: the audit log hears of it (graph.model.Page.located_by_count).
        count += (
            ", collect(CASE WHEN audience IN ['self', 'supporter'] AND p.location IS NOT NULL THEN p.id END) AS located"
        )
    if by_distance:
        order = f"""
WITH p, {VIEWER}, {AUDIENCE} AS audience
WITH p, {VIEWER}, {SEEN_POSITION} AS seen
WITH p, {VIEWER}, point.distance(seen, point({{latitude: $latitude, longitude: $longitude}})) AS distance
ORDER BY distance IS NULL, distance, p.name, p.id SKIP $skip LIMIT $limit"""
    else:
        order = f"\nWITH p, {VIEWER} ORDER BY p.name, p.id SKIP $skip LIMIT $limit"
    return match + order + _person_view(collected=collected), match + count


# Skills: to signed-in people unless the person hid them; to themselves and their supporters always.
SKILLS_OF_PEOPLE: LiteralString = (
    VIEWER_NODE
    + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WITH wanted, p, {AUDIENCE} AS audience
WHERE {SKILLS_SHOWN}
MATCH (p)-[r:HAS_SKILL]->(s:Skill)
WITH wanted, r, s ORDER BY s.name
RETURN wanted AS id, collect({{id: s.id, name: s.name, category: s.category, mode: r.mode, level: r.level,
                              since: toString(r.since)}}) AS rows
"""
)

_MEMBERSHIP_KIND: LiteralString = (
    "CASE type(r) WHEN 'MEMBER_OF' THEN 'member' WHEN 'VOLUNTEERS_FOR' THEN 'volunteer' ELSE 'staff' END"
)

NETWORKS_OF_PEOPLE: LiteralString = (
    VIEWER_NODE
    + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WHERE {AUDIENCE} <> 'public'
MATCH (p)-[r:MEMBER_OF|VOLUNTEERS_FOR|WORKS_WITH]->(n:Network)
WITH wanted, r, n ORDER BY n.name
RETURN wanted AS id, collect({{id: n.id, name: n.name, kind: {_MEMBERSHIP_KIND}}}) AS rows
"""
)

# Who knows whom: the person, their supporters, and the staff of their networks.
_VISIBLE_TIES: LiteralString = (
    VIEWER_NODE
    + f"""
UNWIND $ids AS wanted
MATCH (p:Person {{id: wanted}})
WITH {VIEWER}, wanted, p, {AUDIENCE} AS audience
WHERE {TIES_SHOWN}
MATCH (p)-[r:KNOWS]-(other:Person)
"""
)

TIES_OF_PEOPLE: LiteralString = (
    _VISIBLE_TIES
    + """WITH wanted, r, other ORDER BY other.name, other.id
WITH wanted, collect({person_id: other.id, strength: r.strength, since: toString(r.since),
                      last_contact: toString(r.lastContact)}) AS rows
RETURN collect({id: wanted, rows: rows}) AS people  // one record: a map asks for thousands of people's ties
"""
)

# The ties among these people, for a map: each once, from the end whose id sorts first of those
# whose ties the viewer may see; one short string each ("from to strength last-contact"; ids hold
# no spaces): for tens of thousands the driver reads strings several times faster than lists or maps.
TIES_AMONG: LiteralString = (
    _VISIBLE_TIES
    + """WHERE other.id IN $ids
WITH r, min(p.id) AS one
WITH r, one, CASE WHEN startNode(r).id = one THEN endNode(r).id ELSE startNode(r).id END AS other
RETURN collect(one + ' ' + other + ' ' + r.strength + ' ' + coalesce(toString(r.lastContact), '')) AS ties
"""
)

# Who supports the person: the person, their supporters, and the staff of their networks.
# Whom a person supports: the person only (each of those is visible from the other side).
SUPPORTS_OF_PEOPLE: LiteralString = (
    VIEWER_NODE
    + f"""
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
)
