"""Issue 20, after point 7b: a change the database did not take waits in its box and is saved when the database
answers (``ui.autosave.retry``); opening another assessment meanwhile dropped it (``autosave.load`` emptied the
waiting changes). Now the change is saved first, into the assessment it belongs to; while the database still
refuses it, the other assessment is not opened and the reader is told why, in their language.

The refusal is produced for real with SQLite's full disk (reads work, writes fail), as in ``test_disk_full``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.pool import Pool

from tests.ui.conftest import Env, full_disk, open_more, switch_language, texts
from tests.ui.test_assess import assess

COMMENT = "Vérifié auprès du ministère. " * 320  # long enough to need a new page of the database


@contextmanager
def _room() -> Iterator[None]:
    """Pooled connections keep their limit: lift it on every checkout until the block ends."""
    def _lift(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA max_page_count = 1073741823")

    event.listen(Pool, "checkout", _lift)
    try:
        yield
    finally:
        event.remove(Pool, "checkout", _lift)


def test_a_waiting_change_is_kept_when_another_assessment_is_opened_then_saved_into_its_own(env: Env) -> None:
    ken = env.create("KEN")
    rwa = env.create("RWA")
    at = assess(env, ken)
    switch_language(at, "fr")
    with full_disk():
        open_more(at, "pol_framework").text_area(key="q.pol_framework.comment").input(COMMENT).run()
        assert "Le disque du serveur est plein" in texts(at)

        # Home, open Rwanda while Kenya's comment still cannot be written: refused in words, the change kept.
        at.switch_page("ui/pages/home.py").run()
        at.selectbox(key="home.pick").select(rwa).run()
        at.button(key="home.open").click().run()
        assert not at.exception
        shown = texts(at)
        assert "Vos modifications de Kenya 2026 ne sont pas encore enregistrées" in shown, shown
        assert "Un problème est survenu" not in shown
        assert at.session_state["assess.failed"], "the waiting change was dropped"
        assert at.query_params.get("assessment") != rwa

    # Room again: opening Rwanda first saves the comment into Kenya's assessment, then opens Rwanda.
    with _room():
        at.selectbox(key="home.pick").select(rwa).run()
        at.button(key="home.open").click().run()
    assert not at.exception
    saved = env.saved(ken, "pol_framework")
    assert saved is not None and saved.comment is not None and saved.comment.strip() == COMMENT.strip()
    assert env.saved(rwa, "pol_framework") is None
    assert at.title[0].value == "Rwanda 2026"
