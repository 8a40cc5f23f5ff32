"""Change since the last cycle: answers, pillars and tiers that moved, and why."""

from __future__ import annotations

import math

import pytest

from answers.document import Answer
from compare import change_since_last_cycle, compare_documents
from tests.compare.conftest import MINI, leveled, make_doc


def _pair() -> tuple:
    old = make_doc(MINI, "KEN", 2024, level=0.25)
    answers = dict(old.answers)
    answers["v6_users"] = Answer(value=60.0)  # was 25 -> score 0.5, now 1.0
    new = make_doc(MINI, "KEN", 2025, answers=answers)
    return old, new


def test_only_changed_answers_are_listed_with_old_and_new_values() -> None:
    report = compare_documents(MINI, *_pair())
    row = report.answers.set_index("question_id").loc["v6_users"]
    assert report.answers["question_id"].tolist() == ["v6_users"]
    assert (row["old_value"], row["new_value"], row["score_delta"]) == (25.0, 60.0, 0.5)


def test_the_changed_pillar_moves_and_the_other_does_not() -> None:
    pillars = compare_documents(MINI, *_pair()).pillars.set_index("pillar_id")
    assert pillars["delta"].to_dict()["ipv6"] > 0
    assert pillars.loc["policy_regulation", "delta"] == 0


def test_the_driver_explains_the_whole_pillar_delta() -> None:
    report = compare_documents(MINI, *_pair())
    drivers = report.drivers
    delta = report.pillars.set_index("pillar_id").loc["ipv6", "delta"]
    assert drivers["question_id"].tolist() == ["v6_users"]
    assert drivers["points_delta"].iloc[0] == pytest.approx(delta)


def test_points_deltas_add_up_to_each_pillar_delta() -> None:
    old = make_doc(MINI, "KEN", 2024, level=0.25)
    new = make_doc(MINI, "KEN", 2025, level=0.75)
    report = compare_documents(MINI, old, new, top=10)
    for pid, part in report.drivers.groupby("pillar_id"):
        delta = report.pillars.set_index("pillar_id").loc[str(pid), "delta"]
        assert part["points_delta"].sum() == pytest.approx(delta)


def test_tier_movement_is_reported() -> None:
    report = compare_documents(MINI, make_doc(MINI, "KEN", 2024, level=0.0), make_doc(MINI, "KEN", 2025, level=1.0))
    assert (report.tier_old, report.tier_new, report.tier_moved) == ("building", "role_modelling", True)
    assert report.pillars["tier_moved"].all()


def test_an_answer_going_not_applicable_is_listed() -> None:
    old = make_doc(MINI, "KEN", 2024, level=0.5)
    answers = dict(old.answers)
    answers["pol_city"] = Answer(not_applicable=True, justification="Cities have no powers here")
    row = compare_documents(MINI, old, make_doc(MINI, "KEN", 2025, answers=answers)).answers.iloc[0]
    assert (row["question_id"], row["old_status"], row["new_status"]) == ("pol_city", "answered", "not_applicable")


def test_labels_are_in_the_chosen_language() -> None:
    old = make_doc(MINI, "KEN", 2024, level=0.0)
    answers = dict(old.answers)
    answers["pol_city"] = Answer(value="yes")
    rows = compare_documents(MINI, old, make_doc(MINI, "KEN", 2025, answers=answers), lang="fr").answers
    row = rows.set_index("question_id").loc["pol_city"]
    assert (row["old_label"], row["new_label"]) == ("Non", "Oui")


def test_change_since_last_cycle_picks_the_latest_and_the_one_before() -> None:
    docs = [make_doc(MINI, "KEN", 2021, level=0.0), make_doc(MINI, "KEN", 2023, level=0.25),
            make_doc(MINI, "KEN", 2025, level=1.0), make_doc(MINI, "ETH", 2025, level=0.5)]
    report = change_since_last_cycle(MINI, docs, "KEN")
    assert report is not None
    assert (report.from_cycle, report.to_cycle) == (2023, 2025)


def test_drafts_are_skipped_by_default() -> None:
    docs = [make_doc(MINI, "KEN", 2023), make_doc(MINI, "KEN", 2025, status="draft")]
    assert change_since_last_cycle(MINI, docs, "KEN") is None
    report = change_since_last_cycle(MINI, docs, "KEN", submitted_only=False)
    assert report is not None and report.to_cycle == 2025


def test_a_single_cycle_has_no_change() -> None:
    assert change_since_last_cycle(MINI, [make_doc(MINI, "KEN", 2025)], "KEN") is None


def test_an_earlier_cycle_can_be_chosen() -> None:
    docs = [make_doc(MINI, "KEN", y, answers=leveled(MINI, lv)) for y, lv in ((2021, 0), (2023, 0.5), (2025, 1))]
    report = change_since_last_cycle(MINI, docs, "KEN", cycle=2023)
    assert report is not None and (report.from_cycle, report.to_cycle) == (2021, 2023)
    assert report.overall_delta is not None and not math.isnan(report.overall_delta)
