"""Neighbourhoods, skills, networks and campaigns: public reads (who takes part is for the signed-in)."""

from __future__ import annotations

from typing import LiteralString

CAMPAIGN_DETAILS: LiteralString = """
UNWIND $ids AS wanted
MATCH (c:Campaign {id: wanted})
RETURN wanted AS id,
       COLLECT { MATCH (c)-[:IN_AREA]->(n:Neighbourhood) RETURN {id: n.id, name: n.name} ORDER BY n.name }
         AS neighbourhoods,
       COLLECT { MATCH (c)-[:NEEDS_SKILL]->(s:Skill) RETURN {id: s.id, name: s.name, category: s.category}
                 ORDER BY s.name } AS skills,
       CASE WHEN $viewer IS NULL THEN [] ELSE
         COLLECT { MATCH (p:Person)-[r:PARTICIPATES_IN]->(c) RETURN {person_id: p.id, role: r.role, hours: r.hours,
                                                                          credited: r.credited}
                   ORDER BY p.name, p.id } END AS participants,
       COUNT { (:Person)-[:PARTICIPATES_IN]->(c) } + coalesce(c.erasedParticipants, 0) AS participant_count,
       reduce(total = coalesce(c.erasedHours, 0.0),
              hours IN COLLECT { MATCH (:Person)-[r:PARTICIPATES_IN]->(c) RETURN r.hours } |
              total + coalesce(hours, 0.0)) AS total_hours
"""

_NEIGHBOURHOOD_VIEW: LiteralString = """
RETURN n.id AS id, n.name AS name, n.boundary AS boundary,
       COUNT { (n)<-[:LIVES_IN]-(:Member) } AS member_count
"""

NEIGHBOURHOODS: LiteralString = "MATCH (n:Neighbourhood)" + _NEIGHBOURHOOD_VIEW + "ORDER BY n.name"

NEIGHBOURHOODS_BY_IDS: LiteralString = (
    "UNWIND $ids AS wanted MATCH (n:Neighbourhood {id: wanted})" + _NEIGHBOURHOOD_VIEW
)

ALL_SKILLS: LiteralString = "MATCH (s:Skill) RETURN s.id AS id, s.name AS name, s.category AS category ORDER BY s.name"

SKILLS_BY_IDS: LiteralString = """
UNWIND $ids AS wanted MATCH (s:Skill {id: wanted})
RETURN s.id AS id, s.name AS name, s.category AS category
"""

NETWORKS_BY_IDS: LiteralString = (
    "UNWIND $ids AS wanted MATCH (n:Network {id: wanted}) RETURN n.id AS id, n.name AS name"
)

CAMPAIGN_ORDERS: dict[str, LiteralString] = {
    "newest": "c.startsOn IS NULL, c.startsOn DESC, c.id",
    "oldest": "c.startsOn IS NULL, c.startsOn, c.id",
    "title": "c.title, c.id",
    "nearest": "point.distance(c.centre, point({latitude: $latitude, longitude: $longitude})), c.id",
}


# What a campaign shows: its fields, and where its life stopped or led.
_CAMPAIGN_COLUMNS: LiteralString = """RETURN c.id AS id, c.title AS title, c.description AS description, c.status AS status,
       c.area AS area, c.startsOn AS starts_on, c.endsOn AS ends_on, c.stoppedBecause AS stopped_because,
       COLLECT { MATCH (c)-[:FOLLOWS]->(f:Campaign) RETURN f.id }[0] AS follows_id,
       COLLECT { MATCH (f:Campaign)-[:FOLLOWS]->(c) RETURN f.id }[0] AS followed_by_id"""


def campaign_search(
    *, statuses: bool, neighbourhood: bool, starts_from: bool, starts_until: bool, box: bool, radius: bool, order: str
) -> tuple[LiteralString, LiteralString]:
    """The page query and the count query for a campaign search with these filters in use."""
    conditions = [
        "c.status IN $statuses" if statuses else "",
        "EXISTS { (c)-[:IN_AREA]->(:Neighbourhood {id: $neighbourhood}) }" if neighbourhood else "",
        "c.startsOn >= $starts_from" if starts_from else "",
        "c.startsOn <= $starts_until" if starts_until else "",
        "point.withinBBox(c.centre, point({latitude: $south, longitude: $west}), "
        "point({latitude: $north, longitude: $east}))"
        if box
        else "",
        "point.distance(c.centre, point({latitude: $latitude, longitude: $longitude})) <= $metres" if radius else "",
    ]
    match = "MATCH (c:Campaign) WHERE true" + "".join(f" AND {c}" for c in conditions if c)
    page = (
        match
        + f"""
WITH c ORDER BY {CAMPAIGN_ORDERS[order]} SKIP $skip LIMIT $limit
"""
        + _CAMPAIGN_COLUMNS
    )
    return page, match + "\nRETURN count(c) AS count"


# The campaigns the viewer takes part in (their own home page's list), by title.
OWN_CAMPAIGNS: LiteralString = (
    "MATCH (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c:Campaign)\n"
    + _CAMPAIGN_COLUMNS
    + "\nORDER BY c.title, c.id LIMIT $first"
)

CAMPAIGNS_BY_IDS: LiteralString = "UNWIND $ids AS wanted MATCH (c:Campaign {id: wanted})\n" + _CAMPAIGN_COLUMNS
