"""Real-browser end-to-end test: Playwright drives Debian's chromium against ``streamlit run app.py``.

Creates an assessment, answers a question in two pillars, reloads the page, finds the answers still
there, and reaches Results with the radar drawn. Screenshots of every page go to ``test-artifacts/``;
the Assess and Results ones are copied to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium; installed with apt when missing and we are root, else the test is skipped."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip("/usr/bin/chromium is missing and cannot be installed (needs root and apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, env=env, capture_output=True)
    if not CHROMIUM.exists():
        pytest.skip("chromium could not be installed with apt-get")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str
    demo_id: str  # the most complete illustrative assessment, for the README's Results screenshot


def _load_demo(url: str) -> str:
    from sqlmodel import Session

    from assessment import db, demo, service
    from questionnaires import default_questionnaire

    questionnaire = default_questionnaire()
    with Session(db.connect(url)) as s:
        demo.load_demo(s, questionnaire)
        rows = service.list_assessments(s, questionnaire=questionnaire)
    return max((r for r in rows if r.illustrative), key=lambda r: (r.completeness or 0, r.cycle)).id


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on a free port, with a temporary SQLite database holding the demo data."""
    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'app.db'}"
    demo_id = _load_demo(url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "IOTREADY_LOG_DIR": str(tmp / "logs"),
    }
    env.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
    log = (tmp / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--global.developmentMode", "false",
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {(tmp / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield Server(base=base, demo_id=demo_id)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _settle(page: Page) -> None:
    """Wait until the app is drawn and no script run is in progress."""
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")


def _shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _answer_first_scale_question(page: Page) -> str:
    """Pick the third level of the first radio question of the pillar shown; return its label."""
    radio = page.locator("[data-testid='stRadio']").first
    option = radio.locator("[role='radiogroup'] label").nth(2)
    label = option.inner_text().split("\n")[0].strip()
    option.click()
    expect(page.get_by_text("Saved at").first).to_be_visible(timeout=15_000)
    # The pillar is redrawn after the save (a follow-up question may appear below): let the layout
    # settle before the next click, or the click lands where a button was a moment ago.
    page.wait_for_timeout(500)
    _settle(page)
    return label


def _checked_label(page: Page) -> str:
    radio = page.locator("[data-testid='stRadio']").first
    checked = radio.locator("[role='radiogroup'] label:has(input:checked)")
    return str(checked.inner_text()).split("\n")[0].strip()


def test_answers_survive_a_reload_and_results_draw_the_radar(chromium: Path, server: Server) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        # Tall viewport: Streamlit scrolls inside its own container, so a screenshot shows the viewport only.
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.set_default_timeout(20_000)
        page.goto(server.base)
        _settle(page)
        expect(page.get_by_text("Illustrative (demo)").first).to_be_visible()
        _shot(page, "home")

        # Home: choose a Member State and start.
        country = page.locator("[data-testid='stSelectbox']").filter(has_text="Member State").first
        country.click()
        page.keyboard.type("Kenya")
        page.keyboard.press("Enter")
        _settle(page)
        page.get_by_role("button", name="Start or resume").click()
        expect(page.get_by_role("heading", name="Kenya")).to_be_visible()
        _settle(page)

        # Two pillars, one answer each.
        first = _answer_first_scale_question(page)
        page.get_by_role("button", name="Next pillar").click()
        _settle(page)
        expect(page.get_by_role("heading", name="2.")).to_be_visible()
        second = _answer_first_scale_question(page)

        # A reload is a new browser session: the URL brings back the assessment and the pillar.
        page.reload()
        _settle(page)
        expect(page.get_by_role("heading", name="2.")).to_be_visible()
        assert _checked_label(page) == second
        page.get_by_role("button", name="Previous pillar").click()
        _settle(page)
        expect(page.get_by_role("heading", name="1.")).to_be_visible()
        assert _checked_label(page) == first
        page.get_by_role("heading", name="Kenya").scroll_into_view_if_needed()
        assess_shot = _shot(page, "assess")

        # Results: the radar is drawn.
        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Results").click()
        _settle(page)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        expect(chart).to_be_visible()
        expect(chart.locator("svg.main-svg").first).to_be_attached()
        expect(chart.locator(".scatterlayer, .polarlayer, path").first).to_be_attached()
        _shot(page, "results")

        # The README shows the Results of a filled (illustrative, and labelled so) demo assessment.
        page.goto(f"{server.base}/results?assessment={server.demo_id}")
        _settle(page)
        expect(page.get_by_text("Illustrative data (demo)").first).to_be_visible()
        expect(page.locator("[data-testid='stPlotlyChart'] svg.main-svg").first).to_be_attached()
        page.wait_for_timeout(500)  # let plotly finish its transition
        results_shot = _shot(page, "results-demo")

        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Methodology").click()
        _settle(page)
        expect(page.get_by_role("heading", name="Methodology")).to_be_visible()
        _shot(page, "methodology")
        browser.close()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(assess_shot, SCREENSHOTS / "assess.png")
    shutil.copy(results_shot, SCREENSHOTS / "results.png")
