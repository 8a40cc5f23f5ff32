"""Saving answers: concurrency, validation, the change log, refusals (:mod:`assessment.service.answers`).

On a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); data is built through the
same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from answers.document import Answer
from assessment import service
from assessment.models import AnswerRecord
from assessment.service import answers as answer_service
from questionnaires import Questionnaire


def _save(s: Session, q: Questionnaire, aid: str, qid: str, answer: Answer, seen: int | None = None) -> int:
    return service.save_answer(
        s, assessment_id=aid, questionnaire=q, question_id=qid, answer=answer, expected_version=seen
    )


def test_second_writer_with_a_stale_version_gets_a_conflict(
    db_engine: Engine, mini: Questionnaire, draft: str
) -> None:
    with Session(db_engine) as s:
        seen = _save(s, mini, draft, "pol_framework", Answer(value="planned"))
    with Session(db_engine) as alice, Session(db_engine) as bob:
        _save(alice, mini, draft, "pol_framework", Answer(value="adopted"), seen=seen)
        with pytest.raises(service.ConflictError) as info:
            _save(bob, mini, draft, "pol_framework", Answer(value="none"), seen=seen)
    assert info.value.current == Answer(value="adopted")
    assert info.value.current_version == seen + 1
    assert "adopted" in str(info.value)
    with Session(db_engine) as s:
        assert service.get_assessment(s, draft).answers["pol_framework"].value == "adopted"


def test_two_first_answers_to_the_same_question_conflict(db_engine: Engine, mini: Questionnaire, draft: str) -> None:
    with Session(db_engine) as alice, Session(db_engine) as bob:
        _save(alice, mini, draft, "pol_city", Answer(value="yes"), seen=None)
        with pytest.raises(service.ConflictError) as info:
            _save(bob, mini, draft, "pol_city", Answer(value="no"), seen=None)
    assert info.value.current == Answer(value="yes")
    assert info.value.current_version == 1


def test_a_write_racing_past_the_version_check_still_conflicts(
    db_engine: Engine, mini: Questionnaire, draft: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(db_engine) as alice:
        _save(alice, mini, draft, "pol_city", Answer(value="yes"))
    real_record = answer_service._record
    calls: list[int] = []

    def read_before_alice_committed(s: Session, aid: str, qid: str) -> AnswerRecord | None:
        calls.append(1)
        return None if len(calls) == 1 else real_record(s, aid, qid)

    # Patched where save_answer looks it up (assessment.service.answers), not the package namespace.
    monkeypatch.setattr(answer_service, "_record", read_before_alice_committed)
    with Session(db_engine) as bob, pytest.raises(service.ConflictError) as info:
        _save(bob, mini, draft, "pol_city", Answer(value="no"), seen=None)
    assert (info.value.current, info.value.current_version) == (Answer(value="yes"), 1)
    with Session(db_engine) as s:
        assert service.get_assessment(s, draft).answers["pol_city"].value == "yes"


def test_editing_different_questions_at_once_does_not_conflict(
    db_engine: Engine, mini: Questionnaire, draft: str
) -> None:
    with Session(db_engine) as alice, Session(db_engine) as bob:
        service.get_assessment(alice, draft)
        service.get_assessment(bob, draft)
        _save(alice, mini, draft, "pol_city", Answer(value="yes"))
        _save(bob, mini, draft, "pol_framework", Answer(value="advanced"))
    with Session(db_engine) as s:
        assert set(service.get_assessment(s, draft).answers) == {"pol_city", "pol_framework"}


def test_stale_orm_write_is_refused_by_the_version_column(db_engine: Engine, mini: Questionnaire, draft: str) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    with Session(db_engine) as s:
        _save(s, mini, draft, "pol_city", Answer(value="yes"))
    with Session(db_engine) as alice, Session(db_engine) as bob:
        mine = alice.exec(select(AnswerRecord)).one()
        theirs = bob.exec(select(AnswerRecord)).one()
        mine.comment = "first"
        alice.commit()
        theirs.comment = "second"
        with pytest.raises(StaleDataError):
            bob.commit()


@pytest.mark.parametrize(
    ("qid", "answer", "fragment"),
    [
        ("pol_framework", Answer(value="sometimes"), "must be one of"),
        ("v6_users", Answer(value=140.0), "between 0 and 100"),
        ("v6_users", Answer(value="lots"), "must be a number"),
        ("pol_elements", Answer(value=["licensing", "taxes"]), "unknown options"),
        ("pol_elements", Answer(value=["__none__", "licensing"]), "cannot be chosen together"),
        ("pol_framework", Answer(not_applicable=True, justification="n/a"), "cannot be marked not applicable"),
        ("pol_city", Answer(dont_know=True), "don't know"),
        ("no_such_question", Answer(value="yes"), "not a question"),
    ],
)
def test_invalid_answer_is_refused_and_saved_data_is_untouched(
    session: Session, mini: Questionnaire, draft: str, qid: str, answer: Answer, fragment: str
) -> None:
    _save(session, mini, draft, "pol_framework", Answer(value="adopted"))
    _save(session, mini, draft, "pol_city", Answer(value="yes"))
    _save(session, mini, draft, "v6_users", Answer(value=30.0))
    before = service.get_assessment(session, draft)
    log_before = service.change_log(session, assessment_id=draft)
    with pytest.raises(service.InvalidAnswer, match=fragment):
        _save(session, mini, draft, qid, answer, seen=before.versions.get(qid))
    after = service.get_assessment(session, draft)
    assert (after.answers, after.versions) == (before.answers, before.versions)
    assert service.change_log(session, assessment_id=draft) == log_before


@pytest.mark.parametrize(("lang", "words"), [("en", "no such question in this questionnaire"),
                                             ("fr", "cette question n'existe pas dans ce questionnaire")])
def test_an_answer_to_a_question_the_questionnaire_lacks_is_refused_in_the_readers_language(
    session: Session, mini: Questionnaire, draft: str, lang: str, words: str
) -> None:
    with pytest.raises(service.InvalidAnswer) as refused:
        _save(session, mini, draft, "no_such_question", Answer(value="yes"))
    (problem,) = refused.value.problems
    assert (problem.question_id, problem.field, problem.text(lang)) == ("no_such_question", "id", words)


def test_answers_need_the_assessments_questionnaire_version(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    newer = mini.__class__(
        meta=mini.meta.model_copy(update={"version": "0.2.0"}), questions=mini.questions, rules=mini.rules,
        clauses=mini.clauses, source_dir=mini.source_dir,
    )
    with pytest.raises(service.ServiceError, match=r"version 0\.1\.0"):
        _save(session, newer, draft, "pol_city", Answer(value="yes"))


def test_change_log_records_old_and_new_per_field(session: Session, mini: Questionnaire, draft: str) -> None:
    v = _save(session, mini, draft, "pol_framework", Answer(value="planned"))
    _save(session, mini, draft, "pol_framework", Answer(value="adopted", evidence="Decree 7"), seen=v)
    log = service.change_log(session, assessment_id=draft, question_id="pol_framework")
    entries = [(e.field, e.old, e.new) for e in log]
    assert entries == [
        ("value", None, "planned"),
        ("value", "planned", "adopted"),
        ("evidence", None, "Decree 7"),
    ]


def test_change_log_names_the_actor(session: Session, mini: Questionnaire, draft: str) -> None:
    service.save_answer(
        session, assessment_id=draft, questionnaire=mini, question_id="pol_city", answer=Answer(value="no"),
        expected_version=None, actor="amina@regulator",
    )
    assert [e.by for e in service.change_log(session, assessment_id=draft, question_id="pol_city")] == [
        "amina@regulator"
    ]


def test_identical_save_is_a_no_op(session: Session, mini: Questionnaire, draft: str) -> None:
    v = _save(session, mini, draft, "pol_city", Answer(value="yes", evidence="By-law 3"))
    log_before = service.change_log(session, assessment_id=draft)
    updated_before = service.get_assessment(session, draft).updated_at
    assert _save(session, mini, draft, "pol_city", Answer(value="yes", evidence="By-law 3"), seen=v) == v
    assert service.change_log(session, assessment_id=draft) == log_before
    assert service.get_assessment(session, draft).updated_at == updated_before


def test_blank_text_counts_as_no_text(session: Session, mini: Questionnaire, draft: str) -> None:
    v = _save(session, mini, draft, "pol_city", Answer(value="yes"))
    assert _save(session, mini, draft, "pol_city", Answer(value="yes", comment="   "), seen=v) == v


def test_change_log_is_append_only(session: Session, mini: Questionnaire, draft: str) -> None:
    v = _save(session, mini, draft, "pol_city", Answer(value="yes"))
    first = service.change_log(session, assessment_id=draft)
    _save(session, mini, draft, "pol_city", Answer(value="no"), seen=v)
    service.submit_assessment(session, assessment_id=draft)
    later = service.change_log(session, assessment_id=draft)
    assert later[: len(first)] == first
    assert len(later) == len(first) + 2


def test_saving_bumps_the_assessments_last_change(session: Session, mini: Questionnaire, draft: str) -> None:
    before = service.get_assessment(session, draft)
    _save(session, mini, draft, "pol_city", Answer(value="yes"))
    after = service.get_assessment(session, draft)
    assert after.updated_at > before.updated_at
    assert after.updated_at.tzinfo is not None


def test_a_refusal_says_why_in_the_readers_language(session: Session, mini: Questionnaire, draft: str) -> None:
    service.submit_assessment(session, assessment_id=draft)
    with pytest.raises(service.ServiceError) as caught:
        _save(session, mini, draft, "pol_city", Answer(value="yes"))
    assert str(caught.value) == "the Kenya 2025 assessment is submitted and cannot be edited: reopen it first"
    french = "l'évaluation Kenya 2025 est soumise et ne peut pas être modifiée\u202f: rouvrez-la d'abord"
    assert caught.value.text("fr") == french


@pytest.mark.parametrize(("moves", "advice_en", "advice_fr"), [
    (("submit", "review"), "ask the adviser to return it with queries", "demandez-lui de vous la renvoyer"),
    (("submit", "review", "validate"), "answer the next cycle instead", "répondez plutôt au cycle suivant"),
])
def test_an_edit_refusal_gives_the_advice_the_state_allows(
    session: Session, mini: Questionnaire, draft: str, moves: tuple[str, ...], advice_en: str, advice_fr: str
) -> None:
    """Under review, the country cannot reopen it: the refusal says who can hand it back, not "reopen it"."""
    for move in moves:
        service.transition(session, assessment_id=draft, action=move)  # type: ignore[arg-type]
    with pytest.raises(service.ServiceError) as caught:
        _save(session, mini, draft, "pol_city", Answer(value="yes"))
    assert advice_en in str(caught.value) and "reopen" not in str(caught.value)
    assert advice_fr in caught.value.text("fr") and "rouvrez" not in caught.value.text("fr")
