"""Assess: a submit that overtakes a save (another tab or person) is reported, in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from assessment import service
from tests.ui.conftest import Env, open_page, switch_language, texts


@pytest.mark.parametrize(("lang", "expected"), [("en", "became submitted"), ("fr", "est devenue soumise")])
def test_a_submit_during_a_save_is_shown_and_nothing_saved(env: Env, lang: str, expected: str) -> None:
    assessment_id = env.create()
    at = open_page(env.app(assessment_id), "assess")
    if lang != "en":
        switch_language(at, lang)
    fired: list[str] = []

    def submit_first(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The save has checked the draft; another session submits before its first write.
        if not fired and statement.lstrip().upper().startswith("UPDATE ASSESSMENT"):
            fired.append(statement)
            with env.session() as s:
                service.submit_assessment(s, assessment_id=assessment_id, actor="other")

    event.listen(Engine, "before_cursor_execute", submit_first)
    try:
        at.radio(key="q.pol_framework.value").set_value("adopted").run()
    finally:
        event.remove(Engine, "before_cursor_execute", submit_first)
    assert fired and not at.exception
    assert env.saved(assessment_id, "pol_framework") is None
    assert expected in texts(at)
