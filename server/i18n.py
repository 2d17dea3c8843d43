"""The pages' language: English or Polish (the most spoken language in Dundee after English).

Chosen per request from the cookie the language links set, else the browser's Accept-Language,
else English; held in a context variable for the request, so one set of templates serves every
language at once. The words come from Babel message catalogs in server/locale (msgids are the
English words): `pybabel extract -F pyproject.toml -k N_ -o server/locale/messages.pot server maps` collects
them, `pybabel update -i server/locale/messages.pot -d server/locale` carries them into each
language's messages.po, where a translator fills them in. The catalogs are read at start, so
nothing compiled is kept in git.
"""

from __future__ import annotations

import gettext as python_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

LANGUAGES = {"en": "English", "pl": "Polski"}  # each in its own words, as the switch shows them
DEFAULT = "en"
FORMATS = {"en": "en_GB"}  # dates as they are written where Peermap began ("2 December 2026")
LANGUAGE_COOKIE = "peermap_language"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


@cache
def translations(language: str) -> python_gettext.NullTranslations:
    """The language's catalog (English: the msgids themselves)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not path.exists():
        return python_gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def N_(message: str) -> str:
    """Marks words kept in a constant for the catalogs; they are translated where they are shown."""
    return message


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Words said outside a request (an email) in this language (one of ours, else the default)."""
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current()).ngettext(singular, plural, count)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language if it is one of ours; else the browser's first we have, by its q-values."""
    if cookie in LANGUAGES:
        return cookie
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        wanted.append((-weight, position, tag.split("-")[0].strip().lower()))
    for _, _, language in sorted(wanted):
        if language in LANGUAGES:
            return language
    return DEFAULT


class ChooseLanguage:
    """ASGI middleware: the request's language, for the templates and for the words said in Python."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        token = _current.set(
            negotiate(connection.cookies.get(LANGUAGE_COOKIE), connection.headers.get("accept-language"))
        )
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
