"""Soft delete and restore of assessments; one question's history and "restore this value"."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import Session

from answers.document import Answer
from assessment import db, history, service
from assessment.filters import AssessmentFilter
from questionnaires import Questionnaire


def _start(session: Session, mini: Questionnaire, country: str = "KEN") -> str:
    return service.get_or_create_assessment(session, country=country, cycle=2025, questionnaire=mini).id


def test_a_deleted_assessment_disappears_everywhere_but_stays_in_the_log(session: Session, mini: Questionnaire) -> None:
    aid = _start(session, mini)
    other = _start(session, mini, "SEN")
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                        answer=Answer(value=10.0), expected_version=0)
    history.delete_assessment(session, assessment_id=aid, expected_version=1)
    assert [r.id for r in service.list_assessments(session, AssessmentFilter(questionnaire=mini))] == [other]
    assert [d.country for d in service.export_documents(session, AssessmentFilter(questionnaire=mini))] == ["SEN"]
    with pytest.raises(service.NotFound):
        service.get_assessment(session, aid)
    with pytest.raises(service.NotFound):
        service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                            answer=Answer(value=20.0), expected_version=1)
    [deleted] = history.list_deleted(session)
    assert (deleted.id, deleted.country, deleted.deleted_by) == (aid, "KEN", "local")
    history.restore_assessment(session, assessment_id=aid)
    view = service.get_assessment(session, aid)
    assert view.answers["v6_users"].value == 10.0  # nothing was lost
    fields = [e.field for e in service.change_log(session, assessment_id=aid)]
    assert fields[-2:] == ["deleted", "restored"] and "created" in fields


def test_a_reason_for_deleting_over_its_limit_is_refused_with_the_limit_grouped(
    session: Session, mini: Questionnaire
) -> None:
    aid = _start(session, mini)
    with pytest.raises(service.ServiceError) as refused:
        history.delete_assessment(session, assessment_id=aid, reason="x" * (history.MAX_REASON + 1))
    assert (refused.value.text("en"), refused.value.text("ru")) == ("at most 1,000 characters",
                                                                   "не более 1\u00a0000 симв.")


def test_deletion_checks_the_version_the_caller_saw(session: Session, mini: Questionnaire) -> None:
    aid = _start(session, mini)
    service.submit_assessment(session, assessment_id=aid)  # someone else: the version moves on
    with pytest.raises(service.ConflictError):
        history.delete_assessment(session, assessment_id=aid, expected_version=1)
    assert service.get_assessment(session, aid).status == "submitted"


def test_a_new_assessment_can_start_after_a_delete_and_then_blocks_the_restore(
    session: Session, mini: Questionnaire
) -> None:
    aid = _start(session, mini)
    history.delete_assessment(session, assessment_id=aid)
    fresh = _start(session, mini)
    assert fresh != aid
    with pytest.raises(service.ServiceError, match="started after this one was deleted") as taken:
        history.restore_assessment(session, assessment_id=aid)
    assert taken.value.text("fr").startswith("une évaluation Kenya 2025 a été commencée")  # the name, not "KEN"
    history.delete_assessment(session, assessment_id=fresh)
    history.restore_assessment(session, assessment_id=aid)
    assert service.get_assessment(session, aid).id == aid


def test_question_history_and_restore_this_value(session: Session, mini: Questionnaire) -> None:
    aid = _start(session, mini)
    v = service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                            answer=Answer(value="planned", evidence="Law 1"), expected_version=0)
    v = service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                            answer=Answer(value="adopted", evidence="Law 1"), expected_version=v)
    entries = history.question_history(session, assessment_id=aid, question_id="pol_framework")
    assert [(e.field, e.old, e.new, e.by) for e in entries] == [  # newest first
        ("value", "planned", "adopted", "local"), ("evidence", None, "Law 1", "local"),
        ("value", None, "planned", "local"),
    ]
    first = next(e for e in entries if e.field == "value" and e.new == "planned")
    with pytest.raises(service.ConflictError):  # the caller saw an older version: nothing overwritten
        history.restore_value(session, assessment_id=aid, questionnaire=mini, entry_id=first.id, expected_version=1)
    history.restore_value(session, assessment_id=aid, questionnaire=mini, entry_id=first.id, expected_version=v)
    answer = service.get_assessment(session, aid).answers["pol_framework"]
    assert (answer.value, answer.evidence) == ("planned", "Law 1")


def test_restoring_dont_know_clears_the_value(session: Session, mini: Questionnaire) -> None:
    aid = _start(session, mini)
    v = service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                            answer=Answer(dont_know=True), expected_version=0)
    v = service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                            answer=Answer(value=30.0), expected_version=v)
    dk = next(e for e in history.question_history(session, assessment_id=aid, question_id="v6_users")
              if e.field == "dont_know" and e.new is True)
    history.restore_value(session, assessment_id=aid, questionnaire=mini, entry_id=dk.id, expected_version=v)
    answer = service.get_assessment(session, aid).answers["v6_users"]
    assert answer.dont_know and answer.value is None


def test_the_migration_keeps_existing_assessments_live(db_url: str, mini: Questionnaire) -> None:
    engine = db.make_engine(db_url)
    cfg = db.alembic_config()
    try:
        with engine.begin() as conn:  # a database made before soft delete, with one assessment in it
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
            conn.execute(text(
                "INSERT INTO assessment (id, country, cycle, questionnaire_id, questionnaire_version, status, "
                "illustrative, targets, created_at, updated_at, version) VALUES ('a1', 'KEN', 2025, :q, :v, "
                "'draft', false, '{}', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)"
            ), {"q": mini.id, "v": mini.version})
        db.init_db(engine)  # what the app does at start
        columns = {c["name"] for c in inspect(engine).get_columns("assessment")}
        assert {"deleted_at", "deleted_by"} <= columns
        with Session(engine) as s:
            assert [r.id for r in service.list_assessments(s, AssessmentFilter(questionnaire=mini))] == ["a1"]
            history.delete_assessment(s, assessment_id="a1")
            fresh = service.get_or_create_assessment(s, country="KEN", cycle=2025, questionnaire=mini)
            assert fresh.id != "a1"  # the live key is free again
    finally:
        engine.dispose()
