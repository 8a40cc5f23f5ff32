"""The database door: URLs, engine settings, migrations at start, and a clear error when unreachable."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import platformdirs
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import assessment
from assessment import db, service
from questionnaires import Questionnaire

PACKAGE_ROOT = Path(assessment.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://user:s3cret@db.example:5432/iot", "postgresql+psycopg://user:***@db.example:5432/iot"),
        ("postgres://user:p%40ss@host/iot", "postgres://user:***@host/iot"),
        ("postgresql://user@host/iot", "postgresql://user@host/iot"),
        ("sqlite:////var/lib/iotready/x.sqlite3", "sqlite:////var/lib/iotready/x.sqlite3"),
    ],
)
def test_redact_url_hides_only_the_password(url: str, expected: str) -> None:
    assert db.redact_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_are_rewritten_to_psycopg(url: str, expected: str) -> None:
    assert db.normalise_url(url) == expected


def test_database_url_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(db.URL_ENV, "postgres://u:pw@h:5432/d")
    assert db.database_url() == "postgresql+psycopg://u:pw@h:5432/d"


def test_default_sqlite_file_is_in_the_user_data_dir_outside_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(db.URL_ENV, raising=False)
    monkeypatch.delenv(db.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    url = db.database_url()
    path = Path(url.removeprefix("sqlite:///"))
    assert path.parent == Path(platformdirs.user_data_dir("iotready")).resolve()
    assert path.parent.is_dir()
    assert not path.is_relative_to(PACKAGE_ROOT)


def test_data_dir_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(db.URL_ENV, raising=False)
    monkeypatch.setenv(db.DATA_DIR_ENV, str(tmp_path / "data"))
    assert db.database_url() == f"sqlite:///{(tmp_path / 'data' / db.DB_FILENAME).as_posix()}"
    assert (tmp_path / "data").is_dir()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_migrations_create_the_schema_at_head(db_engine: Engine) -> None:
    tables = set(inspect(db_engine).get_table_names())
    assert {"assessment", "answer", "change_log", "alembic_version"} <= tables
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    with db_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head


def test_migrations_match_the_models(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_init_db_twice_keeps_the_data(db_engine: Engine, mini: Questionnaire) -> None:
    with Session(db_engine) as s:
        made = service.get_or_create_assessment(s, country="FRA", cycle=2024, questionnaire=mini)
    db.init_db(db_engine)
    with Session(db_engine) as s:
        assert [a.id for a in service.list_assessments(s)] == [made.id]


def test_unreachable_database_names_the_redacted_url() -> None:
    url = "postgresql://iot:topsecret@127.0.0.1:1/iotready"
    with pytest.raises(db.DatabaseUnavailable) as info:
        db.connect(url)
    message = str(info.value)
    assert "postgresql+psycopg://iot:***@127.0.0.1:1/iotready" in message
    assert "topsecret" not in message
    assert db.URL_ENV in message


def test_unwritable_sqlite_location_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(db.DatabaseUnavailable, match="a-file"):
        db.connect(f"sqlite:///{blocker / 'sub' / 'x.sqlite3'}")


def test_connect_creates_the_sqlite_folder(tmp_path: Path) -> None:
    engine = db.connect(f"sqlite:///{tmp_path / 'new' / 'folder' / 'x.sqlite3'}")
    engine.dispose()
    assert (tmp_path / "new" / "folder" / "x.sqlite3").is_file()


def test_concurrent_starts_in_one_process_both_succeed(db_url: str) -> None:
    """Two sessions of the app opening the database at once: one migrates, the other finds it done."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        engines = list(pool.map(db.connect, [db_url, db_url]))
    for engine in engines:
        assert "assessment" in inspect(engine).get_table_names()
        engine.dispose()


def test_concurrent_starts_in_two_processes_both_succeed(db_url: str) -> None:
    """Two app processes (replicas, or the CLI next to the app) starting at once on an empty database."""
    code = "import sys; from assessment import db; db.connect(sys.argv[1]).dispose()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_url], cwd=PACKAGE_ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
