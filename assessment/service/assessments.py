"""Starting, reading, listing, counting, exporting and scoring assessments, and reading their change log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from answers.document import (
    AnswersDocument,
    reason,
)
from assessment import workflow
from assessment.access import LOCAL_ADMIN, ActorLike, allowed, check, visible_filter
from assessment.documents import HEADER_COLUMNS, headers, load_documents
from assessment.filters import EVERYTHING, AssessmentFilter
from assessment.models import (
    ASSESSMENT_TABLE,
    Assessment,
    ChangeLog,
    utcnow,
)
from assessment.scores import SCORE, SCORE_COLUMNS, fresh_or_recomputed
from assessment.scores import store as store_scores
from assessment.service._common import (
    _check_country,
    _get,
    _log,
    _records,
    _reload,
    _status,
    about,
    authorize,
)
from assessment.service.errors import ServiceError
from assessment.service.views import AssessmentSummary, AssessmentView, ChangeEntry, _doc_status, _view
from questionnaires.loader import Questionnaire

if TYPE_CHECKING:
    import pandas as pd


def _find(
    session: Session, *, country: str, cycle: int, questionnaire_id: str, illustrative: bool
) -> Assessment | None:
    return session.exec(
        select(Assessment).where(
            Assessment.country == country,
            Assessment.cycle == cycle,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.illustrative == illustrative,
            col(Assessment.deleted_at).is_(None),
        )
    ).first()


def _new_assessment(
    session: Session, *, country: str, cycle: int, questionnaire: Questionnaire, illustrative: bool, by: str,
    now: datetime, source: str | None = None,
) -> Assessment:
    """Add a draft assessment and its "created" change-log row, flushed but not committed (the caller's transaction).

    The caller has checked that ``by`` may create it; starting one by hand and importing one both come here.
    Refused while a deleted assessment of the same country, cycle and questionnaire that was handed in
    (:data:`workflow.HANDED_IN`) still holds the cycle: an administrator restores that one instead.
    """
    held = session.exec(select(Assessment).where(
        Assessment.country == country, Assessment.cycle == cycle, Assessment.questionnaire_id == questionnaire.id,
        Assessment.illustrative == illustrative, col(Assessment.deleted_at).is_not(None),
        col(Assessment.status).in_(sorted(workflow.HANDED_IN)),
    )).first()
    if held is not None:
        raise ServiceError(about("svc_start_held", country, cycle, status=_status(held.status)))
    a = Assessment(
        country=country, cycle=cycle, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
        questionnaire_hash=questionnaire.content_hash, illustrative=illustrative, status="draft", targets={},
        created_at=now, updated_at=now, created_by=by, updated_by=by,
    )
    session.add(a)
    session.flush()
    logged: dict[str, object] = {"country": country, "cycle": cycle, "questionnaire_version": questionnaire.version}
    if source is not None:
        logged["source"] = source
    _log(session, assessment_id=a.id, question_id=None, field="created", old=None, new=logged, actor=by, at=now)
    return a


def get_or_create_assessment(
    session: Session,
    *,
    country: str,
    cycle: int,
    questionnaire: Questionnaire,
    illustrative: bool = False,
    actor: ActorLike = LOCAL_ADMIN,
) -> AssessmentView:
    """The assessment of ``country`` for ``cycle`` (resumed if it exists, else started as a draft)."""
    iso3 = _check_country(country)
    if not 2000 <= int(cycle) <= 2100:
        raise ServiceError(reason("svc_bad_cycle", cycle=cycle))
    existing = _find(session, country=iso3, cycle=cycle, questionnaire_id=questionnaire.id, illustrative=illustrative)
    if existing is not None:
        authorize(actor, "read", existing)
        return get_assessment(session, existing.id, actor=actor)
    who = actor
    actor = authorize(actor, "create", country=iso3)
    now = utcnow()
    try:
        a = _new_assessment(session, country=iso3, cycle=int(cycle), questionnaire=questionnaire,
                           illustrative=illustrative, by=actor, now=now)
        store_scores(session, questionnaire, a.id, stamp=now)
        session.commit()
    except IntegrityError:
        # Someone else started the same assessment at the same moment: resume theirs.
        session.rollback()
        existing = _find(session, country=iso3, cycle=cycle, questionnaire_id=questionnaire.id,
                         illustrative=illustrative)
        if existing is None:
            raise
        return get_assessment(session, existing.id, actor=who)
    return get_assessment(session, a.id, actor=who)


def get_assessment(session: Session, assessment_id: str, *, actor: ActorLike = LOCAL_ADMIN) -> AssessmentView:
    """The assessment with its answers and answer versions; :class:`NotFound` if there is none."""
    a = _reload(session, assessment_id)  # another session may have saved since this Session last looked
    authorize(actor, "read", a)
    return _view(a, _records(session, [a.id])[a.id])


def get_document(session: Session, assessment_id: str, *, actor: ActorLike = LOCAL_ADMIN) -> AnswersDocument:
    """The assessment as an answers document (what scoring, reports and exports read)."""
    return get_assessment(session, assessment_id, actor=actor).document()


_LIST_COLUMNS = (
    *HEADER_COLUMNS, ASSESSMENT_TABLE.c.version,
)


def list_assessments(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    limit: int | None = None,
    offset: int = 0,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[AssessmentSummary]:
    """Assessments ``actor`` may see matching ``filters``, real ones first, scored against ``filters.questionnaire``.

    Filtered and paged in SQL (``limit``/``offset`` a page). Scores are the
    stored ones (:mod:`assessment.scores`), recomputed in batch first for any that are missing or stale.
    """
    authorize(actor, "list")
    joined = ASSESSMENT_TABLE.outerjoin(SCORE, SCORE.c.assessment_id == ASSESSMENT_TABLE.c.id)
    questionnaire = filters.questionnaire
    stmt = filters.select((*_LIST_COLUMNS, *SCORE_COLUMNS) if questionnaire else _LIST_COLUMNS,
                          where=visible_filter(actor, "list"))
    if questionnaire:
        stmt = stmt.select_from(joined)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    elif offset:
        stmt = stmt.offset(offset)
    rows = list(session.execute(stmt).mappings())
    current = [r for r in rows if questionnaire and r["questionnaire_version"] == questionnaire.version]
    scored = fresh_or_recomputed(session, questionnaire, current) if questionnaire else {}
    out: list[AssessmentSummary] = []
    for r in rows:
        base: dict[str, Any] = {
            "id": r["id"], "country": r["country"], "cycle": r["cycle"], "status": r["status"],
            "illustrative": r["illustrative"], "questionnaire_id": r["questionnaire_id"],
            "questionnaire_version": r["questionnaire_version"], "updated_at": r["updated_at"],
            "version": r["version"],
        }
        if questionnaire is None:
            out.append(AssessmentSummary(**base))
            continue
        if r["questionnaire_version"] != questionnaire.version:
            out.append(
                AssessmentSummary(
                    **base,
                    outdated=True,
                    problem=f"made with questionnaire version {r['questionnaire_version']}; "
                    f"the current version is {questionnaire.version}",
                )
            )
            continue
        s = scored[r["id"]]
        if s.problem is not None:
            out.append(AssessmentSummary(**base, problem=s.problem))
            continue
        out.append(
            AssessmentSummary(**base, completeness=s.completeness, overall=s.overall, overall_tier=s.overall_tier)
        )
    return out


def count_assessments(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    actor: ActorLike = LOCAL_ADMIN,
) -> int:
    """How many assessments :func:`list_assessments` would list for ``actor`` with these filters (for paging)."""
    authorize(actor, "list")
    inner = filters.select((ASSESSMENT_TABLE.c.id,), where=visible_filter(actor, "list")).order_by(None)
    return int(session.execute(core_select(func.count()).select_from(inner.subquery())).scalar_one())


def export_documents(
    session: Session,
    filters: AssessmentFilter = EVERYTHING,
    *,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[AnswersDocument]:
    """Answers documents of the matching assessments ``actor`` may export (filters and order of the list).

    Read as plain rows in bulk and validated once per document (:mod:`assessment.documents`).
    """
    authorize(actor, "export")
    stmt = filters.select(HEADER_COLUMNS, where=visible_filter(actor, "export"))
    return load_documents(session, list(session.execute(stmt).mappings()))


def documents_by_id(
    session: Session, assessment_ids: Sequence[str], *, actor: ActorLike = LOCAL_ADMIN
) -> list[AnswersDocument]:
    """The answers documents of these assessments, in the order given (unknown ids, and those ``actor``
    may not read, are left out: an id is no way around the matrix)."""
    who = check(actor, "read")
    heads = {
        h["id"]: h for h in headers(session, list(assessment_ids))
        if allowed(who, "read", SimpleNamespace(country=h["country"], status=h["status"]))
    }
    return load_documents(session, [heads[i] for i in assessment_ids if i in heads])


def score_frame(
    session: Session,
    *,
    questionnaire: Questionnaire,
    filters: AssessmentFilter = EVERYTHING,
    actor: ActorLike = LOCAL_ADMIN,
) -> tuple[pd.DataFrame, int]:
    """The stored scores of the assessments matching ``filters`` (of ``questionnaire``, whatever the filter's)
    that ``actor`` may see and ``questionnaire`` can score, and how many it cannot (what Compare counts: only
    what the user may see).

    One row per assessment, in list order, with the columns of :func:`scoring.batch.score_many` plus
    ``id``, ``evidence_coverage`` and ``questionnaire_version``; assessments of another version or content
    are counted instead (the second value).
    """
    authorize(actor, "list")
    joined = ASSESSMENT_TABLE.outerjoin(SCORE, SCORE.c.assessment_id == ASSESSMENT_TABLE.c.id)
    stmt = replace(filters, questionnaire=questionnaire).select(
        (*_LIST_COLUMNS, *SCORE_COLUMNS), where=visible_filter(actor, "list")).select_from(joined)
    rows = list(session.execute(stmt).mappings())
    current = [r for r in rows if r["questionnaire_version"] == questionnaire.version]
    scored = fresh_or_recomputed(session, questionnaire, current)
    pillars = [p.id for p in questionnaire.pillars]
    records: list[dict[str, Any]] = []
    for r in current:
        s = scored[r["id"]]
        if s.problem is not None:
            continue
        rec: dict[str, Any] = {
            "id": r["id"], "country": r["country"], "cycle": r["cycle"], "illustrative": bool(r["illustrative"]),
            "status": _doc_status(r["status"]),
            "overall": s.overall, "overall_tier": s.overall_tier, "completeness": s.completeness,
            "evidence_coverage": s.evidence_coverage,
        }
        for p in pillars:
            rec[f"score_{p}"] = s.pillar_scores.get(p)
            rec[f"tier_{p}"] = s.pillar_tiers.get(p)
        records.append(rec)
    columns = ["id", "country", "cycle", "illustrative", "status", "overall", "overall_tier", "completeness",
               "evidence_coverage", *(c for p in pillars for c in (f"score_{p}", f"tier_{p}"))]
    import pandas as pd  # only the score frame needs it: a command that never asks for one does not load it

    frame = pd.DataFrame.from_records(records, columns=columns)
    for c in ("overall", "completeness", *(f"score_{p}" for p in pillars)):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return frame, len(rows) - len(records)


def data_stamp(session: Session, *, actor: ActorLike = LOCAL_ADMIN) -> str:
    """A short fingerprint of the assessments: it changes whenever anything is written.

    Creating an assessment adds a row; changing its status or targets bumps its version; saving or
    importing an answer stamps its ``updated_at`` (see :func:`._common._touch_draft`). So one aggregate query over the
    assessments tells a cache (the Compare page's scored frame) when to rebuild, instead of a full load.
    """
    authorize(actor, "list")
    row = session.exec(
        select(func.count(), func.coalesce(func.sum(Assessment.version), 0), func.max(Assessment.updated_at))
        .where(visible_filter(actor, "list"))
    ).one()
    return f"{row[0]}:{row[1]}:{row[2]}"


def change_log(
    session: Session, *, assessment_id: str, question_id: str | None = None, actor: ActorLike = LOCAL_ADMIN
) -> list[ChangeEntry]:
    """Every recorded change of the assessment (or of one question), oldest first."""
    authorize(actor, "read", _get(session, assessment_id))
    stmt = select(ChangeLog).where(ChangeLog.assessment_id == assessment_id)
    if question_id is not None:
        stmt = stmt.where(ChangeLog.question_id == question_id)
    return [
        ChangeEntry(id=e.id or 0, assessment_id=e.assessment_id, question_id=e.question_id, field=e.field,
                    old=e.old, new=e.new, at=e.at, by=e.by)
        for e in session.exec(stmt.order_by(col(ChangeLog.id)))
    ]
