"""evidence documents: content-addressed blobs (in chunks) and their attachment to answers

``evidence_blob`` holds one row per distinct content (SHA-256), ``evidence_chunk`` its bytes in pieces of
at most 1 MiB (so reads and writes stream), ``evidence_file`` each attachment of a blob to an answer, with
who added it and, once removed, who removed it (kept until an administrator purges it).

The downgrade drops the documents: refused while any is stored, unless forced
(``-x force=1`` or IOTREADY_FORCE_DOWNGRADE=1; :mod:`assessment.migration_guard`).

Revision ID: 0006
Revises: 0005 (audit append-only)
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from assessment.migration_guard import count, refuse_losing

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'evidence_blob',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('storage', sa.String(length=20), nullable=False),
        sa.Column('chunks', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sha256'),
    )
    op.create_table(
        'evidence_chunk',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['sha256'], ['evidence_blob.sha256'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('sha256', 'seq'),
    )
    op.create_table(
        'evidence_file',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('assessment_id', sa.String(length=32), nullable=False),
        sa.Column('question_id', sa.String(length=80), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=160), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('reference', sa.Text(), nullable=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by', sa.String(length=254), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('removed_by', sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sha256'], ['evidence_blob.sha256']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_evidence_file_answer', 'evidence_file', ['assessment_id', 'question_id'])
    op.create_index(op.f('ix_evidence_file_sha256'), 'evidence_file', ['sha256'])


def downgrade() -> None:
    refuse_losing('0006 -> 0005 (evidence documents)',
                  {'evidence documents': count('SELECT count(*) FROM evidence_file')})
    op.drop_index(op.f('ix_evidence_file_sha256'), table_name='evidence_file')
    op.drop_index('ix_evidence_file_answer', table_name='evidence_file')
    op.drop_table('evidence_file')
    op.drop_table('evidence_chunk')
    op.drop_table('evidence_blob')
