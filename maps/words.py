"""The maps' words. Their msgids are English, in the site's catalogs (server/locale, collected by
`pybabel extract ... server maps`); the site lends its translations with `speak`, so that a map
page speaks the page's language. Without it (a map exported to a file, say) they stay English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass
class _Speaker:
    gettext: Callable[[str], str] = _english
    ngettext: Callable[[str, str, int], str] = _english_plural
    language: Callable[[], str] = lambda: "en"


_speaker = _Speaker()


def speak(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str], language: Callable[[], str]) -> None:
    """Use the site's translations (each call looks up the language of the request being served)."""
    _speaker.gettext, _speaker.ngettext, _speaker.language = gettext, ngettext, language


def gettext(message: str) -> str:
    return _speaker.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _speaker.ngettext(singular, plural, count)


def language() -> str:
    return _speaker.language()


def N_(message: str) -> str:
    """Marks words kept in a constant for the catalogs; they are translated where they are shown."""
    return message
