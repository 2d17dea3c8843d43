"""The `peermap` command: run the local Neo4j, load and save data, serve the app."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
from tqdm import tqdm

from ..graph import accounts
from ..graph.database import Graph
from ..graph.demo import demo_community
from ..graph.errors import Forbidden, ImportRejected, Invalid
from ..graph.exporting import export_files
from ..graph.importing import import_files
from ..graph.model import Dataset, Role, Viewer
from ..graph.runtime import RuntimeProblem
from ..graph.store import write_dataset
from ..maps.assets import AssetsProblem, fetch_npm_assets
from ..schema.ids import global_id
from .bootstrap import local_neo4j, open_graph
from .map_pages import parse_box
from .settings import Settings, SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return args.command(settings, args) or 0
    except SettingsError as error:
        return _fail(f"Setting problem: {error}")
    except RuntimeProblem as error:
        return _fail(str(error))
    except ImportRejected as error:
        return _fail(str(error))
    except (FileNotFoundError, NotADirectoryError) as error:
        return _fail(str(error))
    except AuthError as error:
        return _fail(f"Neo4j refused the credentials (NEO4J_USER / NEO4J_PASSWORD): {error.message}")
    except ServiceUnavailable as error:
        return _fail(f"Neo4j did not answer: {error}. Is it running? Try `peermap db status`.")
    except Neo4jError as error:
        return _fail(f"Neo4j said: {error.message}")
    except Invalid as error:
        return _fail(f"{error.field}: {error.reason}")
    except Forbidden as refusal:
        return _fail(refusal.reason)
    except ValueError as error:  # a focus that names nothing
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peermap", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="run Peermap's own Neo4j (when NEO4J_URI is not set)")
    db.add_argument("action", choices=("start", "stop", "status", "fetch"))
    db.set_defaults(command=_db)

    seed = commands.add_parser("seed", help="load the synthetic Dundee demo community")
    seed.add_argument("--demo", action="store_true", required=True, help="the demo community (the only kind so far)")
    seed.add_argument("--members", type=int, default=None, help="how many members (default PEERMAP_DEMO_MEMBERS, 200)")
    seed.add_argument("--seed", type=int, default=1, help="the random seed: the same seed gives the same community")
    seed.add_argument("--replace", action="store_true", help="delete everything in the graph first")
    seed.set_defaults(command=_seed)

    load = commands.add_parser("import", help="import CSV, JSON and GeoJSON files (a file or a folder)")
    load.add_argument("path", type=Path)
    load.set_defaults(command=_import)

    save = commands.add_parser("export", help="export the graph to a folder (CSV + GeoJSON) or a .json file")
    save.add_argument("path", type=Path)
    save.add_argument(
        "--exact-locations",
        action="store_true",
        help="include exact home locations (a full backup: keep it as safe as the database)",
    )
    save.set_defaults(command=_export)

    sdl = commands.add_parser("schema", help="write the GraphQL schema's SDL (default: schema/schema.graphql)")
    sdl.add_argument("-o", "--output", type=Path, default=None, help="where to write it; - for standard output")
    sdl.set_defaults(command=_schema)

    account = commands.add_parser(
        "account", help="make an account for a person in the graph (the first coordinator; everyone else is invited)"
    )
    account.add_argument("action", choices=("add",))
    account.add_argument("person_id", help="the person's id in the graph, e.g. p-000001")
    account.add_argument("email")
    account.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    account.set_defaults(command=_account)

    draw = commands.add_parser(
        "map", help="export a map as one standalone HTML file (or its layers as GeoJSON), as one person may see it"
    )
    draw.add_argument("kind", choices=("network", "campaigns", "skills", "isolation"))
    draw.add_argument(
        "--as",
        dest="viewer",
        default=None,
        metavar="PERSON_ID",
        help="network map: whose view (it holds only what this person may see)",
    )
    draw.add_argument("--skill", default=None, help="skills map: the skill's id, e.g. sk-baking")
    draw.add_argument("--campaign", default=None, help="campaign map: the campaign whose plan to draw")
    draw.add_argument("--network", default=None, help="focus on one network (its id in the graph)")
    draw.add_argument("--neighbourhood", default=None, help="focus on one neighbourhood (its id in the graph)")
    draw.add_argument(
        "--bbox",
        default=None,
        metavar="W,S,E,N",
        help="network and campaign maps: only what lies in this box (degrees west,south,east,north)",
    )
    draw.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    draw.add_argument("--geojson", action="store_true", help="write the layers as GeoJSON instead of HTML")
    draw.set_defaults(command=_map)

    assets = commands.add_parser(
        "assets",
        help="install the maps' drawing tool from the npm registry (once, "
        "into the cache; serve does it when npm is there)",
    )
    assets.add_argument("action", choices=("fetch",))
    assets.set_defaults(command=_assets)

    serve = commands.add_parser("serve", help="run Peermap (starting its own Neo4j and demo data if needed)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--no-demo", action="store_true", help="do not seed the demo community into an empty graph")
    serve.set_defaults(command=_serve)
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _db(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.uses_local_neo4j:
        print(f"NEO4J_URI is set ({settings.neo4j_uri}): Peermap uses that Neo4j and runs none of its own.")
        return 0 if args.action == "status" else 2
    runtime = local_neo4j(settings)
    if args.action == "start":
        runtime.start(password=settings.neo4j_password, say=_say)
    elif args.action == "stop":
        runtime.stop(say=_say)
    elif args.action == "fetch":
        runtime.fetch(say=_say)
        print(f"Neo4j {runtime.version} is in {runtime.lib_dir}")
    else:
        print(runtime.status())
        return 0 if runtime.is_running() else 3
    return 0


def _with_graph(settings: Settings, work: Callable[[Graph], Awaitable[int]]) -> int:
    async def run() -> int:
        async with open_graph(settings, say=_say) as graph:
            return await work(graph)

    return asyncio.run(run())


class _ProgressBar:
    """A progress bar over the rows written, shown only on a terminal."""

    def __init__(self, dataset: Dataset) -> None:
        total = sum(dataset.counts().values()) + len(dataset.skills)  # skills are written twice
        self.bar = tqdm(total=total, unit=" rows", file=sys.stderr, disable=None, mininterval=0.5)

    def __call__(self, section: str, rows: int) -> None:
        self.bar.set_description(section)
        self.bar.update(rows)

    def close(self) -> None:
        self.bar.close()


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    members = args.members if args.members is not None else settings.demo_members
    if members < 10:
        return _fail("--members must be at least 10")

    async def work(graph: Graph) -> int:
        if args.replace:
            _say("Deleting everything in the graph...")
            await graph.delete_all()
        await _load_demo(graph, settings, members=members, seed=args.seed)
        return 0

    return _with_graph(settings, work)


async def _load_demo(graph: Graph, settings: Settings, *, members: int, seed: int) -> None:
    started = time.perf_counter()
    _say(f"Making the demo community: {members} members, seed {seed}...")
    dataset = demo_community(members, seed)
    made = time.perf_counter()
    bar = _ProgressBar(dataset)
    try:
        await write_dataset(graph, dataset, progress=bar)
    finally:
        bar.close()
    done = time.perf_counter()
    counts = dataset.counts()
    _say(
        f"Seeded {counts['people']} people, {counts['ties']} ties, {counts['networks']} networks, "
        f"{counts['campaigns']} campaigns: generated in {made - started:.1f} s, written in {done - made:.1f} s."
    )
    if not settings.production:
        await _demo_accounts(graph, settings, dataset)


async def _demo_accounts(graph: Graph, settings: Settings, dataset: Dataset) -> None:
    """Accounts to try the demo with, one per kind of viewer, sharing one new random password
    (written to the data folder, readable by its owner only)."""
    supported = dataset.supports[0]
    member = next(p for p in dataset.people if p.id == supported.person_id)
    coordinator = next(p for p in dataset.people if Role.COORDINATOR in p.roles)
    volunteer = next(p for p in dataset.people if Role.VOLUNTEER in p.roles and p.id != member.id)
    people = (
        ("member", member.id),
        ("support-worker", supported.supporter_id),
        ("volunteer", volunteer.id),
        ("coordinator", coordinator.id),
    )
    note = settings.data_dir / "demo-accounts.txt"
    if any([await accounts.has_account(graph, person_id) for _, person_id in people]):
        _say(f"The demo accounts are there already (their password is in {note}, where they were made).")
        return
    password = secrets.token_urlsafe(12)
    lines = []
    for label, person_id in people:
        email = f"{label}@demo.peermap.invalid"
        await accounts.create_account(graph, person_id, email, password)
        name = next(p.name for p in dataset.people if p.id == person_id)
        # The id the API takes (node(id:), the act-for header), not the graph's own.
        lines.append(f"  {email:40} {name}, id {global_id('Person', person_id)}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    note.touch(mode=0o600)
    note.write_text("Demo accounts (sign in at /signin):\n" + "\n".join(lines) + f"\npassword: {password}\n")
    _say(f"Demo accounts, password {password} (also in {note}):\n" + "\n".join(lines))


def _map(settings: Settings, args: argparse.Namespace) -> int:
    from ..maps import areas, campaigns, network

    if args.kind == "network" and args.viewer is None:
        return _fail("the network map is drawn as one person may see it: give --as PERSON_ID")
    if args.kind == "skills" and args.skill is None:
        return _fail("the skills map is of one skill: give --skill SKILL_ID")
    try:
        box = parse_box(args.bbox)
    except ValueError as error:
        return _fail(str(error))

    async def work(graph: Graph) -> int:
        if args.kind == "network":
            found = await network.network_map_data(
                graph.seen_by(Viewer(args.viewer)),
                network_id=args.network,
                neighbourhood_id=args.neighbourhood,
                within=box,
            )
            text = (
                json.dumps(network.geojson(found))
                if args.geojson
                else network.render(found, assets=None, tiles=settings.map_tiles)
            )
            what = f"{len(found.people)} people and {len(found.ties)} ties, as {args.viewer} may see them"
        elif args.kind == "campaigns":
            drawn = await campaigns.campaign_map_data(
                graph.seen_by(Viewer(args.viewer)), campaign_id=args.campaign, within=box
            )
            text = (
                json.dumps(campaigns.geojson(drawn))
                if args.geojson
                else campaigns.render(drawn, assets=None, tiles=settings.map_tiles)
            )
            what = f"{len(drawn.campaigns)} campaigns"
        else:
            drawing: areas.Drawing
            if args.kind == "skills":
                figures, title = await areas.skills_figures(graph, args.skill)
                drawing = areas.SKILLS
            else:
                figures, title = await areas.isolation_figures(graph)
                drawing = areas.ISOLATION
            text = (
                json.dumps(areas.geojson(figures, drawing["measure"]))
                if args.geojson
                else areas.render(figures, title=title, assets=None, tiles=settings.map_tiles, **drawing)
            )
            what = f"{len(figures)} neighbourhoods"
        args.output.write_text(text, encoding="utf-8")
        _say(f"Wrote {args.output}: {what}.")
        return 0

    return _with_graph(settings, work)


def _account(settings: Settings, args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")

    async def work(graph: Graph) -> int:
        await accounts.create_account(graph, args.person_id, args.email, password)
        _say(f"Made an account for {args.person_id}: they sign in at /signin as {args.email.strip().lower()}.")
        return 0

    return _with_graph(settings, work)


def _import(settings: Settings, args: argparse.Namespace) -> int:
    async def work(graph: Graph) -> int:
        started = time.perf_counter()
        dataset = await import_files(graph, args.path)
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in dataset.counts().items() if n)
        _say(f"Imported {counts or 'nothing'} from {args.path} in {time.perf_counter() - started:.1f} s.")
        return 0

    return _with_graph(settings, work)


def _export(settings: Settings, args: argparse.Namespace) -> int:
    async def work(graph: Graph) -> int:
        dataset = await export_files(graph, args.path, exact_locations=args.exact_locations)
        what = "exact home locations" if args.exact_locations else "coarse positions only"
        _say(f"Exported {dataset.counts()['people']} people ({what}) to {args.path}.")
        return 0

    return _with_graph(settings, work)


def _schema(settings: Settings, args: argparse.Namespace) -> int:
    from ..schema import SDL_FILE, schema

    text = schema.as_str() + "\n"
    if args.output is not None and str(args.output) == "-":
        sys.stdout.write(text)
        return 0
    target = args.output or SDL_FILE
    target.write_text(text, encoding="utf-8")
    _say(f"Wrote {target}.")
    return 0


def _assets(settings: Settings, args: argparse.Namespace) -> int:
    try:
        where = fetch_npm_assets(settings.cache_dir, say=_say)
    except AssetsProblem as problem:
        return _fail(str(problem))
    print(f"The map drawing tool is in {where}")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    try:
        fetch_npm_assets(settings.cache_dir, say=_say)
    except AssetsProblem as problem:  # the maps work without it; only drawing a new campaign's area waits
        _say(f"The campaign map's drawing tool is not installed: {problem}")

    host = args.host or settings.host
    port = args.port or settings.port

    async def prepare(graph: Graph) -> None:
        """Seeds the demo into an empty local graph, inside the app's own start, on its own graph."""
        if settings.uses_local_neo4j and not args.no_demo and await graph.is_empty():
            await _load_demo(graph, settings, members=settings.demo_members, seed=1)
        _say(
            f"\nPeermap is running:\n  sign in  http://{host}:{port}/signin\n"
            f"  GraphQL  http://{host}:{port}/graphql\n"
            f"  health   http://{host}:{port}/health\n  ready    http://{host}:{port}/ready\n"
        )

    # A client's address decides its budget and its sign-in limit: X-Forwarded-For is believed only
    # from the proxies named (uvicorn would believe any local client by default).
    uvicorn.run(
        create_app(settings, prepare=prepare),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
