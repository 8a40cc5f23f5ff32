"""The audit trail: grants, revocations, sign-ins, status changes, deletions, imports and exports.

:func:`record` adds an event to the caller's transaction (so an event exists exactly when what it
describes was committed); :func:`events` and :func:`export_csv` let an administrator read it. There is
no function that changes or removes an event, and the table refuses ORM updates and deletes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from assessment.access import LOCAL_ADMIN, ActorLike, as_actor, check
from assessment.account_models import AuditEvent
from assessment.models import utcnow

EVENTS = (
    "grant", "revoke", "invite", "sign_in", "sign_in_refused", "status", "delete", "restore", "import", "export",
    "user", "copy",
)


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
    """Add one event to the session's transaction (committed, or rolled back, with the change it describes)."""
    who = actor if isinstance(actor, str) else as_actor(actor).name
    session.add(AuditEvent(at=at or utcnow(), by=who or "?", event=event, country=country,
                           assessment_id=assessment_id, detail=dict(detail or {})))


def log_export(
    session: Session, *, what: str, countries: list[str], count: int, actor: ActorLike = LOCAL_ADMIN
) -> None:
    """Audit an export of country data (``what``: csv, xlsx, json, pdf...) and commit it.

    The export itself was filtered by the export services; this only records who took which countries.
    """
    who = check(actor, "export")
    record(session, actor=who, event="export",
           detail={"what": what, "countries": sorted(set(countries)), "count": count})
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
    """The whole audit trail as CSV, oldest first (administrators only)."""
    rows = list(reversed(events(session, actor=actor)))
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["id", "at", "by", "event", "country", "assessment_id", "detail"])
    for e in rows:
        out.writerow([e.id, e.at.isoformat(), e.by, e.event, e.country or "", e.assessment_id or "",
                      _detail(e.detail)])
    return buf.getvalue()


def _detail(detail: dict[str, Any]) -> str:
    import json

    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
