"""Counts per neighbourhood for the public maps."""

from __future__ import annotations

from typing import LiteralString

# Per neighbourhood: the people living there, and how many offer / want one of $skills (a
# skill and those under it), counting only people who show their skills. Tallied from the
# skills' side: a few thousand people hold a skill, a hundred thousand live somewhere.
SKILL_BY_NEIGHBOURHOOD: LiteralString = """
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
ISOLATION_BY_NEIGHBOURHOOD: LiteralString = """
MATCH (n:Neighbourhood)
CALL (n) {
  OPTIONAL MATCH (n)<-[:LIVES_IN]-(m:Member)
  WITH m, CASE WHEN m IS NULL THEN null ELSE COUNT { (m)-[:KNOWS]-(:Person) } END AS ties
  RETURN count(m) AS members, count(CASE WHEN ties < $few THEN 1 END) AS isolated
}
RETURN n.id AS id, n.name AS name, n.boundary AS boundary, members, isolated
ORDER BY n.name
"""
