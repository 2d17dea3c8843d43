"""The demo community: deterministic, and shaped as promised (KeyRing networks, local ties)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.locations import distance_km
from peermap.graph.model import MembershipKind, Role
from peermap.graph.store import read_dataset, write_dataset
from peermap.server.settings import Settings


def test_the_same_seed_gives_the_same_community() -> None:
    assert demo_community(300, seed=7) == demo_community(300, seed=7)
    assert demo_community(300, seed=7).people != demo_community(300, seed=8).people


def test_members_live_in_keyring_networks_within_walking_distance() -> None:
    data = demo_community(1000, seed=3)
    people = {p.id: p for p in data.people}
    members_of: dict[str, list[str]] = defaultdict(list)
    volunteers_of: dict[str, list[str]] = defaultdict(list)
    staff_of: dict[str, list[str]] = defaultdict(list)
    kinds = {MembershipKind.MEMBER: members_of, MembershipKind.VOLUNTEER: volunteers_of, MembershipKind.STAFF: staff_of}
    for m in data.memberships:
        kinds[m.kind][m.network_id].append(m.person_id)

    members = [p for p in data.people if Role.MEMBER in p.roles]
    assert len(members) == 1000
    assert Counter(pid for ids in members_of.values() for pid in ids) == Counter({p.id: 1 for p in members})
    for network in data.networks:
        assert 8 <= len(members_of[network.id]) <= 19, network  # about ten; the last may take stragglers
        assert len(volunteers_of[network.id]) == 1
        staff = {Role(r) for pid in staff_of[network.id] for r in people[pid].roles}
        assert Role.COORDINATOR in staff, "every network has a coordinator working with it"
        assert staff <= {Role.COORDINATOR, Role.SUPPORT_WORKER, Role.VOLUNTEER}, staff
        homes = [people[pid].home for pid in members_of[network.id] + volunteers_of[network.id]]
        farthest = max(distance_km(a, b) for a, b in combinations(homes, 2))
        assert farthest <= 1.05, f"{network.id}: {farthest:.2f} km is past walking distance"


def test_ties_are_about_ten_per_member_and_mostly_local() -> None:
    data = demo_community(1000, seed=3)
    degree: Counter[str] = Counter()
    network_of = {m.person_id: m.network_id for m in data.memberships}
    inside = 0
    pairs = set()
    for tie in data.ties:
        degree[tie.from_id] += 1
        degree[tie.to_id] += 1
        pairs.add(frozenset((tie.from_id, tie.to_id)))
        inside += network_of.get(tie.from_id) == network_of.get(tie.to_id) is not None
    assert len(pairs) == len(data.ties), "a pair of people is tied at most once"
    members = [p.id for p in data.people if Role.MEMBER in p.roles]
    average = sum(degree[m] for m in members) / len(members)
    assert 8 <= average <= 12, average
    assert inside / len(data.ties) > 0.6, "most ties are inside a network"
    assert all(degree[m] > 0 for m in members)


def test_support_workers_each_support_a_handful_and_skills_form_a_taxonomy() -> None:
    data = demo_community(1000, seed=3)
    caseloads = Counter(s.supporter_id for s in data.supports)
    workers = {p.id for p in data.people if Role.SUPPORT_WORKER in p.roles}
    assert set(caseloads) == workers
    assert all(3 <= n <= 6 for n in caseloads.values())
    assert 50 <= len(data.skills) <= 100
    ids = {s.id for s in data.skills}
    assert all(s.broader_id in ids for s in data.skills if s.broader_id)
    assert len({s.category for s in data.skills}) >= 8
    assert sum(1 for s in data.skills if s.broader_id) >= 30
    assert len(data.campaigns) >= 10
    assert len({c.neighbourhood_ids for c in data.campaigns}) >= 3, "campaigns run in several neighbourhoods"
    assert all(c.needed_skill_ids and c.participants for c in data.campaigns)


async def test_the_demo_community_lands_in_neo4j_whole(graph: Graph, settings: Settings) -> None:
    data = demo_community(200, seed=1)
    await write_dataset(graph, data)
    stored = await read_dataset(graph, exact_locations=True)
    assert stored.counts() == data.counts()
    assert {p.id: p for p in stored.people} == {p.id: p for p in data.people}
    assert sorted(stored.campaigns, key=lambda c: c.id) == sorted(data.campaigns, key=lambda c: c.id)
    nodes, relationships = await graph.size()
    outcomes = [o for d in data.decisions for o in d["outcomes"]]
    loop = [*data.contributions, *data.decisions, *outcomes, *(u for o in outcomes for u in o["updates"])]
    assert nodes == len(data.people) + len(data.skills) + len(data.networks) + len(data.neighbourhoods) + len(
        data.campaigns
    ) + len(loop) + len(data.meetings)
    # each campaign as far through the loop as its stage: a decision once active, sign-offs at review
    decided = {d["campaign_id"] for d in stored.decisions}
    signed = {s["campaign_id"] for s in stored.sign_offs}
    for campaign in data.campaigns:
        assert (campaign.id in decided) == (campaign.status.value in ("active", "review", "completed")), campaign
        assert (campaign.id in signed) == (campaign.status.value in ("review", "completed")), campaign

    # Seeding again merges on ids: nothing is added.
    await write_dataset(graph, data)
    assert await graph.size() == (nodes, relationships)


async def test_seeding_twice_adds_nothing_and_keeps_the_demo_accounts(
    graph: Graph, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "PEERMAP_DATA_DIR": str(tmp_path)}
    seed = [sys.executable, "-m", "peermap.server.cli", "seed", "--demo", "--members", "10"]
    first = subprocess.run(seed, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    note = (tmp_path / "demo-accounts.txt").read_text()
    size = await graph.size()
    again = subprocess.run(seed, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert await graph.size() == size, "ids merge: nothing added, accounts included"
    assert (tmp_path / "demo-accounts.txt").read_text() == note, "the accounts and their password are kept"
    assert "already" in again.stderr
