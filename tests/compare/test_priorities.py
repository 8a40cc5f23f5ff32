"""Assistance needs ranked by points at stake (re-scored gains x distance below the target tier)."""

from __future__ import annotations

import pytest

from answers.document import Answer
from compare.priorities import assistance_priorities, country_label, distance_below, group_target
from recommendations import recommend
from scoring import score
from tests.compare.conftest import MINI, make_doc


def test_distance_below_the_target() -> None:
    assert (distance_below(0, 45), distance_below(45, 45), distance_below(60, 45)) == (1.0, 0.0, 0.0)
    assert distance_below(22.5, 45) == pytest.approx(0.5)


def test_points_at_stake_are_gains_weighted_by_distance_below_the_target() -> None:
    docs = [make_doc(MINI, "ETH", level=0.0), make_doc(MINI, "KEN", level=0.5), make_doc(MINI, "FRA", level=1.0)]
    table = assistance_priorities(MINI, docs, target_tier="establishing").set_index("rule_id")
    target = MINI.tier("establishing").min_score
    expected: dict[str, float] = {}
    for d in docs:
        result = score(MINI, d)
        for rec in recommend(MINI, result, d):
            expected[rec.rule_id] = expected.get(rec.rule_id, 0.0) + rec.expected_gain * distance_below(
                result.overall, target)
    assert table["points_at_stake"].to_dict() == pytest.approx(expected)
    assert list(table["points_at_stake"]) == sorted(table["points_at_stake"], reverse=True)
    assert "Ethiopia (Africa, LDC, LLDC)" in table.iloc[0]["countries"]


def test_validated_is_the_callers_workflow_flag_and_evidence_is_counted_apart() -> None:
    answers = {"v6_users": Answer(value=0.0, evidence="Regulator report 2025"), "v6_awareness": Answer(value="none")}
    docs = [make_doc(MINI, "ETH", answers=answers), make_doc(MINI, "KEN", answers=answers)]
    table = assistance_priorities(MINI, docs, validated=[True, False]).set_index("rule_id")
    row = table.loc["rec_v6_users"]
    assert (row["validated"], row["self_reported"], row["with_evidence"]) == (1, 1, 2)
    row = table.loc["rec_v6_awareness"]
    assert (row["validated"], row["self_reported"], row["with_evidence"]) == (1, 1, 0)
    with pytest.raises(ValueError):
        assistance_priorities(MINI, docs, validated=[True])


def test_without_flags_every_need_is_self_reported() -> None:
    table = assistance_priorities(MINI, [make_doc(MINI, "ETH", level=0.0)])
    assert (table["validated"] == 0).all() and (table["self_reported"] == table["n_countries"]).all()


def test_the_group_target_is_the_tier_above_the_median() -> None:
    # mini tiers: building 0, evolving 25, establishing 45, advancing 65, role_modelling 85 (as the shipped ones)
    tiers = {x.id: x.min_score for x in MINI.tiers}
    assert group_target(MINI, [10.0, 30.0, 40.0]) == "establishing"  # median 30: evolving reached
    assert group_target(MINI, [tiers["establishing"]]) == "advancing"
    assert group_target(MINI, [99.0, None]) == "role_modelling"  # the top tier stays
    assert group_target(MINI, []) == "evolving"


def test_the_default_target_is_the_groups_and_is_named() -> None:
    docs = [make_doc(MINI, "ETH", level=0.0), make_doc(MINI, "KEN", level=0.25)]
    results = [score(MINI, d).overall for d in docs]
    table = assistance_priorities(MINI, docs)
    assert table.attrs["target_tier"] == group_target(MINI, results)
    assert (table["points_at_stake"] >= 0).all() and table["points_at_stake"].iloc[0] > 0


def test_countries_are_named_in_the_readers_language_with_region_and_groups() -> None:
    assert country_label("ETH", "fr") == "Éthiopie (Afrique, PMA, PDSL)"
    assert country_label("FJI", "en") == "Fiji (Asia and the Pacific, SIDS)"
    table = assistance_priorities(MINI, [make_doc(MINI, "ETH", level=0.0)], lang="fr")
    assert set(table["countries"]) == {"Éthiopie (Afrique, PMA, PDSL)"} and set(table["country_ids"]) == {"ETH"}


def test_countries_are_listed_in_the_readers_alphabetical_order() -> None:
    docs = [make_doc(MINI, c, level=0.0) for c in ("EGY", "RWA", "KOR", "ARE", "ZAF")]
    listed = assistance_priorities(MINI, docs, lang="fr").iloc[0]["countries"].split("; ")
    assert [c.split(" (")[0] for c in listed] == [
        "Afrique du Sud", "Égypte", "Émirats arabes unis", "République de Corée", "Rwanda"]
