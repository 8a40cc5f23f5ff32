"""Consistency rules: contradicting answers give a warning; the demo generator never produces one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from answers.consistency import inconsistencies
from answers.document import Answer
from assessment.demo import demo_documents
from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from tests.strategies import document

Q = default_questionnaire()


def _ids(answers: dict[str, Answer]) -> list[str]:
    return [r.id for r in inconsistencies(Q, answers)]


def test_an_advanced_strategy_without_an_owner_is_flagged() -> None:
    answers = {"str_national_strategy": Answer(value="advanced"), "str_strategy_owner": Answer(value="no")}
    assert "strategy_adopted_has_owner" in _ids(answers)
    answers["str_strategy_owner"] = Answer(value="yes")
    assert "strategy_adopted_has_owner" not in _ids(answers)


def test_an_adopted_framework_leaving_out_data_protection_is_flagged() -> None:
    answers = {"pol_iot_legal_framework": Answer(value="adopted"),
               "pol_framework_elements": Answer(value=["authorization", "addressing"])}
    assert _ids(answers) == ["framework_adopted_covers_data_protection"]
    answers["pol_framework_elements"] = Answer(value=["authorization", "data_protection"])
    assert _ids(answers) == []


@pytest.mark.parametrize("then", [None, Answer(dont_know=True)])
def test_nothing_is_flagged_while_the_other_answer_is_missing(then: Answer | None) -> None:
    answers = {"str_national_strategy": Answer(value="advanced")}
    if then is not None:
        answers["str_strategy_owner"] = then
    assert _ids(answers) == []


def test_a_developing_strategy_needs_no_owner_yet() -> None:
    answers = {"str_national_strategy": Answer(value="developing"), "str_strategy_owner": Answer(value="no")}
    assert _ids(answers) == []


def test_the_demo_generator_never_contradicts_itself() -> None:
    docs = demo_documents(Q)
    assert [(d.country, d.cycle, _ids(d.answers)) for d in docs if _ids(d.answers)] == []


def test_every_rule_can_fire_and_be_satisfied() -> None:
    for rule in Q.meta.consistency:
        q_if, q_then = Q.question(rule.if_.question), Q.question(rule.then.question)
        best = Q.scales[q_if.scale or ""].options[-1].value
        bad = {q_if.id: Answer(value=best), q_then.id: Answer(value=[] if q_then.type == "multi" else "no")}
        if q_then.scale == "maturity5":
            bad[q_then.id] = Answer(value="none")
        assert rule.id in _ids(bad), rule.id
        doc = document(Q, bad)
        assert doc  # the contradiction is still a valid, scorable document: warnings never block


def _mini_with_rules(tmp_path: Path, rules: str) -> Questionnaire:
    """The mini questionnaire with the given ``consistency:`` rules (YAML) added, loaded."""
    shutil.copytree("tests/fixtures/mini", tmp_path / "mini")
    path = tmp_path / "mini" / "questionnaire.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "consistency:\n" + rules, encoding="utf-8")
    return load_questionnaire(tmp_path / "mini")


_MANY_USERS_AWARE = """\
  - id: many_users_aware
    if: {question: v6_users, min_score: 0.5}
    then: {question: v6_awareness, min_score: 0.5}
    message: {en: Many IPv6 users but little awareness., fr: Beaucoup d'utilisateurs IPv6 mais peu de sensibilisation.}
"""


@pytest.mark.parametrize(
    ("users", "flagged"),
    [(10, True), ("12,5", True), (9.5, False), ("lots", False)],
)
def test_a_rule_on_a_numeric_answer_fires_from_the_score_of_its_threshold(
    tmp_path: Path, users: object, flagged: bool
) -> None:
    # v6_users scores 0.5 from 10 % (the mini questionnaire's thresholds: 0 -> 0, 10 -> 0.5, 50 -> 1); a number
    # written with a decimal comma is read as one, and an answer that is no number holds nothing.
    q = _mini_with_rules(tmp_path, _MANY_USERS_AWARE)
    answers = {"v6_users": Answer(value=users), "v6_awareness": Answer(value="planned")}  # type: ignore[arg-type]
    assert [r.id for r in inconsistencies(q, answers)] == (["many_users_aware"] if flagged else [])


def test_a_condition_with_a_minimum_score_of_zero_holds_for_any_answer(tmp_path: Path) -> None:
    q = _mini_with_rules(tmp_path, """\
  - id: any_users_need_awareness
    if: {question: v6_users, min_score: 0}
    then: {question: v6_awareness, min_score: 0.5}
    message: {en: IPv6 users counted but little awareness., fr: Utilisateurs IPv6 comptés mais peu de sensibilisation.}
""")
    answers = {"v6_users": Answer(value=0), "v6_awareness": Answer(value="none")}
    assert [r.id for r in inconsistencies(q, answers)] == ["any_users_need_awareness"]
