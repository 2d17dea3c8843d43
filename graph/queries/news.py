"""Email about one's news: how often each person wants it, and claiming what is due.

p.newsBy ('at once', 'daily', 'never'; none chosen: at once), p.newsLanguage, p.lastDigestAt;
n.emailedAt on a Notification once an email has taken it (cleared again if sending failed).
"""

from __future__ import annotations

from typing import LiteralString

# Choosing a digest starts its day now: the first comes a day later, with the day's news.
CHOOSE: LiteralString = """
MATCH (p:Person {id: $person})
SET p.lastDigestAt = CASE WHEN $how = 'daily' AND coalesce(p.newsBy, '') <> 'daily' THEN datetime()
                          ELSE p.lastDigestAt END,
    p.newsBy = $how, p.newsLanguage = $language
"""

CHOSEN: LiteralString = "MATCH (p:Person {id: $viewer}) RETURN coalesce(p.newsBy, 'at once') AS how"

# A notification's words for an email: its campaign, and the decision and outcome it is about.
_ITEM: LiteralString = """
WITH n, p, a
CALL (n) {
  MATCH (n)-[:ABOUT]->(about)
  RETURN {id: n.id, event: n.event, at: n.at, status: n.status, stage: n.stage,
          campaign: CASE WHEN about:Decision THEN COLLECT { MATCH (about)-[:ON]->(c:Campaign) RETURN c.title }[0]
                         ELSE about.title END,
          statement: CASE WHEN about:Decision THEN about.statement ELSE '' END,
          outcome: COLLECT { MATCH (o:Outcome {id: n.outcomeId}) RETURN o.title }[0]} AS item
}
"""

# News to email at once, oldest first: claimed in this transaction, so that it is sent once.
# Only recent news: turning email on does not send a backlog of old news.
CLAIM_AT_ONCE: LiteralString = (
    """
MATCH (n:Notification)-[:TO]->(p:Person)-[:HAS_ACCOUNT]->(a:Account)
WHERE n.emailedAt IS NULL AND coalesce(p.newsBy, 'at once') = 'at once' AND n.at > datetime() - duration('P2D')
WITH n, p, a ORDER BY n.at LIMIT $most
SET n.emailedAt = datetime()
"""
    + _ITEM
    + """
WITH p, a, item ORDER BY item.at
RETURN p.id AS person_id, a.email AS email, coalesce(p.newsLanguage, 'en') AS language, collect(item) AS items
"""
)

# A day's news in one email, for those who chose it, at most once a day each.
CLAIM_DIGESTS: LiteralString = (
    """
MATCH (p:Person {newsBy: 'daily'})-[:HAS_ACCOUNT]->(a:Account)
WHERE p.lastDigestAt IS NULL OR p.lastDigestAt <= datetime() - duration({seconds: $every})
MATCH (n:Notification)-[:TO]->(p)
WHERE n.emailedAt IS NULL AND n.at > datetime() - duration('P7D')
SET n.emailedAt = datetime(), p.lastDigestAt = datetime()
"""
    + _ITEM
    + """
WITH p, a, item ORDER BY item.at
RETURN p.id AS person_id, a.email AS email, coalesce(p.newsLanguage, 'en') AS language, collect(item) AS items
"""
)

# Sending failed: the news goes back to be sent again.
RELEASE: LiteralString = """
UNWIND $ids AS id
MATCH (n:Notification {id: id})-[:TO]->(p:Person)
SET n.emailedAt = null, p.lastDigestAt = CASE WHEN $digest THEN null ELSE p.lastDigestAt END
"""
