"""Settings from environment variables and an optional .env file, checked before anything starts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.config import Config, Environ, environ

from ..maps.page import TILES, Tiles

_URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_MEMORY = re.compile(r"^\d+[kmgKMG]$")

# Every variable Peermap reads, for the README and the docker-compose check.
VARIABLES = (
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "PEERMAP_HOST",
    "PEERMAP_PORT",
    "PEERMAP_DATA_DIR",
    "PEERMAP_CACHE_DIR",
    "PEERMAP_NEO4J_BOLT_PORT",
    "PEERMAP_NEO4J_HEAP",
    "PEERMAP_NEO4J_PAGE_CACHE",
    "PEERMAP_NEO4J_RETRY_SECONDS",
    "PEERMAP_WS_RECHECK_SECONDS",
    "PEERMAP_DEMO_MEMBERS",
    "PEERMAP_MAX_BODY_BYTES",
    "PEERMAP_REQUEST_TIMEOUT",
    "PEERMAP_ENV",
    "PEERMAP_SECRET_KEY",
    "PEERMAP_HTTPS",
    "PEERMAP_CORS_ORIGINS",
    "PEERMAP_TRUSTED_PROXIES",
    "PEERMAP_INTROSPECTION",
    "PEERMAP_IDE",
    "PEERMAP_MAX_QUERY_COST",
    "PEERMAP_COST_BUDGET",
    "PEERMAP_MAP_TILES",
    "PEERMAP_SMTP_HOST",
    "PEERMAP_SMTP_PORT",
    "PEERMAP_SMTP_USER",
    "PEERMAP_SMTP_PASSWORD",
    "PEERMAP_SMTP_STARTTLS",
    "PEERMAP_SMTP_FROM",
    "PEERMAP_MAIL_SECONDS",
    "PEERMAP_DIGEST_SECONDS",
)
ENVIRONMENTS = ("development", "production")
READ_PATHS = ("compiled", "resolvers", "compared")  # schema.cost.ReadPath


@dataclass(frozen=True, kw_only=True)
class Smtp:
    """The mail server that carries people's news (none set: Peermap sends no email)."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "Peermap <peermap@localhost>"

    def __repr__(self) -> str:  # never print the password
        return f"Smtp(host={self.host!r}, port={self.port}, user={self.user!r}, starttls={self.starttls})"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    host: str
    port: int
    data_dir: Path
    cache_dir: Path
    neo4j_bolt_port: int
    neo4j_heap: str
    neo4j_page_cache: str
    demo_members: int
    max_body_bytes: int
    request_timeout: int
    environment: str = "development"
    secret_key: str | None = None  # signs session cookies; None in development: a new one each start
    https: bool = False  # cookies marked Secure, and HSTS
    cors_origins: tuple[str, ...] = ()
    introspection: bool = True
    ide: bool = True
    max_query_cost: int = 50_000
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For is believed
    neo4j_retry_seconds: int = 5  # how long a failed transaction is retried (a cluster electing a leader)
    ws_recheck_seconds: float = 15.0  # how often an open WebSocket checks its token or session still holds
    cost_budget: int = 1_000_000  # points per client per hour
    map_tiles: Tiles | None = TILES  # None: no tiles, boundaries and data only
    smtp: Smtp | None = None
    mail_seconds: float = 10.0  # how often news due by email is looked for
    digest_seconds: float = 86_400.0  # a digest's "day"
    reads: str = "compiled"  # schema.cost.ReadPath: compiled, resolvers, or compared (both, checked alike)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_local_neo4j(self) -> bool:
        """No NEO4J_URI: Peermap runs a Neo4j of its own."""
        return self.neo4j_uri is None

    def __repr__(self) -> str:  # never print the password
        return (
            f"Settings(neo4j_uri={self.neo4j_uri!r}, neo4j_database={self.neo4j_database!r}, "
            f"environment={self.environment!r}, ...)"
        )


def load_settings(env: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read and check every setting; the first bad one raises SettingsError naming it."""
    config = Config(
        env_file if env_file and Path(env_file).exists() else None,
        environ=Environ(dict(env)) if env is not None else environ,
    )

    def text(name: str, default: str | None) -> str | None:
        value: str | None = config(name, default=default)
        return value.strip() if isinstance(value, str) and value.strip() else default

    uri = text("NEO4J_URI", None)
    if uri is not None:
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in _URI_SCHEMES or not uri.split("://", 1)[1]:
            raise SettingsError(f"NEO4J_URI must look like bolt://host:7687 or neo4j://host:7687, not {uri!r}")
    password = text("NEO4J_PASSWORD", None)
    if uri is not None and password is None:
        raise SettingsError("NEO4J_PASSWORD must be set when NEO4J_URI is set")
    if password is not None and len(password) < 8:
        raise SettingsError("NEO4J_PASSWORD must be at least 8 characters (Neo4j refuses shorter ones)")
    environment = (text("PEERMAP_ENV", "development") or "development").lower()
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"PEERMAP_ENV must be development or production, not {environment!r}")
    production = environment == "production"
    secret_key = text("PEERMAP_SECRET_KEY", None)
    if production and (secret_key is None or len(secret_key) < 32):
        raise SettingsError(
            "PEERMAP_SECRET_KEY must be set to at least 32 random characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    cors = tuple(o.strip().rstrip("/") for o in (text("PEERMAP_CORS_ORIGINS", "") or "").split(",") if o.strip())
    for origin in cors:
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d+)?", origin):
            raise SettingsError(f"PEERMAP_CORS_ORIGINS lists origins such as https://maps.example.org, not {origin!r}")
    reads = (text("PEERMAP_READS", "compiled") or "compiled").lower()
    if reads not in READ_PATHS:
        raise SettingsError(f"PEERMAP_READS must be compiled, resolvers or compared, not {reads!r}")
    database = text("NEO4J_DATABASE", "neo4j")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9.\-]{2,62}", database or ""):
        raise SettingsError(f"NEO4J_DATABASE must be a Neo4j database name, not {database!r}")
    return Settings(
        neo4j_uri=uri,
        neo4j_user=text("NEO4J_USER", "neo4j") or "neo4j",
        neo4j_password=password,
        neo4j_database=database or "neo4j",
        host=text("PEERMAP_HOST", "127.0.0.1") or "127.0.0.1",
        port=_port(config, "PEERMAP_PORT", 8000),
        data_dir=Path(text("PEERMAP_DATA_DIR", ".peermap") or ".peermap").expanduser().resolve(),
        cache_dir=Path(text("PEERMAP_CACHE_DIR", "~/.cache/peermap") or "").expanduser().resolve(),
        neo4j_bolt_port=_port(config, "PEERMAP_NEO4J_BOLT_PORT", 7687),
        neo4j_heap=_memory(config, "PEERMAP_NEO4J_HEAP", "4g"),
        neo4j_page_cache=_memory(config, "PEERMAP_NEO4J_PAGE_CACHE", "1g"),
        demo_members=_whole_number(config, "PEERMAP_DEMO_MEMBERS", 200, minimum=10),
        max_body_bytes=_whole_number(config, "PEERMAP_MAX_BODY_BYTES", 1_000_000, minimum=1_000, maximum=100_000_000),
        request_timeout=_whole_number(config, "PEERMAP_REQUEST_TIMEOUT", 30, minimum=1, maximum=3600),
        environment=environment,
        secret_key=secret_key,
        cors_origins=cors,
        trusted_proxies=tuple(a.strip() for a in (text("PEERMAP_TRUSTED_PROXIES", "") or "").split(",") if a.strip()),
        # Safe defaults in production; each can be switched on or off on its own.
        https=_flag(config, "PEERMAP_HTTPS", production),
        introspection=_flag(config, "PEERMAP_INTROSPECTION", not production),
        ide=_flag(config, "PEERMAP_IDE", not production),
        max_query_cost=_whole_number(config, "PEERMAP_MAX_QUERY_COST", 50_000, minimum=100, maximum=10_000_000),
        neo4j_retry_seconds=_whole_number(config, "PEERMAP_NEO4J_RETRY_SECONDS", 5, minimum=0, maximum=120),
        ws_recheck_seconds=_seconds(config, "PEERMAP_WS_RECHECK_SECONDS", 15.0),
        cost_budget=_whole_number(config, "PEERMAP_COST_BUDGET", 1_000_000, minimum=100, maximum=1_000_000_000),
        map_tiles=_tiles(text("PEERMAP_MAP_TILES", TILES.source), text("PEERMAP_MAP_TILES_ATTRIBUTION", None)),
        smtp=_smtp(config, text),
        mail_seconds=_seconds(config, "PEERMAP_MAIL_SECONDS", 10.0),
        digest_seconds=_seconds(config, "PEERMAP_DIGEST_SECONDS", 86_400.0, most=7 * 86_400),
        reads=reads,
    )


def _smtp(config: Config, text: Callable[[str, str | None], str | None]) -> Smtp | None:
    host = text("PEERMAP_SMTP_HOST", None)
    if host is None:
        return None
    user, password = text("PEERMAP_SMTP_USER", None), text("PEERMAP_SMTP_PASSWORD", None)
    if (user is None) != (password is None):
        raise SettingsError("PEERMAP_SMTP_USER and PEERMAP_SMTP_PASSWORD are set together, or neither")
    sender = text("PEERMAP_SMTP_FROM", None) or "Peermap <peermap@localhost>"
    if "@" not in sender:
        raise SettingsError(f"PEERMAP_SMTP_FROM must be an address, such as Peermap <news@example.org>, not {sender!r}")
    return Smtp(
        host=host,
        port=_port(config, "PEERMAP_SMTP_PORT", 25),
        user=user,
        password=password,
        starttls=_flag(config, "PEERMAP_SMTP_STARTTLS", False),
        sender=sender,
    )


def _tiles(source: str | None, attribution: str | None) -> Tiles | None:
    """PEERMAP_MAP_TILES: none, a tile source folium knows by name, or a tile server's address
    template, which then needs PEERMAP_MAP_TILES_ATTRIBUTION (whose data the streets are)."""
    if source is None or source.lower() == "none":
        return None
    if "://" not in source:
        try:
            Tiles(source).url  # noqa: B018  # folium knows the name, or says so
        except ValueError:
            raise SettingsError(f"PEERMAP_MAP_TILES: no tile source is called {source!r}") from None
        return Tiles(source, attribution)
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.netloc or not all(k in source for k in ("{z}", "{x}", "{y}")):
        raise SettingsError(
            "PEERMAP_MAP_TILES must be none, a tile source's name, or an address like https://host/{z}/{x}/{y}.png"
        )
    if not attribution:
        raise SettingsError("PEERMAP_MAP_TILES_ATTRIBUTION must say whose map data the tiles show")
    return Tiles(source, attribution)


def _flag(config: Config, name: str, default: bool) -> bool:
    value = str(config(name, default="yes" if default else "no")).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be yes or no, not {value!r}")


def _whole_number(config: Config, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    raw = config(name, default=str(default))
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise SettingsError(f"{name} must be {bounds}, not {value}")
    return value


def _seconds(config: Config, name: str, default: float, most: float = 3600) -> float:
    raw = config(name, default=str(default))
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0.1 <= value <= most:
        raise SettingsError(f"{name} must be from 0.1 to {most:g} seconds, not {value:g}")
    return value


def _port(config: Config, name: str, default: int) -> int:
    return _whole_number(config, name, default, minimum=1, maximum=65535)


def _memory(config: Config, name: str, default: str) -> str:
    value = str(config(name, default=default)).strip()
    if not _MEMORY.match(value):
        raise SettingsError(f"{name} must be a size such as 512m or 2g, not {value!r}")
    return value.lower()
