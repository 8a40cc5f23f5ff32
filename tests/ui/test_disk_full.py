"""A full disk on SQLite (issue 19, point 10): the reader is told the disk is full, in their language.

SQLite's own SQLITE_FULL is produced for real: every connection the app checks out of its pool gets
``PRAGMA max_page_count`` set to the database's current size, so a write that needs one more page fails
exactly as on a full disk ("database or disk is full"), and SQLite rolls the transaction back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.conftest import Env, full_disk, open_more, switch_language, texts
from tests.ui.test_assess import assess


@pytest.fixture
def disk_full() -> Iterator[None]:
    with full_disk():
        yield


def test_a_full_disk_says_the_disk_is_full_in_french_and_saves_nothing(env: Env, request) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    switch_language(at, "fr")
    request.getfixturevalue("disk_full")
    open_more(at, "pol_framework").text_area(key="q.pol_framework.comment").input(
        "Vérifié auprès du ministère. " * 320).run()
    assert not at.exception
    assert "Le disque du serveur est plein" in texts(at)
    assert "Un problème est survenu" not in texts(at) and "injoignable" not in texts(at)
    assert env.saved(assessment_id, "pol_framework") is None
