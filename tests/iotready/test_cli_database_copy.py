"""Backup and move (issue 23, point 3): SQLite -> PostgreSQL with everything, and the exports equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from assessment import db, users
from tests.iotready.test_cli import run
from tests.iotready.test_cli_exchange import MINI, _fill


def _rows(url: str, table: str) -> list[dict]:
    engine = db.connect(url)
    t = SQLModel.metadata.tables[table]
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns)).mappings()]
    engine.dispose()
    return rows


def _source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    _fill(url)
    engine = db.connect(url)
    with Session(engine) as s:
        users.invite(s, email="focal@example.org", role="focal_point", country="SEN", name="Awa")
        users.invite(s, email="adviser@example.org", role="adviser")
    engine.dispose()
    return url


def test_copy_moves_assessments_users_grants_and_audit_trail_and_the_exports_are_equal(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _source(tmp_path)
    monkeypatch.setenv("DATABASE_URL", source)
    code, _out, err = run(monkeypatch, capsys, "database", "copy", "--to", db_url)
    assert code == 0, err
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run(monkeypatch, capsys, "export", "-f", "json", "--include-drafts", "-o", str(first), "-q", MINI)[0] == 0
    monkeypatch.setenv("DATABASE_URL", db_url)  # SQLite, and PostgreSQL (its own schema) when configured
    assert run(monkeypatch, capsys, "export", "-f", "json", "--include-drafts", "-o", str(second), "-q", MINI)[0] == 0
    assert second.read_bytes() == first.read_bytes()
    for table in ("app_user", "user_grant", "change_log", "answer", "assessment"):
        assert _rows(db_url, table) == _rows(source, table), table
    copied = _rows(db_url, "audit_event")
    assert copied[:-2] == _rows(source, "audit_event")[:-1]  # the source's export was audited after the copy
    assert copied[-2]["event"] == "copy"


def test_copy_refuses_a_target_that_holds_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _source(tmp_path)
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    _fill(target)
    before = _rows(target, "assessment")
    monkeypatch.setenv("DATABASE_URL", source)
    code, _, err = run(monkeypatch, capsys, "database", "copy", "--to", target)
    assert code == 2 and "already holds data" in err
    assert _rows(target, "assessment") == before and _rows(target, "app_user") == []


def test_copy_is_for_administrators_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _source(tmp_path)
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", source)
    code, _, err = run(monkeypatch, capsys, "--as", "adviser@example.org", "database", "copy", "--to", target)
    assert code == 2 and "you do not have access to this" in err, err
    assert _rows(target, "app_user") == []
