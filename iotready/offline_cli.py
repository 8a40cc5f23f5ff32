"""Filling offline: ``iotready template`` (a blank answers document, JSON) and ``iotready workbook build`` /
``workbook read`` (the offline questionnaire workbook, :mod:`exchange.workbook`). Filled files come back
through ``iotready import``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from answers.document import (
    AnswersDocument,
    blank_document,
    import_problems,
)
from formatting.numbers import fmt_count
from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _check_country,
    _destination,
    _engine,
    _load,
    _read_answers,
    _read_input,
    _write,
    out,
    problem_line,
)
from iotready.echo import shown
from iotready.lang import LangOpt, reader_lang, use_lang
from questionnaires.loader import (
    Questionnaire,
)
from questionnaires.messages import languages, t
from refdata import country_name

if TYPE_CHECKING:
    from assessment.evidence import EvidenceView


def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the blank answers document.")],
    country: Annotated[str, typer.Option(help="ISO3 code of the Member State, e.g. KEN.")] = "XXX",
    cycle: Annotated[int, typer.Option(help="Assessment cycle (year).")] = 2026,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write a blank answers document (JSON) to fill offline."""
    ln = use_lang(lang)
    _destination(output)
    q = _load(questionnaire)
    code = country.strip().upper()
    if code != "XXX":
        _check_country(code, country)
    doc = blank_document(q, code, cycle)
    _write(output, doc.model_dump_json(indent=2) + "\n")
    out.print(shown(t("cli.template_written", ln, path=output, n=fmt_count(len(doc.answers), ln),
                      version=q.version)))


workbook_app = typer.Typer(help="The offline questionnaire workbook (XLSX).", no_args_is_help=True)


@workbook_app.command("build")
def workbook_build(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the workbook (.xlsx).")],
    lang: LangOpt = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code of the Member State, e.g. KEN.")] = None,
    cycle: Annotated[int | None, typer.Option(help="Assessment cycle (year).")] = None,
    prefill: Annotated[
        Path | None,
        typer.Option("--from", help="Answers document (JSON), or a JSON export holding one assessment, to pre-fill."),
    ] = None,
    assessment: Annotated[str | None, typer.Option("--assessment", help="Id of a stored assessment to pre-fill.")]
    = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Write the offline questionnaire workbook: one sheet per pillar, drop-downs, help and level descriptors."""
    from exchange.workbook import build_workbook

    ln = use_lang(lang)
    if prefill is not None and assessment is not None:
        raise UsageProblem(t("cli.bad_options", ln), [t("cli.workbook_one_source", ln)])
    _destination(output)
    q = _load(questionnaire)
    doc = _read_answers(prefill, q) if prefill else _stored_document(assessment, q) if assessment else None
    documents = _stored_evidence(assessment) if assessment else None
    code = country.strip().upper() if country else None
    if code and country:
        _check_country(code, country)
    _write(output, build_workbook(q, ln, doc, country=code, cycle=cycle, documents=documents))
    out.print(shown(t("cli.workbook_written", ln, path=output, version=q.version, language=languages()[ln])))


def _stored_document(assessment_id: str, questionnaire: Questionnaire) -> AnswersDocument:
    """A stored assessment as the acting user may read it; another country's id is no assessment to them."""
    from sqlmodel import Session

    from assessment.service import Forbidden, NotFound, get_document
    from iotready.users_cli import acting_user

    ln = reader_lang()
    with Session(_engine()) as session:
        try:
            doc = get_document(session, assessment_id, actor=acting_user(session))
        except (NotFound, Forbidden):
            raise UsageProblem(t("cli.unknown_assessment_title", ln),
                               [t("cli.unknown_assessment", ln, id=assessment_id)]) from None
    problems = [problem_line(p, ln) for p in import_problems(questionnaire, doc)]
    if problems:
        raise UsageProblem(t("cli.assessment_misfit", ln, id=assessment_id, version=questionnaire.version), problems)
    return doc


def _stored_evidence(assessment_id: str) -> dict[str, list[EvidenceView]]:
    """The documents attached to each answer of a stored assessment (read as the acting user), by question."""
    from sqlmodel import Session

    from assessment.evidence import evidence_by_question
    from iotready.users_cli import acting_user

    with Session(_engine()) as session:
        return evidence_by_question(session, assessment_ids=[assessment_id],
                                    actor=acting_user(session)).get(assessment_id, {})


@workbook_app.command("read")
def workbook_read(
    file: Annotated[Path, typer.Argument(help="A filled offline workbook (.xlsx).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the answers document (JSON).")] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check a filled workbook whole and list every problem; with -o, write its answers document (JSON).

    Problems name the sheet, the row and the question's number (the workbook's reader edits cells, not ids).
    """
    from exchange.problem_lines import workbook_problem_line
    from exchange.workbook import ImportProblems, read_workbook

    ln = use_lang(lang)
    if output:
        _destination(output)
    q = _load(questionnaire)
    data = _read_input(file)
    try:
        doc = read_workbook(q, data)
    except ImportProblems as exc:
        raise UsageProblem(t("cli.workbook_problems", ln, file=file),
                           [workbook_problem_line(q, p, ln) for p in exc.problems]) from None
    answered = sum(a.status != "unanswered" for a in doc.answers.values())
    if output:
        _write(output, doc.model_dump_json(indent=2) + "\n")
    line = t("cli.workbook_read", ln, file=file, country=country_name(doc.country, ln), cycle=doc.cycle,
             n=fmt_count(answered, ln), total=fmt_count(len(doc.answers), ln))
    out.print(shown(line + (t("cli.workbook_read_wrote", ln, path=output) if output else "")))
