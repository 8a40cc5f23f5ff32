"""Real-browser end-to-end test: Playwright drives Debian's chromium against ``streamlit run app.py``.

Creates an assessment, answers a question in two pillars, reloads the page, finds the answers still
there, and reaches Results with the radar drawn. An upload shows its plan and saves only on a yes.
Compare (on a database holding the demo data only) draws its heatmap and, offline, its world map, and its
selection works by keyboard. Screenshots of every page go to ``test-artifacts/``; with
IOTREADY_UPDATE_SCREENSHOTS=1 the Assess, Results, import plan and Compare ones are also copied to
``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assessment.filters import AssessmentFilter

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# The README's screenshots are refreshed only on request, so a test run leaves the work tree clean.
UPDATE_SCREENSHOTS = os.environ.get("IOTREADY_UPDATE_SCREENSHOTS") == "1"


def _publish(shot: Path, name: str) -> None:
    """Copy a screenshot from test-artifacts/ to docs/screenshots/ when IOTREADY_UPDATE_SCREENSHOTS=1."""
    if UPDATE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / name)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium; installed with apt when missing and we are root, else the test is skipped.

    Parallel test workers (pytest-xdist) take a lock first, so only one of them runs apt-get.
    """
    if not CHROMIUM.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip("/usr/bin/chromium is missing and cannot be installed (needs root and apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with open(Path(tempfile.gettempdir()) / "iotready-chromium-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not CHROMIUM.exists():
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
        rows = service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire))
    return max((r for r in rows if r.illustrative), key=lambda r: (r.completeness or 0, r.cycle)).id


@contextmanager
def _serve(
    tmp: Path, *, demo: bool = True, extra_env: Mapping[str, str] | None = None, args: Sequence[str] = (),
    port: int | None = None, script: str = "app.py", start_seconds: float = 30, launcher: Sequence[str] = (),
) -> Iterator[Server]:
    """``streamlit run app.py`` (or another ``script`` of the checkout) on a free port, with a SQLite database
    ``tmp/app.db``; ``launcher`` (``("ui.serve",)``: as ``make run`` starts it) in place of ``streamlit run``.

    ``demo``: load the demo data first (else the caller has filled the database); ``extra_env`` and
    ``args`` add to the server's environment and command line (multi-user mode, a secrets file);
    ``port``: when the caller needs the address before the start (an OpenID redirect URI).
    """
    url = f"sqlite:///{tmp / 'app.db'}"
    demo_id = _load_demo(url) if demo else ""
    port = port or _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "IOTREADY_LOG_DIR": str(tmp / "logs"),
    }
    env.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
    env.update(extra_env or {})
    log = (tmp / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", *(launcher or ("streamlit", "run", script)), "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--global.developmentMode", "false",
            "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *args,
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    prefix = next((args[i + 1].strip("/") for i, a in enumerate(args[:-1]) if a == "--server.baseUrlPath"), "")
    base = f"http://127.0.0.1:{port}" + (f"/{prefix}" if prefix else "")
    try:
        deadline = time.monotonic() + start_seconds
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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with the demo data; tests may add assessments to it."""
    with _serve(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with the illustrative demo data only: no test writes to it.

    Compare shows real assessments by default as soon as one exists (the assessment another test starts
    would turn the data set toggle off), so its tests get a database of their own.
    """
    with _serve(tmp_path_factory.mktemp("e2e-demo")) as running:
        yield running


def _settle(page: Page) -> None:
    """Wait until the app is drawn and no script run is in progress."""
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")


def _rerun_after(
    page: Page, action: Callable[[], object], timeout: float = 8_000, *, settle: Callable[[Page], None] | None = None
) -> None:
    """Do ``action`` (a click) and wait for the rerun it starts to end: no fixed pause.

    Right after a click the app may still read "notRunning" (the rerun has not started), so waiting for that
    state alone can return at once. A MutationObserver set before the click records any change of the
    script-run state; we wait for one (a while), then for the app to settle; the caller asserts the outcome.
    """
    page.evaluate(
        """() => {
          window.__iotreadyRerun = false;
          const app = document.querySelector("[data-testid='stApp']");
          const seen = new MutationObserver(() => { window.__iotreadyRerun = true; seen.disconnect(); });
          seen.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
        }"""
    )
    action()
    # A fragment's rerun can start and end between two observations on a loaded machine; what the click must
    # change is asserted by the caller right after (with its own wait), so a missed rerun is not the failure.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("window.__iotreadyRerun === true", timeout=timeout)
    (settle or _settle)(page)


def _uploaded(page: Page, name: str, lang: str) -> None:
    """Wait for the rerun that the upload itself starts: a click before it ends can be lost on a busy machine."""
    from questionnaires.messages import t

    ready = t("ui.exchange.ready", lang, name=name)
    expect(page.get_by_text(ready[: ready.index(name) + len(name) + 6])).to_be_visible()
    _settle(page)


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
    # The pillar is redrawn after the save (a follow-up question may appear below): wait for that rerun to
    # end before the next click, or the click lands where a button was a moment ago.
    _rerun_after(page, option.click)
    expect(page.get_by_text("Saved at").first).to_be_visible(timeout=15_000)
    _settle(page)
    return label


def _checked_label(page: Page) -> str:
    radio = page.locator("[data-testid='stRadio']").first
    checked = radio.locator("[role='radiogroup'] label:has(input:checked)")
    return str(checked.inner_text()).split("\n")[0].strip()


def _home(browser: Browser, server: Server) -> Page:
    """A tall page (Streamlit scrolls inside its own container, so a screenshot shows the viewport only) on Home."""
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.set_default_timeout(20_000)
    page.goto(server.base)
    _settle(page)
    return page


def _start_on_home(page: Page, country: str) -> None:
    """On Home, pick ``country`` by typing its name in the Member State picker, start, and wait for Assess."""
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Member State").first
    picker.click()
    page.keyboard.type(country)
    page.keyboard.press("Enter")
    _settle(page)
    page.get_by_role("button", name="Start or resume").click()
    expect(page.get_by_role("heading", name=country)).to_be_visible()
    _settle(page)


def test_answers_survive_a_reload_and_results_draw_the_radar(chromium: Path, server: Server) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = _home(browser, server)
        expect(page.get_by_text("Illustrative (demo)").first).to_be_visible()
        _shot(page, "home")

        # Home: choose a Member State and start.
        _start_on_home(page, "Kenya")

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

        # Results: the pillar scores are drawn as a picture with its words (issue 26: no Plotly on the first
        # screen); the switch draws the interactive radar.
        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Results").click()
        _settle(page)
        picture = page.locator("img.iot-picture").first
        expect(picture).to_be_visible()
        assert (picture.get_attribute("alt") or "").startswith("Bar chart of each pillar's score and tier: ")
        assert page.evaluate("document.querySelector('img.iot-picture').naturalWidth") > 0  # the SVG was decoded
        expect(page.locator("table.iot-table").first).to_be_visible()
        assert page.locator("[data-testid='stPlotlyChart']").count() == 0
        _shot(page, "results")
        page.get_by_text("Interactive charts").click()
        _settle(page)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        expect(chart).to_be_visible()
        expect(chart.locator("svg.main-svg").first).to_be_attached()
        expect(chart.locator(".scatterlayer, .polarlayer, path").first).to_be_attached()

        # The README shows the Results of a filled (illustrative, and labelled so) demo assessment.
        page.goto(f"{server.base}/results?assessment={server.demo_id}")
        _settle(page)
        expect(page.get_by_text("Illustrative data (demo)").first).to_be_visible()
        expect(page.locator("img.iot-picture").first).to_be_visible()
        results_shot = _shot(page, "results-demo")

        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Methodology").click()
        _settle(page)
        expect(page.get_by_role("heading", name="Methodology")).to_be_visible()
        _shot(page, "methodology")
        browser.close()

    _publish(assess_shot, "assess.png")
    _publish(results_shot, "results.png")


# Compare: the page for BDT advisers, with the demo data only (so it shows the illustrative data set).
COMPARE_VIEWPORT: ViewportSize = {"width": 1280, "height": 1800}  # tall enough for the map and its table
COUNTED = re.compile(r"^Countries counted: \d+ \(cycle \d+\)\.$")
TOPOJSON = "/app/static/topojson/world_110m.json"


COMBO_BOX_SCRIPTS = ("Selectbox.", "Multiselect.", "useSyncComboBoxEnterTargetFocus.")


def test_assess_has_no_drop_down_and_its_toggle_buttons_work_by_keyboard(chromium: Path, server: Server) -> None:
    """Issue 26: the pillar jump and a multiple choice are rows of toggle buttons, so a fresh load of Assess fetches
    none of the combo box's scripts; a multiple choice's option is switched with Space (saved, aria-pressed), and
    a pillar is reached with Enter on its button."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = _home(browser, server)
        _start_on_home(page, "Mongolia")
        page.reload()  # a fresh document: only Assess's own scripts in its resource timings
        _settle(page)
        expect(page.get_by_role("heading", name="1.")).to_be_visible()
        fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name.split('/').pop())")
        assert not [name for name in fetched if name.startswith(COMBO_BOX_SCRIPTS)], fetched
        _answer_first_scale_question(page)  # opens the multiple choice that follows it

        option = page.locator(".st-key-question-pol_framework_elements [data-testid='stButtonGroup'] button").first
        expect(option).to_have_attribute("aria-pressed", "false")
        option.focus()
        _rerun_after(page, lambda: page.keyboard.press("Space"))
        expect(page.get_by_text("Saved at").first).to_be_visible(timeout=15_000)
        expect(option).to_have_attribute("aria-pressed", "true")

        second = page.get_by_role("radio", name=re.compile(r"^2\. "))
        expect(second).to_have_attribute("aria-checked", "false")
        second.focus()
        _rerun_after(page, lambda: page.keyboard.press("Enter"))
        expect(page.get_by_role("heading", name="2.")).to_be_visible()
        expect(second).to_have_attribute("aria-checked", "true")
        first = page.get_by_role("radio", name=re.compile(r"^(✓ )?1\. "))
        first.focus()
        _rerun_after(page, lambda: page.keyboard.press("Enter"))
        expect(page.get_by_role("heading", name="1.")).to_be_visible()
        expect(option).to_have_attribute("aria-pressed", "true")  # the saved choice, drawn again
        browser.close()


@dataclass
class Traffic:
    """What a page asked of the network, and its uncaught script errors."""

    requests: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any host but the app's (there must be none: the app works offline)."""
        return [
            u for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"
        ]


@pytest.fixture
def compare(chromium: Path, demo_server: Server) -> Iterator[tuple[Page, Traffic]]:
    """A new browser session on Compare, reached from Home through the sidebar menu."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=COMPARE_VIEWPORT)
        page.set_default_timeout(20_000)
        traffic = Traffic()
        page.on("request", lambda r: traffic.requests.append(r.url))
        page.on("response", lambda r: traffic.responses.append((r.status, r.url)))
        page.on("pageerror", lambda e: traffic.errors.append(str(e)))
        page.goto(demo_server.base)
        _settle(page)
        page.locator("[data-testid='stSidebarNavLink']").filter(has_text="Compare").click()
        expect(page.get_by_role("heading", name="Compare")).to_be_visible()
        expect(page.get_by_text(COUNTED)).to_be_visible()
        _settle(page)
        yield page, traffic
        browser.close()


def _counted(page: Page) -> int:
    """N of the "Countries counted: N (cycle C)." caption."""
    caption = page.get_by_text(COUNTED)
    expect(caption).to_be_visible()
    return int(caption.inner_text().split(":")[1].split()[0])


def test_compare_draws_the_heatmap_and_the_world_map_offline(compare: tuple[Page, Traffic]) -> None:
    """The first screen is the map drawn by the server and its table (no chart library to load, issue 26); the
    heatmap is one tab away and the interactive map one switch away, from the world map the app serves itself
    (the machine is offline: plotly's CDN map would draw no country)."""
    page, traffic = compare
    # Only illustrative assessments exist, so the page shows them, and says so.
    expect(page.get_by_role("switch", name="Illustrative data")).to_be_checked()
    expect(page.get_by_text("Illustrative data (demo), not an official assessment")).to_be_visible()
    counted = _counted(page)
    assert counted > 30

    # The first tab: every counted country coloured on the server's map, with its score in its tooltip.
    drawn = page.get_by_role("img", name=re.compile(r"^World map of Overall: \d+ countries coloured by tier"))
    expect(drawn).to_be_visible()
    coloured = int((drawn.get_attribute("alt") or "").split(": ")[1].split()[0])
    assert counted - 3 <= coloured <= counted  # the demo's small island states are only in the table
    head, _, body = (drawn.get_attribute("src") or "").partition(",")
    assert head == "data:image/svg+xml;base64"
    assert base64.b64decode(body).decode().count("<title>") == coloured  # each with its name, score and tier
    expect(page.locator("table.iot-table").first).to_be_visible()  # the map's table, a plain one
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # no data grid on the first screen either
    assert page.locator("[data-testid='stPlotlyChart']").count() == 0  # no Plotly on the first screen
    assert page.locator("[data-testid='stImage']").count() == 0  # a plain <img>: no image element's scripts
    overview_shot = _shot(page, "compare")

    # Keyboard: the tabs are one tab stop; the arrow keys move the selection.
    page.get_by_role("tab", name="Map").focus()
    page.keyboard.press("ArrowRight")
    scores_tab = page.get_by_role("tab", name="Scores and ranks")
    expect(scores_tab).to_be_focused()
    expect(scores_tab).to_have_attribute("aria-selected", "true")
    heatmap = page.locator("[data-testid='stPlotlyChart']").filter(has=page.locator(".heatmaplayer")).first
    expect(heatmap).to_be_visible()
    expect(heatmap.locator(".heatmaplayer image")).to_be_attached()

    # The interactive map on demand: every counted country drawn from the app's own world map.
    page.get_by_role("tab", name="Map").click()
    _settle(page)
    page.get_by_role("switch", name="Interactive map (zoom, hover)").focus()
    page.keyboard.press("Space")
    panel = page.get_by_role("tabpanel")  # the selected tab's only
    world = panel.locator("[data-testid='stPlotlyChart']")
    expect(world).to_be_visible()
    expect(world.locator("path.choroplethlocation")).to_have_count(counted)
    assert any(status == 200 and urlsplit(url).path == TOPOJSON for status, url in traffic.responses)
    assert not [u for u in traffic.requests if "plot.ly" in u]
    assert traffic.foreign() == []
    assert traffic.errors == []
    page.wait_for_timeout(500)  # before the screenshot only: plotly's transitions (everything above is awaited)
    map_shot = ARTIFACTS / "compare-map.png"
    panel.screenshot(path=str(map_shot))

    _publish(overview_shot, "compare.png")
    _publish(map_shot, "compare-map.png")


def test_the_first_screens_plain_tables_work_by_keyboard(chromium: Path, demo_server: Server) -> None:
    """Issue 26: Home and Compare open on plain tables (no data grid); Compare's scrolls in a region the keyboard
    reaches, and Home's switch, reached and turned on by keyboard, brings the interactive grid."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=COMPARE_VIEWPORT)
        page.set_default_timeout(20_000)
        page.goto(f"{demo_server.base}/compare")
        _settle(page)
        region = page.get_by_role("region", name=re.compile(r"^The map's table: Overall"))
        expect(region.locator("table.iot-table")).to_be_visible()
        region.focus()
        expect(region).to_be_focused()
        page.keyboard.press("PageDown")
        page.wait_for_function("document.querySelector('.iot-table-scroll').scrollTop > 0")

        page.goto(f"{demo_server.base}/")  # Home, the default page (an address "/home" names no page)
        _settle(page)
        expect(page.locator("table.iot-table").first).to_be_visible()
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        switch = page.get_by_role("switch", name="Interactive table")
        switch.focus()
        expect(switch).to_be_focused()
        page.keyboard.press("Space")
        expect(switch).to_be_checked()
        _settle(page)
        expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
        assert page.locator("table.iot-table").count() == 0
        browser.close()


def test_compare_selection_works_by_keyboard(compare: tuple[Page, Traffic]) -> None:
    """Advisers who cannot use a mouse choose a group or countries with Tab, arrows, typing and Enter."""
    page, traffic = compare
    everyone = _counted(page)

    # Tab from the scope radios to the group's radio buttons (issue 26: no drop-down picker on the first screen);
    # the arrow key picks the next one, Africa.
    page.get_by_role("radio", name="A region or group").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="All Member States")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Africa")).to_be_checked()
    # Wait for the rerun: the caption must no longer name every country (the old pattern never matched it).
    expect(page.get_by_text(COUNTED)).not_to_have_text(re.compile(rf"^Countries counted: {everyone} "))
    _settle(page)
    africa = _counted(page)
    assert 0 < africa < everyone

    # Back to the radios; the down arrow picks "Chosen countries", which starts empty.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Chosen countries")).to_be_checked()
    expect(page.get_by_text("Choose one or more countries above.")).to_be_visible()
    expect(page.get_by_text(COUNTED)).to_have_count(0)
    _settle(page)

    # Tab to the country picker; two countries typed, each confirmed with Enter.
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Countries")).to_be_focused()
    for name in ("France", "Japan"):
        page.keyboard.type(name)
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_text(COUNTED)).to_have_text(re.compile(r"^Countries counted: 2 "))
    assert traffic.errors == []


def test_a_language_link_reached_by_keyboard_switches_the_page_without_reloading_it(
    chromium: Path, demo_server: Server
) -> None:
    """Issue 26: the language switch is a link per language. Reached by Tab and followed with Enter, it turns
    the page to Arabic (address, <html lang>, right to left) in the same session, with no page load and the page's
    choice kept (a page load would start Compare again on a group); the browser's Back button brings the previous
    language back."""
    from questionnaires.messages import t

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=COMPARE_VIEWPORT)
        page.set_default_timeout(20_000)
        page.goto(f"{demo_server.base}/compare?lang=fr")
        _settle(page)
        expect(page.locator("a[hreflang='fr'][aria-current='true']")).to_have_text("Français")
        chosen = t("ui.compare.scope_countries", "fr")  # a choice the session holds: countries, not a group
        _rerun_after(page, page.locator("[data-testid='stRadio'] label").filter(has_text=chosen).click)
        expect(page.locator("[data-testid='stMultiSelect']")).to_have_count(1)
        page.evaluate("window.__sameDocument = true")
        arabic = page.get_by_role("link", name="العربية")
        arabic.focus()
        expect(arabic).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_function("document.documentElement.lang === 'ar' && document.documentElement.dir === 'rtl'")
        _settle(page)
        assert "lang=ar" in page.url
        assert page.evaluate("window.__sameDocument") is True  # no page load: the session is the same
        expect(page.locator("[data-testid='stMultiSelect']")).to_have_count(1)  # still the chosen countries
        # ... and the scope radio shows it, in Arabic (it showed no option checked: Streamlit's browser side held
        # the French words of the option).
        expect(page.get_by_role("radio", name=t("ui.compare.scope_countries", "ar"))).to_be_checked()
        expect(page.locator("a[hreflang='ar'][aria-current='true']")).to_have_count(1)
        page.go_back()
        page.wait_for_function("document.documentElement.lang === 'fr' && document.documentElement.dir === 'ltr'")
        _settle(page)
        expect(page.get_by_role("heading", name=t("ui.nav.compare", "fr"), level=1)).to_be_visible()
        expect(page.get_by_role("radio", name=chosen)).to_be_checked()
        browser.close()


def test_the_answers_stay_checked_when_the_reader_switches_language(chromium: Path, demo_server: Server) -> None:
    """Every answer the page shows checked (a level, a choice among several) is still shown checked after a click on
    another language's link: Streamlit's browser side held a radio's choice by its option's words, so after a
    switch every question looked unanswered, though nothing was lost."""
    from questionnaires.messages import t

    def answers_shown(page: Page) -> list[str | None]:
        return list(page.evaluate(
            "Array.from(document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stRadio']\"))"
            ".map(r => r.querySelector('input:checked') ? r.querySelector('input:checked').value : null)"
        ))

    def chips(page: Page) -> int:
        """A multiple choice's options switched on (toggle buttons since issue 26), and the pillar jump's current
        pillar (one)."""
        return page.locator("[data-testid='stMain'] [data-testid='stButtonGroup'] button[aria-pressed='true'], "
                            "[data-testid='stMain'] [data-testid='stButtonGroup'] [role='radio'][aria-checked='true']"
                            ).count()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(20_000)
        page.goto(f"{demo_server.base}/assess?assessment={demo_server.demo_id}&lang=en")
        _settle(page)
        shown = answers_shown(page)
        chosen = chips(page)
        assert shown and all(v is not None for v in shown)  # the demo's first pillar: every level answered
        assert chosen > 1  # the pillar and some of the multiple choice's options
        for code, name in (("fr", "Français"), ("ar", "العربية")):
            _rerun_after(page, page.get_by_role("link", name=name).click)
            page.wait_for_function(f"document.documentElement.lang === '{code}'")
            _settle(page)
            expect(page.get_by_role("link", name=t("ui.nav.assess", code)).first).to_be_visible()  # the menu, too
            assert answers_shown(page) == shown, code  # the same options checked, now in the new words
            assert chips(page) == chosen, code
        browser.close()


def test_a_picker_shows_its_choice_in_the_new_language_after_a_switch(chromium: Path, demo_server: Server) -> None:
    """Home's "open an assessment" picker: the assessment chosen stays shown, in the new words, after a language
    switch (it kept showing the English name: the browser holds a picker's choice as the option's words)."""
    from questionnaires.messages import t
    from refdata import country_name
    from refdata.countries import countries

    def shown(page: Page) -> str:
        return str(page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").last.input_value())

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(20_000)
        page.goto(f"{demo_server.base}/?lang=en")
        _settle(page)
        page.locator("[data-testid='stMain'] [data-testid='stSelectbox'] input").last.click()
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        _rerun_after(page, lambda: page.keyboard.press("Enter"))
        picked = shown(page)  # "<country> <cycle> · Illustrative (demo)"
        (iso3,) = [c.iso3 for c in countries() if picked.startswith(country_name(c.iso3, "en") + " 20")]
        cycle = picked.split(" · ")[0].rsplit(" ", 1)[1]
        _rerun_after(page, page.get_by_role("link", name="Français").click)
        page.wait_for_function("document.documentElement.lang === 'fr'")
        _settle(page)
        assert shown(page) == f"{country_name(iso3, 'fr')} {cycle} · {t('ui.home.illustrative_short', 'fr')}"
        browser.close()


def test_an_upload_shows_the_plan_and_saves_only_on_a_yes(chromium: Path, server: Server, tmp_path: Path) -> None:
    """Data exchange: a workbook creates an assessment; a second one shows saved -> file, then saves on a yes."""
    from exchange import build_workbook
    from questionnaires import default_questionnaire
    from tests.exchange.helpers import edit, set_cell

    q = default_questionnaire()
    first = tmp_path / "fji-1.xlsx"
    blank = build_workbook(q, "en", country="Fiji", cycle=2031)
    first.write_bytes(edit(edit(blank, set_cell(q, "pol_iot_legal_framework", "answer", "2 - Developing")),
                           set_cell(q, "pol_cross_sector_coordination", "answer", "Yes")))
    second = tmp_path / "fji-2.xlsx"  # one answer changed; the other saved one is not in the file: kept
    second.write_bytes(edit(blank, set_cell(q, "pol_iot_legal_framework", "answer", "3 – Adopted")))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.set_default_timeout(20_000)
        page.goto(f"{server.base}/exchange")
        _settle(page)
        for path, done in ((first, "assessment created"), (second, "assessment updated")):
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
            _uploaded(page, path.name, "en")
            page.get_by_role("button", name="Check and import").click()
            expect(page.get_by_text("What this import would change")).to_be_visible()
            _settle(page)
            if path is second:
                expect(page.get_by_text("Saved answers this file leaves as they are").first).to_be_visible()
                expect(page.get_by_text("1 change in 1 question").first).to_be_visible()
                plan_shot = _shot(page, "import-plan")
            page.get_by_role("button", name="Save these changes").click()
            expect(page.get_by_text(done).first).to_be_visible()
            _settle(page)
        browser.close()
    _publish(plan_shot, "import-plan.png")
