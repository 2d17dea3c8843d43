"""The campaign map: campaign areas by status over the neighbourhoods, and for a chosen
campaign, who nearby has the skills it needs and which skills nobody has (its plan).

Campaigns and neighbourhoods are public; the plan's people are drawn only for signed-in
viewers, at the positions they may see. Served to someone signed in, the page also carries the
drawing tool for a new campaign's area (maps/static/draw-campaign.js), which saves through
the API's createCampaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import folium
from babel.numbers import format_decimal

from ..graph import coproduction, meetings, people, places, plans
from ..graph.model import (
    BoundingBox,
    CampaignFilter,
    CampaignPlan,
    CampaignStatus,
    CampaignView,
    Contribution,
    ContributionKind,
    Meeting,
    NeighbourhoodView,
    PersonView,
    Stance,
)
from ..graph.viewer_graph import ViewerGraph
from .assets import ASSETS_PATH
from .page import TILES, Section, TextTooltip, Tiles, base_map, fit_to_box
from .words import N_, language
from .words import gettext as _

MAX_CAMPAIGNS = 5000
# Okabe-Ito colours, and a line pattern each, so that status does not rest on colour alone.
STATUS_STYLE = {
    CampaignStatus.PROPOSED: ("#E69F00", "2 6"),
    CampaignStatus.PLANNING: ("#56B4E9", "8 4"),
    CampaignStatus.ACTIVE: ("#009E73", None),
    CampaignStatus.REVIEW: ("#0072B2", "10 3 2 3"),
    CampaignStatus.COMPLETED: ("#777777", "1 3"),
    CampaignStatus.STOPPED: ("#D55E00", "1 8"),
}
PATTERN_WORDS = {
    "2 6": N_("dotted"),
    "8 4": N_("dashed"),
    None: N_("solid"),
    "10 3 2 3": N_("dash and dot"),
    "1 3": N_("finely dotted"),
    "1 8": N_("sparsely dotted"),
}
# What each stage is called on the pages (the same words as the campaign pages').
STATUS_WORDS = {
    CampaignStatus.PROPOSED: N_("An idea"),
    CampaignStatus.PLANNING: N_("Being planned together"),
    CampaignStatus.ACTIVE: N_("Happening now"),
    CampaignStatus.REVIEW: N_("Looking back: did it work?"),
    CampaignStatus.COMPLETED: N_("Finished"),
    CampaignStatus.STOPPED: N_("Stopped"),
}


@dataclass
class CampaignMap:
    campaigns: list[CampaignView]
    neighbourhoods: list[NeighbourhoodView]
    chosen: CampaignView | None = None
    plan: CampaignPlan | None = None
    people: dict[str, PersonView] | None = None  # the plan's people, as the viewer may see them
    box: BoundingBox | None = None
    meetings: list[Meeting] = field(default_factory=list)  # the chosen campaign's, with a place
    next_areas: list[Contribution] = field(default_factory=list)  # proposed, for those taking part


@dataclass
class DrawingForm:
    """What the new-campaign form offers, as the API names them: (global id, name) pairs."""

    neighbourhoods: list[tuple[str, str]] = field(default_factory=list)
    skills: list[tuple[str, str]] = field(default_factory=list)


async def campaign_map_data(
    graph: ViewerGraph, *, campaign_id: str | None = None, within: BoundingBox | None = None
) -> CampaignMap:
    page = await places.campaigns_page(graph, first=MAX_CAMPAIGNS, offset=0, where=CampaignFilter(within=within))
    found = CampaignMap(campaigns=page.items, neighbourhoods=await places.neighbourhoods(graph), box=within)
    if campaign_id is not None:
        found.chosen = next((c for c in found.campaigns if c.id == campaign_id), None)
        if found.chosen is None:
            found.chosen = (await places.campaigns_by_ids(graph, [campaign_id])).get(campaign_id)
        if found.chosen is None:
            raise ValueError("campaign must be the id of a campaign")
        found.meetings = [m for m in (await meetings.meetings(graph, [campaign_id])).get(campaign_id, []) if m.place]
        found.next_areas = [
            x
            for x in (await coproduction.contributions(graph, [campaign_id])).get(campaign_id, [])
            if x.kind is ContributionKind.NEXT_AREA and not x.withdrawn and x.area
        ]
        if graph.viewer.signed_in:
            found.plan = await plans.campaign_plan(graph, campaign_id)
            ids = sorted({s.person_id for p in found.plan.skills for s in p.people})
            found.people = await people.people_by_ids(graph, ids)
    return found


def geojson(found: CampaignMap) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": n.boundary,
            "properties": {"layer": "neighbourhoods", "id": n.id, "name": n.name},
        }
        for n in found.neighbourhoods
    ]
    features += [
        {
            "type": "Feature",
            "geometry": c.area,
            "properties": {
                "layer": "campaigns",
                "id": c.id,
                "title": c.title,
                "status": c.status.value,
                "starts_on": c.starts_on.isoformat() if c.starts_on else None,
            },
        }
        for c in found.campaigns
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [m.place.longitude, m.place.latitude]},
            "properties": {
                "layer": "meetings",
                "title": m.title,
                "starts_at": m.starts_at.isoformat(),
                "place_name": m.place_name,
                "accessibility": m.accessibility,
            },
        }
        for m in found.meetings
        if m.place
    ]
    features += [
        {
            "type": "Feature",
            "geometry": x.area or {},
            "properties": {
                "layer": "next areas",
                "text": x.text,
                "support": sum(1 for p in x.positions if p.stance is Stance.SUPPORT),
            },
        }
        for x in found.next_areas
    ]
    for skill_plan in found.plan.skills if found.plan else ():
        for match in skill_plan.people:
            view = (found.people or {}).get(match.person_id)
            if view is None or view.position is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [view.position.longitude, view.position.latitude]},
                    "properties": {
                        "layer": "people with needed skills",
                        "name": view.name,
                        "skill": skill_plan.skill.name,
                        "distance_km": match.distance_km,
                        "position": "exact home" if view.position_is_exact else "approximate (about 400 m)",
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def render(
    found: CampaignMap, *, assets: str | None, tiles: Tiles | None = TILES, drawing: DrawingForm | None = None
) -> str:
    """The map as one HTML page (assets None: standalone); with drawing, the new-campaign tool too."""
    layers = geojson(found)

    def layer(name: str) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [f for f in layers["features"] if f["properties"]["layer"] == name],
        }

    for feature in layer("campaigns")["features"]:  # the tooltip's stage, in the page's language
        feature["properties"]["stage"] = _(STATUS_WORDS[CampaignStatus(feature["properties"]["status"])])

    centre = _centre(found)
    drawn = drawing if assets == ASSETS_PATH else None  # saving needs the server: not in an exported file
    page, fmap = base_map(
        _("Campaign map"), centre, 13 if found.chosen else 12, tiles=tiles, assets=assets, drawing=drawn is not None
    )
    folium.GeoJson(
        layer("neighbourhoods"),
        name=_("Neighbourhoods"),
        style_function=lambda _: {"color": "#555555", "weight": 1, "fill": False},
        tooltip=TextTooltip(fields=["name"], aliases=[_("Neighbourhood")]),
    ).add_to(fmap)

    def campaign_style(feature: dict[str, Any]) -> dict[str, Any]:
        colour, pattern = STATUS_STYLE[CampaignStatus(feature["properties"]["status"])]
        return {"color": colour, "fillColor": colour, "weight": 3, "dashArray": pattern, "fillOpacity": 0.25}

    folium.GeoJson(
        layer("campaigns"),
        name=_("Campaigns"),
        style_function=campaign_style,
        tooltip=TextTooltip(fields=["title", "stage"], aliases=[_("Campaign"), _("Status")]),
    ).add_to(fmap)
    if found.next_areas:
        folium.GeoJson(
            layer("next areas"),
            name=_("Proposed next areas"),
            style_function=lambda _: {"color": "#CC79A7", "weight": 3, "dashArray": "12 6", "fillOpacity": 0.1},
            tooltip=TextTooltip(fields=["text", "support"], aliases=[_("Next area"), _("Support")]),
        ).add_to(fmap)
    if found.meetings:
        folium.GeoJson(
            layer("meetings"),
            name=_("Meetings"),
            marker=folium.CircleMarker(radius=11, color="#FFFFFF", weight=4, fill_color="#0072B2", fill_opacity=1),
            tooltip=TextTooltip(fields=["title", "place_name"], aliases=[_("Meeting"), _("Where")]),
        ).add_to(fmap)
    people = layer("people with needed skills")
    if people["features"]:
        folium.GeoJson(
            people,
            name=_("People with needed skills"),
            marker=folium.CircleMarker(radius=7, color="#000000", weight=2, fill_color="#F0E442", fill_opacity=0.9),
            tooltip=TextTooltip(fields=["name", "skill", "distance_km"], aliases=[_("Name"), _("Skill"), _("Km away")]),
        ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if found.box is not None:
        fit_to_box(fmap, found.box)
    statuses = [
        (_(STATUS_WORDS[status]), colour, _(PATTERN_WORDS[pattern]))
        for status, (colour, pattern) in STATUS_STYLE.items()
    ]
    Section("campaigns_legend.html", statuses=statuses).add_to(page)
    Section(
        "campaigns_text.html",
        found=found,
        plan_people=_plan_people(found),
        status_words={status: _(words) for status, words in STATUS_WORDS.items()},
        drawing=drawn,
        map=fmap.get_name(),
    ).add_to(page)
    return str(page.render())


def _centre(found: CampaignMap) -> tuple[float, float]:
    chosen = found.chosen
    if chosen is not None:
        ring = chosen.area["coordinates"][0]
        return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))
    return (56.475, -2.97)  # Dundee


def _plan_people(found: CampaignMap) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """For each needed skill, who nearby has it, in words: (name, km away as the viewer may see it)."""
    if found.plan is None:
        return []
    names = {pid: v.name for pid, v in (found.people or {}).items()}
    return [
        (
            p.skill.name,
            [
                (
                    names.get(m.person_id, _("someone")),
                    format_decimal(m.distance_km, locale=language()) if m.distance_km is not None else None,
                )
                for m in p.people
            ],
        )
        for p in found.plan.skills
    ]
