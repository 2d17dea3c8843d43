"""The co-production loop on the pages: ideas and comments put into a campaign (and taken back), the
organisers' decisions and what is being done about them, and "what became of my ideas" with the
news about them. Each form goes through the API's own mutations (server/templates/coproduction.graphql)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from . import i18n
from .campaign_pages import campaign_page
from .page_api import Answer, ask
from .rendering import done_then, not_done, page, posted_form, went_wrong

_ = i18n.gettext

KINDS = ("IDEA", "PROPOSAL", "COMMENT", "MEETING_NOTE")
OUTCOME_STATUSES = ("PLANNED", "IN_PROGRESS", "DONE", "STALLED", "DROPPED")
STANCES = ("SUPPORT", "OBJECT", "STAND_ASIDE")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _back(campaign_id: str, part: str) -> str:
    return f"/campaign?id={quote(campaign_id)}#{part}"


@requires("authenticated", redirect="sign_in")
@posted_form
async def contribute(request: Request, form: FormData) -> Response:
    campaign_id, kind = str(form.get("campaign", ""))[:200], str(form.get("kind", "IDEA"))
    text = str(form.get("text", "")).strip()
    if not text:
        return await campaign_page(request, campaign_id, 400, problems={"text": _("Write your idea first.")})
    answer = await ask(
        request,
        "coproduction",
        "Contribute",
        input={"campaign": campaign_id, "kind": kind if kind in KINDS else "IDEA", "text": text[:4000]},
    )
    if answer.errors:
        return not_done(request, answer, _("Only people taking part in the campaign can share ideas in it."))
    return done_then(
        request, _("Thank you. Your words are in. You will hear what becomes of them."), _back(campaign_id, "ideas")
    )


@requires("authenticated", redirect="sign_in")
@posted_form
async def record_input(request: Request, form: FormData) -> Response:
    """An organiser writes down what people said at a meeting or on a paper form, with who said it."""
    campaign_id, kind = str(form.get("campaign", ""))[:200], str(form.get("kind", "IDEA"))
    text, where = str(form.get("text", "")).strip(), str(form.get("recorded_from", ""))
    said_by = [str(x)[:200] for x in form.getlist("said_by")][:100]
    problems: dict[str, str] = {}
    if not text:
        problems["said"] = _("Write what they said.")
    if not said_by:
        problems["said-by"] = _("Tick everyone who said it.")
    if problems:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    recorded = {
        "campaign": campaign_id,
        "kind": kind if kind in KINDS else "IDEA",
        "text": text[:4000],
        "saidBy": said_by,
        "recordedFrom": where if where in ("MEETING", "PAPER_FORM") else "MEETING",
    }
    answer = await ask(request, "coproduction", "RecordInput", input=recorded)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can write down what people said."))
    done = _("Written down. It is theirs now: they will hear what becomes of it.")
    return done_then(request, done, _back(campaign_id, "ideas"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def withdraw(request: Request, form: FormData) -> Response:
    campaign_id = str(form.get("campaign", ""))[:200]
    answer = await ask(request, "coproduction", "Withdraw", id=str(form.get("contribution", ""))[:200])
    if answer.errors:
        return not_done(request, answer)
    done = _("Your name is off it. The others who said it keep it.") if form.get("name_only") else None
    return done_then(request, done or _("You took your words back."), _back(campaign_id, "ideas"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def position(request: Request, form: FormData) -> Response:
    """One's voice on a proposal: support, object (saying why) or stand aside."""
    campaign_id, proposal = str(form.get("campaign", ""))[:200], str(form.get("proposal", ""))[:200]
    stance, reason = str(form.get("stance", "")), str(form.get("reason", "")).strip()
    problem = None
    if stance not in STANCES:  # only a form not sent from the page: the radios always give one
        problem = _("Choose whether you support it, object or stand aside.")
    elif stance == "OBJECT" and not reason:
        problem = _("Say why you object, so that it can be answered.")
    if problem:
        return await campaign_page(request, campaign_id, 400, problems={f"reason-{proposal}": problem})
    answer = await ask(
        request, "coproduction", "Position", input={"proposal": proposal, "stance": stance, "reason": reason[:1000]}
    )
    if answer.errors:
        return not_done(request, answer, _("Only people taking part in the campaign can say what they think of it."))
    return done_then(request, _("Thank you. Your voice is counted."), _back(campaign_id, "ideas"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def decide(request: Request, form: FormData) -> Response:
    """The organisers record a decision with the ideas that helped to make it."""
    campaign_id, statement = str(form.get("campaign", ""))[:200], str(form.get("statement", "")).strip()
    informed = [str(x)[:200] for x in form.getlist("informed")][:100]
    took_part = [str(x)[:200] for x in form.getlist("took_part")][:100]
    problems: dict[str, str] = {}
    if not statement:
        problems["statement"] = _("Write what was decided.")
    if not informed:
        problems["informed"] = _("Tick at least one idea that helped to decide it.")
    if problems:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    answer = await ask(
        request,
        "coproduction",
        "Decide",
        input={"campaign": campaign_id, "statement": statement[:2000], "informedBy": informed, "tookPart": took_part},
    )
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can record its decisions."))
    done = _("The decision is recorded. Everyone whose idea helped is told.")
    return done_then(request, done, _back(campaign_id, "decisions"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def add_outcome(request: Request, form: FormData) -> Response:
    campaign_id, decision_id = str(form.get("campaign", ""))[:200], str(form.get("decision", ""))[:200]
    title, due_on = str(form.get("title", "")).strip(), str(form.get("due_on", "")).strip()
    problems = {}
    if not title:
        problems[f"outcome-{decision_id}"] = _("Write what will be done.")
    if due_on and not _is_date(due_on):
        problems[f"due-{decision_id}"] = _("Write the date as year-month-day, for example 2027-03-31.")
    if problems:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    outcome = {"decision": decision_id, "title": title[:2000], "dueOn": due_on or None}
    answer = await ask(request, "coproduction", "AddOutcome", input=outcome)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can say what will be done."))
    return done_then(request, _("Saved. Everyone whose idea helped is told."), _back(campaign_id, "decisions"))


@requires("authenticated", redirect="sign_in")
@posted_form
async def move_outcome(request: Request, form: FormData) -> Response:
    campaign_id, outcome_id = str(form.get("campaign", ""))[:200], str(form.get("outcome", ""))[:200]
    status, progress = str(form.get("status", "")), str(form.get("progress", "")).strip()
    field = f"progress-{outcome_id}"
    if status not in OUTCOME_STATUSES or not progress.isdigit() or not 0 <= int(progress) <= 100:
        problems = {field: _("Write how much is done as a number from 0 to 100.")}
        return await campaign_page(request, campaign_id, 400, problems=problems)
    change = {"id": outcome_id, "status": status, "progress": int(progress), "note": str(form.get("note", ""))[:2000]}
    answer = await ask(request, "coproduction", "MoveOutcome", input=change)
    if "BAD_USER_INPUT" in answer.codes:  # a step the outcome cannot take (done is done)
        problems = {field: _("It cannot go there from where it is: planned, then being done, then done.")}
        return await campaign_page(request, campaign_id, 400, problems=problems)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can say where things stand."))
    return done_then(request, _("Saved. Everyone whose idea helped is told."), _back(campaign_id, "decisions"))


@requires("authenticated", redirect="sign_in")
async def news(request: Request) -> Response:
    """What became of my ideas: the news about them, and each idea with what it led to."""
    answer = await ask(request, "coproduction", "News")
    if answer.errors:
        return went_wrong(request)
    return page(
        request,
        "news.html",
        _("What became of my ideas"),
        told=answer.data["myNotifications"],
        trail=answer.data["myInput"],
        news_by=answer.data["myNewsBy"] or "AT_ONCE",
        can_email=request.state.settings.smtp is not None,
    )


@requires("authenticated", redirect="sign_in")
@posted_form
async def news_by(request: Request, form: FormData) -> Response:
    """How often to be emailed, in the language of the page it was chosen on."""
    how = str(form.get("how", ""))
    if how not in ("AT_ONCE", "DAILY", "NEVER"):  # only a form not sent from the page: one is always checked
        return not_done(request, Answer(data={}), _("Choose how often we should email you."))
    answer = await ask(request, "coproduction", "NewsBy", how=how, language=i18n.current())
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, _("Saved. We will email you as you chose."), "/news")


@requires("authenticated", redirect="sign_in")
@posted_form
async def read(request: Request, form: FormData) -> Response:
    answer = await ask(request, "coproduction", "Read")
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, _("Marked as read."), "/news")
