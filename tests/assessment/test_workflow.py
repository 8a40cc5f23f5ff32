"""The validation workflow end to end through the services, with its log and audit trail (both databases)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import audit, review, service, workflow
from assessment.access import Actor, Grant
from questionnaires import Questionnaire

FOCAL = Actor("fp@ken.example", (Grant("focal_point", "KEN"),))
ADVISER = Actor("adviser@itu.example", (Grant("adviser"),))


def test_the_workflow_table_is_closed() -> None:
    for moves in workflow.TRANSITIONS.values():
        assert set(moves) <= set(workflow.STATES) and set(moves.values()) <= set(workflow.STATES)
    reachable = {"draft"} | {to for moves in workflow.TRANSITIONS.values() for to in moves.values()}
    assert reachable == set(workflow.STATES)


def test_submit_return_resubmit_validate_publish(session: Session, mini: Questionnaire, draft: str) -> None:
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                        answer=Answer(value=30.0), expected_version=None, actor=FOCAL)
    assert service.submit_assessment(session, assessment_id=draft, actor=FOCAL).status == "submitted"
    with pytest.raises(service.ServiceError):  # answers are read-only once handed in
        service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                            answer=Answer(value=31.0), expected_version=1, actor=FOCAL)
    assert service.transition(session, assessment_id=draft, action="review", actor=ADVISER).status == "under_review"
    thread = review.add_comment(session, assessment_id=draft, question_id="v6_users", body="Which survey?",
                                actor=ADVISER)
    returned = service.transition(session, assessment_id=draft, action="return", note="one query", actor=ADVISER)
    assert returned.status == "returned"
    # The country sees the open query, answers it and changes the answer, then hands it in again.
    assert [t.id for t in review.threads(session, assessment_id=draft, open_only=True, actor=FOCAL)] == [thread.id]
    review.reply(session, assessment_id=draft, thread_id=thread.id, body="ITU household survey 2024", actor=FOCAL)
    service.save_answer(session, assessment_id=draft, questionnaire=mini, question_id="v6_users",
                        answer=Answer(value=32.0, evidence="https://www.itu.int/survey"), expected_version=1,
                        actor=FOCAL)
    assert service.submit_assessment(session, assessment_id=draft, actor=FOCAL).status == "resubmitted"
    service.transition(session, assessment_id=draft, action="review", actor=ADVISER)
    review.set_resolved(session, assessment_id=draft, thread_id=thread.id, resolved=True, actor=ADVISER)
    assert review.threads(session, assessment_id=draft, open_only=True, actor=FOCAL) == []
    assert service.transition(session, assessment_id=draft, action="validate", actor=ADVISER).status == "validated"
    assert service.transition(session, assessment_id=draft, action="publish", actor=ADVISER).status == "published"

    moves = [(e.old, e.new, e.by) for e in service.change_log(session, assessment_id=draft) if e.field == "status"]
    assert moves == [
        ("draft", "submitted", FOCAL.name), ("submitted", "under_review", ADVISER.name),
        ("under_review", "returned", ADVISER.name), ("returned", "resubmitted", FOCAL.name),
        ("resubmitted", "under_review", ADVISER.name), ("under_review", "validated", ADVISER.name),
        ("validated", "published", ADVISER.name),
    ]
    status_events = [e for e in audit.events(session, event="status") if e.assessment_id == draft]
    assert len(status_events) == 7
    assert {"from": "under_review", "to": "returned", "action": "return", "note": "one query"} in [
        e.detail for e in status_events
    ]



def test_validating_with_open_queries_needs_an_acknowledgement(session: Session, draft: str) -> None:
    """Open queries block validation (count in the refusal) unless forced; the audit trail keeps the count."""
    service.submit_assessment(session, assessment_id=draft, actor=FOCAL)
    service.transition(session, assessment_id=draft, action="review", actor=ADVISER)
    for qid in ("v6_users", "pol_city"):
        review.add_comment(session, assessment_id=draft, question_id=qid, body="Source?", actor=ADVISER)
    resolved = review.add_comment(session, assessment_id=draft, question_id="v6_users", body="Year?", actor=ADVISER)
    review.set_resolved(session, assessment_id=draft, thread_id=resolved.id, resolved=True, actor=ADVISER)
    with pytest.raises(service.OpenQueries) as caught:
        service.transition(session, assessment_id=draft, action="validate", actor=ADVISER)
    assert caught.value.count == 2
    assert "still has 2 open review queries" in str(caught.value)
    assert "a encore 2 questions de revue ouvertes" in caught.value.text("fr")
    assert service.get_assessment(session, draft).status == "under_review"  # nothing written
    assert [e for e in audit.events(session, event="status") if e.detail.get("action") == "validate"] == []

    seen = service.open_queries(session, assessment_id=draft, actor=ADVISER)
    assert len(seen) == 2
    done = service.transition(session, assessment_id=draft, action="validate", note="good enough",
                              acknowledged_open=seen, actor=ADVISER)
    assert done.status == "validated"
    (event,) = [e for e in audit.events(session, event="status") if e.detail.get("action") == "validate"]
    assert event.detail == {"from": "under_review", "to": "validated", "action": "validate", "note": "good enough",
                            "open_queries": 2}
    assert event.by == ADVISER.name

def test_validating_refuses_an_acknowledgement_of_other_queries(session: Session, draft: str) -> None:
    """The adviser confirmed 1 open query; a second was opened since: refused (look again), nothing written."""
    service.submit_assessment(session, assessment_id=draft, actor=FOCAL)
    service.transition(session, assessment_id=draft, action="review", actor=ADVISER)
    first = review.add_comment(session, assessment_id=draft, question_id="v6_users", body="Source?", actor=ADVISER)
    seen = service.open_queries(session, assessment_id=draft, actor=ADVISER)
    review.add_comment(session, assessment_id=draft, question_id="pol_city", body="Year?", actor=ADVISER)
    with pytest.raises(service.OpenQueries) as caught:
        service.transition(session, assessment_id=draft, action="validate", acknowledged_open=seen, actor=ADVISER)
    assert caught.value.count == 2
    assert "changed since you confirmed them (then 1, now 2); nothing was validated" in str(caught.value)
    assert caught.value.text("fr").startswith(
        "les questions de revue ouvertes de l'évaluation Kenya 2025 ont changé depuis votre confirmation "
        "(alors 1, maintenant 2)")
    assert service.get_assessment(session, draft).status == "under_review"
    review.set_resolved(session, assessment_id=draft, thread_id=first.id, resolved=True, actor=ADVISER)
    with pytest.raises(service.OpenQueries):  # one resolved, one opened: still one open, but not the one confirmed
        service.transition(session, assessment_id=draft, action="validate", acknowledged_open=seen, actor=ADVISER)
    assert service.get_assessment(session, draft).status == "under_review"
    now = service.open_queries(session, assessment_id=draft, actor=ADVISER)
    done = service.transition(session, assessment_id=draft, action="validate", acknowledged_open=now, actor=ADVISER)
    assert done.status == "validated"
    (event,) = [e for e in audit.events(session, event="status") if e.detail.get("action") == "validate"]
    assert event.detail["open_queries"] == 1


def test_a_move_the_workflow_lacks_is_refused_and_changes_nothing(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    with pytest.raises(service.ServiceError) as refused:
        service.transition(session, assessment_id=draft, action="validate")
    assert "draft" in refused.value.text("en") and "brouillon" in refused.value.text("fr")
    assert refused.value.text("fr").startswith("l'évaluation Kenya 2025 est ")  # the name, not "KEN"
    assert "KEN" not in refused.value.text("fr") and "Kenya" in refused.value.text("en")
    assert service.get_assessment(session, draft).status == "draft"
    assert [e for e in service.change_log(session, assessment_id=draft) if e.field == "status"] == []


def test_the_focal_point_cannot_validate_its_own_assessment(session: Session, draft: str) -> None:
    service.submit_assessment(session, assessment_id=draft, actor=FOCAL)
    service.transition(session, assessment_id=draft, action="review", actor=ADVISER)
    with pytest.raises(service.Forbidden):
        service.transition(session, assessment_id=draft, action="validate", actor=FOCAL)


def test_repeating_a_move_is_harmless(session: Session, draft: str) -> None:
    first = service.submit_assessment(session, assessment_id=draft)
    again = service.submit_assessment(session, assessment_id=draft)
    assert first.version == again.version and again.status == "submitted"


def test_documents_count_every_handed_in_state_as_submitted(session: Session, draft: str) -> None:
    """Compare and exports read documents: a validated assessment must not fall back to a draft there."""
    service.submit_assessment(session, assessment_id=draft)
    moves: tuple[tuple[workflow.Transition, str], ...] = (
        ("review", "submitted"), ("return", "draft"), ("submit", "submitted"),
        ("review", "submitted"), ("validate", "submitted"), ("publish", "submitted"),
    )
    for action, doc_status in moves:
        service.transition(session, assessment_id=draft, action=action, actor=ADVISER if action != "submit" else FOCAL)
        assert service.get_document(session, draft).status == doc_status, action


def test_review_text_and_notes_lose_invisible_characters_and_refuse_control_ones(
    session: Session, mini: Questionnaire, draft: str
) -> None:
    """A bidi override would make a query or a note read differently from what it holds (answers.invisible)."""
    service.submit_assessment(session, assessment_id=draft, actor=FOCAL)
    service.transition(session, assessment_id=draft, action="review", actor=ADVISER)
    with pytest.raises(service.ServiceError) as info:  # NUL: PostgreSQL refuses it, SQLite would keep it
        review.add_comment(session, assessment_id=draft, question_id="v6_users", body="a\x00b", actor=ADVISER)
    assert info.value.reason is not None and info.value.reason.code == "control_char"
    thread = review.add_comment(session, assessment_id=draft, question_id="v6_users",
                                body="Source\u202e?\u202c \u2066ok\u2069\u200b", actor=ADVISER)
    assert thread.comments[0].body == "Source? ok"
    with pytest.raises(service.ServiceError):
        service.transition(session, assessment_id=draft, action="return", note="\x1b[2J", actor=ADVISER)
    service.transition(session, assessment_id=draft, action="return", note="\u202eyrreuq\u202c", actor=ADVISER)
    notes = [e.detail["note"] for e in audit.events(session, event="status") if e.assessment_id == draft]
    assert "yrreuq" in notes
