"""The real browser the page tests drive: Debian's chromium through Playwright (never a
downloaded one), at a phone's width, refusing every address but the server under test, and
axe-core (installed from npm by .ci/run) to check each page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_PASSWORD, account_email, only_this_server

CHROMIUM = shutil.which("chromium")
CACHE = Path(os.environ.get("PEERMAP_CACHE_DIR", "~/.cache/peermap")).expanduser()
AXE = CACHE / "axe/node_modules/axe-core/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 360, "height": 740}

needs_a_browser = pytest.mark.skipif(
    CHROMIUM is None or not AXE.exists(), reason="needs Debian's chromium and axe-core (.ci/run installs them)"
)


def browser(playwright: Any, base: str, *, javascript: bool = True, language: str = "en-GB") -> tuple[Any, list[str]]:
    """A new browser context on a phone's screen; with it, the list of addresses it tried elsewhere."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    context = chromium.new_context(viewport=PHONE, java_script_enabled=javascript, locale=language)
    return context, only_this_server(context, base)


def _where_scripts_run(page: Any) -> Any:
    """The same page opened, with the same cookies, in a context where JavaScript runs (axe and
    the width check need it; these pages have no scripts, so it is the same document)."""
    return page.context.browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())


def axe(page: Any, *, ready: str | None = None) -> list[Any]:
    """Every violation axe-core finds on this page, of any impact (once `ready`, a selector, shows)."""
    checking = _where_scripts_run(page)
    try:
        seen = checking.new_page()
        seen.goto(page.url)
        if ready:
            seen.wait_for_selector(ready)
        seen.evaluate(AXE.read_text())
        return seen.evaluate(
            "axe.run({runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
            ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target)]))"
        )
    finally:
        checking.close()


def fits_the_phone(page: Any) -> bool:
    """No sideways scrolling at 360 px."""
    checking = _where_scripts_run(page)
    try:
        seen = checking.new_page()
        seen.goto(page.url)
        return bool(seen.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
    finally:
        checking.close()


def focused(page: Any) -> dict[str, str]:
    """What has the keyboard's focus: its id, and the words on it (a button's or link's text, a field's label)."""
    return page.evaluate(
        r"""() => { const e = document.activeElement;
                   const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
                   const words = (e.innerText || e.value || '').replace(/\s+/g, ' ').trim();
                   return {id: e.id || '', text: words, label: label.trim(),
                           tag: e.tagName.toLowerCase()}; }"""
    )


def tab_to(page: Any, *, text: str | None = None, field: str | None = None, most: int = 80) -> int:
    """Press Tab until the focus is on the control with these words (a link or button) or this id
    (a field); how many presses it took. Fails if it never comes: the control is not reachable."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if (text is not None and now["text"].startswith(text)) or (field is not None and now["id"] == field):
            return presses
    raise AssertionError(f"{text or field!r} is never reached with Tab")


def sign_in_with_keyboard(page: Any, base: str, person_id: str) -> None:
    page.goto(f"http://{base}/signin")
    tab_to(page, field="email")
    page.keyboard.type(account_email(person_id))
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"http://{base}/")


def screenshot(page: Any, name: str, *, ready: str | None = None) -> None:
    """For the README: the page as a phone shows it, whole; with `ready` (a selector), as it shows
    with JavaScript on, once that is there (a map)."""
    ARTIFACTS.mkdir(exist_ok=True)
    if ready is None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        return
    drawing = _where_scripts_run(page)
    try:
        seen = drawing.new_page()
        seen.goto(page.url)
        seen.wait_for_selector(ready)
        seen.wait_for_timeout(500)  # the map's fit to its bounds animates
        seen.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        drawing.close()
