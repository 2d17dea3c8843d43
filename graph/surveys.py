"""A campaign's surveys: questions (a choice, a scale of 1 to 5, or free text), answered once by each
person taking part, with results only as totals.

Anonymity by construction: that someone answered is kept apart from what they answered, and an
answer is stored with no person and no time, only with the batch of five respondents it came in.
Results are counted over whole batches only, so they show nothing under five respondents, and any
two results differ by five people at least: no single answer can be told by comparing totals
before and after it. Free-text answers are listed in alphabetical order, never in the order given.
"""

from __future__ import annotations

from typing import Any

from . import queries
from .database import Transaction
from .errors import Invalid, NotFound
from .model import Question, QuestionKind, Survey
from .permissions import Rule
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

BATCH = 5  # the fewest people any result is about
MAX_QUESTIONS = 20
MAX_CHOICES = 10
MAX_TEXT = 200  # a question, a choice, a title
MAX_ANSWER = 1000  # a free-text answer
SCALE = tuple(str(n) for n in range(1, 6))


def _words(value: str, field: str, limit: int = MAX_TEXT) -> str:
    words = value.strip()
    if not words:
        raise Invalid(field, "must not be empty")
    if len(words) > limit:
        raise Invalid(field, f"at most {limit} characters")
    return words


def _question(index: int, text: str, kind: QuestionKind, choices: list[str]) -> dict[str, Any]:
    field = f"questions[{index}]"
    options = [_words(c, f"{field}.choices") for c in choices]
    if kind is QuestionKind.CHOICE and not 2 <= len(set(options)) == len(options) <= MAX_CHOICES:
        raise Invalid(f"{field}.choices", f"from 2 to {MAX_CHOICES} different choices")
    if kind is not QuestionKind.CHOICE and options:
        raise Invalid(f"{field}.choices", "only a choice question has choices")
    return {
        "id": new_id("q"),
        "position": index,
        "text": _words(text, f"{field}.text"),
        "kind": kind.value,
        "choices": options,
    }


async def create(
    graph: ViewerGraph, campaign_id: str, title: str, questions: list[tuple[str, QuestionKind, list[str]]]
) -> str:
    """A survey of the campaign (its organisers, or a coordinator); its id."""
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise Invalid("questions", f"from 1 to {MAX_QUESTIONS}")
    rows = [_question(i, text, kind, choices) for i, (text, kind, choices) in enumerate(questions)]
    survey_id, name = new_id("s"), _words(title, "title")

    async def work(tx: Transaction) -> None:
        await require_exists(tx, "Campaign", campaign_id, "campaign")
        await tx.execute(queries.surveys.CREATE, campaign=campaign_id, id=survey_id, title=name, questions=rows)

    await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="made a survey")
    return survey_id


async def _survey(graph: ViewerGraph, survey_id: str) -> dict[str, Any]:
    rows = await graph.read(queries.surveys.SURVEY, id=survey_id)
    if not rows:
        raise NotFound("survey", f"no survey has the id {survey_id!r}")
    return rows[0]


async def close(graph: ViewerGraph, survey_id: str) -> str:
    """No more answers; the campaign's id."""
    campaign_id = str((await _survey(graph, survey_id))["campaign_id"])

    async def work(tx: Transaction) -> None:
        await tx.execute(queries.surveys.CLOSE, id=survey_id)

    await graph.change(work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="closed a survey")
    return campaign_id


def _answers(questions: list[dict[str, Any]], given: dict[str, str]) -> list[dict[str, str]]:
    """Each question's answer checked against its kind: choices and scales must be answered, free
    text may be left empty (then nothing is kept)."""
    known = {q["id"] for q in questions}
    if set(given) - known:
        raise Invalid("answers", "answer this survey's questions only")
    kept = []
    for question in questions:
        value = given.get(question["id"], "").strip()
        field = f"answers.{question['id']}"
        if question["kind"] == QuestionKind.TEXT.value:
            if len(value) > MAX_ANSWER:
                raise Invalid(field, f"at most {MAX_ANSWER} characters")
            if not value:
                continue
        elif value not in (question["choices"] if question["kind"] == QuestionKind.CHOICE.value else SCALE):
            raise Invalid(field, "choose one of the answers offered")
        kept.append({"question": question["id"], "value": value})
    return kept


async def answer(graph: ViewerGraph, survey_id: str, given: dict[str, str]) -> str:
    """The viewer's answers (by question id), once; the campaign's id."""
    survey = await _survey(graph, survey_id)
    answers = _answers(survey["questions"], given)
    campaign_id = str(survey["campaign_id"])

    async def work(tx: Transaction) -> None:
        rows = await tx.run(queries.surveys.ANSWER, person=graph.viewer.person_id, id=survey_id, answers=answers)
        if not rows:
            raise Invalid("survey", "you have answered it already, or it is closed")

    await graph.change(work, rule=Rule.CAMPAIGN_PARTICIPANTS, campaign=campaign_id, action="answered a survey")
    return campaign_id


def _result(row: dict[str, Any]) -> Survey:
    return Survey(
        id=row["id"],
        campaign_id=row["campaign_id"],
        title=row["title"],
        open=bool(row["open"]),
        respondents=row["respondents"],
        counted=row["counted"],
        answered=bool(row["answered"]),
        questions=tuple(
            Question(
                id=q["id"],
                text=q["text"],
                kind=QuestionKind(q["kind"]),
                choices=tuple(q["choices"] or ()),
                answers=tuple(q["answers"]),
            )
            for q in row["questions"]
        ),
    )


async def surveys(graph: ViewerGraph, campaign_ids: list[str]) -> dict[str, list[Survey]]:
    """Each campaign's surveys, oldest first, for those taking part and coordinators."""
    found: dict[str, list[Survey]] = {}
    for row in await graph.read(queries.surveys.CAMPAIGN_SURVEYS, campaigns=campaign_ids):
        found.setdefault(row["campaign_id"], []).append(_result(row))
    return found
