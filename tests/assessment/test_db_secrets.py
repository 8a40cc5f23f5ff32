"""Secrets never shown or logged (issue 10, point 8): malformed URLs, secret parameters, SQL values."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from assessment import db
from assessment.logs import configure_logging
from assessment.models import AnswerRecord


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql//user:pass@db/x", "postgresql//user:***@db/x"),  # malformed: no "://"
        ("postgresql:/user:pass@db/x", "postgresql:***@db/x"),  # more hidden than needed: fine
        ("user:pass@db", "user:***@db"),
        ("postgresql://u:p@ss@h/d", "postgresql://u:***@h/d"),  # a password holding "@"
        ("postgresql+psycopg://u:pw@h/d?sslpassword=zz&sslmode=require",
         "postgresql+psycopg://u:***@h/d?sslmode=require&sslpassword=***"),
        ("postgresql+psycopg://u@h/d?password=zz", "postgresql+psycopg://u@h/d?password=***"),
        ("postgresql+psycopg://u@h/d?sslmode=require", "postgresql+psycopg://u@h/d?sslmode=require"),
    ],
)
def test_redact_url_hides_passwords_of_malformed_urls_and_secret_parameters(url: str, expected: str) -> None:
    assert db.redact_url(url) == expected


@pytest.mark.parametrize(
    "url", ["postgresql//user:pass@db/x", "postgresql+psycopg://u:pass@127.0.0.1:1/d?sslpassword=pass2"]
)
def test_a_bad_database_url_is_reported_without_its_secrets(url: str) -> None:
    with pytest.raises(db.DatabaseUnavailable) as info:
        db.connect(url)
    message = str(info.value)
    assert "pass" not in message.replace("password", "").replace("sslpassword", "")
    assert "***" in message


def test_failing_statements_show_the_sql_but_not_the_values(
    db_engine: Engine, draft: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "Minister's private phone 555-0199"
    with Session(db_engine) as s:
        s.add(AnswerRecord(assessment_id=draft, question_id="pol_city", comment=secret))
        s.commit()
        s.add(AnswerRecord(assessment_id=draft, question_id="pol_city", comment=secret))
        with pytest.raises(IntegrityError) as info:
            s.commit()
    assert "INSERT INTO answer" in str(info.value)
    assert secret not in str(info.value)
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path))
    for handler in list(logging.getLogger("iotready").handlers):  # a fresh handler on this test's folder
        if getattr(handler, "_iotready", False):
            logging.getLogger("iotready").removeHandler(handler)
    path = configure_logging()
    assert path is not None
    logging.getLogger("iotready.test").error("failed", exc_info=info.value)
    for handler in logging.getLogger("iotready").handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert "IntegrityError" in logged and secret not in logged
