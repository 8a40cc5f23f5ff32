"""The import plan: a file never clears what it does not speak about, and a plan is applied only as shown."""

from __future__ import annotations

from typing import cast

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import service
from exchange import build_workbook
from exchange.patch import ImportPatch, patch_from_document
from exchange.plan import (
    Change,
    ImportPlan,
    PlanChanged,
    PlanRefused,
    apply_plan,
    make_plan,
    plan_rows,
    plan_summary,
    problem_text,
    question_label,
)
from exchange.workbook import read_workbook_patch
from questionnaires import Questionnaire
from questionnaires.messages import t
from tests.compare.conftest import make_doc
from tests.exchange.helpers import edit, set_cell

RICH = {
    "pol_framework": Answer(value="adopted", evidence="Law 12/2020", comment="Checked by the ministry", review=True),
    "pol_elements": Answer(value=["licensing"], evidence="Decree 4"),
    "pol_city": Answer(not_applicable=True, justification="Cities are provincial"),
    "v6_users": Answer(value=40.0, comment="From the 2024 survey"),
}


def _saved(session: Session, mini: Questionnaire) -> str:
    doc = make_doc(mini, "KEN", 2025, answers=dict(RICH), status="draft",
                   targets={"ipv6": 60.0, "overall": "advancing"})
    return service.import_document(session, doc=doc, questionnaire=mini).assessment_id


def _one_answer_workbook(mini: Questionnaire, lang: str = "en") -> bytes:
    blank = build_workbook(mini, lang, country="KEN", cycle=2025)
    typed = "2 - Developing" if lang == "en" else "2 — en cours d’élaboration"  # a hyphen, an em dash, a ’
    return edit(blank, set_cell(mini, "v6_awareness", "answer", typed))


def test_a_workbook_with_one_answer_keeps_every_other_saved_answer(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    plan = make_plan(session, patch=read_workbook_patch(mini, _one_answer_workbook(mini)), questionnaire=mini)
    assert [(c.question_id, c.part) for c in plan.changes] == [("v6_awareness", "answer")]
    assert set(plan.untouched) == set(RICH)
    apply_plan(session, plan=plan, questionnaire=mini)
    after = service.get_assessment(session, aid)
    for qid, answer in before.answers.items():
        assert after.answers[qid] == answer  # evidence, comments, review flags all kept
    assert after.targets == before.targets
    assert after.answers["v6_awareness"].value == "developing"


def test_blank_cells_and_omitted_json_questions_change_nothing(session: Session, mini: Questionnaire) -> None:
    _saved(session, mini)
    blank = build_workbook(mini, "fr", country="KEN", cycle=2025)
    assert make_plan(session, patch=read_workbook_patch(mini, blank), questionnaire=mini).changes == []
    partial = make_doc(mini, "KEN", 2025, answers={"v6_users": Answer.model_validate({"value": 50})}, status="draft")
    plan = make_plan(session, patch=patch_from_document(partial.model_validate(
        partial.model_dump(exclude={"targets", "status"}, exclude_unset=True))), questionnaire=mini)
    assert [(c.question_id, c.part) for c in plan.changes] == [("v6_users", "answer")]  # comment kept


def test_the_clear_marker_clears_and_the_plan_says_so(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    data = edit(build_workbook(mini, "en", country="KEN", cycle=2025),
                set_cell(mini, "pol_framework", "evidence", "(clear)"))
    data = edit(data, set_cell(mini, "v6_users", "answer", "(effacer)"))
    plan = make_plan(session, patch=read_workbook_patch(mini, data), questionnaire=mini)
    rows = plan_rows(mini, plan, "fr")
    assert {(r["part"], r["saved"], r["file"]) for r in rows} == {
        ("Justificatifs", "Law 12/2020", "(vide)"), ("Réponse", "40", "(vide)"),
    }
    assert all(r["question"][0].isdigit() and "pol_" not in r["question"] for r in rows)  # number and text, no id
    apply_plan(session, plan=plan, questionnaire=mini)
    after = service.get_assessment(session, aid)
    assert after.answers["pol_framework"].evidence is None
    assert after.answers["pol_framework"].value == "adopted"
    assert after.answers["v6_users"].value is None
    assert after.answers["v6_users"].comment == "From the 2024 survey"


def test_a_change_saved_after_the_plan_was_shown_is_not_overwritten(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    data = edit(build_workbook(mini, "en", country="KEN", cycle=2025), set_cell(mini, "v6_users", "answer", 10))
    plan = make_plan(session, patch=read_workbook_patch(mini, data), questionnaire=mini)
    version = service.get_assessment(session, aid).versions["v6_users"]
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="v6_users",
                        answer=Answer(value=75.0), expected_version=version)
    with pytest.raises(PlanChanged) as info:
        apply_plan(session, plan=plan, questionnaire=mini)
    assert service.get_assessment(session, aid).answers["v6_users"].value == 75.0
    new = info.value.plan
    assert [(c.old.value, c.new.value) for c in new.changes] == [(75.0, 10.0)]
    apply_plan(session, plan=new, questionnaire=mini)  # the new plan, confirmed, applies
    assert service.get_assessment(session, aid).answers["v6_users"].value == 10.0


def test_a_submitted_assessment_is_refused_and_not_changed(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    service.submit_assessment(session, assessment_id=aid)
    plan = make_plan(session, patch=read_workbook_patch(mini, _one_answer_workbook(mini)), questionnaire=mini)
    assert plan.refusal is not None and not plan.ready
    with pytest.raises(PlanRefused):
        apply_plan(session, plan=plan, questionnaire=mini)
    assert "v6_awareness" not in service.get_assessment(session, aid).answers


def test_not_applicable_without_justification_uses_the_saved_one_or_is_a_located_problem(
    session: Session, mini: Questionnaire
) -> None:
    _saved(session, mini)
    data = edit(build_workbook(mini, "en", country="KEN", cycle=2025),
                set_cell(mini, "v6_awareness", "not_applicable", "yes"))
    plan = make_plan(session, patch=read_workbook_patch(mini, data), questionnaire=mini)
    assert not plan.ready
    text = problem_text(mini, plan.problems[0], "en")
    assert "row" in text and "2.2" in text and "v6_awareness" not in text


@pytest.mark.parametrize(("lang", "colon", "comma"), [("zh", "\uff1a", "\uff0c"), ("ar", ": ", "\u060c ")])
def test_a_plan_problem_is_located_with_the_colon_and_comma_of_the_readers_language(
    session: Session, mini: Questionnaire, lang: str, colon: str, comma: str
) -> None:
    """The plan's rows joined "表 …, 第 … 行, 2.2: …" with ASCII marks: Chinese writes "：" and "，", Arabic "،"."""
    _saved(session, mini)
    data = edit(build_workbook(mini, "en", country="KEN", cycle=2025),
                set_cell(mini, "v6_awareness", "not_applicable", "yes"))
    plan = make_plan(session, patch=read_workbook_patch(mini, data), questionnaire=mini)
    problem = plan.problems[0]
    where = [t("ui.plan.at_sheet", lang, sheet=problem.sheet), t("ui.plan.at_row", lang, row=problem.row),
             question_label(mini, "v6_awareness", lang)]
    assert problem_text(mini, problem, lang) == comma.join(where) + colon + problem.reason.text(lang)


def test_targets_follow_the_same_rule(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    doc = make_doc(mini, "KEN", 2025, answers={}, status="draft", targets={"overall": "advancing"})
    plan = make_plan(session, patch=patch_from_document(doc), questionnaire=mini)
    assert plan.changes == []  # ipv6's target is not named: kept
    apply_plan(session, plan=plan, questionnaire=mini)
    assert service.get_assessment(session, aid).targets == {"ipv6": 60.0, "overall": "advancing"}


def test_a_new_assessment_is_created_from_the_plan(session: Session, mini: Questionnaire) -> None:
    plan = make_plan(session, patch=read_workbook_patch(mini, _one_answer_workbook(mini, "fr")), questionnaire=mini)
    assert plan.created
    result = apply_plan(session, plan=plan, questionnaire=mini)
    assert result.created
    assert service.get_assessment(session, result.assessment_id).answers["v6_awareness"].value == "developing"
    again = make_plan(session, patch=plan.patch, questionnaire=mini)
    assert again.changes == [] and not again.created


def _plan(changes: list[tuple[str, str]], untouched: int, *, created: bool = False) -> ImportPlan:
    return ImportPlan(patch=cast(ImportPatch, None), assessment_id=None if created else "a1", assessment_version=1,
                      answer_versions={}, changes=[Change(q, part, None, None) for q, part in changes],
                      untouched=[f"q{i}" for i in range(untouched)], answers={}, targets=None, status=None)


@pytest.mark.parametrize(("changes", "untouched", "lang", "expected"), [
    ([("a", "answer")], 1, "en", "K 2025: 1 change in 1 question; 1 other saved answer stays as it is. Nothing"),
    ([("a", "answer"), ("a", "comment")], 0, "en", "K 2025: 2 changes in 1 question; 0 other saved answers stay as"),
    ([("a", "answer"), ("b", "answer")], 3, "fr",
     "K 2025\u202f: 2 changements dans 2 questions\u202f; 3 autres réponses enregistrées restent telles quelles."),
    ([("a", "answer")], 0, "fr",  # French: 0 takes the singular
     "K 2025\u202f: 1 changement dans 1 question\u202f; 0 autre réponse enregistrée reste telle quelle."),
])
def test_the_plan_summary_gives_each_count_its_own_plural(
    changes: list[tuple[str, str]], untouched: int, lang: str, expected: str
) -> None:
    assert plan_summary(_plan(changes, untouched), lang, country="K", cycle=2025).startswith(expected)


def test_a_new_assessment_plan_counts_its_changes_and_questions() -> None:
    one = _plan([("a", "answer"), ("a", "comment")], 0, created=True)
    assert "a new assessment with 2 changes in 1 question. " in plan_summary(one, "en", country="K", cycle=2025)
    assert "avec 2 changements dans 1 question." in plan_summary(one, "fr", country="K", cycle=2025)
