"""Recommendations derived from the gaps in a score result (pure)."""

from recommendations.engine import Recommendation, TargetPlan, Trigger, by_horizon, plan_for_target, recommend

__all__ = ["Recommendation", "TargetPlan", "Trigger", "by_horizon", "plan_for_target", "recommend"]
