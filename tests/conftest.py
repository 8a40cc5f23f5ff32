"""Shared fixtures: the mini questionnaire, and databases (SQLite always, PostgreSQL when configured).

Every test gets a fresh database: a SQLite file under ``tmp_path``, or, when ``TEST_DATABASE_URL``
names a PostgreSQL server, a schema of its own (dropped afterwards) selected through ``search_path``.
No test ever touches the real per-user data folder: ``IOTREADY_DATA_DIR`` points at a temporary one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from assessment import db
from questionnaires import Questionnaire, load_questionnaire

# pytest-xdist workers start with COLUMNS=80 and LINES=24 in their environment, and rich's consoles (the CLI's are
# made at import) would freeze that width; without them the width is read when printing, as a test sets it.
for _var in ("COLUMNS", "LINES"):
    os.environ.pop(_var, None)

ROOT = Path(__file__).resolve().parents[1]
MINI_DIR = ROOT / "tests" / "fixtures" / "mini"
PG_ENV = "TEST_DATABASE_URL"


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep tests away from the user's real database folder (unless a test run chose one)."""
    with pytest.MonkeyPatch.context() as mp:
        if not os.environ.get(db.DATA_DIR_ENV):
            mp.setenv(db.DATA_DIR_ENV, str(tmp_path_factory.mktemp("iotready-data")))
        yield


@pytest.fixture(autouse=True)
def _no_command_line_identity_left() -> Iterator[None]:
    """A test that ran a command with ``--as`` (through ``main`` or typer's runner) leaves no identity behind.

    ``assessment.audit.ACTING_VIA`` marks every event of a command-line run as "via the command line, run by
    this system user"; a test process runs many commands and then service calls in turn, so it is reset after
    each test (``iotready.cli.main`` resets it too; a runner calling the typer app directly does not).
    """
    yield
    import sys

    audit = sys.modules.get("assessment.audit")
    if audit is not None:
        audit.ACTING_VIA.set(None)


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    """The small 2-pillar, 5-question fixture questionnaire."""
    return load_questionnaire(MINI_DIR)


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(db.normalise_url(base))
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'test.sqlite3').as_posix()}"
        return
    base = os.environ.get(PG_ENV, "").strip()
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = db.make_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A migrated Engine on a fresh database (SQLite, and PostgreSQL when ``TEST_DATABASE_URL`` is set)."""
    engine = db.connect(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        yield s


@pytest.fixture
def draft(session: Session, mini: Questionnaire) -> str:
    """The id of a fresh draft assessment (Kenya, 2025) on the mini questionnaire, made by the service."""
    from assessment import service

    return service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini).id
