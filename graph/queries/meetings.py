"""A campaign's meetings and who came.

(m:Meeting {id, title, startsAt, placeName, place, accessibility, stage})-[:FOR]->(c:Campaign);
(p:Person)-[:ATTENDED {how, stage, at}]->(m), how: 'in person' or 'remote'.
"""

from __future__ import annotations

from typing import LiteralString

PLAN: LiteralString = """
MATCH (c:Campaign {id: $campaign})
CREATE (m:Meeting {id: $id, title: $title, startsAt: $starts_at, placeName: $place_name,
                   place: CASE WHEN $latitude IS NULL THEN null
                               ELSE point({latitude: $latitude, longitude: $longitude}) END,
                   accessibility: $accessibility, stage: c.status})-[:FOR]->(c)
RETURN m.id AS id
"""

MEETING_CAMPAIGN: LiteralString = "MATCH (:Meeting {id: $id})-[:FOR]->(c:Campaign) RETURN c.id AS id"

# Only someone taking part in the campaign is recorded as having come (again: how changes).
ATTEND: LiteralString = """
MATCH (p:Person {id: $person})-[:PARTICIPATES_IN]->(c:Campaign)<-[:FOR]-(m:Meeting {id: $meeting})
MERGE (p)-[a:ATTENDED]->(m)
SET a.how = $how, a.stage = c.status, a.at = datetime()
RETURN m.id AS id
"""

UNATTEND: LiteralString = """
MATCH (:Person {id: $person})-[a:ATTENDED]->(:Meeting {id: $meeting})
DELETE a
RETURN count(*) AS removed
"""

# Meetings are as public as their campaign, with how many came; who came is for those taking part
# and coordinators (as the input is).
CAMPAIGN_MEETINGS: LiteralString = """
MATCH (m:Meeting)-[:FOR]->(c:Campaign) WHERE c.id IN $campaigns
WITH m, c, EXISTS { (:Person {id: $viewer})-[:PARTICIPATES_IN]->(c) }
        OR EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator } AS inside
RETURN m.id AS id, c.id AS campaign_id, m.title AS title, m.startsAt AS starts_at, m.placeName AS place_name,
       m.place AS place, m.accessibility AS accessibility,
       COUNT { (:Person)-[:ATTENDED {how: 'in person'}]->(m) } + coalesce(m.erasedInPerson, 0) AS in_person,
       COUNT { (:Person)-[:ATTENDED {how: 'remote'}]->(m) } + coalesce(m.erasedRemote, 0) AS remote,
       CASE WHEN inside THEN COLLECT { MATCH (p:Person)-[a:ATTENDED]->(m) RETURN {person_id: p.id, how: a.how}
                                       ORDER BY p.name, p.id }
            ELSE [] END AS attendees
ORDER BY m.startsAt, m.id
"""
