"""Result types of the scoring engine: plain pydantic models, easy to serialize to JSON."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class QuestionResult(BaseModel):
    """One question's part in the score. ``points`` are on the pillar's 0-100 scale."""

    model_config = ConfigDict(extra="forbid")

    question_id: str
    pillar_id: str
    status: str  # answered | not_applicable | dont_know | unanswered | hidden
    score: float | None
    weight: float
    effective_weight: float
    has_evidence: bool
    value: str | float | list[str] | None = None
    points: float = 0.0
    max_points: float = 0.0
    overall_points: float = 0.0
    overall_max_points: float = 0.0

    @property
    def lost_overall_points(self) -> float:
        """What the overall score would gain if this question reached its best answer."""
        return self.overall_max_points - self.overall_points


class PillarResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pillar_id: str
    weight: float
    weight_share: float = 0.0
    score: float | None
    tier: str | None
    completeness: float
    evidence_coverage: float | None
    answered: int
    not_applicable: int
    dont_know: int
    unanswered: int
    hidden: int
    target: float | None = None
    gap: float | None = None

    @property
    def percent_to_target(self) -> float | None:
        """How far along the way to the target the pillar is (100 when reached)."""
        if self.target is None or self.score is None:
            return None
        if self.target <= 0:
            return 100.0
        return min(100.0, 100.0 * self.score / self.target)


class ScoreResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questionnaire_id: str
    questionnaire_version: str
    country: str
    cycle: int
    illustrative: bool = False
    status: str = "draft"
    overall: float | None
    overall_tier: str | None
    completeness: float
    evidence_coverage: float | None
    target: float | None = None
    gap: float | None = None
    pillars: list[PillarResult]
    questions: list[QuestionResult]

    def pillar(self, pillar_id: str) -> PillarResult:
        return next(p for p in self.pillars if p.pillar_id == pillar_id)

    def question(self, question_id: str) -> QuestionResult:
        return next(q for q in self.questions if q.question_id == question_id)

    def pillar_scores(self) -> dict[str, float | None]:
        return {p.pillar_id: p.score for p in self.pillars}
