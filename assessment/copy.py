"""Move a whole installation to another database (SQLite to PostgreSQL, or back): every table, as it is.

A backup stays the database's own tool (``pg_dump``, ``sqlite3 .backup``: docs/deploy.md "Backups"); those
tools cannot restore into the other engine. :func:`copy_database` copies every table of the schema (the
assessments, their answers, change log and scores, the users, their grants, review queries and the audit
trail) row by row, with the same ids and times, in foreign-key order, into an empty, migrated database, in
one transaction: the target ends up a copy of the source, or unchanged. Only an administrator may do it
(``manage_users``: it carries every account and the audit trail); the move itself is audited in the target.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Integer, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from answers.document import reason
from assessment import audit
from assessment.access import LOCAL_ADMIN, ActorLike, check

BATCH = 2_000


class TargetNotEmpty(ValueError):
    """The target database already holds data: a copy never merges into it."""

    def __init__(self, table: str) -> None:
        self.reason = reason("copy_target_not_empty", table=table)
        super().__init__(str(self.reason))

    def text(self, lang: str = "en") -> str:
        return self.reason.text(lang)


def copy_database(
    source: Engine, target: Engine, *, actor: ActorLike = LOCAL_ADMIN,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every row of ``source`` into the empty, migrated ``target``; return the rows copied per table."""
    who = check(actor, "manage_users")
    tables = [t for t in SQLModel.metadata.sorted_tables]
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in tables:
            if dst.execute(select(func.count()).select_from(table)).scalar_one():
                raise TargetNotEmpty(table.name)
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result = src.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(table).order_by(*order))
            n = 0
            for part in result.mappings().partitions(BATCH):
                dst.execute(table.insert(), [dict(r) for r in part])
                n += len(part)
                if progress is not None:
                    progress(table.name, n)
            counts[table.name] = n
        if target.dialect.name == "postgresql":  # serial ids continue after the copied ones
            for table in tables:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                        dst.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                            f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
    with Session(target) as session:
        audit.record(session, actor=who, event="copy", detail={"from": source.dialect.name, "rows": counts})
        session.commit()
    return counts
