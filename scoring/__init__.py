"""Pure, deterministic scoring: no Streamlit, no database, no I/O."""

from scoring.engine import ScoringError, question_score, score, visibility
from scoring.results import PillarResult, QuestionResult, ScoreResult

__all__ = [
    "PillarResult",
    "QuestionResult",
    "ScoreResult",
    "ScoringError",
    "question_score",
    "score",
    "visibility",
]
