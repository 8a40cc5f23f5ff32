"""The workflow's moves through the service: submit and reopen (:mod:`assessment.service.moves`).

On a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set); data is built through the
same service functions the app calls.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import service
from questionnaires import Questionnaire


def _save(s: Session, q: Questionnaire, aid: str, qid: str, answer: Answer, seen: int | None = None) -> int:
    return service.save_answer(
        s, assessment_id=aid, questionnaire=q, question_id=qid, answer=answer, expected_version=seen
    )


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
