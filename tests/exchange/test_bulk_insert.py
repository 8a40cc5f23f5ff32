"""exchange.bulk.insert_rows stores exactly what SQLAlchemy's own multi-row INSERT stores.

It converts each value with the column type's own bind processor once per distinct object and hands the driver
tuples: the database must not be able to tell (timestamps, JSON values of every shape, NULLs).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session

from assessment.models import ASSESSMENT_TABLE, CHANGE_LOG_TABLE
from exchange.bulk import insert_rows

NOW = datetime(2026, 12, 7, 13, 5, 42, 123456, tzinfo=UTC)
LATER = datetime(2026, 12, 7, 16, 5, 43, tzinfo=timezone(timedelta(hours=3)))  # another zone: stored in UTC


def _log_rows(aid: str) -> list[dict[str, Any]]:
    values: list[Any] = [None, False, True, "adopted", ["licensing", "spectrum"], {"ipv6": 60.0}, 40.0, 7, []]
    rows = []
    for i, value in enumerate(values):
        rows.append({"assessment_id": aid, "question_id": None if i % 3 == 0 else f"q{i}", "field": "value",
                     "old": values[-1 - i], "new": value, "at": LATER if i in (3, 5) else NOW, "by": "imp"})
    return rows


def _stored(engine: Engine, write: Any) -> list[tuple[Any, ...]]:
    aid = "a" * 32
    with Session(engine) as s:
        s.execute(insert(ASSESSMENT_TABLE), [{
            "id": aid, "country": "KEN", "cycle": 2025, "questionnaire_id": "q", "questionnaire_version": "1",
            "questionnaire_hash": None, "illustrative": False, "status": "draft", "targets": {}, "created_at": NOW,
            "updated_at": NOW, "created_by": "imp", "updated_by": "imp", "version": 1, "deleted_at": None,
            "deleted_by": None}])
        write(s, _log_rows(aid))
        rows = s.connection().exec_driver_sql(
            "SELECT question_id, field, old, new, at, by FROM change_log ORDER BY id").all()
        s.rollback()
    return [tuple(r) for r in rows]


def test_insert_rows_stores_the_values_sqlalchemy_stores_timestamps_json_and_nulls(db_engine: Engine) -> None:
    by_sqlalchemy = _stored(db_engine, lambda s, rows: s.execute(insert(CHANGE_LOG_TABLE), rows))
    by_insert_rows = _stored(db_engine, lambda s, rows: insert_rows(s, CHANGE_LOG_TABLE, rows))
    assert len(by_insert_rows) == 9
    assert by_insert_rows == by_sqlalchemy
