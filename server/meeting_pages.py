"""A campaign's meetings on the pages: the organisers plan one, and who came is recorded by each
person for themselves or by an organiser from a sign-in sheet. Through the API's own mutations
(server/templates/coproduction.graphql)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from . import i18n
from .campaign_pages import campaign_page
from .page_api import ask
from .rendering import LOCAL_TIME, done_then, not_done, posted_form

_ = i18n.gettext


def _back(campaign_id: str) -> str:
    return f"/campaign?id={quote(campaign_id)}#meetings"


def _local_time(text: str) -> datetime | None:
    """A time as people write it (or a datetime-local field sends it), in UK time."""
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T")).replace(tzinfo=LOCAL_TIME)
    except ValueError:
        return None


@requires("authenticated", redirect="sign_in")
@posted_form
async def plan(request: Request, form: FormData) -> Response:
    campaign_id = str(form.get("campaign", ""))[:200]
    title, place = str(form.get("title", "")).strip(), str(form.get("place", "")).strip()
    when = _local_time(str(form.get("when", ""))[:40])
    problems: dict[str, str] = {}
    if not title:
        problems["meeting-title"] = _("Write what the meeting is for.")
    if when is None:
        problems["meeting-when"] = _("Write the day and time, for example 2027-03-01 18:00.")
    if not place:
        problems["meeting-place"] = _("Write where it is.")
    if problems or when is None:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    meeting = {
        "campaign": campaign_id,
        "title": title[:200],
        "startsAt": when.isoformat(),
        "placeName": place[:200],
        "accessibility": str(form.get("accessibility", "")).strip()[:1000],
    }
    answer = await ask(request, "coproduction", "PlanMeeting", input=meeting)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can plan its meetings."))
    return done_then(request, _("The meeting is planned."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def attend(request: Request, form: FormData) -> Response:
    campaign_id, how = str(form.get("campaign", ""))[:200], str(form.get("how", ""))
    came = {
        "meeting": str(form.get("meeting", ""))[:200],
        "person": str(form.get("person", ""))[:200],
        "how": how if how in ("IN_PERSON", "REMOTE") else "IN_PERSON",
    }
    answer = await ask(request, "coproduction", "Attend", input=came)
    if answer.errors:
        return not_done(request, answer, _("Only people taking part can be recorded at its meetings."))
    return done_then(request, _("Thank you. It is recorded."), _back(campaign_id))
