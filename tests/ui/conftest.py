"""AppTest fixtures: each test gets its own SQLite file, log folder and the mini questionnaire."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import db, service
from questionnaires import Questionnaire, load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
MINI = ROOT / "tests" / "fixtures" / "mini"
Q = load_questionnaire(MINI)


@dataclass
class Env:
    """The app's environment for one test, and direct access to its database through the services."""

    url: str
    log_dir: Path
    questionnaire: Questionnaire

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(db.connect(self.url)) as s:
            yield s

    def create(self, country: str = "KEN", cycle: int = 2026, *, illustrative: bool = False) -> str:
        with self.session() as s:
            view = service.get_or_create_assessment(
                s, country=country, cycle=cycle, questionnaire=self.questionnaire, illustrative=illustrative
            )
        return view.id

    def answer(self, assessment_id: str, question_id: str, answer: Answer) -> None:
        with self.session() as s:
            current = service.get_assessment(s, assessment_id)
            service.save_answer(
                s, assessment_id=assessment_id, questionnaire=self.questionnaire, question_id=question_id,
                answer=answer, expected_version=current.versions.get(question_id, 0),
            )

    def saved(self, assessment_id: str, question_id: str) -> Answer | None:
        with self.session() as s:
            return service.get_document(s, assessment_id).answers.get(question_id)

    def app(self, assessment_id: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        if assessment_id is not None:
            at.query_params["assessment"] = assessment_id
        return at


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(MINI))
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path / "logs"))
    return Env(url=url, log_dir=tmp_path / "logs", questionnaire=Q)


def open_page(at: AppTest, page: str) -> AppTest:
    """Run the app once (the router must run before a page switch), then show ``ui/pages/<page>.py``."""
    at.run()
    return at.switch_page(f"ui/pages/{page}.py").run()


def open_section(at: AppTest, key: str) -> AppTest:
    """Open a folded section drawn only while open (``st.expander(key=..., on_change="rerun")``), as a click on
    its header does, and rerun: its content is sent only then (issue 26)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception
    return at


def open_more(at: AppTest, question_id: str) -> AppTest:
    """Open a question's "Evidence and comment" section on Assess (its boxes are sent only while open)."""
    return open_section(at, f"assess.more.{question_id}")


def switch_language(at: AppTest, lang: str) -> AppTest:
    """A click on the sidebar's link to ``lang`` (``ui.nav.language_links``): the page reruns in the same session,
    its address's ``lang=`` changed (as the page script asks Streamlit, see ``ui.browser``)."""
    at.query_params["lang"] = lang
    return at.run()


def language_switch(at: AppTest) -> str:
    """The sidebar's language links as sent (``<nav aria-label=…>`` with one ``<a>`` per offered language)."""
    [nav] = [h.proto.body for h in at.sidebar.get("html") if 'class="iot-languages"' in h.proto.body]
    return str(nav)


def offered_languages(at: AppTest) -> dict[str, str]:
    """Language code -> the name its link shows, as the sidebar's links offer them."""
    return dict(re.findall(r'data-iotready-lang="([^"]+)"[^>]*>([^<]+)</a>', language_switch(at)))


def texts(at: AppTest) -> str:
    """Everything the page shows as text, for "is this shown" assertions."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


@contextmanager
def full_disk() -> Iterator[None]:
    """SQLite's own SQLITE_FULL, for real: every connection checked out may not grow the database by a page
    (``PRAGMA max_page_count`` = its current size), so reads work and a write fails as on a full disk."""
    def _full(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Pool, "checkout", _full)
    try:
        yield
    finally:
        event.remove(Pool, "checkout", _full)
