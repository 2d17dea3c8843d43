"""The benchmark queries: Peermap's GraphQL, the floor (one hand-written Cypher query giving the
same answer, or for the analyses the Cypher Peermap itself sends, replayed), and where it can
express them, the same question to the official Neo4j GraphQL Library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peermap.graph.model import Dataset, MembershipKind, Role
from peermap.schema.ids import global_id


@dataclass(frozen=True)
class Subjects:
    """Whom and what the queries ask about, chosen from the demo the same way at every size."""

    member: str  # a member with a home, ties and a network: asks findPeers, records a contact
    friend: str  # one of the member's ties
    network: str
    neighbourhood: str  # the member's: its health is asked of every network's staff there
    campaign: str
    skill: str = "sk-cooking"

    @classmethod
    def of(cls, data: Dataset) -> Subjects:
        tied = {t.from_id: t.to_id for t in reversed(data.ties)}
        networks = {m.person_id: m.network_id for m in data.memberships if m.kind == MembershipKind.MEMBER}
        member = next(
            p.id
            for p in data.people
            if Role.MEMBER in p.roles and p.home is not None and p.id in tied and p.id in networks
        )
        campaign = next(c.id for c in data.campaigns if c.needed_skill_ids)
        neighbourhood = next(p.neighbourhood_id for p in data.people if p.id == member)
        assert neighbourhood is not None
        return cls(
            member=member,
            friend=tied[member],
            network=networks[member],
            neighbourhood=neighbourhood,
            campaign=campaign,
        )


def _health(of: str) -> str:
    """networkHealth of a network or a neighbourhood, asked the same way."""
    return (
        f"query($id: ID!) {{ networkHealth({of}: $id) {{ people {{ isolation person {{ name }} }} "
        "shape { size ties density components bridges { name } } trend { tiesNow tiesThen verdict } } }"
    )


@dataclass(frozen=True)
class BenchQuery:
    name: str
    viewer: str  # "coordinator" (works with every network) or "member"
    graphql: str
    variables: dict[str, Any]
    floor: str | None = None  # one hand-written Cypher query; None: replay what Peermap sends
    floor_parameters: dict[str, Any] = field(default_factory=dict)
    theirs: str | None = None  # the same question to @neo4j/graphql, where it can be asked
    theirs_variables: dict[str, Any] = field(default_factory=dict)
    write: bool = False

    @property
    def floor_kind(self) -> str:
        return "hand-written Cypher" if self.floor else "Peermap's own Cypher, replayed"


_TIES = "ties(first: 10) {{ edges {{ node {{ strength person {{ name {inner} }} }} }} }}"
_THEIR_TIES = (
    "knowsConnection(first: 10, sort: [{{node: {{name: ASC}}}}]) "
    "{{ edges {{ properties {{ strength }} node {{ name {inner} }} }} }}"
)
_SKILLS = "skills { edges { node { level mode skill { name } } } }"
_THEIR_SKILLS = "skillsConnection(sort: [{node: {name: ASC}}]) { edges { properties { level mode } node { name } } }"

_FLOOR_SKILLS = """COLLECT { MATCH (p)-[r:HAS_SKILL]->(s:Skill) WHERE NOT coalesce(p.skillsHidden, false)
                     WITH r, s ORDER BY s.name RETURN {level: r.level, mode: r.mode, name: s.name} }"""


def _nested(template: str, depth: int) -> str:
    inner = ""
    for _ in range(depth):
        inner = template.format(inner=inner)
    return inner


def _floor_ties(person: str, depth: int) -> str:
    if depth == 0:
        return ""
    other = f"t{depth}"
    return (
        f", ties: COLLECT {{ MATCH ({person})-[r{depth}:KNOWS]-({other}:Person) WITH r{depth}, {other} "
        f"ORDER BY {other}.name, {other}.id LIMIT 10 RETURN {{strength: r{depth}.strength, name: {other}.name"
        f"{_floor_ties(other, depth - 1)}}} }}"
    )


def benchmark_queries(subjects: Subjects, today: date) -> list[BenchQuery]:
    member, friend = subjects.member, subjects.friend
    return [
        BenchQuery(
            name="person, skills, ties of ties (3 levels)",
            viewer="coordinator",
            graphql=(
                "query($id: ID!) { node(id: $id) { ... on Person { name " + _SKILLS + " " + _nested(_TIES, 2) + " } } }"
            ),
            variables={"id": global_id("Person", member)},
            floor=(
                "MATCH (p:Person {id: $id}) RETURN {name: p.name, skills: "
                + _FLOOR_SKILLS
                + _floor_ties("p", 2)
                + "} AS person"
            ),
            floor_parameters={"id": member},
            theirs=(
                "query($id: ID!) { people(where: {id: {eq: $id}}) { name "
                + _THEIR_SKILLS
                + " "
                + _nested(_THEIR_TIES, 2)
                + " } }"
            ),
            theirs_variables={"id": member},
        ),
        BenchQuery(
            name="a page of 100 people with skills",
            viewer="coordinator",
            graphql="{ people(first: 100) { edges { node { name " + _SKILLS + " } } } }",
            variables={},
            floor=(
                "MATCH (p:Person) WITH p ORDER BY p.name, p.id LIMIT 100 "
                "RETURN collect({name: p.name, skills: " + _FLOOR_SKILLS + "}) AS people"
            ),
            theirs=(
                "{ peopleConnection(first: 100, sort: [{name: ASC}]) { edges { node { name "
                + _THEIR_SKILLS
                + " } } } }"
            ),
        ),
        BenchQuery(
            name="findPeers (cooking, from home)",
            viewer="member",
            graphql=(
                "query($skill: ID!) { findPeers(skills: [$skill], first: 10) "
                "{ score distanceKm person { name } reasons { kind text } } }"
            ),
            variables={"skill": global_id("Skill", subjects.skill)},
        ),
        BenchQuery(
            name="introductions",
            viewer="coordinator",
            graphql="query($id: ID!) { introductions(person: $id) { score person { name } reasons { text } } }",
            variables={"id": global_id("Person", member)},
        ),
        BenchQuery(
            name="networkHealth of a network",
            viewer="coordinator",
            graphql=_health("network"),
            variables={"id": global_id("Network", subjects.network)},
        ),
        BenchQuery(
            name="networkHealth of a neighbourhood",
            viewer="coordinator",
            graphql=_health("neighbourhood"),
            variables={"id": global_id("Neighbourhood", subjects.neighbourhood)},
        ),
        BenchQuery(
            name="campaignPlan",
            viewer="coordinator",
            graphql=(
                "query($id: ID!) { campaignPlan(campaign: $id) { skills { skill { name } people { score "
                "person { name } } } gaps { name } residents reached coverage } }"
            ),
            variables={"id": global_id("Campaign", subjects.campaign)},
        ),
        BenchQuery(
            name="record a contact (mutation)",
            viewer="member",
            write=True,
            graphql=(
                "mutation($a: ID!, $b: ID!, $day: Date!) { updateTie(input: {person: $a, other: $b, "
                "contactOn: $day}) { tie { strength lastContact } } }"
            ),
            variables={"a": global_id("Person", member), "b": global_id("Person", friend), "day": today.isoformat()},
            floor=(
                "MATCH (:Person {id: $a})-[r:KNOWS]-(:Person {id: $b}) "
                "SET r.lastContact = CASE WHEN r.lastContact IS NULL OR r.lastContact < $day THEN $day "
                "ELSE r.lastContact END RETURN r.strength AS strength, r.lastContact AS last_contact"
            ),
            floor_parameters={"a": member, "b": friend, "day": today},
            theirs=(
                "mutation($a: ID!, $b: ID!, $day: Date!) { updatePeople(where: {id: {eq: $a}}, update: "
                "{knows: [{update: {where: {node: {id: {eq: $b}}}, edge: {lastContact: {set: $day}}}}]}) "
                "{ people { knowsConnection(where: {node: {id: {eq: $b}}}) { edges { properties "
                "{ strength lastContact } } } } } }"
            ),
            theirs_variables={"a": member, "b": friend, "day": today.isoformat()},
        ),
    ]
