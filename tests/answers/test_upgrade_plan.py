"""A changed help text sends the answer back "to review" on upgrade (issue 21, point 2).

The help says how to answer (what to count, when full marks are reached): 1.2.0 moved the contributions
giving full marks on `coo_itu_contributions` from ten to four in the help, and 1.2.0's upgrade did not flag
those answers. A typography-only edit (spaces) still flags nothing, as for the question text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from answers.upgrade import plan_upgrade
from questionnaires import default_questionnaire, load_questionnaire
from questionnaires.versions import load_version

MINI = Path("tests/fixtures/mini")


def _copy_with(tmp_path: Path, change) -> Path:
    target = tmp_path / "changed"
    shutil.copytree(MINI, target)
    path = target / "questions/ipv6.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["questions"][1])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _kind(old: Path, new: Path, question_id: str) -> tuple[str, tuple[str, ...]]:
    change = next(c for c in plan_upgrade(load_questionnaire(old), load_questionnaire(new)).changes
                  if c.question_id == question_id)
    return change.kind, change.what


def test_the_1_2_0_help_change_of_coo_itu_contributions_is_to_review() -> None:
    current = default_questionnaire()
    old, new = load_version(current.id, "1.1.1", current), load_version(current.id, "1.2.0", current)
    assert old is not None and new is not None
    change = next(c for c in plan_upgrade(old, new).changes if c.question_id == "coo_itu_contributions")
    assert (change.kind, change.what) == ("changed", ("help",))


def test_a_help_only_change_is_to_review(tmp_path: Path) -> None:
    new = _copy_with(tmp_path, lambda q: q["help"].update(en="Count only national programmes."))
    assert _kind(MINI, new, "v6_awareness") == ("changed", ("help",))


@pytest.mark.parametrize("edit", [lambda q: q["help"].update(en=" " + q["help"]["en"] + "  "),
                                  lambda q: q["help"].update(fr=q["help"]["fr"].replace(" ", "\u202f"))])
def test_spaces_in_the_help_are_no_change(tmp_path: Path, edit) -> None:
    assert _kind(MINI, _copy_with(tmp_path, edit), "v6_awareness") == ("unchanged", ())


def _mini_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the mini questionnaire with one text of one of its files changed."""
    target = tmp_path / "changed"
    shutil.copytree(MINI, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_a_scale_whose_option_scores_another_way_sends_every_question_on_it_to_review(tmp_path: Path) -> None:
    # maturity5's "planned" scores 0.3 instead of 0.25: same scale id, same options, another meaning for the answer.
    new = _mini_with(tmp_path, "questionnaire.yaml", "  - value: planned\n    score: 0.25",
                     "  - value: planned\n    score: 0.3")
    assert _kind(MINI, new, "v6_awareness") == ("changed", ("scale",))
    assert _kind(MINI, new, "pol_framework") == ("changed", ("scale",))
    assert _kind(MINI, new, "pol_city") == ("unchanged", ())


def test_a_question_moved_to_another_scale_is_changed_for_its_scale_once(tmp_path: Path) -> None:
    new = _mini_with(tmp_path, "questions/ipv6.yaml", "scale: maturity5", "scale: yes_partial_no")
    assert _kind(MINI, new, "v6_awareness") == ("changed", ("scale",))


def test_a_question_reworded_is_changed_for_its_text(tmp_path: Path) -> None:
    new = _copy_with(tmp_path, lambda q: q["text"].update(en="How aware of IPv6 are operators?"))
    assert _kind(MINI, new, "v6_awareness") == ("changed", ("text",))
