"""Live updates over a WebSocket (graphql-transport-ws), through the app's own event bus.

Each test waits until the server has registered the subscription (the bus counts its
subscribers per topic) before making the change it should hear of, then makes it once."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient, WebSocketTestSession

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.schema.subscription import campaign_topic, person_topic
from peermap.server.app import create_app
from peermap.server.settings import Settings

from conftest import TEST_PASSWORD, account_email, api_token, peermap_serving, sign_in_as

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


# --- who may go on listening: asked again for every event, and while nothing happens ------------


def _read(client: TestClient, cypher: str, **parameters: Any) -> list[dict[str, Any]]:
    graph = client.app_state["graph"]
    return client.portal.call(partial(graph.read, cypher, **parameters))  # type: ignore[arg-type]


def _write(client: TestClient, cypher: str, **parameters: Any) -> None:
    graph = client.app_state["graph"]
    client.portal.call(partial(graph.write, cypher, **parameters))  # type: ignore[arg-type]


def _in_time(socket: WebSocketTestSession, seconds: float = 10.0) -> dict[str, Any]:
    """The next message from the server (a closing: as it came), or a failure, not a hang, if none
    comes in time."""
    got: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: got.append(socket.receive()), daemon=True)
    reader.start()
    reader.join(seconds)
    assert got, f"nothing from the server within {seconds} s"
    return json.loads(got[0]["text"]) if got[0]["type"] == "websocket.send" else got[0]


def test_a_subscriber_who_may_no_longer_see_the_ties_hears_no_more(client: TestClient) -> None:
    """Staff of p-000002's network follow the person's new ties; once they no longer work with any
    network of theirs, the next tie is not sent: the subscription ends with FORBIDDEN."""
    [row] = _read(
        client,
        "MATCH (:Person {id: 'p-000002'})-[:MEMBER_OF|VOLUNTEERS_FOR]->(:Network)<-[:WORKS_WITH]-(s:Person) "
        "WHERE (s:Coordinator OR s:SupportWorker) AND NOT (s)-[:SUPPORTS]->(:Person {id: 'p-000002'}) "
        "RETURN DISTINCT s.id AS staff ORDER BY staff LIMIT 1",  # staff only, not also a supporter
    )
    me, other = global_id("Person", "p-000002"), global_id("Person", "p-000019")
    sign_in_as(client, row["staff"])
    query = "subscription($p: ID!) { tieMade(person: $p) { other { id } } }"
    with _subscribed(client, query, {"p": me}) as socket:
        _registered(client, person_topic("p-000002"))
        _write(  # the staff member stops working with the person's networks
            client,
            "MATCH (:Person {id: 'p-000002'})-[:MEMBER_OF|VOLUNTEERS_FOR]->(n:Network)<-[w:WORKS_WITH]-"
            "(:Person {id: $staff}) DELETE w",
            staff=row["staff"],
        )
        sign_in_as(client, "p-000019")
        asked = client.post("/graphql", json={"query": ASK, "variables": {"i": {"person": other, "other": me}}})
        sign_in_as(client, "p-000002")
        request = asked.json()["data"]["askToConnect"]["request"]["id"]
        assert "errors" not in client.post("/graphql", json={"query": ANSWER, "variables": {"r": request}}).json()
        message = _in_time(socket)
        assert message["type"] == "next" and message["payload"]["data"] is None, message
        assert message["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert _in_time(socket)["type"] == "complete"


def test_signing_out_closes_the_sessions_websocket(community: None, settings: Settings) -> None:
    with TestClient(create_app(replace(settings, ws_recheck_seconds=0.2)), base_url="http://testserver") as client:
        sign_in_as(client, "p-000003")  # an account with TEST_PASSWORD; then a browser session instead
        client.headers.pop("authorization")
        form = client.get("/signin").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        signed_in = client.post(
            "/signin",
            data={"email": account_email("p-000003"), "password": TEST_PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
        origin = {"origin": "http://testserver"}
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"], headers=origin) as socket:
            socket.send_json({"type": "connection_init"})
            assert socket.receive_json() == {"type": "connection_ack"}
            account = re.search(r'name="csrf" value="([^"]+)"', client.get("/account").text).group(1)  # type: ignore[union-attr]
            client.post("/signout", data={"csrf": account}, follow_redirects=False)
            closed = _in_time(socket)
        assert closed == {"type": "websocket.close", "code": 4401, "reason": "Signed out"}


# --- the reference client: graphql-ws on Node, the token in connection_init ---------------------

WS_CLIENT = Path(__file__).resolve().parent / "ws_client"


@pytest.fixture(scope="module")
def graphql_ws_client() -> Path:
    """The graphql-ws client installed from its lock (npm ci, once)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm run the reference graphql-ws client (.ci/run installs them)")
    if not (WS_CLIENT / "node_modules" / "graphql-ws").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=WS_CLIENT, check=True, timeout=300)
    return WS_CLIENT / "subscribe.mjs"


@contextmanager
def _listening(script: Path, base: str, authorization: str, query: str, variables: dict[str, Any]) -> Iterator[Any]:
    process = subprocess.Popen(
        ["node", str(script), f"ws://{base}/graphql", authorization, query, json.dumps(variables)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def _said(process: Any, seconds: float = 10.0) -> dict[str, Any]:
    """The client's next line, or a failure if it says nothing in time."""
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    assert got and got[0], f"the graphql-ws client said nothing within {seconds} s"
    return json.loads(got[0])


async def test_the_graphql_ws_client_signs_in_with_its_token_and_is_closed_when_it_is_revoked(
    community: None, graph: Graph, cli_env: dict[str, str], graphql_ws_client: Path
) -> None:
    [boss] = await graph.read("MATCH (c:Coordinator) RETURN c.id AS id ORDER BY c.id LIMIT 1")
    member, coordinator = await api_token(graph, "p-000005"), await api_token(graph, boss["id"])
    [row] = await graph.read(
        "MATCH (n:Network), (p:Member) WHERE NOT (p)-[:MEMBER_OF]->(n) "
        "RETURN n.id AS network, p.id AS person ORDER BY n.id, p.id LIMIT 1"
    )
    network, person = global_id("Network", row["network"]), global_id("Person", row["person"])
    query = "subscription($n: ID!) { networkMembershipChanged(network: $n) { kind person { id } } }"
    with peermap_serving({**cli_env, "PEERMAP_WS_RECHECK_SECONDS": "0.3"}) as base:
        with _listening(graphql_ws_client, base, "Bearer not-a-token", query, {"n": network}) as refused:
            assert _said(refused) == {"closed": 4403, "reason": "Forbidden"}, "a bad token is refused at once"

        with _listening(graphql_ws_client, base, f"Bearer {member}", query, {"n": network}) as listening:
            assert _said(listening) == {"connected": True}
            staff = {"authorization": f"Bearer {coordinator}"}
            membership = {"person": person, "network": network, "role": "MEMBER"}
            change = "mutation($i: MembershipInput!) { joinNetwork(input: $i) { person { id } } }"
            undo = "mutation($p: ID!, $n: ID!) { leaveNetwork(person: $p, network: $n) { person { id } } }"
            # The subscription is registered a moment after the connection: change until it is heard.
            for attempt in range(20):
                if attempt % 2 == 0:
                    sent = httpx.post(
                        f"http://{base}/graphql", json={"query": change, "variables": {"i": membership}}, headers=staff
                    )
                else:
                    sent = httpx.post(
                        f"http://{base}/graphql",
                        json={"query": undo, "variables": {"p": person, "n": network}},
                        headers=staff,
                    )
                assert "errors" not in sent.json(), sent.json()
                heard = _said(listening, 1.0) if attempt < 19 else _said(listening)
                if "next" in heard:
                    break
            assert heard["next"]["data"]["networkMembershipChanged"]["person"] == {"id": person}, heard

            mine = {"authorization": f"Bearer {member}"}
            tokens = httpx.post(f"http://{base}/graphql", json={"query": "{ apiTokens { id } }"}, headers=mine).json()
            revoke = "mutation($t: ID!) { revokeApiToken(id: $t) { removedId } }"
            for token in tokens["data"]["apiTokens"]:
                httpx.post(
                    f"http://{base}/graphql", json={"query": revoke, "variables": {"t": token["id"]}}, headers=mine
                )
            assert _said(listening) == {"closed": 4401, "reason": "Signed out"}
