"""soft delete: assessment.deleted_at / deleted_by; one live assessment per key

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Existing rows are kept as they are (deleted_at NULL: live). The unique key becomes a partial unique
index over live assessments only, so a deleted assessment (kept, restorable) does not stop anyone
from starting a new one for the same country and cycle.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from assessment.migration_guard import count, refuse_losing

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = ['country', 'cycle', 'questionnaire_id', 'illustrative']
_LIVE = sa.text('deleted_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_by', sa.String(length=120), nullable=True))
        batch_op.drop_constraint('uq_assessment_key', type_='unique')
    op.create_index('uq_assessment_live_key', 'assessment', _KEY, unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)


def downgrade() -> None:
    # Dropping deleted_at would bring every deleted assessment back to life (and a deleted one sharing a
    # live one's key would break the unique constraint): refused with the count unless forced.
    refuse_losing('0002 -> 0001 (soft delete)', {
        'deleted assessments that would come back as live ones':
            count('SELECT count(*) FROM assessment WHERE deleted_at IS NOT NULL'),
    })
    op.drop_index('uq_assessment_live_key', table_name='assessment')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_assessment_key', _KEY)
        batch_op.drop_column('deleted_by')
        batch_op.drop_column('deleted_at')
