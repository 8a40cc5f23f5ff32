"""audit trail append-only in the database: triggers refuse UPDATE and DELETE on audit_event

The app never changes or removes an audit event, and the ORM refuses to (account_models); these
triggers make the database itself refuse, whatever the client: a Core ``update(AuditEvent)``, a raw
``DELETE FROM audit_event`` through the app's connection, or a script. On PostgreSQL TRUNCATE is refused
too. An operator who must purge (a legal retention limit) drops the trigger knowingly, as the table's
owner; docs/security.md ("Workflow integrity and the audit trail") describes that and the optional
REVOKE of UPDATE and DELETE from the app's role.

The downgrade removes that protection: refused while the table holds events, unless forced
(``-x force=1`` or IOTREADY_FORCE_DOWNGRADE=1; :mod:`assessment.migration_guard`).

Revision ID: 0005
Revises: 0004 (accounts)
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from assessment.migration_guard import count, refuse_losing

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = 'audit_event is append-only: an audit event cannot be changed or deleted'


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$""")
        op.execute('CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event '
                   'FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()')
        op.execute('CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()')
        return
    op.execute(f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
               f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")
    op.execute(f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
               f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")


def downgrade() -> None:
    refuse_losing('0005 -> 0004 (the append-only triggers)',
                  {'audit events': count('SELECT count(*) FROM audit_event')}, verb='leave unprotected')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event')
        op.execute('DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event')
        op.execute('DROP FUNCTION IF EXISTS audit_event_append_only()')
        return
    op.execute('DROP TRIGGER IF EXISTS audit_event_no_delete')
    op.execute('DROP TRIGGER IF EXISTS audit_event_no_update')
