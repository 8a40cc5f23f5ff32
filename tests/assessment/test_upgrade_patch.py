"""1.1.0 -> 1.1.1, a wording-only patch (French typography): every answer carries over, nothing is flagged
"to review", nothing moves to the history, and the scores do not move (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from answers.document import AnswersDocument
from answers.upgrade import plan_upgrade, wording
from assessment import service
from assessment.demo import demo_documents
from assessment.upgrade import outdated_assessments, upgrade_assessment
from questionnaires import Questionnaire, default_questionnaire
from questionnaires.versions import archived_versions, load_version
from scoring import score

ROOT = Path(__file__).resolve().parents[2]
CURRENT = default_questionnaire()


def _archived(version: str) -> Questionnaire:
    found = load_version(CURRENT.id, version, CURRENT)
    assert found is not None, f"questionnaire {version} is not archived"
    return found


NEW = _archived("1.1.1")  # archived since 1.2.0; this file is about 1.1.0 -> 1.1.1
OLD = _archived("1.1.0")


def test_the_1_1_0_questionnaire_stays_loadable_with_its_shipped_hash() -> None:
    assert OLD is not None and (NEW.id, "1.1.0") in archived_versions()
    assert OLD.content_hash == "045ea795f8f8685fc9bf87c9376947c81a5eb7ba8c8634a3069468b6c6709dc1"
    assert NEW.content_hash != OLD.content_hash


def test_only_typography_changed_so_every_question_is_unchanged() -> None:
    assert OLD is not None
    plan = plan_upgrade(OLD, NEW)
    assert {c.kind for c in plan.changes} == {"unchanged"}
    assert [c.question_id for c in plan.changes] == [q.id for q in OLD.questions]
    # the French texts did change: a narrow no-break space before ? ! ; :
    changed = [q.id for q in NEW.questions if q.text.fr != OLD.question(q.id).text.fr]
    assert changed and all("\u202f" in NEW.question(qid).text.fr for qid in changed)


def test_wording_ignores_the_kind_of_space_but_not_the_words() -> None:
    assert wording("Existe-t-il un cadre ?") == wording("Existe-t-il un cadre\u202f?")
    assert wording("a\u00a0;  b") == wording("a ; b")
    assert wording("Is there a framework?") != wording("Is there a strategy?")


def _on_1_1_0(session: Session) -> tuple[str, AnswersDocument]:
    assert OLD is not None
    doc = demo_documents(OLD)[0]
    doc = doc.model_copy(update={"illustrative": False, "status": "draft", "questionnaire_version": "1.1.0",
                                 "questionnaire_hash": OLD.content_hash})
    first = next(iter(doc.answers))
    doc.answers[first] = doc.answers[first].model_copy(update={"review": True})
    service.import_document(session, doc=doc, questionnaire=OLD)
    (found,) = [a for a in service.list_assessments(session) if a.country == doc.country]
    return found.id, doc


def test_a_1_1_0_assessment_keeps_every_answer_and_nothing_is_to_review(session: Session) -> None:
    assert OLD is not None
    assessment_id, before = _on_1_1_0(session)
    scored_before = score(OLD, service.get_document(session, assessment_id))
    assert outdated_assessments(session, NEW) == [assessment_id]
    report = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
    assert report.to_review == report.to_answer == report.moved_to_history == []
    assert report.kept == sorted(before.answers)
    view = service.get_assessment(session, assessment_id)
    assert (view.questionnaire_version, view.questionnaire_hash) == ("1.1.1", NEW.content_hash)
    for qid, answer in before.answers.items():
        kept = view.answers[qid]
        assert (kept.value, kept.evidence, kept.review) == (answer.value, answer.evidence, answer.review)
    scored_after = score(NEW, service.get_document(session, assessment_id))
    assert scored_after.overall == scored_before.overall
    assert [p.score for p in scored_after.pillars] == [p.score for p in scored_before.pillars]
    assert outdated_assessments(session, NEW) == []
