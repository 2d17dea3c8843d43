"""The co-production loop, first part, through the API on a hand-built campaign: input traced to the
decisions it informed and the outcomes carrying them out ("what became of my input"), input
written for someone by their supporter and recorded as such, who may see and do what, a decision's
record kept whole when input is withdrawn or its author erased."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import httpx2 as httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from test_member_pages import _csrf, _main, _sign_in, signed_in_browser

from peermap.graph.database import Graph
from peermap.graph.model import (
    Campaign,
    CampaignStatus,
    Dataset,
    Neighbourhood,
    Participation,
    Person,
    Point,
    Role,
    Support,
    Tie,
)
from peermap.graph.store import write_dataset
from peermap.schema.coproduction import told_topic
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from browser import axe, fits_the_phone, needs_a_browser, screenshot, tab_to
from conftest import TOKEN_CHECK, api_token, peermap_serving

HOME = Point(56.462, -2.97)
AREA = {"type": "Polygon", "coordinates": [[[-2.98, 56.45], [-2.96, 56.45], [-2.96, 56.47], [-2.98, 56.45]]]}
BENCHES, OTHER = global_id("Campaign", "c-benches"), global_id("Campaign", "c-other")
PEOPLE = ("ann", "bo", "cat", "sam", "eve", "kim")


@pytest.fixture
def asks(graph: Graph, settings: Settings) -> Iterator[Asking]:
    """Ann organises the benches campaign, Bo and Cat take part, Sam supports Cat, Eve is elsewhere
    (she takes part in another campaign only). Asks as any of them: asks(person, query, **variables)."""
    with benches_community(settings) as asking:
        yield asking


@contextmanager
def benches_community(settings: Settings) -> Iterator[Asking]:
    """The benches community written to the (emptied) test graph, and an app with these settings."""
    campaign = {"status": CampaignStatus.PLANNING, "area": AREA}
    dataset = Dataset(
        people=[
            Person(id="ann", name="Ann Reid", roles=(Role.MEMBER,), home=HOME),
            Person(id="bo", name="Bo Lang", roles=(Role.MEMBER,), home=HOME),
            Person(id="cat", name="Cat Bell", roles=(Role.MEMBER,), home=HOME),
            Person(id="sam", name="Sam Ure", roles=(Role.SUPPORT_WORKER,), home=HOME),
            Person(id="eve", name="Eve Moss", roles=(Role.MEMBER,), home=HOME),
            Person(id="kim", name="Kim Ross", roles=(Role.COORDINATOR,), home=HOME),
        ],
        supports=[Support(supporter_id="sam", person_id="cat")],
        ties=[Tie(from_id="bo", to_id="cat", strength=3)],
        neighbourhoods=[Neighbourhood(id="n-hill", name="Hill Street", boundary=AREA)],
        campaigns=[
            Campaign(
                id="c-benches",
                title="Benches on Hill Street",
                participants=(
                    Participation(person_id="ann", role="organiser"),
                    Participation(person_id="bo", role="participant"),
                    Participation(person_id="cat", role="participant"),
                ),
                **campaign,
            ),
            Campaign(
                id="c-other",
                title="Another campaign",
                participants=(Participation(person_id="eve", role="organiser"),),
                **campaign,
            ),
        ],
    )
    with TestClient(create_app(settings)) as client:
        client.portal.call(partial(write_dataset, client.app_state["graph"], dataset))
        tokens = {p: client.portal.call(partial(api_token, client.app_state["graph"], p)) for p in PEOPLE}

        yield Asking(client, tokens)


class Asking:
    """Asks the API as one person or another (each with their own token), on one app."""

    def __init__(self, client: TestClient, tokens: dict[str, str]) -> None:
        self.client, self.tokens = client, tokens

    def __call__(self, person: str, query: str, *, acting_for: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {self.tokens[person]}"}
        if acting_for:
            headers["x-peermap-act-for"] = global_id("Person", acting_for)
        answer = self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        return dict(answer.json())


CONTRIBUTE = """mutation($c: ID!, $kind: ContributionKind!, $text: String!) {
  contribute(input: {campaign: $c, kind: $kind, text: $text}) {
    contribution { id kind text withdrawn author { name } enteredBy { name } } } }"""
DECIDE = """mutation($c: ID!, $s: String!, $by: [ID!]!) {
  decide(input: {campaign: $c, statement: $s, informedBy: $by}) {
    decision { id statement informedBy { text author { name } } outcomes { id } } } }"""
ADD_OUTCOME = """mutation($d: ID!, $t: String!) {
  addOutcome(input: {decision: $d, title: $t}) { decision { outcomes { id title status progress } } } }"""
MOVE = """mutation($o: ID!, $s: OutcomeStatus!, $p: Int!, $n: String!) {
  moveOutcome(input: {id: $o, status: $s, progress: $p, note: $n}) { campaign { title } } }"""
MY_INPUT = """{ myInput { contribution { text withdrawn enteredBy { name } }
  decisions { statement outcomes { title status progress updates { status progress note } } } } }"""
NEWS = "{ myNotifications { event status read message campaign { title } } }"
WITHDRAW = "mutation($x: ID!) { withdrawContribution(id: $x) { campaign { title } } }"
CAMPAIGN = """query($c: ID!) { node(id: $c) { ... on Campaign {
  contributions { text author { name } }
  decisions { statement informedBy { text withdrawn author { name } } outcomes { status } } } } }"""


def _code(answer: dict[str, Any]) -> str:
    return str(answer["errors"][0]["extensions"]["code"])


def _contribute(ask: Any, person: str, text: str, *, campaign: str = BENCHES, **more: Any) -> str:
    answer = ask(person, CONTRIBUTE, c=campaign, kind="IDEA", text=text, **more)
    assert "errors" not in answer, answer
    return str(answer["data"]["contribute"]["contribution"]["id"])


def test_each_persons_input_is_traced_to_the_decisions_and_outcomes_it_fed(asks: Asking) -> None:
    ask = asks
    idea = _contribute(ask, "bo", "Two benches by the library, please")
    _contribute(ask, "bo", "Paint the railings")  # feeds nothing: its trail stays empty
    allow = "mutation($s: ID!, $p: ID!) { allowActingFor(supporter: $s, person: $p, allowed: true) { person { id } } }"
    assert "errors" not in ask("cat", allow, s=global_id("Person", "sam"), p=global_id("Person", "cat"))
    for_cat = ask("sam", CONTRIBUTE, acting_for="cat", c=BENCHES, kind="COMMENT", text="A bench with arms, to get up")
    comment = for_cat["data"]["contribute"]["contribution"]
    assert comment["author"] == {"name": "Cat Bell"} and comment["enteredBy"] == {"name": "Sam Ure"}
    elsewhere = _contribute(ask, "eve", "Something for the other campaign", campaign=OTHER)

    # Only those taking part put input in; only organisers decide, on input to their own campaign.
    assert _code(ask("eve", CONTRIBUTE, c=BENCHES, kind="IDEA", text="Not mine to say")) == "FORBIDDEN"
    assert _code(ask("bo", DECIDE, c=BENCHES, s="Bo decides alone", by=[idea])) == "FORBIDDEN"
    assert _code(ask("ann", DECIDE, c=BENCHES, s="Out of thin air", by=[])) == "BAD_USER_INPUT"
    assert _code(ask("ann", DECIDE, c=BENCHES, s="Mixed up", by=[idea, elsewhere])) == "BAD_USER_INPUT"
    decided = ask("ann", DECIDE, c=BENCHES, s="Two benches with arms on Hill Street", by=[idea, comment["id"]])
    decision = decided["data"]["decide"]["decision"]
    assert sorted(i["text"] for i in decision["informedBy"]) == [
        "A bench with arms, to get up",
        "Two benches by the library, please",
    ]

    outcome = ask("ann", ADD_OUTCOME, d=decision["id"], t="Benches installed")["data"]["addOutcome"]["decision"]
    [outcome] = outcome["outcomes"]
    assert (outcome["status"], outcome["progress"]) == ("PLANNED", 0)
    assert _code(ask("bo", MOVE, o=outcome["id"], s="DONE", p=100, n="")) == "FORBIDDEN"
    assert _code(ask("ann", MOVE, o=outcome["id"], s="DONE", p=100, n="Skipped a step")) == "BAD_USER_INPUT"
    assert "errors" not in ask("ann", MOVE, o=outcome["id"], s="IN_PROGRESS", p=50, n="Ordered from the council")
    assert "errors" not in ask("ann", MOVE, o=outcome["id"], s="DONE", p=100, n="In place on 1 March")
    assert _code(ask("ann", MOVE, o=outcome["id"], s="IN_PROGRESS", p=90, n="")) == "BAD_USER_INPUT", "done is done"

    # Everyone whose input fed the decision was told at each step, in plain words; not Ann, who did it.
    news = ask("bo", NEWS)["data"]["myNotifications"]
    assert [(n["event"], n["status"], n["read"]) for n in news] == [
        ("OUTCOME_MOVED", "DONE", False),
        ("OUTCOME_MOVED", "IN_PROGRESS", False),
        ("OUTCOME_ADDED", "PLANNED", False),
        ("DECIDED", None, False),
    ]
    assert news[0]["message"] == "Something your input helped has moved on: Benches installed is now done"
    assert news[3]["campaign"] == {"title": "Benches on Hill Street"}
    assert len(ask("cat", NEWS)["data"]["myNotifications"]) == 4, "Cat, whose words Sam wrote, is told too"
    assert ask("ann", NEWS)["data"]["myNotifications"] == [] and ask("eve", NEWS)["data"]["myNotifications"] == []
    assert "errors" not in ask("ann", MOVE, o=outcome["id"], s="DONE", p=100, n="A plaque is on order")
    assert len(ask("bo", NEWS)["data"]["myNotifications"]) == 4, "a note alone moves nothing: nobody is told"
    assert ask("bo", "mutation { markNotificationsRead }")["data"]["markNotificationsRead"] == 4
    assert ask("bo", "mutation { markNotificationsRead }")["data"]["markNotificationsRead"] == 0
    assert ask("bo", "{ myNotifications(unreadOnly: true) { id } }")["data"]["myNotifications"] == []

    # What became of Bo's input: the idea fed the decision, whose outcome is done; the other fed nothing.
    trail = {t["contribution"]["text"]: t["decisions"] for t in ask("bo", MY_INPUT)["data"]["myInput"]}
    assert trail["Paint the railings"] == []
    [fed] = trail["Two benches by the library, please"]
    assert fed["statement"] == "Two benches with arms on Hill Street"
    assert fed["outcomes"] == [
        {
            "title": "Benches installed",
            "status": "DONE",
            "progress": 100,
            "updates": [
                {"status": "PLANNED", "progress": 0, "note": ""},
                {"status": "IN_PROGRESS", "progress": 50, "note": "Ordered from the council"},
                {"status": "DONE", "progress": 100, "note": "In place on 1 March"},
                {"status": "DONE", "progress": 100, "note": "A plaque is on order"},
            ],
        }
    ]
    cats = ask("cat", MY_INPUT)["data"]["myInput"]
    assert [(t["contribution"]["enteredBy"], len(t["decisions"])) for t in cats] == [({"name": "Sam Ure"}, 1)]
    [mine] = ask("cat", "{ myData }")["data"]["myData"]["contributions"]
    assert (mine["text"], mine["entered_by"], mine["informed"]) == (
        "A bench with arms, to get up",
        "Sam Ure",
        ["Two benches with arms on Hill Street"],
    ), "her data download holds what she put in, and what it fed"
    log = ask("cat", "{ auditLog { nodes { action by { name } } } }")["data"]["auditLog"]["nodes"]
    assert {"action": "acted on your behalf: contributed to a campaign", "by": {"name": "Sam Ure"}} in log

    # Who said what is for those taking part; the decisions are as public as the campaign.
    seen_by_eve = ask("eve", CAMPAIGN, c=BENCHES)["data"]["node"]
    assert seen_by_eve["contributions"] == []
    assert [(d["statement"], d["informedBy"]) for d in seen_by_eve["decisions"]] == [
        ("Two benches with arms on Hill Street", [])
    ]
    assert len(ask("ann", CAMPAIGN, c=BENCHES)["data"]["node"]["contributions"]) == 3
    # Both campaigns' input and decisions, and what informed each decision: one query each, not one per item.
    listed = ask("kim", "{ campaigns { nodes { contributions { id } decisions { informedBy { id } } } } }")
    assert sorted(len(c["contributions"]) for c in listed["data"]["campaigns"]["nodes"]) == [1, 3]
    assert listed["extensions"]["cypherQueries"] == 3 + TOKEN_CHECK, "the campaigns, their input, their decisions"
    figures = ask("kim", "{ campaigns { nodes { title coProduction { figure decisions } } } }")
    assert sorted((c["title"], c["coProduction"]["decisions"]) for c in figures["data"]["campaigns"]["nodes"]) == [
        ("Another campaign", 0),
        ("Benches on Hill Street", 1),
    ]
    assert figures["extensions"]["cypherQueries"] == 2 + TOKEN_CHECK, "every campaign's figure in one query"

    # Only the author withdraws; the words go, the decision's record of its input stays.
    assert _code(ask("eve", "mutation($x: ID!) { withdrawContribution(id: $x) { campaign { title } } }", x=idea)) == (
        "NOT_FOUND"
    )
    assert "errors" not in ask(
        "bo", "mutation($x: ID!) { withdrawContribution(id: $x) { campaign { title } } }", x=idea
    )
    [kept] = ask("ann", CAMPAIGN, c=BENCHES)["data"]["node"]["decisions"]
    assert {"text": "", "withdrawn": True, "author": {"name": "Bo Lang"}} in kept["informedBy"]
    assert _code(ask("ann", DECIDE, c=BENCHES, s="On withdrawn words", by=[idea])) == "BAD_USER_INPUT"


FIGURE = """query($c: ID!) { node(id: $c) { ... on Campaign { coProduction {
  figure decisions decisionsWithMembers contributors contributorsTold memberHours volunteerHours staffHours
  stages stagesWithMembers } } } }"""


def test_the_co_production_figure_counts_the_fact_sheets_tests(asks: Asking) -> None:
    ask = asks
    assert ask("ann", FIGURE, c=BENCHES)["data"]["node"]["coProduction"]["figure"] is None, "nothing to count yet"
    join = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
    sam = global_id("Person", "sam")
    assert "errors" not in ask("sam", join, i={"person": sam, "campaign": BENCHES, "role": "participant"})
    bos = _contribute(ask, "bo", "Benches with backs")
    _contribute(ask, "cat", "Benches in the shade")  # a contributor whose input has fed nothing yet
    sams = _contribute(ask, "sam", "Ask the council for a grant")
    assert "errors" not in ask("ann", DECIDE, c=BENCHES, s="Apply for a grant", by=[sams])
    assert "errors" not in ask("ann", DECIDE, c=BENCHES, s="Benches with backs", by=[bos])
    hours = "mutation($i: LogHoursInput!) { logHours(input: $i) { campaign { id } } }"
    assert "errors" not in ask("bo", hours, i={"person": global_id("Person", "bo"), "campaign": BENCHES, "hours": 3})
    assert "errors" not in ask("sam", hours, i={"person": sam, "campaign": BENCHES, "hours": 1})
    figure = ask("ann", FIGURE, c=BENCHES)["data"]["node"]["coProduction"]
    assert figure == {
        "decisions": 2,
        "decisionsWithMembers": 1,  # the grant came from Sam's idea alone: a paid worker's
        "contributors": 3,
        "contributorsTold": 2,  # Cat's idea has fed nothing yet
        "memberHours": 3.0,
        "volunteerHours": 0.0,
        "staffHours": 1.0,
        "stages": 1,  # all in co-planning
        "stagesWithMembers": 1,
        "figure": round(100 * (1 / 2 + 2 / 3 + 3 / 4 + 1) / 4),  # 73
    }
    assert ask("eve", FIGURE, c=BENCHES)["data"]["node"]["coProduction"] is None, "for those involved"


DECIDE_TOGETHER = """mutation($c: ID!, $s: String!, $by: [ID!]!, $who: [ID!]!) {
  decide(input: {campaign: $c, statement: $s, informedBy: $by, tookPart: $who}) {
    decision { id tookPart { name } } } }"""
DECIDED = """query($c: ID!) { node(id: $c) { ... on Campaign {
  decisions { statement tookPart { name } outcomes { title dueOn status } } } } }"""


def test_a_decision_says_who_made_it_and_an_outcome_when_it_is_due(asks: Asking) -> None:
    ask = asks
    join = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
    sam = global_id("Person", "sam")
    assert "errors" not in ask("sam", join, i={"person": sam, "campaign": BENCHES, "role": "participant"})
    sams = _contribute(ask, "sam", "Ask the council for a grant")
    eve, bo, ann = (global_id("Person", p) for p in ("eve", "bo", "ann"))

    refused = ask("ann", DECIDE_TOGETHER, c=BENCHES, s="Apply for a grant", by=[sams], who=[ann, eve])
    assert _code(refused) == "BAD_USER_INPUT" and "taking part" in refused["errors"][0]["message"]
    assert ask("ann", DECIDED, c=BENCHES)["data"]["node"]["decisions"] == [], "a refused decision writes nothing"

    decided = ask("ann", DECIDE_TOGETHER, c=BENCHES, s="Apply for a grant", by=[sams], who=[ann, bo])
    decision = decided["data"]["decide"]["decision"]
    assert [p["name"] for p in decision["tookPart"]] == ["Ann Reid", "Bo Lang"]
    figure = ask("ann", FIGURE, c=BENCHES)["data"]["node"]["coProduction"]
    assert figure["decisionsWithMembers"] == 1, "Sam's idea, but members decided it"

    add = """mutation($d: ID!) { addOutcome(input: {decision: $d, title: "Send the bid", dueOn: "2027-03-31"}) {
      decision { outcomes { id dueOn } } } }"""
    outcome = ask("ann", add, d=decision["id"])["data"]["addOutcome"]["decision"]["outcomes"][0]
    assert outcome["dueOn"] == "2027-03-31"
    assert "errors" not in ask("ann", MOVE, o=outcome["id"], s="IN_PROGRESS", p=10, n="Started")
    assert ask("ann", DECIDED, c=BENCHES)["data"]["node"]["decisions"][0]["outcomes"][0]["dueOn"] == "2027-03-31"
    later = """mutation($o: ID!) {
      moveOutcome(input: {id: $o, status: IN_PROGRESS, progress: 20, dueOn: "2027-04-30"}) { campaign { id } } }"""
    assert "errors" not in ask("ann", later, o=outcome["id"])

    seen_by_eve = ask("eve", DECIDED, c=BENCHES)["data"]["node"]["decisions"]
    assert seen_by_eve == [
        {
            "statement": "Apply for a grant",
            "tookPart": [],  # who decided is for those taking part, like who said what
            "outcomes": [{"title": "Send the bid", "dueOn": "2027-04-30", "status": "IN_PROGRESS"}],
        }
    ]


POSITION = """mutation($x: ID!, $s: Stance!, $r: String!) {
  takePosition(input: {proposal: $x, stance: $s, reason: $r}) { campaign { title } } }"""
VOICES = """query($c: ID!) { node(id: $c) { ... on Campaign { contributions { text
  positions { support object standAside mine objections { reason person { name } } } } } } }"""


def _voices(ask: Asking, person: str) -> dict[str, Any]:
    found = ask(person, VOICES, c=BENCHES)["data"]["node"]["contributions"]
    return {x["text"]: x["positions"] for x in found}


def test_each_person_has_one_voice_on_a_proposal_and_an_objection_says_why(asks: Asking) -> None:
    ask = asks
    answer = ask("bo", CONTRIBUTE, c=BENCHES, kind="PROPOSAL", text="Paint the benches green")
    proposal = answer["data"]["contribute"]["contribution"]["id"]
    idea = _contribute(ask, "bo", "Just an idea")
    assert "errors" not in ask("cat", POSITION, x=proposal, s="SUPPORT", r="")
    assert _code(ask("ann", POSITION, x=proposal, s="OBJECT", r=" ")) == "BAD_USER_INPUT", "an objection says why"
    assert "errors" not in ask("ann", POSITION, x=proposal, s="OBJECT", r="Green fades in a year")
    assert "errors" not in ask("bo", POSITION, x=proposal, s="STAND_ASIDE", r="")
    assert "errors" not in ask("bo", POSITION, x=proposal, s="SUPPORT", r=""), "a voice changed, not added"
    assert _code(ask("sam", POSITION, x=proposal, s="SUPPORT", r="")) == "FORBIDDEN", "Sam takes no part"
    assert _code(ask("ann", POSITION, x=idea, s="SUPPORT", r="")) == "BAD_USER_INPUT", "only on proposals"
    voices = _voices(ask, "ann")["Paint the benches green"]
    assert (voices["support"], voices["object"], voices["standAside"], voices["mine"]) == (2, 1, 0, "OBJECT")
    assert voices["objections"] == [{"reason": "Green fades in a year", "person": {"name": "Ann Reid"}}]
    assert _voices(ask, "cat")["Paint the benches green"]["mine"] == "SUPPORT"
    assert ask("eve", VOICES, c=BENCHES)["data"]["node"]["contributions"] == [], "for those taking part"

    drop = "mutation($x: ID!) { dropPosition(proposal: $x) { campaign { title } } }"
    assert "errors" not in ask("cat", drop, x=proposal)
    assert _code(ask("cat", drop, x=proposal)) == "NOT_FOUND"
    assert _voices(ask, "ann")["Paint the benches green"]["support"] == 1
    assert "errors" not in ask("bo", WITHDRAW, x=proposal)
    assert _code(ask("cat", POSITION, x=proposal, s="SUPPORT", r="")) == "BAD_USER_INPUT", "nothing left to support"


def test_erasing_a_person_keeps_the_decisions_record_whole_and_the_credits_balanced(asks: Asking) -> None:
    ask = asks
    idea = _contribute(ask, "bo", "A bench facing the river")
    assert "errors" not in ask("ann", DECIDE, c=BENCHES, s="One bench facing the river", by=[idea])
    assert len(ask("bo", NEWS)["data"]["myNotifications"]) == 1
    thanked = ask("bo", THANK, h=global_id("Person", "cat"), m=60, w="Thank you for the lift")
    assert "errors" not in ask("cat", ANSWER_TIME, x=thanked["data"]["thankForHelp"]["id"], y=True)
    assert "errors" not in ask("bo", "mutation { eraseMyData { removedId } }")
    assert _balance(ask, "cat") == 60, "what Cat earned stays hers"
    assert ask("ann", "{ potMinutes }")["data"]["potMinutes"] == -60, "Bo's side passed to the pot: it still adds up"
    [decision] = ask("ann", CAMPAIGN, c=BENCHES)["data"]["node"]["decisions"]
    assert decision["informedBy"] == [{"text": "", "withdrawn": True, "author": None}]
    graph = asks.client.app_state["graph"]
    [left] = asks.client.portal.call(partial(graph.read, "MATCH (n:Notification) RETURN count(n) AS n"))
    assert left["n"] == 0, "what Bo was told went with him"


RECORD = """mutation($c: ID!, $t: String!, $who: [ID!]!) {
  recordInput(input: {campaign: $c, kind: IDEA, text: $t, saidBy: $who, recordedFrom: MEETING}) {
    contribution { id text saidBy { name } recordedBy { name } recordedFrom author { name } } } }"""
OWN_INPUT = "{ myInput { contribution { text withdrawn recordedFrom } decisions { statement } } }"


def test_what_several_people_said_at_a_meeting_is_written_down_as_theirs(asks: Asking) -> None:
    ask = asks
    bo, cat, eve = (global_id("Person", p) for p in ("bo", "cat", "eve"))
    assert _code(ask("bo", RECORD, c=BENCHES, t="Benches by the bus stop", who=[bo, cat])) == "FORBIDDEN", (
        "organisers write down what was said, not anyone"
    )
    refused = ask("ann", RECORD, c=BENCHES, t="Benches by the bus stop", who=[bo, eve])
    assert _code(refused) == "BAD_USER_INPUT" and "taking part" in refused["errors"][0]["message"]
    assert ask("bo", OWN_INPUT)["data"]["myInput"] == [], "a refused record writes nothing"

    recorded = ask("ann", RECORD, c=BENCHES, t="Benches by the bus stop", who=[cat, bo])["data"]["recordInput"]
    said = recorded["contribution"]
    assert said["saidBy"] == [{"name": "Bo Lang"}, {"name": "Cat Bell"}]
    assert (said["recordedBy"], said["recordedFrom"]) == ({"name": "Ann Reid"}, "MEETING")
    assert "errors" not in ask("ann", DECIDE, c=BENCHES, s="Two benches by the bus stop", by=[said["id"]])
    for person in ("bo", "cat"):  # it is each of theirs: in what became of their input, and they are told
        assert ask(person, OWN_INPUT)["data"]["myInput"] == [
            {
                "contribution": {"text": "Benches by the bus stop", "withdrawn": False, "recordedFrom": "MEETING"},
                "decisions": [{"statement": "Two benches by the bus stop"}],
            }
        ], person
        assert [n["event"] for n in ask(person, NEWS)["data"]["myNotifications"]] == ["DECIDED"], person
    assert ask("ann", NEWS)["data"]["myNotifications"] == [], "writing it down made it not Ann's"

    assert "errors" not in ask("bo", WITHDRAW, x=said["id"])  # Bo takes his name off; Cat's words stay
    assert ask("bo", OWN_INPUT)["data"]["myInput"] == []
    [kept] = ask("cat", OWN_INPUT)["data"]["myInput"]
    assert kept["contribution"]["text"] == "Benches by the bus stop"
    assert "errors" not in ask("cat", WITHDRAW, x=said["id"])  # the last to go takes the words back
    [gone] = ask("cat", OWN_INPUT)["data"]["myInput"]
    assert gone["contribution"] == {"text": "", "withdrawn": True, "recordedFrom": "MEETING"}


def test_erasing_one_of_several_who_said_something_leaves_the_others_words(asks: Asking) -> None:
    ask = asks
    bo, cat = global_id("Person", "bo"), global_id("Person", "cat")
    ask("ann", RECORD, c=BENCHES, t="A bench with a back", who=[bo, cat])
    assert "errors" not in ask("bo", "mutation { eraseMyData { removedId } }")
    [kept] = ask("cat", OWN_INPUT)["data"]["myInput"]
    assert kept["contribution"]["text"] == "A bench with a back"
    [seen] = ask("ann", CAMPAIGN, c=BENCHES)["data"]["node"]["contributions"]
    assert seen == {"text": "A bench with a back", "author": {"name": "Cat Bell"}}


def test_a_contributor_hears_at_once_when_their_input_is_decided_on(asks: Asking) -> None:
    idea = _contribute(asks, "bo", "A bench at the bus stop")
    headers = {"authorization": f"Bearer {asks.tokens['bo']}"}
    query = "subscription { toldAboutMyInput { event message decision { statement } } }"
    client = asks.client
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json() == {"type": "connection_ack"}
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
        deadline = time.monotonic() + 10
        while client.app_state["events"].subscriber_count(told_topic("bo")) == 0:
            assert time.monotonic() < deadline, "the subscription never listened"
            time.sleep(0.01)
        assert "errors" not in asks("ann", DECIDE, c=BENCHES, s="A bench at the bus stop, this spring", by=[idea])
        message = socket.receive_json()
    assert message["type"] == "next", message
    assert message["payload"]["data"]["toldAboutMyInput"] == {
        "event": "DECIDED",
        "message": "A decision was made with your input: A bench at the bus stop, this spring",
        "decision": {"statement": "A bench at the bus stop, this spring"},
    }


# --- the same loop on the pages: keyboard alone, JavaScript off, a phone's width -----------------


@pytest.fixture
def served(asks: Asking, cli_env: dict[str, str]) -> Iterator[str]:
    """The same community, served by `peermap serve` for a real browser."""
    with peermap_serving({**cli_env, "PEERMAP_MAP_TILES": "none"}) as base:
        yield base


@needs_a_browser
def test_an_idea_shared_on_the_pages_is_decided_on_and_its_author_reads_what_became_of_it(served: str) -> None:
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        assert axe(page) == [] and fits_the_phone(page)
        tab_to(page, text="Share it")
        with page.expect_navigation():  # sent empty: said why, nothing shared
            page.keyboard.press("Enter")
        assert "Write your idea first." in page.inner_text("#problem")
        tab_to(page, field="text")
        page.keyboard.type("A bench with a back, by the chemist")
        tab_to(page, text="Share it")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Your words are in" in _main(page) and "A bench with a back, by the chemist" in _main(page)
    with signed_in_browser(served, "ann") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        tab_to(page, field="statement")
        page.keyboard.type("One bench with a back outside the chemist")
        tab_to(page, field="informed-1")
        page.keyboard.press("Space")
        bo_ticks = page.locator("#took-part label", has_text="Bo Lang").get_attribute("for")
        tab_to(page, field=bo_ticks)
        page.keyboard.press("Space")
        tab_to(page, text="Record the decision")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Everyone whose idea helped is told." in _main(page)
        assert "Decided together by: Bo Lang." in _main(page)
        decision = page.locator("input[name=decision]").first.get_attribute("value")
        tab_to(page, text="Add it")
        with page.expect_navigation():  # empty: said why
            page.keyboard.press("Enter")
        assert "Write what will be done." in page.inner_text("#problem")
        tab_to(page, field=f"outcome-{decision}")
        page.keyboard.type("The council puts the bench in")
        tab_to(page, text="Add it")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "The council puts the bench in: planned, 0% done" in _main(page)
        assert "Members took part in 1 of 1 decisions." in _main(page)
        assert "Our co-production figure: 100 out of 100." in _main(page), "Bo's idea decided, Bo told"
        screenshot(page, "page-campaign-decisions")
        assert axe(page) == [] and fits_the_phone(page)
    with signed_in_browser(served, "bo", language="pl-PL") as page:
        assert "Masz 2 nowe wiadomości o swoich pomysłach." in _main(page)
        tab_to(page, text="Zobacz, co się stało z moimi pomysłami")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/news")
        news = _main(page)
        assert "Podjęto decyzję z twoim pomysłem: One bench with a back outside the chemist" in news
        assert "The council puts the bench in: zaplanowane, 0% gotowe" in news
        assert axe(page) == [] and fits_the_phone(page)
        screenshot(page, "page-news-pl")
        tab_to(page, text="Przeczytane")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Nowe" not in page.inner_text("#told ~ ul")


@needs_a_browser
def test_a_participant_objects_to_a_proposal_on_the_page_and_must_say_why(asks: Asking, served: str) -> None:
    answer = asks("bo", CONTRIBUTE, c=BENCHES, kind="PROPOSAL", text="Benches made of recycled plastic")
    proposal = answer["data"]["contribute"]["contribution"]["id"]
    with signed_in_browser(served, "ann") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        assert "For: 0. Against: 0. Standing aside: 0." in _main(page)
        tab_to(page, field=f"stance-{proposal}-SUPPORT")
        page.keyboard.press("ArrowDown")  # the radio group: on to "I object"
        tab_to(page, text="Say it")
        with page.expect_navigation():  # no reason: said why one is needed, nothing counted
            page.keyboard.press("Enter")
        assert "Say why you object, so that it can be answered." in page.inner_text("#problem")
        tab_to(page, field=f"stance-{proposal}-SUPPORT")
        page.keyboard.press("ArrowDown")
        tab_to(page, field=f"reason-{proposal}")
        page.keyboard.type("Plastic gets too hot in the sun")
        tab_to(page, text="Say it")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        shown = _main(page)
        assert "Your voice is counted." in shown and "For: 0. Against: 1. Standing aside: 0." in shown
        assert "Ann Reid objects: Plastic gets too hot in the sun" in shown
        assert axe(page) == [] and fits_the_phone(page)
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        _sign_in(client, "cat")
        forged = {"csrf": _csrf(client.get("/me").text), "campaign": BENCHES, "proposal": proposal, "stance": "MAYBE"}
        refused = client.post("/campaign/position", data=forged)
        assert refused.status_code == 400 and "Choose whether you support it, object or stand aside." in refused.text
    voices = _voices(asks, "bo")["Benches made of recycled plastic"]
    assert (voices["object"], voices["objections"][0]["reason"]) == (1, "Plastic gets too hot in the sun")


# --- time credits: an hour given is an hour earned, and every balance adds up ----------------------

THANK = """mutation($h: ID!, $m: Int!, $w: String!) {
  thankForHelp(input: {helper: $h, minutes: $m, what: $w}) { id status } }"""
ANSWER_TIME = "mutation($x: ID!, $y: Boolean!) { answerExchange(id: $x, happened: $y) { status } }"
TO_POT = 'mutation($m: Int!) { giveToPot(minutes: $m, what: "for the pot") { status } }'
FROM_POT = """mutation($p: ID!, $m: Int!) {
  giveFromPot(input: {person: $p, minutes: $m, what: "Two hours on the benches"}) { status } }"""
MY_TIME = "{ myTime { balanceMinutes exchanges { minutes what status waitsForYou giver { name } earner { name } } } }"


def _balance(ask: Asking, person: str) -> int:
    return int(ask(person, MY_TIME)["data"]["myTime"]["balanceMinutes"])


def test_help_counts_once_the_helper_confirms_and_the_pot_hands_credits_on(asks: Asking) -> None:
    ask = asks
    thanked = ask("bo", THANK, h=global_id("Person", "cat"), m=120, w="Cat helped me cook. Thank you!")
    exchange = thanked["data"]["thankForHelp"]
    assert exchange["status"] == "PROPOSED" and _balance(ask, "cat") == 0, "not until Cat says it happened"
    [waiting] = ask("cat", MY_TIME)["data"]["myTime"]["exchanges"]
    assert waiting["waitsForYou"] and waiting["giver"] == {"name": "Bo Lang"} and waiting["minutes"] == 120
    assert _code(ask("bo", ANSWER_TIME, x=exchange["id"], y=True)) == "NOT_FOUND", "Bo cannot confirm his own thanks"
    assert ask("cat", ANSWER_TIME, x=exchange["id"], y=True)["data"]["answerExchange"]["status"] == "CONFIRMED"
    assert (_balance(ask, "cat"), _balance(ask, "bo")) == (120, -120)
    assert _code(ask("cat", ANSWER_TIME, x=exchange["id"], y=False)) == "NOT_FOUND", "answered once"

    assert _code(ask("bo", THANK, h=global_id("Person", "bo"), m=60, w="")) == "BAD_USER_INPUT"
    assert _code(ask("bo", THANK, h=global_id("Person", "cat"), m=0, w="")) == "BAD_USER_INPUT"
    assert _code(ask("bo", FROM_POT, p=global_id("Person", "bo"), m=60)) == "FORBIDDEN", "coordinators hand it on"
    assert ask("cat", TO_POT, m=30)["data"]["giveToPot"]["status"] == "CONFIRMED"
    assert ask("kim", FROM_POT, p=global_id("Person", "eve"), m=90)["data"]["giveFromPot"]["status"] == "CONFIRMED"
    assert (_balance(ask, "cat"), _balance(ask, "eve")) == (90, 90)
    assert ask("ann", "{ potMinutes }")["data"]["potMinutes"] == -60, "the community owes what it handed on"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.one_of(
            st.tuples(st.just("thank"), st.sampled_from(PEOPLE[:5]), st.sampled_from(PEOPLE[:5]), st.integers(1, 600)),
            st.tuples(st.just("answer"), st.integers(0, 9), st.booleans(), st.just(0)),
            st.tuples(st.just("to pot"), st.sampled_from(PEOPLE[:5]), st.just(""), st.integers(1, 600)),
            st.tuples(st.just("from pot"), st.sampled_from(PEOPLE[:5]), st.just(""), st.integers(1, 600)),
        ),
        max_size=8,
    )
)
def test_time_credits_always_balance(asks: Asking, moves: list[tuple[Any, ...]]) -> None:
    """Whatever happens, every credit earned was given by someone or by the pot: all balances add up
    to nothing, and each is exactly its confirmed minutes in, less out."""
    graph = asks.client.app_state["graph"]
    asks.client.portal.call(partial(graph.write, "MATCH (n) WHERE n:Exchange OR n:Pot DETACH DELETE n"))
    expected = dict.fromkeys(PEOPLE, 0)
    pot = 0
    waiting: list[tuple[str, str, str, int]] = []  # (exchange, giver, helper, minutes)
    for kind, who, other, minutes in moves:
        if kind == "thank":
            answer = asks(who, THANK, h=global_id("Person", other), m=minutes, w="thanks")
            if who == other:
                assert _code(answer) == "BAD_USER_INPUT"
                continue
            waiting.append((answer["data"]["thankForHelp"]["id"], who, other, minutes))
        elif kind == "answer" and waiting:
            exchange, giver, helper, given = waiting.pop(who % len(waiting))
            assert "errors" not in asks(helper, ANSWER_TIME, x=exchange, y=other)
            if other:
                expected[giver] -= given
                expected[helper] += given
        elif kind == "to pot":
            assert "errors" not in asks(who, TO_POT, m=minutes)
            expected[who] -= minutes
            pot += minutes
        elif kind == "from pot":
            assert "errors" not in asks("kim", FROM_POT, p=global_id("Person", who), m=minutes)
            expected[who] += minutes
            pot -= minutes
    balances = {person: _balance(asks, person) for person in PEOPLE}
    assert balances == expected
    assert asks("ann", "{ potMinutes }")["data"]["potMinutes"] == pot
    assert sum(balances.values()) + pot == 0


@needs_a_browser
def test_thanks_for_help_given_on_the_page_count_once_the_helper_says_yes(asks: Asking, served: str) -> None:
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/time")
        assert "You have no time credits yet." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
        tab_to(page, field="helper")
        page.keyboard.press("ArrowDown")  # Cat, the one person Bo knows
        tab_to(page, field="minutes")
        for _ in range(6):
            page.keyboard.press("ArrowDown")  # 2 hours
        tab_to(page, field="what")
        page.keyboard.type("Cat helped me cook for the lunch club. Thank you!")
        tab_to(page, text="Thank them")
        page.keyboard.press("Enter")
        page.wait_for_url(f"http://{served}/time#done")
        assert "Waiting for them to say it happened." in _main(page)
    with signed_in_browser(served, "cat", language="pl-PL") as page:
        page.goto(f"http://{served}/time")
        assert "Bo Lang dziękuje ci za 2 godziny pomocy." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
        screenshot(page, "page-time-pl")
        tab_to(page, text="Tak, to było")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Zarobiono 2 godziny." in _main(page)
    assert (_balance(asks, "cat"), _balance(asks, "bo")) == (120, -120)


CREDIT = "mutation($c: ID!, $p: ID!) { creditCampaignHours(campaign: $c, person: $p) { minutes status what } }"
LOG = "mutation($i: LogHoursInput!) { logHours(input: $i) { campaign { id } } }"


def test_hours_given_to_a_campaign_become_time_credits_once_an_organiser_confirms(asks: Asking) -> None:
    bo, ann = global_id("Person", "bo"), global_id("Person", "ann")
    assert "errors" not in asks("bo", LOG, i={"person": bo, "campaign": BENCHES, "hours": 2.5})
    assert _code(asks("bo", CREDIT, c=BENCHES, p=bo)) == "FORBIDDEN", "not by oneself"
    assert _code(asks("cat", CREDIT, c=BENCHES, p=bo)) == "FORBIDDEN", "by an organiser"
    credited = asks("ann", CREDIT, c=BENCHES, p=bo)["data"]["creditCampaignHours"]
    assert credited == {"minutes": 150, "status": "CONFIRMED", "what": "Time given to Benches on Hill Street"}
    assert (_balance(asks, "bo"), asks("ann", "{ potMinutes }")["data"]["potMinutes"]) == (150, -150)
    assert _code(asks("ann", CREDIT, c=BENCHES, p=bo)) == "BAD_USER_INPUT", "each hour once"
    assert "errors" not in asks("bo", LOG, i={"person": bo, "campaign": BENCHES, "hours": 1})
    assert asks("ann", CREDIT, c=BENCHES, p=bo)["data"]["creditCampaignHours"]["minutes"] == 60, "only the new hour"

    assert "errors" not in asks("ann", LOG, i={"person": ann, "campaign": BENCHES, "hours": 1})
    assert "another organiser" in asks("ann", CREDIT, c=BENCHES, p=ann)["errors"][0]["message"]
    assert asks("kim", CREDIT, c=BENCHES, p=ann)["data"]["creditCampaignHours"]["minutes"] == 60, "a coordinator"


@needs_a_browser
def test_an_organiser_confirms_someones_hours_on_the_campaign_page(asks: Asking, served: str) -> None:
    bo = global_id("Person", "bo")
    assert "errors" not in asks("bo", LOG, i={"person": bo, "campaign": BENCHES, "hours": 2})
    with signed_in_browser(served, "ann") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        tab_to(page, text="Confirm them as time credits for Bo Lang")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Confirmed: 2 hours are their time credits now." in _main(page)
        assert "Confirm them as time credits" not in _main(page), "nothing more to confirm"
        assert axe(page) == [] and fits_the_phone(page)
    assert _balance(asks, "bo") == 120


@needs_a_browser
def test_an_organiser_writes_down_what_people_said_at_a_meeting_on_the_page(asks: Asking, served: str) -> None:
    with signed_in_browser(served, "ann") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        tab_to(page, text="Write it down")
        with page.expect_navigation():  # sent empty: said why, nothing written
            page.keyboard.press("Enter")
        problems = page.inner_text("#problem")
        assert "Write what they said." in problems and "Tick everyone who said it." in problems
        tab_to(page, field="said")
        page.keyboard.type("Ramps at both ends of the street")
        for name in ("Bo Lang", "Cat Bell"):
            tab_to(page, field=page.locator("#said-by label", has_text=name).get_attribute("for"))
            page.keyboard.press("Space")
        tab_to(page, text="Write it down")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Written down. It is theirs now" in _main(page)
        assert "from Bo Lang, Cat Bell (written down by Ann Reid at a meeting)" in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        tab_to(page, text="Take my name off")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "Your name is off it." in _main(page)
        assert "from Cat Bell (written down by Ann Reid at a meeting)" in _main(page)


def test_an_organiser_says_on_the_page_when_an_outcome_is_due(asks: Asking, served: str) -> None:
    idea = _contribute(asks, "bo", "A bench by the chemist")
    decided = asks("ann", DECIDE, c=BENCHES, s="One bench by the chemist", by=[idea])["data"]["decide"]["decision"]
    with httpx.Client(base_url=f"http://{served}", headers={"origin": f"http://{served}"}) as client:
        _sign_in(client, "ann")
        outcome = {"csrf": _csrf(client.get("/me").text), "campaign": BENCHES, "decision": decided["id"]}
        wrong = client.post("/campaign/outcome", data={**outcome, "title": "Ask the council", "due_on": "31/03/2027"})
        assert wrong.status_code == 400 and "Write the date as year-month-day" in wrong.text
        assert asks("ann", DECIDED, c=BENCHES)["data"]["node"]["decisions"][0]["outcomes"] == [], "nothing added"
        added = client.post("/campaign/outcome", data={**outcome, "title": "Ask the council", "due_on": "2027-03-31"})
        assert added.status_code == 303
        assert "To be done by 31 March 2027." in client.get(f"/campaign?id={BENCHES}").text
    [saved] = asks("ann", DECIDED, c=BENCHES)["data"]["node"]["decisions"][0]["outcomes"]
    assert (saved["title"], saved["dueOn"]) == ("Ask the council", "2027-03-31")
