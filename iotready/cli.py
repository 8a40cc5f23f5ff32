"""The ``iotready`` command line: the same core as the app, for scripts and offline work.

Bad input exits with status 2 and lists every problem (by question id where there is one; at most
100, then how many more); an unexpected failure prints one line with a reference id, the traceback goes
to the log. Input files are capped in size before they are read (20 MB), every output path is checked
before any work is done, and everything echoed from input goes through :mod:`iotready.echo`.

Every line a person reads comes from the catalogs (``cli.*`` keys) in the reader's language: ``--lang``,
else ``IOTREADY_LANG``, else the POSIX locale (:mod:`iotready.lang`). Machine outputs (JSON, CSV) do not change.

This module holds the app, its ``--as`` option and ``main`` (the error handling above), and registers the
commands; each command group lives in its own module: :mod:`iotready.questionnaire_cli`,
:mod:`iotready.offline_cli` (template, workbook), :mod:`iotready.scoring_cli` (score, recommend),
:mod:`iotready.import_cli`, :mod:`iotready.outputs_cli` (export, report), :mod:`iotready.opendata_cli`,
:mod:`iotready.assessments_cli` (assessments, demo), :mod:`iotready.weights_cli`, :mod:`iotready.users_cli`,
:mod:`iotready.database_cli`, :mod:`iotready.xlsform_cli`,
:mod:`iotready.evidence_cli` (evidence documents); what they share is in :mod:`iotready.common`.
"""

from __future__ import annotations

import logging
import sys
import uuid
from typing import Annotated

import typer

from assessment.logs import configure_logging
from formatting.numbers import fmt_count
from iotready.assessments_cli import assessments_app, demo_app
from iotready.common import UsageProblem, err
from iotready.database_cli import database_app
from iotready.echo import printable, shown
from iotready.evidence_cli import evidence_app
from iotready.i18n_cli import i18n_app
from iotready.import_cli import import_cmd
from iotready.lang import reader_lang, use_lang
from iotready.offline_cli import template, workbook_app
from iotready.opendata_cli import opendata_cmd
from iotready.outputs_cli import export_cmd, report_cmd
from iotready.questionnaire_cli import questionnaire_app
from iotready.scoring_cli import recommend_cmd, score_cmd
from iotready.users_cli import users_app
from iotready.weights_cli import weights_app
from iotready.xlsform_cli import xlsform_cmd
from questionnaires.messages import t

__all__ = ["UsageProblem", "app", "main"]

log = logging.getLogger("iotready")


app = typer.Typer(
    help="IoT and smart sustainable cities readiness (ITU PP Resolution 197): questionnaire, scoring, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# The commands, in the order --help lists them (commands first, then groups, each in registration order).
app.command("template")(template)
app.command("score")(score_cmd)
app.command("recommend")(recommend_cmd)
app.command("import")(import_cmd)
app.command("export")(export_cmd)
app.command("report")(report_cmd)
app.command("opendata")(opendata_cmd)
questionnaire_app.command("xlsform")(xlsform_cmd)
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(demo_app, name="demo")
app.add_typer(assessments_app, name="assessments")
app.add_typer(workbook_app, name="workbook")
app.add_typer(evidence_app, name="evidence")
app.add_typer(weights_app, name="weights")
app.add_typer(users_app, name="users")
app.add_typer(database_app, name="database")
app.add_typer(i18n_app, name="i18n")

MAX_PRINTED = 100  # problems listed; then "... and N more"


@app.callback()
def _acting_as(
    as_: Annotated[
        str | None,
        typer.Option("--as", help="Act as this invited user (their roles), not as the local administrator."),
    ] = None,
) -> None:
    """IoT readiness command line."""
    from iotready.users_cli import set_acting_user

    set_acting_user(as_)
    use_lang(None)  # until a command's --lang says otherwise


def main() -> None:
    """Entry point: run the app, turning known errors into messages and unknown ones into a reference id."""
    configure_logging()
    use_lang(None)
    try:
        app(standalone_mode=False)
    except UsageProblem as exc:
        # Titles and problems quote the input (file names, question ids): escaped, never obeyed by the terminal.
        err.print(f"[red]{shown(exc.title)}[/red]", highlight=False)
        problems = exc.problems
        shown_count = len(problems) if len(problems) <= MAX_PRINTED + 1 else MAX_PRINTED
        for p in problems[:shown_count]:
            err.print(f"  - {printable(p)}", markup=False, highlight=False)
        if shown_count < len(problems):
            more = fmt_count(len(problems) - shown_count, reader_lang())
            err.print(f"  {t('cli.and_more', reader_lang(), n=more)}", markup=False, highlight=False)
        raise SystemExit(2) from None
    except (typer.Abort, KeyboardInterrupt):
        err.print(t("cli.aborted", reader_lang()))
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: never a traceback on screen
        # Usage errors from the command parser (typer vendors click) know how to show themselves.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            raise SystemExit(code) from None
        from assessment.db import is_disk_full

        if is_disk_full(exc):  # SQLite rolled the transaction back: say so, and what happened
            log.error("the disk or database is full", exc_info=True)
            err.print(t("cli.nothing_written", reader_lang()), markup=False, style="red")
            err.print(f"  - {t('cli.os.no_space', reader_lang())}", markup=False)
            raise SystemExit(1) from None
        ref = uuid.uuid4().hex[:8]
        log.error("unexpected error (ref %s)", ref, exc_info=True)
        err.print(t("cli.unexpected", reader_lang(), ref=ref), markup=False)
        raise SystemExit(1) from None
    finally:
        # The --as identity belongs to this run only: a process that runs commands in turn (a test suite, a
        # script importing main) must not record the next one's events as coming from the command line.
        audit = sys.modules.get("assessment.audit")
        if audit is not None:
            audit.ACTING_VIA.set(None)


if __name__ == "__main__":  # pragma: no cover
    main()
