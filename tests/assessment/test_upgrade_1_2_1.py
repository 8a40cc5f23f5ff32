"""1.2.0 -> 1.2.1 (issue 21, point 17): one context indicator added, nothing else. Every answer of the demo
data carries over, none is "to review", the indicator is "to answer" and every score stays as it was
(SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from answers.upgrade import plan_upgrade
from assessment import service
from assessment.demo import demo_documents
from assessment.upgrade import upgrade_assessment
from questionnaires import default_questionnaire
from questionnaires.versions import load_version
from scoring import score

NEW = default_questionnaire()
OLD = load_version(NEW.id, "1.2.0", NEW)


def test_the_plan_has_one_new_question_and_nothing_else() -> None:
    assert OLD is not None
    plan = plan_upgrade(OLD, NEW)
    assert plan.of("new") == ["spc_iot_connections"]
    assert plan.of("changed") == [] and plan.of("removed") == []
    methodology = (Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "`spc_iot_connections`" in methodology.split("**1.2.1", 1)[1]


def test_every_1_2_0_answer_of_the_demo_data_carries_over_with_its_score(session: Session) -> None:
    assert OLD is not None
    docs = [d.model_copy(update={"illustrative": False, "status": "draft"}) for d in demo_documents(OLD)]
    for doc in docs:
        service.import_document(session, doc=doc, questionnaire=OLD)
    ids = {(s.country, s.cycle): s.id for s in service.list_assessments(session)}
    for doc in docs:
        report = upgrade_assessment(session, assessment_id=ids[doc.country, doc.cycle], questionnaire=NEW)
        assert report.to_review == [] and report.moved_to_history == []
        assert report.to_answer == ["spc_iot_connections"] and sorted(report.kept) == sorted(doc.answers)
        view = service.get_assessment(session, ids[doc.country, doc.cycle])
        assert (view.questionnaire_version, view.questionnaire_hash) == ("1.2.1", NEW.content_hash)
        assert view.answers == doc.answers  # every field of every answer, review flags included
        moved = doc.model_copy(update={"questionnaire_version": "1.2.1", "questionnaire_hash": NEW.content_hash,
                                       "answers": view.answers})
        before, after = score(OLD, doc), score(NEW, moved)
        assert (after.overall, after.completeness) == (before.overall, before.completeness)
