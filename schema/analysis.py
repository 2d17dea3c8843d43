"""The types of the graph's answers: findPeers, introductions, networkHealth, campaignPlan
(resolved in query.py). People in them are loaded as the viewer may see them."""

from __future__ import annotations

from enum import Enum

import strawberry

from ..graph.model import GroupHealth, Suggestion
from ..graph.model import GroupShape as GraphGroupShape
from ..graph.model import Reason as GraphReason
from .errors import bad_input
from .types import Info, Person, Skill, load_person

MAX_FIRST = 50


@strawberry.type(description="Why someone is suggested, in words and the figure behind them.")
class Reason:
    kind: str = strawberry.field(
        description="skill, distance, shared connections, same network, hops, campaign, "
        "few ties, weak ties, no recent contact, only paid staff"
    )
    text: str
    value: float | None

    @classmethod
    def from_record(cls, reason: GraphReason) -> Reason:
        return cls(kind=reason.kind, text=reason.text, value=reason.value)


@strawberry.type(description="A person suggested, with a score (0 to 100, higher is better) and the reasons.")
class Match:
    score: float
    distance_km: float | None = strawberry.field(description="Rounded to 0.1 km, to the position you may see.")
    reasons: list[Reason]
    _person_id: strawberry.Private[str]
    _skill_id: strawberry.Private[str | None]

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)

    @strawberry.field(description="The skill they matched with (findPeers, campaignPlan).")
    async def skill(self, info: Info) -> Skill | None:
        skill = await info.context.loaders.skill.load(self._skill_id) if self._skill_id else None
        return Skill.from_record(skill) if skill else None

    @classmethod
    def from_record(cls, found: Suggestion) -> Match:
        return cls(
            score=found.score,
            distance_km=found.distance_km,
            reasons=[Reason.from_record(r) for r in found.reasons],
            _person_id=found.person_id,
            _skill_id=found.skill_id,
        )


@strawberry.enum
class PeerOrder(Enum):
    BEST = "best"
    NEAREST = "nearest"


@strawberry.type
class Isolation:
    isolation: int = strawberry.field(description="0 (well connected) to 100 (cut off).")
    reasons: list[Reason]
    _person_id: strawberry.Private[str]

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self._person_id)


@strawberry.type(description="A tie with no contact for longer than attentionDays (or none recorded).")
class TieNeedingAttention:
    days_since_contact: int | None
    _ids: strawberry.Private[tuple[str, str]]

    @strawberry.field
    async def people(self, info: Info) -> list[Person | None]:
        return [await load_person(info, person_id) for person_id in self._ids]


@strawberry.type
class GroupShape:
    size: int
    ties: int
    density: float
    components: int = strawberry.field(description="Parts not tied to each other (alone counts as one).")
    _shape: strawberry.Private[GraphGroupShape]

    @strawberry.field(description="On average, the share of the others one reaches through at most two ties.")
    def reach_within_two_hops(self) -> float:
        return self._shape.reach_within_two  # measured only when asked for

    @strawberry.field(description="People whose absence would split the group.")
    async def bridges(self, info: Info) -> list[Person | None]:
        return [await load_person(info, person_id) for person_id in self._shape.bridges]

    @strawberry.field(description="Groups within the group that are tied more among themselves (Louvain).")
    async def communities(self, info: Info) -> list[list[Person | None]]:
        return [[await load_person(info, person_id) for person_id in group] for group in self._shape.communities]


@strawberry.type(description="Now against 90 days ago, from the ties' dates.")
class Trend:
    days: int
    ties_now: int
    ties_then: int
    isolated_now: int = strawberry.field(description="People with fewer than three ties.")
    isolated_then: int
    verdict: str = strawberry.field(description="better, worse or the same")


@strawberry.type
class NetworkHealth:
    people: list[Isolation] = strawberry.field(description="Most isolated first.")
    ties_needing_attention: list[TieNeedingAttention]
    shape: GroupShape
    trend: Trend

    @classmethod
    def from_record(cls, found: GroupHealth) -> NetworkHealth:
        shape = found.shape
        return cls(
            people=[
                Isolation(
                    isolation=p.isolation, reasons=[Reason.from_record(r) for r in p.reasons], _person_id=p.person_id
                )
                for p in found.people
            ],
            ties_needing_attention=[
                TieNeedingAttention(days_since_contact=t.days_since_contact, _ids=(t.person_id, t.other_id))
                for t in found.attention
            ],
            shape=GroupShape(
                size=shape.size,
                ties=shape.ties,
                density=shape.density,
                components=shape.components,
                _shape=shape,
            ),
            trend=Trend(
                days=found.trend.days,
                ties_now=found.trend.ties_now,
                ties_then=found.trend.ties_then,
                isolated_now=found.trend.isolated_now,
                isolated_then=found.trend.isolated_then,
                verdict=found.trend.verdict,
            ),
        )


@strawberry.type
class SkillPlan:
    skill: Skill
    people: list[Match] = strawberry.field(description="Within walking distance or in the campaign's networks.")


@strawberry.type
class CampaignPlan:
    skills: list[SkillPlan]
    gaps: list[Skill] = strawberry.field(description="Needed skills nobody nearby or in its networks offers.")
    co_planners: list[Match] = strawberry.field(description="People with needed skills who know participants.")
    residents: int = strawberry.field(description="Members living in the campaign's neighbourhoods.")
    reached: int = strawberry.field(description="Of them, those in a network with a participant or tied to one.")
    coverage: float


def checked_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise bad_input("first", f"from 1 to {MAX_FIRST}")
    return first
