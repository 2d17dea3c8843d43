"""The audit log: who viewed or changed sensitive data about a person, readable by that person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import queries
from .database import is_unobserved
from .model import AuditEntry, Page, Viewer

if TYPE_CHECKING:
    from .database import Transaction
    from .viewer_graph import ViewerGraph

# What is logged, in the words the person reads.
VIEWED_LOCATION = "viewed your exact home location"
VIEWED_SUPPORT = "viewed who supports you"
CHANGED_LOCATION = "changed your home location or who may see it"
CHANGED_PRIVACY = "changed your privacy choices"
STARTED_SUPPORT = "started supporting you"
PROPOSED_SUPPORT = "proposed someone to support you"
RECORDED_TIE = "recorded that you know someone"
ENDED_SUPPORT = "ended support for you"
ALLOWED_ACTING = "changed whether a supporter may act for you"


def _entry(viewer: Viewer, action: str, subject_id: str, detail: str = "") -> dict[str, str | None]:
    return {
        "action": action,
        "subject_id": subject_id,
        "actor_id": viewer.actor,
        "on_behalf_of_id": viewer.person_id if viewer.actor_id else None,
        "detail": detail,
    }


async def record_change(tx: Transaction, viewer: Viewer, action: str, subject_id: str, detail: str = "") -> None:
    """Log a change inside the transaction that makes it: logged if and only if it happened."""
    await tx.execute(queries.audit.RECORD_CHANGES, entries=[_entry(viewer, action, subject_id, detail)])


async def record_on_campaign(tx: Transaction, viewer: Viewer, campaign_id: str, action: str, detail: str = "") -> None:
    """Log a change to a campaign on the campaign itself, inside the transaction that makes it."""
    await tx.execute(
        queries.changes.LOG_ON_CAMPAIGN,
        campaign_id=campaign_id,
        action=action,
        detail=detail,
        actor_id=viewer.actor,
        on_behalf_of_id=viewer.person_id if viewer.actor_id else None,
    )


async def campaign_log(graph: ViewerGraph, campaign_id: str, *, first: int) -> list[AuditEntry]:
    """What was changed on a campaign, by whom, newest first; for the signed-in."""
    rows = await graph.read(queries.changes.CAMPAIGN_LOG, campaign_id=campaign_id, limit=first)
    return [_audit_entry({**row, "subject_id": campaign_id}) for row in rows]


async def record_views(graph: ViewerGraph, action: str, subject_ids: list[str]) -> None:
    """Log that the viewer was shown this about these people; one's own data is not logged."""
    viewer = graph.viewer
    others = sorted({s for s in subject_ids if s != viewer.actor})
    if not others or viewer.actor is None or is_unobserved():
        return
    await graph.write(
        queries.audit.RECORD_VIEWS,
        subject_ids=others,
        actor_id=viewer.actor,
        action=action,
        on_behalf_of_id=viewer.person_id if viewer.actor_id else None,
    )


async def entries_about(graph: ViewerGraph, *, first: int, offset: int) -> Page:
    """The log about the viewer, newest first: only ever the viewer's own."""
    if graph.viewer.person_id is None:
        return Page(items=[], total=0)
    return await graph.read_page(
        page_query=queries.audit.AUDIT_ABOUT,
        count_query=queries.audit.AUDIT_ABOUT_COUNT,
        convert=_audit_entry,
        person=graph.viewer.person_id,
        skip=offset,
        limit=first,
    )


def _audit_entry(row: dict[str, Any]) -> AuditEntry:
    times = row.get("times") or 1
    detail = row["detail"] or (f"{times} times that day" if times > 1 else "")
    return AuditEntry(
        at=row["at"],
        action=row["action"],
        subject_id=row["subject_id"],
        actor_id=row["actor_id"],
        on_behalf_of_id=row["on_behalf_of_id"],
        detail=detail,
    )
