"""Issue 20.16: a French page has none of Streamlit's English aria-labels ("Open", "Help for …", "Clear all",
"Download as CSV", "Search", "Show/hide columns"): ui/browser.py says them in French, checked in Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress

import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.test_browser import CHROMIUM_ARGS, Server, _settle, _shot, chromium, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ENGLISH = re.compile(r"^(Open|Help|Help for .*|Clear all|Download as CSV.*|Search.*|Show/hide columns.*|"
                     r"Fullscreen.*|Close fullscreen.*)$")


@pytest.fixture
def page(chromium, server: Server) -> Iterator[Page]:  # noqa: F811
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def _labels(page: Page) -> list[str]:
    """Every aria-label on the page, after hovering each table and chart (their toolbars appear on hover)."""
    charts = page.locator("[data-testid='stDataFrame'], [data-testid='stPlotlyChart']").all()
    for el in [c for c in charts if c.is_visible()][:6]:  # Compare keeps some in hidden tabs
        el.scroll_into_view_if_needed()
        toolbar = el.locator("[data-testid='stElementToolbar']")
        for _ in range(3):  # a rerun drawing the element again can swallow a hover: hover again
            el.hover()
            with suppress(PlaywrightTimeout):
                toolbar.wait_for(state="visible", timeout=5_000)
                break
        assert toolbar.is_visible(), "the chart's or table's toolbar never appeared on hover"
    # The page script's MutationObserver translates what was just drawn; its callbacks run before the next frame.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.eval_on_selector_all("[aria-label]", "els => els.map((e) => e.getAttribute('aria-label'))")


@pytest.mark.parametrize("where", ["results", "assess", "compare"])
def test_a_french_page_has_no_english_streamlit_label(page: Page, server: Server, where: str) -> None:  # noqa: F811
    page.goto(f"{server.base}/{where}?lang=fr&assessment={server.demo_id}")
    _settle(page)
    labels = _labels(page)
    _shot(page, f"french-labels-{where}")
    assert labels, "no aria-label found: the page did not draw"
    assert [x for x in labels if ENGLISH.match(x or "")] == []
    assert any(x.startswith(("Aide", "Ouvrir", "Télécharger en CSV", "Rechercher")) for x in labels), labels


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_address_with_no_page_says_so_in_the_readers_language(page: Page, server: Server, lang: str) -> None:  # noqa: F811
    """Streamlit's own dialog names "the app's pages/ directory", in English whatever the reader's language: a viewer
    following a reviewer's link to /review, or a mistyped address, is told in their language, and lands on Home."""
    from questionnaires.messages import t

    page.goto(f"{server.base}/no-such-page?lang={lang}")
    _settle(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(t("ui.st.page_not_found", lang), exact=True).wait_for(timeout=10_000)
    text = dialog.inner_text()
    _shot(page, f"page-not-found-{lang}")
    # Streamlit 1.67 names no page for an address (the unnamed sentence); a named request gets the other one.
    said = (t("ui.st.page_not_found_unnamed", lang), t("ui.st.page_not_found_named", lang, n="no-such-page"))
    assert any(sentence in text for sentence in said), text
    assert "pages/ directory" not in text and "main page" not in text, text
