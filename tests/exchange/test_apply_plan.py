"""Applying an import plan: what is written, who is recorded, what is audited, and when nothing is written.

The plan is shown first; :func:`apply_plan` writes it only if what is saved is still what it showed, all or
nothing, and says what it did (the same count the plan showed).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from answers.document import Answer
from assessment import audit, service
from assessment.access import Actor, Grant
from exchange import plan as plan_module
from exchange.patch import patch_from_document
from exchange.plan import ImportPlan, PlanChanged, PlanRefused, apply_plan, make_plan
from questionnaires import Questionnaire
from tests.compare.conftest import make_doc

FOCAL = Actor(name="fp@ken", grants=(Grant("focal_point", "KEN"),), user_id="u-fp")


def _saved(session: Session, mini: Questionnaire) -> str:
    doc = make_doc(mini, "KEN", 2025, status="draft", targets={"ipv6": 60.0},
                   answers={"v6_users": Answer(value=40.0, comment="From the survey")})
    return service.import_document(session, doc=doc, questionnaire=mini).assessment_id


def _plan(session: Session, mini: Questionnaire, *, actor: Any = FOCAL, **kw: Any) -> ImportPlan:
    doc = make_doc(mini, "KEN", 2025, **{"status": "draft", **kw})
    return make_plan(session, patch=patch_from_document(doc), questionnaire=mini, actor=actor)


def _imports(session: Session, aid: str | None = None) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
    return [(e.by, e.country, e.assessment_id, e.detail) for e in audit.events(session, event="import")
            if aid is None or e.assessment_id == aid]


def _stale_first(monkeypatch: pytest.MonkeyPatch, stale: ImportPlan) -> list[int]:
    """The check before writing sees ``stale`` (a save raced it); later plans are made for real. Returns the calls."""
    real = plan_module.make_plan
    calls: list[int] = []

    def check_then_race(*args: Any, **kw: Any) -> ImportPlan:
        calls.append(1)
        return stale if len(calls) == 1 else real(*args, **kw)

    monkeypatch.setattr(plan_module, "make_plan", check_then_race)
    return calls


def test_applying_a_plan_audits_one_import_with_who_the_country_the_assessment_and_the_plans_count(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    before = _imports(session, aid)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0, comment="Revised"),
                                         "v6_awareness": Answer(value="planned")})
    assert len(plan.changes) == 3  # v6_users' answer and comment, v6_awareness' answer
    apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert _imports(session, aid) == [  # newest first
        ("fp@ken", "KEN", aid, {"cycle": 2025, "created": False, "changed": 3}), *before,
    ]


def test_applying_a_plan_says_how_many_changes_in_how_many_questions_it_wrote(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0, comment="Revised"),
                                         "v6_awareness": Answer(value="planned")})
    result = apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert result == service.ImportResult(assessment_id=aid, created=False, changed=3, questions=2)


def test_a_new_assessment_from_a_plan_is_created_by_the_importer_and_audited_as_created(
    session: Session, mini: Questionnaire
) -> None:
    plan = _plan(session, mini, answers={"v6_users": Answer(value=5.0)}, targets={"ipv6": 50.0})
    assert plan.created and len(plan.changes) == 2  # the answer and the target
    result = apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert (result.created, result.changed, result.questions) == (True, 2, 1)
    view = service.get_assessment(session, result.assessment_id)
    assert (view.created_by, view.updated_by) == ("fp@ken", "fp@ken")
    assert (view.answers["v6_users"].value, view.targets) == (5.0, {"ipv6": 50.0})
    assert _imports(session, result.assessment_id) == [
        ("fp@ken", "KEN", result.assessment_id, {"cycle": 2025, "created": True, "changed": 2}),
    ]
    [by] = {e.by for e in service.change_log(session, assessment_id=result.assessment_id)}
    assert by == "fp@ken"


def test_a_plan_that_changes_nothing_writes_nothing_and_audits_nothing(session: Session, mini: Questionnaire) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    audited = _imports(session, aid)
    logged = service.change_log(session, assessment_id=aid)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=40.0, comment="From the survey")})
    assert plan.changes == []
    result = apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert result == service.ImportResult(assessment_id=aid, created=False, changed=0, questions=0)
    after = service.get_assessment(session, aid)
    assert (after.version, after.updated_at, after.updated_by) == (before.version, before.updated_at,
                                                                   before.updated_by)
    assert _imports(session, aid) == audited
    assert service.change_log(session, assessment_id=aid) == logged


def test_answers_of_a_file_are_logged_each_by_the_importer_with_old_and_new(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    logged = len(service.change_log(session, assessment_id=aid))
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0, comment="From the survey"),
                                         "v6_awareness": Answer(value="planned")})
    apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    new = service.change_log(session, assessment_id=aid)[logged:]
    assert {e.by for e in new} == {"fp@ken"}
    assert {e.question_id for e in new} == {"v6_users", "v6_awareness"}  # a saved row and a new row
    after = service.get_assessment(session, aid)
    assert after.answers["v6_users"] == Answer(value=55.0, comment="From the survey")
    assert after.answers["v6_awareness"] == Answer(value="planned")


def test_answers_only_stamp_who_and_when_without_bumping_the_assessments_version(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    apply_plan(session, plan=_plan(session, mini, answers={"v6_users": Answer(value=55.0)}), questionnaire=mini,
               actor=FOCAL)
    after = service.get_assessment(session, aid)
    assert after.version == before.version  # two people saving different questions do not conflict
    assert after.updated_by == "fp@ken" and after.updated_at > before.updated_at
    [audited] = [e for e in audit.events(session, event="import") if e.assessment_id == aid][:1]
    assert audited.at == after.updated_at  # the audit row carries the import's own time, as the assessment does


def test_targets_from_a_file_are_written_logged_old_and_new_and_bump_the_assessments_version(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    plan = _plan(session, mini, answers={}, targets={"overall": "advancing"})
    assert [(c.part, c.old, c.new) for c in plan.changes] == [("target:overall", None, "advancing")]
    result = apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert (result.changed, result.questions) == (1, 0)
    after = service.get_assessment(session, aid)
    assert after.targets == {"ipv6": 60.0, "overall": "advancing"}
    assert after.version == before.version + 1 and after.updated_by == "fp@ken"
    [entry] = [e for e in service.change_log(session, assessment_id=aid) if e.field == "targets"][-1:]
    assert (entry.question_id, entry.old, entry.new, entry.by) == (
        None, {"ipv6": 60.0}, {"ipv6": 60.0, "overall": "advancing"}, "fp@ken")


def test_a_plan_shown_with_a_problem_is_refused_as_it_was_shown_and_nothing_is_written(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0)}, targets={"ipv6": 70.0},
                 actor=Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),)))
    assert plan.refusal is not None  # a contributor's file may not set targets
    with pytest.raises(PlanRefused) as info:
        apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert info.value.plan is plan
    assert str(info.value) == "KEN 2025: the import cannot be applied"
    assert service.get_assessment(session, aid) == before


def test_a_plan_that_became_refusable_since_it_was_shown_is_refused_with_the_new_plan(
    session: Session, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = _saved(session, mini)
    before = service.get_assessment(session, aid)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0)})
    refused = replace(plan, refusal=service.not_editable_by_file(service._get(session, aid)))
    monkeypatch.setattr(plan_module, "make_plan", lambda *a, **k: refused)  # same stamp, now refused
    with pytest.raises(PlanRefused) as info:
        apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert info.value.plan is refused
    assert service.get_assessment(session, aid) == before


def test_a_save_after_the_plan_was_shown_raises_the_new_plan_and_writes_nothing_of_the_old(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    plan = _plan(session, mini, answers={"v6_users": Answer(value=55.0)}, targets={"ipv6": 70.0})
    service.set_targets(session, assessment_id=aid, targets={"ipv6": 65.0})  # someone else, meanwhile
    with pytest.raises(PlanChanged) as info:
        apply_plan(session, plan=plan, questionnaire=mini, actor=FOCAL)
    assert str(info.value) == "KEN 2025: the saved assessment changed since the plan was shown"
    assert [(c.part, c.old, c.new) for c in info.value.plan.changes if c.question_id is None] == [
        ("target:ipv6", 65.0, 70.0)]
    after = service.get_assessment(session, aid)
    assert (after.targets, after.answers["v6_users"].value) == ({"ipv6": 65.0}, 40.0)


def test_a_save_between_the_check_and_the_write_is_caught_by_the_answers_version_and_nothing_is_written(
    session: Session, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan is re-made just before writing; a save landing after that check still changes the row's
    version, which the write compares: nothing is written, and the plan against what is saved now is raised."""
    aid = _saved(session, mini)
    audited = _imports(session, aid)
    shown = _plan(session, mini, answers={"v6_users": Answer(value=55.0), "v6_awareness": Answer(value="none")})
    stale = replace(shown, answer_versions={**shown.answer_versions, "v6_users": shown.answer_versions["v6_users"] - 1})
    calls = _stale_first(monkeypatch, stale)
    with pytest.raises(PlanChanged) as info:
        apply_plan(session, plan=stale, questionnaire=mini, actor=FOCAL)
    assert len(calls) == 2 and info.value.plan.stamp() == shown.stamp()  # the plan against what is saved now
    after = service.get_assessment(session, aid)
    assert after.answers["v6_users"].value == 40.0 and "v6_awareness" not in after.answers
    assert _imports(session, aid) == audited


def test_applying_a_plan_commits_it_so_another_session_reads_it(
    session: Session, mini: Questionnaire, db_engine: Engine
) -> None:
    aid = _saved(session, mini)
    apply_plan(session, plan=_plan(session, mini, answers={"v6_users": Answer(value=55.0)}), questionnaire=mini,
               actor=FOCAL)
    with Session(db_engine) as other:
        assert service.get_assessment(other, aid).answers["v6_users"].value == 55.0


def test_a_contributor_for_every_pillar_applies_their_answers_under_their_own_name(
    session: Session, mini: Questionnaire
) -> None:
    aid = _saved(session, mini)
    everyone = Actor(name="all@ken", grants=(Grant("contributor", "KEN"),))  # no pillar named: every pillar
    plan = _plan(session, mini, actor=everyone, answers={"v6_users": Answer(value=55.0),
                                                         "pol_framework": Answer(value="planned")})
    assert plan.ready, (plan.problems, plan.refusal)
    result = apply_plan(session, plan=plan, questionnaire=mini, actor=everyone)
    assert (result.changed, result.questions) == (2, 2)
    after = service.get_assessment(session, aid)
    assert (after.answers["v6_users"].value, after.answers["pol_framework"].value) == (55.0, "planned")
    assert after.updated_by == "all@ken"
    assert _imports(session, aid)[0][:2] == ("all@ken", "KEN")


def test_a_contributors_plan_checked_again_for_them_is_refused_when_a_row_outside_their_pillars_now_differs(
    session: Session, mini: Questionnaire
) -> None:
    """The plan is made again, for the same person, before writing: a row of another pillar that matched what was
    saved when the plan was shown, and no longer does, is now a change they may not make: refused, nothing
    written."""
    aid = _saved(session, mini)
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="planned"), expected_version=None)
    ipv6_only = Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),))
    plan = _plan(session, mini, actor=ipv6_only, answers={"v6_users": Answer(value=55.0),
                                                          "pol_framework": Answer(value="planned")})
    assert plan.ready and plan.questions_changed == ["v6_users"]  # pol_framework: as saved, no change
    version = service.get_assessment(session, aid).versions["pol_framework"]
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="adopted"), expected_version=version)  # the focal point, meanwhile
    with pytest.raises(PlanRefused) as info:
        apply_plan(session, plan=plan, questionnaire=mini, actor=ipv6_only)
    [problem] = info.value.plan.problems
    assert problem.question_id == "pol_framework"
    assert "Enabling policy and regulatory framework" in problem.reason.text("en")
    assert service.get_assessment(session, aid).answers["v6_users"].value == 40.0


def test_the_plan_raised_after_a_save_between_the_check_and_the_write_is_made_for_the_contributor(
    session: Session, mini: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caught at the write, the race raises the plan against what is saved now, made for the same person: a row of
    another pillar that now differs is a problem of theirs, not a change (as it would be for the focal point)."""
    aid = _saved(session, mini)
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="planned"), expected_version=None)
    ipv6_only = Actor(name="c@ken", grants=(Grant("contributor", "KEN", frozenset({"ipv6"})),))
    shown = _plan(session, mini, actor=ipv6_only, answers={"v6_users": Answer(value=55.0),
                                                           "pol_framework": Answer(value="planned")})
    assert shown.ready and shown.questions_changed == ["v6_users"]
    stale = replace(shown, answer_versions={"v6_users": shown.answer_versions["v6_users"] - 1})
    version = service.get_assessment(session, aid).versions["pol_framework"]
    service.save_answer(session, assessment_id=aid, questionnaire=mini, question_id="pol_framework",
                        answer=Answer(value="adopted"), expected_version=version)  # the focal point, meanwhile
    calls = _stale_first(monkeypatch, stale)
    with pytest.raises(PlanChanged) as info:
        apply_plan(session, plan=stale, questionnaire=mini, actor=ipv6_only)
    new = info.value.plan
    assert len(calls) == 2
    assert [p.question_id for p in new.problems] == ["pol_framework"]
    assert new.questions_changed == ["v6_users"]
    assert service.get_assessment(session, aid).answers["v6_users"].value == 40.0
