"""In the real browser, a right-to-left language gets <html dir="rtl"> and the sidebar on the right; a
left-to-right one keeps it on the left (ui/browser.py, issue 24). A small test page, not the app: the app's own
Arabic pages are checked by the journey in tests/e2e/test_journey_languages.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.test_browser import CHROMIUM_ARGS, ROOT, _serve, chromium  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serve(tmp_path_factory.mktemp("rtl"), demo=False, script="tests/e2e/rtl_page.py", start_seconds=60,
                extra_env={"PYTHONPATH": str(ROOT)}) as server:
        yield server.base


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_the_page_direction_and_the_sidebar_side_follow_the_language(
    base: str, chromium: Path, lang: str, direction: str  # noqa: F811 (the fixture)
) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)  # a loaded machine draws the page slowly
        page.goto(f"{base}/?lang={lang}")
        page.wait_for_selector("[data-testid='stPlotlyChart']")
        page.wait_for_function(f"document.documentElement.dir === '{direction}'")
        sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
        main = page.locator("[data-testid='stMain']").bounding_box()
        assert sidebar is not None and main is not None
        # The sentence's ink against its block: flush right in Arabic, flush left in English.
        text_left, text_right, box_left, box_right = page.get_by_text("السياسة").evaluate(
            "el => { const r = document.createRange(); r.selectNodeContents(el); const t = r.getBoundingClientRect();"
            " const b = el.getBoundingClientRect(); return [t.left, t.right, b.left, b.right]; }")
        if direction == "rtl":
            assert sidebar["x"] > main["x"], (sidebar, main)  # the sidebar is on the right
            assert abs(box_right - text_right) < 3 < text_left - box_left
            page.screenshot(path=str(ROOT / "test-artifacts" / "rtl-page.png"))
        else:
            assert sidebar["x"] < main["x"], (sidebar, main)
            assert abs(text_left - box_left) < 3 < box_right - text_right
        chart = page.locator("[data-testid='stPlotlyChart']")
        assert chart.evaluate("el => getComputedStyle(el).direction") == "ltr"  # charts read left to right
        browser.close()
