"""The audit trail is append-only in the database itself (migration 0005), and a downgrade that would lose
accounts, audit events or deleted assessments refuses unless forced (issue 19, point 4).

Raw SQL and Core statements through an ordinary Session, on SQLite and, with ``TEST_DATABASE_URL``,
PostgreSQL; the downgrade through the real ``alembic`` command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from assessment import audit, db, history, review, service, users
from assessment.account_models import AuditEvent
from assessment.migration_guard import FORCE_ENV, DowngradeRefused
from questionnaires import Questionnaire

ROOT = Path(__file__).resolve().parents[2]


def _one_event(session: Session) -> int:
    audit.record(session, actor="admin@itu.example", event="export", detail={"what": "csv"})
    session.commit()
    [event] = audit.events(session)
    session.rollback()  # end the read: on PostgreSQL an open transaction would make TRUNCATE wait on its lock
    return event.id


def _stored(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text('SELECT id, "by", event FROM audit_event ORDER BY id'))]


# --- the triggers -----------------------------------------------------------------------------------------


def test_raw_sql_cannot_rewrite_an_audit_event(session: Session, db_engine: Engine) -> None:
    eid = _one_event(session)
    with db_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("UPDATE audit_event SET \"by\" = 'someone else' WHERE id = :id"), {"id": eid})
    assert _stored(db_engine) == [(eid, "admin@itu.example", "export")]


def test_raw_sql_cannot_delete_an_audit_event(session: Session, db_engine: Engine) -> None:
    eid = _one_event(session)
    with db_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("DELETE FROM audit_event"))
    assert _stored(db_engine) == [(eid, "admin@itu.example", "export")]


def test_a_core_update_through_an_ordinary_session_cannot_rewrite_an_audit_event(session: Session,
                                                                                db_engine: Engine) -> None:
    eid = _one_event(session)
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(update(AuditEvent).values(by="someone else"))
        session.commit()
    session.rollback()
    assert _stored(db_engine) == [(eid, "admin@itu.example", "export")]


def test_a_core_delete_through_an_ordinary_session_cannot_remove_an_audit_event(session: Session,
                                                                               db_engine: Engine) -> None:
    eid = _one_event(session)
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(delete(AuditEvent))
        session.commit()
    session.rollback()
    assert _stored(db_engine) == [(eid, "admin@itu.example", "export")]


def test_truncate_cannot_empty_the_audit_trail_on_postgresql(session: Session, db_engine: Engine) -> None:
    if db_engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    eid = _one_event(session)
    with db_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("TRUNCATE audit_event"))
    assert _stored(db_engine) == [(eid, "admin@itu.example", "export")]


def test_the_app_still_appends_audit_events(session: Session, mini: Questionnaire) -> None:
    aid = service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini).id
    service.submit_assessment(session, assessment_id=aid)
    users.invite(session, email="fp@ken.example", role="focal_point", country="KEN")
    assert {e.event for e in audit.events(session)} == {"status", "invite", "grant"}


# --- downgrades -------------------------------------------------------------------------------------------


def _accounts_and_a_trail(session: Session, mini: Questionnaire) -> dict[str, int]:
    """Two users, a review query and audit events; returns the row counts of the tables a downgrade would drop."""
    users.invite(session, email="fp@ken.example", role="focal_point", country="KEN")
    users.invite(session, email="adviser@itu.example", role="adviser")
    aid = service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini).id
    service.submit_assessment(session, assessment_id=aid)
    service.transition(session, assessment_id=aid, action="review")
    review.add_comment(session, assessment_id=aid, question_id="v6_users", body="Source?")
    return _counts(session.get_bind())  # type: ignore[arg-type]


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in ("app_user", "user_grant", "review_comment", "audit_event", "assessment")}


def _head() -> str:
    """The newest migration (later ones, such as 0006's evidence tables, sit above the triggers of 0005)."""
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(db.alembic_config()).get_current_head())


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _alembic(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``alembic`` command (this worktree's migrations), with an ini naming the test database."""
    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\nscript_location = {}\nsqlalchemy.url = {}\n".format(
        (ROOT / "assessment" / "migrations").as_posix(), url.replace("%", "%%")), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != FORCE_ENV}
    return subprocess.run([sys.executable, "-m", "alembic", "-c", str(ini), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_alembic_downgrade_refuses_to_drop_accounts_and_the_audit_trail_and_drops_nothing(
    session: Session, db_engine: Engine, db_url: str, mini: Questionnaire, tmp_path: Path
) -> None:
    before = _accounts_and_a_trail(session, mini)
    session.close()
    done = _alembic(tmp_path, db_url, "downgrade", "0003")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0 and "Traceback" not in said, said
    assert "refused: it would leave unprotected" in said and "-x force=1" in said and "Nothing was changed" in said
    assert _counts(db_engine) == before and _revision(db_engine) == _head()
    with db_engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("DELETE FROM audit_event"))  # the protection is still there too


def test_the_refusal_counts_what_each_step_would_lose(session: Session, db_engine: Engine,
                                                      mini: Questionnaire) -> None:
    counts = _accounts_and_a_trail(session, mini)
    session.close()
    cfg = db.alembic_config()
    with db_engine.connect() as conn:
        cfg.attributes["connection"] = conn
        with pytest.raises(DowngradeRefused) as first:
            command.downgrade(cfg, "0004")
    assert f"it would leave unprotected {counts['audit_event']} audit events" in str(first.value)
    with db_engine.connect() as conn:
        cfg.attributes["connection"] = conn
        cfg.cmd_opts = argparse.Namespace(x=["force=1"])  # past the triggers' step: `-x force=1`
        command.downgrade(cfg, "0004")
        cfg.cmd_opts = None
        with pytest.raises(DowngradeRefused) as second:
            command.downgrade(cfg, "0003")
    assert (f"it would drop {counts['app_user']} users, {counts['user_grant']} role grants, "
            f"{counts['review_comment']} review comments, {counts['audit_event']} audit events") in str(second.value)
    assert _counts(db_engine) == counts and _revision(db_engine) == "0004"


def test_a_forced_downgrade_goes_through(session: Session, db_engine: Engine, db_url: str, mini: Questionnaire,
                                         tmp_path: Path) -> None:
    _accounts_and_a_trail(session, mini)
    session.close()
    done = _alembic(tmp_path, db_url, "-x", "force=1", "downgrade", "0003")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _revision(db_engine) == "0003"
    db.init_db(db_engine)  # and back up again
    assert _revision(db_engine) == _head()


def test_the_downgrade_that_would_revive_deleted_assessments_refuses(
    session: Session, db_engine: Engine, db_url: str, mini: Questionnaire, tmp_path: Path
) -> None:
    aid = service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini).id
    history.delete_assessment(session, assessment_id=aid)
    session.close()
    assert _alembic(tmp_path, db_url, "-x", "force=1", "downgrade", "0002").returncode == 0  # the audit trail goes
    done = _alembic(tmp_path, db_url, "downgrade", "0001")
    assert done.returncode != 0
    assert "1 deleted assessments that would come back as live ones" in " ".join((done.stdout + done.stderr).split())
    assert _revision(db_engine) == "0002"
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT deleted_at IS NOT NULL FROM assessment WHERE id = :id"),
                            {"id": aid}).scalar_one()


def test_the_documented_postgresql_privileges_refuse_the_app_role_even_without_the_triggers(
    session: Session, db_engine: Engine
) -> None:
    """docs/security.md's REVOKE, run as written (on this test's schema): the second wall stands alone."""
    if db_engine.dialect.name != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's")
    eid = _one_event(session)
    role = f"iotready_app_{os.getpid()}_{eid}"
    with db_engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM "{role}"'))
        conn.execute(text("DROP TRIGGER audit_event_no_update_delete ON audit_event"))  # the owner can
    try:
        with db_engine.connect() as conn:
            conn.execute(text(f'SET ROLE "{role}"'))
            conn.execute(text("INSERT INTO audit_event (at, \"by\", event, detail) "
                              "VALUES (now(), 'app', 'export', '{}')"))
            conn.commit()
            for sql in ("UPDATE audit_event SET \"by\" = 'someone else'", "DELETE FROM audit_event"):
                with pytest.raises(DBAPIError, match="permission denied"):
                    conn.execute(text(f'SET ROLE "{role}"'))
                    conn.execute(text(sql))
                conn.rollback()
            conn.execute(text("RESET ROLE"))
            conn.commit()
        assert [e[1] for e in _stored(db_engine)] == ["admin@itu.example", "app"]
    finally:
        with db_engine.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
