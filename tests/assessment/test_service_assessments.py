"""Starting, resuming, reading, listing and exporting assessments (:mod:`assessment.service.assessments`).

On a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); data is built through the
same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from assessment import service
from assessment.filters import AssessmentFilter
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
