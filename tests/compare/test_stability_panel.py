"""Rank stability drawn within an expert panel's spread (``method="panel"``): bounded, seeded, and a
panel that agreed (zero spread) moves no rank."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare import rank_stability
from compare.stability import _pillar_weights, panel_bounds
from questionnaires import load_questionnaire
from questionnaires.loader import QuestionnaireError
from questionnaires.panel import PanelWeight, load_panel, write_panel
from tests.compare.conftest import MINI
from tests.compare.test_stability import _crossing

PILLARS = [p.id for p in MINI.pillars]
NOMINAL = np.array([p.weight for p in MINI.pillars])
CODES = ["KEN", "ETH", "FJI", "KAZ", "HTI", "FRA", "BRA", "EGY"]


def _frame(scores: list[tuple[int, int]]) -> pd.DataFrame:
    """A one-cycle scores frame with integer pillar scores and the overall the engine gives (weighted mean)."""
    pillar = np.array(scores, dtype=float)
    overall = (pillar @ NOMINAL) / NOMINAL.sum()
    frame = pd.DataFrame({"country": CODES[: len(scores)], "overall": overall})
    for j, pid in enumerate(PILLARS):
        frame[f"score_{pid}"] = pillar[:, j]
    return frame


def _panel(spreads: list[tuple[float, float]]) -> list[PanelWeight]:
    """A panel around the nominal pillar weights: (how far below, how far above) each."""
    return [PanelWeight("pillar", pid, w, w - down * w, w + up * w, 5)
            for pid, w, (down, up) in zip(PILLARS, NOMINAL, spreads, strict=True)]


scores_st = st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=2, max_size=len(CODES))
spread_st = st.lists(st.tuples(st.floats(0, 0.9), st.floats(0, 3)), min_size=len(PILLARS), max_size=len(PILLARS))


@settings(max_examples=60, deadline=None)
@given(scores=scores_st, spreads=spread_st, seed=st.integers(0, 2**32 - 1))
def test_panel_ranks_stay_within_bounds(scores: list[tuple[int, int]], spreads: list[tuple[float, float]],
                                        seed: int) -> None:
    frame = _frame(scores)
    out = rank_stability(MINI, frame, n=200, seed=seed, method="panel", panel=_panel(spreads))
    n = len(scores)
    for column in ["rank", "median_rank", "rank_p05", "rank_p95"]:
        assert out[column].between(1, n).all()
    assert (out["rank_p05"] <= out["median_rank"]).all()
    assert (out["median_rank"] <= out["rank_p95"]).all()


@settings(max_examples=60, deadline=None)
@given(scores=scores_st, seed=st.integers(0, 2**32 - 1))
def test_a_panel_that_agreed_moves_no_rank(scores: list[tuple[int, int]], seed: int) -> None:
    out = rank_stability(MINI, _frame(scores), n=100, seed=seed, method="panel", panel=_panel([(0, 0), (0, 0)]))
    assert out["median_rank"].tolist() == out["rank"].tolist()
    assert out["rank_p05"].tolist() == out["rank"].tolist()
    assert out["rank_p95"].tolist() == out["rank"].tolist()
    assert (out["interval_width"] == 0).all()


@settings(max_examples=40, deadline=None)
@given(spreads=spread_st, seed=st.integers(0, 2**32 - 1))
def test_drawn_pillar_weights_lie_between_the_panels_lowest_and_highest(spreads: list[tuple[float, float]],
                                                                       seed: int) -> None:
    low, high = panel_bounds(_panel(spreads), "pillar", PILLARS, NOMINAL)
    drawn = _pillar_weights(NOMINAL, 300, np.random.default_rng(seed), "panel", 0.5, 50.0, (low, high))
    assert drawn.shape == (300, len(PILLARS))
    assert ((drawn >= low) & (drawn <= high)).all()


def test_a_pillar_the_panel_left_alone_keeps_its_weight() -> None:
    low, high = panel_bounds([PanelWeight("pillar", PILLARS[0], 1.5, 1.0, 2.0, 3)], "pillar", PILLARS, NOMINAL)
    assert (low[1], high[1]) == (NOMINAL[1], NOMINAL[1])
    assert (low[0], high[0]) == (1.0, 2.0)


def test_panel_draws_are_seeded_and_the_spread_moves_crossing_countries() -> None:
    _, frame = _crossing()
    panel = _panel([(0.6, 2.0), (0.5, 2.0)])
    a = rank_stability(MINI, frame, n=400, seed=3, method="panel", panel=panel)
    pd.testing.assert_frame_equal(a, rank_stability(MINI, frame, n=400, seed=3, method="panel", panel=panel))
    assert (a["interval_width"] > 0).any()


def test_question_weights_within_a_panel_that_agreed_move_no_rank() -> None:
    docs, frame = _crossing()
    agreed = _panel([(0, 0), (0, 0)]) + [PanelWeight("question", q.id, q.weight, q.weight, q.weight, 4)
                                        for q in MINI.questions]
    out = rank_stability(MINI, frame, n=50, method="panel", panel=agreed, question_weights=True, docs=docs)
    assert out["median_rank"].tolist() == out["rank"].tolist()
    assert (out["interval_width"] == 0).all()


def test_panel_method_needs_the_panel() -> None:
    _, frame = _crossing()
    with pytest.raises(ValueError, match="panel"):
        rank_stability(MINI, frame, method="panel")


def _mini_copy(tmp_path: Path) -> Path:
    target = tmp_path / "q"
    shutil.copytree(MINI.source_dir, target)
    return target


def test_the_panel_file_is_read_back_beside_its_version(tmp_path: Path) -> None:
    folder = _mini_copy(tmp_path)
    q = load_questionnaire(folder)
    assert load_panel(q) is None  # no panel weighed this version
    panel = [PanelWeight("pillar", PILLARS[0], 1.5, 1.2, 2.1, 5), PanelWeight("question", "pol_city", 1.0, 0.5, 2.0, 4)]
    write_panel(folder, panel)
    assert load_panel(q) == panel


def test_a_panel_file_around_other_weights_is_refused_naming_the_row(tmp_path: Path) -> None:
    folder = _mini_copy(tmp_path)
    write_panel(folder, [PanelWeight("pillar", PILLARS[0], 9.0, 1.0, 9.5, 3),
                         PanelWeight("pillar", "no_such_pillar", 1.0, 1.0, 1.0, 1)])
    with pytest.raises(QuestionnaireError) as err:
        load_panel(load_questionnaire(folder))
    assert "weights_panel.csv: row 2: the median 9 is not this version's weight 1.5" in err.value.problems
    assert "weights_panel.csv: row 3: unknown pillar `no_such_pillar`" in err.value.problems
