"""The co-production loop from start to end, through the API, on a hand-built neighbourhood: a
campaign is proposed, co-planned (a meeting with attendance, a survey, two proposals with support
and an objection), decided, carried out (an outcome moving through its statuses), reviewed,
signed off, and its next focal point chosen. At each step the right people are told (their news,
a subscription message, an email to the test's own SMTP server); what became of Bo's input is
exact; the time credits balance; and the co-production figure has the value worked out by hand."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import test_news_email
from starlette.testclient import TestClient
from test_coproduction import AREA, HOME, Asking
from test_news_email import Inbox, _body, _wait_for

from peermap.graph.database import Graph
from peermap.graph.exporting import export_files
from peermap.graph.importing import import_files
from peermap.graph.model import Dataset, Neighbourhood, Person, Role
from peermap.graph.store import write_dataset
from peermap.schema.coproduction import told_topic
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings, Smtp

from conftest import api_token

inbox = test_news_email.inbox  # the test's own SMTP server, shared
MEMBERS = ("ann", "bo", "cat", "dee", "eli", "fay")
PEOPLE = (*MEMBERS, "sam", "kim")


@pytest.fixture
def story(graph: Graph, settings: Settings, inbox: tuple[Inbox, int]) -> Iterator[tuple[Asking, Inbox]]:
    """Six neighbours (members), Sam (a support worker) and Kim (a coordinator); news by email."""
    received, port = inbox
    people = [Person(id=p, name=p.title(), roles=(Role.MEMBER,), home=HOME) for p in MEMBERS]
    people += [
        Person(id="sam", name="Sam", roles=(Role.SUPPORT_WORKER,), home=HOME),
        Person(id="kim", name="Kim", roles=(Role.COORDINATOR,), home=HOME),
    ]
    dataset = Dataset(people=people, neighbourhoods=[Neighbourhood(id="n-hill", name="Hill Street", boundary=AREA)])
    mailing = replace(settings, smtp=Smtp(host="127.0.0.1", port=port), mail_seconds=0.2)
    with TestClient(create_app(mailing)) as client:
        client.portal.call(partial(write_dataset, client.app_state["graph"], dataset))
        tokens = {p: client.portal.call(partial(api_token, client.app_state["graph"], p)) for p in PEOPLE}
        yield Asking(client, tokens), received


def _ok(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return dict(answer["data"])


def _refused(answer: dict[str, Any]) -> str:
    assert answer.get("errors"), answer
    return str(answer["errors"][0]["message"])


def _person(name: str) -> str:
    return global_id("Person", name)


NEWS = "{ myNotifications(first: 50) { event status stage message } }"


def test_a_campaign_goes_round_the_whole_co_production_loop(story: tuple[Asking, Inbox]) -> None:
    ask, received = story
    headers = {"authorization": f"Bearer {ask.tokens['bo']}"}
    with ask.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json() == {"type": "connection_ack"}
        subscription = "subscription { toldAboutMyInput { event message } }"
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": subscription}})
        deadline = time.monotonic() + 10
        while ask.client.app_state["events"].subscriber_count(told_topic("bo")) == 0:
            assert time.monotonic() < deadline, "the subscription never listened"
            time.sleep(0.01)

        campaign = _walk_the_loop(ask)

        news = ask("bo", NEWS)["data"]["myNotifications"][::-1]  # oldest first
        heard = [socket.receive_json()["payload"]["data"]["toldAboutMyInput"] for _ in news]
    assert [(n["event"], n["message"]) for n in news] == [(h["event"], h["message"]) for h in heard], "live too"
    assert [(n["event"], n["stage"] or n["status"]) for n in news] == [
        ("STAGE_MOVED", "PLANNING"),
        ("DECIDED", None),
        ("STAGE_MOVED", "ACTIVE"),
        ("OUTCOME_ADDED", "PLANNED"),
        ("OUTCOME_MOVED", "IN_PROGRESS"),
        ("OUTCOME_MOVED", "DONE"),
        ("STAGE_MOVED", "REVIEW"),
        ("STAGE_MOVED", "ACTIVE"),
        ("STAGE_MOVED", "REVIEW"),
        ("STAGE_MOVED", "COMPLETED"),
    ], "Bo is told each step his input and his campaign take, and nothing he did himself"
    _wait_for(lambda: "Now it is: Finished." in " ".join(map(_body, received.to("bo"))))
    emailed = " ".join(map(_body, received.to("bo")))
    for said in (
        "A decision was made with your idea: Four benches with backs",
        "It has moved on: Four benches with backs. Now it is done.",
        "A campaign you take part in has moved on. Now it is: Looking back: did it work?.",
    ):
        assert said in emailed
    assert received.to("ann") == [], "Ann made every change: nobody tells her of her own"

    # What became of Bo's input: his proposal, the decision it fed, its outcome done, step by step.
    trail = _ok(
        ask(
            "bo",
            "{ myInput { contribution { kind text } decisions { statement outcomes { status progress "
            "updates { status progress note } } } } }",
        )
    )["myInput"]
    assert trail == [
        {
            "contribution": {"kind": "PROPOSAL", "text": "Benches with backs"},
            "decisions": [
                {
                    "statement": "Four benches with backs",
                    "outcomes": [
                        {
                            "status": "DONE",
                            "progress": 100,
                            "updates": [
                                {"status": "PLANNED", "progress": 0, "note": ""},
                                {"status": "IN_PROGRESS", "progress": 50, "note": "Ordered from the council"},
                                {"status": "DONE", "progress": 100, "note": "In place on Hill Street"},
                            ],
                        }
                    ],
                }
            ],
        }
    ]

    # Time credits: every minute earned was given by someone or the pot.
    balances = [_ok(ask(p, "{ myTime { balanceMinutes } }"))["myTime"]["balanceMinutes"] for p in PEOPLE]
    assert sum(balances) + _ok(ask("kim", "{ potMinutes }"))["potMinutes"] == 0
    assert dict(zip(PEOPLE, balances, strict=True)) == {
        "ann": 0, "bo": -120, "cat": 120, "dee": -30, "eli": 60, "fay": 0, "sam": 0, "kim": 0,
    }  # fmt: skip

    # Is this co-production? Two decisions, both from members' input (1); Bo, Sam, Cat and Dee all
    # told (1); Bo's 3 hours among Sam's 2 paid (3/5); members took part in every stage anyone did
    # (co-planning, review, the next focal point) (1): (1 + 1 + 0.6 + 1) / 4 = 90.
    figure = _ok(
        ask(
            "fay",
            "query($c: ID!) { node(id: $c) { ... on Campaign { followedBy { title status follows { id } } "
            "coProduction { figure decisions decisionsWithMembers contributors contributorsTold memberHours "
            "staffHours stages stagesWithMembers } } } }",
            c=campaign,
        )
    )["node"]
    assert figure["followedBy"] == {"title": "Ramps at the shops", "status": "PROPOSED", "follows": {"id": campaign}}
    assert figure["coProduction"] == {
        "figure": 90,
        "decisions": 2,
        "decisionsWithMembers": 2,
        "contributors": 4,
        "contributorsTold": 4,
        "memberHours": 3.0,
        "staffHours": 2.0,
        "stages": 3,
        "stagesWithMembers": 3,
    }


def _walk_the_loop(ask: Asking) -> str:
    """Every step of the loop, each by whom it falls to; the campaign's id."""
    # Proposed by Ann; the neighbours and Sam join; co-planning begins.
    create = "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id status } } }"
    made = _ok(ask("ann", create, i={"title": "Benches on Hill Street", "area": AREA}))["createCampaign"]["campaign"]
    campaign = made["id"]
    assert made["status"] == "PROPOSED"
    join = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
    for person in ("bo", "cat", "dee", "eli", "fay", "sam"):
        _ok(ask(person, join, i={"person": _person(person), "campaign": campaign, "role": "participant"}))
    move = """mutation($c: ID!, $s: CampaignStatus!) {
      moveCampaign(input: {campaign: $c, stage: $s}) { campaign { id } } }"""
    _ok(ask("ann", move, c=campaign, s="PLANNING"))

    # Co-planning: a meeting and who came, a survey, two proposals with support and an objection.
    plan = "mutation($i: PlanMeetingInput!) { planMeeting(input: $i) { campaign { meetings { id } } } }"
    meeting = _ok(
        ask(
            "ann",
            plan,
            i={
                "campaign": campaign,
                "title": "Where should the benches go?",
                "startsAt": "2027-03-01T18:00:00+00:00",
                "placeName": "The library",
                "accessibility": "Step-free; a hearing loop",
            },
        )
    )["planMeeting"]["campaign"]["meetings"][0]["id"]
    attend = """mutation($m: ID!, $p: ID!, $h: Attendance!) {
      attendMeeting(input: {meeting: $m, person: $p, how: $h}) { campaign { id } } }"""
    _ok(ask("bo", attend, m=meeting, p=_person("bo"), h="IN_PERSON"))
    _ok(ask("cat", attend, m=meeting, p=_person("cat"), h="REMOTE"))
    _ok(ask("ann", attend, m=meeting, p=_person("dee"), h="IN_PERSON"))  # from the sign-in sheet
    survey_made = """mutation($i: CreateSurveyInput!) {
      createSurvey(input: $i) { campaign { surveys { id questions { id } } } } }"""
    question = {"text": "Where first?", "kind": "CHOICE", "choices": ["Hill Street", "The park"]}
    survey = _ok(ask("ann", survey_made, i={"campaign": campaign, "title": "Where?", "questions": [question]}))
    survey_id = survey["createSurvey"]["campaign"]["surveys"][0]["id"]
    question_id = survey["createSurvey"]["campaign"]["surveys"][0]["questions"][0]["id"]
    answer = """mutation($s: ID!, $a: [SurveyAnswerInput!]!) {
      answerSurvey(input: {survey: $s, answers: $a}) { campaign { id } } }"""
    for person, place in (("bo", "Hill Street"), ("cat", "Hill Street"), ("dee", "The park"), ("eli", "Hill Street")):
        _ok(ask(person, answer, s=survey_id, a=[{"question": question_id, "value": place}]))
    results = """query($c: ID!) { node(id: $c) { ... on Campaign {
      surveys { counted questions { totals { answer count } } } } } }"""
    assert _ok(ask("bo", results, c=campaign))["node"]["surveys"][0]["questions"][0]["totals"] is None, "four: none"
    _ok(ask("fay", answer, s=survey_id, a=[{"question": question_id, "value": "Hill Street"}]))
    assert _ok(ask("bo", results, c=campaign))["node"]["surveys"][0]["questions"][0]["totals"] == [
        {"answer": "Hill Street", "count": 4},
        {"answer": "The park", "count": 1},
    ]
    contribute = """mutation($c: ID!, $k: ContributionKind!, $t: String!, $a: JSON) {
      contribute(input: {campaign: $c, kind: $k, text: $t, area: $a}) { contribution { id } } }"""

    def put_in(person: str, kind: str, text: str, area: Any = None) -> str:
        return str(_ok(ask(person, contribute, c=campaign, k=kind, t=text, a=area))["contribute"]["contribution"]["id"])

    backs = put_in("bo", "PROPOSAL", "Benches with backs")
    stop = put_in("cat", "PROPOSAL", "Benches by the bus stop")
    note = put_in("sam", "MEETING_NOTE", "At the library, most wanted backs to lean on")
    position = """mutation($x: ID!, $s: Stance!, $r: String! = "") {
      takePosition(input: {proposal: $x, stance: $s, reason: $r}) { campaign { id } } }"""
    _ok(ask("dee", position, x=backs, s="SUPPORT"))
    _ok(ask("eli", position, x=backs, s="SUPPORT"))
    _ok(ask("fay", position, x=stop, s="OBJECT", r="The bus stop has a shelter already"))
    _ok(ask("eli", position, x=stop, s="STAND_ASIDE"))

    # Decided, with the input that informed it; carried out, step by step.
    decide = """mutation($c: ID!, $s: String!, $by: [ID!]!) {
      decide(input: {campaign: $c, statement: $s, informedBy: $by}) { decision { id } } }"""
    decision = _ok(ask("ann", decide, c=campaign, s="Four benches with backs", by=[backs, note]))["decide"]["decision"]
    _ok(ask("ann", move, c=campaign, s="ACTIVE"))
    add = """mutation($d: ID!) {
      addOutcome(input: {decision: $d, title: "The council puts them in"}) { decision { outcomes { id } } } }"""
    outcome = _ok(ask("ann", add, d=decision["id"]))["addOutcome"]["decision"]["outcomes"][0]["id"]
    step = """mutation($o: ID!, $s: OutcomeStatus!, $p: Int!, $n: String!) {
      moveOutcome(input: {id: $o, status: $s, progress: $p, note: $n}) { campaign { id } } }"""
    _ok(ask("ann", step, o=outcome, s="IN_PROGRESS", p=50, n="Ordered from the council"))
    _ok(ask("ann", step, o=outcome, s="DONE", p=100, n="In place on Hill Street"))

    # Time given: to the campaign (Bo three hours, Sam two, paid) and between neighbours.
    hours = "mutation($i: LogHoursInput!) { logHours(input: $i) { campaign { id } } }"
    _ok(ask("bo", hours, i={"person": _person("bo"), "campaign": campaign, "hours": 3}))
    _ok(ask("sam", hours, i={"person": _person("sam"), "campaign": campaign, "hours": 2}))
    thank = """mutation($h: ID!) {
      thankForHelp(input: {helper: $h, minutes: 120, what: "Carried the benches"}) { id } }"""
    exchange = _ok(ask("bo", thank, h=_person("cat")))["thankForHelp"]["id"]
    _ok(ask("cat", "mutation($x: ID!) { answerExchange(id: $x, happened: true) { status } }", x=exchange))
    _ok(ask("dee", 'mutation { giveToPot(minutes: 30, what: "for the pot") { status } }'))
    pot = 'mutation($p: ID!) { giveFromPot(input: {person: $p, minutes: 60, what: "Painting"}) { status } }'
    _ok(ask("kim", pot, p=_person("eli")))

    # Reviewed: Fay is not satisfied, so it goes back to work and is reviewed again; then signed off.
    sign = """mutation($c: ID!, $ok: Boolean!, $r: String! = "") {
      signOff(input: {campaign: $c, satisfied: $ok, reason: $r}) { campaign { id } } }"""
    complete = "mutation($c: ID!) { completeCampaign(campaign: $c) { campaign { status } } }"
    _ok(ask("ann", move, c=campaign, s="REVIEW"))
    for person in ("bo", "cat", "dee"):
        _ok(ask(person, sign, c=campaign, ok=True))
    _ok(ask("fay", sign, c=campaign, ok=False, r="The bench by the shop has no back"))
    assert "not satisfied" in _refused(ask("ann", complete, c=campaign))
    _ok(ask("ann", move, c=campaign, s="ACTIVE"))
    _ok(ask("ann", move, c=campaign, s="REVIEW"))
    for person in ("bo", "cat", "dee", "fay"):  # four of seven
        _ok(ask(person, sign, c=campaign, ok=True))
    assert _ok(ask("ann", complete, c=campaign))["completeCampaign"]["campaign"]["status"] == "COMPLETED"

    # The next focal point: two areas proposed, supported, the one with most support chosen.
    ramps = put_in("cat", "NEXT_AREA", "Ramps at the shops", AREA)
    park = put_in("dee", "NEXT_AREA", "Lights in the park", AREA)
    for person in ("bo", "eli"):
        _ok(ask(person, position, x=ramps, s="SUPPORT"))
    _ok(ask("dee", position, x=park, s="SUPPORT"))
    choose = "mutation($c: ID!, $p: ID!) { chooseNextArea(campaign: $c, proposal: $p) { campaign { title } } }"
    assert _ok(ask("ann", choose, c=campaign, p=ramps))["chooseNextArea"]["campaign"]["title"] == "Ramps at the shops"
    told = "The next focal point: Ramps at the shops"
    for proposer in ("cat", "dee"):
        assert any(told in n["message"] for n in _ok(ask(proposer, NEWS))["myNotifications"]), proposer
    return campaign


# Everything the loop keeps, as those taking part see it on the campaign (ids are the records' own).
THE_LOOP = """query($c: ID!) { node(id: $c) { ... on Campaign {
  status signOffs { satisfied reason at person { name } }
  contributions { id kind text withdrawn author { name } saidBy { name } recordedBy { name } recordedFrom
                  positions { support object standAside } }
  decisions { id statement tookPart { name } informedBy { id }
              outcomes { id title status progress dueOn updates { status progress note } } }
  meetings { id title startsAt placeName inPerson remote attendees { how person { name } } }
  surveys { id title open respondents counted questions { text totals { answer count } texts } }
  fundingBids { id funder amountPence status madeAt writers { name } }
  coProduction { figure decisions decisionsWithMembers contributors contributorsTold stages stagesWithMembers }
} } }"""
MY_TIME = "{ potMinutes myTime { balanceMinutes exchanges { minutes what status at } } }"
MY_INPUT = "{ myInput { contribution { id text } decisions { statement outcomes { title status progress } } } }"


def test_the_whole_loop_exports_and_imports_back_unchanged(story: tuple[Asking, Inbox], tmp_path: Path) -> None:
    """A full backup holds the loop's records: imported into an empty graph, every chain from a
    person's words to where things stand, every voice, meeting, survey total, bid and time credit
    reads back the same, and exporting again gives the same files."""
    ask, _ = story
    campaign = _walk_the_loop(ask)
    bid = """mutation($c: ID!) { applyForFunding(input: {campaign: $c, funder: "Lottery", amountPence: 150000}) {
      campaign { id } } }"""
    _ok(ask("bo", bid, c=campaign))
    # The next campaign (Cat proposed it) takes input: Kim writes down what Cat said on a paper form.
    following = "query($c: ID!) { node(id: $c) { ... on Campaign { followedBy { id } } } }"
    ramps = _ok(ask("kim", following, c=campaign))["node"]["followedBy"]["id"]
    noted = """mutation($c: ID!, $who: [ID!]!) {
      recordInput(input: {campaign: $c, kind: COMMENT, text: "Ramps first", saidBy: $who, recordedFrom: PAPER_FORM})
      { contribution { id } } }"""
    _ok(ask("kim", noted, c=ramps, who=[_person("cat")]))
    graph = ask.client.app_state["graph"]
    call = ask.client.portal.call

    def seen() -> list[Any]:
        return [
            _ok(ask("ann", THE_LOOP, c=campaign)),
            _ok(ask("kim", THE_LOOP, c=ramps)),
            *(_ok(ask(person, MY_TIME)) for person in PEOPLE),
            _ok(ask("bo", MY_INPUT)),
            _ok(ask("dee", MY_INPUT)),
        ]

    before = seen()
    call(partial(export_files, graph, tmp_path / "one", exact_locations=True))
    call(partial(export_files, graph, tmp_path / "one.json", exact_locations=True))
    contributions = json.loads((tmp_path / "one" / "contributions.json").read_text())
    assert len(contributions) == len(before[0]["node"]["contributions"]) + 1 == 6, "ideas, proposals, next areas"
    surveys = json.loads((tmp_path / "one" / "surveys.json").read_text())
    assert all(set(answer) == {"question_id", "value", "batch"} for answer in surveys[0]["answers"]), "no person"

    for source in (tmp_path / "one", tmp_path / "one.json", tmp_path / "one"):  # the last time: onto itself
        if source.suffix:
            call(graph.delete_all)
        call(partial(import_files, graph, source))
        ask.tokens = {p: call(partial(api_token, graph, p)) for p in PEOPLE}  # accounts are not exported
        assert seen() == before, source.name

    call(partial(export_files, graph, tmp_path / "two", exact_locations=True))
    for file in sorted((tmp_path / "one").iterdir()):
        assert file.read_text() == (tmp_path / "two" / file.name).read_text(), file.name
