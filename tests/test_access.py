"""Who sees what, and who may change what: the README's table, checked role by role.

One small network, "the Ring": Ann and Bo are members, Vic its volunteer, Sam supports Ann and
works with the Ring, Cat coordinates it, Dee coordinates elsewhere. Each role signs in with an
API token and asks the same questions; signed-out visitors ask too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo_skills import taxonomy_skills
from peermap.graph.locations import approximate
from peermap.graph.model import (
    Campaign,
    CampaignStatus,
    Dataset,
    LocationVisibility,
    Membership,
    MembershipKind,
    Network,
    Participation,
    Person,
    PersonSkill,
    Point,
    Role,
    SkillMode,
    Support,
    Tie,
    Viewer,
)
from peermap.graph.permissions import may_see_network_care
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

ANN_HOME = Point(56.462118, -2.970874)
BO_HOME = Point(56.471234, -2.951234)
ANN_PHONE, BO_PHONE = "07700 900111", "07700 900222"
AREA = {
    "type": "Polygon",
    "coordinates": [[[-2.98, 56.45], [-2.95, 56.45], [-2.95, 56.47], [-2.98, 56.47], [-2.98, 56.45]]],
}
ROLES = ("ann", "bo", "sam", "vic", "cat", "dee", None)  # None: signed out


def _community() -> Dataset:
    def person(pid: str, name: str, *roles: Role, **more: Any) -> Person:
        return Person(id=pid, name=name, roles=roles, home=more.pop("home", Point(56.48, -2.99)), **more)

    skills = {s.name: s for s in taxonomy_skills()}
    return Dataset(
        skills=list(skills.values()),
        people=[
            person("ann", "Ann Reid", Role.MEMBER, home=ANN_HOME, contact=ANN_PHONE),
            person(
                "bo",
                "Bo Lang",
                Role.MEMBER,
                home=BO_HOME,
                location_visibility=LocationVisibility.HIDDEN,
                contact=BO_PHONE,
                contactable=True,
                skills_hidden=True,
            ),
            person("sam", "Sam Ure", Role.SUPPORT_WORKER),
            person("vic", "Vic Moss", Role.VOLUNTEER),
            person("cat", "Cat Bell", Role.COORDINATOR),
            person("dee", "Dee Fox", Role.COORDINATOR),
        ],
        person_skills=[
            PersonSkill(person_id="ann", skill_id=skills["baking"].id, mode=SkillMode.OFFERS, level=4),
            PersonSkill(person_id="bo", skill_id=skills["gardening"].id, mode=SkillMode.OFFERS, level=3),
        ],
        ties=[
            Tie(from_id="ann", to_id="bo", strength=4, last_contact=date(2026, 10, 1)),
            Tie(from_id="ann", to_id="vic", strength=2),
        ],
        supports=[Support(supporter_id="sam", person_id="ann")],
        networks=[Network(id="ring", name="The Ring"), Network(id="other", name="Another Ring")],
        memberships=[
            Membership(person_id="ann", network_id="ring", kind=MembershipKind.MEMBER),
            Membership(person_id="bo", network_id="ring", kind=MembershipKind.MEMBER),
            Membership(person_id="vic", network_id="ring", kind=MembershipKind.VOLUNTEER),
            Membership(person_id="sam", network_id="ring", kind=MembershipKind.STAFF),
            Membership(person_id="cat", network_id="ring", kind=MembershipKind.STAFF),
            Membership(person_id="dee", network_id="other", kind=MembershipKind.STAFF),
        ],
        campaigns=[
            Campaign(
                id="kerbs",
                title="Dropped kerbs",
                status=CampaignStatus.ACTIVE,
                area=AREA,
                participants=(Participation(person_id="ann", role="organiser", hours=5.0),),
            )
        ],
    )


@pytest.fixture
async def ring(graph: Graph, settings: Settings) -> Dataset:
    data = _community()
    await write_dataset(graph, data)
    return data


class _SignedIn:
    """`clients[role]`: the one test client, now asking as that role (None: signed out)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens = self._sign_everyone_in()

    def _sign_everyone_in(self) -> dict[str, str]:
        return {role: sign_in_as(self.client, role).headers["authorization"] for role in ROLES if role}

    def reset(self, data: Dataset | None = None) -> None:
        """The ring (or this data) written afresh, with new tokens for everyone."""
        self.client.portal.call(_fresh_ring, self.client.app_state["graph"], data)
        self.tokens = self._sign_everyone_in()

    def __getitem__(self, role: str | None) -> TestClient:
        self.client.headers.pop("authorization", None)
        if role is not None:
            self.client.headers["authorization"] = self.tokens[role]
        return self.client


@pytest.fixture
def clients(ring: Dataset, settings: Settings) -> Iterator[_SignedIn]:
    """One signed-in client per role (API tokens), and a signed-out one, on a fresh ring: for tests
    that change the graph or read the audit log."""
    with TestClient(create_app(settings)) as client:
        yield _SignedIn(client)


async def _fresh_ring(graph: Graph, data: Dataset | None = None) -> None:
    await graph.delete_all()
    await write_dataset(graph, data or _community())


@pytest.fixture(scope="module")
def readers(settings: Settings) -> Iterator[_SignedIn]:
    """The same clients on one ring written once for the module: for the tests that only read
    (the rest of the module empties the graph for each test, so these come first)."""
    with TestClient(create_app(settings)) as client:
        client.portal.call(_fresh_ring, client.app_state["graph"])
        yield _SignedIn(client)


def _ask(client: TestClient, query: str, **variables: Any) -> tuple[dict[str, Any], str]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json(), response.text


PERSON = """query($id: ID!) { node(id: $id) { ... on Person {
  name contact home { coordinates exact }
  skills { nodes { skill { name } } }
  ties { nodes { person { name } } }
  supporters { nodes { supporter { name } } }
} } }"""

ANN, BO = global_id("Person", "ann"), global_id("Person", "bo")
EXACT_ANN = [ANN_HOME.longitude, ANN_HOME.latitude]
CELL_ANN = [approximate(ANN_HOME).longitude, approximate(ANN_HOME).latitude]

# What each role sees of Ann: (home, contact, skills, ties, supporters).
SEES_ANN = {
    "ann": (EXACT_ANN, ANN_PHONE, ["baking"], ["Bo Lang", "Vic Moss"], ["Sam Ure"]),
    "bo": (CELL_ANN, None, ["baking"], [], []),
    "sam": (EXACT_ANN, None, ["baking"], ["Bo Lang", "Vic Moss"], ["Sam Ure"]),
    "vic": (CELL_ANN, None, ["baking"], [], []),
    "cat": (CELL_ANN, None, ["baking"], ["Bo Lang", "Vic Moss"], ["Sam Ure"]),
    "dee": (CELL_ANN, None, ["baking"], [], []),
}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_sees_of_a_member(readers: _SignedIn, role: str | None) -> None:
    body, text = _ask(readers[role], PERSON, id=ANN)
    assert "errors" not in body, body
    node = body["data"]["node"]
    if role is None:
        assert node is None, "signed-out visitors see no person"
    else:
        home, contact, skills, ties, supporters = SEES_ANN[role]
        assert node["home"]["coordinates"] == home
        assert node["home"]["exact"] is (home == EXACT_ANN)
        assert node["contact"] == contact, "contact details only with consent (Ann gave none)"
        assert [s["skill"]["name"] for s in node["skills"]["nodes"]] == skills
        assert [t["person"]["name"] for t in node["ties"]["nodes"]] == ties
        assert [s["supporter"]["name"] for s in node["supporters"]["nodes"]] == supporters
    if role not in ("ann", "sam"):
        assert str(ANN_HOME.latitude) not in text and str(ANN_HOME.longitude) not in text


@pytest.mark.parametrize("role", ROLES)
def test_a_member_who_hides_her_home_and_skills_but_may_be_contacted(readers: _SignedIn, role: str | None) -> None:
    body, text = _ask(readers[role], PERSON, id=BO)
    node = body["data"]["node"]
    if role is None:
        assert node is None
        return
    if role == "bo":
        assert node["home"] == {"coordinates": [BO_HOME.longitude, BO_HOME.latitude], "exact": True}
        assert [s["skill"]["name"] for s in node["skills"]["nodes"]] == ["gardening"]
    else:
        assert node["home"] is None, "hidden: not even the cell"
        assert node["skills"]["nodes"] == [], "hidden skills"
        assert str(BO_HOME.latitude) not in text
    assert node["contact"] == BO_PHONE, "Bo agreed to be contacted"


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_searches_follow_the_same_rules(readers: _SignedIn, role: str | None) -> None:
    query = """{ people(first: 50, near: {latitude: 56.46, longitude: -2.97}) {
      totalCount nodes { name home { coordinates exact } skills { nodes { skill { name } } } } } }"""
    body, text = _ask(readers[role], query)
    people = {p["name"]: p for p in body["data"]["people"]["nodes"]}
    if role is None:
        assert body["data"]["people"] == {"totalCount": 0, "nodes": []}
        return
    assert len(people) == 6
    assert people["Ann Reid"]["home"]["exact"] is (role in ("ann", "sam"))
    assert (people["Bo Lang"]["home"] is None) is (role != "bo")
    assert bool(people["Bo Lang"]["skills"]["nodes"]) is (role == "bo")
    if role not in ("ann", "sam"):
        assert str(ANN_HOME.latitude) not in text
    if role != "bo":
        assert str(BO_HOME.latitude) not in text
    found, _ = _ask(readers[role], '{ people(filter: {text: "gardening"}) { nodes { name } } }')
    assert "errors" not in found


@pytest.mark.parametrize("role", ["ann", "bo", "sam", "cat", "dee"])
def test_a_skills_filter_finds_only_skills_the_viewer_may_read(readers: _SignedIn, role: str) -> None:
    """Bo hides his skills: filtering by one must not find him for anyone who could not read it."""
    query = "query($s: ID!) { people(filter: {skill: $s}) { totalCount nodes { name } } }"
    found = _ask(readers[role], query, s=global_id("Skill", "sk-gardening"))[0]["data"]["people"]
    assert found == (
        {"totalCount": 1, "nodes": [{"name": "Bo Lang"}]} if role == "bo" else {"totalCount": 0, "nodes": []}
    )


def test_signed_out_visitors_see_no_network(readers: _SignedIn) -> None:
    ring = global_id("Network", "ring")
    query = "query($id: ID!, $ids: [ID!]!) { node(id: $id) { ... on Network { name } } nodes(ids: $ids) { id } }"
    assert _ask(readers[None], query, id=ring, ids=[ring])[0]["data"] == {"node": None, "nodes": [None]}
    assert _ask(readers["bo"], query, id=ring, ids=[ring])[0]["data"]["node"] == {"name": "The Ring"}
    with readers[None].websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json()["type"] == "connection_ack"
        subscription = "subscription($n: ID!) { networkMembershipChanged(network: $n) { kind } }"
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": subscription, "variables": {"n": ring}}})
        message = socket.receive_json()
    assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == "FORBIDDEN", message


def test_campaigns_are_public_but_who_takes_part_is_not(readers: _SignedIn) -> None:
    query = (
        "{ campaigns { nodes { title participantCount totalHours participants { nodes { role person { name } } } } } }"
    )
    public, _ = _ask(readers[None], query)
    [campaign] = public["data"]["campaigns"]["nodes"]
    assert campaign == {
        "title": "Dropped kerbs",
        "participantCount": 1,
        "totalHours": 5.0,
        "participants": {"nodes": []},
    }
    signed_in, _ = _ask(readers["bo"], query)
    assert signed_in["data"]["campaigns"]["nodes"][0]["participants"]["nodes"] == [
        {"role": "organiser", "person": {"name": "Ann Reid"}}
    ]
    neighbourhoods, _ = _ask(readers[None], "{ neighbourhoods { totalCount } }")
    assert "errors" not in neighbourhoods


def test_each_person_sees_what_others_see_of_them(readers: _SignedIn) -> None:
    query = "query($a: Audience!) { asSeenBy(audience: $a) { name contact home { coordinates exact } } }"
    expected = {"SUPPORTER": (EXACT_ANN, True), "NETWORK_STAFF": (CELL_ANN, False), "SIGNED_IN": (CELL_ANN, False)}
    for audience, (home, exact) in expected.items():
        seen = _ask(readers["ann"], query, a=audience)[0]["data"]["asSeenBy"]
        assert seen["home"] == {"coordinates": home, "exact": exact}, audience
        assert seen["contact"] is None, audience
    assert _ask(readers["ann"], query, a="PUBLIC")[0]["data"]["asSeenBy"] is None
    # The preview shows the viewer's own record only: there is no argument to name anyone else.
    assert _ask(readers["bo"], query, a="SIGNED_IN")[0]["data"]["asSeenBy"]["name"] == "Bo Lang"
    signed_out = _ask(readers[None], query, a="SIGNED_IN")[0]
    assert signed_out["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_isolation_and_network_care_is_for_that_networks_staff(readers: _SignedIn, test_graph: Graph) -> None:
    allowed = {
        pid: await may_see_network_care(test_graph.seen_by(Viewer(pid)), "ring")
        for pid in ("ann", "bo", "sam", "vic", "cat", "dee", None)
    }
    assert allowed == {"ann": False, "bo": False, "sam": True, "vic": False, "cat": True, "dee": False, None: False}


def test_subscribing_to_someones_new_ties_needs_the_right_to_see_them(readers: _SignedIn) -> None:
    subscription = "subscription($p: ID!) { tieMade(person: $p) { other { name } } }"
    for role in ("bo", "dee", None):  # Ann's ties are for herself, her supporters and her networks' staff
        client = readers[role]
        headers = {k: v for k, v in client.headers.items() if k == "authorization"}
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as socket:
            socket.send_json({"type": "connection_init"})
            assert socket.receive_json()["type"] == "connection_ack"
            socket.send_json(
                {"id": "1", "type": "subscribe", "payload": {"query": subscription, "variables": {"p": ANN}}}
            )
            message = socket.receive_json()
            assert message["type"] == "error" or message["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN", (
                role,
                message,
            )


# --- changes ------------------------------------------------------------------------------------

UPDATE = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { name bio } } }"
CREATE = "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { name } } }"
ASK = "mutation($p: ID!, $o: ID!) { askToConnect(input: {person: $p, other: $o}) { request { id } tie { strength } } }"
PROPOSE = "mutation($s: ID!, $p: ID!) { proposeSupport(input: {supporter: $s, person: $p}) { request { id } } }"
RECORD = "mutation($p: ID!, $o: ID!) { recordTie(input: {person: $p, other: $o}) { tie { strength } } }"
ANSWER = "mutation($r: ID!, $yes: Boolean!) { answerRequest(request: $r, accept: $yes) { tie { strength } } }"
REQUESTS = "{ requests { id kind note from { name } to { name } } }"

# (who, mutation, variables, allowed)
CHANGES: list[tuple[str | None, str, dict[str, Any], bool]] = [
    ("bo", UPDATE, {"input": {"id": ANN, "home": {"latitude": 56.5, "longitude": -2.9}}}, False),
    ("sam", UPDATE, {"input": {"id": ANN, "home": {"latitude": 56.5, "longitude": -2.9}}}, False),
    ("cat", UPDATE, {"input": {"id": ANN, "contactable": True}}, False),
    ("ann", UPDATE, {"input": {"id": ANN, "roles": ["COORDINATOR"]}}, False),
    ("cat", UPDATE, {"input": {"id": ANN, "roles": ["MEMBER", "VOLUNTEER"]}}, True),
    ("ann", UPDATE, {"input": {"id": ANN, "bio": "Bakes bread."}}, True),
    ("bo", UPDATE, {"input": {"id": ANN, "bio": "Hacked."}}, False),
    ("vic", CREATE, {"input": {"name": "Eve", "roles": ["MEMBER"]}}, False),
    ("cat", CREATE, {"input": {"name": "Eve", "roles": ["MEMBER"]}}, True),
    (None, CREATE, {"input": {"name": "Eve", "roles": ["MEMBER"]}}, False),
    (
        "bo",
        "mutation($p: ID!, $s: ID!) { setPersonSkill(input: {person: $p, skill: $s, mode: OFFERS, level: 5}) "
        "{ person { name } } }",
        {"p": ANN, "s": global_id("Skill", "sk-baking")},
        False,
    ),
    ("bo", ASK, {"p": ANN, "o": global_id("Person", "dee")}, False),
    ("vic", PROPOSE, {"s": global_id("Person", "vic"), "p": ANN}, False),
    ("cat", PROPOSE, {"s": global_id("Person", "cat"), "p": ANN}, False),
    ("cat", PROPOSE, {"s": global_id("Person", "vic"), "p": ANN}, True),
    ("cat", UPDATE, {"input": {"id": global_id("Person", "cat"), "roles": ["COORDINATOR", "SUPPORT_WORKER"]}}, False),
    ("sam", RECORD, {"p": BO, "o": global_id("Person", "vic")}, True),
    ("dee", RECORD, {"p": BO, "o": global_id("Person", "vic")}, False),
    ("sam", RECORD, {"p": BO, "o": global_id("Person", "sam")}, False),
    ("bo", RECORD, {"p": BO, "o": global_id("Person", "vic")}, False),
    (
        "bo",
        "mutation($s: ID!, $p: ID!) { endSupport(supporter: $s, person: $p) { person { name } } }",
        {"s": global_id("Person", "sam"), "p": ANN},
        False,
    ),
    ("bo", "mutation($p: ID!) { removePerson(id: $p) { removedId } }", {"p": ANN}, False),
    ("sam", "mutation($p: ID!) { invitePerson(person: $p) { code } }", {"p": BO}, False),
    ("bo", 'mutation { createNetwork(name: "Mine") { network { id } } }', {}, False),
    (
        "vic",
        "mutation($c: ID!) { moveCampaign(input: {campaign: $c, stage: REVIEW}) { campaign { status } } }",
        {"c": global_id("Campaign", "kerbs")},
        False,
    ),
    (
        "ann",
        "mutation($c: ID!) { moveCampaign(input: {campaign: $c, stage: REVIEW}) { campaign { status } } }",
        {"c": global_id("Campaign", "kerbs")},
        True,
    ),
    (
        "bo",
        "mutation($p: ID!, $s: ID!) { allowActingFor(supporter: $s, person: $p, allowed: true) { person { name } } }",
        {"p": ANN, "s": global_id("Person", "sam")},
        False,
    ),
]


@pytest.mark.parametrize(
    ("role", "mutation", "variables", "allowed"),
    CHANGES,
    ids=[f"{c[0]}-{c[1].split('(')[1].split('{')[-1].strip()[:20]}-{c[3]}" for c in CHANGES],
)
async def test_who_may_change_what(
    readers: _SignedIn, test_graph: Graph, role: str | None, mutation: str, variables: dict[str, Any], allowed: bool
) -> None:
    before = await _snapshot(test_graph)
    body, _ = _ask(readers[role], mutation, **variables)
    if allowed:
        assert "errors" not in body, body
        assert await _snapshot(test_graph) != before, "an allowed change changes something"
        readers.reset()  # the ring as it was, for the cases after this one
    else:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], body
        assert await _snapshot(test_graph) == before, "a refused change changes nothing"


async def _snapshot(graph: Graph) -> list[Any]:
    """Every node and relationship with its properties, except the log and credentials' use times."""
    rows = await graph.read(
        "MATCH (n) WHERE NOT n:AuditEntry AND NOT n:ApiToken "
        "OPTIONAL MATCH (n)-[r]->(m) RETURN n {.*, labels: labels(n)} AS n, type(r) AS r, properties(r) AS p, "
        "m.id AS m ORDER BY n.id, n.email, r, m"
    )
    return [json.dumps(row, default=str, sort_keys=True) for row in rows]


# --- acting on behalf, and the audit log -----------------------------------------------------------


def test_a_supporter_acts_for_a_person_only_when_asked_and_it_is_logged(clients: _SignedIn) -> None:
    act_for_ann = {"x-peermap-act-for": ANN}
    update = {"query": UPDATE, "variables": {"input": {"id": ANN, "bio": "Written by Sam for Ann."}}}
    refused = clients["sam"].post("/graphql", json=update, headers=act_for_ann)
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    allow = (
        "mutation($s: ID!, $p: ID!) { allowActingFor(supporter: $s, person: $p, allowed: true) { person { name } } }"
    )
    assert "errors" not in _ask(clients["ann"], allow, s=global_id("Person", "sam"), p=ANN)[0]
    done = clients["sam"].post("/graphql", json=update, headers=act_for_ann).json()
    assert done["data"]["updatePerson"]["person"]["bio"] == "Written by Sam for Ann."
    as_ann = clients["sam"].post("/graphql", json={"query": "{ viewer { name } }"}, headers=act_for_ann).json()
    assert as_ann["data"]["viewer"]["name"] == "Ann Reid"

    # Nobody else may act for Ann, and Sam may not act for Bo, whom he does not support.
    assert clients["vic"].post("/graphql", json=update, headers=act_for_ann).status_code == 403
    assert (
        clients["sam"]
        .post("/graphql", json={"query": "{ viewer { name } }"}, headers={"x-peermap-act-for": BO})
        .status_code
        == 403
    )
    # Acting for someone gives no power to widen it.
    widen = clients["sam"].post(
        "/graphql", json={"query": allow, "variables": {"s": global_id("Person", "sam"), "p": ANN}}, headers=act_for_ann
    )
    assert widen.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    erase = clients["sam"].post(
        "/graphql", json={"query": "mutation { eraseMyData { removedId } }"}, headers=act_for_ann
    )
    assert erase.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN", "erasure is the person's own act"
    # Nor over the person's account: their tokens and sessions are theirs alone.
    tokens = _ask(clients["ann"], "{ apiTokens { id } }")[0]["data"]["apiTokens"]
    for mutation, variables in (
        ("mutation($t: ID!) { revokeApiToken(id: $t) { removedId } }", {"t": tokens[0]["id"]}),
        ("mutation { signOutEverywhere }", {}),
    ):
        security = (
            clients["sam"]
            .post("/graphql", json={"query": mutation, "variables": variables}, headers=act_for_ann)
            .json()
        )
        assert security["errors"][0]["extensions"]["code"] == "FORBIDDEN", (mutation, security)
    assert _ask(clients["ann"], "{ viewer { name } }")[0]["data"]["viewer"]["name"] == "Ann Reid", "still in"

    log = _ask(
        clients["ann"], "{ auditLog(first: 20) { totalCount nodes { action detail by { name } onBehalfOf { name } } } }"
    )[0]["data"]["auditLog"]["nodes"]
    acted = [e for e in log if e["action"].startswith("acted on your behalf")]
    assert acted == [
        {
            "action": "acted on your behalf: changed your details",
            "detail": "",
            "by": {"name": "Sam Ure"},
            "onBehalfOf": {"name": "Ann Reid"},
        }
    ]
    assert any(
        e["action"] == "changed whether a supporter may act for you" and e["by"]["name"] == "Ann Reid" for e in log
    )


def test_views_of_an_exact_home_and_of_support_are_logged_for_the_person(clients: _SignedIn) -> None:
    _ask(clients["sam"], PERSON, id=ANN)
    _ask(clients["sam"], PERSON, id=ANN)
    _ask(clients["cat"], PERSON, id=ANN)
    log = _ask(clients["ann"], "{ auditLog { nodes { action detail by { name } } } }")[0]["data"]["auditLog"]["nodes"]
    assert {"action": "viewed your exact home location", "detail": "2 times that day", "by": {"name": "Sam Ure"}} in log
    assert {"action": "viewed who supports you", "detail": "", "by": {"name": "Cat Bell"}} in log
    assert not any(e["action"] == "viewed your exact home location" and e["by"]["name"] == "Cat Bell" for e in log), (
        "Cat saw only the cell"
    )
    assert _ask(clients["ann"], PERSON, id=ANN) and len(
        _ask(clients["ann"], "{ auditLog { nodes { action } } }")[0]["data"]["auditLog"]["nodes"]
    ) == len(log), "one's own views are not logged"
    # The log is the person's own: Bo's is about Bo, and empty.
    assert _ask(clients["bo"], "{ auditLog { totalCount } }")[0]["data"]["auditLog"]["totalCount"] == 0


def test_a_count_that_finds_a_home_is_logged_as_a_view_of_it(clients: _SignedIn) -> None:
    """A box small enough to hold only Ann's exact home, asked for its count alone, tells Sam where
    she lives as surely as her location field: it is logged for her, and the cell-sized view of
    others (Cat's) is not."""
    box = {
        "west": ANN_HOME.longitude - 1e-6,
        "south": ANN_HOME.latitude - 1e-6,
        "east": ANN_HOME.longitude + 1e-6,
        "north": ANN_HOME.latitude + 1e-6,
    }
    count = "query($box: BoundingBoxInput!) { people(first: 0, filter: {within: $box}) { totalCount } }"
    assert _ask(clients["sam"], count, box=box)[0]["data"]["people"]["totalCount"] == 1
    assert _ask(clients["cat"], count, box=box)[0]["data"]["people"]["totalCount"] == 0, "Cat sees only the cell"
    log = _ask(clients["ann"], "{ auditLog { nodes { action by { name } } } }")[0]["data"]["auditLog"]["nodes"]
    assert log == [{"action": "viewed your exact home location", "by": {"name": "Sam Ure"}}]


INTRODUCTIONS = "query($p: ID!) { introductions(person: $p) { person { name } distanceKm reasons { kind text } } }"


def test_introductions_tell_no_more_of_the_person_than_their_fields(clients: _SignedIn) -> None:
    """Bo hides his skills and his home. Eve wants what Bo offers and lives 200 m from him: Bo
    himself is told so, but his network's staff learn neither his skill nor any distance from him
    (nor, through the order, which people live near him)."""
    data = _community()
    gardening = next(s for s in data.skills if s.name == "gardening")
    data.people.append(
        Person(
            id="eve",
            name="Eve Hart",
            roles=(Role.MEMBER,),
            home=Point(BO_HOME.latitude + 0.0018, BO_HOME.longitude),
            contactable=True,
        )
    )
    data.person_skills.append(PersonSkill(person_id="eve", skill_id=gardening.id, mode=SkillMode.WANTS, level=1))
    clients.reset(data)
    own = _ask(clients["bo"], INTRODUCTIONS, p=BO)[0]["data"]["introductions"]
    eve = next(s for s in own if s["person"]["name"] == "Eve Hart")
    assert {"kind": "skill", "text": "wants to learn gardening"} in eve["reasons"] and eve["distanceKm"] is not None
    for staff in ("sam", "cat"):
        told = _ask(clients[staff], INTRODUCTIONS, p=BO)[0]
        assert "errors" not in told
        assert all(s["person"]["name"] != "Eve Hart" for s in told["data"]["introductions"]), staff
        assert all(s["distanceKm"] is None for s in told["data"]["introductions"]), staff
        assert "gardening" not in json.dumps(told), staff


# --- consent: nobody is linked to a person, or given power over them, without their yes ----------

VIC = global_id("Person", "vic")
TIES_OF = "query($p: ID!) { node(id: $p) { ... on Person { ties { nodes { person { name } } } } } }"


def _tie_names(client: TestClient, person: str) -> list[str]:
    return [t["person"]["name"] for t in _ask(client, TIES_OF, p=person)[0]["data"]["node"]["ties"]["nodes"]]


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_a_tie_is_made_only_when_the_other_person_says_yes(clients: _SignedIn) -> None:
    asking = "mutation($p: ID!, $o: ID!, $n: String!) { askToConnect(input: {person: $p, other: $o, note: $n}) "
    asking += "{ request { id } tie { strength } } }"
    request = _ask(clients["bo"], asking, p=BO, o=VIC, n="We met at the allotment")[0]["data"]["askToConnect"]
    assert request["tie"] is None and "Vic Moss" not in _tie_names(clients["bo"], BO), "no tie before Vic answers"
    waiting = {
        "kind": "TIE",
        "note": "We met at the allotment",
        "from": {"name": "Bo Lang"},
        "to": {"name": "Vic Moss"},
    }
    for both in ("bo", "vic"):
        [seen] = _ask(clients[both], REQUESTS)[0]["data"]["requests"]
        assert {k: v for k, v in seen.items() if k != "id"} == waiting, both
    assert _ask(clients["cat"], REQUESTS)[0]["data"]["requests"] == [], "a tie request is the two people's own"
    [held] = _ask(clients["vic"], "{ myData }")[0]["data"]["myData"]["requests"]
    assert (held["from"], held["note"]) == ("Bo Lang", "We met at the allotment"), "in Vic's own data export"
    rid = request["request"]["id"]
    assert _code(_ask(clients["bo"], ANSWER, r=rid, yes=True)[0]) == "FORBIDDEN", "Bo cannot answer for Vic"
    assert _code(_ask(clients["ann"], ANSWER, r=rid, yes=True)[0]) == "NOT_FOUND", "nor can anyone else"
    assert "errors" not in _ask(clients["vic"], ANSWER, r=rid, yes=False)[0]
    assert _ask(clients["bo"], REQUESTS)[0]["data"]["requests"] == [] and "Vic Moss" not in _tie_names(
        clients["bo"], BO
    )

    again = _ask(clients["bo"], ASK, p=BO, o=VIC)[0]["data"]["askToConnect"]["request"]["id"]
    assert _ask(clients["vic"], ANSWER, r=again, yes=True)[0]["data"]["answerRequest"]["tie"] == {"strength": 3}
    assert "Vic Moss" in _tie_names(clients["bo"], BO) and "Bo Lang" in _tie_names(clients["vic"], VIC)
    # Asking each other is consent from both.
    _ask(clients["cat"], ASK, p=global_id("Person", "cat"), o=VIC)
    mutual = _ask(clients["vic"], ASK, p=VIC, o=global_id("Person", "cat"))[0]["data"]["askToConnect"]
    assert mutual == {"request": None, "tie": {"strength": 3}}


async def test_requests_expire(clients: _SignedIn, test_graph: Graph) -> None:
    rid = _ask(clients["bo"], ASK, p=BO, o=VIC)[0]["data"]["askToConnect"]["request"]["id"]
    await test_graph.write("MATCH (r:Request) SET r.expiresAt = datetime() - duration({days: 1})")
    assert _ask(clients["vic"], REQUESTS)[0]["data"]["requests"] == []
    assert _code(_ask(clients["vic"], ANSWER, r=rid, yes=True)[0]) == "NOT_FOUND"
    assert "errors" not in _ask(clients["bo"], ASK, p=BO, o=VIC)[0], "asking anew works"
    assert len(await test_graph.read("MATCH (r:Request) RETURN r.id")) == 1, "the expired one is swept away"


def test_a_supporter_acting_for_the_person_may_answer_for_them(clients: _SignedIn) -> None:
    allow = (
        "mutation($s: ID!, $p: ID!) { allowActingFor(supporter: $s, person: $p, allowed: true) { person { name } } }"
    )
    assert "errors" not in _ask(clients["ann"], allow, s=global_id("Person", "sam"), p=ANN)[0]
    rid = _ask(clients["dee"], ASK, p=global_id("Person", "dee"), o=ANN)[0]["data"]["askToConnect"]["request"]["id"]
    answer = {"query": ANSWER, "variables": {"r": rid, "yes": True}}
    done = clients["sam"].post("/graphql", json=answer, headers={"x-peermap-act-for": ANN}).json()
    assert done["data"]["answerRequest"]["tie"] == {"strength": 3}
    assert "Dee Fox" in _tie_names(clients["ann"], ANN)


def test_staff_of_both_networks_record_a_tie_they_saw_and_either_person_removes_it(clients: _SignedIn) -> None:
    assert "errors" not in _ask(clients["sam"], RECORD, p=BO, o=VIC)[0]
    assert "Vic Moss" in _tie_names(clients["bo"], BO)
    for person in ("bo", "vic"):
        log = _ask(clients[person], "{ auditLog { nodes { action by { name } } } }")[0]["data"]["auditLog"]["nodes"]
        assert {"action": "recorded that you know someone", "by": {"name": "Sam Ure"}} in log, person
    removed = _ask(
        clients["vic"], "mutation($a: ID!, $b: ID!) { disconnect(person: $a, other: $b) { removedId } }", a=VIC, b=BO
    )[0]
    assert "errors" not in removed and "Vic Moss" not in _tie_names(clients["bo"], BO)


def test_support_starts_only_with_the_persons_yes_or_a_second_coordinators(clients: _SignedIn) -> None:
    home = "query($p: ID!) { node(id: $p) { ... on Person { home { exact } } } }"
    rid = _ask(clients["cat"], PROPOSE, s=VIC, p=BO)[0]["data"]["proposeSupport"]["request"]["id"]
    assert _ask(clients["vic"], home, p=BO)[0]["data"]["node"]["home"] is None, (
        "Bo hid his home; Vic is no supporter yet"
    )
    assert [r["kind"] for r in _ask(clients["bo"], REQUESTS)[0]["data"]["requests"]] == ["SUPPORT"]
    assert _code(_ask(clients["cat"], ANSWER, r=rid, yes=True)[0]) == "FORBIDDEN", "not the one who proposed it"
    assert _code(_ask(clients["vic"], ANSWER, r=rid, yes=True)[0]) == "FORBIDDEN", "nor the supporter"
    assert _code(_ask(clients["dee"], ANSWER, r=rid, yes=True)[0]) == "NOT_FOUND", "Dee works with another network"
    assert _ask(clients["dee"], REQUESTS)[0]["data"]["requests"] == [], "and does not learn of it"
    staff = "mutation($i: MembershipInput!) { joinNetwork(input: $i) { person { name } } }"
    ring = {"person": global_id("Person", "dee"), "network": global_id("Network", "ring"), "role": "STAFF"}
    assert "errors" not in _ask(clients["cat"], staff, i=ring)[0]
    assert "errors" not in _ask(clients["dee"], ANSWER, r=rid, yes=True)[0], "a second coordinator of Bo's network"
    assert _ask(clients["vic"], home, p=BO)[0]["data"]["node"]["home"]["exact"] is True
    # The person's own yes is enough; and the supporter must be a support worker or volunteer.
    ann_rid = _ask(clients["cat"], PROPOSE, s=VIC, p=ANN)[0]["data"]["proposeSupport"]["request"]["id"]
    assert "errors" not in _ask(clients["ann"], ANSWER, r=ann_rid, yes=True)[0]
    bo_as_supporter = _ask(clients["cat"], PROPOSE, s=BO, p=ANN)[0]
    assert bo_as_supporter["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.supporter"}


def test_friends_in_common_count_only_ties_their_people_chose_to_share(clients: _SignedIn) -> None:
    """Bo knows Ann; Ann knows Vic, who offers cooking. Until Ann lets the people she knows see
    whom she knows, nothing Bo is told (Ann's ties, friends in common, ties away, a peer's score)
    says that Ann knows Vic."""
    data = _community()
    cooking = next(s for s in data.skills if s.name == "cooking")
    data.people = [replace(p, contactable=True) if p.id == "vic" else p for p in data.people]
    data.person_skills.append(PersonSkill(person_id="vic", skill_id=cooking.id, mode=SkillMode.OFFERS, level=3))
    clients.reset(data)
    peers = "query($s: ID!) { findPeers(skills: [$s]) { person { name } score reasons { kind text } } }"

    def told_bo() -> tuple[list[str], str, str]:
        ties = _tie_names(clients["bo"], ANN)
        introductions = json.dumps(_ask(clients["bo"], INTRODUCTIONS, p=BO)[0]["data"])
        found = json.dumps(_ask(clients["bo"], peers, s=global_id("Skill", cooking.id))[0]["data"])
        return ties, introductions, found

    ties, introductions, found = told_bo()
    assert ties == [] and "in common" not in introductions and "Vic Moss" not in introductions
    assert "shared connections" not in found and "ties away" not in found and "Vic Moss" in found
    share = "mutation($p: ID!) { updatePerson(input: {id: $p, tiesShared: true}) { person { name } } }"
    assert "errors" not in _ask(clients["ann"], share, p=ANN)[0]
    ties, introductions, found = told_bo()
    assert "Vic Moss" in ties and "1 friend in common" in introductions
    assert "knows 1 person you know" in found and "2 ties away" in found
    assert _tie_names(clients["dee"], ANN) == [], "only the people Ann knows"


def test_taking_part_in_a_campaign_is_not_organising_it(clients: _SignedIn) -> None:
    """Anyone signed in may join Ann's campaign, but only its organisers (or a coordinator) change
    it or choose more organisers, nobody makes themselves one, and every change is logged on it."""
    kerbs = global_id("Campaign", "kerbs")
    join = "mutation($p: ID!, $c: ID!, $r: String!) { joinCampaign(input: {person: $p, campaign: $c, role: $r}) "
    join += "{ campaign { id } } }"
    retitle = "mutation($c: ID!, $t: String!) { updateCampaign(input: {id: $c, title: $t}) { campaign { title } } }"
    organise = "mutation($c: ID!, $p: ID!, $yes: Boolean!) { setOrganiser(campaign: $c, person: $p, organiser: $yes) "
    organise += "{ campaign { participants { nodes { role person { name } } } } } }"
    changes = "query($c: ID!) { node(id: $c) { ... on Campaign { changes { action detail by { name } } } } }"

    assert "errors" not in _ask(clients["bo"], join, p=BO, c=kerbs, r="leaflets")[0]
    assert _code(_ask(clients["bo"], retitle, c=kerbs, t="Bo's campaign")[0]) == "FORBIDDEN", (
        "joining is not organising"
    )
    taken = _ask(clients["vic"], join, p=VIC, c=kerbs, r="Organiser")[0]
    assert taken["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.role"}
    assert "errors" not in _ask(clients["vic"], join, p=VIC, c=kerbs, r="helper")[0]
    assert _code(_ask(clients["vic"], organise, c=kerbs, p=VIC, yes=True)[0]) == "FORBIDDEN", "not by oneself"
    assert _code(_ask(clients["bo"], organise, c=kerbs, p=VIC, yes=True)[0]) == "FORBIDDEN", "not by a participant"

    chosen = _ask(clients["ann"], organise, c=kerbs, p=BO, yes=True)[0]["data"]["setOrganiser"]["campaign"]
    assert {"role": "organiser", "person": {"name": "Bo Lang"}} in chosen["participants"]["nodes"]
    assert _ask(clients["bo"], retitle, c=kerbs, t="Dropped kerbs on Hilltown")[0]["data"]["updateCampaign"] == {
        "campaign": {"title": "Dropped kerbs on Hilltown"}
    }
    log = _ask(clients["vic"], changes, c=kerbs)[0]["data"]["node"]["changes"]
    assert log == [
        {"action": "changed the campaign", "detail": "title: Dropped kerbs on Hilltown", "by": {"name": "Bo Lang"}},
        {"action": "made someone an organiser", "detail": "Bo Lang", "by": {"name": "Ann Reid"}},
    ]
    assert _ask(clients[None], changes, c=kerbs)[0]["data"]["node"]["changes"] == [], "for signed-in people"
    stepped = _ask(clients["bo"], organise, c=kerbs, p=BO, yes=False)[0]["data"]["setOrganiser"]["campaign"]
    assert {"role": "participant", "person": {"name": "Bo Lang"}} in stepped["participants"]["nodes"]


# --- exports ------------------------------------------------------------------------------------


def test_ones_own_data_export_holds_everything_about_oneself_and_nothing_hidden_of_others(clients: _SignedIn) -> None:
    ann = _ask(clients["ann"], "{ myData }")[0]["data"]["myData"]
    assert ann["person"]["home"] == {"latitude": ANN_HOME.latitude, "longitude": ANN_HOME.longitude}
    assert ann["person"]["contact"] == ANN_PHONE
    assert ann["account"]["email"] == "ann@test.peermap.invalid" and ann["account"]["api_tokens"]
    assert [s["skill"] for s in ann["skills"]] == ["baking"]
    assert [t["name"] for t in ann["ties"]] == ["Bo Lang", "Vic Moss"]
    assert [s["name"] for s in ann["supported_by"]] == ["Sam Ure"]
    assert [c["title"] for c in ann["campaigns"]] == ["Dropped kerbs"]
    assert "hash" not in json.dumps(ann).lower()
    bo_text = json.dumps(_ask(clients["bo"], "{ myData }")[0]["data"]["myData"])
    assert str(ANN_HOME.latitude) not in bo_text and ANN_PHONE not in bo_text
    download = clients["ann"].get("/account/data.json", follow_redirects=False)
    assert download.status_code == 200 and download.json()["person"]["contact"] == ANN_PHONE, (
        "one way in: the download takes the same token as the API"
    )
    assert clients[None].get("/account/data.json", follow_redirects=False).status_code == 303
    assert _ask(clients[None], "{ myData }")[0]["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_plain_export_carries_only_what_any_signed_in_person_may_see(
    ring: Dataset, cli_env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "plain.json"
    subprocess.run(
        [sys.executable, "-m", "peermap.server.cli", "export", str(target)],
        env=cli_env,
        check=True,
        capture_output=True,
    )
    text = target.read_text()
    assert str(ANN_HOME.latitude) not in text and str(BO_HOME.latitude) not in text
    assert ANN_PHONE not in text and BO_PHONE in text, "contact details only with consent"
    exported = json.loads(text)
    assert [s["person_id"] for s in exported["person_skills"]] == ["ann"], "Bo's hidden skills stay out"
    full = tmp_path / "full.json"
    subprocess.run(
        [sys.executable, "-m", "peermap.server.cli", "export", str(full), "--exact-locations"],
        env=cli_env,
        check=True,
        capture_output=True,
    )
    assert str(ANN_HOME.latitude) in full.read_text() and ANN_PHONE in full.read_text(), "a full backup has all"
