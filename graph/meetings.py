"""A campaign's meetings: planned by its organisers with a time, a place (a name, and a point on the
map if they give one: a meeting place is public, never anyone's home) and what makes it
accessible; and who came, in person or remotely, both counting the same. Each person records their
own coming, or an organiser records it for someone taking part (from a sign-in sheet, say)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import queries
from .coproduction import MAX_REASON
from .database import Transaction
from .errors import Invalid, NotFound
from .model import Attendance, Attendee, Meeting, Point
from .permissions import Rule
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

MAX_TITLE = 200


def _words(value: str, field: str, limit: int, *, needed: bool) -> str:
    words = value.strip()
    if needed and not words:
        raise Invalid(field, "must not be empty")
    if len(words) > limit:
        raise Invalid(field, f"at most {limit} characters")
    return words


async def plan(
    graph: ViewerGraph,
    campaign_id: str,
    *,
    title: str,
    starts_at: datetime,
    place_name: str,
    place: Point | None = None,
    accessibility: str = "",
) -> str:
    """A meeting of the campaign (its organisers, or a coordinator); its id."""
    if starts_at.tzinfo is None:
        raise Invalid("startsAt", "give the time with its offset from UTC, for example 2027-03-01T18:00:00+00:00")
    meeting_id = new_id("m")
    fields = {
        "title": _words(title, "title", MAX_TITLE, needed=True),
        "place_name": _words(place_name, "placeName", MAX_TITLE, needed=True),
        "accessibility": _words(accessibility, "accessibility", MAX_REASON, needed=False),
    }

    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Campaign", campaign_id, "campaign")
        await tx.execute(
            queries.meetings.PLAN,
            campaign=campaign_id,
            id=meeting_id,
            starts_at=starts_at,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            **fields,
        )

    await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="planned a meeting")
    return meeting_id


async def _campaign_of(graph: ViewerGraph, meeting_id: str) -> str:
    rows = await graph.read(queries.meetings.MEETING_CAMPAIGN, id=meeting_id)
    if not rows:
        raise NotFound("meeting", f"no meeting has the id {meeting_id!r}")
    return str(rows[0]["id"])


def _rule(graph: ViewerGraph, person_id: str) -> Rule:
    """One's own coming is one's own to record; anyone else's is for the organisers."""
    return Rule.THE_PERSON if person_id == graph.viewer.person_id else Rule.CAMPAIGN_ORGANISERS


async def attend(graph: ViewerGraph, meeting_id: str, person_id: str, how: Attendance) -> str:
    """Someone taking part came to the meeting (again: how they came changes); the campaign's id."""
    campaign_id = await _campaign_of(graph, meeting_id)

    async def work(tx: Transaction) -> None:
        rows = await tx.run(queries.meetings.ATTEND, person=person_id, meeting=meeting_id, how=how.value)
        if not rows:
            raise NotFound("person", "only someone taking part in the campaign is recorded at its meetings")

    rule = _rule(graph, person_id)
    await graph.change(work, rule=rule, person=person_id, campaign=campaign_id, action="recorded coming to a meeting")
    return campaign_id


async def unattend(graph: ViewerGraph, meeting_id: str, person_id: str) -> str:
    """Take back that someone came; the campaign's id."""
    campaign_id = await _campaign_of(graph, meeting_id)

    async def work(tx: Transaction) -> None:
        row = await tx.single(queries.meetings.UNATTEND, person=person_id, meeting=meeting_id)
        if not row["removed"]:
            raise NotFound("person", "was not recorded at that meeting")

    rule = _rule(graph, person_id)
    await graph.change(work, rule=rule, person=person_id, campaign=campaign_id, action="took back coming to a meeting")
    return campaign_id


def _meeting(row: dict[str, Any]) -> Meeting:
    place = row["place"]
    return Meeting(
        id=row["id"],
        campaign_id=row["campaign_id"],
        title=row["title"],
        starts_at=row["starts_at"].to_native(),
        place_name=row["place_name"],
        place=Point(latitude=place.y, longitude=place.x) if place else None,
        accessibility=row["accessibility"] or "",
        in_person=row["in_person"],
        remote=row["remote"],
        attendees=tuple(Attendee(person_id=a["person_id"], how=Attendance(a["how"])) for a in row["attendees"]),
    )


async def meetings(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[Meeting]]:
    """Each campaign's meetings, soonest first."""
    found: dict[str, list[Meeting]] = {}
    for row in await graph.read(queries.meetings.CAMPAIGN_MEETINGS, campaigns=campaign_ids):
        found.setdefault(row["campaign_id"], []).append(_meeting(row))
    return found
