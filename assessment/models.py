"""Database tables: assessments, their answers, and an append-only change log.

Shaped so accounts and a review workflow can come later without moving data: every row records who
(``created_by``/``updated_by``/``by``, "local" in single-user mode) and when (UTC); ``status`` is a
free string so ``in_review`` can join ``draft`` and ``submitted``; each answer is its own row with its
own version counter, so two people editing different questions never conflict, while two people
editing the same one are told instead of silently overwriting each other.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

LOCAL_ACTOR = "local"
STATUSES = ("draft", "submitted", "under_review", "returned", "resubmitted", "validated", "published")


def new_id() -> str:
    return uuid.uuid4().hex


def new_ids(n: int) -> list[str]:
    """``n`` ids as :func:`new_id` makes them (random UUID 4s, as hex) at once, for rows written in bulk.

    The same random bytes with the version and variant bits set as ``uuid.UUID(version=4)`` sets them, without
    a UUID object per id (a bulk import makes 116 k: ``uuid4`` was a twentieth of its time)."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 4122 variant
    text = raw.hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no zone: we add it back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json() -> JSON:
    # none_as_null: a Python None is SQL NULL, so "no value" and an empty list ("none of these") differ.
    return JSON(none_as_null=True)


# Optimistic locking: SQLAlchemy adds "WHERE version = <seen>" to each ORM UPDATE and bumps it;
# the column must be a Column object (a string name fails with SQLModel, see TECH-NOTES).
_ASSESSMENT_VERSION = Column("version", Integer, nullable=False)
_ANSWER_VERSION = Column("version", Integer, nullable=False)


class Assessment(SQLModel, table=True):
    """One country's self-assessment for one cycle against one questionnaire."""

    __tablename__ = "assessment"
    __table_args__ = (
        # One live assessment per key; a deleted one (kept, restorable) does not block starting anew.
        Index("uq_assessment_live_key", "country", "cycle", "questionnaire_id", "illustrative", unique=True,
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    country: str = Field(max_length=3, index=True)
    cycle: int = Field(index=True)
    questionnaire_id: str = Field(max_length=80)
    questionnaire_version: str = Field(max_length=40)
    questionnaire_hash: str | None = Field(default=None, max_length=64)
    status: str = Field(default="draft", max_length=20)
    illustrative: bool = False
    targets: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    created_by: str | None = Field(default=None, max_length=120)
    updated_by: str | None = Field(default=None, max_length=120)
    version: int = Field(default=1, sa_column=_ASSESSMENT_VERSION)
    # Soft delete: the assessment is hidden everywhere but kept with its change log, restorable.
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    deleted_by: str | None = Field(default=None, max_length=120)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _ASSESSMENT_VERSION}


class AnswerRecord(SQLModel, table=True):
    """The saved answer to one question of one assessment (the fields of ``answers.document.Answer``)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id", name="uq_answer_question"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(
        sa_column=Column(String(32), ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    question_id: str = Field(max_length=80)
    value: Any = Field(default=None, sa_column=Column(_json()))
    not_applicable: bool = False
    dont_know: bool = False
    justification: str | None = Field(default=None, sa_column=Column(Text))
    evidence: str | None = Field(default=None, sa_column=Column(Text))
    comment: str | None = Field(default=None, sa_column=Column(Text))
    review: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_by: str | None = Field(default=None, max_length=120)
    version: int = Field(default=1, sa_column=_ANSWER_VERSION)

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _ANSWER_VERSION}


class ChangeLog(SQLModel, table=True):
    """One change to one field, old -> new. Append-only: the service never updates or deletes a row."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(
        sa_column=Column(String(32), ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    question_id: str | None = Field(default=None, max_length=80)  # None: an assessment-level change
    field: str = Field(max_length=40)
    old: Any = Field(default=None, sa_column=Column(_json()))
    new: Any = Field(default=None, sa_column=Column(_json()))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    by: str | None = Field(default=None, max_length=120)


class AssessmentScore(SQLModel, table=True):
    """An assessment's scores, stored so lists, comparisons and exports read them instead of re-scoring.

    Written in the same transaction as the answers that changed them (see ``assessment.scores``). Each row
    names what it was computed from: the questionnaire (id, version, content hash) and the assessment's
    ``updated_at`` at that moment (``source_updated_at``). A reader that finds either differing recomputes
    in batch before showing anything, so a stored score is never shown stale.
    """

    __tablename__ = "assessment_score"

    assessment_id: str = Field(
        sa_column=Column(String(32), ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    )
    questionnaire_id: str = Field(max_length=80)
    questionnaire_version: str = Field(max_length=40)
    questionnaire_hash: str = Field(max_length=64)
    source_updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    overall: float | None = None
    overall_tier: str | None = Field(default=None, max_length=80)
    completeness: float | None = None
    evidence_coverage: float | None = None
    pillar_scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    pillar_tiers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    problem: str | None = Field(default=None, sa_column=Column(Text))  # why it cannot be scored (then no scores)
    computed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


# The tables as SQLAlchemy Core objects, for the read paths that select plain rows (no ORM objects).
ASSESSMENT_TABLE = SQLModel.metadata.tables["assessment"]
ANSWER_TABLE = SQLModel.metadata.tables["answer"]
SCORE_TABLE = SQLModel.metadata.tables["assessment_score"]
CHANGE_LOG_TABLE = SQLModel.metadata.tables["change_log"]
