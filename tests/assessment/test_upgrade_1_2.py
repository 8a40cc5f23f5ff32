"""1.1.x -> 1.2.0 (issue 21): every answer of the demo data carries over, with the changes listed in
docs/methodology.md: three new questions to answer, six changed ones to review (two for their help), two
options of the framework elements moved to a question of their own (the rest of the answer kept, the full one in
the history), nothing else touched (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from answers.upgrade import plan_upgrade
from assessment import service
from assessment.demo import demo_documents
from assessment.upgrade import upgrade_assessment
from questionnaires import default_questionnaire
from questionnaires.versions import archived_versions, load_version

CURRENT = default_questionnaire()
_NEW = load_version(CURRENT.id, "1.2.0", CURRENT)  # archived since 1.2.1; this file is about 1.1.1 -> 1.2.0
assert _NEW is not None
NEW = _NEW
OLD = load_version(NEW.id, "1.1.1", CURRENT)
NEW_QUESTIONS = {"pol_m2m_numbering", "spc_iot_connectivity_prices", "spc_infrastructure_sharing"}
CHANGED = {"pol_iot_legal_framework", "pol_framework_elements", "std_open_standards_policy", "coo_connect2030_res85",
           "coo_itu_contributions", "coo_vertical_adoption"}  # the last two: their help changed (since 1.2.1)
MOVED_OPTIONS = {"numbering", "extraterritorial_use"}


def test_the_1_1_1_questionnaire_stays_loadable_with_its_shipped_hash() -> None:
    assert OLD is not None and (NEW.id, "1.1.1") in archived_versions()
    assert OLD.content_hash == "833fed3afa84f02b3e4dd063b59cb9532b72da8851bc10719f5be0ed136822a5"
    assert NEW.version == "1.2.0" and NEW.content_hash != OLD.content_hash


def test_the_plan_lists_the_changes_the_methodology_lists() -> None:
    assert OLD is not None
    plan = plan_upgrade(OLD, NEW)
    assert set(plan.of("new")) == NEW_QUESTIONS
    assert set(plan.of("changed")) == CHANGED
    assert plan.of("removed") == []
    methodology = (Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text(encoding="utf-8")
    section = methodology.split("**1.2.0", 1)[1]
    assert all(f"`{qid}`" in section for qid in NEW_QUESTIONS | CHANGED)


def test_every_1_1_1_answer_of_the_demo_data_carries_over(session: Session) -> None:
    assert OLD is not None
    docs = demo_documents(OLD)
    ids = {}
    for doc in docs:
        doc = doc.model_copy(update={"illustrative": False, "status": "draft"})
        service.import_document(session, doc=doc, questionnaire=OLD)
    for summary in service.list_assessments(session):
        ids[summary.country, summary.cycle] = summary.id
    trimmed = 0
    for doc in docs:
        assessment_id = ids[doc.country, doc.cycle]
        report = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
        assert report.moved_to_history == []
        assert set(report.to_answer) == NEW_QUESTIONS
        view = service.get_assessment(session, assessment_id)
        assert (view.questionnaire_version, view.questionnaire_hash) == ("1.2.0", NEW.content_hash)
        assert set(view.answers) == set(doc.answers)  # every answer is still there
        for qid, before in doc.answers.items():
            after = view.answers[qid]
            assert (after.evidence, after.not_applicable, after.dont_know) == (
                before.evidence, before.not_applicable, before.dont_know)
            if qid == "pol_framework_elements" and isinstance(before.value, list):
                assert after.value == [v for v in before.value if v not in MOVED_OPTIONS]
                if after.value != before.value:
                    trimmed += 1
                    log = service.change_log(session, assessment_id=assessment_id, question_id=qid)
                    assert any(e.field == "value" and e.old == before.value for e in log)  # the full answer
            else:
                assert after.value == before.value
            assert after.review == (before.review or qid in CHANGED)
    assert trimmed > 0  # the demo data does tick the moved options: the test exercises the trimming
