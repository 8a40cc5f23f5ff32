"""Score many assessments at once: the same rules as :func:`scoring.score`, vectorized.

Used by comparisons and bulk exports, where scoring 193 countries x several cycles one document at
a time would dominate a page rerun. Results equal the single path's exactly (both round pillar and
overall scores to ``SCORE_DECIMALS``), which a test checks on generated assessments.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from answers.document import AnswersDocument, check_answers
from questionnaires.loader import Questionnaire
from scoring.engine import SCORE_DECIMALS, ScoringError, question_score

if TYPE_CHECKING:
    import pandas as pd

# Status codes in the answer matrix.
ANSWERED, NOT_APPLICABLE, DONT_KNOW, UNANSWERED = 0, 1, 2, 3
_STATUS_CODE = {
    "answered": ANSWERED,
    "not_applicable": NOT_APPLICABLE,
    "dont_know": DONT_KNOW,
    "unanswered": UNANSWERED,
}


def answer_table(questionnaire: Questionnaire, docs: Sequence[AnswersDocument]) -> pd.DataFrame:
    """The long answer table: one row per (document, question) with status, score and evidence flag."""
    import pandas as pd

    rows: list[tuple[int, str, str, int, float, bool, str | None]] = []
    for i, doc in enumerate(docs):
        for q in questionnaire.questions:
            a = doc.answer(q.id)
            rows.append(
                (
                    i,
                    q.id,
                    q.pillar,
                    _STATUS_CODE[a.status],
                    question_score(questionnaire, q, a),
                    a.has_evidence,
                    str(a.value) if a.status == "answered" and q.type == "scale" else None,
                )
            )
    return pd.DataFrame(rows, columns=["doc", "question_id", "pillar_id", "status", "score", "evidence", "choice"])


def _matrices(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Status codes, question scores, chosen scale values and evidence flags as (documents x questions) arrays."""
    qs = questionnaire.questions
    status = np.full((len(docs), len(qs)), UNANSWERED, dtype=np.int8)
    scores = np.zeros((len(docs), len(qs)))
    choice = np.full((len(docs), len(qs)), "", dtype=object)
    evidence = np.zeros((len(docs), len(qs)), dtype=bool)
    # A scale question's score per option, looked up once (the same numbers as question_score gives).
    scale_scores: dict[int, dict[str, float]] = {}
    for j, q in enumerate(qs):
        if q.type == "scale":
            scale = questionnaire.scales[q.scale or ""]
            scale_scores[j] = {o.value: scale.score_of(o.value) or 0.0 for o in scale.options}
    index = {q.id: j for j, q in enumerate(qs)}
    m = len(qs)
    # Collected in flat Python lists and written to the arrays at once: numpy's per-element assignment
    # costs more than the scoring itself.
    cells: list[int] = []
    codes: list[int] = []
    flags: list[bool] = []
    scored_cells: list[int] = []
    scored: list[float] = []
    chosen_cells: list[int] = []
    chosen: list[str] = []
    # ``Answer.status`` and ``Answer.has_evidence`` inlined: the two properties cost as much as the rest
    # of this loop (same rules, answers/document.py).
    for i, doc in enumerate(docs):
        row = i * m
        for qid, a in doc.answers.items():
            k = index.get(qid)
            if k is None:
                continue
            if a.not_applicable:
                code = NOT_APPLICABLE
            elif a.dont_know:
                code = DONT_KNOW
            elif a.value is None:
                code = UNANSWERED
            else:
                code = ANSWERED
            cells.append(row + k)
            codes.append(code)
            ev = a.evidence
            flags.append(bool(ev and ev.strip()) or a.documents > 0)
            if code == ANSWERED:
                table = scale_scores.get(k)
                scored_cells.append(row + k)
                if table is not None:
                    value = str(a.value)
                    scored.append(table.get(value, 0.0))
                    chosen_cells.append(row + k)
                    chosen.append(value)
                else:
                    scored.append(question_score(questionnaire, qs[k], a))
    status.flat[cells] = codes
    evidence.flat[cells] = flags
    scores.flat[scored_cells] = scored
    choice.flat[chosen_cells] = chosen
    return status, scores, choice, evidence


def _round(values: np.ndarray) -> np.ndarray:
    # Python's round() so that both paths round identically (np.round can differ in the last ulp);
    # round(nan, n) is nan.
    return np.array([round(v, SCORE_DECIMALS) for v in values.ravel().tolist()], dtype=float).reshape(values.shape)


def _tiers(questionnaire: Questionnaire, values: np.ndarray) -> list[str | None]:
    """``questionnaire.tier_for`` of each value (None for NaN), with the same comparisons, per tier not per value."""
    tiers = questionnaire.tiers
    chosen = np.zeros(len(values), dtype=int)
    for k, tier in enumerate(tiers):
        chosen = np.where(values >= tier.min_score - 1e-9, k, chosen)
    ids = [tier.id for tier in tiers]
    return [None if math.isnan(v) else ids[c] for v, c in zip(values.tolist(), chosen.tolist(), strict=True)]


def _overall(questionnaire: Questionnaire, pillar_scores: np.ndarray) -> np.ndarray:
    """:func:`scoring.engine.weighted_mean` of each row's pillar scores, pillars with NaN left out: the same float
    operations in the same order (a running sum from 0 over the pillars), column by column."""
    n = pillar_scores.shape[0]
    num = np.zeros(n)
    total = np.zeros(n)
    for k, pillar in enumerate(questionnaire.pillars):
        column = pillar_scores[:, k]
        have = ~np.isnan(column)
        weight = float(pillar.weight)
        num = np.where(have, num + weight * np.where(have, column, 0.0), num)
        total = np.where(have, total + weight, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _round(np.where(total == 0, np.nan, num / np.where(total == 0, 1.0, total)))


def score_many(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, check: bool = True
) -> pd.DataFrame:
    """One row per document: country, cycle, overall, overall tier, completeness, evidence coverage
    (None when no answer scores above 0), and each pillar's score.

    Pillar columns are ``score_<pillar_id>`` (NaN when every question of the pillar is not applicable).
    """
    import pandas as pd

    columns = _score_columns(questionnaire, docs, check=check)
    columns["evidence_coverage"] = pd.Series(columns["evidence_coverage"], dtype=object)
    return pd.DataFrame(columns)


def score_records(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, check: bool = True
) -> list[dict[str, Any]]:
    """:func:`score_many`'s rows as dicts, without pandas: a bulk import stores its scores with no pandas loaded
    (half a second of a command's start), nor a frame built for each hundred assessments."""
    columns = _score_columns(questionnaire, docs, check=check)
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _score_columns(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, check: bool
) -> dict[str, Any]:
    """The columns of :func:`score_many`, in its order."""
    if check:
        found = [(p, (d.country, d.cycle)) for d in docs for p in check_answers(questionnaire, d)]
        if found:
            raise ScoringError(found)
    qs = questionnaire.questions
    n_docs, n_q = len(docs), len(qs)
    status, scores, choice, evidence = _matrices(questionnaire, docs)
    qindex = {q.id: j for j, q in enumerate(qs)}

    shown = np.ones((n_docs, n_q), dtype=bool)
    for j, q in enumerate(qs):
        if q.depends_on is None:
            continue
        p = qindex[q.depends_on.question]
        allowed = np.isin(choice[:, p].astype(str), list(q.depends_on.in_))
        shown[:, j] = shown[:, p] & (status[:, p] == ANSWERED) & allowed

    weights = np.array([q.weight for q in qs], dtype=float)
    carried = np.zeros((n_docs, n_q))
    for j in range(n_q - 1, -1, -1):
        dep = qs[j].depends_on
        if dep is not None:
            p = qindex[dep.question]
            carried[:, p] += np.where(shown[:, j], 0.0, weights[j] + carried[:, j])
    active = shown & (status != NOT_APPLICABLE)
    eff = np.where(active, weights[None, :] + carried, 0.0)

    pillars = questionnaire.pillars
    onehot = np.array([[1.0 if q.pillar == p.id else 0.0 for p in pillars] for q in qs])
    denom = eff @ onehot
    num = (eff * scores) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        pillar_scores = _round(np.where(denom > 0, 100.0 * num / np.where(denom > 0, denom, 1.0), np.nan))

    overall = _overall(questionnaire, pillar_scores) if n_docs else np.zeros(0)

    answered = (status == ANSWERED) | (status == NOT_APPLICABLE)
    n_shown = shown.sum(axis=1)
    completeness = np.where(n_shown > 0, (answered & shown).sum(axis=1) / np.maximum(n_shown, 1), 1.0)
    # Evidence coverage: the share of shown answers scoring above 0 that cite evidence (None without any).
    positive = shown & (status == ANSWERED) & (scores > 0)
    n_positive = positive.sum(axis=1)
    covered = (positive & evidence).sum(axis=1)
    coverage = [float(c) / float(n) if n else None for c, n in zip(covered, n_positive, strict=True)]

    out: dict[str, Any] = {
        "country": [d.country for d in docs],
        "cycle": [d.cycle for d in docs],
        "illustrative": [d.illustrative for d in docs],
        "status": [d.status for d in docs],
        "overall": overall,
        "overall_tier": _tiers(questionnaire, overall),
        "completeness": completeness,
        "evidence_coverage": coverage,
    }
    for k, pillar in enumerate(pillars):
        column = pillar_scores[:, k] if n_docs else np.zeros(0)
        out[f"score_{pillar.id}"] = column
        out[f"tier_{pillar.id}"] = _tiers(questionnaire, column)
    return out
