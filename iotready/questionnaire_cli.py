"""``iotready questionnaire``: validate, show, the traceability matrix, and carrying assessments to a new
version (``upgrade``). ``questionnaire xlsform`` is in :mod:`iotready.xlsform_cli`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from formatting.markdown import questionnaire_markdown, traceability_markdown
from formatting.numbers import fmt_count
from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _count,
    _destination,
    _engine,
    _load,
    _service_problem,
    _write,
    err,
    out,
)
from iotready.echo import shown
from iotready.lang import LangOpt, reader_lang, use_lang
from questionnaires.loader import (
    Questionnaire,
)
from questionnaires.messages import t
from questionnaires.references import clause_reference, question_number
from questionnaires.versions import load_version
from refdata import country_name

questionnaire_app = typer.Typer(help="Inspect and validate the questionnaire.", no_args_is_help=True)


class ShowFormat(StrEnum):
    json = "json"
    md = "md"


def _coverage_problems(questionnaire: Questionnaire) -> list[str]:
    matrix, ln = questionnaire.traceability(), reader_lang()
    return [
        t("cli.uncovered_clause", ln, clause=clause_reference(questionnaire, cid, ln))
        for cid in questionnaire.required_clause_ids()
        if not matrix.get(cid)
    ]


@questionnaire_app.command("validate")
def questionnaire_validate(
    path: Annotated[Path | None, typer.Argument(help="Questionnaire folder or its questionnaire.yaml.")] = None,
    lang: LangOpt = None,
) -> None:
    """Check a questionnaire folder: schema, cross-references, clause coverage."""
    ln = use_lang(lang)
    q = _load(path)
    problems = _coverage_problems(q)
    if problems:
        raise UsageProblem(t("cli.not_covering", ln), problems)
    line = t("cli.validate_ok", ln, version=q.version, questions=_count("cli.n_questions", len(q.questions), ln),
             pillars=_count("cli.n_pillars", len(q.pillars), ln), rules=_count("cli.n_rules", len(q.rules), ln),
             clauses=_count("cli.n_clauses_covered", len(q.required_clause_ids()), ln), hash=q.content_hash[:12])
    out.print(f"[green]OK[/green] {shown(line)}")


@questionnaire_app.command("show")
def questionnaire_show(
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.md,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Print the questionnaire as Markdown (for reading) or JSON (for other tools)."""
    ln = use_lang(lang)
    q = _load(questionnaire)
    if format is ShowFormat.json:
        payload = {
            "id": q.id,
            "version": q.version,
            "content_hash": q.content_hash,
            "meta": q.meta.model_dump(mode="json"),
            "questions": [x.model_dump(mode="json", by_alias=True) for x in q.questions],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(questionnaire_markdown(q, ln) + "\n")


@questionnaire_app.command("matrix")
def questionnaire_matrix(
    lang: LangOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """The clause -> questions traceability matrix (Markdown), as in docs/traceability.md."""
    ln = use_lang(lang)
    if output:
        _destination(output)
    text = traceability_markdown(_load(questionnaire), ln)
    if output:
        _write(output, text)
        out.print(shown(t("cli.wrote", ln, path=output)))
    else:
        sys.stdout.write(text)


@questionnaire_app.command("upgrade")
def questionnaire_upgrade(
    assessment: Annotated[str | None, typer.Option(help="Upgrade this assessment id only.")] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Carry assessments answered on an earlier questionnaire version to the current one (nothing deleted).

    Only drafts and assessments returned with queries move; a handed-in one is left as it is, with the reason.
    """
    from sqlmodel import Session

    from assessment.service import ServiceError
    from assessment.upgrade import outdated_assessments, upgrade_assessment
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            ids = [assessment] if assessment else outdated_assessments(session, q, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        if not ids:
            out.print(t("cli.upgrade_all_current", ln, version=q.version))
            return
        for assessment_id in ids:
            try:
                r = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=q, actor=actor)
            except ServiceError as exc:
                if assessment or exc.reason is None or not exc.reason.code.startswith("svc_upgrade_"):
                    raise _service_problem(exc) from None
                # handed in: the others still go ahead
                err.print(t("cli.upgrade_left", ln, reason=exc.reason.text(ln)), markup=False, highlight=False)
                continue
            old = load_version(q.id, r.from_version, q)
            out.print(t("ui.home.upgraded", ln, country=country_name(r.country, ln), cycle=r.cycle,
                        old=r.from_version, new=r.to_version, kept=fmt_count(len(r.kept), ln),
                        review=_numbered(r.to_review, ln, q), answer=_numbered(r.to_answer, ln, q),
                        history=_numbered(r.moved_to_history, ln, q, old)), markup=False, highlight=False)


def _numbered(qids: list[str], lang: str, *versions: Questionnaire | None) -> str:
    """How many questions, then their numbers ("2 (1.3, 2.1)"): in the first version that has the question."""
    if not qids:
        return fmt_count(0, lang)
    numbers = [next((question_number(v, qid) for v in versions if v is not None and v.has_question(qid)), "?")
               for qid in qids]
    numbers.sort(key=lambda n: [int(x) if x.isdigit() else 0 for x in n.split(".")])
    return f"{fmt_count(len(qids), lang)} ({', '.join(numbers)})"
