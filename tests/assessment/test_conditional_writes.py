"""Writes are conditional on the state they checked (issue 10, point 1), on SQLite and PostgreSQL.

The interleaving is forced, not hoped for: a SQLAlchemy event runs another session's submit right
before the first write statement of the operation under test (after all its checks), on a second
connection of the same database. With the old unconditional ``_touch`` the save then landed on the
submitted assessment; now the guarded UPDATE hits no row and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from answers.document import Answer, AnswersDocument
from assessment import service
from assessment.models import AnswerRecord
from questionnaires import Questionnaire
from tests.strategies import document

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def before_first_write(engine: Engine, action: Callable[[], None]) -> Iterator[list[str]]:
    """Run ``action`` once, just before the next write statement sent through ``engine``."""
    fired: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if fired or not statement.lstrip().upper().startswith(WRITES):
            return
        fired.append(statement)  # first, so the action's own writes do not fire it again
        action()

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def _submit_elsewhere(engine: Engine, assessment_id: str) -> Callable[[], None]:
    def submit() -> None:
        with Session(engine) as other:
            service.submit_assessment(other, assessment_id=assessment_id, actor="other")

    return submit


def _answers(engine: Engine, assessment_id: str) -> dict[str, Any]:
    with Session(engine) as s:
        rows = s.exec(select(AnswerRecord).where(AnswerRecord.assessment_id == assessment_id)).all()
        return {r.question_id: r.value for r in rows}


def test_a_submit_between_the_check_and_the_write_refuses_the_save(
    db_engine: Engine, mini: Questionnaire, draft: str
) -> None:
    with (
        Session(db_engine) as s,
        before_first_write(db_engine, _submit_elsewhere(db_engine, draft)) as fired,
        pytest.raises(service.StatusChanged) as info,
    ):
        service.save_answer(s, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                            answer=Answer(value="yes"), expected_version=0)
    assert fired, "the submit was not interleaved"
    assert _answers(db_engine, draft) == {}  # nothing landed on the submitted assessment
    with Session(db_engine) as s:
        assert service.get_assessment(s, draft).status == "submitted"
        assert [e.field for e in service.change_log(s, assessment_id=draft)] == ["created", "status"]
    assert "became submitted" in str(info.value) and "not saved" in str(info.value)
    assert "soumise" in info.value.text("fr")


def test_a_save_after_a_reopen_goes_through(db_engine: Engine, mini: Questionnaire, draft: str) -> None:
    """The guard checks the status now, not a stale copy: draft -> submitted -> draft still accepts."""
    with Session(db_engine) as s:
        service.submit_assessment(s, assessment_id=draft)
        service.reopen_assessment(s, assessment_id=draft)
        assert service.save_answer(s, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                                   answer=Answer(value="yes"), expected_version=0) == 1
    assert _answers(db_engine, draft) == {"pol_city": "yes"}


def test_set_targets_after_a_concurrent_submit_is_a_conflict(
    db_engine: Engine, mini: Questionnaire, draft: str
) -> None:
    with (
        Session(db_engine) as s,
        before_first_write(db_engine, _submit_elsewhere(db_engine, draft)) as fired,
        pytest.raises(service.ConflictError) as info,
    ):
        service.set_targets(s, assessment_id=draft, targets={"overall": 60}, questionnaire=mini)
    assert fired
    with Session(db_engine) as s:
        view = service.get_assessment(s, draft)
    assert view.status == "submitted" and view.targets == {}
    assert "someone else changed" in str(info.value) and "quelqu'un d'autre" in info.value.text("fr")


def test_targets_may_change_on_a_submitted_assessment(session: Session, mini: Questionnaire, draft: str) -> None:
    """Decision: targets are the country's plan, not its answers; the Results page sets them at any time."""
    service.submit_assessment(session, assessment_id=draft)
    view = service.set_targets(session, assessment_id=draft, targets={"overall": "advancing"}, questionnaire=mini)
    assert view.status == "submitted" and view.targets == {"overall": "advancing"}


def test_an_import_racing_a_submit_writes_nothing(db_engine: Engine, mini: Questionnaire, draft: str) -> None:
    doc = document(mini, {"pol_city": Answer(value="yes")})  # KEN 2025: the draft
    with (
        Session(db_engine) as s,
        before_first_write(db_engine, _submit_elsewhere(db_engine, draft)) as fired,
        pytest.raises(service.ServiceError, match="during the import"),
    ):
        service.import_document(s, doc=doc, questionnaire=mini)
    assert fired
    assert _answers(db_engine, draft) == {}


def _bra(q: Questionnaire, **kw: Any) -> AnswersDocument:
    return document(q, {"pol_city": Answer(value="yes")}, **({"country": "BRA", "cycle": 2024} | kw))


def test_a_multi_assessment_import_is_all_or_nothing(session: Session, mini: Questionnaire, draft: str) -> None:
    service.submit_assessment(session, assessment_id=draft)
    docs = [_bra(mini), document(mini, {"pol_city": Answer(value="no")})]  # the second would change KEN 2025
    with pytest.raises(service.ImportRefused) as info:
        service.import_documents(session, docs=docs, questionnaire=mini)
    assert info.value.index == 1 and "submitted" in str(info.value)
    assert [a.country for a in service.list_assessments(session)] == ["KEN"]  # BRA was rolled back too
    results = service.import_documents(session, docs=docs[:1], questionnaire=mini)
    assert [r.created for r in results] == [True]


def test_a_multi_assessment_import_writes_every_document(session: Session, mini: Questionnaire) -> None:
    docs = [_bra(mini), _bra(mini, country="SEN"), _bra(mini, country="FRA", status="submitted")]
    results = service.import_documents(session, docs=docs, questionnaire=mini)
    assert [(r.created, r.changed) for r in results] == [(True, 1), (True, 1), (True, 2)]
    assert sorted((a.country, a.status) for a in service.list_assessments(session)) == [
        ("BRA", "draft"), ("FRA", "submitted"), ("SEN", "draft"),
    ]
    again = service.import_documents(session, docs=docs, questionnaire=mini)
    assert [r.changed for r in again] == [0, 0, 0]


def test_a_save_holds_the_assessment_from_its_guard_to_its_commit(
    db_engine: Engine, mini: Questionnaire, draft: str
) -> None:
    """A submit cannot slip in after the guard either: the row (PostgreSQL) or the file (SQLite) is held.

    Probed without waiting: another connection asks for the lock with NOWAIT (PostgreSQL) or with a zero
    busy timeout (SQLite) right after the guard ran, and must be refused.
    """
    probes: list[str] = []

    def probe(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if probes or not statement.lstrip().upper().startswith("UPDATE ASSESSMENT"):
            return
        with db_engine.connect() as other:
            try:
                if other.dialect.name == "postgresql":
                    other.execute(text("SELECT id FROM assessment WHERE id = :id FOR UPDATE NOWAIT"), {"id": draft})
                else:
                    other.exec_driver_sql("PRAGMA busy_timeout=0")
                    other.exec_driver_sql("BEGIN IMMEDIATE")
                probes.append("free")
            except OperationalError:
                probes.append("held")
            finally:
                other.rollback()

    event.listen(db_engine, "after_cursor_execute", probe)
    try:
        with Session(db_engine) as s:
            service.save_answer(s, assessment_id=draft, questionnaire=mini, question_id="pol_city",
                                answer=Answer(value="yes"), expected_version=0)
    finally:
        event.remove(db_engine, "after_cursor_execute", probe)
    assert probes == ["held"]
    with Session(db_engine) as s:  # once committed, the submit goes through and finds the answer saved as a draft
        assert service.submit_assessment(s, assessment_id=draft).answers["pol_city"].value == "yes"
