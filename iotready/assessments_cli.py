"""``iotready assessments`` (list, delete, restore the stored assessments) and ``iotready demo load`` (the
illustrative demo set).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.measure import Measurement
from rich.table import Table

from formatting.numbers import fmt_count
from iotready.common import (
    QuestionnaireOpt,
    _engine,
    _load,
    _service_problem,
    ask_yes,
    out,
)
from iotready.echo import printable
from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t
from refdata import country_name

demo_app = typer.Typer(help="Illustrative demo data.", no_args_is_help=True)
assessments_app = typer.Typer(help="List, delete and restore stored assessments.", no_args_is_help=True)


@demo_app.command("load")
def demo_load(questionnaire: QuestionnaireOpt = None, lang: LangOpt = None) -> None:
    """Load the illustrative demo assessments (about 40 countries, two cycles) into the database."""
    from sqlmodel import Session

    from assessment.demo import load_demo
    from assessment.service import ServiceError
    from iotready.users_cli import LOCAL_CLI, acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    with Session(_engine()) as session:
        try:
            actor = acting_user(session)  # with --as: that user (an administrator's role is needed), audited so
            changed = load_demo(session, q) if actor == LOCAL_CLI else load_demo(session, q, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(t("cli.demo_ready", ln, n=fmt_count(changed, ln)))


def _print_by_id(lang: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], empty: str) -> None:
    """Rows keyed by an id that the next command takes: the id is never cut nor wrapped (issue 20.19).

    A table when the terminal is wide enough for every cell whole; otherwise one block per row, the id
    alone on its line and the other cells after it, so an 80-column terminal still shows every character.
    """
    if not rows:
        out.print(t(empty, lang))
        return
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column(t("cli.col_id", lang), no_wrap=True, overflow="ignore")
    for c in columns:
        table.add_column(t(f"cli.col_{c}", lang), no_wrap=True)
    for row in rows:
        table.add_row(*(printable(cell) for cell in row))
    if Measurement.get(out, out.options.update_width(10_000), table).maximum <= out.width:
        out.print(table)
        return
    for row in rows:
        out.print(printable(row[0]), markup=False, highlight=False, soft_wrap=True)
        out.print("  " + " · ".join(printable(cell) for cell in row[1:] if cell), markup=False, highlight=False)


@assessments_app.command("list")
def assessments_list(
    deleted: Annotated[bool, typer.Option("--deleted", help="List deleted (restorable) ones instead.")] = False,
    lang: LangOpt = None,
) -> None:
    """The stored assessments (deleted ones are left out, or listed alone with --deleted)."""
    from sqlmodel import Session

    from assessment.history import list_deleted
    from assessment.service import ServiceError, list_assessments
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    with Session(_engine()) as session:
        actor = acting_user(session)
        if deleted:
            try:
                gone = list_deleted(session, actor=actor)
            except ServiceError as exc:
                raise _service_problem(exc) from None
            _print_by_id(ln, ("country", "cycle", "deleted_at", "by"),
                         [(d.id, country_name(d.country, ln), str(d.cycle),
                           d.deleted_at.strftime("%Y-%m-%d %H:%M UTC"), d.deleted_by or "") for d in gone],
                         "cli.no_deleted")
            return
        try:
            rows = list_assessments(session, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    _print_by_id(ln, ("country", "cycle", "status", "data", "last_change"),
                 [(r.id, country_name(r.country, ln), str(r.cycle), t(f"ui.status.{r.status}", ln),
                   t("cli.data_illustrative", ln) if r.illustrative else "",
                   r.updated_at.strftime("%Y-%m-%d %H:%M UTC")) for r in rows],
                 "cli.no_assessment")


@assessments_app.command("delete")
def assessments_delete(
    assessment_id: Annotated[str, typer.Argument(help="Id of the assessment (see `iotready assessments list`).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why (required for a handed-in assessment, which only an administrator may delete; "
        "kept in the audit trail).")] = None,
    lang: LangOpt = None,
) -> None:
    """Delete an assessment: hidden everywhere, kept with its change log, restorable with `assessments restore`.

    A draft or returned one: its focal point or an administrator. A handed-in one (submitted, under review,
    validated, published): an administrator only, with --reason.
    """
    from sqlmodel import Session

    from assessment.history import delete_assessment
    from assessment.service import ServiceError, get_assessment
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            view = get_assessment(session, assessment_id, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        label = t("cli.assessment_label_illustrative" if view.illustrative else "cli.assessment_label", ln,
                  country=country_name(view.country, ln), cycle=view.cycle)
        if not yes and not ask_yes(t("cli.delete_ask", ln, label=label), ln):
            out.print(t("cli.delete_not_done", ln, id=assessment_id), markup=False, highlight=False)
            raise SystemExit(1)
        try:
            delete_assessment(session, assessment_id=assessment_id, reason=reason, expected_version=view.version,
                              actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(t("cli.deleted", ln, label=label, id=assessment_id), markup=False)


@assessments_app.command("restore")
def assessments_restore(
    assessment_id: Annotated[str, typer.Argument(help="Id of a deleted assessment (`assessments list --deleted`).")],
    lang: LangOpt = None,
) -> None:
    """Bring a deleted assessment back, with everything it had."""
    from sqlmodel import Session

    from assessment.history import restore_assessment
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    with Session(_engine()) as session:
        try:
            restore_assessment(session, assessment_id=assessment_id, actor=acting_user(session))
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(t("cli.restored", ln, id=assessment_id), markup=False)
