"""The map pages: /maps/KIND (HTML) and /maps/KIND.geojson, as the signed-in viewer may see them."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import strawberry
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..graph import aggregates, places, skills
from ..graph.database import Graph
from ..graph.errors import Forbidden
from ..graph.model import BoundingBox, PeerSearch
from ..graph.viewer_graph import ViewerGraph
from ..maps import areas, campaigns, network, peers
from ..maps.assets import ASSETS_PATH, DIRECTORIES, GEOMAN, drawing_dir, npm_dir
from ..schema.ids import global_id, required_id
from ..schema.inputs import BoundingBoxInput
from . import i18n, member_pages
from .auth import visitor
from .rendering import TEMPLATES, layout, page
from .security import content_security_policy

_ = i18n.gettext
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def in_the_site(request: Request, html: str) -> str:
    """A map page as part of the site: the site's header (menu, languages, acting-for banner) above
    the map, and its style. The map speaks the page's language too (create_app lends maps/ the
    site's catalogs)."""
    header = TEMPLATES.get_template("_header.html").render({**layout(request), "skip_to": "text-alternative"})
    html = html.replace("</head>", '<link rel="stylesheet" href="/pages.css">\n</head>', 1)
    return html.replace("<body>", "<body>\n" + header, 1)


def with_script_hashes(request: Request, html: str) -> HTMLResponse:
    """Folium writes its set-up as inline scripts: allow exactly those, by their SHA-256, and no others
    (and the street tiles from their server alone). The page is shown inside the site's layout."""
    html = in_the_site(request, html)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    tiles = request.state.settings.map_tiles
    policy = content_security_policy((tiles.origin,) if tiles else ()).replace(
        "script-src 'self'", f"script-src 'self' {hashes}"
    )
    return HTMLResponse(html, headers={"content-security-policy": policy})


# A map (its page or its GeoJSON) is charged to the same budget as the API's queries: this much
# for drawing it, and a point for each person, tie, area or campaign on it. Refused input is free.
MAP_PRICE = 100
COST_HEADER = "x-peermap-cost"


def _priced(response: Response, items: int) -> Response:
    response.headers[COST_HEADER] = str(MAP_PRICE + items)
    return response


def budgeted(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Refuses a map when the client has too little left this hour (429, and when to come back),
    and charges what the map showed (the endpoint's COST_HEADER) once it is made."""

    @functools.wraps(endpoint)
    async def charged(request: Request) -> Response:
        budget, client = request.state.budget, visitor(request).client
        remaining, reset = await budget.status(client)
        if remaining < MAP_PRICE:
            minutes = max(1, reset // 60)
            message = i18n.ngettext(
                "You asked for a lot in a short time. Try again in %(minutes)s minute.",
                "You asked for a lot in a short time. Try again in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
            headers = {"retry-after": str(reset)}
            if request.url.path.endswith(".geojson"):
                body = {"error": message, "code": "BUDGET_EXHAUSTED", "retryAfterSeconds": reset}
                return JSONResponse(body, status_code=429, headers=headers)
            refused = page(request, "message.html", _("Wait a little"), 429, message=message)
            refused.headers.update(headers)
            return refused
        response = await endpoint(request)
        if response.status_code < 400:
            await budget.spend(client, int(response.headers.get(COST_HEADER, MAP_PRICE)))
        return response

    return charged


def _bad_request(request: Request, error: ValueError) -> HTMLResponse:
    return page(request, "message.html", _("Something is wrong with the address"), 400, message=str(error))


async def _choose_a_skill(request: Request) -> HTMLResponse:
    """The skills map asked for without a skill: each skill, as a link to its map."""
    found = await skills.skills(request.state.graph)
    choices = [(global_id("Skill", s.id), s.name) for s in found]
    return page(request, "choose_skill.html", _("Where people can help, by skill"), skills=choices)


def _focus(request: Request, name: str, kind: str) -> str | None:
    """The graph's id inside a global id given as ?name=, checked as the API checks its arguments."""
    value = request.query_params.get(name)
    return None if value is None else _local_id(value, kind, name)


def _local_id(value: str, kind: str, name: str) -> str:
    try:
        return required_id(strawberry.ID(value), kind, name)
    except GraphQLError as error:
        raise ValueError(error.message) from None


def parse_box(text: str | None) -> BoundingBox | None:
    """A ?bbox= (or --bbox) of west,south,east,north in degrees, checked as the API checks a box."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError("bbox must be four numbers: west,south,east,north (degrees)") from None
    try:
        return BoundingBoxInput(west=west, south=south, east=east, north=north).to_box("bbox")
    except GraphQLError as error:
        raise ValueError(error.message) from None


def _graph(request: Request) -> ViewerGraph:
    graph: Graph = request.state.graph
    return graph.seen_by(visitor(request).viewer)


async def _network_data(request: Request) -> network.NetworkMap:
    return await network.network_map_data(
        _graph(request),
        network_id=_focus(request, "network", "Network"),
        neighbourhood_id=_focus(request, "neighbourhood", "Neighbourhood"),
        within=parse_box(request.query_params.get("bbox")),
    )


async def network_page(request: Request) -> Response:
    try:
        found = await _network_data(request)
    except Forbidden:
        return page(request, "message.html", _("Sign in"), 403, message=_("Sign in to see this map."), sign_in=True)
    except ValueError as error:
        return _bad_request(request, error)
    tiles = request.state.settings.map_tiles
    return _priced(with_script_hashes(request, network.render(found, assets=ASSETS_PATH, tiles=tiles)), _count(found))


async def network_geojson(request: Request) -> Response:
    try:
        found = await _network_data(request)
    except Forbidden as refusal:
        return JSONResponse({"error": refusal.reason, "code": "FORBIDDEN"}, status_code=403)
    except ValueError as error:
        return JSONResponse({"error": str(error), "code": "BAD_USER_INPUT"}, status_code=400)
    return _priced(JSONResponse(network.geojson(found), media_type="application/geo+json"), _count(found))


def _count(found: network.NetworkMap) -> int:
    return len(found.people) + len(found.ties)


async def _area_map(request: Request) -> tuple[list[aggregates.AreaFigure], str, areas.Drawing]:
    """The figures, title and drawing of the skills or isolation map (public: counts only)."""
    graph = request.state.graph
    if request.url.path.startswith("/maps/isolation"):
        return (*await areas.isolation_figures(graph), areas.ISOLATION)
    return (*await areas.skills_figures(graph, _focus(request, "skill", "Skill") or ""), areas.SKILLS)


async def area_page(request: Request) -> Response:
    if request.url.path == "/maps/skills" and "skill" not in request.query_params:
        return await _choose_a_skill(request)
    try:
        figures, title, drawing = await _area_map(request)
    except ValueError as error:
        return _bad_request(request, error)
    return _priced(
        with_script_hashes(
            request,
            areas.render(figures, title=title, assets=ASSETS_PATH, tiles=request.state.settings.map_tiles, **drawing),
        ),
        len(figures),
    )


async def area_geojson(request: Request) -> Response:
    try:
        figures, _, drawing = await _area_map(request)
    except ValueError as error:
        return JSONResponse({"error": str(error), "code": "BAD_USER_INPUT"}, status_code=400)
    return _priced(
        JSONResponse(areas.geojson(figures, drawing["measure"]), media_type="application/geo+json"), len(figures)
    )


async def _campaign_data(request: Request) -> campaigns.CampaignMap:
    return await campaigns.campaign_map_data(
        _graph(request),
        campaign_id=_focus(request, "campaign", "Campaign"),
        within=parse_box(request.query_params.get("bbox")),
    )


async def _drawing_form(request: Request) -> campaigns.DrawingForm | None:
    """The new-campaign form's choices, for the signed-in, once the drawing tool is installed."""
    settings = request.state.settings
    if not request.user.is_authenticated or drawing_dir(settings.cache_dir) is None:
        return None
    graph = request.state.graph
    return campaigns.DrawingForm(
        neighbourhoods=[(global_id("Neighbourhood", n.id), n.name) for n in await places.neighbourhoods(graph)],
        skills=[(global_id("Skill", s.id), s.name) for s in await skills.skills(graph)],
    )


async def campaign_page(request: Request) -> Response:
    try:
        found = await _campaign_data(request)
    except ValueError as error:
        return _bad_request(request, error)
    drawn = campaigns.render(
        found, assets=ASSETS_PATH, tiles=request.state.settings.map_tiles, drawing=await _drawing_form(request)
    )
    return _priced(with_script_hashes(request, drawn), len(campaigns.geojson(found)["features"]))


async def campaign_geojson(request: Request) -> Response:
    try:
        found = await _campaign_data(request)
    except ValueError as error:
        return JSONResponse({"error": str(error), "code": "BAD_USER_INPUT"}, status_code=400)
    collection = campaigns.geojson(found)
    return _priced(JSONResponse(collection, media_type="application/geo+json"), len(collection["features"]))


async def peers_page(request: Request) -> Response:
    """The people /find found, on a map: the same address as the list, under /maps/peers."""
    search = member_pages.Search.asked(request.query_params)
    if not request.user.is_authenticated:
        return page(request, "message.html", _("Sign in"), 403, message=_("Sign in to see this map."), sign_in=True)
    if not search.what:
        return RedirectResponse("/find", status_code=303)
    try:
        asked = PeerSearch(
            text=search.what,
            neighbourhood_id=_local_id(search.neighbourhood, "Neighbourhood", "near") if search.neighbourhood else None,
            within_km=search.within_km,
            within_hops=search.within_hops,
        )
    except ValueError as error:
        return _bad_request(request, error)
    found = await peers.peers_map_data(_graph(request), asked)
    back = f"/find?{request.url.query}"
    drawn = peers.render(found, back=back, assets=ASSETS_PATH, tiles=request.state.settings.map_tiles)
    return _priced(with_script_hashes(request, drawn), len(found.found))


def routes(cache_dir: Path) -> list[Route | Mount]:
    return [
        Route("/maps/network", budgeted(network_page)),
        Route("/maps/network.geojson", budgeted(network_geojson)),
        Route("/maps/campaigns", budgeted(campaign_page)),
        Route("/maps/campaigns.geojson", budgeted(campaign_geojson)),
        Route("/maps/skills", budgeted(area_page)),
        Route("/maps/skills.geojson", budgeted(area_geojson)),
        Route("/maps/isolation", budgeted(area_page)),
        Route("/maps/peers", budgeted(peers_page)),
        Route("/maps/isolation.geojson", budgeted(area_geojson)),
        *(
            Mount(f"{ASSETS_PATH}/{name}", StaticFiles(directory=directory), name=f"map-assets-{name}")
            for name, directory in DIRECTORIES.items()
        ),
        # Installed by `peermap assets fetch` (serve runs it); until then the pages leave the tool out.
        Mount(
            f"{ASSETS_PATH}/geoman",
            StaticFiles(directory=npm_dir(cache_dir) / GEOMAN, check_dir=False),
            name="map-assets-geoman",
        ),
    ]
