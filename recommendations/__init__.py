"""Recommendations derived from the gaps in a country's answers (pure), every gain measured by re-scoring."""

from recommendations.engine import (
    FoldedRule,
    Recommendation,
    TargetPlan,
    Trigger,
    apply_steps,
    by_horizon,
    document_of,
    fired_rule_ids,
    plan_for_target,
    recommend,
    to_answer,
)

__all__ = [
    "FoldedRule", "Recommendation", "TargetPlan", "Trigger", "apply_steps", "by_horizon", "document_of",
    "fired_rule_ids", "plan_for_target", "recommend", "to_answer",
]
