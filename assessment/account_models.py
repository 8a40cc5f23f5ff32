"""Tables of the multi-user mode: users, their grants, review comments, and the append-only audit trail.

Kept apart from :mod:`assessment.models` (the assessment data) so accounts can evolve on their own.
Users are keyed by the identity provider's subject (``sub``) and verified e-mail: an invitation is a user
row with an e-mail and no subject yet, bound to the provider's subject at its first sign-in. No
passwords are ever stored: the provider (OpenID Connect) authenticates, this database only authorizes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Text, event
from sqlmodel import Field, SQLModel

from assessment.models import UTCDateTime, new_id, utcnow


class User(SQLModel, table=True):
    """A person who may sign in: invited by e-mail, bound to the provider's subject at first sign-in."""

    __tablename__ = "app_user"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(max_length=254, unique=True, index=True)  # lower-cased
    subject: str | None = Field(default=None, max_length=255, unique=True)  # the provider's `sub`
    issuer: str | None = Field(default=None, max_length=255)
    name: str | None = Field(default=None, max_length=200)
    active: bool = True
    invited_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    invited_by: str | None = Field(default=None, max_length=254)
    last_sign_in: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class UserGrant(SQLModel, table=True):
    """One role of one user (``country`` for the country roles; ``pillars`` to limit a contributor).

    A revoked grant keeps its row (``revoked_at``), so who could do what, and when, stays answerable.
    """

    __tablename__ = "user_grant"
    __table_args__ = (Index("ix_user_grant_user_active", "user_id", "revoked_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    user_id: str = Field(
        sa_column=Column(String(32), ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    role: str = Field(max_length=20)
    country: str | None = Field(default=None, max_length=3)
    pillars: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    granted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    granted_by: str | None = Field(default=None, max_length=254)
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    revoked_by: str | None = Field(default=None, max_length=254)


class ReviewComment(SQLModel, table=True):
    """An adviser's query on one question, or a reply in its thread (``thread_id``: the first comment's id)."""

    __tablename__ = "review_comment"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(
        sa_column=Column(String(32), ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    question_id: str = Field(max_length=80)
    thread_id: str | None = Field(default=None, max_length=32)  # None: this comment opens a thread
    body: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    by: str = Field(max_length=254)
    resolved: bool = False
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    resolved_by: str | None = Field(default=None, max_length=254)


class AuditEvent(SQLModel, table=True):
    """One audited event. Append-only: the app never updates or deletes a row; the ORM refuses to (below), and
    the database refuses any client's UPDATE or DELETE (triggers of migration 0005)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))
    by: str = Field(max_length=254)
    event: str = Field(max_length=40, index=True)
    country: str | None = Field(default=None, max_length=3)
    assessment_id: str | None = Field(default=None, max_length=32)  # no foreign key: outlives a deletion
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper: Any, _connection: Any, target: AuditEvent) -> None:
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be changed or deleted")
