"""Downgrades that would lose data refuse unless forced, saying what would be lost.

Alembic's downgrades drop tables and columns: below 0004 every user, grant, review query and audit event
goes; below 0002 soft-deleted assessments come back to life; below 0001 everything goes. Such a step first
counts what it would destroy and, when anything would be, raises :class:`DowngradeRefused` with the counts
before it changes anything. ``alembic -x force=1 downgrade ...`` (or ``IOTREADY_FORCE_DOWNGRADE=1`` in the
environment) does it anyway, after a backup.

Imported by the migration scripts (never the models, which change later): plain SQL counts only.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

FORCE_ENV = "IOTREADY_FORCE_DOWNGRADE"
_TRUE = {"1", "true", "yes", "on"}


class DowngradeRefused(CommandError):
    """A downgrade step that would lose data, not forced: nothing was changed.

    A ``CommandError``: the ``alembic`` command prints "FAILED: <why>" and exits 1, with no traceback.
    """


def forced() -> bool:
    """``-x force=1`` on the alembic command line, or ``IOTREADY_FORCE_DOWNGRADE=1``."""
    try:
        x = context.get_x_argument(as_dictionary=True)
    except Exception:  # called outside a migration context
        x = {}
    return str(x.get("force", "")).strip().lower() in _TRUE or os.environ.get(FORCE_ENV, "").strip().lower() in _TRUE


def count(sql: str) -> int:
    """``SELECT count(*) ...`` on the migration's connection."""
    return int(op.get_bind().execute(sa.text(sql)).scalar_one())


def refuse_losing(step: str, losses: dict[str, int], *, verb: str = "drop") -> None:
    """Raise :class:`DowngradeRefused` naming each non-zero loss, unless forced (then say what is dropped)."""
    lost = {what: n for what, n in losses.items() if n}
    if not lost:
        return
    listed = ", ".join(f"{n} {what}" for what, n in lost.items())
    if forced():
        context.config.print_stdout(f"forced downgrade {step}: it will {verb} {listed}")
        return
    raise DowngradeRefused(
        f"downgrade {step} refused: it would {verb} {listed}. Nothing was changed. Back the database up first; "
        f"to downgrade anyway, run alembic with -x force=1 (or set {FORCE_ENV}=1)."
    )
