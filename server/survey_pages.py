"""A campaign's surveys on the pages: the organisers make one (up to three questions here; the API
takes twenty) and close it; each person taking part answers once. Through the API's own mutations
(server/templates/coproduction.graphql)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ..schema.ids import global_id
from . import i18n
from .campaign_pages import campaign_page
from .page_api import ask
from .rendering import done_then, not_done, posted_form

_ = i18n.gettext

QUESTION_SLOTS = 3
KINDS = ("CHOICE", "SCALE", "TEXT")
_NOT_ANSWERS = {"csrf", "campaign", "survey"}


def _back(campaign_id: str) -> str:
    return f"/campaign?id={quote(campaign_id)}#surveys"


@requires("authenticated", redirect="sign_in")
@posted_form
async def make(request: Request, form: FormData) -> Response:
    campaign_id, title = str(form.get("campaign", ""))[:200], str(form.get("title", "")).strip()
    problems: dict[str, str] = {}
    questions: list[dict[str, Any]] = []
    for n in range(1, QUESTION_SLOTS + 1):
        text = str(form.get(f"question-{n}", "")).strip()
        if not text:
            continue
        kind = str(form.get(f"kind-{n}", ""))
        kind = kind if kind in KINDS else "TEXT"
        choices = [line.strip() for line in str(form.get(f"choices-{n}", "")).splitlines() if line.strip()]
        if kind == "CHOICE" and len(set(choices)) < 2:
            problems[f"question-{n}"] = _("Write at least two different answers to choose from, one on each line.")
        questions.append({"text": text[:200], "kind": kind, "choices": choices[:10] if kind == "CHOICE" else []})
    if not title:
        problems["survey-title"] = _("Write what the survey is about.")
    if not questions:
        problems["question-1"] = _("Write at least one question.")
    if problems:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    survey = {"campaign": campaign_id, "title": title[:200], "questions": questions}
    answer = await ask(request, "coproduction", "CreateSurvey", input=survey)
    if answer.errors:
        return not_done(request, answer, _("Only the campaign's organisers can make its surveys."))
    return done_then(request, _("The survey is ready. People taking part can answer it now."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def answer(request: Request, form: FormData) -> Response:
    campaign_id, survey = str(form.get("campaign", ""))[:200], str(form.get("survey", ""))[:200]
    given = [
        {"question": key[:200], "value": str(value)[:1000]}
        for key, value in form.multi_items()
        if key not in _NOT_ANSWERS
    ][:20]
    answered = await ask(request, "coproduction", "AnswerSurvey", input={"survey": survey, "answers": given})
    if "BAD_USER_INPUT" in answered.codes:  # a question left without its answer: say which
        argument = str(answered.errors[0].get("extensions", {}).get("argument", ""))
        question = global_id("Question", argument.rsplit(".", 1)[-1])
        problems = {f"answer-{question}": _("Choose one answer.")}
        return await campaign_page(request, campaign_id, 400, problems=problems)
    if answered.errors:
        return not_done(request, answered, _("Only people taking part can answer, once, while the survey is open."))
    return done_then(request, _("Thank you. Your answers are in, without your name."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def close(request: Request, form: FormData) -> Response:
    campaign_id = str(form.get("campaign", ""))[:200]
    closed = await ask(request, "coproduction", "CloseSurvey", survey=str(form.get("survey", ""))[:200])
    if closed.errors:
        return not_done(request, closed, _("Only the campaign's organisers can close its surveys."))
    return done_then(request, _("The survey is closed."), _back(campaign_id))
