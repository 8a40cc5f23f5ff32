"""Tables of evidence documents: content-addressed blobs, their chunks, and their attachment to answers.

A file's bytes are stored once per content (``evidence_blob``, keyed by SHA-256), whoever attached it and
to however many answers; the bytes themselves live in ``evidence_chunk`` rows of at most
:data:`CHUNK_SIZE` bytes, so a read or a write streams one chunk at a time instead of holding a 20 MB
value (a single ``bytea``/BLOB column would be loaded whole by the driver). An attachment
(``evidence_file``) ties a blob to one answer (assessment and question) with the title and reference the
country gave; removing it stamps ``removed_at``/``removed_by`` and keeps the row (and the bytes) until an
administrator purges it, so what an answer rested on, and when that changed, stays answerable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

from assessment.models import UTCDateTime, new_id, utcnow

CHUNK_SIZE = 1024 * 1024  # 1 MiB: a 20 MB file is 20 rows; one row at a time in memory


class EvidenceBlob(SQLModel, table=True):
    """One file content, stored once: its SHA-256, size, detected type and where its bytes live."""

    __tablename__ = "evidence_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_type: str = Field(max_length=120)
    storage: str = Field(default="db", max_length=20)  # the backend holding the bytes (assessment.evidence_store)
    chunks: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class EvidenceChunk(SQLModel, table=True):
    """One piece of a blob's bytes (the database backend), in order by ``seq``."""

    __tablename__ = "evidence_chunk"

    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("evidence_blob.sha256", ondelete="CASCADE"), primary_key=True)
    )
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class EvidenceFile(SQLModel, table=True):
    """A document attached to one answer: which content, under which name and title, by whom and when."""

    __tablename__ = "evidence_file"
    __table_args__ = (Index("ix_evidence_file_answer", "assessment_id", "question_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(
        sa_column=Column(String(32), ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False)
    )
    question_id: str = Field(max_length=80)
    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("evidence_blob.sha256"), nullable=False, index=True)
    )
    filename: str = Field(max_length=160)  # sanitised; its extension is the detected type's
    media_type: str = Field(max_length=120)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    reference: str | None = Field(default=None, sa_column=Column(Text))  # page, article, section
    added_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    added_by: str = Field(max_length=254)
    removed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    removed_by: str | None = Field(default=None, max_length=254)


EVIDENCE_FILE_TABLE = SQLModel.metadata.tables["evidence_file"]
EVIDENCE_BLOB_TABLE = SQLModel.metadata.tables["evidence_blob"]
EVIDENCE_CHUNK_TABLE = SQLModel.metadata.tables["evidence_chunk"]
