"""The app over HTTP: health, readiness, and a first GraphQL slice that respects privacy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.locations import approximate
from peermap.graph.model import Dataset, LocationVisibility, Person, Point, Role, Support
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

HOME = Point(56.462118, -2.970874)

PEOPLE_QUERY = "{ people(first: 10) { totalCount nodes { name roles home { type coordinates exact } } } }"


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.fixture
async def small_community(graph: Graph, settings: Settings) -> None:
    await write_dataset(
        graph,
        Dataset(
            people=[
                Person(id="ann", name="Ann", roles=(Role.MEMBER,), home=HOME),
                Person(
                    id="bo",
                    name="Bo",
                    roles=(Role.MEMBER,),
                    home=Point(56.47, -2.95),
                    location_visibility=LocationVisibility.HIDDEN,
                ),
                Person(id="sam", name="Sam", roles=(Role.SUPPORT_WORKER,), home=Point(56.48, -2.99)),
                Person(id="cat", name="Cat", roles=(Role.COORDINATOR, Role.VOLUNTEER), home=Point(56.49, -2.98)),
            ],
            supports=[Support(supporter_id="sam", person_id="ann", since=date(2025, 1, 1))],
        ),
    )


def _homes(client: TestClient) -> dict[str, dict | None]:
    response = client.post("/graphql", json={"query": PEOPLE_QUERY})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return {p["name"].lower(): p["home"] for p in body["data"]["people"]["nodes"]}


def test_health_says_the_process_is_up(settings: Settings) -> None:
    with _client(settings) as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/ready").json() == {"status": "ready", "neo4j": "up"}


@pytest.mark.usefixtures("small_community")
def test_an_exact_home_reaches_only_the_person_and_their_supporters(settings: Settings) -> None:
    exact = {"type": "Point", "coordinates": [HOME.longitude, HOME.latitude], "exact": True}
    cell = approximate(HOME)
    coarse = {"type": "Point", "coordinates": [cell.longitude, cell.latitude], "exact": False}
    assert cell != HOME

    for viewer, expected in (("ann", exact), ("sam", exact), ("bo", coarse), ("cat", coarse)):
        with _client(settings) as client:
            homes = _homes(sign_in_as(client, viewer))
        assert homes["ann"] == expected, viewer
        # Bo hides his home: nobody else sees even the cell.
        assert (homes["bo"] is None) is (viewer != "bo"), viewer
    with _client(settings) as client:
        assert _homes(client) == {}, "signed-out visitors see nobody"


@pytest.mark.usefixtures("small_community")
def test_the_first_graphql_slice_answers(settings: Settings) -> None:
    with _client(settings) as client:
        sign_in_as(client, "ann")
        cat = global_id("Person", "cat")
        response = client.post(
            "/graphql",
            json={
                "query": f'{{ node(id: "{cat}") {{ __typename ... on Person {{ name roles }} }} '
                "viewer { name } neighbourhoods { totalCount } }"
            },
        )
        assert response.json()["data"] == {
            "node": {"__typename": "Volunteer", "name": "Cat", "roles": ["COORDINATOR", "VOLUNTEER"]},
            "viewer": {"name": "Ann"},
            "neighbourhoods": {"totalCount": 0},
        }
        too_many = client.post("/graphql", json={"query": "{ people(first: 1000) { totalCount } }"}).json()
        assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_with_neo4j_down_graphql_fails_fast_and_says_so_without_internals(settings: Settings) -> None:
    # A real driver; nothing listens there. Without retries, each request says so at once.
    down = replace(settings, neo4j_uri="bolt://127.0.0.1:9", neo4j_retry_seconds=0)
    with TestClient(create_app(down)) as client:
        body = client.post("/graphql", json={"query": "{ campaigns { totalCount } }"}).json()
        assert client.get("/ready").status_code == 503
        with_token = client.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"authorization": "Bearer pmt_0123456789abcdef_secret"},
        )
        assert with_token.status_code == 503, "signing in needs Neo4j too, and says so"
        assert with_token.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert len(error["extensions"]["requestId"]) == 16
    assert "9" not in error["message"] and "Traceback" not in str(body) and "MATCH" not in str(body)


def test_the_app_factory_reads_the_environment(
    settings: Settings, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """create_app() with no arguments is what `uvicorn --factory peermap.server.app:create_app` serves."""
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_DATABASE"):
        monkeypatch.setenv(name, cli_env[name])
    monkeypatch.setenv("PEERMAP_MAX_QUERY_COST", "1234")
    with TestClient(create_app()) as client:
        assert client.get("/ready").json() == {"status": "ready", "neo4j": "up"}
        wide = "{ people(first: 100) { nodes { ties(first: 20) { nodes { strength } } } } }"  # about 2,100
        costly = client.post("/graphql", json={"query": wide}).json()
        assert costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY", "the environment's cap, not the default"
