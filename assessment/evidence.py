"""Evidence documents attached to answers: attach, list, open, remove, purge (the service).

Each function checks access exactly as the answer it belongs to (:mod:`assessment.access`): attaching
and removing are edits of that answer (``edit``, so a contributor only on their pillars, and only while
the assessment is editable); listing and opening are reads (``read``: the country's users, advisers once
submitted, never another country, which gets the same refusal as for the assessment, never a file's
name); purging the bytes of a removed document is an administrator's (``purge``). Every attach, removal,
download and purge is in the audit trail.

Files are spooled to a temporary file while hashed (SHA-256) and measured, so an upload is in memory
once at most (the caller's buffer), checked by content (:mod:`assessment.evidence_checks`), then stored
once per content (:mod:`assessment.evidence_store`) in the same transaction as its attachment.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from answers.document import reason, shown_value
from assessment import audit, workflow
from assessment.access import LOCAL_ADMIN, ActorLike, check
from assessment.evidence_checks import (
    KINDS,
    REFERENCE_MAX,
    TITLE_MAX,
    EvidenceRefused,
    Limits,
    clean_label,
    inspect_file,
    limits,
    megabytes,
    safe_name,
)
from assessment.evidence_models import EVIDENCE_FILE_TABLE, EvidenceBlob, EvidenceFile
from assessment.evidence_store import store_for
from assessment.models import Assessment, utcnow
from assessment.scores import store as store_scores
from assessment.service import NotFound, ServiceError, StatusChanged, about, not_editable
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t


class EvidenceError(ServiceError):
    """A file the service does not keep (type, size, name, title): the reason says what to do instead."""


class EvidenceView(BaseModel):
    """One attached document as read (never its bytes)."""

    model_config = ConfigDict(frozen=True)

    id: str
    assessment_id: str
    question_id: str
    title: str
    reference: str | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str
    removed_at: datetime | None = None
    removed_by: str | None = None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass
class Download:
    """What a download serves: a safe name, the detected type, and the bytes as a stream of chunks."""

    filename: str
    media_type: str
    size: int
    sha256: str
    chunks: Iterator[bytes]

    def read(self) -> bytes:
        """All the bytes (once: the stream is consumed)."""
        return b"".join(self.chunks)


def _view(row: EvidenceFile) -> EvidenceView:
    return EvidenceView(id=row.id, assessment_id=row.assessment_id, question_id=row.question_id, title=row.title,
                        reference=row.reference, filename=row.filename, media_type=row.media_type, size=row.size,
                        sha256=row.sha256, added_at=row.added_at, added_by=row.added_by, removed_at=row.removed_at,
                        removed_by=row.removed_by)


def _assessment(session: Session, assessment_id: str) -> Assessment:
    found = (session.get(Assessment, assessment_id, populate_existing=True)
             if isinstance(assessment_id, str) else None)
    if found is None or found.deleted_at is not None:
        raise NotFound(reason("svc_not_found", id=shown_value(assessment_id)))
    return found


def _file(session: Session, a: Assessment, evidence_id: str) -> EvidenceFile:
    row = session.get(EvidenceFile, evidence_id) if isinstance(evidence_id, str) else None
    if row is None or row.assessment_id != a.id:  # another assessment's file: as if it did not exist
        raise NotFound(reason("evidence_not_found"))
    return row


def _pillar(questionnaire: Questionnaire, a: Assessment, question_id: str) -> str:
    if a.questionnaire_id != questionnaire.id or not questionnaire.has_question(question_id):
        raise EvidenceError(reason("evidence_no_question", id=shown_value(question_id)))
    return questionnaire.question(question_id).pillar


def _stamp(session: Session, a: Assessment, by: str, at: datetime) -> None:
    """Stamp the assessment only if still editable (a submit committed since our check makes this hit no row)."""
    hit = session.execute(
        update(Assessment)
        .where(col(Assessment.id) == a.id, col(Assessment.status).in_(sorted(workflow.EDITABLE)))
        .values(updated_at=at, updated_by=by)
        .execution_options(synchronize_session=False)
    )
    if getattr(hit, "rowcount", 1) != 1:
        session.rollback()
        now = _assessment(session, a.id)
        raise StatusChanged(about("svc_status_changed", now.country, now.cycle,
                                  status={lang: t(f"ui.status.{now.status}", lang).lower() for lang in languages()}))


def _used(session: Session, assessment_id: str) -> int:
    """Bytes counted against the assessment's cap: every document not purged (removed ones are still stored)."""
    total = session.execute(
        core_select(func.coalesce(func.sum(EVIDENCE_FILE_TABLE.c.size), 0))
        .where(EVIDENCE_FILE_TABLE.c.assessment_id == assessment_id)
    ).scalar_one()
    return int(total or 0)


def _spool(data: BinaryIO, cap: int) -> tuple[BinaryIO, int, str]:
    """Copy ``data`` to a temporary file a megabyte at a time, hashing it; stop reading past ``cap``."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (returned open: the caller closes it)
    digest = hashlib.sha256()
    size = 0
    try:
        while True:
            block = data.read(1024 * 1024)
            if not block:
                break
            size += len(block)
            if size > cap:
                raise EvidenceRefused(reason("evidence_too_big", max=megabytes(cap)))
            digest.update(block)
            out.write(block)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, size, digest.hexdigest()


def add_evidence(
    session: Session,
    *,
    assessment_id: str,
    questionnaire: Questionnaire,
    question_id: str,
    data: BinaryIO,
    filename: str | None,
    title: str | None,
    reference: str | None = None,
    actor: ActorLike = LOCAL_ADMIN,
) -> EvidenceView:
    """Attach a document to one answer; return it as stored. Raises :class:`EvidenceError` (refused file),
    ``Forbidden``, ``NotFound`` or ``ServiceError`` (not editable); nothing is stored on any refusal."""
    a = _assessment(session, assessment_id)
    check(actor, "read", a)  # another country's user is refused before anything about the answer is said
    by = check(actor, "edit", a, pillar=_pillar(questionnaire, a, question_id)).name
    if not workflow.is_editable(a.status):
        raise ServiceError(not_editable(a, "edit"))
    lim = limits()
    try:
        clean_title = clean_label(title, limit=TITLE_MAX, required=True, what="title")
        clean_reference = clean_label(reference, limit=REFERENCE_MAX, required=False, what="reference")
        spooled, size, sha = _spool(data, lim.file)
    except EvidenceRefused as refused:
        raise EvidenceError(refused.reason) from None
    with spooled:
        try:
            kind = inspect_file(spooled, size, filename, lim)
        except EvidenceRefused as refused:
            raise EvidenceError(refused.reason) from None
        used = _used(session, a.id)
        if used + size > lim.assessment:
            raise EvidenceError(reason("evidence_assessment_full", max=megabytes(lim.assessment),
                                       used=megabytes(used)))
        twin = session.exec(select(EvidenceFile).where(
            EvidenceFile.assessment_id == a.id, EvidenceFile.question_id == question_id,
            EvidenceFile.sha256 == sha, col(EvidenceFile.removed_at).is_(None))).first()
        if twin is not None:
            raise EvidenceError(reason("evidence_duplicate", title=twin.title))
        return _store(session, a, questionnaire, question_id=question_id, spooled=spooled, size=size, sha=sha,
                      kind=kind, filename=safe_name(filename, kind), title=str(clean_title),
                      reference=clean_reference, by=by)


def _store(session: Session, a: Assessment, questionnaire: Questionnaire, *, question_id: str, spooled: BinaryIO,
           size: int, sha: str, kind: str, filename: str, title: str, reference: str | None, by: str) -> EvidenceView:
    media_type = KINDS[kind][0]
    for attempt in (1, 2):  # a second attempt only when someone stored the same content at the same moment
        now = utcnow()
        try:
            _stamp(session, a, by, now)
            if session.get(EvidenceBlob, sha) is None:
                store = store_for(session)
                session.add(EvidenceBlob(sha256=sha, size=size, media_type=media_type, storage=store.name))
                session.flush()
                chunks = store.put(sha, spooled)
                session.execute(update(EvidenceBlob).where(col(EvidenceBlob.sha256) == sha).values(chunks=chunks)
                                .execution_options(synchronize_session=False))
            row = EvidenceFile(assessment_id=a.id, question_id=question_id, sha256=sha, filename=filename,
                               media_type=media_type, size=size, title=title, reference=reference, added_at=now,
                               added_by=by)
            session.add(row)
            audit.record(session, actor=by, event="evidence_add", country=a.country, assessment_id=a.id, at=now,
                         detail={"evidence": row.id, "question": question_id, "sha256": sha, "size": size,
                                 "type": kind, "filename": filename})
            store_scores(session, questionnaire, a.id, stamp=now)
            view = _view(row)
            session.commit()
            return view
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
            a = _assessment(session, a.id)
        except Exception:
            session.rollback()
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def list_evidence(
    session: Session,
    *,
    assessment_id: str,
    question_id: str | None = None,
    include_removed: bool = False,
    actor: ActorLike = LOCAL_ADMIN,
) -> list[EvidenceView]:
    """The documents of an assessment (or of one answer), oldest first; removed ones only on request."""
    a = _assessment(session, assessment_id)
    check(actor, "read", a)
    stmt = select(EvidenceFile).where(EvidenceFile.assessment_id == a.id)
    if question_id is not None:
        stmt = stmt.where(EvidenceFile.question_id == question_id)
    if not include_removed:
        stmt = stmt.where(col(EvidenceFile.removed_at).is_(None))
    return [_view(r) for r in session.exec(stmt.order_by(col(EvidenceFile.added_at), col(EvidenceFile.id)))]


def evidence_by_question(
    session: Session, *, assessment_ids: Sequence[str], actor: ActorLike = LOCAL_ADMIN
) -> dict[str, dict[str, list[EvidenceView]]]:
    """The live documents of several assessments, by assessment then question (the ones ``actor`` may read)."""
    out: dict[str, dict[str, list[EvidenceView]]] = {}
    for aid in assessment_ids:
        by_question: dict[str, list[EvidenceView]] = {}
        for view in list_evidence(session, assessment_id=aid, actor=actor):
            by_question.setdefault(view.question_id, []).append(view)
        out[aid] = by_question
    return out


def evidence_usage(session: Session, *, assessment_id: str, actor: ActorLike = LOCAL_ADMIN) -> tuple[int, Limits]:
    """Bytes the assessment's documents take (removed ones until purged) and the caps in force."""
    a = _assessment(session, assessment_id)
    check(actor, "read", a)
    return _used(session, a.id), limits()


def open_evidence(
    session: Session, *, assessment_id: str, evidence_id: str, actor: ActorLike = LOCAL_ADMIN
) -> Download:
    """A document's bytes as a stream, for a download; the download is audited (and committed) first."""
    a = _assessment(session, assessment_id)
    by = check(actor, "read", a).name
    row = _file(session, a, evidence_id)
    blob = session.get(EvidenceBlob, row.sha256)
    if blob is None:  # pragma: no cover (a foreign key keeps the blob while an attachment names it)
        raise NotFound(reason("evidence_not_found"))
    audit.record(session, actor=by, event="evidence_download", country=a.country, assessment_id=a.id,
                 detail={"evidence": row.id, "question": row.question_id, "sha256": row.sha256,
                         "filename": row.filename, "removed": row.removed_at is not None})
    filename, media_type, size, sha, chunks, storage = (row.filename, row.media_type, row.size, row.sha256,
                                                        blob.chunks, blob.storage)
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    return Download(filename=filename, media_type=media_type, size=size, sha256=sha,
                    chunks=store_for(session, storage).read(sha, chunks))


def remove_evidence(
    session: Session,
    *,
    assessment_id: str,
    questionnaire: Questionnaire,
    evidence_id: str,
    actor: ActorLike = LOCAL_ADMIN,
) -> EvidenceView:
    """Take a document off its answer; it stays in the history (who removed it, when) until purged."""
    a = _assessment(session, assessment_id)
    check(actor, "read", a)  # another country's user learns nothing about the file, not even that it exists
    row = _file(session, a, evidence_id)
    by = check(actor, "edit", a, pillar=questionnaire.question(row.question_id).pillar
               if questionnaire.has_question(row.question_id) else None).name
    if not workflow.is_editable(a.status):
        raise ServiceError(not_editable(a, "edit"))
    if row.removed_at is not None:
        return _view(row)
    now = utcnow()
    try:
        _stamp(session, a, by, now)
        row.removed_at, row.removed_by = now, by
        audit.record(session, actor=by, event="evidence_remove", country=a.country, assessment_id=a.id, at=now,
                     detail={"evidence": row.id, "question": row.question_id, "sha256": row.sha256,
                             "filename": row.filename})
        if a.questionnaire_id == questionnaire.id:
            store_scores(session, questionnaire, a.id, stamp=now)
        view = _view(row)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return view


def purge_evidence(
    session: Session, *, assessment_id: str, evidence_id: str, actor: ActorLike = LOCAL_ADMIN
) -> None:
    """Erase a removed document for good (an administrator's act, audited); its bytes go with its last use."""
    a = _assessment(session, assessment_id)
    by = check(actor, "purge", a).name
    row = _file(session, a, evidence_id)
    if row.removed_at is None:
        raise EvidenceError(reason("evidence_purge_live"))
    sha = row.sha256
    try:
        audit.record(session, actor=by, event="evidence_purge", country=a.country, assessment_id=a.id,
                     detail={"evidence": row.id, "question": row.question_id, "sha256": sha,
                             "filename": row.filename, "title": row.title, "removed_by": row.removed_by})
        session.delete(row)
        session.flush()
        others = session.execute(core_select(func.count()).select_from(EVIDENCE_FILE_TABLE)
                                 .where(EVIDENCE_FILE_TABLE.c.sha256 == sha)).scalar_one()
        if not others:
            blob = session.get(EvidenceBlob, sha)
            if blob is not None:
                store_for(session, blob.storage).delete(sha)
                session.delete(blob)
        session.commit()
    except Exception:
        session.rollback()
        raise


# --- documents brought in by a bundle (iotready import of an ``export -f bundle`` zip) -------------------


@dataclass(frozen=True)
class Incoming:
    """A document of a bundle, already spooled, hashed and checked (:mod:`exchange.bundle`), for one answer."""

    question_id: str
    file: BinaryIO
    size: int
    sha256: str
    kind: str
    filename: str
    title: str
    reference: str | None


def new_incoming(
    session: Session, *, assessment_id: str | None, questionnaire: Questionnaire, items: Sequence[Incoming],
    actor: ActorLike = LOCAL_ADMIN,
) -> list[Incoming]:
    """The documents of ``items`` the assessment does not hold yet on the same answer (the plan; nothing written).

    ``assessment_id`` None: the assessment is new (every document is new). Raises what attaching would
    raise for the first refused document (another country, a pillar not granted, a handed-in assessment).
    """
    if assessment_id is None:
        return list(items)
    a = _assessment(session, assessment_id)
    check(actor, "read", a)
    for item in items:
        check(actor, "edit", a, pillar=_pillar(questionnaire, a, item.question_id))
    held = {(r.question_id, r.sha256) for r in session.exec(select(EvidenceFile).where(
        EvidenceFile.assessment_id == a.id, col(EvidenceFile.removed_at).is_(None)))}
    new = [i for i in items if (i.question_id, i.sha256) not in held]
    if new and not workflow.is_editable(a.status):
        raise ServiceError(reason("evidence_import_handed_in", country=a.country, cycle=a.cycle))
    return new


def attach_incoming(
    session: Session, *, assessment_id: str, questionnaire: Questionnaire, items: Sequence[Incoming],
    created: bool, actor: ActorLike = LOCAL_ADMIN,
) -> list[EvidenceView]:
    """Attach a bundle's documents in the caller's transaction (it commits or rolls back the whole import).

    The same access as :func:`add_evidence` (read, then edit on each question's pillar), the same caps, and
    documents the answer already holds (same content, same question) are skipped: nothing saved is lost or
    doubled. ``created``: the assessment was created by this import (it may already be handed in, as the
    file said); an existing handed-in assessment takes no new document.
    """
    a = _assessment(session, assessment_id)
    check(actor, "read", a)
    by = ""
    for item in items:
        by = check(actor, "edit", a, pillar=_pillar(questionnaire, a, item.question_id)).name
    todo = items if created else new_incoming(session, assessment_id=a.id, questionnaire=questionnaire, items=items,
                                              actor=actor)
    if not todo:
        return []
    lim = limits()
    now = utcnow()
    views: list[EvidenceView] = []
    seen: set[tuple[str, str]] = set()
    for item in todo:
        if (item.question_id, item.sha256) in seen:
            continue
        seen.add((item.question_id, item.sha256))
        used = _used(session, a.id)
        if used + item.size > lim.assessment:
            raise EvidenceError(reason("evidence_assessment_full", max=megabytes(lim.assessment),
                                       used=megabytes(used)))
        if session.get(EvidenceBlob, item.sha256) is None:
            store = store_for(session)
            session.add(EvidenceBlob(sha256=item.sha256, size=item.size, media_type=KINDS[item.kind][0],
                                     storage=store.name))
            session.flush()
            chunks = store.put(item.sha256, item.file)
            session.execute(update(EvidenceBlob).where(col(EvidenceBlob.sha256) == item.sha256)
                            .values(chunks=chunks).execution_options(synchronize_session=False))
        filename = safe_name(item.filename, item.kind)
        row = EvidenceFile(assessment_id=a.id, question_id=item.question_id, sha256=item.sha256, filename=filename,
                           media_type=KINDS[item.kind][0], size=item.size, title=item.title,
                           reference=item.reference, added_at=now, added_by=by)
        session.add(row)
        session.flush()
        audit.record(session, actor=by, event="evidence_add", country=a.country, assessment_id=a.id, at=now,
                     detail={"evidence": row.id, "question": item.question_id, "sha256": item.sha256,
                             "size": item.size, "type": item.kind, "filename": filename, "source": "import"})
        views.append(_view(row))
    session.execute(update(Assessment).where(col(Assessment.id) == a.id).values(updated_at=now, updated_by=by)
                    .execution_options(synchronize_session=False))
    if a.questionnaire_id == questionnaire.id:
        store_scores(session, questionnaire, a.id, stamp=now)
    return views


def purge_removed(session: Session, *, older_than: datetime, actor: ActorLike = LOCAL_ADMIN) -> list[EvidenceView]:
    """The removed documents whose removal is older than ``older_than``, oldest first, in assessments not deleted
    (what a retention purge would erase with :func:`purge_evidence`); an administrator's question only."""
    check(actor, "purge", None)  # anyone else is refused before anything is listed
    rows = session.exec(select(EvidenceFile).join(Assessment, col(Assessment.id) == col(EvidenceFile.assessment_id))
                        .where(col(EvidenceFile.removed_at).is_not(None), col(EvidenceFile.removed_at) < older_than,
                               col(Assessment.deleted_at).is_(None))
                        .order_by(col(EvidenceFile.removed_at), col(EvidenceFile.id))).all()
    return [_view(r) for r in rows]

