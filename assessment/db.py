"""Where the assessments live: the database URL, the Engine, and schema migrations at start.

Single-user installs get a SQLite file in the per-user data folder (never inside the package, which
may be read-only or replaced on upgrade); shared installs set ``DATABASE_URL`` to PostgreSQL. The
schema is created and upgraded by alembic every time the app connects, so an upgrade needs no
manual step.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from answers.document import Reason, reason

if TYPE_CHECKING:
    from alembic.config import Config

APP_NAME = "iotready"
URL_ENV = "DATABASE_URL"
DATA_DIR_ENV = "IOTREADY_DATA_DIR"
DB_FILENAME = "iotready.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 197_197_197  # PostgreSQL advisory lock key: any constant shared by every process of this app
_MIGRATION_THREAD_LOCK = threading.Lock()
_SQLITE_MIGRATION_ATTEMPTS = 5


class DatabaseUnavailable(Exception):
    """The database cannot be reached or prepared; the message says which one and what to do.

    ``str()`` is English (logs); :meth:`text` gives the reader's language, for the command line.
    """

    def __init__(self, why: Reason) -> None:
        self.reason = why
        super().__init__(str(why))

    def text(self, lang: str = "en") -> str:
        return self.reason.text(lang)


def data_dir() -> Path:
    """The folder for the default SQLite file: ``IOTREADY_DATA_DIR`` or the per-user data folder."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))


def default_sqlite_url() -> str:
    """The per-user SQLite URL; creates its folder so the first start just works."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / DB_FILENAME).resolve().as_posix()}"


def database_url() -> str:
    """``DATABASE_URL`` when set, else the per-user SQLite file."""
    url = os.environ.get(URL_ENV, "").strip()
    return normalise_url(url) if url else default_sqlite_url()


def normalise_url(url: str) -> str:
    """Map the PostgreSQL spellings people paste (``postgres://``, ``postgresql://``) to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# "user:password@" wherever it appears (also in a malformed URL such as ``postgresql//u:p@db/x``): the
# password runs to the last "@" before a space, so a password holding "@" is hidden whole.
_USERINFO = re.compile(r"(?P<user>[^:/@\s?#'\"]*):(?!//)(?P<password>\S*)@")
# Query parameters that carry secrets: password, sslpassword, passfile, token, secret, sslkey...
_SECRET_PARAM = re.compile(r"(?P<name>[?&][^=&#\s]*(?:pass|pwd|secret|token|key)[^=&#\s]*=)[^&#\s'\"]*", re.I)


def redact_text(text: str) -> str:
    """``text`` (a URL, or a message that may quote one) with every password and secret parameter as ``***``."""
    text = _USERINFO.sub(lambda m: f"{m['user']}:***@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m['name']}***", text)


def redact_url(url: str) -> str:
    """The URL with its password and secret query parameters replaced by ``***``, safe to show and log.

    Malformed URLs too (they are shown in the error that says they are malformed).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return redact_text(url)
    return redact_text(parsed.render_as_string(hide_password=True))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer writes; busy_timeout waits for the lock instead of failing.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Switching a new file to WAL needs a moment alone and does not wait on busy_timeout: retry.
        for attempt in range(50):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
    finally:
        cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An Engine for ``url`` (default :func:`database_url`), with the settings each backend needs."""
    url = normalise_url(url or database_url())
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise ArgumentError(f"not a database URL: {redact_url(url)}") from None
    # hide_parameters: a failing statement's message (and so a logged traceback) shows the SQL, never the
    # values bound to it, which are users' answers and comments.
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10}, hide_parameters=True)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def alembic_config() -> Config:
    """The alembic configuration, built in code so no ``alembic.ini`` is needed."""
    from alembic.config import Config  # alembic (~0.3 s to import) only when a schema is checked

    # The stream is named at each call: alembic's default is the sys.stdout of the moment alembic.config was first
    # imported, which a test runner's capture may have closed since (a forced downgrade's notice then fails).
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema to the latest migration (a no-op when already current).

    Safe when several threads or processes start at once: alembic's ``context``/``op`` are
    process-global, so one thread migrates at a time; PostgreSQL replicas queue on an advisory lock;
    SQLite runs DDL outside transactions, so a process that lost the race retries and finds it done.
    """
    with _MIGRATION_THREAD_LOCK:
        for attempt in range(1, _SQLITE_MIGRATION_ATTEMPTS + 1):
            try:
                _upgrade(engine)
                return
            except (OperationalError, IntegrityError):
                if engine.dialect.name != "sqlite" or attempt == _SQLITE_MIGRATION_ATTEMPTS:
                    raise
                time.sleep(0.2 * attempt)


def _upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Alembic alters a SQLite table by rebuilding it (copy, drop, rename): with foreign keys on,
            # dropping the old assessment table would cascade-delete every answer and change-log row (0002
            # did exactly that). Off for the migration, on again after; a PRAGMA outside any transaction
            # (pysqlite has begun none yet), since SQLite ignores this one inside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is the disk or the database being full.

    SQLite says SQLITE_FULL ("database or disk is full") and rolls the transaction back, so nothing was
    written: the reader is told the disk is full, not "something went wrong". PostgreSQL says
    ``disk_full`` (SQLSTATE 53100); the system says ENOSPC.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlite_errorcode", None) == 13 or getattr(current, "sqlstate", None) == "53100":
            return True
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if "database or disk is full" in str(current):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def connect(url: str | None = None) -> Engine:
    """Make the Engine, check the database answers, and migrate it; :class:`DatabaseUnavailable` if not."""
    url = normalise_url(url or database_url())
    shown = redact_url(url)
    try:
        _ensure_sqlite_folder(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver or OS error: the user needs the same advice
        raise DatabaseUnavailable(reason(
            "db_unreachable", url=shown, error=f"{type(exc).__name__}: {_first_line(exc, url)}", env=URL_ENV
        )) from exc
    try:
        init_db(engine)
    except Exception as exc:
        engine.dispose()
        raise DatabaseUnavailable(reason(
            "db_unprepared", url=shown, error=f"{type(exc).__name__}: {_first_line(exc, url)}"
        )) from exc
    return engine


def _first_line(exc: BaseException, url: str) -> str:
    # Driver messages can run to many lines and might echo the DSN: keep the first, without any secret.
    lines = str(exc).strip().splitlines()
    line = lines[0] if lines else "no detail"
    try:
        password = make_url(url).password
    except ArgumentError:
        password = None
    line = line.replace(url, redact_url(url))
    if password:
        line = line.replace(str(password), "***")
    return redact_text(line)
