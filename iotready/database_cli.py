"""``iotready database copy --to URL``: move a whole installation to another database (administrators only).

Backups are the database's own tools (docs/deploy.md "Backups"); this is for moving between engines, which
those tools cannot do: every table, users, grants and the audit trail included (:mod:`assessment.copy`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t

database_app = typer.Typer(help="Move the whole database to another one.", no_args_is_help=True)


@database_app.command("copy")
def database_copy(
    to: Annotated[str, typer.Option("--to", help="URL of the empty target database (e.g. postgresql://...).")],
    lang: LangOpt = None,
) -> None:
    """Copy every assessment, answer, change, user, grant and audit event into an empty database."""
    from sqlmodel import Session

    from assessment.copy import TargetNotEmpty, copy_database
    from assessment.db import DatabaseUnavailable, connect, redact_url
    from assessment.service import ServiceError
    from formatting.numbers import fmt_count
    from iotready.common import UsageProblem, _engine, _service_problem, out
    from iotready.echo import shown
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    source = _engine()
    with Session(source) as session:
        actor = acting_user(session)
    try:
        target = connect(to)
    except DatabaseUnavailable as exc:
        raise UsageProblem(t("cli.database_unusable", ln), [exc.text(ln)]) from None
    try:
        counts = copy_database(source, target, actor=actor)
    except ServiceError as exc:
        raise _service_problem(exc) from None
    except TargetNotEmpty as exc:
        raise UsageProblem(t("cli.nothing_written", ln), [exc.text(ln)]) from None
    finally:
        target.dispose()
    out.print(shown(t("cli.copied", ln, url=redact_url(to), n=fmt_count(sum(counts.values()), ln))))
