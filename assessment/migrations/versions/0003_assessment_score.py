"""stored scores: assessment_score (one row per assessment, recomputed in batch when missing or stale)

Revision ID: 0003
Revises: 0002 (soft delete)
Create Date: 2026-11-30

Existing assessments keep all their data; their scores are computed on the first read (the table starts
empty, and a missing row counts as stale).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('assessment_score',
    sa.Column('assessment_id', sa.String(length=32), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=80), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=40), nullable=False),
    sa.Column('questionnaire_hash', sa.String(length=64), nullable=False),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('overall', sa.Float(), nullable=True),
    sa.Column('overall_tier', sa.String(length=80), nullable=True),
    sa.Column('completeness', sa.Float(), nullable=True),
    sa.Column('evidence_coverage', sa.Float(), nullable=True),
    sa.Column('pillar_scores', sa.JSON(), nullable=False),
    sa.Column('pillar_tiers', sa.JSON(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id')
    )


def downgrade() -> None:
    op.drop_table('assessment_score')
