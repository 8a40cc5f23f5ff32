"""Read answers documents in bulk: plain SQL rows, one validation per document, no ORM objects.

Reading 1,940 assessments (114 k answer rows) through the ORM (identity map, ``populate_existing``) and
validating each answer, then each document again, took 5.5 s; these read-only paths select plain rows
and hand each document to pydantic once (its answers are validated inside that one call). Writes keep
using the ORM (optimistic locking); nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, func, select
from sqlalchemy.engine import RowMapping
from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE
from assessment.workflow import doc_status

ANSWER_FIELDS: tuple[str, ...] = (
    "value", "not_applicable", "dont_know", "justification", "evidence", "comment", "review",
)
# The assessment columns a document (and a stored score's freshness check) needs.
HEADER_COLUMNS = (
    ASSESSMENT_TABLE.c.id,
    ASSESSMENT_TABLE.c.country,
    ASSESSMENT_TABLE.c.cycle,
    ASSESSMENT_TABLE.c.questionnaire_id,
    ASSESSMENT_TABLE.c.questionnaire_version,
    ASSESSMENT_TABLE.c.questionnaire_hash,
    ASSESSMENT_TABLE.c.status,
    ASSESSMENT_TABLE.c.illustrative,
    ASSESSMENT_TABLE.c.targets,
    ASSESSMENT_TABLE.c.updated_at,
)
_ANSWER_COLUMNS = [ANSWER_TABLE.c.assessment_id, ANSWER_TABLE.c.question_id] + [
    ANSWER_TABLE.c[f] for f in ANSWER_FIELDS
]
# SQLite allows 32,766 bound parameters (999 before 3.32): stay well under both.
CHUNK = 900
_BLANK = {"value": None, "not_applicable": False, "dont_know": False, "justification": None, "evidence": None,
          "comment": None, "review": False}


def headers(session: Session, ids: Sequence[str]) -> list[RowMapping]:
    """The assessment columns of ``ids`` (for :func:`load_documents`), in no particular order."""
    out: list[RowMapping] = []
    for part in _chunks(ids):
        out.extend(session.execute(select(*HEADER_COLUMNS).where(ASSESSMENT_TABLE.c.id.in_(part))).mappings())
    return out


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def answer_rows(session: Session, ids: Sequence[str]) -> dict[str, list[RowMapping]]:
    """The stored answer rows of each assessment, by question id (plain rows, read in chunks)."""
    out: dict[str, list[RowMapping]] = {i: [] for i in ids}
    for part in _chunks(ids):
        stmt: Select[Any] = (
            select(*_ANSWER_COLUMNS)
            .where(ANSWER_TABLE.c.assessment_id.in_(part))
            .order_by(ANSWER_TABLE.c.question_id)
        )
        for row in session.execute(stmt).mappings():
            out[row["assessment_id"]].append(row)
    return out


def _answer_data(row: RowMapping) -> dict[str, Any]:
    data = {f: row[f] for f in ANSWER_FIELDS}
    value = data["value"]
    if isinstance(value, int) and not isinstance(value, bool):
        data["value"] = float(value)
    return data


def _answer(data: dict[str, Any]) -> Answer:
    try:
        return Answer.model_validate(data)
    except ValidationError:
        # Rows are checked on the way in; a row edited by hand is still shown rather than crashing.
        return Answer.model_construct(**data)


def document(header: RowMapping, rows: Iterable[RowMapping]) -> AnswersDocument:
    """One answers document from its assessment header and answer rows, validated once.

    A cleared answer keeps its row (and version) but is left out of the document.
    """
    answers = {r["question_id"]: data for r in rows if (data := _answer_data(r)) != _BLANK}
    base: dict[str, Any] = {
        "questionnaire_id": header["questionnaire_id"],
        "questionnaire_version": header["questionnaire_version"],
        "questionnaire_hash": header["questionnaire_hash"],
        "country": header["country"],
        "cycle": header["cycle"],
        "illustrative": header["illustrative"],
        "status": doc_status(header["status"]),
        "targets": dict(header["targets"] or {}),
    }
    try:
        return AnswersDocument.model_validate({**base, "answers": answers})
    except ValidationError:
        # Some row does not validate (edited by hand): keep each good answer checked, show the rest as stored.
        return AnswersDocument.model_validate({**base, "answers": {q: _answer(d) for q, d in answers.items()}})


def load_documents(session: Session, heads: Sequence[RowMapping]) -> list[AnswersDocument]:
    """The answers documents of these assessment headers, in the same order, their attached documents counted."""
    ids = [h["id"] for h in heads]
    rows = answer_rows(session, ids)
    counts = document_counts(session, ids)
    return [mark_documents(document(h, rows[h["id"]]), counts.get(h["id"], {})) for h in heads]


def document_counts(session: Session, ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Live (not removed) evidence documents per assessment and question (no access check: the caller's read)."""
    from assessment.evidence_models import EVIDENCE_FILE_TABLE as F

    out: dict[str, dict[str, int]] = {}
    for part in _chunks(ids):
        stmt = (select(F.c.assessment_id, F.c.question_id, func.count())
                .where(F.c.assessment_id.in_(part), F.c.removed_at.is_(None))
                .group_by(F.c.assessment_id, F.c.question_id))
        for aid, qid, n in session.execute(stmt):
            out.setdefault(aid, {})[qid] = int(n)
    return out


def mark_documents(doc: AnswersDocument, counts: dict[str, int]) -> AnswersDocument:
    """``doc`` with each answer knowing how many evidence documents it has (they count as its evidence)."""
    if not counts or not any(q in doc.answers for q in counts):
        return doc
    answers = {q: a.with_documents(counts[q]) if q in counts else a for q, a in doc.answers.items()}
    return doc.model_copy(update={"answers": answers})


def with_documents(session: Session, assessment_id: str, doc: AnswersDocument) -> AnswersDocument:
    """One already-read document (``service.get_document``) with its attached documents counted."""
    return mark_documents(doc, document_counts(session, [assessment_id]).get(assessment_id, {}))
