"""The audit log: changes logged one by one, views once a day per viewer, person and kind."""

from __future__ import annotations

from typing import LiteralString

# Changes are logged one by one; views once a day per viewer, person and kind, with a count,
# so that a support worker's daily work does not bury the changes.
RECORD_CHANGES: LiteralString = """
UNWIND $entries AS e
CREATE (:AuditEntry {at: datetime(), day: date(), action: e.action, subjectId: e.subject_id, actorId: e.actor_id,
                     onBehalfOfId: e.on_behalf_of_id, detail: e.detail, times: 1})
"""

RECORD_VIEWS: LiteralString = """
UNWIND $subject_ids AS subject_id
MERGE (a:AuditEntry {subjectId: subject_id, actorId: $actor_id, action: $action, day: date()})
ON CREATE SET a.times = 0, a.onBehalfOfId = $on_behalf_of_id, a.detail = ''
SET a.times = a.times + 1, a.at = datetime()
"""

AUDIT_ABOUT: LiteralString = """
MATCH (a:AuditEntry {subjectId: $person})
WITH a ORDER BY a.at DESC, elementId(a) SKIP $skip LIMIT $limit
RETURN toString(a.at) AS at, a.action AS action, a.subjectId AS subject_id, a.actorId AS actor_id,
       a.onBehalfOfId AS on_behalf_of_id, a.detail AS detail, a.times AS times
"""

AUDIT_ABOUT_COUNT: LiteralString = "MATCH (a:AuditEntry {subjectId: $person}) RETURN count(a) AS count"
