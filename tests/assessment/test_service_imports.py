"""Importing answers documents (:mod:`assessment.service.imports`).

On a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); data is built through the
same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from assessment import service
from assessment.filters import AssessmentFilter
from questionnaires import Questionnaire


def _doc(q: Questionnaire, **answers: Answer) -> AnswersDocument:
    return AnswersDocument(
        questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
        country="BRA", cycle=2024, answers=answers,
    )


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
