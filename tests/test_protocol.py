"""GraphQL over HTTP: media types, status codes, GET for queries only, and the limits."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.server.app import create_app
from peermap.server.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def client(graph: Graph, settings: Settings):  # type: ignore[no-untyped-def]
    await write_dataset(graph, demo_community(10, seed=1))
    with TestClient(create_app(replace(settings, max_body_bytes=5_000))) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"query": "{ people(first: 1) { totalCount } }"}, 200),
        ({"query": "{ people(first: 1) { totalCount }"}, 400),  # does not parse
        ({"query": "{ nobody }"}, 400),  # does not validate
        ({"query": "query($n: Int) { people(first: $n) { totalCount } }", "variables": {"n": "ten"}}, 400),
        ({"query": "{ people(first: 500) { totalCount } }"}, 200),  # ran: a field error, with data null
    ],
)
def test_request_errors_are_400_for_clients_of_the_graphql_response_type(
    client: TestClient, body: dict, status: int
) -> None:
    response = client.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    plain = client.post("/graphql", json=body, headers={"accept": "application/json"})
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/json")
    if status == 400:  # the request never ran: no data at all, not even null (GraphQL over HTTP)
        assert "data" not in response.json() and response.json()["errors"], response.json()


@pytest.mark.parametrize("number", ["9" * 30, "²", "-1", "1e9"])
def test_a_cursor_that_is_not_one_is_bad_input(client: TestClient, number: str) -> None:
    cursor = base64.b64encode(f"offset:{number}".encode()).decode()
    body = client.post("/graphql", json={"query": f'{{ campaigns(first: 1, after: "{cursor}") {{ totalCount }} }}'})
    assert body.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}, body.json()


def test_get_serves_queries_but_not_mutations(client: TestClient) -> None:
    assert client.get("/graphql", params={"query": "{ people(first: 1) { totalCount } }"}).json()["data"]
    refused = client.get("/graphql", params={"query": 'mutation { createNetwork(name: "x") { network { id } } }'})
    assert refused.status_code == 400 and "mutation" in refused.text.lower(), refused.text


def test_a_get_without_a_query_says_what_is_missing(client: TestClient) -> None:
    """A script's plain GET (no Accept: text/html) finds the endpoint and is told what it lacks."""
    for accept in ("*/*", "application/json", GRAPHQL_RESPONSE):
        answer = client.get("/graphql", headers={"accept": accept})
        assert answer.status_code == 400, accept
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "needs a query" in answer.json()["errors"][0]["message"]
    assert "graphiql" in client.get("/graphql", headers={"accept": "text/html"}).text.lower(), "a browser: the IDE"


@pytest.mark.parametrize(
    ("query", "argument"), [('{ node(id: "nonsense") { id } }', "id"), ('{ nodes(ids: ["x"]) { id } }', "ids")]
)
def test_a_bad_id_error_names_the_argument_given(client: TestClient, query: str, argument: str) -> None:
    error = client.post("/graphql", json={"query": query}).json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}, error


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            "{ people(first: 1) { nodes { " + "ties { nodes { person { " * 5 + "name" + " } } }" * 5 + " } } }",
            "exceeds maximum operation depth",
        ),
        ("{ " + " ".join(f"a{i}: people(first: 1) {{ totalCount }}" for i in range(31)) + " }", "aliases"),
    ],
)
def test_deep_or_wide_queries_are_refused_before_they_run(client: TestClient, query: str, words: str) -> None:
    body = client.post("/graphql", json={"query": query}).json()
    assert words in body["errors"][0]["message"]
    assert body.get("extensions", {}).get("cypherQueries", 0) == 0, "nothing reached Neo4j"


def test_a_query_of_too_many_tokens_is_refused_before_it_runs(settings: Settings) -> None:
    query = "{ people(first: 1) { totalCount " + "pageInfo { hasNextPage } " * 800 + "} }"
    with TestClient(create_app(settings)) as client:
        body = client.post("/graphql", json={"query": query}).json()
    assert "more than 3000 tokens" in body["errors"][0]["message"]
    assert body.get("extensions", {}).get("cypherQueries", 0) == 0


def test_a_body_past_the_limit_is_refused(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ people(first: 1) { totalCount } }", "pad": "x" * 6_000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


def test_a_request_past_the_time_limit_gets_a_timeout_error() -> None:
    """The limit itself, around a small app that takes too long."""
    import asyncio

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from peermap.server.protocol import GraphQLOverHTTP

    async def slow(request: object) -> JSONResponse:
        await asyncio.sleep(5)
        return JSONResponse({"data": {}})

    app = Starlette(
        routes=[
            Route(
                "/graphql",
                GraphQLOverHTTP(
                    Starlette(routes=[Route("/graphql", slow, methods=["POST"])]),
                    max_body_bytes=1_000,
                    timeout_seconds=0.2,
                ),
                methods=["POST"],
            )
        ]
    )
    with TestClient(app) as client:
        response = client.post("/graphql", json={"query": "{ x }"})
    assert response.status_code == 504
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
