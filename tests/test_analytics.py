"""The answers people come for, on a hand-built neighbourhood whose answers are known.

Hilltown, east of a point ORIGIN: Vi (the viewer) knows Fi, who knows Ba, a baker in Vi's network
half a kilometre away; Co cooks three kilometres away; Bb, Hs and Sk offer cooking skills but
are not open to contact, hide their home or hide their skills; Ga gardens nearby; Lo knows no
one; Pw knows only Sw, a paid support worker; Cat coordinates the network.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable
from starlette.testclient import TestClient

from peermap.graph import peers
from peermap.graph.database import Graph, open_driver, record_queries, side_by_side
from peermap.graph.demo_skills import taxonomy_skills
from peermap.graph.errors import Forbidden
from peermap.graph.locations import approximate, distance_km
from peermap.graph.model import (
    Campaign,
    CampaignStatus,
    Dataset,
    LocationVisibility,
    Membership,
    MembershipKind,
    Neighbourhood,
    Network,
    Participation,
    PeerSearch,
    Person,
    PersonSkill,
    Point,
    Role,
    SkillMode,
    Tie,
    Viewer,
)
from peermap.graph.network_health import neighbourhood_health, network_health
from peermap.graph.peers import WEIGHTS, find_peers, introductions
from peermap.graph.plans import campaign_plan
from peermap.graph.store import write_dataset
from peermap.graph.writes import join_network
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

ORIGIN = Point(56.46, -2.97)
TODAY = date(2026, 11, 26)
KM_EAST = 1 / (111.32 * math.cos(math.radians(ORIGIN.latitude)))  # degrees of longitude per km here


def east(km: float) -> Point:
    return Point(ORIGIN.latitude, ORIGIN.longitude + km * KM_EAST)


def _hilltown() -> Dataset:
    def person(pid: str, km: float, *roles: Role, **more: object) -> Person:
        return Person(
            id=pid,
            name=pid.capitalize(),
            roles=roles or (Role.MEMBER,),
            home=east(km),
            contactable=bool(more.pop("contactable", True)),
            neighbourhood_id="hill",
            **more,
        )  # type: ignore[arg-type]

    def offers(pid: str, skill: str, level: int) -> PersonSkill:
        return PersonSkill(person_id=pid, skill_id=skill, mode=SkillMode.OFFERS, level=level)

    def tie(a: str, b: str, strength: int, contact_days: int, since_days: int = 400) -> Tie:
        return Tie(
            from_id=a,
            to_id=b,
            strength=strength,
            since=TODAY - timedelta(days=since_days),
            last_contact=TODAY - timedelta(days=contact_days),
        )

    square = 0.1 * KM_EAST
    area = {
        "type": "Polygon",
        "coordinates": [
            [
                [ORIGIN.longitude - square, ORIGIN.latitude - 0.0009],
                [ORIGIN.longitude + square, ORIGIN.latitude - 0.0009],
                [ORIGIN.longitude + square, ORIGIN.latitude + 0.0009],
                [ORIGIN.longitude - square, ORIGIN.latitude + 0.0009],
                [ORIGIN.longitude - square, ORIGIN.latitude - 0.0009],
            ]
        ],
    }
    return Dataset(
        skills=taxonomy_skills(),
        neighbourhoods=[
            Neighbourhood(
                id="hill",
                name="Hilltown",
                boundary={
                    "type": "Polygon",
                    "coordinates": [[[-3.1, 56.4], [-2.8, 56.4], [-2.8, 56.5], [-3.1, 56.5], [-3.1, 56.4]]],
                },
            )
        ],
        people=[
            person("vi", 0.0),
            person("fi", 0.2, ties_shared=True),  # Vi may count Fi's ties (friends in common)
            person("ba", 0.5),
            person("co", 3.0),
            person("bb", 1.0, contactable=False),
            person("hs", 0.3, location_visibility=LocationVisibility.HIDDEN),
            person("sk", 0.3, skills_hidden=True),
            person("ga", 0.8),
            person("lo", 0.6),
            person("pw", 0.7),
            person("sw", 0.9, Role.SUPPORT_WORKER),
            person("cat", 5.0, Role.COORDINATOR),
        ],
        person_skills=[
            offers("ba", "sk-baking", 5),
            offers("co", "sk-cooking", 3),
            offers("bb", "sk-batch-cooking", 4),
            offers("hs", "sk-baking", 5),
            offers("sk", "sk-baking", 5),
            offers("ga", "sk-gardening", 5),
            PersonSkill(person_id="vi", skill_id="sk-gardening", mode=SkillMode.WANTS, level=1),
        ],
        ties=[tie("vi", "fi", 4, 10), tie("fi", "ba", 2, 200, since_days=30), tie("pw", "sw", 3, 5)],
        networks=[Network(id="ring", name="The Ring")],
        memberships=[
            Membership(person_id=p, network_id="ring", kind=MembershipKind.MEMBER)
            for p in ("vi", "fi", "ba", "lo", "pw")
        ]
        + [Membership(person_id="cat", network_id="ring", kind=MembershipKind.STAFF)],
        campaigns=[
            Campaign(
                id="kerbs",
                title="Dropped kerbs",
                status=CampaignStatus.PLANNING,
                area=area,
                neighbourhood_ids=("hill",),
                needed_skill_ids=("sk-cooking", "sk-bike-repair"),
                participants=(
                    Participation(person_id="vi", role="organiser"),
                    Participation(person_id="fi", role="participant"),
                ),
            )
        ],
    )


@pytest.fixture
async def hilltown(graph: Graph, settings: Settings) -> Dataset:
    data = _hilltown()
    await write_dataset(graph, data)
    return data


def _km(pid: str, data: Dataset) -> float:
    """What Vi may see: the distance from ORIGIN to the person's cell, rounded as answers are."""
    home = next(p.home for p in data.people if p.id == pid)
    assert home is not None
    return round(distance_km(ORIGIN, approximate(home)), 1)


VI = Viewer("vi")


async def test_peers_match_through_the_taxonomy_and_are_ranked_with_reasons(
    hilltown: Dataset, graph: Graph, settings: Settings
) -> None:
    found = await find_peers(graph.seen_by(VI), PeerSearch(skill_ids=("sk-cooking",), near=ORIGIN), first=10)
    assert [s.person_id for s in found] == ["ba", "co"], "Bb, Hs and Sk are never found; Ga does not cook"
    ba, co = found
    ba_km, co_km = _km("ba", hilltown), _km("co", hilltown)
    assert [r.text for r in ba.reasons] == [
        "offers baking at level 5 of 5, under cooking",
        f"about {ba_km:g} km away",
        "knows 1 person you know",
        "in your network",
        "2 ties away",
    ]
    assert ba.score == round(
        WEIGHTS["skill"] * 0.8
        + WEIGHTS["distance"] / (1 + ba_km)
        + WEIGHTS["shared"] / 3
        + WEIGHTS["network"]
        + WEIGHTS["hops"] / 2,
        1,
    )
    assert [r.text for r in co.reasons] == ["offers cooking at level 3 of 5", f"about {co_km:g} km away"]
    assert co.score == round(WEIGHTS["skill"] * 3 / 5 + WEIGHTS["distance"] / (1 + co_km), 1)
    assert ba.distance_km == ba_km and co.distance_km == co_km


async def test_typed_words_find_skills_despite_typos(hilltown: Dataset, graph: Graph, settings: Settings) -> None:
    async def who(text: str) -> list[str]:
        return [s.person_id for s in await find_peers(graph.seen_by(VI), PeerSearch(text=text, near=ORIGIN), first=10)]

    assert await who("bakng") == ["ba"]
    assert set(await who("cookin")) == {"ba", "co"}
    assert await who("juggling") == []


async def test_distance_and_hop_limits(hilltown: Dataset, graph: Graph, settings: Settings) -> None:
    async def who(**limits: object) -> list[str]:
        search = PeerSearch(skill_ids=("sk-cooking",), near=ORIGIN, **limits)  # type: ignore[arg-type]
        return [s.person_id for s in await find_peers(graph.seen_by(VI), search, first=10)]

    assert await who(within_km=1.0) == ["ba"]
    assert await who(within_hops=1) == [], "Vi's one tie, Fi, offers nothing"
    assert await who(within_hops=2) == ["ba"]
    assert await who(nearest_first=True) == ["ba", "co"]
    # From the viewer's own home when no point is given: the same distances here.
    from_home = await find_peers(graph.seen_by(VI), PeerSearch(skill_ids=("sk-cooking",)), first=10)
    assert [s.distance_km for s in from_home] == [_km("ba", hilltown), _km("co", hilltown)]
    with pytest.raises(Forbidden):
        await find_peers(graph.seen_by(Viewer.anonymous()), PeerSearch(skill_ids=("sk-cooking",)), first=10)


async def test_the_widening_search_finds_what_scoring_everyone_finds(
    demo_city: Dataset, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a point, findPeers looks ring by ring (the point index) and stops when nobody further out
    could rank: for member after member, by score or nearest first, near or within a distance, the
    answer is exactly that of scoring every candidate (asking among everyone), and a search that
    can stop early never scores everyone. (Rings are for skills thousands offer: here, for all.)"""
    monkeypatch.setattr(peers, "RINGS_FROM_HOLDERS", 0)
    everyone = tuple(p.id for p in demo_city.people)
    members = [p.id for p in demo_city.people if Role.MEMBER in p.roles and p.home is not None][:12]
    searches = [
        PeerSearch(skill_ids=("sk-cooking",)),
        PeerSearch(skill_ids=("sk-cooking",), nearest_first=True),
        PeerSearch(skill_ids=("sk-gardening", "sk-music")),
        PeerSearch(skill_ids=("sk-cooking",), within_km=1.5),
        PeerSearch(text="repairs", nearest_first=True, within_km=3.0),
    ]
    stopped_early = 0
    for member in members:
        seen_by = graph.seen_by(Viewer(member))
        for search in searches:
            for first in (3, 10):
                recorded = record_queries()
                widened = await find_peers(seen_by, search, first=first)
                scored_everyone = "UNWIND $skills AS wanted" in " ".join(cypher for cypher, _ in recorded)
                stopped_early += not scored_everyone
                everyone_scored = await find_peers(seen_by, replace(search, among=everyone), first=first)
                assert widened == everyone_scored, (member, search, first)
    assert stopped_early > len(members) * len(searches), "most searches stop before scoring everyone"


async def test_introductions_exclude_ties_and_people_not_open_to_contact(
    hilltown: Dataset, graph: Graph, settings: Settings
) -> None:
    found = await introductions(graph.seen_by(VI), "vi", first=10)
    by_id = {s.person_id: s for s in found}
    assert "fi" not in by_id, "already tied"
    assert "bb" not in by_id, "not open to contact"
    assert [r.text for r in by_id["ga"].reasons] == [
        "could teach you gardening",
        f"lives about {by_id['ga'].distance_km:g} km away",
    ]
    assert [r.kind for r in by_id["ba"].reasons] == ["shared connections", "distance"]
    assert by_id["ba"].reasons[0].text == "1 friend in common"
    assert found[0].person_id == "ga", "a skill to learn counts for more than one friend in common"
    assert all(s.score > 0 for s in found)
    with pytest.raises(Forbidden):
        await introductions(graph.seen_by(Viewer("co")), "vi", first=10)


async def test_network_health_scores_isolation_and_finds_the_shape(
    hilltown: Dataset, graph: Graph, settings: Settings
) -> None:
    health = await network_health(graph.seen_by(Viewer("cat")), "ring", today=TODAY, attention_days=60)
    assert [(p.person_id, p.isolation) for p in health.people] == [
        ("ba", 75),
        ("lo", 60),
        ("pw", 55),
        ("fi", 30),
        ("vi", 30),
    ]
    reasons = {p.person_id: [r.text for r in p.reasons] for p in health.people}
    assert reasons["ba"] == ["only 1 tie", "weak ties (strength 2.0 of 5 on average)", "no contact for 200 days"]
    assert reasons["lo"] == ["no ties at all"]
    assert reasons["pw"] == ["only 1 tie", "ties only to paid support workers"]
    assert [(t.person_id, t.other_id, t.days_since_contact) for t in health.attention] == [("ba", "fi", 200)]
    shape = health.shape
    assert (shape.size, shape.ties, shape.density, shape.components) == (5, 2, 0.2, 3)
    assert shape.bridges == ("fi",), "without Fi, Vi and Ba are cut apart"
    assert shape.reach_within_two == 0.3
    assert all(set(c) <= {"vi", "fi", "ba"} for c in shape.communities)
    trend = health.trend
    assert (trend.ties_now, trend.ties_then, trend.verdict) == (3, 2, "better"), "Fi and Ba met 30 days ago"
    for outsider in ("vi", "sw", None):
        with pytest.raises(Forbidden):
            await network_health(graph.seen_by(Viewer(outsider)), "ring", today=TODAY, attention_days=60)


async def test_a_campaign_plan_has_people_per_skill_gaps_co_planners_and_coverage(
    hilltown: Dataset, graph: Graph, settings: Settings
) -> None:
    plan = await campaign_plan(graph.seen_by(VI), "kerbs", walk_km=1.2)
    people = {p.skill.id: [s.person_id for s in p.people] for p in plan.skills}
    assert people == {"sk-bike-repair": [], "sk-cooking": ["ba"]}, "Co lives 3 km off, outside its networks"
    assert [g.id for g in plan.gaps] == ["sk-bike-repair"]
    assert [c.person_id for c in plan.co_planners] == ["ba"]
    assert [r.text for r in plan.co_planners[0].reasons] == ["knows 1 person taking part", "offers cooking"]
    # Members living in Hilltown: ten; the participants' network and ties reach Vi, Fi, Ba, Lo and Pw.
    assert (plan.residents, plan.reached, plan.coverage) == (10, 5, 0.5)
    wider = await campaign_plan(graph.seen_by(VI), "kerbs", walk_km=5.0)
    assert [s.person_id for s in wider.skills[1].people] == ["ba", "co"]
    # However far they live, the people of a participant's network are within reach.
    await join_network(
        graph.seen_by(Viewer("cat")), Membership(person_id="co", network_id="ring", kind=MembershipKind.MEMBER)
    )
    joined = await campaign_plan(graph.seen_by(VI), "kerbs", walk_km=1.2)
    assert [s.person_id for s in joined.skills[1].people] == ["ba", "co"]


async def test_readings_side_by_side_fail_as_themselves() -> None:
    """The analyses read independent things at once; a failure must keep its own type, so that an
    unavailable Neo4j is still told as SERVICE_UNAVAILABLE, not masked as an internal error."""
    unreachable = open_driver("bolt://127.0.0.1:9", user="neo4j", password="x", retry_seconds=0)
    down = Graph(driver=unreachable, database="neo4j")
    try:
        with pytest.raises(ServiceUnavailable):
            await find_peers(down.seen_by(VI), PeerSearch(skill_ids=("sk-cooking",)), first=5)
    finally:
        await down.driver.close()
    slow_one_cancelled = asyncio.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            slow_one_cancelled.set()
            raise

    async def refused() -> None:
        raise Forbidden("no")

    with pytest.raises(Forbidden):
        await side_by_side(slow(), refused())
    assert slow_one_cancelled.is_set(), "the reading still running is stopped, not left behind"


# --- through GraphQL -------------------------------------------------------------------------


def _ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def client(hilltown: Dataset, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield sign_in_as(client, "vi")


def test_the_answers_through_graphql(client: TestClient, hilltown: Dataset) -> None:
    peers_query = """query($near: PointInput) { findPeers(text: "cookng", near: $near, first: 5) {
      score distanceKm skill { name } person { name } reasons { kind text value } } }"""
    found = _ask(client, peers_query, near={"latitude": ORIGIN.latitude, "longitude": ORIGIN.longitude})["data"][
        "findPeers"
    ]
    assert [(m["person"]["name"], m["skill"]["name"]) for m in found] == [("Ba", "baking"), ("Co", "cooking")]
    assert found[0]["reasons"][0] == {
        "kind": "skill",
        "text": 'offers baking at level 5 of 5, matching "cooking"',
        "value": 5.0,
    }
    assert found[0]["distanceKm"] == _km("ba", hilltown)

    meet = _ask(
        client,
        "query($p: ID!) { introductions(person: $p) { person { name } reasons { text } } }",
        p=global_id("Person", "vi"),
    )["data"]["introductions"]
    assert meet[0]["person"]["name"] == "Ga" and meet[0]["reasons"][0]["text"] == "could teach you gardening"

    plan = _ask(
        client,
        """query($c: ID!) { campaignPlan(campaign: $c) { gaps { name } residents reached coverage
                 skills { skill { name category } people { person { name } } } coPlanners { person { name } } } }""",
        c=global_id("Campaign", "kerbs"),
    )["data"]["campaignPlan"]
    assert plan["gaps"] == [{"name": "bike repair"}] and plan["coverage"] == 0.5
    assert plan["skills"][1] == {
        "skill": {"name": "cooking", "category": "food"},
        "people": [{"person": {"name": "Ba"}}],
    }

    health = """query($n: ID!) { networkHealth(network: $n) { people { isolation person { name } }
      tiesNeedingAttention { daysSinceContact people { name } }
      shape { components bridges { name } reachWithinTwoHops communities { name } } trend { verdict } } }"""
    refused = _ask(client, health, n=global_id("Network", "ring"))
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", "members do not see isolation scores"
    sign_in_as(client, "cat")
    answer = _ask(client, health, n=global_id("Network", "ring"))["data"]["networkHealth"]
    assert answer["people"][0] == {"isolation": 75, "person": {"name": "Ba"}}
    shape = answer.pop("shape")
    communities = shape.pop("communities")
    assert shape == {"components": 3, "bridges": [{"name": "Fi"}], "reachWithinTwoHops": 0.3}
    assert communities and all({p["name"] for p in c} <= {"Vi", "Fi", "Ba"} for c in communities)
    assert answer["tiesNeedingAttention"][0]["people"] == [{"name": "Ba"}, {"name": "Fi"}]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("{ findPeers { score } }", "skills"),
        ('{ findPeers(text: "baking", withinHops: 4) { score } }', "withinHops"),
        ('{ findPeers(text: "baking", withinKm: 0) { score } }', "withinKm"),
        ('{ findPeers(text: "baking", first: 500) { score } }', "first"),
        ("{ networkHealth { trend { verdict } } }", "network"),
        ('{ campaignPlan(campaign: "Q2FtcGFpZ246a2VyYnM=", walkKm: 99) { coverage } }', "walkKm"),
    ],
)
def test_bad_arguments_to_the_answers_are_refused(client: TestClient, query: str, argument: str) -> None:
    [error] = _ask(client, query)["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}


async def test_neighbourhood_health_covers_only_the_askers_own_networks(hilltown: Dataset, graph: Graph) -> None:
    """Cat works with the Ring: of Hilltown's residents, she sees the care figures of its people alone."""
    health = await neighbourhood_health(graph.seen_by(Viewer("cat")), "hill", today=TODAY, attention_days=60)
    assert {p.person_id for p in health.people} == {"vi", "fi", "ba", "lo", "pw"}
    assert all({a.person_id, a.other_id} <= {"vi", "fi", "ba", "lo", "pw"} for a in health.attention)
