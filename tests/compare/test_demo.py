"""The comparison functions on the shipped questionnaire with the illustrative demo assessments."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest

from answers.document import AnswersDocument
from assessment.demo import demo_documents
from compare import assistance_needs, fired_rules, rank_stability, scores_frame, select, select_documents
from exchange import export_json, read_export_json
from questionnaires import default_questionnaire
from recommendations import recommend
from refdata import REGIONS
from scoring import score

Q = default_questionnaire()


@lru_cache(maxsize=1)
def _docs() -> tuple[AnswersDocument, ...]:
    return tuple(demo_documents(Q))


def _frame() -> pd.DataFrame:
    return scores_frame(Q, list(_docs()))


def test_demo_assessments_never_appear_among_real_ones() -> None:
    frame = _frame()
    assert select(frame, submitted_only=False).empty
    assert not select(frame, illustrative=True).empty


def test_assistance_counts_by_region_add_up() -> None:
    docs = select_documents(list(_docs()), cycle=2025, illustrative=True)
    table = assistance_needs(Q, docs)
    assert (table[list(REGIONS)].sum(axis=1) == table["n_countries"]).all()
    assert table["n_countries"].max() <= len({d.country for d in docs})


def test_rank_stability_interval_brackets_the_median() -> None:
    one_cycle = select(_frame(), cycle=2024, illustrative=True)
    out = rank_stability(Q, one_cycle, n=200)
    assert ((out["rank_p05"] <= out["median_rank"]) & (out["median_rank"] <= out["rank_p95"])).all()
    assert len(out) == len(one_cycle)


def test_json_export_of_the_demo_round_trips() -> None:
    docs = list(_docs())
    assert read_export_json(export_json(Q, docs)) == docs


def test_assistance_rules_fire_exactly_as_recommend_on_the_shipped_rules() -> None:
    docs = list(_docs())[:20]
    got = {(r.country, r.cycle, r.rule_id) for r in fired_rules(Q, docs).itertuples()}
    expected = {(d.country, d.cycle, rid) for d in docs for rec in recommend(Q, score(Q, d), d)
                for rid in [rec.rule_id, *(f.rule_id for f in rec.includes)]}
    assert got == expected


def test_points_at_stake_re_score_in_batch_exactly_as_recommend_does() -> None:
    """The batch gains of compare.priorities equal recommend()'s one-by-one ones on the shipped questionnaire."""
    from compare.priorities import assistance_priorities, distance_below

    docs = select_documents(list(_docs()), cycle=max(d.cycle for d in _docs()), submitted_only=False,
                            illustrative=True)[:12]
    target = Q.tier("advancing").min_score
    expected: dict[str, float] = {}
    for d in docs:
        result = score(Q, d)
        for rec in recommend(Q, result, d):
            expected[rec.rule_id] = expected.get(rec.rule_id, 0.0) + rec.expected_gain * distance_below(
                result.overall, target)
    table = assistance_priorities(Q, docs, target_tier="advancing").set_index("rule_id")
    assert len(expected) > 10
    assert table["points_at_stake"].to_dict() == pytest.approx(expected, abs=1e-9)
