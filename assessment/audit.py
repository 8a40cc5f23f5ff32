"""The audit trail: grants, revocations, sign-ins, status changes, deletions, imports and exports.

:func:`record` adds an event to the caller's transaction (so an event exists exactly when what it
describes was committed); :func:`events` and :func:`export_csv` let an administrator read it. There is
no function that changes or removes an event; the ORM refuses updates and deletes of one, and the database
refuses them from any client (triggers, migration 0005; docs/security.md, "Workflow integrity and the audit trail").
"""

from __future__ import annotations

import csv
import io
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from assessment.access import LOCAL_ADMIN, ActorLike, as_actor, check
from assessment.account_models import AuditEvent
from assessment.models import utcnow
from formatting.cells import defuse

EVENTS = (
    "grant", "revoke", "invite", "sign_in", "sign_in_refused", "status", "delete", "restore", "import", "export",
    "user", "copy", "evidence_add", "evidence_remove", "evidence_download", "evidence_purge",
)


# ("cli", system user) while the command line acts as an invited user (``iotready --as``); None otherwise.
ACTING_VIA: ContextVar[tuple[str, str] | None] = ContextVar("iotready_acting_via", default=None)


class AuditEntry(BaseModel):
    """One audit event as read."""

    model_config = ConfigDict(frozen=True)

    id: int
    at: datetime
    by: str
    event: str
    country: str | None
    assessment_id: str | None
    detail: dict[str, Any]


def record(
    session: Session,
    *,
    actor: ActorLike,
    event: str,
    country: str | None = None,
    assessment_id: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add one event to the session's transaction (committed, or rolled back, with the change it describes).

    While :data:`ACTING_VIA` is set (the command line's ``--as``), the event is recorded under the person's
    name with ``via: cli`` and the system user who ran the command, so the trail tells it from their own
    sign-in, whichever service records it.
    """
    session.add(AuditEvent(**values(actor=actor, event=event, country=country, assessment_id=assessment_id,
                                    detail=detail, at=at)))


def values(
    *, actor: ActorLike, event: str, country: str | None = None, assessment_id: str | None = None,
    detail: dict[str, Any] | None = None, at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of the event :func:`record` adds: a bulk import inserts many in one statement."""
    who = actor if isinstance(actor, str) else as_actor(actor).name
    extra = dict(detail or {})
    via = ACTING_VIA.get()
    if via is not None:  # `iotready --as`: not the person's own session
        extra["via"], extra["system_user"] = via
    return {"at": at or utcnow(), "by": who or "?", "event": event, "country": country,
            "assessment_id": assessment_id, "detail": extra}


# Where a disclosure of country data came from (the ``source`` of an export event): every way out is recorded.
EXPORT_SOURCES = (
    "cli_export",       # iotready export
    "cli_report",       # iotready report (one profile, or --all)
    "compare",          # Compare's CSV/XLSX/JSON of the selection, and its assistance table
    "profile",          # Results' PDF profile
    "workbook",         # Exchange's pre-filled workbook
    "bulk_zip",         # Home's zip of every profile of a cycle
)


def log_export(
    session: Session,
    *,
    what: str,
    countries: list[str],
    count: int,
    actor: ActorLike = LOCAL_ADMIN,
    source: str = "cli_export",
    assessment_ids: list[str] | None = None,
    cycles: list[int] | None = None,
) -> None:
    """Audit a disclosure of country data and commit it: who took which countries, in which format, from where.

    One shape for every way out (:data:`EXPORT_SOURCES`): ``what`` is the format (csv, xlsx, json, pdf,
    zip), ``countries`` the Member States in the file, ``assessment_ids`` the assessments when known, ``cycles``
    their cycles. An export of one assessment also fills the event's country and assessment columns, so the
    Admin page's filters find it. The export itself was filtered by the export services; this only records it.
    """
    who = check(actor, "export")
    names = sorted(set(countries))
    ids = sorted(set(assessment_ids or []))
    detail: dict[str, Any] = {"what": what, "countries": names, "count": count, "source": source}
    if ids:
        detail["assessments"] = ids
    if cycles:
        detail["cycles"] = sorted(set(cycles))
    record(session, actor=who, event="export", country=names[0] if len(names) == 1 else None,
           assessment_id=ids[0] if len(ids) == 1 else None, detail=detail)
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise


def events(
    session: Session,
    *,
    actor: ActorLike = LOCAL_ADMIN,
    event: str | None = None,
    country: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit events, newest first (administrators only)."""
    check(actor, "audit")
    stmt = select(AuditEvent)
    if event is not None:
        stmt = stmt.where(AuditEvent.event == event)
    if country is not None:
        stmt = stmt.where(AuditEvent.country == country.upper())
    stmt = stmt.order_by(col(AuditEvent.id).desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        AuditEntry(id=e.id or 0, at=e.at, by=e.by, event=e.event, country=e.country,
                   assessment_id=e.assessment_id, detail=dict(e.detail or {}))
        for e in session.exec(stmt)
    ]


def export_csv(session: Session, *, actor: ActorLike = LOCAL_ADMIN) -> str:
    """The whole audit trail as CSV, oldest first (administrators only).

    Its cells hold text strangers typed (the e-mail of a refused sign-in): every field is quoted and
    defused exactly as the answers exports are (:func:`formatting.cells.defuse`), so ``=cmd|...`` is
    text in a spreadsheet, never a formula.
    """
    rows = list(reversed(events(session, actor=actor)))
    buf = io.StringIO()
    out = csv.writer(buf, quoting=csv.QUOTE_ALL)
    out.writerow(["id", "at", "by", "event", "country", "assessment_id", "detail"])
    for e in rows:
        out.writerow([defuse(v) for v in (e.id, e.at.isoformat(), e.by, e.event, e.country or "",
                                          e.assessment_id or "", _detail(e.detail))])
    return buf.getvalue()


def _detail(detail: dict[str, Any]) -> str:
    import json

    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
