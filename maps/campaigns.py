"""The campaign map: campaign areas by status over the neighbourhoods, and for a chosen
campaign, who nearby has the skills it needs and which skills nobody has (its plan).

Campaigns and neighbourhoods are public; the plan's people are drawn only for signed-in
viewers, at the positions they may see. Served to someone signed in, the page also carries the
drawing tool for a new campaign's area (maps/static/draw-campaign.js), which saves through
the API's createCampaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

import folium

from ..graph import people, places, plans
from ..graph.model import (
    BoundingBox,
    CampaignFilter,
    CampaignPlan,
    CampaignStatus,
    CampaignView,
    NeighbourhoodView,
    PersonView,
)
from ..graph.viewer_graph import ViewerGraph
from .assets import ASSETS_PATH, use_drawing_assets
from .page import TILES, base_map, finish, fit_to_box

MAX_CAMPAIGNS = 5000
# Okabe-Ito colours, and a line pattern each, so that status does not rest on colour alone.
STATUS_STYLE = {
    CampaignStatus.PROPOSED: ("#E69F00", "2 6"),
    CampaignStatus.PLANNING: ("#56B4E9", "8 4"),
    CampaignStatus.ACTIVE: ("#009E73", None),
    CampaignStatus.COMPLETED: ("#777777", "1 3"),
}
PATTERN_WORDS = {"2 6": "dotted", "8 4": "dashed", None: "solid", "1 3": "finely dotted"}


@dataclass
class CampaignMap:
    campaigns: list[CampaignView]
    neighbourhoods: list[NeighbourhoodView]
    chosen: CampaignView | None = None
    plan: CampaignPlan | None = None
    people: dict[str, PersonView] | None = None  # the plan's people, as the viewer may see them
    box: BoundingBox | None = None


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
    found: CampaignMap, *, assets: str | None, tiles: str | None = TILES, drawing: DrawingForm | None = None
) -> str:
    """The map as one HTML page (assets None: standalone); with drawing, the new-campaign tool too."""
    layers = geojson(found)

    def layer(name: str) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [f for f in layers["features"] if f["properties"]["layer"] == name],
        }

    centre = _centre(found)
    figure, fmap = base_map("Campaign map", centre, 13 if found.chosen else 12, tiles=tiles, assets=assets)
    folium.GeoJson(
        layer("neighbourhoods"),
        name="Neighbourhoods",
        style_function=lambda _: {"color": "#555555", "weight": 1, "fill": False},
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Neighbourhood"]),
    ).add_to(fmap)

    def campaign_style(feature: dict[str, Any]) -> dict[str, Any]:
        colour, pattern = STATUS_STYLE[CampaignStatus(feature["properties"]["status"])]
        return {"color": colour, "fillColor": colour, "weight": 3, "dashArray": pattern, "fillOpacity": 0.25}

    folium.GeoJson(
        layer("campaigns"),
        name="Campaigns",
        style_function=campaign_style,
        tooltip=folium.GeoJsonTooltip(fields=["title", "status"], aliases=["Campaign", "Status"]),
    ).add_to(fmap)
    people = layer("people with needed skills")
    if people["features"]:
        folium.GeoJson(
            people,
            name="People with needed skills",
            marker=folium.CircleMarker(radius=7, color="#000000", weight=2, fill_color="#F0E442", fill_opacity=0.9),
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "skill", "distance_km"], aliases=["Name", "Skill", "Km away"]
            ),
        ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if found.box is not None:
        fit_to_box(fmap, found.box)
    form = ""
    if drawing is not None and assets == ASSETS_PATH:  # saving needs the server: not in an exported file
        use_drawing_assets(fmap, base=assets)
        form = _drawing_form(drawing, fmap.get_name())
    return finish(figure.render(), _legend() + _text_alternative(found, form))


def _drawing_form(drawing: DrawingForm, map_name: str) -> str:
    def options(pairs: list[tuple[str, str]]) -> str:
        return "".join(f'<option value="{escape(value)}">{escape(name)}</option>' for value, name in pairs)

    return f"""<section aria-labelledby="new-campaign-title">
      <h2 id="new-campaign-title">Propose a new campaign</h2>
      <p>Draw its area on the map with the polygon or rectangle tool (top left). Or, from the keyboard: give
         the map focus, move it with the arrow keys (+ and - zoom) until the cross in its centre is on a
         corner, and choose &ldquo;Add a corner here&rdquo;; three corners or more make an area.</p>
      <form id="new-campaign-form" data-map="{map_name}">
        <p><button type="button" id="add-corner">Add a corner here</button>
           <button type="button" id="undo-corner">Remove the last corner</button>
           <button type="button" id="clear-area">Clear the area</button></p>
        <p id="area-status" aria-live="polite">No area yet.</p>
        <p><label for="campaign-title">Title</label><br>
           <input id="campaign-title" name="title" required maxlength="200" size="40"></p>
        <p><label for="campaign-description">What it is for</label><br>
           <textarea id="campaign-description" name="description" rows="3" cols="40"></textarea></p>
        <p><label for="campaign-starts">Starts on</label><br>
           <input id="campaign-starts" name="startsOn" type="date"></p>
        <p><label for="campaign-neighbourhoods">Neighbourhoods it covers</label><br>
           <select id="campaign-neighbourhoods" name="neighbourhoods" multiple size="6">
             {options(drawing.neighbourhoods)}
           </select></p>
        <p><label for="campaign-skills">Skills it needs</label><br>
           <select id="campaign-skills" name="neededSkills" multiple size="6">{options(drawing.skills)}</select></p>
        <p><button type="submit">Propose the campaign</button></p>
        <p id="save-result" role="status" aria-live="polite"></p>
      </form></section>
      <script src="{ASSETS_PATH}/peermap/draw-campaign.js" defer></script>"""


def _centre(found: CampaignMap) -> tuple[float, float]:
    chosen = found.chosen
    if chosen is not None:
        ring = chosen.area["coordinates"][0]
        return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))
    return (56.475, -2.97)  # Dundee


def _legend() -> str:
    statuses = "".join(
        f'<li><span class="key" style="color:{colour}">&#9632;</span> {status.value}: '
        f"{PATTERN_WORDS[pattern]} edge</li>"
        for status, (colour, pattern) in STATUS_STYLE.items()
    )
    return (
        f'<aside class="peermap-legend" aria-label="Legend"><strong>Legend</strong><ul>{statuses}'
        "<li>Thin grey lines: neighbourhoods</li><li>Yellow dots with a black ring: people with a skill "
        "the chosen campaign needs</li></ul></aside>"
    )


def _text_alternative(found: CampaignMap, form: str = "") -> str:
    rows = "".join(
        f"<tr><td>{escape(c.title)}</td><td>{c.status.value}</td>"
        f"<td>{c.starts_on.isoformat() if c.starts_on else ''}</td></tr>"
        for c in found.campaigns
    )
    plan = ""
    if found.chosen is not None:
        plan = f"<h2>Plan for {escape(found.chosen.title)}</h2>"
        if found.plan is None:
            plan += "<p>Sign in to see who nearby has the skills it needs.</p>"
        else:
            names = {pid: v.name for pid, v in (found.people or {}).items()}
            items = "".join(
                f"<li>{escape(p.skill.name)}: "
                + (
                    ", ".join(
                        f"{escape(names.get(m.person_id, 'someone'))} ({m.distance_km:g} km)"
                        if m.distance_km is not None
                        else escape(names.get(m.person_id, "someone"))
                        for m in p.people
                    )
                    or "nobody nearby"
                )
                + "</li>"
                for p in found.plan.skills
            )
            gaps = ", ".join(escape(g.name) for g in found.plan.gaps) or "none"
            plan += (
                f"<ul>{items}</ul><p>Skills nobody nearby has: {gaps}.</p>"
                f"<p>The participants' networks reach {found.plan.reached} of the {found.plan.residents} "
                f"members living there ({found.plan.coverage:.0%}).</p>"
            )
    return f"""<main class="peermap-text" id="text-alternative"><h1>Campaign map</h1>
      <table><caption>Campaigns</caption><thead><tr><th scope="col">Campaign</th><th scope="col">Status</th>
      <th scope="col">Starts</th></tr></thead><tbody>{rows}</tbody></table>{plan}{form}</main>"""
