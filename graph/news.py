"""How often a person is emailed their news, and the news due to be emailed.

Notifications are kept in the graph when a change tells someone (graph/coproduction.py,
graph/lifecycle.py); email follows from them, so a change never waits on a mail server and no
news is lost if one is down. A sender (server/mail.py) claims what is due in one transaction, so
each piece of news goes out once, and gives it back if sending fails.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from . import queries
from .database import Graph, Transaction
from .errors import Invalid
from .model import CampaignStatus, NewsBy, NewsEmail, NewsItem, NotificationEvent, OutcomeStatus
from .permissions import Rule
from .viewer_graph import ViewerGraph

AT_ONCE_BATCH = 200  # notifications claimed at a time
_LANGUAGE = re.compile(r"^[a-z]{2}$")


async def choose(graph: ViewerGraph, how: NewsBy, language: str = "en") -> NewsBy:
    """The viewer's choice, and the language their emails come in."""
    if not _LANGUAGE.match(language):
        raise Invalid("language", "a two-letter language code, such as en")

    async def work(tx: Transaction) -> None:
        await tx.execute(queries.news.CHOOSE, person=graph.viewer.person_id, how=how.value, language=language)

    await graph.change(work, rule=Rule.THE_PERSON, person=graph.viewer.person_id, action="chose how often to hear")
    return how


async def chosen(graph: ViewerGraph) -> NewsBy | None:
    rows = await graph.read(queries.news.CHOSEN)
    return NewsBy(rows[0]["how"]) if rows else None


def _item(row: dict[str, Any]) -> NewsItem:
    return NewsItem(
        event=NotificationEvent(row["event"]),
        at=row["at"].to_native(),
        campaign=row["campaign"] or "",
        statement=row["statement"] or "",
        outcome=row["outcome"] or "",
        status=OutcomeStatus(row["status"]) if row["status"] else None,
        stage=CampaignStatus(row["stage"]) if row["stage"] else None,
    )


def _emails(rows: list[dict[str, Any]], *, digest: bool) -> list[NewsEmail]:
    return [
        NewsEmail(
            person_id=row["person_id"],
            email=row["email"],
            language=row["language"],
            digest=digest,
            items=tuple(_item(i) for i in row["items"]),
            notification_ids=tuple(i["id"] for i in row["items"]),
        )
        for row in rows
    ]


async def claim_due(db: Graph, *, digest_every: timedelta = timedelta(days=1)) -> list[NewsEmail]:
    """The emails due now, claimed: each person's news at once, and the daily digests due."""

    async def work(tx: Transaction) -> list[NewsEmail]:
        at_once = await tx.run(queries.news.CLAIM_AT_ONCE, most=AT_ONCE_BATCH)
        digests = await tx.run(queries.news.CLAIM_DIGESTS, every=int(digest_every.total_seconds()))
        return _emails(at_once, digest=False) + _emails(digests, digest=True)

    return await db.writing(work)


async def release(db: Graph, email: NewsEmail) -> None:
    """An email that could not be sent: its news is due again."""
    await db.write(queries.news.RELEASE, ids=list(email.notification_ids), digest=email.digest)
