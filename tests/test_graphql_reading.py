"""Reading the network through /graphql: connections both ways, filters, nodes, round trips."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from shapely.geometry import shape
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.model import Membership, MembershipKind, Role
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id, parse_global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import TOKEN_CHECK, sign_in_as

MEMBERS = 300


@pytest.fixture
async def community(graph: Graph, settings: Settings):  # type: ignore[no-untyped-def]
    data = demo_community(MEMBERS, seed=4)
    # The viewer of these tests: a coordinator working with every network, who may see everyone's ties.
    data.memberships += [
        Membership(person_id=COORDINATOR, network_id=n.id, kind=MembershipKind.STAFF) for n in data.networks
    ]
    assert Role.COORDINATOR in next(p for p in data.people if p.id == COORDINATOR).roles
    await write_dataset(graph, data)
    return data


COORDINATOR = "p-000344"


def _ask(
    settings: Settings, query: str, variables: dict[str, Any] | None = None, viewer: str | None = COORDINATOR
) -> dict[str, Any]:
    with TestClient(create_app(replace(settings, max_query_cost=100_000))) as client:
        sign_in_as(client, viewer)
        response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  people(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name }
  }
}"""


def test_paging_forwards_and_backwards_covers_everyone_once(settings: Settings, community) -> None:  # type: ignore[no-untyped-def]
    expected = sorted((p.name, p.id) for p in community.people)
    forwards, after = [], None
    while True:
        page = _ask(settings, PAGE, {"first": 100, "after": after})["data"]["people"]
        assert page["totalCount"] == len(expected)
        forwards += [n["name"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert forwards == [name for name, _ in expected]

    backwards, before = [], None
    while True:
        page = _ask(settings, PAGE, {"last": 70, "before": before})["data"]["people"]
        backwards = [n["name"] for n in page["nodes"]] + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backwards == forwards


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"first": 101}, "first"),
        ({"first": 5, "last": 5}, "last"),
        ({"first": 5, "after": "not-a-cursor"}, "after"),
    ],
)
def test_bad_paging_gets_bad_user_input(settings: Settings, community, variables: dict, argument: str) -> None:  # type: ignore[no-untyped-def]
    body = _ask(settings, PAGE, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument


def test_filters_by_role_skill_neighbourhood_and_text(settings: Settings, community) -> None:  # type: ignore[no-untyped-def]
    query = """query($filter: PeopleFilterInput) {
      people(filter: $filter, first: 100) { totalCount nodes { name roles } } }"""
    workers = _ask(settings, query, {"filter": {"role": "SUPPORT_WORKER"}})["data"]["people"]
    assert workers["totalCount"] == sum(Role.SUPPORT_WORKER in p.roles for p in community.people)
    assert all("SUPPORT_WORKER" in n["roles"] for n in workers["nodes"])

    baking = "sk-baking"
    hiding = {p.id for p in community.people if p.skills_hidden}
    offering = {ps.person_id for ps in community.person_skills if ps.skill_id == baking and ps.mode.value == "offers"}
    found = _ask(settings, query, {"filter": {"skill": global_id("Skill", baking)}})["data"]["people"]
    assert offering & hiding, "the demo has people who hide that they bake"
    assert found["totalCount"] == len(offering - hiding) > 0, "whoever hides their skills is not found by them"

    stobswell = "nb-stobswell"
    living = [p for p in community.people if p.neighbourhood_id == stobswell]
    found = _ask(settings, query, {"filter": {"neighbourhood": global_id("Neighbourhood", stobswell)}})["data"][
        "people"
    ]
    assert found["totalCount"] == len(living)

    someone = community.people[17]
    misspelt = someone.name.split()[1][:-1] + "x"  # one letter wrong in the surname
    found = _ask(settings, query, {"filter": {"text": misspelt}})["data"]["people"]
    assert someone.name in [n["name"] for n in found["nodes"]]

    # Lucene's syntax is inert: these characters are searched for, not obeyed.
    assert "errors" not in _ask(settings, query, {"filter": {"text": 'a* OR name:"x" (y'}})


def test_nearest_first_uses_only_what_the_viewer_may_see(settings: Settings, community) -> None:  # type: ignore[no-untyped-def]
    query = (
        """query($near: PointInput) { people(near: $near, first: 5) { nodes { name home { coordinates exact } } } }"""
    )
    target = next(p for p in community.people if p.location_visibility.value == "approximate")
    nodes = _ask(settings, query, {"near": {"latitude": target.home.latitude, "longitude": target.home.longitude}})[
        "data"
    ]["people"]["nodes"]
    assert all(n["home"] and not n["home"]["exact"] for n in nodes)
    assert target.name in [n["name"] for n in nodes]
    bad = _ask(settings, query, {"near": {"latitude": 91, "longitude": 0}})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "near.latitude"}


def test_nodes_come_back_in_order_with_nulls_for_the_unknown(settings: Settings, community) -> None:  # type: ignore[no-untyped-def]
    ids = [
        global_id("Person", "p-000003"),
        global_id("Person", "nobody"),
        global_id("Person", "p-000001"),
        global_id("Skill", "sk-baking"),
        global_id("Network", "net-00001"),
        global_id("Neighbourhood", "nb-lochee"),
        global_id("Campaign", "c-00001"),
    ]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Person { name } ... on Skill { name }
               ... on Network { name } ... on Neighbourhood { name } ... on Campaign { title } } }"""
    body = _ask(settings, query, {"ids": ids})
    names = {p.id: p.name for p in community.people}
    found = body["data"]["nodes"]
    assert [n["id"] if n else None for n in found] == [ids[0], None, *ids[2:]]
    assert (found[0]["name"], found[2]["name"]) == (names["p-000003"], names["p-000001"])
    assert [n["__typename"] for n in found[3:]] == ["Skill", "Network", "Neighbourhood", "Campaign"]
    assert (found[3]["name"], found[4]["name"], found[5]["name"]) == ("baking", community.networks[0].name, "Lochee")
    assert found[6]["title"] == community.campaigns[0].title
    assert body["extensions"]["cypherQueries"] == 5 + TOKEN_CHECK, "one query per kind of node, not per id"


DEEP = """{
  people(first: 100) {
    nodes {
      name
      skills(first: 10) { totalCount nodes { level skill { name } } }
      ties(first: 20) {
        totalCount
        nodes { strength person { name skills { nodes { skill { name } } } ties(first: 3) { totalCount } } }
      }
    }
  }
}"""


def test_a_page_is_counted_only_when_its_length_is_asked_for(settings: Settings, community) -> None:  # type: ignore[no-untyped-def]
    """Counting every match costs more than the page itself in a big graph: only when asked. A
    search (answered by the resolvers) counts in a second query; the plain list (the compiled
    path) counts inside its one query, and only when asked (tests/test_compiled.py)."""
    members = sum(1 for p in community.people if Role.MEMBER in p.roles)
    search = "people(first: 5, filter: {role: MEMBER})"
    plain = _ask(settings, "{ " + search + " { nodes { name } } }")
    counted = _ask(settings, "{ " + search + " { totalCount nodes { name } } }")
    by_fragment = _ask(
        settings,
        "{ " + search + " { ...Length nodes { name } } } "
        "fragment Length on PersonConnection { pageInfo { hasNextPage } }",
    )
    assert plain["data"]["people"]["nodes"] == counted["data"]["people"]["nodes"]
    assert plain["extensions"]["cypherQueries"] == 1 + TOKEN_CHECK
    assert counted["extensions"]["cypherQueries"] == 2 + TOKEN_CHECK
    assert counted["data"]["people"]["totalCount"] == members
    assert by_fragment["extensions"]["cypherQueries"] == 2 + TOKEN_CHECK, "a fragment's pageInfo needs the length too"
    assert by_fragment["data"]["people"]["pageInfo"]["hasNextPage"] is True
    everyone = _ask(settings, "{ people(first: 5) { totalCount nodes { name } } }")
    assert everyone["extensions"]["cypherQueries"] == 1 + TOKEN_CHECK
    assert everyone["data"]["people"]["totalCount"] == len(community.people)
    campaigns = _ask(settings, "{ campaigns(first: 2) { nodes { title } } }")
    assert (
        campaigns["extensions"]["cypherQueries"] == 1 + TOKEN_CHECK
        and len(campaigns["data"]["campaigns"]["nodes"]) == 2
    )


@pytest.mark.parametrize(("reads", "round_trips"), [("compiled", 1), ("resolvers", 6)])
def test_round_trips_are_bounded_by_depth_not_by_items(  # type: ignore[no-untyped-def]
    settings: Settings, community, reads: str, round_trips: int
) -> None:
    body = _ask(replace(settings, reads=reads), DEEP)
    assert "errors" not in body, body["errors"]
    people = body["data"]["people"]["nodes"]
    assert len(people) == 100
    tied = sum(len(p["ties"]["nodes"]) for p in people)
    assert tied > 500, "the query really reaches hundreds of items at depth 3"
    # Compiled: one query for the whole root field. The resolvers: the root page (1; no count:
    # totalCount is not asked), skills and ties of the 100 (2), the tied people (1), their skills
    # and ties (2).
    assert body["extensions"]["cypherQueries"] == round_trips + TOKEN_CHECK, body["extensions"]

    # The answers agree with the graph, as far as the coordinator may see: the ties of people in
    # the networks they work with, not those of other staff.
    ties_of: dict[str, int] = {}
    for tie in community.ties:
        ties_of[tie.from_id] = ties_of.get(tie.from_id, 0) + 1
        ties_of[tie.to_id] = ties_of.get(tie.to_id, 0) + 1
    in_networks = {m.person_id for m in community.memberships if m.kind is not MembershipKind.STAFF}
    by_name = {}
    for person in community.people:
        by_name.setdefault(person.name, []).append(ties_of.get(person.id, 0) if person.id in in_networks else 0)
    for person in people:
        assert person["ties"]["totalCount"] in by_name[person["name"]]


CAMPAIGNS = """query($filter: CampaignFilterInput, $order: CampaignOrder, $first: Int) {
  campaigns(filter: $filter, order: $order, first: $first) { totalCount nodes { id title status startsOn } }
}"""


@pytest.fixture
async def campaigns(graph: Graph, settings: Settings):  # type: ignore[no-untyped-def]
    data = demo_community(1500, seed=6)
    await write_dataset(graph, data)
    return data.campaigns


def _campaign_ids(settings: Settings, **variables: Any) -> list[str]:
    body = _ask(settings, CAMPAIGNS, {"first": 100, **variables})
    assert "errors" not in body, body
    return [parse_global_id(n["id"])[1] for n in body["data"]["campaigns"]["nodes"]]


def test_campaigns_filter_by_status_place_and_date(settings: Settings, campaigns) -> None:  # type: ignore[no-untyped-def]
    assert len(campaigns) == 15
    active = {c.id for c in campaigns if c.status.value in ("active", "planning")}
    assert set(_campaign_ids(settings, filter={"status": ["ACTIVE", "PLANNING"]})) == active
    place = campaigns[0].neighbourhood_ids[0]
    there = {c.id for c in campaigns if place in c.neighbourhood_ids}
    assert set(_campaign_ids(settings, filter={"neighbourhood": global_id("Neighbourhood", place)})) == there
    cut = sorted(c.starts_on for c in campaigns)[7]
    later = [c for c in campaigns if c.starts_on >= cut]
    newest_first = [c.id for c in sorted(later, key=lambda c: (-c.starts_on.toordinal(), c.id))]
    assert _campaign_ids(settings, filter={"startsFrom": cut.isoformat()}) == newest_first
    oldest = _campaign_ids(settings, order="OLDEST")
    assert [next(c.starts_on for c in campaigns if c.id == i) for i in oldest] == sorted(c.starts_on for c in campaigns)
    by_title = _campaign_ids(settings, order="TITLE")
    assert [next(c.title for c in campaigns if c.id == i) for i in by_title] == sorted(c.title for c in campaigns)


def test_campaigns_on_the_map_box_distance_and_nearest(settings: Settings, campaigns) -> None:  # type: ignore[no-untyped-def]
    centres = {c.id: shape(c.area).representative_point() for c in campaigns}
    west, east = -3.0, -2.95
    inside = {i for i, p in centres.items() if west <= p.x <= east}
    got = _campaign_ids(settings, filter={"within": {"west": west, "south": 56.40, "east": east, "north": 56.55}})
    assert set(got) == inside and inside

    target = campaigns[3]
    here = {"latitude": centres[target.id].y, "longitude": centres[target.id].x}
    assert _campaign_ids(settings, filter={"near": here, "withinKm": 0.01}) == [target.id]
    nearest = _campaign_ids(settings, filter={"near": here}, order="NEAREST")
    assert nearest[0] == target.id and len(nearest) == 15

    bad = _ask(settings, CAMPAIGNS, {"order": "NEAREST"})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter.near"}
    bad = _ask(settings, CAMPAIGNS, {"filter": {"within": {"west": 0, "south": 10, "east": 1, "north": 5}}})
    assert bad["errors"][0]["extensions"]["argument"] == "filter.within.north"
