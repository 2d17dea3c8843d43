"""Live updates over a real WebSocket (graphql-transport-ws) from a real server process."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2 as httpx
import pytest
import websockets

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id
from peermap.server.settings import Settings

from conftest import api_token, peermap_serving


@pytest.fixture
async def server(graph: Graph, settings: Settings, cli_env: dict[str, str]) -> AsyncIterator[str]:
    await write_dataset(graph, demo_community(20, seed=1))
    with peermap_serving(cli_env) as base:
        yield base


async def _auth(graph: Graph, settings: Settings, person_id: str) -> dict[str, str]:
    return {"authorization": f"Bearer {await api_token(graph, person_id)}"}


async def _subscribe(base: str, query: str, variables: dict[str, Any], auth: dict[str, str]) -> Any:
    socket_ = await websockets.connect(
        f"ws://{base}/graphql", subprotocols=["graphql-transport-ws"], additional_headers=auth
    )
    await socket_.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await asyncio.wait_for(socket_.recv(), 10)) == {"type": "connection_ack"}
    await socket_.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
    )
    return socket_


async def _next_event(
    socket_: Any, base: str, mutations: list[tuple[str, dict[str, Any]]], auth: dict[str, str]
) -> dict[str, Any]:
    """Send mutations one by one until the subscription, which starts listening a moment later, hears one."""
    async with httpx.AsyncClient(headers=auth) as client:
        for mutation, variables in mutations:
            await client.post(f"http://{base}/graphql", json={"query": mutation, "variables": variables})
            try:
                message = json.loads(await asyncio.wait_for(socket_.recv(), 1.0))
            except TimeoutError:
                continue
            assert message["type"] == "next", message
            return message["payload"]
    raise AssertionError("no event arrived")


JOIN = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
CONNECT = "mutation($i: ConnectInput!) { connect(input: $i) { tie { strength } } }"


async def test_a_campaign_change_reaches_its_subscriber(server: str, graph: Graph, settings: Settings) -> None:
    campaign = global_id("Campaign", "c-00001")
    auth = await _auth(graph, settings, "p-000005")
    socket_ = await _subscribe(
        server,
        "subscription($c: ID!) { campaignChanged(campaign: $c) "
        "{ kind campaign { title participants { nodes { role hours } } } } }",
        {"c": campaign},
        auth,
    )
    try:
        joining = {"i": {"person": global_id("Person", "p-000005"), "campaign": campaign, "role": "co-planner"}}
        payload = await _next_event(socket_, server, [(JOIN, joining)] * 20, auth)
        change = payload["data"]["campaignChanged"]
        assert change["kind"] == "joined"
        assert {"role": "co-planner", "hours": 0.0} in change["campaign"]["participants"]["nodes"]
    finally:
        await socket_.close()


async def test_a_new_tie_reaches_the_people_tied(server: str, graph: Graph, settings: Settings) -> None:
    me = global_id("Person", "p-000002")
    auth = await _auth(graph, settings, "p-000002")
    socket_ = await _subscribe(
        server, "subscription($p: ID!) { tieMade(person: $p) { person { name } other { id } } }", {"p": me}, auth
    )
    try:
        candidates = [global_id("Person", f"p-{n:06d}") for n in range(3, 24)]
        payload = await _next_event(
            socket_, server, [(CONNECT, {"i": {"person": other, "other": me}}) for other in candidates], auth
        )
        made = payload["data"]["tieMade"]
        assert made["other"]["id"] in candidates and made["person"]["name"]
    finally:
        await socket_.close()
