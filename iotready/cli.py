"""The ``iotready`` command line: the same core as the app, for scripts and offline work.

Bad input exits with status 2 and lists every problem (by question id where there is one; at most
100, then how many more); an unexpected failure prints one line with a reference id, the traceback goes
to the log. Input files are capped in size before they are read (20 MB), every output path is checked
before any work is done, and everything echoed from input goes through :mod:`iotready.echo`.

Every line a person reads comes from the catalogs (``cli.*`` keys) in the reader's language: ``--lang``,
else ``IOTREADY_LANG``, else the POSIX locale (:mod:`iotready.lang`). Machine outputs (JSON, CSV) do not change.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
import sys
import tempfile
import uuid
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from answers.document import (
    AnswersDocument,
    AnswersError,
    Problem,
    blank_document,
    check_answers,
    import_problems,
    parse_answers,
)
from answers.jsonread import MAX_JSON_BYTES, JsonRefused, load_json
from assessment.filters import AssessmentFilter
from assessment.logs import configure_logging
from formatting.markdown import questionnaire_markdown, result_markdown, tier_name, traceability_markdown
from formatting.numbers import fmt_count, fmt_decimal, fmt_score, fmt_share
from iotready.echo import printable, shown
from iotready.lang import LangOpt, reader_lang, use_lang
from questionnaires.loader import (
    DEFAULT_QUESTIONNAIRE_DIR,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
)
from questionnaires.messages import languages, mark, t
from questionnaires.references import clause_reference, question_number
from questionnaires.versions import load_version
from recommendations.engine import plan_for_target, recommend
from refdata import country as lookup_country
from refdata import country_name
from scoring.engine import ScoringError, score
from scoring.results import ScoreResult

log = logging.getLogger("iotready")
app = typer.Typer(
    help="IoT and smart sustainable cities readiness (ITU PP Resolution 197): questionnaire, scoring, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
questionnaire_app = typer.Typer(help="Inspect and validate the questionnaire.", no_args_is_help=True)
demo_app = typer.Typer(help="Illustrative demo data.", no_args_is_help=True)
assessments_app = typer.Typer(help="List, delete and restore stored assessments.", no_args_is_help=True)
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(demo_app, name="demo")
app.add_typer(assessments_app, name="assessments")


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

out = Console()
err = Console(stderr=True)


class ShowFormat(StrEnum):
    json = "json"
    md = "md"


class ScoreFormat(StrEnum):
    json = "json"
    md = "md"
    table = "table"


QuestionnaireOpt = Annotated[
    Path | None,
    typer.Option("--questionnaire", "-q", help="Questionnaire folder (default: the shipped Resolution 197 one)."),
]
class UsageProblem(Exception):
    """Bad input from the user: printed as a list, exit status 2."""

    def __init__(self, title: str, problems: list[str]) -> None:
        self.title = title
        self.problems = problems
        super().__init__(title)


MAX_INPUT_BYTES = MAX_JSON_BYTES  # answers documents, exports and workbooks alike (the app's upload limit)
MAX_PRINTED = 100  # problems listed; then "... and N more"


_OS_REASONS = {errno.ENOENT: "cli.os.not_found", errno.EACCES: "cli.os.denied", errno.EPERM: "cli.os.denied",
               errno.EISDIR: "cli.os.is_folder", errno.ENOTDIR: "cli.os.not_folder", errno.ENOSPC: "cli.os.no_space",
               errno.EROFS: "cli.os.read_only", errno.EEXIST: "cli.os.exists"}


def os_reason(exc: OSError, lang: str) -> str:
    """Why the system refused, in the reader's language (the system's own text is English)."""
    key = _OS_REASONS.get(exc.errno or 0)
    return t(key, lang) if key else str(exc.strerror or exc)


def _read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, refused before reading when over ``limit``; a stream (/dev/zero) is cut at ``limit``."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            data = b"" if size > limit else fh.read(limit + 1)
    except OSError as exc:
        raise UsageProblem(t("cli.cannot_read", reader_lang(), path=path), [os_reason(exc, reader_lang())]) from None
    size = max(size, len(data))
    if size > limit:
        ln = reader_lang()
        key = "cli.too_big_size" if stat.S_ISREG(info.st_mode) else "cli.too_big_stream"
        raise UsageProblem(t("cli.too_big", ln, path=path), [
            t(key, ln, size=fmt_decimal(size / 1_048_576, ln), limit=fmt_count(limit // 1_048_576, ln))
        ])
    return data


def _destination_problems(path: Path, *, folder: bool) -> list[str]:
    ln = reader_lang()
    if not folder and path.is_dir():
        return [t("cli.dest_is_folder", ln, path=path)]
    if not folder and path.exists() and not path.is_file():
        return [t("cli.dest_not_regular", ln, path=path)]
    if folder and path.exists() and not path.is_dir():
        return [t("cli.dest_is_file", ln, path=path)]
    where = path if folder else path.parent
    while folder and not where.exists() and where != where.parent:
        where = where.parent  # the folder is created (with its parents) under the nearest existing one
    if not where.exists():
        return [t("cli.dest_no_folder", ln, path=where)]
    if not where.is_dir():
        return [t("cli.dest_not_folder", ln, path=where)]
    try:
        with tempfile.TemporaryFile(dir=where):
            pass
    except OSError as exc:
        return [t("cli.dest_cannot_create", ln, path=where, reason=os_reason(exc, ln))]
    if path.is_file() and not os.access(path, os.W_OK):
        return [t("cli.dest_read_only", ln, path=path)]
    return []


def _destination(path: Path, *, folder: bool = False) -> Path:
    """Check that ``path`` can be written before any work (a PDF takes seconds, --all minutes)."""
    problems = _destination_problems(path, folder=folder)
    if problems:
        raise UsageProblem(t("cli.cannot_write_nothing", reader_lang(), path=path), problems)
    return path


def _write(path: Path, data: bytes | str) -> None:
    """Write through a temporary file in the same folder, then rename: a failed write leaves no torn file."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as fh:
            tmp = Path(fh.name)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise UsageProblem(t("cli.cannot_write", reader_lang(), path=path), [os_reason(exc, reader_lang())]) from None


def _load(path: Path | None) -> Questionnaire:
    try:
        return load_questionnaire(path or DEFAULT_QUESTIONNAIRE_DIR)
    except QuestionnaireError as exc:
        where = path or DEFAULT_QUESTIONNAIRE_DIR
        raise UsageProblem(t("cli.questionnaire_invalid", reader_lang(), path=where), exc.problems) from None


def ask_yes(question: str, lang: str) -> bool:
    """A yes/no question in the reader's language (click's confirm knows only y/n): no terminal, an empty answer
    or anything but a yes word is no, so nothing is changed without a yes."""
    if not sys.stdin.isatty():
        return False
    answer = typer.prompt(f"{question} [{t('cli.yes_no', lang)}]", default="", show_default=False, prompt_suffix=" ")
    return answer.strip().lower() in {w.strip() for w in t("cli.yes_words", lang).split(",")}


def problem_line(p: object, lang: str) -> str:
    """An answers document's problem in ``lang``: the question by its id (the document's key), the field, why."""
    if not hasattr(p, "text"):
        return str(p)
    qid, field = getattr(p, "question_id", None), getattr(p, "field", "")
    where = [t("cli.at_question_id", lang, id=qid)] if qid else []
    where += [field] if field else []
    return "".join(f"{w}{mark(':', lang)} " for w in where) + p.text(lang)


def _read_answers(path: Path, questionnaire: Questionnaire) -> AnswersDocument:
    """An answers document, or the one assessment of an ``iotready export -f json`` file (issue 20.9)."""
    from exchange.export import EXPORT_FORMAT, export_documents_of

    ln = reader_lang()
    raw = _read_input(path)
    try:
        try:
            data = load_json(raw)
        except JsonRefused as exc:
            raise AnswersError([Problem.of("document", exc.reason)]) from None
        if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
            try:
                docs = export_documents_of(data)
            except ValueError as exc:  # AnswersError is one: its problems are listed below
                if isinstance(exc, AnswersError):
                    raise
                raise UsageProblem(t("cli.answers_invalid", ln, path=path), [t("cli.export_malformed", ln)]) \
                    from None
            if len(docs) != 1:
                raise UsageProblem(t("cli.answers_invalid", ln, path=path),
                                   [t("cli.export_not_one", ln, n=fmt_count(len(docs), ln))])
            doc = docs[0]
        else:
            doc = parse_answers(data)
    except AnswersError as exc:
        raise UsageProblem(t("cli.answers_invalid", ln, path=path), [problem_line(p, ln) for p in exc.problems]) \
            from None
    problems = [problem_line(p, ln) for p in import_problems(questionnaire, doc)]
    if problems:
        raise UsageProblem(t("cli.answers_misfit", ln, path=path, version=questionnaire.version), problems)
    return doc


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


def _count(key: str, n: int, lang: str) -> str:
    """``key``'s plural phrase for ``n``, the number written as ``lang`` writes it ("1 940 questions")."""
    return t(key, lang, n=fmt_count(n, lang))


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


@app.command("template")
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


def _check_country(code: str, given: str) -> None:
    """Refuse a ``--country`` that names no ITU Member State."""
    try:
        lookup_country(code)
    except KeyError:
        ln = reader_lang()
        raise UsageProblem(t("cli.bad_country_title", ln), [t("cli.bad_country", ln, country=given)]) from None


workbook_app = typer.Typer(help="The offline questionnaire workbook (XLSX).", no_args_is_help=True)
app.add_typer(workbook_app, name="workbook")


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
    code = country.strip().upper() if country else None
    if code and country:
        _check_country(code, country)
    _write(output, build_workbook(q, ln, doc, country=code, cycle=cycle))
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


def _score_doc(q: Questionnaire, doc: AnswersDocument) -> ScoreResult:
    try:
        return score(q, doc)
    except ScoringError as exc:
        ln = reader_lang()
        raise UsageProblem(t("cli.cannot_score", ln), exc.lines(q, ln)) from None


@app.command("score")
def score_cmd(
    file: Annotated[Path, typer.Argument(help="Answers document (JSON).")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Score an answers document: overall and pillar scores, tiers, completeness."""
    ln = use_lang(lang)
    q = _load(questionnaire)
    doc = _read_answers(file, q)
    result = _score_doc(q, doc)
    if format is ScoreFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, None, ln))
    else:  # every header and number in the reader's language (issue 11.5)
        table = Table(title=f"{country_name(doc.country, ln)} {doc.cycle} – {t('cli.version', ln)} {q.version}")
        for key in ("pillar", "score", "tier", "completeness", "evidence_coverage"):
            table.add_column(t(key, ln), justify="left" if key in ("pillar", "tier") else "right")
        for pr in result.pillars:
            table.add_row(
                q.pillar(pr.pillar_id).name.get(ln),
                fmt_score(pr.score, ln),
                tier_name(q, pr.tier, ln),
                fmt_share(pr.completeness, ln),
                fmt_share(pr.evidence_coverage, ln),
            )
        table.add_row(
            f"[bold]{t('overall', ln)}[/bold]",
            f"[bold]{fmt_score(result.overall, ln)}[/bold]",
            tier_name(q, result.overall_tier, ln),
            fmt_share(result.completeness, ln),
            fmt_share(result.evidence_coverage, ln),
        )
        out.print(table)
        if doc.illustrative:
            out.print(f"[yellow]{t('illustrative', ln)}[/yellow]")


@app.command("recommend")
def recommend_cmd(
    file: Annotated[Path, typer.Argument(help="Answers document (JSON).")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.md,
    lang: LangOpt = None,
    pillar: Annotated[str | None, typer.Option(help="With --tier: the plan to reach that tier in this pillar.")] = None,
    tier: Annotated[str | None, typer.Option(help="Target tier id, e.g. advancing.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many recommendations.")] = 50,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Ranked recommendations (weakest pillars first, gains re-scored), or the plan to reach a tier in one pillar."""
    ln = use_lang(lang)
    q = _load(questionnaire)
    doc = _read_answers(file, q)
    result = _score_doc(q, doc)
    if (pillar is None) != (tier is None):
        raise UsageProblem(t("cli.bad_options", ln), [t("cli.pillar_tier_together", ln)])
    if pillar is not None and tier is not None:
        problems = []
        if pillar not in {p.id for p in q.pillars}:  # the ids are what the option takes
            problems.append(t("cli.unknown_pillar", ln, pillar=pillar, known=", ".join(p.id for p in q.pillars)))
        if tier not in {x.id for x in q.tiers}:
            problems.append(t("cli.unknown_tier", ln, tier=tier, known=", ".join(x.id for x in q.tiers)))
        if problems:
            raise UsageProblem(t("cli.bad_options", ln), problems)
        plan = plan_for_target(q, result, pillar, tier, doc)
        if format is ScoreFormat.json:
            sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
            return
        recs = plan.steps
        out.print(t(
            "cli.plan_line", ln, pillar=q.pillar(pillar).name.get(ln),
            current=fmt_score(plan.current_score, ln), projected=fmt_score(plan.projected_score, ln),
            target=fmt_score(plan.target_score, ln),
            outcome=t("cli.plan_reachable" if plan.reachable else "cli.plan_unreachable", ln),
        ))
    else:
        recs = recommend(q, result, doc)[:limit]
    if format is ScoreFormat.json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in recs], ensure_ascii=False, indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, recs, ln))
    else:
        table = Table(title=t("cli.recommendations", ln))
        for col in ("#", t("pdf.gain", ln), t("cli.horizon", ln), t("cli.clause", ln), t("pdf.action", ln)):
            table.add_column(col)
        for r in recs:
            table.add_row(str(r.rank), f"+{fmt_score(r.expected_gain, ln)}", t(f"horizon.{r.horizon}", ln),
                          clause_reference(q, r.clause, ln), r.action.get(ln))
        out.print(table)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def _engine():
    from assessment.db import DatabaseUnavailable, connect

    try:
        return connect()
    except DatabaseUnavailable as exc:
        ln = reader_lang()
        raise UsageProblem(t("cli.database_unusable", ln), [exc.text(ln)]) from None


def _service_problem(exc: Exception) -> UsageProblem:
    """A refusal of the services, in the reader's language where the service gave its reason as a catalog key."""
    ln = reader_lang()
    text = getattr(exc, "text", None)
    problems = [problem_line(p, ln) for p in getattr(exc, "problems", [])] or [
        text(ln) if callable(text) else str(exc)]
    return UsageProblem(t("cli.nothing_written", ln), problems)


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


def _located_line(p: object, q: Questionnaire, lang: str = "en", *, by_number: bool = False) -> str:
    """One problem of an upload check as a line: where (assessment or sheet, row, question), then what.

    A workbook's question is named by its number (its reader edits cells, not ids); a JSON file's by the id
    it is keyed by, the key its reader has to find.
    """
    where = [str(x) for x in (getattr(p, "where", ""),) if x]
    if by_number:  # a workbook's problems are located in a sheet
        where = [t("problem.at_sheet", lang, sheet=w) for w in where]
    row, qid = getattr(p, "row", None), getattr(p, "question_id", "")
    if row is not None:
        where.append(t("problem.at_row", lang, row=row))
    if qid and by_number and q.has_question(qid):
        where.append(t("problem.at_question", lang, number=question_number(q, qid)))
    elif qid:
        where.append(t("cli.at_question_id", lang, id=qid))
    text = p.text(lang) if hasattr(p, "text") else str(p)
    return f"{', '.join(where)}{mark(':', lang)} {text}" if where else text


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


weights_app = typer.Typer(help="Weights from an expert panel (median of the experts' workbooks).", no_args_is_help=True)
app.add_typer(weights_app, name="weights")


@weights_app.command("template")
def weights_template(
    output: Annotated[Path, typer.Option("--output", "-o", help="The weights workbook to write (CSV).")],
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the weights workbook an expert fills (one row per pillar and question, current weight given)."""
    from questionnaires.panel import write_template

    ln = use_lang(lang)
    q = _load(questionnaire)
    write_template(q, output, ln)
    out.print(shown(t("cli.weights_template_written", ln, path=output,
                      pillars=_count("cli.n_pillars", len(q.pillars), ln),
                      questions=_count("cli.n_questions", len(q.questions), ln))))


@weights_app.command("combine")
def weights_combine(
    files: Annotated[list[Path], typer.Argument(help="The experts' filled workbooks (CSV).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder of the new questionnaire version.")],
    version: Annotated[str, typer.Option(help="The new version number, e.g. 1.2.0.")],
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Median of the experts' weights into a new questionnaire version, with the spread in weights_panel.csv."""
    from questionnaires.panel import combine, read_workbook, write_panel, write_version

    ln = use_lang(lang)
    q = _load(questionnaire)
    experts, problems = [], []
    for path in files:
        try:
            weights, found = read_workbook(path, q)
        except OSError as exc:
            raise UsageProblem(t("cli.cannot_read", ln, path=path), [os_reason(exc, ln)]) from None
        experts.append(weights)
        problems += [p.text(ln) for p in found]
    if problems:
        raise UsageProblem(t("cli.weights_problems", ln), problems)
    panel = combine(experts)
    try:
        new = write_version(q.source_dir, output, panel, version)
    except QuestionnaireError as exc:
        raise UsageProblem(t("cli.nothing_usable", ln), exc.problems) from None
    write_panel(output, panel)
    out.print(shown(t("cli.weights_written", ln, version=new.version, path=output,
                      weights=_count("cli.n_weights", len(panel), ln),
                      experts=_count("cli.n_experts", len(files), ln))))


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(
        help="Answers document or JSON export (.json), offline workbook (.xlsx), or the submissions of the XLSForm "
             "exported by KoboToolbox or ODK Central (.csv or .json).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply the plan without asking.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show the plan; write nothing.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every assessment's plan as a table, however many.")
    ] = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Import answers: checked whole, then the plan (saved value -> file value) before anything is written.

    A blank cell or an omitted question changes nothing. A new assessment is created at once; changes
    to an existing one are applied only with --yes (or a yes at the prompt). Nothing is written on a problem.
    More than five assessments are summed up one line each (--verbose shows every plan).
    """
    from iotready.import_cli import run_import

    ln = use_lang(lang)
    run_import(file, yes=yes, dry_run=dry_run, verbose=verbose, ln=ln, q=_load(questionnaire))


def _print_plan(q: Questionnaire, plan: object, lang: str) -> None:
    """The plan as the app shows it: per question, saved value -> file value; then what stays untouched."""
    from exchange.plan import ImportPlan, plan_rows, plan_summary, problem_text, question_label

    assert isinstance(plan, ImportPlan)
    where = {"country": country_name(plan.patch.country, lang), "cycle": plan.patch.cycle}
    if plan.refusal is not None:
        err.print(t("ui.plan.refused", lang, reason=plan.refusal.text(lang), **where))
    if plan.problems:
        err.print(t("ui.plan.problems", lang, n=len(plan.problems), **where))
        for p in plan.problems:
            err.print(f"  - {problem_text(q, p, lang)}", markup=False, highlight=False)
        return
    if not plan.changes:
        out.print(t("ui.plan.nothing", lang, **where))
        return
    out.print(plan_summary(plan, lang, **where))
    table = Table(show_lines=False)
    for key in ("col_question", "col_part", "col_saved", "col_file"):
        table.add_column(t(f"ui.plan.{key}", lang), overflow="fold")
    for row in plan_rows(q, plan, lang):
        table.add_row(row["question"], row["part"], row["saved"], row["file"])
    out.print(table)
    if plan.untouched:
        out.print(t("ui.plan.untouched", lang, n=fmt_count(len(plan.untouched), lang)) + mark(":", lang) + " "
                  + "; ".join(question_label(q, qid, lang).split(" ", 1)[0] for qid in plan.untouched),
                  markup=False, highlight=False)


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


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.json,
    cycle: Annotated[int | None, typer.Option(help="Only this cycle.")] = None,
    group: Annotated[
        str | None, typer.Option(help="Only this ITU-D region or group (e.g. Africa, ldc, sids, lldc, developing).")
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Only these Member States (ISO3; repeat the option).")
    ] = None,
    illustrative: Annotated[bool, typer.Option(help="Export the illustrative (demo) set.")] = False,
    all_statuses: Annotated[bool, typer.Option("--include-drafts", help="Include draft assessments.")] = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Export assessments (answers and scores) as CSV, XLSX or JSON, filtered like the app's Compare page.

    Real and illustrative assessments are never mixed; assessments the questionnaire cannot score (made
    with another version) are left out and counted.
    """
    from sqlmodel import Session

    from assessment.audit import log_export
    from assessment.service import ServiceError, count_assessments, export_documents
    from compare import GROUP_IDS
    from exchange.export import export_csv, export_json, export_xlsx
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    if group is not None and group not in GROUP_IDS:  # the ids are what the option takes
        raise UsageProblem(t("cli.unknown_group", ln, group=group),
                           [t("cli.known_groups", ln, groups=", ".join(GROUP_IDS))])
    _destination(output)
    q = _load(questionnaire)
    with Session(_engine()) as session:  # filtered in SQL: only the selection (and what the user may see) is read
        actor = acting_user(session)
        try:
            wanted = AssessmentFilter(questionnaire=q, illustrative=illustrative, cycle=cycle,
                                      countries=country or None, group=group)
            stored = export_documents(session, wanted, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        # Another version or content cannot be scored; "submitted" is every handed-in state (in review,
        # validated, published too), which the documents already say (assessment.workflow.doc_status).
        scorable = [d for d in stored if not check_answers(q, d)]
        docs = [d for d in scorable if all_statuses or d.status == "submitted"]
        log_export(session, what=format.value, countries=[d.country for d in docs], count=len(docs), actor=actor,
                   source="cli_export", cycles=[d.cycle for d in docs])
        # An empty export of the real set while the demo set is there: say how to get that one.
        demo = 0 if docs or illustrative else count_assessments(
            session, AssessmentFilter(questionnaire=q, illustrative=True, cycle=cycle, countries=country or None,
                                      group=group), actor=actor)
    filters = {"cycle": cycle, "group": group, "countries": country or None, "submitted_only": not all_statuses,
               "illustrative": illustrative}
    if format is ExportFormat.csv:
        data = export_csv(q, docs, lang=ln)
    elif format is ExportFormat.xlsx:
        data = export_xlsx(q, docs, lang=ln, filters=filters)
    else:
        data = export_json(q, docs, filters=filters)
    _write(output, data)
    out.print(shown(t("cli.exported", ln, path=output, n=fmt_count(len(docs), ln))))
    if len(scorable) < len(stored):
        out.print(t("cli.left_out", ln, n=fmt_count(len(stored) - len(scorable), ln)))
    if len(docs) < len(scorable):
        out.print(t("cli.drafts_left_out", ln, n=fmt_count(len(scorable) - len(docs), ln)))
    if demo:
        out.print(t("cli.demo_not_exported", ln, n=fmt_count(demo, ln)))


@app.command("report")
def report_cmd(
    file: Annotated[Path | None, typer.Argument(help="Answers document (JSON).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF, or folder with --all.")] = Path("profile.pdf"),
    assessment: Annotated[str | None, typer.Option("--assessment", help="Id of a stored assessment.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="One profile per stored assessment of --cycle.")] = False,
    cycle: Annotated[int | None, typer.Option(help="With --all: the cycle.")] = None,
    lang: LangOpt = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Processes for --all (default: all cores).")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """PDF readiness profile: from a file, a stored assessment, or all assessments of a cycle."""
    from rich.progress import Progress

    from reports import ProfileJob, render_many, render_profile, save_profiles

    ln = use_lang(lang)
    q = _load(questionnaire)
    chosen = sum(x is not None and x is not False for x in (file, assessment, all_ or None))
    if chosen != 1:
        raise UsageProblem(t("cli.bad_options", ln), [t("cli.report_one_source", ln)])
    _destination(output, folder=all_)
    stamp = None  # a file tells only draft or submitted
    if file is not None:
        docs = [_read_answers(file, q)]
    else:
        from sqlmodel import Session

        from assessment.service import Forbidden, NotFound, export_documents, get_document, workflow_stamp
        from iotready.users_cli import acting_user

        with Session(_engine()) as session:
            actor = acting_user(session)
            if assessment:
                try:
                    docs = [get_document(session, assessment, actor=actor)]
                    # The workflow state ("validated by … on …"), not the document's "submitted" (issue 20)
                    stamp = workflow_stamp(session, assessment_id=assessment, actor=actor)
                except (NotFound, Forbidden):  # another country's id is no assessment to this user
                    raise UsageProblem(t("cli.unknown_assessment_title", ln),
                                       [t("cli.unknown_assessment", ln, id=assessment)]) from None
            else:
                if cycle is None:
                    raise UsageProblem(t("cli.bad_options", ln), [t("cli.all_needs_cycle", ln)])
                docs = export_documents(session, AssessmentFilter(questionnaire=q, cycle=cycle), actor=actor)
                from assessment.stamps import workflow_stamps

                stamps = workflow_stamps(session, docs, actor=actor)  # "validated by … on …", as one profile
            if docs:  # a profile is as much a disclosure as an export: recorded before it is written
                from assessment.audit import log_export

                log_export(session, what="pdf", countries=[d.country for d in docs], count=len(docs), actor=actor,
                           source="cli_report", cycles=[d.cycle for d in docs],
                           assessment_ids=[assessment] if assessment else None)
        if not docs:
            raise UsageProblem(t("cli.nothing_to_report", ln), [t("cli.no_assessment_in_cycle", ln, cycle=cycle)])
    if not all_:
        try:
            pdf = render_profile(q, docs[0], lang=ln, workflow=stamp)
        except ScoringError as exc:
            raise UsageProblem(t("cli.cannot_report", ln), exc.lines(q, ln)) from None
        _write(output, pdf)
        out.print(shown(t("cli.wrote", ln, path=output)))
        return
    jobs = [ProfileJob(doc=d, lang=ln, workflow=w) for d, w in zip(docs, stamps, strict=True)]
    with Progress(console=err) as progress:
        task = progress.add_task(t("cli.progress_profiles", ln), total=len(jobs))
        outputs = render_many(
            jobs, questionnaire=q.source_dir, workers=workers,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    try:
        paths = save_profiles(outputs, output)
    except OSError as exc:
        raise UsageProblem(t("cli.cannot_write_profiles", ln, path=output), [os_reason(exc, ln)]) from None
    failed = [f"{o.name}{mark(':', ln)} {o.error}" for o in outputs if not o.ok]
    out.print(shown(t("cli.profiles_written", ln, n=fmt_count(len(paths), ln), path=output)))
    if failed:
        raise UsageProblem(t("cli.profiles_failed", ln), failed)


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


from iotready.users_cli import users_app  # noqa: E402  (it imports this module's helpers lazily)

app.add_typer(users_app, name="users")

from iotready.database_cli import database_app  # noqa: E402
from iotready.opendata_cli import opendata_cmd  # noqa: E402
from iotready.xlsform_cli import xlsform_cmd  # noqa: E402

app.command("opendata")(opendata_cmd)
questionnaire_app.command("xlsform")(xlsform_cmd)
app.add_typer(database_app, name="database")

if __name__ == "__main__":  # pragma: no cover
    main()
