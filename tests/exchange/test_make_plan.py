"""What a plan lists, read from what is saved: each part that changes with both its sides, the status a file's
"submitted" leads to, the problems the file itself causes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from answers.document import Answer
from assessment import service
from assessment.access import Actor, Grant
from assessment.models import AnswerRecord, Assessment
from exchange.patch import ImportPatch, QuestionPatch, patch_from_document
from exchange.plan import ImportPlan, apply_plan, make_plan, problem_text
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc

NA = Answer(not_applicable=True, justification="Cities are provincial")


def _saved(session: Session, mini: Questionnaire, **answers: Answer) -> str:
    doc = make_doc(mini, "KEN", 2025, status="draft", targets={"ipv6": 60.0}, answers=answers)
    return service.import_document(session, doc=doc, questionnaire=mini).assessment_id


def test_a_new_justification_alone_is_one_change_showing_the_saved_and_the_files_text(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini, pol_city=NA)
    doc = make_doc(mini, "KEN", 2025, status="draft",
                   answers={"pol_city": Answer(not_applicable=True, justification="Set by each province")})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert [(c.question_id, c.part, c.old, c.new) for c in plan.changes] == [
        ("pol_city", "justification", "Cities are provincial", "Set by each province"),
    ]
    apply_plan(session, plan=plan, questionnaire=mini)
    assert service.get_assessment(session, aid).answers["pol_city"].justification == "Set by each province"


def test_a_file_saying_submitted_resubmits_a_returned_assessment_in_the_plan(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini, v6_users=Answer(value=40.0))
    for action in ("submit", "review", "return"):
        service.transition(session, assessment_id=aid, action=action)
    doc = make_doc(mini, "KEN", 2025, status="submitted", answers={"v6_users": Answer(value=40.0)})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert plan.status == "resubmitted"
    assert [(c.part, c.old, c.new) for c in plan.changes] == [("status", "returned", "resubmitted")]


def test_a_file_naming_a_country_that_is_not_a_member_state_is_a_problem_of_the_whole_file(
    session: Session, mini: Questionnaire
) -> None:
    doc = make_doc(mini, "ZZZ", 2025, status="draft", answers={"v6_users": Answer(value=40.0)})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert not plan.ready
    assert [(p.question_id, "ZZZ" in p.reason.text("en")) for p in plan.problems] == [(None, True)]


def test_an_assessment_read_by_the_caller_is_the_one_planned_against(session: Session, mini: Questionnaire) -> None:
    """A bulk import reads the saved assessments of many files in one query and passes each (None: none)."""
    _saved(session, mini, v6_users=Answer(value=40.0))
    doc = make_doc(mini, "KEN", 2025, status="draft", answers={"v6_users": Answer(value=40.0)})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini, found=None)
    assert plan.created and [(c.question_id, c.part) for c in plan.changes] == [("v6_users", "answer")]



def test_an_assessment_made_with_another_questionnaire_version_is_refused_naming_both_versions(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini, v6_users=Answer(value=40.0))
    newer = replace(mini, meta=mini.meta.model_copy(update={"version": "0.2.0"}))
    doc = make_doc(newer, "KEN", 2025, status="draft", answers={"v6_users": Answer(value=41.0)})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=newer)
    assert plan.refusal is not None and not plan.ready
    assert plan.refusal.text("en").startswith(
        "this assessment was made with questionnaire mini version 0.1.0, but the tool now uses mini version 0.2.0: "
        "upgrade it first")


def test_a_contributors_file_for_an_assessment_not_started_is_refused_naming_its_country_and_cycle(
    session: Session, mini: Questionnaire
) -> None:
    contributor = Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),))
    doc = make_doc(mini, "KEN", 2025, status="draft", answers={"v6_users": Answer(value=40.0)})
    with pytest.raises(service.Forbidden) as info:
        make_plan(session, patch=patch_from_document(doc), questionnaire=mini, actor=contributor)
    assert info.value.text("en").startswith("there is no Kenya 2025 assessment yet: its focal point starts it")


def test_a_plan_reads_the_assessment_as_saved_now_when_its_session_holds_an_older_copy(
    session: Session, mini: Questionnaire, db_engine: Engine
) -> None:
    """A long-lived session (the app's) keeps the assessment it read: another session's save since then is what
    the plan compares the file with, not that copy."""
    aid = _saved(session, mini, v6_users=Answer(value=40.0))
    held = session.get(Assessment, aid)  # the session now holds the assessment with the targets {ipv6: 60}
    assert held is not None and held.targets == {"ipv6": 60.0}
    with Session(db_engine) as other:
        service.set_targets(other, assessment_id=aid, targets={"ipv6": 70.0})
    doc = make_doc(mini, "KEN", 2025, status="draft", targets={"ipv6": 70.0}, answers={"v6_users": Answer(value=40.0)})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert plan.changes == []  # the file's target is the one saved now
    assert plan.assessment_version == service.get_assessment(session, aid).version


def test_a_value_its_question_does_not_accept_is_a_problem_of_the_files_row_though_the_merge_accepts_it(
    session: Session, mini: Questionnaire
) -> None:
    """The merge builds a well-formed answer; only the whole document's check knows the question's options."""
    _saved(session, mini, v6_users=Answer(value=40.0))
    doc = make_doc(mini, "KEN", 2025, status="draft", answers={"pol_framework": Answer(value="sometimes")})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert not plan.ready
    assert [(p.question_id, p.column) for p in plan.problems] == [("pol_framework", "value")]


def test_a_question_the_questionnaire_does_not_have_is_a_problem_located_at_its_row_and_the_next_rows_are_planned(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini, v6_users=Answer(value=40.0))
    patch = ImportPatch(questionnaire_id=mini.id, questionnaire_version=mini.version, country="KEN", cycle=2025,
                        questions={"v6_gone": QuestionPatch({"value": 1.0}, sheet="IPv6 adoption", row=9),
                                   "v6_users": QuestionPatch({"value": 55.0}, sheet="IPv6 adoption", row=10)})
    plan = make_plan(session, patch=patch, questionnaire=mini)
    assert [problem_text(mini, p, "en") for p in plan.problems] == [
        "sheet “IPv6 adoption”, row 9, (a question this questionnaire does not have): "
        "no such question in this questionnaire version"]
    assert [(c.question_id, c.part) for c in plan.changes] == [("v6_users", "answer")]


def _located(mini: Questionnaire, **questions: QuestionPatch) -> ImportPatch:
    return ImportPatch(questionnaire_id=mini.id, questionnaire_version=mini.version, country="KEN", cycle=2025,
                       questions=questions)


def test_an_answer_the_merge_refuses_is_a_problem_located_at_its_sheet_row_and_column_after_the_rows_before(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini, v6_users=Answer(value=40.0))
    patch = _located(mini, v6_gone=QuestionPatch({"value": 1.0}, sheet="IPv6 adoption", row=3),
                     v6_users=QuestionPatch({"comment": "x" * 10_001}, sheet="IPv6 adoption", row=4),
                     v6_awareness=QuestionPatch({"value": "none"}, sheet="IPv6 adoption", row=5))
    plan = make_plan(session, patch=patch, questionnaire=mini)
    assert [(p.question_id, p.sheet, p.row, p.column, p.reason.text("en")) for p in plan.problems] == [
        ("v6_gone", "IPv6 adoption", 3, None, "no such question in this questionnaire version"),
        ("v6_users", "IPv6 adoption", 4, "comment", "at most 10,000 characters")]
    assert [(c.question_id, c.part) for c in plan.changes] == [("v6_awareness", "answer")]  # the next row still planned


def _a_value_the_whole_check_refuses(session: Session, mini: Questionnaire) -> ImportPlan:
    """A file's row 5 of sheet Policy gives an option the scale lacks: only the whole document's check sees it."""
    _saved(session, mini, v6_users=Answer(value=40.0))
    patch = _located(mini, pol_framework=QuestionPatch({"value": "sometimes"}, sheet="Policy", row=5))
    return make_plan(session, patch=patch, questionnaire=mini)


def test_a_value_the_whole_documents_check_refuses_is_a_problem_located_at_the_files_sheet_row_and_column(
    session: Session, mini: Questionnaire
) -> None:
    plan = _a_value_the_whole_check_refuses(session, mini)
    assert [(p.question_id, p.sheet, p.row, p.column, p.reason.text("en")) for p in plan.problems] == [
        ("pol_framework", "Policy", 5, "value", "must be one of: none, planned, developing, adopted, advanced")]


def test_a_whole_documents_problem_about_a_files_row_reads_in_the_readers_language_not_as_its_english_message(
    session: Session, mini: Questionnaire
) -> None:
    plan = _a_value_the_whole_check_refuses(session, mini)
    assert [p.reason.text("fr") for p in plan.problems] == [
        "doit être l'une des valeurs\u202f: none, planned, developing, adopted, advanced"]


def test_a_row_the_file_restates_as_saved_is_a_problem_of_that_row_when_the_saved_value_no_longer_fits(
    session: Session, mini: Questionnaire
) -> None:
    """Saved when it fitted (written by an earlier release), checked again when a file names its row unchanged."""
    aid = _saved(session, mini, pol_framework=Answer(value="planned"))
    record = session.exec(select(AnswerRecord).where(AnswerRecord.assessment_id == aid,
                                                     AnswerRecord.question_id == "pol_framework")).one()
    record.value = "sometimes"
    session.add(record)
    session.commit()
    patch = _located(mini, pol_framework=QuestionPatch({"value": "sometimes"}, sheet="Policy", row=5))
    plan = make_plan(session, patch=patch, questionnaire=mini)
    assert [(p.question_id, p.sheet, p.row, p.column) for p in plan.problems] == [
        ("pol_framework", "Policy", 5, "value")]


def test_a_file_for_a_country_the_actor_has_no_role_in_is_refused_naming_that_country(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini, v6_users=Answer(value=40.0))
    senegal = Actor(name="fp@sen", grants=(Grant("focal_point", "SEN"),))
    with pytest.raises(service.Forbidden) as info:
        make_plan(session, patch=_located(mini, v6_users=QuestionPatch({"value": 55.0})), questionnaire=mini,
                  actor=senegal)
    assert info.value.text("en") == (
        "you may not import for Kenya: ask Kenya's focal point or an administrator to import this file, "
        "or an administrator to give you a role for Kenya")
    assert info.value.text("fr").startswith("vous ne pouvez pas importer de données pour ce pays (Kenya)")


def test_a_plan_for_an_assessment_not_yet_saved_is_made_from_version_zero_of_it_and_of_each_answer(
    session: Session, mini: Questionnaire
) -> None:
    plan = make_plan(session, patch=_located(mini, v6_users=QuestionPatch({"value": 55.0})), questionnaire=mini)
    assert plan.created
    assert plan.stamp() == (None, 0, (("v6_users", 0),))


def test_a_number_written_with_a_decimal_comma_is_planned_as_the_number(session: Session, mini: Questionnaire) -> None:
    plan = make_plan(session, patch=_located(mini, v6_users=QuestionPatch({"value": "12,5"})), questionnaire=mini)
    assert plan.answers["v6_users"].value == 12.5


def test_a_contributors_row_outside_their_pillars_is_a_problem_located_at_its_sheet_and_row_and_the_next_rows_planned(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini, v6_users=Answer(value=40.0))
    ipv6_only = Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),))
    patch = _located(mini, pol_framework=QuestionPatch({"value": "planned"}, sheet="Policy", row=5),
                     v6_users=QuestionPatch({"value": 55.0}, sheet="IPv6", row=4))
    plan = make_plan(session, patch=patch, questionnaire=mini, actor=ipv6_only)
    assert [(p.question_id, p.sheet, p.row) for p in plan.problems] == [("pol_framework", "Policy", 5)]
    assert plan.questions_changed == ["v6_users"]


def test_a_target_naming_a_tier_the_questionnaire_does_not_have_is_a_problem_of_the_file(
    session: Session, mini: Questionnaire
) -> None:
    patch = replace(_located(mini, v6_users=QuestionPatch({"value": 55.0})), targets={"overall": "legendary"})
    plan = make_plan(session, patch=patch, questionnaire=mini)
    assert [(p.question_id, p.column) for p in plan.problems] == [(None, "targets.overall")]
