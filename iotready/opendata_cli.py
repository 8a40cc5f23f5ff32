"""``iotready opendata``: the published results as a Frictionless Data Package, audited as an export.

Only published assessments (validated, then published) of the real set are read, filtered in SQL by the
export service, which also checks the acting user may export and limits them to what they may see;
the disclosure is recorded in the audit trail like ``iotready export``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t


class Licence(StrEnum):
    cc_by = "CC-BY-4.0"
    cc0 = "CC0-1.0"
    odc_by = "ODC-BY-1.0"


def opendata_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the package into.")],
    cycle: Annotated[int | None, typer.Option(help="Only this cycle.")] = None,
    licence: Annotated[Licence, typer.Option("--licence", help="Licence of the data.")] = Licence.cc_by,
    lang: LangOpt = None,
    questionnaire: Annotated[
        Path | None,
        typer.Option("--questionnaire", "-q", help="Questionnaire folder (default: the shipped Resolution 197 one)."),
    ] = None,
) -> None:
    """Open data: published scores and tiers as a Frictionless Data Package (datapackage.json and CSV)."""
    from sqlmodel import Session

    from answers.document import check_answers
    from assessment.audit import log_export
    from assessment.filters import AssessmentFilter
    from assessment.service import ServiceError, export_documents
    from exchange.opendata import open_data_package
    from formatting.numbers import fmt_count
    from iotready.common import _destination, _engine, _load, _service_problem, _write, out
    from iotready.echo import shown
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    _destination(output, folder=True)
    q = _load(questionnaire)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            wanted = AssessmentFilter(questionnaire=q, illustrative=False, status="published", cycle=cycle)
            docs = [d for d in export_documents(session, wanted, actor=actor) if not check_answers(q, d)]
            log_export(session, what="opendata", countries=[d.country for d in docs], count=len(docs), actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    files = open_data_package(q, docs, licence=licence.value, cycle=cycle)
    output.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write(output / name, data)
    out.print(shown(t("cli.opendata_written", ln, path=output, n=fmt_count(len(docs), ln))))
    if not docs:
        out.print(t("cli.opendata_none", ln))
