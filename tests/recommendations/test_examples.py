"""The shipped examples' first actions address their weakest pillars (issue 12.9, the Rwanda example).

"Weakest pillars with gaps" is computed here from the score result and the rules, not from the ranking
code: a pillar has a gap when one of its question rules fires on an answered (or "don't know")
question scoring below the rule's threshold; the weakest is the lowest pillar score.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from answers.document import AnswersDocument
from questionnaires import default_questionnaire
from questionnaires.models import TriggerQuestion
from recommendations import recommend
from scoring import score
from scoring.results import ScoreResult

ROOT = Path(__file__).resolve().parents[2]
Q = default_questionnaire()


def _example(code: str) -> AnswersDocument:
    return AnswersDocument.model_validate_json((ROOT / "examples" / f"illustrative-{code}-2025.json").read_text())


def _weakest_pillars_with_gaps(result: ScoreResult) -> list[str]:
    gaps = set()
    for rule in Q.rules:
        trig = rule.trigger
        if not isinstance(trig, TriggerQuestion):
            continue
        qr = result.question(trig.question)
        if qr.status in ("answered", "dont_know") and qr.score is not None and qr.score < trig.below:
            gaps.add(qr.pillar_id)
    order = [p.id for p in Q.pillars]
    return sorted(gaps, key=lambda p: (result.pillar(p).score or 0.0, order.index(p)))


@pytest.mark.parametrize("code", ["RWA", "MUS", "CHL"])
def test_the_top_five_address_the_weakest_pillars_with_gaps_in_order(code: str) -> None:
    doc = _example(code)
    assert (doc.questionnaire_version, doc.questionnaire_hash) == (Q.version, Q.content_hash)  # current content
    result = score(Q, doc)
    top5 = recommend(Q, result, doc)[:5]
    assert [r.pillar_id for r in top5] == _weakest_pillars_with_gaps(result)[:5]


def test_rwanda_first_actions_are_its_five_weakest_pillars() -> None:
    """The Rwanda example (least developed country) as regenerated for the current questionnaire."""
    result = score(Q, _example("RWA"))
    weakest = sorted(Q.pillars, key=lambda p: result.pillar(p.id).score or 0.0)
    # 1.2.1: the examples are the demo generator's output again (1.2.0 had carried them from 1.1.1)
    assert [p.id for p in weakest[:5]] == ["capacity", "strategy", "trust_security", "standards",
                                           "policy_regulation"]
    top5 = recommend(Q, result, _example("RWA"))[:5]
    assert [r.pillar_id for r in top5] == [p.id for p in weakest[:5]]
    assert all(r.lead for r in top5)
    assert [r.rule_id for r in top5] == ["rec_capacity_plan", "rec_adopt_iot_strategy", "rec_security_measures",
                                         "rec_sdo_focal_point", "rec_regulator_cooperation"]


@pytest.mark.parametrize("code", ["RWA", "MUS", "CHL"])
def test_the_examples_are_the_demo_generators_output_at_the_current_version(code: str) -> None:
    """The examples are regenerated, not carried: `assessment.demo.demo_documents` at the current version."""
    from assessment.demo import demo_documents

    made = next(d for d in demo_documents(Q) if (d.country, d.cycle) == (code, 2025))
    assert _example(code) == made
