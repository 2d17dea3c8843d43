"""Surveys through the API, on a campaign of twelve neighbours: questions of three kinds, answered
once by each person taking part, results only as totals over whole fives of respondents, so that
no answer can be told apart, whatever the order and content of the answers (a property test)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from test_coproduction import AREA, HOME, Asking
from test_member_pages import _main, signed_in_browser

from peermap.graph.database import Graph
from peermap.graph.model import Campaign, CampaignStatus, Dataset, Participation, Person, Role
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from browser import axe, fits_the_phone, needs_a_browser, screenshot, tab_to
from conftest import api_token, peermap_serving

NEIGHBOURS = [f"n{i:02d}" for i in range(1, 13)]
CAMPAIGN = global_id("Campaign", "c-park")
PLACES = ["The park", "The shops", "The library"]

CREATE = """mutation($i: CreateSurveyInput!) { createSurvey(input: $i) { campaign { surveys { id } } } }"""
ANSWER = """mutation($s: ID!, $a: [SurveyAnswerInput!]!) {
  answerSurvey(input: {survey: $s, answers: $a}) { campaign { title } } }"""
CLOSE = "mutation($s: ID!) { closeSurvey(survey: $s) { campaign { title } } }"
SURVEYS = """query($c: ID!) { node(id: $c) { ... on Campaign { surveys {
  id title open respondents counted answered
  questions { id text kind choices totals { answer count } texts } } } } }"""
QUESTIONS = [
    {"text": "Where should we start?", "kind": "CHOICE", "choices": PLACES},
    {"text": "How much does it matter to you?", "kind": "SCALE"},
    {"text": "Anything else?", "kind": "TEXT"},
]


@pytest.fixture
def crowd(graph: Graph, settings: Settings) -> Iterator[Asking]:
    """Ola organises the park campaign; twelve neighbours take part; Zed does not."""
    people = ["ola", *NEIGHBOURS, "zed"]
    dataset = Dataset(
        people=[Person(id=p, name=p.title(), roles=(Role.MEMBER,), home=HOME) for p in people],
        campaigns=[
            Campaign(
                id="c-park",
                title="A better park",
                status=CampaignStatus.PLANNING,
                area=AREA,
                participants=(
                    Participation(person_id="ola", role="organiser"),
                    *(Participation(person_id=n, role="participant") for n in NEIGHBOURS),
                ),
            )
        ],
    )
    with TestClient(create_app(settings)) as client:
        client.portal.call(partial(write_dataset, client.app_state["graph"], dataset))
        tokens = {p: client.portal.call(partial(api_token, client.app_state["graph"], p)) for p in people}
        yield Asking(client, tokens)


def _new_survey(ask: Asking) -> tuple[str, list[str]]:
    made = ask("ola", CREATE, i={"campaign": CAMPAIGN, "title": "Where next?", "questions": QUESTIONS})
    survey = made["data"]["createSurvey"]["campaign"]["surveys"][-1]["id"]
    return survey, [q["id"] for q in _survey(ask, "ola", survey)["questions"]]


def _survey(ask: Asking, person: str, survey: str) -> dict[str, Any]:
    found = ask(person, SURVEYS, c=CAMPAIGN)["data"]["node"]["surveys"]
    return next(s for s in found if s["id"] == survey)


def _answers(questions: list[str], place: str, scale: int, text: str) -> list[dict[str, str]]:
    return [{"question": q, "value": v} for q, v in zip(questions, (place, str(scale), text), strict=True)]


def _error(answer: dict[str, Any]) -> str:
    assert answer.get("errors"), answer
    return str(answer["errors"][0]["message"])


def test_a_survey_is_answered_once_each_and_shows_totals_only_from_five(crowd: Asking) -> None:
    ask = crowd
    one_choice = [{"text": "Which?", "kind": "CHOICE", "choices": ["Only this"]}]
    assert "2 to 10 different choices" in _error(
        ask("ola", CREATE, i={"campaign": CAMPAIGN, "title": "Bad", "questions": one_choice})
    )
    assert "organisers" in _error(ask("n01", CREATE, i={"campaign": CAMPAIGN, "title": "X", "questions": QUESTIONS}))
    survey, questions = _new_survey(ask)

    assert "choose one of the answers offered" in _error(
        ask("n01", ANSWER, s=survey, a=_answers(questions, "Mars", 3, ""))
    )
    assert "choose one" in _error(ask("n01", ANSWER, s=survey, a=_answers(questions, "The park", 9, "")))
    assert "participants" in _error(ask("zed", ANSWER, s=survey, a=_answers(questions, "The park", 3, "")))
    given_answers = [("The park", 5, "Swings"), ("The park", 4, ""), ("The shops", 2, "A bench"), ("The park", 5, "")]
    for person, (place, scale, text) in zip(NEIGHBOURS, given_answers, strict=False):
        assert not ask(person, ANSWER, s=survey, a=_answers(questions, place, scale, text)).get("errors")
    assert "answered it already" in _error(ask("n01", ANSWER, s=survey, a=_answers(questions, "The shops", 1, "")))

    four = _survey(ask, "n01", survey)
    assert (four["respondents"], four["counted"], four["answered"]) == (4, 0, True)
    assert all(q["totals"] is None and q["texts"] is None for q in four["questions"]), "nothing under five"

    ask("n05", ANSWER, s=survey, a=_answers(questions, "The library", 3, "Lights"))
    five = _survey(ask, "ola", survey)
    assert (five["respondents"], five["counted"], five["answered"]) == (5, 5, False)
    where, matters, words = five["questions"]
    assert where["totals"] == [
        {"answer": "The park", "count": 3},
        {"answer": "The shops", "count": 1},
        {"answer": "The library", "count": 1},
    ]
    assert [t["count"] for t in matters["totals"]] == [0, 1, 1, 1, 2] and matters["choices"] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert words["texts"] == ["A bench", "Lights", "Swings"], "no names, in alphabetical order"

    ask("n06", ANSWER, s=survey, a=_answers(questions, "The shops", 1, "Toilets"))
    six = _survey(ask, "ola", survey)
    assert (six["respondents"], six["counted"]) == (6, 5)
    assert six["questions"] == five["questions"], "the sixth answer waits for four more"
    assert "organisers" in _error(ask("n01", CLOSE, s=survey))
    assert not ask("ola", CLOSE, s=survey).get("errors")
    assert "closed" in _error(ask("n07", ANSWER, s=survey, a=_answers(questions, "The park", 1, "")))
    assert ask("zed", SURVEYS, c=CAMPAIGN)["data"]["node"]["surveys"] == [], "for those taking part"
    mine = ask("n01", "{ myData }")["data"]["myData"]
    assert mine["surveys_answered"] == [{"campaign_id": "c-park", "survey": "Where next?"}]
    assert "Swings" not in str(mine), "what one answered is kept without a name: it is nobody's to download"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.lists(
        st.tuples(st.sampled_from(PLACES), st.integers(1, 5), st.sampled_from(["", "Swings", "Lights", "A bench"])),
        max_size=len(NEIGHBOURS),
    )
)
def test_survey_totals_never_reveal_a_single_answer(crowd: Asking, answers: list[tuple[str, int, str]]) -> None:
    """Whatever is answered, in whatever order: the results are nothing, or exactly the totals of the
    first whole fives of respondents; so each result differs from the one before by five people or
    none, and no one answer can be worked out by comparing them."""
    survey, questions = _new_survey(crowd)
    seen: list[tuple[int, Any]] = []
    for count, (person, (place, scale, text)) in enumerate(zip(NEIGHBOURS, answers, strict=False), start=1):
        assert not crowd(person, ANSWER, s=survey, a=_answers(questions, place, scale, text)).get("errors")
        shown = _survey(crowd, "ola", survey)
        counted = 5 * (count // 5)
        assert (shown["respondents"], shown["counted"]) == (count, counted)
        where, matters, words = shown["questions"]
        if counted < 5:
            assert (where["totals"], matters["totals"], words["texts"]) == (None, None, None)
        else:
            first = answers[:counted]
            assert {t["answer"]: t["count"] for t in where["totals"]} == {
                p: Counter(a[0] for a in first)[p] for p in PLACES
            }
            assert [t["count"] for t in matters["totals"]] == [Counter(a[1] for a in first)[n] for n in range(1, 6)]
            assert words["texts"] == sorted(a[2] for a in first if a[2])
        seen.append((counted, shown["questions"]))
    for (before, shown_before), (after, shown_after) in zip(seen, seen[1:], strict=False):
        assert after - before in (0, 5)
        if after == before:
            assert shown_after == shown_before, "an answer that completes no five changes nothing shown"


@pytest.fixture
def served(crowd: Asking, cli_env: dict[str, str]) -> Iterator[str]:
    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base:
        yield base


@needs_a_browser
def test_a_survey_is_made_and_answered_on_the_pages(crowd: Asking, served: str) -> None:
    campaign = f"http://{served}/campaign?id={CAMPAIGN}"
    with signed_in_browser(served, "ola") as page:
        page.goto(campaign)
        tab_to(page, text="Make the survey")
        with page.expect_navigation():  # nothing written: said what is needed
            page.keyboard.press("Enter")
        assert "Write what the survey is about." in page.inner_text("#problem")
        tab_to(page, field="survey-title")
        page.keyboard.type("Where next?")
        tab_to(page, field="question-1")
        page.keyboard.type("Where should we start?")
        tab_to(page, field="choices-1")
        for line in ("The park", "The shops"):
            page.keyboard.type(line)
            page.keyboard.press("Enter")
        tab_to(page, field="question-2")
        page.keyboard.type("How much does it matter to you?")
        tab_to(page, field="kind-2")
        page.keyboard.press("ArrowDown")  # a number from 1 to 5
        tab_to(page, text="Make the survey")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "People taking part can answer it now." in _main(page)
    with signed_in_browser(served, "n01") as page:
        page.goto(campaign)
        tab_to(page, text="Send my answers")
        with page.expect_navigation():  # nothing chosen: the question says so
            page.keyboard.press("Enter")
        assert "Choose one answer." in page.inner_text("#problem")
        tab_to(page, field="answer-1-1")  # the park
        page.keyboard.press("Space")
        tab_to(page, field="answer-2-1")
        page.keyboard.press("ArrowRight")  # on to 2
        page.keyboard.press("ArrowRight")  # and 3
        tab_to(page, text="Send my answers")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        shown = _main(page)
        assert "Your answers are in, without your name." in shown and "1 person has answered." in shown
        assert "We show the answers when at least 5 people have answered." in shown
        assert axe(page) == [] and fits_the_phone(page)
    survey = crowd("ola", SURVEYS, c=CAMPAIGN)["data"]["node"]["surveys"][0]
    where, matters = (q["id"] for q in survey["questions"])
    for person in NEIGHBOURS[1:5]:
        given = [{"question": where, "value": "The shops"}, {"question": matters, "value": "5"}]
        assert not crowd(person, ANSWER, s=survey["id"], a=given).get("errors")
    with signed_in_browser(served, "n01", language="pl-PL") as page:
        page.goto(campaign)
        shown = _main(page)
        assert "Odpowiedzi pierwszych 5 osób:" in shown
        assert "The park: 1 osoba" in shown and "The shops: 4 osoby" in shown and "3: 1 osoba" in shown
        screenshot(page, "page-campaign-survey")
        assert axe(page) == [] and fits_the_phone(page)
