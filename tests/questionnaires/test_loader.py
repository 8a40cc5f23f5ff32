"""Loading questionnaires: broken files are rejected with the file, the entry and the field named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from questionnaires import QuestionnaireError, load_questionnaire

MINI = Path("tests/fixtures/mini")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(folder: Path) -> str:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(folder)
    return "\n".join(info.value.problems)


def test_a_missing_translation_names_file_question_and_field(mini: Path) -> None:
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][1]["text"].pop("fr"))
    assert "ipv6.yaml: questions > entry `v6_awareness` > text > fr: Field required" in _problems(mini)


def test_an_unknown_clause_id_is_rejected(mini: Path) -> None:
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][0]["clauses"].append("invents-1"))
    assert "ipv6.yaml: question `v6_users`: clauses: unknown clause id `invents-1`" in _problems(mini)


def test_an_unknown_scale_is_rejected(mini: Path) -> None:
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][1].update(scale="stars"))
    assert "question `v6_awareness`: scale: unknown scale `stars`" in _problems(mini)


def test_decreasing_numeric_thresholds_are_rejected(mini: Path) -> None:
    def change(d):
        d["questions"][0]["numeric"]["thresholds"][1]["score"] = 1.0
        d["questions"][0]["numeric"]["thresholds"][2]["score"] = 0.5

    _edit(mini / "questions/ipv6.yaml", change)
    assert "entry `v6_users` > numeric" in _problems(mini)


def test_skip_logic_must_show_the_follow_up_for_every_positive_parent_answer(mini: Path) -> None:
    _edit(
        mini / "questions/policy_regulation.yaml",
        lambda d: d["questions"][1]["depends_on"].update({"in": ["adopted", "advanced"]}),
    )
    assert "question `pol_elements`: depends_on.in: must list exactly" in _problems(mini)


def test_skip_logic_parent_must_come_first(mini: Path) -> None:
    path = mini / "questions/policy_regulation.yaml"
    _edit(path, lambda d: d["questions"][1]["depends_on"].update(question="pol_city"))
    assert "`pol_city` is not a question defined earlier" in _problems(mini)


def test_a_rule_on_an_unknown_question_is_rejected(mini: Path) -> None:
    _edit(mini / "recommendations.yaml", lambda d: d["rules"][0]["trigger"].update(question="nope"))
    expected = "recommendations.yaml: rule `rec_framework`: trigger.question: unknown question `nope`"
    assert expected in _problems(mini)


def test_invalid_yaml_is_reported_with_the_file_name(mini: Path) -> None:
    (mini / "questions/ipv6.yaml").write_text("questions: [unclosed", encoding="utf-8")
    assert "ipv6.yaml: not valid YAML" in _problems(mini)


def test_every_problem_is_listed_not_just_the_first(mini: Path) -> None:
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][1]["text"].pop("fr"))
    _edit(mini / "recommendations.yaml", lambda d: d["rules"][0].update(clause="nope-1"))
    problems = _problems(mini)
    assert "v6_awareness" in problems and "clause: unknown clause id `nope-1`" in problems


def test_content_hash_changes_with_a_weight_but_not_with_a_recommendation(mini: Path) -> None:
    before = load_questionnaire(mini).content_hash
    _edit(mini / "recommendations.yaml", lambda d: d["rules"][0]["action"].update(en="Something else."))
    assert load_questionnaire(mini).content_hash == before
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][0].update(weight=3))
    assert load_questionnaire(mini).content_hash != before


def test_questions_carry_their_pillar_from_the_file() -> None:
    q = load_questionnaire(MINI)
    assert {x.id: x.pillar for x in q.questions}["v6_users"] == "ipv6"
    order = [p.id for p in q.pillars]
    assert [x.pillar for x in q.questions] == sorted((x.pillar for x in q.questions), key=order.index)


def test_a_gate_in_another_pillar_is_refused_with_the_file_and_entry_named(mini: Path) -> None:
    # Across pillars, opening a follow-up moves weight from one pillar to another, so a better answer to the
    # gate could lower the overall score (issue 21, point 14): the loader refuses it.
    _edit(mini / "questions/ipv6.yaml", lambda d: d["questions"][1].update(
        depends_on={"question": "pol_framework", "in": ["planned", "developing", "adopted", "advanced"]}))
    assert ("ipv6.yaml: question `v6_awareness`: depends_on.question: `pol_framework` is in pillar "
            "`policy_regulation`, not `ipv6`") in _problems(mini)


def test_a_gate_in_the_same_pillar_is_accepted() -> None:
    q = load_questionnaire(MINI)
    assert q.question("pol_elements").depends_on is not None
    assert q.question("pol_framework").pillar == q.question("pol_elements").pillar
