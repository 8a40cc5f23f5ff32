"""Rank stability under perturbed weights: deterministic for a seed, and sensible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compare import rank_stability, ranks, scores_frame
from compare.stability import rank_rows
from tests.compare.conftest import MINI, make_doc

CODES = ["KEN", "ETH", "FJI", "KAZ", "HTI", "FRA", "BRA", "EGY"]


def _frame(levels: list[float]) -> tuple[list, pd.DataFrame]:
    docs = [make_doc(MINI, c, level=lv) for c, lv in zip(CODES, levels, strict=False)]
    return docs, scores_frame(MINI, docs)


def _crossing() -> tuple[list, pd.DataFrame]:
    """Countries strong in one pillar and weak in the other, so weights reorder them."""
    from answers.document import Answer

    docs = []
    for i, code in enumerate(CODES):
        answers = {
            "pol_framework": Answer(value=["none", "planned", "developing", "adopted", "advanced"][i % 5]),
            "pol_elements": Answer(value=["licensing"]) if i % 5 else None,
            "pol_city": Answer(value="partial"),
            "v6_users": Answer(value=float(50 - 6 * i)),
            "v6_awareness": Answer(value="developing"),
        }
        docs.append(make_doc(MINI, code, answers={k: v for k, v in answers.items() if v is not None}))
    return docs, scores_frame(MINI, docs)


def test_same_seed_same_result() -> None:
    _, frame = _crossing()
    pd.testing.assert_frame_equal(rank_stability(MINI, frame, seed=7), rank_stability(MINI, frame, seed=7))


def test_perturbation_moves_some_ranks() -> None:
    _, frame = _crossing()
    out = rank_stability(MINI, frame, n=500)
    assert (out["interval_width"] > 0).any()


def test_a_country_far_ahead_keeps_rank_one_with_a_tight_interval() -> None:
    _, frame = _frame([1.0, 0.25, 0.25, 0.0, 0.25, 0.0, 0.25, 0.0])
    row = rank_stability(MINI, frame).set_index("country").loc["KEN"]
    assert (row["rank"], row["median_rank"], row["rank_p05"], row["rank_p95"]) == (1, 1, 1, 1)


def test_nominal_rank_matches_ranks() -> None:
    _, frame = _crossing()
    out = rank_stability(MINI, frame, n=50).set_index("country")
    nominal = ranks(frame).set_index("country")
    assert out.loc[CODES, "rank_label"].tolist() == nominal.loc[CODES, "rank_label"].tolist()


def test_interval_contains_the_median() -> None:
    _, frame = _crossing()
    out = rank_stability(MINI, frame, n=300, method="dirichlet")
    assert ((out["rank_p05"] <= out["median_rank"]) & (out["median_rank"] <= out["rank_p95"])).all()


def test_equal_countries_stay_tied_in_every_draw() -> None:
    _, frame = _frame([0.5, 0.5, 0.0])
    out = rank_stability(MINI, frame, n=200).set_index("country")
    assert out.loc["KEN", "rank_label"] == "=1"
    p95 = out["rank_p95"].to_dict()
    assert p95["KEN"] == p95["ETH"] == 1


def test_question_weights_mode_is_deterministic_and_sane() -> None:
    docs, frame = _frame([1.0, 0.25, 0.0])
    a = rank_stability(MINI, frame, n=100, question_weights=True, docs=docs, seed=3)
    b = rank_stability(MINI, frame, n=100, question_weights=True, docs=docs, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.set_index("country").loc["KEN", "rank_p95"] == 1


def test_question_weights_need_the_documents() -> None:
    _, frame = _frame([1.0, 0.0])
    with pytest.raises(ValueError, match="documents"):
        rank_stability(MINI, frame, question_weights=True)


def test_several_cycles_are_refused() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN", 2024), make_doc(MINI, "KEN", 2025)])
    with pytest.raises(ValueError, match="one row per country"):
        rank_stability(MINI, frame)


def test_rank_rows_gives_competition_ranks_and_keeps_nan() -> None:
    got = rank_rows(np.array([[50.0, 70.0, 50.0, np.nan, 10.0], [1.0, 1.0, 1.0, 1.0, 1.0]]))
    np.testing.assert_array_equal(got, [[2, 1, 2, np.nan, 4], [1, 1, 1, 1, 1]])
