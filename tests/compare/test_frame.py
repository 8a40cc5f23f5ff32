"""The scores frame: one row per assessment with scores, tiers and reference-data flags."""

from __future__ import annotations

import pytest

from compare import pillar_columns, scores_frame
from scoring import ScoringError, score
from tests.compare.conftest import MINI, make_doc


def test_one_row_per_document_in_order() -> None:
    docs = [make_doc(MINI, "KEN", 2024), make_doc(MINI, "KEN", 2025), make_doc(MINI, "ETH", 2025)]
    frame = scores_frame(MINI, docs)
    assert list(zip(frame["country"], frame["cycle"], strict=True)) == [("KEN", 2024), ("KEN", 2025), ("ETH", 2025)]


def test_scores_equal_the_single_scoring_path() -> None:
    doc = make_doc(MINI, "KEN", level=0.25)
    row = scores_frame(MINI, [doc]).iloc[0]
    single = score(MINI, doc)
    assert row["overall"] == single.overall
    assert row["overall_tier"] == single.overall_tier
    assert [row[c] for c in pillar_columns(MINI)] == [p.score for p in single.pillars]


def test_reference_flags_come_from_refdata() -> None:
    row = scores_frame(MINI, [make_doc(MINI, "ETH")]).iloc[0]
    assert (row["itu_region"], row["ldc"], row["lldc"], row["sids"], row["developing"]) == (
        "Africa", True, True, False, True,
    )


def test_a_code_that_is_not_a_member_state_has_no_region() -> None:
    row = scores_frame(MINI, [make_doc(MINI, "XKX")]).iloc[0]
    assert (row["member"], row["itu_region"], row["developing"], row["name_en"]) == (False, "", False, "XKX")


def test_a_document_for_another_version_is_refused() -> None:
    with pytest.raises(ScoringError):
        scores_frame(MINI, [make_doc(MINI, "KEN").model_copy(update={"questionnaire_version": "9.9.9"})])
