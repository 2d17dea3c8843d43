"""Signing in, sessions and tokens, invitations, and what the API allows a client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from peermap.graph.model import Dataset, Role
from peermap.schema.cost import PRICES
from peermap.schema.ids import global_id
from peermap.server.app import create_app
from peermap.server.settings import Settings, SettingsError, load_settings

from conftest import TEST_PASSWORD, TOKEN_CHECK, account_email, sign_in_as

BASE = "http://testserver"
VIEWER = {"query": "{ viewer { name } }"}


@pytest.fixture
def community(demo_ten: Dataset) -> Dataset:
    return demo_ten


@pytest.fixture
def client(community, settings: Settings) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


def _csrf(client: TestClient, path: str = "/signin") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, email: str, password: str) -> Any:
    return client.post(
        "/signin", data={"email": email, "password": password, "csrf": _csrf(client)}, follow_redirects=False
    )


def _viewer(client: TestClient, **headers: str) -> Any:
    return client.post("/graphql", json=VIEWER, headers={"origin": BASE, **headers})


def _account(client: TestClient, person_id: str) -> str:
    """An account for the person (via a token's set-up); returns its email."""
    sign_in_as(client, person_id)
    client.headers.pop("authorization")
    return account_email(person_id)


def test_sign_in_with_a_cookie_session_and_sign_out(client: TestClient) -> None:
    email = _account(client, "p-000001")
    assert _viewer(client).json()["data"]["viewer"] is None
    signed_in = _sign_in(client, email.upper(), TEST_PASSWORD)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/", "home, when no page asked"
    cookie = signed_in.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert _viewer(client).json()["data"]["viewer"]["name"]
    assert "Download all your data" in client.get("/account").text
    assert client.get("/account/data.json").json()["person"]["id"] == "p-000001"

    signed_out = client.post("/signout", data={"csrf": _csrf(client, "/account")}, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/"
    assert "You are signed out." in client.get("/").text, "sign-out says so"
    assert _viewer(client).json()["data"]["viewer"] is None
    sent_to = client.get("/account", follow_redirects=False).headers["location"]
    assert sent_to.startswith(f"{BASE}/signin?next="), sent_to
    back = client.post(
        sent_to,
        data={"email": email, "password": TEST_PASSWORD, "csrf": _csrf(client, sent_to)},
        follow_redirects=False,
    )
    assert back.headers["location"] == "/account", "signed in, back to the page that asked"
    away = "/signin?next=https://evil.example/"
    elsewhere = client.post(
        away, data={"email": email, "password": TEST_PASSWORD, "csrf": _csrf(client)}, follow_redirects=False
    )
    assert elsewhere.headers["location"] == "/", "never on to another site"


def test_signing_out_ends_the_session_on_the_server(client: TestClient) -> None:
    """A copy of the cookie taken before signing out (a shared computer, a stolen backup) opens nothing after."""
    _sign_in(client, _account(client, "p-000001"), TEST_PASSWORD)
    copied = client.cookies.get("peermap_session")
    assert copied and _viewer(client).json()["data"]["viewer"]
    with TestClient(client.app, base_url=BASE) as other_device:
        _sign_in(other_device, account_email("p-000001"), TEST_PASSWORD)
        client.post("/signout", data={"csrf": _csrf(client, "/account")}, follow_redirects=False)
        with TestClient(client.app, base_url=BASE) as thief:
            thief.cookies.set("peermap_session", copied)
            assert _viewer(thief).json()["data"]["viewer"] is None, "the copied cookie is dead"
        assert _viewer(other_device).json()["data"]["viewer"], "sessions on other devices go on"


def test_secure_cookies_in_production(community, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    production = replace(settings, environment="production", https=True, secret_key="k" * 40)
    with TestClient(create_app(production), base_url="https://testserver") as client:
        email = _account(client, "p-000001")
        cookie = _sign_in(client, email, TEST_PASSWORD).headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie
        assert "max-age=31536000" in client.get("/health").headers["strict-transport-security"]


def test_wrong_email_and_wrong_password_read_the_same(client: TestClient) -> None:
    email = _account(client, "p-000001")
    wrong_password = _sign_in(client, email, "not the password")
    no_such_account = _sign_in(client, "nobody@example.org", "not the password")
    assert wrong_password.status_code == no_such_account.status_code == 401

    def problem(page: str) -> str:
        return re.search(r'role="alert".*?<p>([^<]+)</p>', page, re.DOTALL).group(1)  # type: ignore[union-attr]

    assert problem(wrong_password.text) == problem(no_such_account.text)
    assert _viewer(client).json()["data"]["viewer"] is None


def test_sign_in_attempts_are_limited_per_email(client: TestClient) -> None:
    email = _account(client, "p-000001")
    for _ in range(5):
        assert _sign_in(client, email, "guess").status_code == 401
    locked = _sign_in(client, email, TEST_PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0, "even the right password, for a while"
    assert _viewer(client).json()["data"]["viewer"] is None
    other = _account(client, "p-000002")
    assert _sign_in(client, other, TEST_PASSWORD).status_code == 303, "other people are not locked out"


def test_forms_need_their_csrf_token(client: TestClient) -> None:
    email = _account(client, "p-000001")
    forged = client.post(
        "/signin", data={"email": email, "password": TEST_PASSWORD, "csrf": "forged"}, follow_redirects=False
    )
    assert forged.status_code == 400


def test_cookie_sessions_refuse_requests_from_other_sites(client: TestClient) -> None:
    _sign_in(client, _account(client, "p-000001"), TEST_PASSWORD)
    assert _viewer(client).json()["data"]["viewer"]
    for headers in ({"origin": "https://evil.example"}, {"referer": "https://evil.example/page"}, {}):
        refused = client.post("/graphql", json=VIEWER, headers=headers)
        assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "CSRF", headers
    # A GET with the cookie too: a query writes the audit log of what it showed, and spends the budget.
    for headers in ({}, {"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        refused = client.get("/graphql", params={"query": "{ viewer { name } }"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "CSRF", headers
    # This site's own pages: the browser says so (Sec-Fetch-Site), even where it sends no Origin.
    same_site = client.get(
        "/graphql", params={"query": "{ viewer { name } }"}, headers={"sec-fetch-site": "same-origin"}
    )
    assert same_site.json()["data"]["viewer"]


def test_signed_in_answers_are_never_stored(client: TestClient) -> None:
    public = client.post("/graphql", json={"query": "{ campaigns(first: 1) { totalCount } }"})
    assert "no-store" not in public.headers.get("cache-control", ""), "public answers may be kept"
    sign_in_as(client, "p-000001")
    private = client.post("/graphql", json=VIEWER)
    assert private.json()["data"]["viewer"] and private.headers["cache-control"] == "no-store"


def test_signing_out_everywhere_ends_every_session(client: TestClient, settings: Settings) -> None:
    email = _account(client, "p-000001")
    _sign_in(client, email, TEST_PASSWORD)
    with TestClient(client.app, base_url=BASE) as other_browser:
        _sign_in(other_browser, email, TEST_PASSWORD)
        assert _viewer(other_browser).json()["data"]["viewer"]
        done = client.post("/graphql", json={"query": "mutation { signOutEverywhere }"}, headers={"origin": BASE})
        assert done.json()["data"] == {"signOutEverywhere": True}
        assert _viewer(other_browser).json()["data"]["viewer"] is None
    assert _viewer(client).json()["data"]["viewer"] is None


def test_past_the_most_tokens_a_new_one_is_refused_not_handed_out_dead(client: TestClient) -> None:
    """The 21st token is refused with the reason; before, its secret was given and never worked."""
    from peermap.graph.accounts import MAX_TOKENS

    sign_in_as(client, "p-000001")  # that made one already
    make = 'mutation { createApiToken(name: "one more") { secret token { id } } }'
    made = [client.post("/graphql", json={"query": make}).json() for _ in range(MAX_TOKENS)]
    working, refused = made[: MAX_TOKENS - 1], made[-1]
    assert (
        refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        and "at most 20" in refused["errors"][0]["message"]
    )
    client.headers.pop("authorization")
    for answer in working[-2:]:  # the last ones given work
        bearer = {"authorization": f"Bearer {answer['data']['createApiToken']['secret']}"}
        assert client.post("/graphql", json=VIEWER, headers=bearer).json()["data"]["viewer"]["name"]


def test_api_tokens_are_made_listed_used_and_revoked_by_their_owner(client: TestClient) -> None:
    sign_in_as(client, "p-000001")
    made = client.post(
        "/graphql", json={"query": 'mutation { createApiToken(name: "my dashboard") { secret token { id name } } }'}
    ).json()["data"]["createApiToken"]
    secret, token_id = made["secret"], made["token"]["id"]
    assert secret.startswith("pmt_") and made["token"]["name"] == "my dashboard"
    listed = client.post("/graphql", json={"query": "{ apiTokens { id name lastUsedAt } }"}).json()["data"]["apiTokens"]
    assert token_id in [t["id"] for t in listed] and secret not in str(listed)

    client.headers.pop("authorization")
    bearer = {"authorization": f"Bearer {secret}"}
    assert client.post("/graphql", json=VIEWER, headers=bearer).json()["data"]["viewer"]["name"]

    sign_in_as(client, "p-000002")  # someone else cannot revoke it, and learns nothing of it
    revoke = "mutation($id: ID!) { revokeApiToken(id: $id) { removedId } }"
    others = client.post("/graphql", json={"query": revoke, "variables": {"id": token_id}}).json()
    assert others["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    client.headers.pop("authorization")
    own = client.post("/graphql", json={"query": revoke, "variables": {"id": token_id}}, headers=bearer).json()
    assert own["data"]["revokeApiToken"]["removedId"] == token_id
    revoked = client.post("/graphql", json=VIEWER, headers=bearer)
    assert revoked.status_code == 401 and revoked.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for bad in ("Bearer nonsense", "Bearer pmt_0123456789abcdef_" + "x" * 43, "Basic dXNlcjpwYXNz"):
        assert client.post("/graphql", json=VIEWER, headers={"authorization": bad}).status_code == 401, bad


def test_a_coordinator_invites_a_person_who_makes_their_account(client: TestClient, community) -> None:  # type: ignore[no-untyped-def]
    coordinator = next(p.id for p in community.people if Role.COORDINATOR in p.roles)
    sign_in_as(client, "p-000003")
    invite = "mutation($p: ID!) { invitePerson(person: $p) { code expiresInDays } }"
    refused = client.post("/graphql", json={"query": invite, "variables": {"p": global_id("Person", "p-000004")}})
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN", "members do not invite"
    sign_in_as(client, coordinator)
    invited = client.post("/graphql", json={"query": invite, "variables": {"p": global_id("Person", "p-000004")}})
    code = invited.json()["data"]["invitePerson"]["code"]
    client.headers.pop("authorization")

    form = {"code": code, "email": "dana@example.org", "password": "a long enough password"}
    short = client.post("/invitation", data={**form, "password": "short", "csrf": _csrf(client, "/invitation")})
    assert short.status_code == 400 and "password" in short.text
    accepted = client.post("/invitation", data={**form, "csrf": _csrf(client, "/invitation")}, follow_redirects=False)
    assert accepted.status_code == 303
    assert _viewer(client).json()["data"]["viewer"]["name"] == next(
        p.name for p in community.people if p.id == "p-000004"
    )
    again = client.post("/invitation", data={**form, "email": "else@example.org", "csrf": _csrf(client, "/invitation")})
    assert again.status_code == 400, "a code works once"
    client.cookies.clear()
    assert _sign_in(client, "dana@example.org", "a long enough password").status_code == 303


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/signin", "/health", "/graphql?query={__typename}"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"


def test_cors_lets_only_the_configured_sites_in(community, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(replace(settings, cors_origins=("https://dashboard.example",)))) as client:

        def preflight(origin: str) -> Any:
            return client.options(
                "/graphql",
                headers={
                    "origin": origin,
                    "access-control-request-method": "POST",
                    "access-control-request-headers": "authorization",
                },
            )

        allowed = preflight("https://dashboard.example")
        assert allowed.headers["access-control-allow-origin"] == "https://dashboard.example"
        assert "access-control-allow-credentials" not in allowed.headers, "tokens only: cookies never cross sites"
        assert "access-control-allow-origin" not in preflight("https://evil.example").headers


def test_production_hides_the_schema_and_the_ide(community, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    production = load_settings(
        {
            "NEO4J_URI": settings.neo4j_uri or "",
            "NEO4J_PASSWORD": settings.neo4j_password or "",
            "PEERMAP_ENV": "production",
            "PEERMAP_SECRET_KEY": "s" * 40,
        },
        env_file=None,
    )
    assert (production.introspection, production.ide, production.https) == (False, False, True)
    with TestClient(create_app(production), base_url="https://testserver") as client:
        introspect = client.post("/graphql", json={"query": "{ __schema { types { name } } }"}).json()
        assert introspect["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        assert client.post("/graphql", json={"query": "{ __typename }"}).json()["data"] == {"__typename": "Query"}
        typo = client.post("/graphql", json={"query": "{ campaigns { nodez { id } } }"}).json()
        assert "Cannot query field 'nodez'" in typo["errors"][0]["message"]
        assert "Did you mean" not in typo["errors"][0]["message"], "no field suggestions in production"
        assert "GraphiQL" not in client.get("/graphql", headers={"accept": "text/html"}).text
    with TestClient(create_app(settings)) as client:
        typo = client.post("/graphql", json={"query": "{ campaigns { nodez { id } } }"}).json()
        assert "Did you mean 'nodes'?" in typo["errors"][0]["message"], "development keeps them"


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(SettingsError, match="PEERMAP_SECRET_KEY"):
        load_settings({"PEERMAP_ENV": "production"}, env_file=None)
    with pytest.raises(SettingsError, match="PEERMAP_SECRET_KEY"):
        load_settings({"PEERMAP_ENV": "production", "PEERMAP_SECRET_KEY": "short"}, env_file=None)


def test_batches_are_answered_in_order_and_capped(client: TestClient) -> None:
    batch = [{"query": "{ campaigns { totalCount } }"}, {"query": "{ viewer { name } }"}]
    answers = client.post("/graphql", json=batch).json()
    assert [list(a["data"]) for a in answers] == [["campaigns"], ["viewer"]]
    too_many = client.post("/graphql", json=batch * 6)
    assert too_many.status_code == 400 and "Too many operations" in too_many.text


# --- query cost -------------------------------------------------------------------------------


def test_the_cost_is_known_before_running_and_reported(client: TestClient) -> None:
    sign_in_as(client, "p-000001")
    query = "{ people(first: 10) { nodes { name ties(first: 5) { nodes { strength } } } } }"
    cost = client.post("/graphql", json={"query": query}).json()["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 + 10 + 10 + 50  # people, its nodes, their ties, the ties' nodes
    assert cost["maximumQueryCost"] == 50_000
    assert cost["throttleStatus"]["maximumAvailable"] == 1_000_000
    answer = client.post("/graphql", json={"query": query}).json()
    people = answer["data"]["people"]["nodes"]
    returned = 1 + len(people) + len(people) + sum(len(p["ties"]["nodes"]) for p in people)
    assert answer["extensions"]["cost"]["actualQueryCost"] == returned < 71, "charged for what it returned"
    assert answer["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 1_000_000 - 2 * returned
    fragment = "query($n: Int) { ...P } fragment P on Query { people(first: $n) { nodes { name } } }"
    with_variables = client.post("/graphql", json={"query": fragment, "variables": {"n": 7}})
    assert with_variables.json()["extensions"]["cost"]["requestedQueryCost"] == 1 + 7


def test_the_price_counts_defaults_heavy_fields_and_leaves_and_only_what_ran(client: TestClient) -> None:
    sign_in_as(client, "p-000001")

    def cost(query: str, **variables: Any) -> dict[str, Any]:
        answer = client.post("/graphql", json={"query": query, "variables": variables}).json()
        return dict(answer["extensions"]["cost"], errors=answer.get("errors"))

    # A variable's default, and the schema's own default, are the pages asked for.
    assert cost("query($n: Int = 100) { people(first: $n) { nodes { name } } }")["requestedQueryCost"] == 1 + 100
    ids = json.dumps([global_id("Person", f"p-{i:06d}") for i in range(1, 101)])
    many = (
        "query($ids: [ID!]! = IDS) { nodes(ids: $ids) { ... on Person { ties(first: 100) { nodes { strength } } } } }"
    )
    assert cost(many.replace("IDS", ids))["requestedQueryCost"] == 100 + 100 + 100 * 100
    # The analyses and the data export cost what they do, not what their answer weighs.
    peers = cost('{ findPeers(text: "baking") { person { name } } }')
    assert peers["requestedQueryCost"] == PRICES[("Query", "findPeers")] + 10 + 10, "first: 10 by default"
    aliased = cost("{ " + " ".join(f"a{i}: myData" for i in range(30)) + " }")
    assert aliased["requestedQueryCost"] == aliased["actualQueryCost"] == 30 * PRICES[("Query", "myData")]
    # Refused before it ran: nothing charged.
    before = cost("{ viewer { name } }")["throttleStatus"]["currentlyAvailable"]
    refused = cost("{ findPeers { person { name } } }")
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and refused["actualQueryCost"] == 0
    assert refused["throttleStatus"]["currentlyAvailable"] == before


def test_maps_spend_the_same_budget(community, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(replace(settings, cost_budget=1_000, map_tiles=None))) as client:
        drawn = client.get("/maps/isolation.geojson")  # public: a signed-out visitor's budget, by address
        charged = int(drawn.headers["x-peermap-cost"])
        assert drawn.status_code == 200 and charged == 100 + len(drawn.json()["features"])
        left = client.post("/graphql", json={"query": "{ campaigns(first: 1) { totalCount } }"}).json()
        assert left["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 1_000 - charged - 1
        answers = [client.get("/maps/isolation") for _ in range(12)]
        refused = next(a for a in answers if a.status_code != 200)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "Try again" in refused.text


def test_a_query_over_the_per_request_limit_never_runs(client: TestClient, community) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(client, "p-000001")
    wide = """{ people(first: 100) { nodes { ties(first: 100) { nodes { person {
                 ties(first: 100) { nodes { strength } } } } } } } }"""
    body = client.post("/graphql", json={"query": wide}).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY" and error["extensions"]["cost"] > 50_000
    assert body.get("data") is None and body["extensions"]["cypherQueries"] == TOKEN_CHECK, "nothing ran but sign-in"


def test_each_client_has_a_budget_over_time(community, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(replace(settings, cost_budget=300))) as client:
        query = {"query": "{ people(first: 100) { nodes { name } } }"}  # could cost 1 + 100
        sign_in_as(client, "p-000001")
        answers = [client.post("/graphql", json=query).json() for _ in range(30)]
        ran = [a for a in answers if "errors" not in a]
        returned = 1 + len(ran[0]["data"]["people"]["nodes"])
        left = [a["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] for a in ran]
        assert [a["extensions"]["cost"]["actualQueryCost"] for a in ran] == [returned] * len(ran) and returned < 101
        assert left == [300 - returned * (i + 1) for i in range(len(ran))], "each charged what it returned"
        assert left[-1] < 101 <= left[-2], "it ran while it could cost no more than was left"
        [error] = answers[len(ran)]["errors"]
        assert error["extensions"]["code"] == "BUDGET_EXHAUSTED" and error["extensions"]["retryAfterSeconds"] > 0
        assert answers[len(ran)]["data"] is None
        sign_in_as(client, "p-000002")
        assert "errors" not in client.post("/graphql", json=query).json(), "budgets are per token"
        client.headers.pop("authorization")
        assert "errors" not in client.post("/graphql", json=query).json(), "signed-out visitors: per address"


def test_the_first_coordinators_account_comes_from_the_command_line(
    client: TestClient, community, cli_env: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    coordinator = next(p.id for p in community.people if Role.COORDINATOR in p.roles)
    command = [
        sys.executable,
        "-m",
        "peermap.server.cli",
        "account",
        "add",
        coordinator,
        "Cora@Example.org",
        "--password-stdin",
    ]
    made = subprocess.run(command, input="a long enough password\n", env=cli_env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    again = subprocess.run(command, input="a long enough password\n", env=cli_env, capture_output=True, text=True)
    assert again.returncode == 2 and "already has an account" in again.stderr
    short = subprocess.run(
        [*command[:5], "p-000001", "x@example.org", "--password-stdin"],
        input="short\n",
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert short.returncode == 2 and "password" in short.stderr
    assert _sign_in(client, "cora@example.org", "a long enough password").status_code == 303
