"""Stored scores: each assessment's overall, pillar, tier, completeness and evidence coverage, kept current.

Re-scoring 1,940 assessments on every Home rerun took seconds; a stored row is one join away. A row is
written by :func:`store` inside the transaction of the write that changed the answers (so it commits or
rolls back with them), and names what it was computed from: the questionnaire's id, version and content
hash, and the assessment's ``updated_at`` at that moment. :func:`fresh_or_recomputed` treats any row
whose questionnaire hash or ``updated_at`` differs (or a missing row: a database from before this table,
a new questionnaire, a write path that did not store) as stale and recomputes those in batch
(:func:`scoring.batch.score_many`) before anything is shown: a stored score is never shown stale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from answers.document import AnswersDocument, check_answers
from assessment.documents import headers, load_documents
from assessment.models import ASSESSMENT_TABLE, SCORE_TABLE, utcnow
from questionnaires.loader import Questionnaire
from scoring.batch import score_records
from scoring.engine import score

SCORE = SCORE_TABLE
# The score columns a list query joins to each assessment (prefixed so they do not clash with its own).
SCORE_COLUMNS = (
    SCORE.c.questionnaire_hash.label("score_hash"),
    SCORE.c.source_updated_at.label("score_source"),
    SCORE.c.overall.label("score_overall"),
    SCORE.c.overall_tier.label("score_overall_tier"),
    SCORE.c.completeness.label("score_completeness"),
    SCORE.c.evidence_coverage.label("score_evidence_coverage"),
    SCORE.c.pillar_scores.label("score_pillar_scores"),
    SCORE.c.pillar_tiers.label("score_pillar_tiers"),
    SCORE.c.problem.label("score_problem"),
)


SINGLE_PATH_MAX = 8  # up to this many documents, score one by one (the batch path's DataFrame costs more)


@dataclass(frozen=True)
class StoredScore:
    """One assessment's scores (None where not defined), or ``problem`` when it cannot be scored."""

    assessment_id: str
    overall: float | None
    overall_tier: str | None
    completeness: float | None
    evidence_coverage: float | None
    pillar_scores: Mapping[str, float | None]
    pillar_tiers: Mapping[str, str | None]
    problem: str | None = None


def _num(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def compute(questionnaire: Questionnaire, ids: Sequence[str], docs: Sequence[AnswersDocument], *,
            checked: bool = False) -> list[StoredScore]:
    """The scores of ``docs`` (assessment ``ids[i]`` is ``docs[i]``) by the batch path, checked once each.

    A document the questionnaire cannot score (another version or content, a value edited by hand) gets
    its first three problems instead of scores, as the assessment list has always shown them. ``checked``:
    the caller has just checked every document against this questionnaire (an import), so they are not again.
    """
    problems = [[] if checked else check_answers(questionnaire, d) for d in docs]
    good = [i for i, p in enumerate(problems) if not p]
    out: dict[int, StoredScore] = {}
    if len(good) <= SINGLE_PATH_MAX:
        # A write stores one assessment: the single path has no pandas overhead (the two paths agree
        # exactly, tests/scoring/test_batch.py).
        for i in good:
            r = score(questionnaire, docs[i], check=False)
            out[i] = StoredScore(
                assessment_id=ids[i], overall=r.overall, overall_tier=r.overall_tier, completeness=r.completeness,
                evidence_coverage=r.evidence_coverage, pillar_scores={p.pillar_id: p.score for p in r.pillars},
                pillar_tiers={p.pillar_id: p.tier for p in r.pillars},
            )
    else:
        pillars = [p.id for p in questionnaire.pillars]
        records = score_records(questionnaire, [docs[i] for i in good], check=False)
        for i, rec in zip(good, records, strict=True):
            out[i] = StoredScore(
                assessment_id=ids[i],
                overall=_num(rec["overall"]),
                overall_tier=rec["overall_tier"],
                completeness=_num(rec["completeness"]),
                evidence_coverage=_num(rec["evidence_coverage"]),
                pillar_scores={p: _num(rec[f"score_{p}"]) for p in pillars},
                pillar_tiers={p: rec[f"tier_{p}"] for p in pillars},
            )
    for i, found in enumerate(problems):
        if found:
            out[i] = StoredScore(
                assessment_id=ids[i], overall=None, overall_tier=None, completeness=None, evidence_coverage=None,
                pillar_scores={}, pillar_tiers={}, problem="; ".join(str(p) for p in found[:3]),
            )
    return [out[i] for i in range(len(docs))]


def _values(questionnaire: Questionnaire, s: StoredScore, source: datetime, now: datetime) -> dict[str, Any]:
    return {
        "assessment_id": s.assessment_id,
        "questionnaire_id": questionnaire.id,
        "questionnaire_version": questionnaire.version,
        "questionnaire_hash": questionnaire.content_hash,
        "source_updated_at": source,
        "overall": s.overall,
        "overall_tier": s.overall_tier,
        "completeness": s.completeness,
        "evidence_coverage": s.evidence_coverage,
        "pillar_scores": dict(s.pillar_scores),
        "pillar_tiers": dict(s.pillar_tiers),
        "problem": s.problem,
        "computed_at": now,
    }


def _write(session: Session, rows: list[dict[str, Any]], *, replace: bool = True) -> None:
    """Insert or replace score rows (one statement per chunk; a concurrent writer's row is replaced).

    ``replace=False`` for an assessment created in this transaction: no one else can see it yet, so it
    has no score row to delete (one round trip less per imported assessment)."""
    if not rows:
        return
    ids = [r["assessment_id"] for r in rows]
    for start in range(0, len(rows), 500):
        part = rows[start : start + 500]
        if replace:
            session.execute(delete(SCORE).where(SCORE.c.assessment_id.in_(ids[start : start + 500])))
        session.execute(insert(SCORE), part)


def store(
    session: Session, questionnaire: Questionnaire, assessment_id: str, *, stamp: datetime, created: bool = False,
    written: AnswersDocument | None = None,
) -> None:
    """Recompute and write one assessment's scores in the caller's transaction (the caller commits).

    ``stamp`` is the ``updated_at`` the same transaction gives the assessment. Call it after the write
    that locks the assessment row, so the answers read here include every write committed before ours.
    ``created``: the assessment was created in this transaction (nothing to replace). ``written``: its
    answers exactly as this transaction wrote them, when no one else can have written any (an assessment
    created in this transaction), so they need not be read back.
    """
    session.flush()
    if written is not None:
        doc = written
    else:
        heads = headers(session, [assessment_id])
        if not heads:
            return
        [doc] = load_documents(session, heads)
    [computed] = compute(questionnaire, [assessment_id], [doc])
    _write(session, [_values(questionnaire, computed, stamp, utcnow())], replace=not created)


def restamp(session: Session, assessment_id: str, *, old: datetime, new: datetime) -> None:
    """A write that leaves the answers alone (status, targets) keeps a fresh score fresh (caller commits)."""
    session.execute(
        update(SCORE)
        .where(SCORE.c.assessment_id == assessment_id, SCORE.c.source_updated_at == old)
        .values(source_updated_at=new)
    )


def is_fresh(questionnaire: Questionnaire, row: RowMapping) -> bool:
    """Whether a list row's joined score (:data:`SCORE_COLUMNS`) was computed on its current answers and form."""
    return row["score_hash"] == questionnaire.content_hash and row["score_source"] == row["updated_at"]


def from_row(row: RowMapping) -> StoredScore:
    """The stored score joined to a list row."""
    return StoredScore(
        assessment_id=row["id"],
        overall=row["score_overall"],
        overall_tier=row["score_overall_tier"],
        completeness=row["score_completeness"],
        evidence_coverage=row["score_evidence_coverage"],
        pillar_scores=row["score_pillar_scores"] or {},
        pillar_tiers=row["score_pillar_tiers"] or {},
        problem=row["score_problem"],
    )


def recompute(session: Session, questionnaire: Questionnaire, heads: Sequence[RowMapping]) -> dict[str, StoredScore]:
    """Score these assessments in batch and store the results (its own commit); return them by id.

    Reads the headers (with ``updated_at``) before the answers, so a write landing in between leaves a
    row that looks stale on the next read rather than one that looks fresh and is not. If the rows cannot
    be written (a busy database), the computed scores are still returned: the next read tries again.
    """
    if not heads:
        return {}
    ids = [h["id"] for h in heads]
    docs = load_documents(session, heads)
    computed = compute(questionnaire, ids, docs)
    now = utcnow()
    sources = {h["id"]: h["updated_at"] for h in heads}
    try:
        _write(session, [_values(questionnaire, s, sources[s.assessment_id], now) for s in computed])
        session.commit()
    except SQLAlchemyError:
        session.rollback()
    return {s.assessment_id: s for s in computed}


def fresh_or_recomputed(
    session: Session, questionnaire: Questionnaire, rows: Sequence[RowMapping]
) -> dict[str, StoredScore]:
    """The current scores of list rows (assessment columns + :data:`SCORE_COLUMNS`) of ``questionnaire``'s version.

    Fresh stored rows are used as they are; the stale and missing ones are recomputed in one batch.
    """
    out: dict[str, StoredScore] = {}
    stale: list[str] = []
    for row in rows:
        made_on = row["questionnaire_hash"]
        if made_on and made_on != questionnaire.content_hash:
            # Made on other content under the same version: not scorable, whatever a stored row says.
            out[row["id"]] = _unscorable(questionnaire, row)
        elif is_fresh(questionnaire, row):
            out[row["id"]] = from_row(row)
        else:
            stale.append(row["id"])
    if stale:
        out.update(recompute(session, questionnaire, headers(session, stale)))
    return out


def _unscorable(questionnaire: Questionnaire, row: RowMapping) -> StoredScore:
    header = AnswersDocument.model_construct(
        questionnaire_id=row["questionnaire_id"], questionnaire_version=row["questionnaire_version"],
        questionnaire_hash=row["questionnaire_hash"], targets={}, answers={},
    )
    problems = check_answers(questionnaire, header)
    return StoredScore(
        assessment_id=row["id"], overall=None, overall_tier=None, completeness=None, evidence_coverage=None,
        pillar_scores={}, pillar_tiers={}, problem="; ".join(str(p) for p in problems[:3]),
    )


def recompute_all(session: Session, questionnaire: Questionnaire) -> int:
    """Recompute every stored score of ``questionnaire``'s id and version (after a questionnaire change)."""
    ids = list(
        session.execute(
            select(ASSESSMENT_TABLE.c.id).where(
                ASSESSMENT_TABLE.c.questionnaire_id == questionnaire.id,
                ASSESSMENT_TABLE.c.questionnaire_version == questionnaire.version,
            )
        ).scalars()
    )
    return len(recompute(session, questionnaire, headers(session, ids)))
