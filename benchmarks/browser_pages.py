"""Pages as a reader waits for them: each page loaded afresh in Chromium, against a bare Streamlit page.

`python -m benchmarks.browser_pages [ROUNDS] [--postgresql] [--full] [--pages Results,Compare | --pillars]` serves
the app (the illustrative demo data on SQLite; on PostgreSQL with ``--postgresql``, in schema
``bench_browser_demo`` of ``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL``; 194 Member States × 10 cycles with
``--full``, cached by ``benchmarks.scale``; or, with no flag, the database ``BENCH_DATABASE_URL`` names as it is)
and a bare page (a title and a line) side by side, then loads every page in a new browser context, interleaved
with the bare page, `ROUNDS` times (default 5). For each page it prints the median time to the **first screen**
(the page's first heading, metric or chart: what the reader looks at first), to the **whole page** drawn (the
script finished, no skeleton left), and both as ratios against the bare page measured in the same rounds, with
the number of messages the server sent over the WebSocket for the page (each ``st.*`` call is one, sent one by
one: the page's own cost in the browser grows with it).

``--pages`` loads only the pages named (comma-separated), in fewer minutes. ``--pillars`` loads Assess instead,
once per pillar of the questionnaire, as a reader sees it (the most complete assessment, handed in) and as an
editor does (the most complete draft): the same questions either way, so a pillar's two rows differ only by the
editor's controls, and the pillars by their number of questions. (The plain Assess rows open each assessment
where its reader lands: a complete assessment on its first pillar, a draft on its first pillar with questions
left, so they show different pillars.)

Before all that, the app's first visitor after a start against the next one: the browser loads the bare page
first (so its own first start is not counted), then the app is started and Results loaded as soon as it answers
its health check, then again. A benchmark, not a test: nothing here asserts a time.

Needs Debian's chromium (`/usr/bin/chromium`) and the playwright wheel (a dev dependency).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-gpu"]
BARE = 'import streamlit as st\n\nst.title("IoT Readiness")\nst.write("A bare page: a title and a line.")\n'
SETTLED = ("document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state') === "
           "'notRunning' && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0")
# What the reader must see on each page's first screen (all of the selectors present ends "first screen").
FIRST: dict[str, tuple[str, ...]] = {
    "Home": ("h1", "table.iot-table, [data-testid='stDataFrame']"),  # the list: a plain table (or, before, a grid)
    "Assess": ("h1", "[data-testid='stExpander'], [data-testid='stRadio'], [data-testid='stSelectbox']"),
    "Assess (draft)": ("h1", "[data-testid='stExpander'], [data-testid='stRadio'], [data-testid='stSelectbox']"),
    # The score (a plain block since issue 26, a metric before) and the first picture (an <img> in the page's HTML
    # since 7 December 2026, an image element before).
    "Results": ("dl.iot-headline, [data-testid='stMetric']", "img.iot-picture, [data-testid='stImage'] img"),
    # The map and its table (a plain table since issue 26, a data grid before).
    "Compare": ("h1", "img.iot-picture, [data-testid='stImage'] img", "table.iot-table, [data-testid='stDataFrame']"),
    "Methodology": ("h1",),
    "bare": ("h1",),
}


@dataclass(frozen=True)
class Timing:
    first: float
    whole: float
    messages: int = 0  # WebSocket messages the server sent for the page, up to the whole page drawn


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(script: Path | None, env: dict[str, str], log: Path, *, port: int | None = None,
           extra: Sequence[str] = ()) -> Iterator[str]:
    """The app as ``make run`` starts it (``python -m ui.serve``, which warms it), or ``streamlit run script``."""
    port = port or _free_port()
    out = log.open("w")
    launcher = ["ui.serve"] if script is None else ["streamlit", "run", str(script)]
    proc = subprocess.Popen(
        [sys.executable, "-m", *launcher, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--global.developmentMode", "false",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *extra],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"streamlit did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


def _all_present(selectors: tuple[str, ...]) -> str:
    return " && ".join(f"document.querySelector({s!r}) !== null" for s in selectors)


TIMEOUT_MS = 120_000


def _load(browser: object, url: str, wanted: tuple[str, ...]) -> Timing | None:
    """Open ``url`` in a fresh context (no cache, a new session) and time the first screen and the whole page;
    None (and what the page showed) when it was not drawn within :data:`TIMEOUT_MS`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _payload: received.append(1)))
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(_all_present(wanted), timeout=TIMEOUT_MS)
        first = time.perf_counter() - start
        page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
        whole = time.perf_counter() - start
        return Timing(first, whole, len(received))
    except PlaywrightTimeout:
        shown = " ".join(page.inner_text("body").split())[:300]
        print(f"  not drawn within {TIMEOUT_MS // 1000} s: {url} (waiting for {wanted}); it showed: {shown}",
              flush=True)
        return None
    finally:
        context.close()


def _pg_schema_url(base: str, schema: str) -> str:
    """``base`` (a PostgreSQL URL) with ``schema`` created and first on its search path."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from assessment import db

    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    return make_url(db.normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


def _database(tmp: Path, *, full: bool, postgresql: bool) -> tuple[str, str, str]:
    """The database to serve, the most complete assessment's id and the most complete draft's (which the reader
    may change: Assess draws its answer widgets; the most complete assessment is handed in, so read-only).

    Without flags: the demo data in a new SQLite file, or the database ``BENCH_DATABASE_URL`` names (as it is).
    ``--postgresql``: on the server of ``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL``, in a schema of its own
    (``bench_browser_demo``, the demo loaded once; or ``bench_browser`` with ``--full``). ``--full``: 194 Member
    States × 10 cycles, written once and cached by :func:`benchmarks.scale.database` (name ``browser``).
    """
    from sqlmodel import Session

    from assessment import db, demo, service
    from assessment.filters import AssessmentFilter
    from questionnaires import default_questionnaire

    questionnaire = default_questionnaire()
    load = False
    if full:
        from benchmarks import scale

        found = scale.database("postgresql" if postgresql else "sqlite", questionnaire, name="browser")
        if found is None:
            raise SystemExit("--postgresql needs BENCH_DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server)")
        url = found
    elif postgresql:
        base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
        if not base:
            raise SystemExit("--postgresql needs BENCH_DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server)")
        url, load = _pg_schema_url(base, "bench_browser_demo"), True
    else:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
        load = not os.environ.get("BENCH_DATABASE_URL")
    with Session(db.connect(url)) as s:
        rows = service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire))
        if load and not rows:
            demo.load_demo(s, questionnaire)
            rows = service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire))
    best = max(rows, key=lambda r: (r.completeness or 0, r.cycle))
    drafts = [r for r in rows if r.status == "draft"] or rows
    draft = max(drafts, key=lambda r: (r.completeness or 0, r.cycle))
    return url, best.id, draft.id


def _pillar_pages(reader_id: str, editor_id: str) -> dict[str, str]:
    """Assess on each pillar, as a reader and as an editor: "3. ipv6 (5 q.), editor" -> its address."""
    from questionnaires import default_questionnaire

    questionnaire = default_questionnaire()
    pages: dict[str, str] = {}
    for n, pillar in enumerate(questionnaire.pillars, start=1):
        size = len(questionnaire.form_questions_in(pillar.id))
        for who, aid in (("reader", reader_id), ("editor", editor_id)):
            pages[f"{n}. {pillar.id[:14]} ({size} q.), {who}"] = f"/assess?assessment={aid}&pillar={pillar.id}"
    return pages


def _rounds(browser: object, app: str, floor: str, pages: dict[str, str], rounds: int
            ) -> tuple[dict[str, tuple[list[Timing], list[Timing]]], dict[str, int]]:
    """Each page then the bare page, ``rounds`` times: the timings kept in pairs, and how many pairs failed."""
    results: dict[str, tuple[list[Timing], list[Timing]]] = {k: ([], []) for k in pages}
    failed: dict[str, int] = dict.fromkeys(pages, 0)
    for _ in range(rounds):
        for label, path in pages.items():
            wanted = FIRST.get(label, FIRST["Assess"])  # a pillar's row (--pillars) waits as Assess does
            mine, floor_t = _load(browser, app + path, wanted), _load(browser, floor, FIRST["bare"])
            if mine is None or floor_t is None:  # a pair is kept whole, or not at all
                failed[label] += 1
                continue
            results[label][0].append(mine)
            results[label][1].append(floor_t)
    return results, failed


def main(rounds: int | None = None) -> None:
    from playwright.sync_api import sync_playwright

    args = sys.argv[1:]
    numbers = [a for a in args if a.isdigit()]
    rounds = rounds or (int(numbers[0]) if numbers else 5)
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is missing (apt-get install chromium)")
        return
    full, postgresql = "--full" in args, "--postgresql" in args
    only = args[args.index("--pages") + 1].split(",") if "--pages" in args[:-1] else None
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="iotready-browser-bench-") as name:
        tmp = Path(name)
        url, aid, draft_id = _database(tmp, full=full, postgresql=postgresql)
        bare = tmp / "bare.py"
        bare.write_text(BARE)
        env = {**os.environ, "DATABASE_URL": url, "IOTREADY_LOG_DIR": str(tmp / "logs")}
        env.pop("IOTREADY_MULTI_USER", None)
        pages = {
            # The default page's address is "/": "/home" names no page, and Streamlit drew its "Page not found"
            # dialog over Home in every round until 7 December 2026 (issue 26).
            "Home": "/",
            "Assess": f"/assess?assessment={aid}",  # handed in: read-only
            "Assess (draft)": f"/assess?assessment={draft_id}",  # answer widgets, flags, evidence sections
            "Results": f"/results?assessment={aid}",
            "Compare": "/compare",
            "Methodology": "/methodology",
        }
        if "--pillars" in args:
            pages = _pillar_pages(aid, draft_id)
        if only:
            unknown = set(only) - set(pages)
            if unknown:
                raise SystemExit(f"--pages: no page {', '.join(sorted(unknown))} (pages: {', '.join(pages)})")
            pages = {k: v for k, v in pages.items() if k in only}
        with _serve(bare, env, tmp / "bare.log") as floor, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The browser's own first start (its caches, its processes) is not the server's: it loads the bare page
            # twice before the app is started (7 December 2026; before, the app's first visitor was also the
            # browser's first page).
            for _ in range(2):
                _load(browser, floor, FIRST["bare"])
            with _serve(None, env, tmp / "app.log") as app:
                # The server's first visitor, as soon as it answers its health check; then the next one.
                results_path = f"/results?assessment={aid}"
                cold_t = _load(browser, app + results_path, FIRST["Results"])
                second_t = _load(browser, app + results_path, FIRST["Results"])
                cold = cold_t.whole if cold_t else float("nan")
                second = second_t.whole if second_t else float("nan")
                _load(browser, floor, FIRST["bare"])
                results, failed = _rounds(browser, app, floor, pages, rounds)
            browser.close()
    given = os.environ.get("BENCH_DATABASE_URL") and not postgresql
    data = "194 × 10" if full else "given data" if given else "demo data"
    print(f"browser pages, {rounds} rounds each, interleaved with the bare page ({data}, {url.split(':')[0]}), "
          f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f} (1 minute, before → after)")
    print(f"Results for the first visitor after a start: {cold:.2f} s; for the next one: {second:.2f} s")
    width = max([15, *(len(k) + 1 for k in results)])
    print(f"{'page':<{width}}{'first screen':>14}{'bare':>8}{'ratio':>8}{'whole page':>12}{'bare':>8}{'ratio':>8}"
          f"{'messages':>10}")
    for label, (app_t, bare_t) in results.items():
        if failed[label]:
            print(f"{label}: {failed[label]} of {rounds} rounds not drawn within {TIMEOUT_MS // 1000} s")
        if not app_t:
            continue
        af, bf = statistics.median(t.first for t in app_t), statistics.median(t.first for t in bare_t)
        aw, bw = statistics.median(t.whole for t in app_t), statistics.median(t.whole for t in bare_t)
        sent = statistics.median(t.messages for t in app_t)
        print(f"{label:<{width}}{af:>13.2f}s{bf:>7.2f}s{af / bf:>7.2f}×{aw:>11.2f}s{bw:>7.2f}s{aw / bw:>7.2f}×"
              f"{sent:>10.0f}")


if __name__ == "__main__":
    main()
