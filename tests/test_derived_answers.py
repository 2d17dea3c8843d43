"""No answer depends on what its viewer may not read: the rule of derived answers, as a property.

For small random communities (homes, privacy choices, skills, ties, networks, staff and
supporters) and a random viewer, every people-returning field and filter is asked twice: of the
community, and of the same community with only what this viewer may not read changed (exact
homes moved within their cell, hidden homes moved anywhere, hidden skills redrawn, contact
details nobody agreed to show rewritten, ties the viewer may not read added or removed). The
answers must be the same, byte for byte: so no filter, count, order, reason, distance or score
can tell the viewer more than the fields would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo_skills import taxonomy_skills
from peermap.graph.locations import approximate
from peermap.graph.model import (
    Dataset,
    LocationVisibility,
    Membership,
    MembershipKind,
    Network,
    Person,
    PersonSkill,
    Point,
    Role,
    SkillMode,
    Support,
    Tie,
)
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

SKILLS = ("sk-baking", "sk-cooking", "sk-gardening", "sk-knitting")
CENTRE = Point(56.462, -2.970)
NETWORKS = ("ring", "loop")


@pytest.fixture(scope="module")
def app_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(replace(settings, cost_budget=1_000_000_000, map_tiles=None))) as client:
        yield client


async def _fresh(graph: Graph, data: Dataset) -> None:
    await graph.delete_all()
    await write_dataset(graph, data)


# --- a small community, drawn at random -----------------------------------------------------------


@st.composite
def communities(draw: st.DrawFn) -> tuple[Dataset, str]:
    size = draw(st.integers(4, 7))
    ids = [f"p{i}" for i in range(size)]
    role_sets = st.sampled_from(
        [(Role.MEMBER,), (Role.MEMBER,), (Role.VOLUNTEER,), (Role.SUPPORT_WORKER,), (Role.COORDINATOR,)]
    )
    people = [
        Person(
            id=pid,
            name=f"Person {pid}",
            roles=draw(role_sets),
            home=_near(draw),
            location_visibility=draw(st.sampled_from(list(LocationVisibility))),
            contact=f"0770 {pid}",
            contactable=draw(st.booleans()),
            skills_hidden=draw(st.booleans()),
            ties_shared=draw(st.booleans()),
        )
        for pid in ids
    ]
    pairs = list(combinations(ids, 2))
    ties = [Tie(from_id=a, to_id=b, strength=draw(st.integers(1, 5))) for a, b in pairs if draw(st.booleans())]
    memberships = []
    for person in people:
        for network in NETWORKS:
            if draw(st.integers(0, 2)) == 0:
                staff = Role.COORDINATOR in person.roles or Role.SUPPORT_WORKER in person.roles
                kind = MembershipKind.STAFF if staff else MembershipKind.MEMBER
                memberships.append(Membership(person_id=person.id, network_id=network, kind=kind))
    helpers = [p.id for p in people if {Role.SUPPORT_WORKER, Role.VOLUNTEER} & set(p.roles)]
    supports = [
        Support(supporter_id=h, person_id=p) for h in helpers for p in ids if p != h and draw(st.integers(0, 3)) == 0
    ]
    data = Dataset(
        skills=taxonomy_skills(),
        people=people,
        person_skills=_skills(draw, ids),
        ties=ties,
        supports=supports,
        networks=[Network(id=n, name=n.title()) for n in NETWORKS],
        memberships=memberships,
    )
    return data, draw(st.sampled_from(ids))


def _near(draw: Any) -> Point:
    """A home within about 1.5 km of the centre: a few grid cells, so that some share one."""
    return Point(CENTRE.latitude + draw(st.floats(-0.012, 0.012)), CENTRE.longitude + draw(st.floats(-0.02, 0.02)))


def _skills(draw: Any, ids: list[str]) -> list[PersonSkill]:
    return [
        PersonSkill(person_id=pid, skill_id=skill, mode=mode, level=draw(st.integers(1, 5)))
        for pid in ids
        for skill in SKILLS
        for mode in (SkillMode.OFFERS, SkillMode.WANTS)
        if draw(st.integers(0, 3)) == 0
    ]


# --- what the viewer may read, as the README's table says -----------------------------------------


class Rules:
    def __init__(self, data: Dataset, viewer: str) -> None:
        self.data, self.viewer = data, viewer
        self.people = {p.id: p for p in data.people}
        self.supported = {s.person_id for s in data.supports if s.supporter_id == viewer}
        me = self.people[viewer]
        staffing = Role.COORDINATOR in me.roles or Role.SUPPORT_WORKER in me.roles
        self.staffed = {
            m.network_id
            for m in data.memberships
            if staffing and m.person_id == viewer and m.kind is MembershipKind.STAFF
        }
        self.knows_viewer = {t.from_id for t in data.ties if t.to_id == viewer} | {
            t.to_id for t in data.ties if t.from_id == viewer
        }

    def close(self, pid: str) -> bool:
        """The person themselves, or someone the viewer supports: they see the exact home and all skills."""
        return pid == self.viewer or pid in self.supported

    def reads_ties(self, pid: str) -> bool:
        in_staffed = any(
            m.person_id == pid and m.network_id in self.staffed and m.kind is not MembershipKind.STAFF
            for m in self.data.memberships
        )
        return self.close(pid) or in_staffed or (self.people[pid].ties_shared and pid in self.knows_viewer)


def _changed_where_unseen(draw: Any, data: Dataset, viewer: str) -> Dataset:
    """The same community with only what the viewer may not read changed."""
    rules = Rules(data, viewer)
    people = []
    for person in data.people:
        if rules.close(person.id):
            people.append(person)
            continue
        assert person.home is not None
        if person.location_visibility is LocationVisibility.HIDDEN:
            home = _near(draw)  # anywhere: nothing of it may show
        else:  # elsewhere in the same cell: only the cell may show
            cell = approximate(person.home)
            home = Point(cell.latitude + draw(st.floats(-0.0015, 0.0015)), cell.longitude)
            home = home if approximate(home) == cell else person.home
        contact = person.contact if person.contactable else f"07700 {draw(st.integers(0, 999_999)):06d}"
        people.append(replace(person, home=home, contact=contact))
    hidden_skills = {p.id for p in data.people if p.skills_hidden and not rules.close(p.id)}
    kept = [s for s in data.person_skills if s.person_id not in hidden_skills]
    redrawn = _skills(draw, sorted(hidden_skills))
    unreadable = {
        (a, b)
        for a, b in combinations(sorted(p.id for p in data.people), 2)
        if not rules.reads_ties(a) and not rules.reads_ties(b)
    }
    ties = [t for t in data.ties if tuple(sorted((t.from_id, t.to_id))) not in unreadable]
    ties += [
        Tie(from_id=a, to_id=b, strength=draw(st.integers(1, 5))) for a, b in sorted(unreadable) if draw(st.booleans())
    ]
    return replace(data, people=people, person_skills=kept + redrawn, ties=ties)


# --- the questions, asked as the viewer -----------------------------------------------------------

PERSON = """query($id: ID!) { node(id: $id) { ... on Person {
  name contact home { coordinates exact }
  skills { totalCount nodes { mode level skill { name } } }
  ties { totalCount nodes { strength person { name } } }
} } }"""
PEOPLE = """query($skill: ID, $near: PointInput, $box: BoundingBoxInput) {
  people(first: 50, near: $near, filter: {skill: $skill, within: $box}) { totalCount nodes { name } } }"""
PEERS = """query($skill: ID!, $near: PointInput) { findPeers(skills: [$skill], near: $near, first: 20) {
  person { name } score distanceKm reasons { kind text value } } }"""
INTRODUCTIONS = """query($p: ID!) {
  introductions(person: $p, first: 20) { person { name } score distanceKm reasons { kind text value } } }"""


def _answers(client: TestClient, data: Dataset, viewer: str) -> list[Any]:
    client.portal.call(_fresh, client.app_state["graph"], data)
    sign_in_as(client, viewer)
    box = {
        "west": CENTRE.longitude - 0.006,
        "south": CENTRE.latitude - 0.004,
        "east": CENTRE.longitude + 0.006,
        "north": CENTRE.latitude + 0.004,
    }
    near = {"latitude": CENTRE.latitude, "longitude": CENTRE.longitude}
    asked: list[tuple[str, dict[str, Any]]] = [(PERSON, {"id": global_id("Person", p.id)}) for p in data.people]
    asked += [(PEOPLE, {"near": near}), (PEOPLE, {"box": box}), (INTRODUCTIONS, {"p": global_id("Person", viewer)})]
    for skill in SKILLS:
        asked += [
            (PEOPLE, {"skill": global_id("Skill", skill)}),
            (PEERS, {"skill": global_id("Skill", skill), "near": near}),
        ]
    answers = []
    for query, variables in asked:
        body = client.post("/graphql", json={"query": query, "variables": variables}).json()
        answers.append({"data": body.get("data"), "errors": [e["message"] for e in body.get("errors", [])]})
    return answers


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=communities(), data=st.data())
def test_no_answer_depends_on_what_the_viewer_may_not_read(
    app_client: TestClient, drawn: tuple[Dataset, str], data: st.DataObject
) -> None:
    community, viewer = drawn
    other = _changed_where_unseen(data.draw, community, viewer)
    before, after = _answers(app_client, community, viewer), _answers(app_client, other, viewer)
    for one, two in zip(before, after, strict=True):
        assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
