"""The server's warm-up (ui/warm.py): it fills what the first visitor would wait for, and never holds the start."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import delete, func, select

from answers.document import Answer
from assessment import service
from assessment.models import SCORE_TABLE
from tests.ui.conftest import ROOT, Env
from ui import home_data, page_address, serve, warm


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    st.cache_resource.clear()
    monkeypatch.delenv("IOTREADY_MULTI_USER", raising=False)


def _scores(env: Env) -> int:
    with env.session() as s:
        return int(s.execute(select(func.count()).select_from(SCORE_TABLE)).scalar_one())


def test_the_warm_up_stores_the_missing_scores(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")  # no per-user cache is filled, so only the scores step writes
    aid = env.create("KEN")
    env.answer(aid, "pol_framework", Answer(value="adopted"))
    env.create("RWA")
    with env.session() as s:
        s.execute(delete(SCORE_TABLE))  # as after an upgrade that changed how scores are stored
        s.commit()
    assert _scores(env) == 0
    assert warm.warm() == ["imports", "database", "scores", "pictures"]
    assert _scores(env) == 2


def test_after_the_warm_up_the_home_list_is_served_from_the_cache(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    env.create("KEN")
    assert warm.warm() == ["imports", "database", "scores", "datasets", "pictures"]
    calls: list[object] = []
    real = service.list_assessments

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "list_assessments", counted)
    assert [a.country for a in home_data.assessments()] == ["KEN"]
    assert calls == []


def test_a_failing_warm_up_is_logged_and_never_raises(env: Env, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    assert warm.warm() == ["imports"]
    assert "warm-up stopped after ['imports']" in caplog.text


def test_the_warm_up_decodes_compares_world_outline(env: Env) -> None:
    """Compare's first screen is a map drawn on the server: its outline is decoded before the first visitor."""
    from ui import compare_static

    compare_static.country_paths.cache_clear()
    warm.warm()
    assert compare_static.country_paths.cache_info().currsize == 1


def test_the_launcher_starts_the_server_without_waiting_for_the_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    started: list[str] = []

    def slow_warm(after_imports: Callable[[], None] | None = None) -> None:
        started.append("warm")
        release.wait(10)
        if after_imports is not None:
            after_imports()

    def server() -> int:
        started.append("server")
        return 0

    monkeypatch.setattr(warm, "warm", slow_warm)
    monkeypatch.setattr(warm, "_settle", lambda: None)  # no freezing of the test process's objects
    monkeypatch.setattr("streamlit.web.cli.main", server)
    monkeypatch.setattr(page_address, "install", lambda _paths: True)  # Streamlit's handler left as shipped here
    try:
        assert serve.main(["--server.address", "127.0.0.1"]) == 0
        assert "server" in started  # the server ran while the warm-up was still blocked
        assert "warm" in started
    finally:
        release.set()
        for thread in threading.enumerate():
            if thread.name == "iotready-warm":
                thread.join(10)
        assert gc.isenabled()  # the collector is back once the warm-up is over


def test_the_collector_is_paused_during_the_imports_and_back_after_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The imports run with the collector paused (their objects all live on); it is back for the steps that follow,
    and back even when an import fails."""
    seen: list[tuple[str, bool]] = []

    def importing(name: str) -> None:
        seen.append((name, gc.isenabled()))
        if name == "ui.views.exchange":
            raise ImportError("broken")

    monkeypatch.setattr(warm.importlib, "import_module", importing)
    monkeypatch.setattr(warm, "_settle", lambda: seen.append(("settled", gc.isenabled())))
    warm.start().join(30)
    assert seen[0] == ("ui.views.home", False)
    assert seen[-1] == ("settled", True)
    assert gc.isenabled()


def test_the_warm_up_draws_a_first_picture(env: Env) -> None:
    """matplotlib's first drawing of a process (fonts, text layout) is not for the first Results visitor."""
    from ui import static_charts

    static_charts._bars.cache_clear()
    static_charts._coverage_svg.cache_clear()
    assert "pictures" in warm.warm()
    assert static_charts._bars.cache_info().currsize == 1
    assert static_charts._coverage_svg.cache_info().currsize == 1


def test_once_warm_the_server_keeps_its_long_lived_objects_out_of_collections(tmp_path: Path) -> None:
    """Streamlit collects garbage after every page (``runner.postScriptGC``); walking the imports' objects took
    130 ms each time. After the warm-up they sit in the permanent generation, which collections skip. Checked in
    a process of its own (freezing is for the whole process)."""
    code = (
        "import gc\n"
        "from ui import warm\n"
        "warm.warm = lambda after_imports=None: []\n"  # the steps are tested above; here what follows them
        "gc.collect()\n"
        "before, alive = gc.get_freeze_count(), len(gc.get_objects())\n"
        "warm.start().join(30)\n"
        "print(before, gc.get_freeze_count() >= 0.9 * alive, gc.isenabled())\n"  # (give or take a few)
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "IOTREADY_LOG_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0", "True", "True"], out.stderr[-2000:]
