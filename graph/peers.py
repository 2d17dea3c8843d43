"""Finding peers with a skill, near a place or in one's network, ranked with their reasons.

Skills match through the taxonomy (asking for cooking finds baking, under it) and through
typed words (the skill names' full-text index, typos forgiven). People who are not open to
contact, or who hide their skills or their home, are never found. Distances are measured to
the position the viewer may see of each person (the cell for most), rounded to 0.1 km.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import queries
from .database import Graph, side_by_side
from .errors import Forbidden, require_signed_in
from .model import PeerSearch, Point, Reason, Suggestion
from .people import may_see_ties
from .search import lucene_query
from .viewer_graph import ViewerGraph

# How the score (0 to 100) is made up: the skill's level and how closely it matches what was
# asked, nearness, shared connections, the same network, and how few ties away.
WEIGHTS = {"skill": 40.0, "distance": 30.0, "shared": 15.0, "network": 10.0, "hops": 5.0}
MATCH_WEIGHT = {"asked": 1.0, "under": 0.8, "words": 0.7}


# Where a search near a point starts, and how it widens: the first ring is a few minutes' walk;
# each next one three times as wide, up to WIDEST_KM, past which everyone left is scored. A
# skill few people offer is simply scored for all of them: rings pay off only for many.
FIRST_RADIUS_KM = 0.5
WIDENING = 3.0
WIDEST_KM = 40.0
RINGS_FROM_HOLDERS = 2_000
# A home lies within this of its cell's centre (half a 400 m cell's diagonal, and the 0.05 km a
# shown distance is rounded by): a ring of cells this much wider holds every home in the ring.
CELL_SLACK_KM = 0.35
# The most a stranger (not within two ties of the viewer, nor in their networks) can score besides
# nearness: their skill alone, for no connections, network or ties can add to it.
STRANGER_BEST = WEIGHTS["skill"]


@dataclass(frozen=True)
class Circle:
    """The viewer's own circle, which every search of theirs measures against: who is how many
    ties away (up to three), the networks they belong to, and everyone close enough to the
    viewer that their score could owe something to it (scored in full, never found by nearness)."""

    hops: dict[str, int]
    networks: list[str]
    close: list[str]


async def circle_of(graph: ViewerGraph) -> Circle:
    hops, rows = await side_by_side(_reach(graph), graph.read(queries.analyses.CIRCLE_OF_VIEWER))
    networks: list[str] = rows[0]["networks"] if rows else []
    close = set(hops)
    for row in rows:
        close.update(row["tied"], row["networked"])
    close.discard(graph.viewer.person_id or "")
    return Circle(hops=hops, networks=networks, close=sorted(close))


async def find_peers(
    graph: ViewerGraph, search: PeerSearch, *, first: int, circle: Circle | None = None
) -> list[Suggestion]:
    """circle: the viewer's, when the caller searches several times.

    From a point, for a skill many offer, and not among given people, the search widens ring by
    ring (the point index) until nobody further out could rank among the first: the answer is the
    same as scoring everyone, which it does for what is left only past WIDEST_KM."""
    require_signed_in(graph.viewer)
    # What is asked, from where and by whom do not depend on each other: read side by side.
    wanted, origin, mine = await side_by_side(
        _skills_wanted(graph, search), search_origin(graph, search), _given_or_read(circle, graph)
    )
    if not wanted:
        return []
    among = set(search.among) if search.among is not None else None
    if search.within_hops is not None:
        close = {person for person, hops in mine.hops.items() if hops <= search.within_hops}
        among = close if among is None else among & close
    asking = _Asking(graph, search, mine, origin, tuple(sorted(wanted)))
    if among is not None:
        return _best(asking.ranked(await asking.rows("among", among=sorted(among)), wanted), search, first)
    if origin is None or sum(skill["holders"] for skill in wanted.values()) < RINGS_FROM_HOLDERS:
        return _best(asking.ranked(await asking.rows("everyone"), wanted), search, first)
    radius, inner = FIRST_RADIUS_KM, None
    circle_rows, first_ring = await side_by_side(
        asking.rows("among", among=mine.close), asking.rows("ring", cell_km=_ring_km(radius, search), inner_km=None)
    )
    found = asking.ranked(circle_rows, wanted)
    while radius < WIDEST_KM:
        last_ring = search.within_km is not None and radius >= search.within_km
        ring = _ring_km(radius, search)
        rows = first_ring if inner is None else await asking.rows("ring", cell_km=ring, inner_km=inner)
        found += asking.ranked(rows, wanted)
        inside = [s for s in found if s.distance_km is not None and s.distance_km <= radius]
        best = _best(inside, search, first)
        if last_ring or _nobody_further_could_rank(best, search, first, radius):
            return best
        radius, inner = _next_radius(_best(found, search, first), search, first, radius), ring
    found += asking.ranked(await asking.rows("beyond", inner_km=inner), wanted)
    return _best(found, search, first)


@dataclass(frozen=True)
class CampaignReach:
    """Whom a campaign's plan draws on: the people of its participants' networks (`networked`), and
    those living within a walk of its area. Cells within `km` of the search's origin are read;
    `walkable` tells which of the cells given are near enough to the area itself."""

    networked: list[str]
    km: float
    walkable: Callable[[list[Point | None]], list[bool]]


async def _given_or_read(circle: Circle | None, graph: ViewerGraph) -> Circle:
    return circle if circle is not None else await circle_of(graph)


async def peers_for_each_skill(
    graph: ViewerGraph, skills: list[str], *, near: Point, reach: CampaignReach, first: int
) -> list[list[Suggestion]]:
    """For each skill, the first people within reach who offer it (or one under it), best first,
    as find_peers would find them one skill at a time, from one reading of the candidates."""
    require_signed_in(graph.viewer)
    circle, rows = await side_by_side(circle_of(graph), graph.read(queries.analyses.SKILLS_UNDER, asked=skills))
    each = [_weighted([row for row in rows if row["asked_id"] == skill], [skill], set()) for skill in skills]
    search = PeerSearch(near=near)
    every = tuple(sorted({skill for wanted in each for skill in wanted}))
    asking = _Asking(graph, search, circle, near, every)
    candidates = await asking.rows("campaign", reach=reach) if every else []
    walkable = reach.walkable([Point(*row["cell"]) if row["cell"][0] is not None else None for row in candidates])
    candidates = [row for row, walk in zip(candidates, walkable, strict=True) if row["in_networks"] or walk]
    return [_best(asking.ranked(candidates, wanted), search, first) if wanted else [] for wanted in each]


def _best(found: list[Suggestion], search: PeerSearch, first: int) -> list[Suggestion]:
    if search.nearest_first:
        found.sort(key=lambda s: (s.distance_km is None, s.distance_km or 0.0, -s.score, s.person_id))
    else:
        found.sort(key=lambda s: (-s.score, s.distance_km is None, s.distance_km or 0.0, s.person_id))
    return found[:first]


def _ring_km(radius: float, search: PeerSearch) -> float:
    """How far from the origin a ring's cells are read: the radius (or the search's limit, if
    nearer) and the slack that holds every home whose cell lies inside."""
    return min(radius, search.within_km or radius) + CELL_SLACK_KM


def _nobody_further_could_rank(best: list[Suggestion], search: PeerSearch, first: int, radius: float) -> bool:
    """Whether a stranger further than `radius` (their shown distance rounds above it) would come
    after all of `best`: nearer ones come first, and one further out scores under STRANGER_BEST plus
    nearness at `radius` (0.1 for the rounding of both scores)."""
    if len(best) < first:
        return False
    last = best[-1]
    if search.nearest_first:
        return last.distance_km is not None and last.distance_km <= radius
    return last.score > STRANGER_BEST + WEIGHTS["distance"] / (1 + radius) + 0.1


def _next_radius(best: list[Suggestion], search: PeerSearch, first: int, radius: float) -> float:
    """How far the next ring reaches: three times as far, or, ranking by score, only as far as a
    stranger could still score above the last of the best found so far (anywhere), if nearer."""
    widest = radius * WIDENING
    if search.nearest_first or len(best) < first:
        return widest
    beaten = best[-1].score - STRANGER_BEST - 0.1  # what nearness must add for a stranger to rank
    if beaten <= 0:
        return widest
    return max(min(widest, WEIGHTS["distance"] / beaten - 1), radius * 1.2)


@dataclass(frozen=True)
class _Asking:
    """One search's candidates (queries.analyses.peer_candidates, of one kind) and their ranking."""

    graph: ViewerGraph
    search: PeerSearch
    circle: Circle
    origin: Point | None
    skills: tuple[str, ...]

    async def rows(
        self,
        kind: str,
        *,
        among: list[str] | None = None,
        cell_km: float | None = None,
        inner_km: float | None = None,
        reach: CampaignReach | None = None,
    ) -> list[dict[str, Any]]:
        rows = await self.graph.read(
            queries.analyses.peer_candidates(kind),
            audience=None,
            skills=list(self.skills),
            among=among or [],
            close=self.circle.close,
            cell_km=cell_km,
            inner_km=inner_km,
            friends=sorted(p for p, hops in self.circle.hops.items() if hops == 1),
            networks=self.circle.networks,
            latitude=self.origin.latitude if self.origin else None,
            longitude=self.origin.longitude if self.origin else None,
            within_km=self.search.within_km,
            networked=reach.networked if reach else [],
            reach_km=reach.km if reach else None,
        )
        found: list[dict[str, Any]] = rows[0]["rows"]
        return found

    def ranked(self, rows: list[dict[str, Any]], wanted: dict[str, dict[str, Any]]) -> list[Suggestion]:
        """Each candidate who offers one of the wanted skills, scored by the best of them: the
        level times how closely it matches, then the skill's name."""
        found = []
        for row in rows:
            offers = [offer for offer in row["offers"] if offer["skill_id"] in wanted]
            if offers:
                best = min(offers, key=lambda o: (-o["level"] * wanted[o["skill_id"]]["weight"], o["skill"]))
                found.append(_ranked(row, {**best, **wanted[best["skill_id"]]}, self.circle.hops.get(row["id"])))
        return found


async def _skills_wanted(graph: Graph, search: PeerSearch) -> dict[str, dict[str, Any]]:
    """Each skill that answers the search, by id: asked for, under one asked for, or found by words."""
    asked = list(search.skill_ids)
    by_words: set[str] = set()
    text = lucene_query(search.text) if search.text else None
    if text:
        by_words = {row["id"] for row in await graph.read(queries.analyses.SKILLS_BY_TEXT, text=text)}
    rows = await graph.read(queries.analyses.SKILLS_UNDER, asked=asked + sorted(by_words - set(asked)))
    return _weighted(rows, asked, by_words)


def _weighted(rows: list[dict[str, Any]], asked: list[str], by_words: set[str]) -> dict[str, dict[str, Any]]:
    """How well each skill under those asked (or found by words) answers: the best way it does,
    and how many people have it (a bound: offering or wanting)."""
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        how = (
            "words"
            if row["asked_id"] in by_words and row["asked_id"] not in asked
            else ("asked" if row["depth"] == 0 else "under")
        )
        weight = MATCH_WEIGHT[how] * (1.0 if how != "words" or row["depth"] == 0 else MATCH_WEIGHT["under"])
        if row["id"] not in best or best[row["id"]]["weight"] < weight:
            best[row["id"]] = {"weight": weight, "asked": row["asked_name"], "how": how, "holders": row["holders"]}
    return best


async def search_origin(graph: ViewerGraph, search: PeerSearch) -> Point | None:
    """Where a search measures from: the point asked, else the neighbourhood's centre, else the viewer's home."""
    if search.near is not None:
        return search.near
    if search.neighbourhood_id is not None:
        rows = await graph.read(queries.analyses.NEIGHBOURHOOD_CENTRE, id=search.neighbourhood_id)
    else:
        rows = await graph.read(queries.analyses.OWN_HOME)
    if rows and rows[0]["latitude"] is not None:
        return Point(rows[0]["latitude"], rows[0]["longitude"])
    return None


async def _reach(graph: ViewerGraph) -> dict[str, int]:
    """Everyone within three ties of the viewer, and how many ties away."""
    rows = await graph.read(queries.analyses.REACH)
    hops: dict[str, int] = {}
    if rows:
        for distance, key in ((3, "three"), (2, "two"), (1, "one")):
            hops.update({person: distance for person in rows[0][key]})
    hops.pop(graph.viewer.person_id or "", None)
    return hops


def _ranked(row: dict[str, Any], best: dict[str, Any], hops: int | None) -> Suggestion:
    km, shared = row["km"], row["shared"]
    km = round(km, 1) if km is not None else None
    how = {"asked": "", "under": f", under {best['asked']}", "words": f', matching "{best["asked"]}"'}
    reasons = [
        Reason(
            kind="skill",
            text=f"offers {best['skill']} at level {best['level']} of 5{how[best['how']]}",
            value=float(best["level"]),
        )
    ]
    score = WEIGHTS["skill"] * best["level"] / 5 * best["weight"]
    if km is not None:
        score += WEIGHTS["distance"] / (1 + km)
        reasons.append(Reason(kind="distance", text=f"about {km:g} km away", value=km))
    if shared:
        score += WEIGHTS["shared"] * min(shared, 3) / 3
        reasons.append(
            Reason(
                kind="shared connections",
                text=f"knows {shared} {'person' if shared == 1 else 'people'} you know",
                value=float(shared),
            )
        )
    if row["same_network"]:
        score += WEIGHTS["network"]
        reasons.append(Reason(kind="same network", text="in your network", value=1.0))
    if hops is not None:
        score += WEIGHTS["hops"] / hops
        reasons.append(
            Reason(kind="hops", text="you know each other" if hops == 1 else f"{hops} ties away", value=float(hops))
        )
    return Suggestion(
        person_id=row["id"], score=round(score, 1), reasons=tuple(reasons), distance_km=km, skill_id=best["skill_id"]
    )


NEAR_KM = 1.0  # "living near": within a walk of about a kilometre, cell to cell


async def introductions(graph: ViewerGraph, person_id: str, *, first: int) -> list[Suggestion]:
    """People this person could meet, best first, each with what they have in common.

    For whoever may see whom the person knows (themselves, their supporters, their networks'
    staff): suggesting people is built on those ties.
    """
    if not await may_see_ties(graph, person_id):
        raise Forbidden("only the person, their supporters and their networks' staff see whom they could meet")
    rows = await graph.read(queries.analyses.INTRODUCTIONS, person=person_id, near_km=NEAR_KM, limit=first * 4)
    found = [_introduction(row) for row in rows]
    found = [s for s in found if s.score > 0]
    found.sort(key=lambda s: (-s.score, s.distance_km is None, s.distance_km or 0.0, s.person_id))
    return found[:first]


def _introduction(row: dict[str, Any]) -> Suggestion:
    reasons, score = [], 0.0
    if row["shared"]:
        score += 3.0 * min(row["shared"], 4)
        reasons.append(
            Reason(
                kind="shared connections",
                text=f"{row['shared']} friend{'s' if row['shared'] > 1 else ''} in common",
                value=float(row["shared"]),
            )
        )
    for key, points, words in (
        ("they_teach", 4.0, "could teach you {}"),
        ("you_teach", 3.0, "wants to learn {}"),
        ("both_offer", 1.0, "also offers {}"),
    ):
        if row[key]:
            score += points * len(row[key])
            reasons.append(Reason(kind="skill", text=words.format(", ".join(row[key])), value=float(len(row[key]))))
    if row["campaigns"]:
        score += 3.0 * len(row["campaigns"])
        reasons.append(
            Reason(kind="campaign", text="also in " + ", ".join(row["campaigns"]), value=float(len(row["campaigns"])))
        )
    km = round(row["km"], 1) if row["km"] is not None else None
    if km is not None:
        score += 3.0 / (1 + km)
        reasons.append(Reason(kind="distance", text=f"lives about {km:g} km away", value=km))
    return Suggestion(person_id=row["id"], score=round(score, 1), reasons=tuple(reasons), distance_km=km)
