"""Rank stability: how far a country's rank moves when the weights are perturbed (Monte-Carlo, seeded).

What the EC Joint Research Centre's composite-indicator audits do: re-score under random weights and
report each country's median rank and its 90% interval (5th-95th percentile), so nobody over-reads a
one-place difference.

Perturbation (the default, ``method="uniform"``): every draw multiplies each pillar's nominal weight by
an independent factor from U(1 - spread, 1 + spread), spread 0.5, i.e. U(0.5, 1.5). Each weight can
halve or grow by half, and the expected weights are the nominal ones. ``method="dirichlet"`` draws the
pillar shares from Dirichlet(concentration x nominal shares) instead: shares that sum to one, centred
on the nominal shares, tighter as ``concentration`` grows. With ``question_weights=True`` each
question's weight inside its pillar gets its own U(1 - spread, 1 + spread) factor too.

``method="panel"`` draws within an expert panel's spread instead (``questionnaires.panel``,
``weights_panel.csv``): each pillar weight the panel gave is drawn from U(lowest, highest expert answer),
each pillar the panel left alone keeps its weight; with ``question_weights=True`` the same for the
questions. So the interval says how much the ranking depends on the experts' disagreement: a panel that
agreed (lowest = highest) moves no rank.

Vectorized: pillar scores are computed once, then every draw is a weights matrix times the pillar
scores. Deterministic for a seed (numpy ``Generator``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from answers.document import AnswersDocument
from compare.stats import rank_label
from questionnaires.loader import Questionnaire
from questionnaires.panel import PanelWeight
from scoring import score

Method = Literal["uniform", "dirichlet", "panel"]
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 197
_DECIMALS = 9  # compare scores to 9 decimals, so float noise never breaks a real tie


def rank_rows(scores: np.ndarray) -> np.ndarray:
    """Competition ranks ("min" method, best = 1) of each row of a (draws x countries) array; NaN stays NaN."""
    s = np.round(scores, _DECIMALS)
    missing = np.isnan(s)
    filled = np.where(missing, -1.0, s)  # below every real score (0-100)
    n_rows, n_cols = filled.shape
    # Row-wise searchsorted in one call: shift each row into its own band (scores lie within [-1, 100]).
    offset = (np.arange(n_rows) * 1000.0)[:, None]
    shifted = filled + offset
    flat_sorted = np.sort(shifted, axis=1).ravel()
    right = np.searchsorted(flat_sorted, shifted.ravel(), side="right").reshape(n_rows, n_cols)
    greater = (np.arange(1, n_rows + 1) * n_cols)[:, None] - right
    ranks = greater.astype(float) + 1.0
    ranks[missing] = np.nan
    return ranks


def _effective(questionnaire: Questionnaire, docs: Sequence[AnswersDocument]) -> tuple[np.ndarray, np.ndarray]:
    """Effective question weights and weight x score, (documents x questions), from the scoring engine."""
    qids = [q.id for q in questionnaire.questions]
    eff = np.zeros((len(docs), len(qids)))
    num = np.zeros((len(docs), len(qids)))
    for i, doc in enumerate(docs):
        res = score(questionnaire, doc)
        for j, qr in enumerate(res.questions):
            assert qr.question_id == qids[j]
            eff[i, j] = qr.effective_weight
            num[i, j] = qr.effective_weight * (qr.score or 0.0)
    return eff, num


def panel_bounds(panel: Sequence[PanelWeight], kind: str, ids: Sequence[str],
                 nominal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) per id from the panel's lowest and highest answers; ids it did not weigh: the nominal weight."""
    found = {w.id: (w.low, w.high) for w in panel if w.kind == kind}
    low = np.array([found.get(i, (w, w))[0] for i, w in zip(ids, nominal, strict=True)], dtype=float)
    high = np.array([found.get(i, (w, w))[1] for i, w in zip(ids, nominal, strict=True)], dtype=float)
    return low, high


def _draw_between(low: np.ndarray, high: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n draws of U(low, high) per column; a column with low == high is exactly that value (zero spread)."""
    return np.where(low[None, :] == high[None, :], low[None, :],
                    low[None, :] + (high - low)[None, :] * rng.random(size=(n, low.size)))


def _pillar_weights(nominal: np.ndarray, n: int, rng: np.random.Generator, method: Method, spread: float,
                    concentration: float, bounds: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    if method == "panel":
        if bounds is None:
            raise ValueError("method='panel' needs the panel's spread (panel=...)")
        return _draw_between(*bounds, n, rng)
    if method == "uniform":
        return nominal[None, :] * rng.uniform(1.0 - spread, 1.0 + spread, size=(n, nominal.size))
    if method == "dirichlet":
        return rng.dirichlet(concentration * nominal / nominal.sum(), size=n)
    raise ValueError(f"unknown method {method!r}; use 'uniform', 'dirichlet' or 'panel'")


def rank_stability(
    questionnaire: Questionnaire,
    frame: pd.DataFrame,
    *,
    n: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    method: Method = "uniform",
    spread: float = 0.5,
    concentration: float = 50.0,
    question_weights: bool = False,
    docs: Sequence[AnswersDocument] | None = None,
    panel: Sequence[PanelWeight] | None = None,
) -> pd.DataFrame:
    """Each country's nominal rank, median rank and 90% interval over ``n`` perturbed weightings.

    ``frame`` is a scores frame for one cycle (one row per country). ``question_weights=True`` also
    perturbs question weights and needs ``docs``, the answers documents in the frame's row order.
    ``method="panel"`` needs ``panel``, the version's expert-panel spread (:func:`questionnaires.panel.load_panel`).
    Rows come out best nominal rank first.
    """
    if frame["country"].duplicated().any():
        raise ValueError("rank stability needs one row per country: select a single cycle first")
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    rng = np.random.default_rng(seed)
    pillars = questionnaire.pillars
    nominal = np.array([p.weight for p in pillars], dtype=float)
    pillar_scores = frame[[f"score_{p.id}" for p in pillars]].to_numpy(dtype=float)  # countries x pillars
    if method == "panel" and panel is None:
        raise ValueError("method='panel' needs the panel's spread (panel=...)")
    bounds = panel_bounds(panel, "pillar", [p.id for p in pillars], nominal) if panel is not None else None
    weights = _pillar_weights(nominal, n, rng, method, spread, concentration, bounds)  # draws x pillars

    if question_weights:
        if docs is None or [d.country for d in docs] != frame["country"].tolist():
            raise ValueError("question_weights=True needs the answers documents in the frame's row order")
        eff, num = _effective(questionnaire, docs)
        onehot = np.array([[q.pillar == p.id for p in pillars] for q in questionnaire.questions], dtype=float)
        if method == "panel" and panel is not None:
            q_nominal = np.array([q.weight for q in questionnaire.questions], dtype=float)
            q_low, q_high = panel_bounds(panel, "question", [q.id for q in questionnaire.questions], q_nominal)
            factors = _draw_between(q_low / q_nominal, q_high / q_nominal, n, rng)
        else:
            factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(n, onehot.shape[0]))
        per_draw = factors[:, :, None] * onehot[None, :, :]  # draws x questions x pillars
        p_num = np.matmul(num, per_draw)  # draws x countries x pillars
        p_den = np.matmul(eff, per_draw)
        with np.errstate(invalid="ignore", divide="ignore"):
            drawn = np.where(p_den > 0, 100.0 * p_num / np.where(p_den > 0, p_den, 1.0), np.nan)
        present = ~np.isnan(drawn)
        w = weights[:, None, :]
        top = np.where(present, drawn, 0.0) * w
        den = present * w
        overall = top.sum(axis=2) / np.where(den.sum(axis=2) > 0, den.sum(axis=2), np.nan)
    else:
        present = ~np.isnan(pillar_scores)
        top = weights @ np.where(present, pillar_scores, 0.0).T  # draws x countries
        den = weights @ present.T.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            overall = np.where(den > 0, top / np.where(den > 0, den, 1.0), np.nan)

    drawn_ranks = rank_rows(overall)
    nominal_ranks = rank_rows(frame["overall"].to_numpy(dtype=float)[None, :])[0]
    counts = pd.Series(nominal_ranks).value_counts()
    # A country with no pillar score has no rank in any draw (weights are positive): its column is all NaN.
    valid = ~np.isnan(drawn_ranks).any(axis=0)
    safe = np.where(valid[None, :], drawn_ranks, 0.0)
    median = np.where(valid, np.median(safe, axis=0), np.nan)
    low = np.where(valid, np.percentile(safe, 5, axis=0), np.nan)
    high = np.where(valid, np.percentile(safe, 95, axis=0), np.nan)
    out = pd.DataFrame(
        {
            "country": frame["country"].to_numpy(),
            "overall": frame["overall"].to_numpy(dtype=float),
            "rank": nominal_ranks,
            "rank_label": [
                rank_label(r, bool(not np.isnan(r) and counts.get(r, 0) > 1)) for r in nominal_ranks
            ],
            "median_rank": median,
            "rank_p05": low,
            "rank_p95": high,
        }
    )
    out["interval_width"] = out["rank_p95"] - out["rank_p05"]
    return out.sort_values(["rank", "country"], na_position="last").reset_index(drop=True)
