"""An assessment returned with queries takes a file again, from those who may edit it, through the same plan.

The focal point imports the whole assessment; a contributor limited to some pillars imports the answers of
those pillars only (a row in another pillar is a located problem naming that pillar, and nothing is written);
once the adviser has it, no file changes it and the refusal says who can hand it back.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import audit, service
from assessment.access import Actor, Grant
from exchange import build_workbook
from exchange.plan import PlanRefused, apply_plan, make_plan, problem_text
from exchange.workbook import read_workbook_patch
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc
from tests.exchange.helpers import edit, set_cell

FOCAL = Actor(name="fp@ken", grants=(Grant("focal_point", "KEN"),), user_id="u-fp")
IPV6_ONLY = Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),), user_id="u-c")


def _returned(session: Session, mini: Questionnaire) -> str:
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=40.0)}, status="draft")
    aid = service.import_document(session, doc=doc, questionnaire=mini).assessment_id
    for action in ("submit", "review", "return"):
        service.transition(session, assessment_id=aid, action=action)
    assert service.get_assessment(session, aid).status == "returned"
    return aid


def _workbook(mini: Questionnaire, *cells: tuple[str, str, object]) -> bytes:
    data = build_workbook(mini, "fr", country="KEN", cycle=2025)
    for qid, column, value in cells:
        data = edit(data, set_cell(mini, qid, column, value))
    return data


def test_the_focal_point_imports_into_a_returned_assessment_and_it_stays_returned(
    session: Session, mini: Questionnaire
) -> None:
    aid = _returned(session, mini)
    patch = read_workbook_patch(mini, _workbook(mini, ("v6_users", "answer", 55)))
    plan = make_plan(session, patch=patch, questionnaire=mini, actor=FOCAL)
    assert plan.ready, plan.refusal
    assert [(c.question_id, c.part) for c in plan.changes] == [("v6_users", "answer")]
    apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    after = service.get_assessment(session, aid)
    assert after.answers["v6_users"].value == 55.0
    assert after.status == "returned"  # handing it in again is the focal point's explicit step


def test_a_file_that_says_submitted_resubmits_a_returned_assessment_after_the_plan_says_so(
    session: Session, mini: Questionnaire
) -> None:
    aid = _returned(session, mini)
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=41.0)}, status="submitted")
    service.import_document(session, doc=doc, questionnaire=mini, actor=FOCAL)
    assert service.get_assessment(session, aid).status == "resubmitted"  # not "submitted": the adviser sees it again


def test_a_contributor_imports_the_answers_of_their_pillar(session: Session, mini: Questionnaire) -> None:
    aid = _returned(session, mini)
    patch = read_workbook_patch(mini, _workbook(mini, ("v6_awareness", "answer", "2 - Developing")))
    plan = make_plan(session, patch=patch, questionnaire=mini, actor=IPV6_ONLY)
    assert plan.ready, (plan.problems, plan.refusal)
    apply_plan(session, plan=plan, questionnaire=mini, actor=IPV6_ONLY)
    after = service.get_assessment(session, aid)
    assert after.answers["v6_awareness"].value == "developing"
    assert [e.by for e in service.change_log(session, assessment_id=aid, question_id="v6_awareness")] == ["c@ken"]


def test_a_contributors_row_in_another_pillar_is_refused_naming_it_and_nothing_is_written(
    session: Session, mini: Questionnaire
) -> None:
    aid = _returned(session, mini)
    before = service.get_assessment(session, aid)
    data = _workbook(mini, ("v6_awareness", "answer", "2 - Developing"), ("pol_framework", "evidence", "Loi 12"))
    plan = make_plan(session, patch=read_workbook_patch(mini, data), questionnaire=mini, actor=IPV6_ONLY)
    assert not plan.ready
    [problem] = plan.problems
    text = problem_text(mini, problem, "fr")
    assert "«\u202fCadre politique et réglementaire favorable\u202f»" in text
    assert "rien n'a été importé" in text and "pol_framework" not in text
    assert problem.row is not None  # located: the user finds the row
    with pytest.raises(PlanRefused):
        apply_plan(session, plan=plan, questionnaire=mini, actor=IPV6_ONLY)
    assert service.get_assessment(session, aid).answers == before.answers  # not even their own pillar's row


def test_a_contributors_file_may_not_set_targets(session: Session, mini: Questionnaire) -> None:
    _returned(session, mini)
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=40.0)}, status="draft",
                   targets={"ipv6": 80.0})
    from exchange.patch import patch_from_document

    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini, actor=IPV6_ONLY)
    assert plan.refusal is not None and "focal" in plan.refusal.text("en")


def test_a_contributor_cannot_start_an_assessment_by_file(session: Session, mini: Questionnaire) -> None:
    patch = read_workbook_patch(mini, _workbook(mini, ("v6_users", "answer", 5)))
    with pytest.raises(service.Forbidden) as info:
        make_plan(session, patch=patch, questionnaire=mini, actor=IPV6_ONLY)
    assert "point focal" in info.value.text("fr")


@pytest.mark.parametrize("steps", [("submit", "review"), ("submit", "review", "validate")])
def test_with_the_adviser_no_file_changes_it_and_the_refusal_says_whom_to_ask(
    session: Session, mini: Questionnaire, steps: tuple[str, ...]
) -> None:
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=40.0)}, status="draft")
    aid = service.import_document(session, doc=doc, questionnaire=mini).assessment_id
    for action in steps:
        service.transition(session, assessment_id=aid, action=action)  # type: ignore[arg-type]
    plan = make_plan(session, patch=read_workbook_patch(mini, _workbook(mini, ("v6_users", "answer", 9))),
                     questionnaire=mini, actor=FOCAL)
    assert plan.refusal is not None
    assert "conseiller" in plan.refusal.text("fr") and "rouvrez" not in plan.refusal.text("fr")
    with pytest.raises(PlanRefused):
        apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert service.get_assessment(session, aid).answers["v6_users"].value == 40.0


def _hand_ins(session: Session, aid: str) -> list[dict[str, object]]:
    return [e.detail for e in audit.events(session, event="status") if e.assessment_id == aid]


def test_a_file_that_says_submitted_moves_a_draft_by_the_workflow_and_the_audit_trail_says_so(
    session: Session, mini: Questionnaire
) -> None:
    """Issue 13 leftover: the plan shows the move first, then it is the Submit move, audited with who and why."""
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=40.0)}, status="draft")
    aid = service.import_document(session, doc=doc, questionnaire=mini, actor=FOCAL).assessment_id
    patch = replace(read_workbook_patch(mini, _workbook(mini, ("v6_users", "answer", 55))), status="submitted")
    plan = make_plan(session, patch=patch, questionnaire=mini, actor=FOCAL)
    assert plan.ready, plan.refusal
    assert [(c.part, c.old, c.new) for c in plan.changes if c.part == "status"] == [("status", "draft", "submitted")]
    assert _hand_ins(session, aid) == []  # the plan alone changes nothing
    apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert service.get_assessment(session, aid).status == "submitted"
    events = [e for e in audit.events(session, event="status") if e.assessment_id == aid]
    assert [(e.by, e.detail) for e in events] == [
        ("fp@ken", {"from": "draft", "to": "submitted", "action": "submit", "note": "", "source": "import"}),
    ]
    moves = [(e.old, e.new, e.by) for e in service.change_log(session, assessment_id=aid) if e.field == "status"]
    assert moves == [("draft", "submitted", "fp@ken")]


def test_an_answers_document_that_says_submitted_is_audited_as_a_submit_move(
    session: Session, mini: Questionnaire
) -> None:
    doc = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer(value=40.0)}, status="submitted")
    aid = service.import_document(session, doc=doc, questionnaire=mini, actor=FOCAL).assessment_id
    assert service.get_assessment(session, aid).status == "submitted"
    assert _hand_ins(session, aid) == [
        {"from": "draft", "to": "submitted", "action": "submit", "note": "", "source": "import"},
    ]
