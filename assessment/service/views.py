"""What the service functions return (frozen views of assessments, lists, logs, imports), and a row made a view."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from answers.document import (
    Answer,
    AnswersDocument,
)
from assessment import workflow
from assessment.models import (
    AnswerRecord,
    Assessment,
)

ANSWER_FIELDS: tuple[str, ...] = (
    "value", "not_applicable", "dont_know", "justification", "evidence", "comment", "review",
)


class AssessmentView(BaseModel):
    """An assessment as read: its fields, every stored answer, and each answer row's version."""

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    cycle: int
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str | None
    status: str
    illustrative: bool
    targets: dict[str, float | str]
    created_at: datetime
    updated_at: datetime
    created_by: str | None
    updated_by: str | None
    version: int
    answers: dict[str, Answer]
    versions: dict[str, int]

    def document(self) -> AnswersDocument:
        return _document(self)


class AssessmentSummary(BaseModel):
    """One line of the assessment list, with its score when it can be scored.

    ``outdated`` is True when the assessment was made against another version of the questionnaire
    (then ``completeness``, ``overall`` and ``overall_tier`` are None and ``problem`` says why).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    country: str
    cycle: int
    status: str
    illustrative: bool
    questionnaire_id: str
    questionnaire_version: str
    updated_at: datetime
    version: int
    completeness: float | None = None
    overall: float | None = None
    overall_tier: str | None = None
    outdated: bool = False
    problem: str | None = None


class ChangeEntry(BaseModel):
    """One change-log row: ``field`` of ``question_id`` (None: the assessment itself) went ``old`` -> ``new``."""

    model_config = ConfigDict(frozen=True)

    id: int
    assessment_id: str
    question_id: str | None
    field: str
    old: Any
    new: Any
    at: datetime
    by: str | None


class ImportResult(BaseModel):
    """What an import did: ``changed`` counts the changes written (a file's import: one per part of a question,
    target or status, as its plan listed them), ``questions`` the questions among them."""

    model_config = ConfigDict(frozen=True)

    assessment_id: str
    created: bool
    changed: int
    questions: int = 0


def _answer_of(rec: AnswerRecord) -> Answer:
    value = rec.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    data = {f: getattr(rec, f) for f in ANSWER_FIELDS} | {"value": value}
    try:
        return Answer.model_validate(data)
    except ValidationError:
        # Rows are checked on the way in; a row edited by hand is still shown rather than crashing.
        return Answer.model_construct(**data)


def _view(a: Assessment, records: list[AnswerRecord]) -> AssessmentView:
    return AssessmentView(
        id=a.id,
        country=a.country,
        cycle=a.cycle,
        questionnaire_id=a.questionnaire_id,
        questionnaire_version=a.questionnaire_version,
        questionnaire_hash=a.questionnaire_hash,
        status=a.status,
        illustrative=a.illustrative,
        targets=dict(a.targets or {}),
        created_at=a.created_at,
        updated_at=a.updated_at,
        created_by=a.created_by,
        updated_by=a.updated_by,
        version=a.version,
        answers={r.question_id: _answer_of(r) for r in records},
        versions={r.question_id: r.version for r in records},
    )


def _doc_status(status: str) -> Literal["draft", "submitted"]:
    """The answers document's two states: handed in (submitted, in review, validated, published) or not.

    A returned assessment is being answered again: its results may still change, like a draft's.
    """
    return workflow.doc_status(status)


def _document(view: AssessmentView) -> AnswersDocument:
    status = _doc_status(view.status)
    return AnswersDocument(
        questionnaire_id=view.questionnaire_id,
        questionnaire_version=view.questionnaire_version,
        questionnaire_hash=view.questionnaire_hash,
        country=view.country,
        cycle=view.cycle,
        illustrative=view.illustrative,
        status=status,
        targets=dict(view.targets),
        # A cleared answer keeps its row (and version) but is left out of the document.
        answers={qid: a for qid, a in view.answers.items() if a != Answer()},
    )
