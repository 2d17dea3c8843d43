"""Per-request DataLoaders: every field at one depth of a query is fetched in one batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from ..graph import bids, coproduction, lifecycle, meetings, people, places, skills, surveys
from ..graph.model import (
    Bid,
    CampaignDetails,
    CampaignView,
    Contribution,
    CoProductionFigure,
    Decision,
    Meeting,
    MembershipKind,
    NeighbourhoodView,
    Network,
    PersonView,
    SignOff,
    Skill,
    SkillOfPerson,
    SupportView,
    Survey,
    TieView,
)
from ..graph.viewer_graph import ViewerGraph

Value = TypeVar("Value")


def _batched(
    fetch: Callable[[list[str]], Awaitable[Mapping[str, Value]]], missing: Callable[[], Value]
) -> DataLoader[str, Value]:
    async def load(keys: Sequence[str]) -> list[Value]:
        found = await fetch(list(dict.fromkeys(keys)))
        return [found.get(key, missing()) for key in keys]

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    person: DataLoader[str, PersonView | None]
    skills: DataLoader[str, list[SkillOfPerson]]
    ties: DataLoader[str, list[TieView]]
    networks: DataLoader[str, list[tuple[Network, MembershipKind]]]
    supports: DataLoader[str, tuple[list[SupportView], list[SupportView]]]
    campaign: DataLoader[str, CampaignView | None]
    campaign_details: DataLoader[str, CampaignDetails]
    neighbourhood: DataLoader[str, NeighbourhoodView | None]
    skill: DataLoader[str, Skill | None]
    network: DataLoader[str, Network | None]
    contributions: DataLoader[str, list[Contribution]]  # by campaign
    decision: DataLoader[str, Decision | None]
    decisions: DataLoader[str, list[Decision]]  # by campaign
    sign_offs: DataLoader[str, list[SignOff]]  # by campaign
    meetings: DataLoader[str, list[Meeting]]  # by campaign
    surveys: DataLoader[str, list[Survey]]  # by campaign
    bids: DataLoader[str, list[Bid]]  # by campaign
    figure: DataLoader[str, CoProductionFigure | None]  # by campaign


def make_loaders(graph: ViewerGraph) -> Loaders:
    """Fresh loaders for one request: nothing cached outlives it, so no viewer sees another's."""
    return Loaders(
        person=_batched(lambda ids: people.people_by_ids(graph, ids), lambda: None),
        skills=_batched(lambda ids: people.skills_of_people(graph, ids), list),
        ties=_batched(lambda ids: people.ties_of_people(graph, ids), list),
        networks=_batched(lambda ids: people.networks_of_people(graph, ids), list),
        supports=_batched(lambda ids: people.supports_of_people(graph, ids), lambda: ([], [])),
        campaign=_batched(lambda ids: places.campaigns_by_ids(graph, ids), lambda: None),
        campaign_details=_batched(
            lambda ids: places.campaign_details(graph, ids),
            lambda: CampaignDetails(neighbourhoods=(), needed_skills=(), participants=()),
        ),
        neighbourhood=_batched(lambda ids: places.neighbourhoods_by_ids(graph, ids), lambda: None),
        skill=_batched(lambda ids: skills.skills_by_ids(graph, ids), lambda: None),
        network=_batched(lambda ids: places.networks_by_ids(graph, ids), lambda: None),
        contributions=_batched(lambda ids: coproduction.contributions(graph, ids), list),
        decision=_batched(lambda ids: coproduction.decisions_by_id(graph, ids), lambda: None),
        decisions=_batched(lambda ids: coproduction.decisions(graph, ids), list),
        sign_offs=_batched(lambda ids: lifecycle.sign_offs(graph, ids), list),
        meetings=_batched(lambda ids: meetings.meetings(graph, ids), list),
        surveys=_batched(lambda ids: surveys.surveys(graph, ids), list),
        bids=_batched(lambda ids: bids.bids(graph, ids), list),
        figure=_batched(lambda ids: coproduction.figures(graph, ids), lambda: None),
    )


def forget(loader: DataLoader[str, Any], key: str) -> None:
    """Drop what this request cached for key, after a change to it (absent is fine)."""
    with suppress(KeyError):
        loader.clear(key)
