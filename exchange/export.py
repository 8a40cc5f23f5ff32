"""Export assessments (answers and scores) as CSV, XLSX and JSON.

Callers select documents first (:func:`compare.select_documents`, the same filters as the Compare
page). A set mixing illustrative and real assessments is refused, and every file says which it holds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from answers.document import AnswersDocument, AnswerValue
from compare.change import value_label
from compare.frame import scores_frame
from exchange.export_format import EXPORT_FORMAT, export_documents_of, read_export_json  # noqa: F401  (re-exported)
from formatting.context import context_figure
from questionnaires.loader import Questionnaire
from questionnaires.models import Question
from scoring import score

ANSWER_COLUMNS = [
    "questionnaire_id", "questionnaire_version", "illustrative", "country", "cycle", "status",
    "question_id", "pillar_id", "answer_status", "value", "value_label", "not_applicable", "dont_know",
    "justification", "evidence", "comment", "question_score", "points", "max_points", "scored",
]


def _illustrative(docs: Sequence[AnswersDocument]) -> bool:
    flags = {d.illustrative for d in docs}
    if len(flags) > 1:
        raise ValueError("illustrative and real assessments are never exported together: select one set")
    return flags.pop() if flags else False


def value_text(value: AnswerValue) -> str:
    """A value as one cell: option value, number, or multi-select values joined by ';'."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def answers_frame(questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, lang: str = "en") -> pd.DataFrame:
    """Long format: one row per (country, cycle, question) with the answer and its score."""
    rows = []
    for doc in docs:
        result = score(questionnaire, doc)
        for q, qr in zip(questionnaire.questions, result.questions, strict=True):
            rows.append(_answer_row(questionnaire, doc, q, lang, status=qr.status, scored=True,
                                    question_score=qr.score, points=qr.points, max_points=qr.max_points))
        for q in questionnaire.context:  # context indicators: the answer, no score (`scored` false)
            rows.append(_answer_row(questionnaire, doc, q, lang, status=doc.answer(q.id).status, scored=False))
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def _answer_row(questionnaire: Questionnaire, doc: AnswersDocument, q: Question, lang: str, *, status: str,
                scored: bool, question_score: float | None = None, points: float | None = None,
                max_points: float | None = None) -> dict[str, object]:
    """One row of the long answers table: the document, the question, the answer as typed, and its score if any."""
    a = doc.answer(q.id)
    return {
        "questionnaire_id": doc.questionnaire_id,
        "questionnaire_version": doc.questionnaire_version,
        "illustrative": doc.illustrative,
        "country": doc.country,
        "cycle": doc.cycle,
        "status": doc.status,
        "question_id": q.id,
        "pillar_id": q.pillar,
        "answer_status": status,
        "value": value_text(a.value),
        "value_label": value_label(questionnaire, q, a.value, lang),
        "not_applicable": a.not_applicable,
        "dont_know": a.dont_know,
        "justification": a.justification or "",
        "evidence": a.evidence or "",
        "comment": a.comment or "",
        "question_score": question_score,
        "points": points,
        "max_points": max_points,
        "scored": scored,
    }


def context_columns(questionnaire: Questionnaire, docs: Sequence[AnswersDocument]) -> dict[str, list[float | None]]:
    """``context_<id>``: each context indicator's figure per document (None: unanswered or don't know)."""
    return {f"context_{q.id}": [context_figure(q, d.answers.get(q.id)) for d in docs] for q in questionnaire.context}


def metadata_frame(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], filters: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """One row saying what the export holds: questionnaire id, version and hash, illustrative or real."""
    return pd.DataFrame(
        [
            {
                "format": EXPORT_FORMAT,
                "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version,
                "questionnaire_hash": questionnaire.content_hash,
                "illustrative": _illustrative(docs),
                "assessments": len(docs),
                "filters": json.dumps(dict(filters or {}), sort_keys=True, default=str),
            }
        ]
    )


def _scores(questionnaire: Questionnaire, docs: Sequence[AnswersDocument]) -> pd.DataFrame:
    frame = scores_frame(questionnaire, docs)
    keep = ["country", "name_en", "name_fr", "itu_region", "cycle", "status", "illustrative", "overall",
            "overall_tier", "completeness"]
    keep += [c for p in questionnaire.pillars for c in (f"score_{p.id}", f"tier_{p.id}")]
    # Beside the scores, after them: the context indicators' figures (never scored).
    out = frame[keep].copy()
    for name, figures in context_columns(questionnaire, docs).items():
        out[name] = pd.Series(figures, index=out.index, dtype="float64")
    return out


def export_csv(questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, lang: str = "en") -> bytes:
    """The long answers table (one row per country, cycle and question) as CSV."""
    _illustrative(docs)
    from exchange.tables import frame_to_csv  # openpyxl comes with it: only where a table is written

    return frame_to_csv(answers_frame(questionnaire, docs, lang=lang))


def export_xlsx(
    questionnaire: Questionnaire,
    docs: Sequence[AnswersDocument],
    *,
    lang: str = "en",
    filters: Mapping[str, Any] | None = None,
) -> bytes:
    """A workbook with sheets ``scores``, ``answers`` and ``metadata``."""
    from exchange.tables import frames_to_xlsx

    meta = metadata_frame(questionnaire, docs, filters)
    return frames_to_xlsx(
        {
            "scores": _scores(questionnaire, docs),
            "answers": answers_frame(questionnaire, docs, lang=lang),
            "metadata": meta,
        }
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def export_json(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, filters: Mapping[str, Any] | None = None
) -> bytes:
    """Every answers document with its scores: ``{"format", "questionnaire", "illustrative", "assessments"}``."""
    meta = metadata_frame(questionnaire, docs, filters).iloc[0]
    frame = scores_frame(questionnaire, docs)
    assessments = []
    for i, doc in enumerate(docs):
        row = frame.iloc[i]
        assessments.append(
            {
                "answers": doc.model_dump(mode="json"),
                "scores": {
                    "overall": _clean(row["overall"]),
                    "overall_tier": row["overall_tier"],
                    "completeness": float(row["completeness"]),
                    "pillars": {
                        p.id: {"score": _clean(row[f"score_{p.id}"]), "tier": row[f"tier_{p.id}"]}
                        for p in questionnaire.pillars
                    },
                },
                # The context indicators' figures, not scores: beside "scores", never in it.
                "context": {q.id: context_figure(q, doc.answers.get(q.id)) for q in questionnaire.context},
            }
        )
    payload = {
        "format": EXPORT_FORMAT,
        "format_version": 1,
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "hash": questionnaire.content_hash,
        },
        "illustrative": bool(meta["illustrative"]),
        "filters": json.loads(str(meta["filters"])),
        "assessments": assessments,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
