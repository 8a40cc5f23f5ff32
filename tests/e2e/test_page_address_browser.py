"""A page opened at its own address connects at once (ui/page_address.py), served as ``make run`` serves it.

Without the script, Streamlit's browser code asks ``/<page>/_stcore/health`` first, gets a 404 and asks again at
the app's root 100 ms later (issue 26). These open Assess and Results by address in Chromium, as a bookmark or
a link in an e-mail does, and read which addresses the browser asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.test_browser import CHROMIUM_ARGS, Server, _serve, _settle, chromium  # noqa: F401
from ui import page_address

pytestmark = pytest.mark.browser


def _open(browser_path: Path, server: Server, path: str, then: str | None = None) -> tuple[list[str], str]:
    """Open ``path`` afresh (then click the menu entry ``then``): the paths the browser asked for (its WebSocket's
    too), and the last address."""
    asked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        page: Page = browser.new_page()
        page.on("request", lambda r: asked.append(urlsplit(r.url).path))
        page.on("websocket", lambda ws: asked.append(urlsplit(ws.url).path))
        page.goto(server.base + path)
        _settle(page)
        expect(page.locator("h1").first).to_be_visible()
        if then:
            page.get_by_role("link", name=then).first.click()
            page.wait_for_url(f"**/{then.lower()}**")
            _settle(page)
            expect(page.locator("h1").first).to_be_visible()
        address = page.url
        browser.close()
    return asked, address


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with _serve(tmp_path_factory.mktemp("address"), launcher=("ui.serve",)) as running:
        yield running


def test_a_page_opened_by_its_address_asks_the_server_once(chromium: Path, served: Server) -> None:  # noqa: F811
    asked, address = _open(chromium, served, f"/assess?assessment={served.demo_id}", then="Results")
    assert "/assess/_stcore/health" not in asked and "/assess/_stcore/host-config" not in asked
    assert asked.count("/_stcore/health") == 1
    assert "/_stcore/stream" in asked
    # The menu still builds the pages' addresses from the app's root.
    assert urlsplit(address).path == "/results"


def test_without_the_script_the_browser_probes_the_page_address_first(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
) -> None:
    """What the script saves, seen with it switched off (and so what the test above would catch)."""
    with _serve(tmp_path_factory.mktemp("address-off"), launcher=("ui.serve",),
                extra_env={page_address.SWITCH: "0"}) as running:
        asked, _ = _open(chromium, running, f"/results?assessment={running.demo_id}")
    assert "/results/_stcore/health" in asked
    assert "/_stcore/health" in asked


def test_under_a_base_address_the_pages_keep_it(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
) -> None:
    """A deployment under ``/iot`` (``server.baseUrlPath``): the script takes only the page's name off."""
    with _serve(tmp_path_factory.mktemp("address-base"), launcher=("ui.serve",),
                args=("--server.baseUrlPath", "iot")) as running:
        asked, address = _open(chromium, running, f"/assess?assessment={running.demo_id}", then="Results")
    assert "/iot/assess/_stcore/health" not in asked
    assert asked.count("/iot/_stcore/health") == 1
    assert "/iot/_stcore/stream" in asked
    assert urlsplit(address).path == "/iot/results"
