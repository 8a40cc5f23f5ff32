"""Assessment services on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).

Data is built through the same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from answers.document import Answer, AnswersDocument
from assessment import service
from assessment.filters import AssessmentFilter
from assessment.models import AnswerRecord
from questionnaires import Questionnaire


def _save(s: Session, q: Questionnaire, aid: str, qid: str, answer: Answer, seen: int | None = None) -> int:
    return service.save_answer(
        s, assessment_id=aid, questionnaire=q, question_id=qid, answer=answer, expected_version=seen
    )


def _doc(q: Questionnaire, **answers: Answer) -> AnswersDocument:
    return AnswersDocument(
        questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
        country="BRA", cycle=2024, answers=answers,
    )


# --- creating and resuming ----------------------------------------------------------------------


def test_get_or_create_resumes_the_same_assessment(session: Session, mini: Questionnaire, draft: str) -> None:
    again = service.get_or_create_assessment(session, country="ken", cycle=2025, questionnaire=mini)
    assert again.id == draft
    assert again.status == "draft"
    assert again.created_by == "local"


def test_illustrative_and_real_assessments_are_kept_apart(session: Session, mini: Questionnaire, draft: str) -> None:
    demo = service.get_or_create_assessment(session, country="KEN", cycle=2025, questionnaire=mini, illustrative=True)
    assert demo.id != draft
    assert demo.illustrative


@pytest.mark.parametrize("country", ["XXX", "PRI", ""])
def test_only_member_states_can_be_assessed(session: Session, mini: Questionnaire, country: str) -> None:
    with pytest.raises(service.ServiceError, match="ITU Member State"):
        service.get_or_create_assessment(session, country=country, cycle=2025, questionnaire=mini)


def test_unknown_assessment_id_is_a_service_error(session: Session) -> None:
    with pytest.raises(service.NotFound):
        service.get_assessment(session, "0" * 32)


def test_autosave_then_resume_in_a_new_session(db_engine: Engine, mini: Questionnaire, draft: str) -> None:
    saved = {
        "v6_users": Answer(value=42.5, evidence="APNIC measurement, 2025"),
        "v6_awareness": Answer(not_applicable=True, justification="No national programme applies"),
        "pol_framework": Answer(value="adopted", comment="Law 12/2024"),
        "pol_elements": Answer(value=[]),
        "pol_city": Answer(value="partial", review=True),
    }
    with Session(db_engine) as s:
        for qid, answer in saved.items():
            assert _save(s, mini, draft, qid, answer) == 1
    with Session(db_engine) as s:
        view = service.get_assessment(s, draft)
    assert view.answers == saved
    assert view.versions == dict.fromkeys(saved, 1)


def test_numbers_are_stored_as_numbers(session: Session, mini: Questionnaire, draft: str) -> None:
    _save(session, mini, draft, "v6_users", Answer(value="12,5"))
    assert service.get_assessment(session, draft).answers["v6_users"].value == 12.5


def test_each_change_bumps_the_answer_version(session: Session, mini: Questionnaire, draft: str) -> None:
    v1 = _save(session, mini, draft, "pol_framework", Answer(value="planned"))
    v2 = _save(session, mini, draft, "pol_framework", Answer(value="developing"), seen=v1)
    assert (v1, v2) == (1, 2)


# --- concurrency --------------------------------------------------------------------------------


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
    real_record = service._record
    calls: list[int] = []

    def read_before_alice_committed(s: Session, aid: str, qid: str) -> AnswerRecord | None:
        calls.append(1)
        return None if len(calls) == 1 else real_record(s, aid, qid)

    monkeypatch.setattr(service, "_record", read_before_alice_committed)
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


# --- validation ---------------------------------------------------------------------------------


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


def test_answers_need_the_assessments_questionnaire_version(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    newer = mini.__class__(
        meta=mini.meta.model_copy(update={"version": "0.2.0"}), questions=mini.questions, rules=mini.rules,
        clauses=mini.clauses, source_dir=mini.source_dir,
    )
    with pytest.raises(service.ServiceError, match=r"version 0\.1\.0"):
        _save(session, newer, draft, "pol_city", Answer(value="yes"))


# --- change log ---------------------------------------------------------------------------------


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


# --- submit, reopen, targets --------------------------------------------------------------------


def test_submitted_assessment_cannot_be_edited(session: Session, mini: Questionnaire, draft: str) -> None:
    _save(session, mini, draft, "pol_city", Answer(value="yes"))
    assert service.submit_assessment(session, assessment_id=draft).status == "submitted"
    with pytest.raises(service.ServiceError, match="reopen"):
        _save(session, mini, draft, "pol_city", Answer(value="no"), seen=1)
    assert service.get_assessment(session, draft).answers["pol_city"].value == "yes"


def test_reopened_assessment_can_be_edited_again(session: Session, mini: Questionnaire, draft: str) -> None:
    _save(session, mini, draft, "pol_city", Answer(value="yes"))
    service.submit_assessment(session, assessment_id=draft)
    assert service.reopen_assessment(session, assessment_id=draft).status == "draft"
    assert _save(session, mini, draft, "pol_city", Answer(value="no"), seen=1) == 2
    statuses = [(e.old, e.new) for e in service.change_log(session, assessment_id=draft) if e.field == "status"]
    assert statuses == [("draft", "submitted"), ("submitted", "draft")]


def test_submit_with_a_stale_assessment_version_conflicts(session: Session, mini: Questionnaire, draft: str) -> None:
    seen = service.get_assessment(session, draft).version
    service.set_targets(session, assessment_id=draft, targets={"overall": 60})
    with pytest.raises(service.ConflictError):
        service.submit_assessment(session, assessment_id=draft, expected_version=seen)
    assert service.get_assessment(session, draft).status == "draft"


def test_targets_are_saved_and_checked(session: Session, mini: Questionnaire, draft: str) -> None:
    view = service.set_targets(
        session, assessment_id=draft, targets={"overall": "advancing", "ipv6": 70}, questionnaire=mini
    )
    assert view.targets == {"overall": "advancing", "ipv6": 70.0}
    assert service.get_document(session, draft).targets == {"overall": "advancing", "ipv6": 70.0}
    with pytest.raises(service.ServiceError, match="unknown tier"):
        service.set_targets(session, assessment_id=draft, targets={"overall": "legendary"}, questionnaire=mini)
    with pytest.raises(service.ServiceError, match="between 0 and 100"):
        service.set_targets(session, assessment_id=draft, targets={"ipv6": 120})


# --- listing ------------------------------------------------------------------------------------


def test_list_assessments_scores_each_assessment(session: Session, mini: Questionnaire, draft: str) -> None:
    best: dict[str, str | float | list[str]] = {
        "pol_framework": "advanced", "pol_elements": ["licensing", "numbering"], "pol_city": "yes",
        "v6_users": 50.0, "v6_awareness": "advanced",
    }
    for qid, value in best.items():
        _save(session, mini, draft, qid, Answer(value=value))
    [row] = service.list_assessments(session, AssessmentFilter(questionnaire=mini))
    assert (row.id, row.overall, row.completeness, row.overall_tier) == (draft, 100.0, 1.0, "role_modelling")


def test_list_marks_an_assessment_of_another_version(session: Session, mini: Questionnaire, draft: str) -> None:
    newer = mini.__class__(
        meta=mini.meta.model_copy(update={"version": "0.2.0"}), questions=mini.questions, rules=mini.rules,
        clauses=mini.clauses, source_dir=mini.source_dir,
    )
    [row] = service.list_assessments(session, AssessmentFilter(questionnaire=newer))
    assert row.outdated
    assert row.overall is None
    assert "0.1.0" in (row.problem or "")


def test_list_filters(session: Session, mini: Questionnaire, draft: str) -> None:
    service.get_or_create_assessment(session, country="FRA", cycle=2024, questionnaire=mini, illustrative=True)
    service.submit_assessment(session, assessment_id=draft)
    real_only = AssessmentFilter(include_illustrative=False)
    assert [r.country for r in service.list_assessments(session, real_only)] == ["KEN"]
    assert [r.country for r in service.list_assessments(session, AssessmentFilter(cycle=2024))] == ["FRA"]
    assert [r.country for r in service.list_assessments(session, AssessmentFilter(status="submitted"))] == ["KEN"]


# --- import and export --------------------------------------------------------------------------


def test_import_creates_then_repeats_without_changes(session: Session, mini: Questionnaire) -> None:
    doc = _doc(mini, pol_framework=Answer(value="adopted"), v6_users=Answer(value="33"))
    first = service.import_document(session, doc=doc, questionnaire=mini)
    log_after_first = service.change_log(session, assessment_id=first.assessment_id)
    second = service.import_document(session, doc=doc, questionnaire=mini)
    assert (first.created, first.changed) == (True, 2)
    assert (second.assessment_id, second.created, second.changed) == (first.assessment_id, False, 0)
    assert service.change_log(session, assessment_id=first.assessment_id) == log_after_first


def test_import_round_trips_through_export(session: Session, mini: Questionnaire) -> None:
    doc = _doc(
        mini, pol_framework=Answer(value="adopted", evidence="Law 1"), pol_elements=Answer(value=["security"]),
        v6_awareness=Answer(not_applicable=True, justification="Covered regionally"), v6_users=Answer(dont_know=True),
    ).model_copy(update={"status": "submitted", "targets": {"overall": "advancing"}})
    service.import_document(session, doc=doc, questionnaire=mini)
    [exported] = service.export_documents(session, AssessmentFilter(questionnaire=mini))
    assert exported == doc


def test_import_updates_only_what_the_file_gives(session: Session, mini: Questionnaire) -> None:
    service.import_document(session, doc=_doc(mini, pol_city=Answer(value="no"), pol_framework=Answer(value="none")),
                            questionnaire=mini)
    result = service.import_document(session, doc=_doc(mini, pol_city=Answer(value="yes")), questionnaire=mini)
    answers = service.get_assessment(session, result.assessment_id).answers
    assert result.changed == 1
    assert (answers["pol_city"].value, answers["pol_framework"].value) == ("yes", "none")


def test_invalid_import_lists_every_problem_and_writes_nothing(session: Session, mini: Questionnaire) -> None:
    doc = _doc(
        mini, pol_framework=Answer(value="adopted"), pol_city=Answer(dont_know=True), v6_users=Answer(value=500.0)
    )
    with pytest.raises(service.InvalidAnswer) as info:
        service.import_document(session, doc=doc, questionnaire=mini)
    assert {p.question_id for p in info.value.problems} == {"pol_city", "v6_users"}
    assert service.list_assessments(session) == []


def test_import_into_a_submitted_assessment_needs_a_reopen(session: Session, mini: Questionnaire) -> None:
    submitted = _doc(mini, pol_city=Answer(value="no")).model_copy(update={"status": "submitted"})
    made = service.import_document(session, doc=submitted, questionnaire=mini)
    changed = submitted.model_copy(update={"answers": {"pol_city": Answer(value="yes")}})
    with pytest.raises(service.ServiceError, match="reopen"):
        service.import_document(session, doc=changed, questionnaire=mini)
    assert service.get_assessment(session, made.assessment_id).answers["pol_city"].value == "no"


def test_a_file_cannot_reopen_a_submitted_assessment(session: Session, mini: Questionnaire) -> None:
    submitted = _doc(mini, pol_city=Answer(value="no")).model_copy(update={"status": "submitted"})
    made = service.import_document(session, doc=submitted, questionnaire=mini)
    with pytest.raises(service.ServiceError, match="reopen"):
        service.import_document(session, doc=submitted.model_copy(update={"status": "draft"}), questionnaire=mini)
    assert service.get_assessment(session, made.assessment_id).status == "submitted"


def test_import_of_an_unknown_country_is_refused(session: Session, mini: Questionnaire) -> None:
    doc = _doc(mini).model_copy(update={"country": "ZZZ"})
    with pytest.raises(service.InvalidAnswer, match="ZZZ"):
        service.import_document(session, doc=doc, questionnaire=mini)


def test_export_leaves_out_cleared_answers(session: Session, mini: Questionnaire, draft: str) -> None:
    v = _save(session, mini, draft, "pol_city", Answer(value="yes"))
    _save(session, mini, draft, "pol_city", Answer(), seen=v)
    assert service.get_document(session, draft).answers == {}
    assert service.get_assessment(session, draft).versions == {"pol_city": 2}


def test_the_data_stamp_changes_with_every_write_and_only_then(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    stamps = [service.data_stamp(session)]
    version = _save(session, mini, draft, "pol_city", Answer(value="yes"))
    stamps.append(service.data_stamp(session))
    _save(session, mini, draft, "pol_city", Answer(value="yes"), seen=version)  # identical: nothing written
    assert service.data_stamp(session) == stamps[-1]
    _save(session, mini, draft, "pol_city", Answer(value="no"), seen=version)
    stamps.append(service.data_stamp(session))
    service.submit_assessment(session, assessment_id=draft)
    stamps.append(service.data_stamp(session))
    service.import_document(session, doc=_doc(mini, pol_city=Answer(value="no")), questionnaire=mini)
    stamps.append(service.data_stamp(session))
    assert len(set(stamps)) == len(stamps)


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
