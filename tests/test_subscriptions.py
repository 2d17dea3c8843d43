"""Live updates over a WebSocket (graphql-transport-ws), through the app's own event bus.

Each test waits until the server has registered the subscription (the bus counts its
subscribers per topic) before making the change it should hear of, then makes it once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketTestSession

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.schema.subscription import campaign_topic, person_topic
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import sign_in_as

JOIN = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
ASK = "mutation($i: AskToConnectInput!) { askToConnect(input: $i) { request { id } } }"
ANSWER = "mutation($r: ID!) { answerRequest(request: $r, accept: true) { tie { strength } } }"


@pytest.fixture
async def community(graph: Graph) -> None:
    await write_dataset(graph, demo_community(20, seed=1))


@pytest.fixture
def client(community: None, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@contextmanager
def _subscribed(client: TestClient, query: str, variables: dict[str, Any]) -> Iterator[WebSocketTestSession]:
    headers = {"authorization": client.headers["authorization"]}
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=headers) as socket:
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json() == {"type": "connection_ack"}
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
        yield socket


def _registered(client: TestClient, topic: str, seconds: float = 10.0) -> None:
    """Until the server listens on the topic: a change made before then would go unheard."""
    deadline = time.monotonic() + seconds
    while client.app_state["events"].subscriber_count(topic) == 0:
        assert time.monotonic() < deadline, f"nobody subscribed to {topic} within {seconds} s"
        time.sleep(0.01)


def test_a_campaign_change_reaches_its_subscriber(client: TestClient) -> None:
    campaign = global_id("Campaign", "c-00001")
    sign_in_as(client, "p-000005")
    query = (
        "subscription($c: ID!) { campaignChanged(campaign: $c) "
        "{ kind campaign { title participants { nodes { role hours } } } } }"
    )
    with _subscribed(client, query, {"c": campaign}) as socket:
        _registered(client, campaign_topic("c-00001"))
        joining = {"person": global_id("Person", "p-000005"), "campaign": campaign, "role": "co-planner"}
        assert "errors" not in client.post("/graphql", json={"query": JOIN, "variables": {"i": joining}}).json()
        message = socket.receive_json()
        assert message["type"] == "next", message
        change = message["payload"]["data"]["campaignChanged"]
        assert change["kind"] == "joined"
        assert {"role": "co-planner", "hours": 0.0} in change["campaign"]["participants"]["nodes"]


def test_a_new_tie_reaches_the_people_tied(client: TestClient) -> None:
    me, other = global_id("Person", "p-000002"), global_id("Person", "p-000019")
    sign_in_as(client, "p-000002")
    query = "subscription($p: ID!) { tieMade(person: $p) { person { name } other { id } } }"
    with _subscribed(client, query, {"p": me}) as socket:
        _registered(client, person_topic("p-000002"))
        sign_in_as(client, "p-000019")  # asks; p-000002 says yes, and then the tie is made
        asked = client.post("/graphql", json={"query": ASK, "variables": {"i": {"person": other, "other": me}}}).json()
        sign_in_as(client, "p-000002")
        request = asked["data"]["askToConnect"]["request"]["id"]
        tie = client.post("/graphql", json={"query": ANSWER, "variables": {"r": request}})
        assert "errors" not in tie.json(), tie.json()
        message = socket.receive_json()
        assert message["type"] == "next", message
        made = message["payload"]["data"]["tieMade"]
        assert made["other"]["id"] == other and made["person"]["name"]
