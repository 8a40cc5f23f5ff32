"""The ``iotready`` command line: the same core as the app, for scripts and offline work.

Bad input exits with status 2 and lists every problem (by question id where there is one; at most
100, then how many more); an unexpected failure prints one line with a reference id, the traceback goes
to the log. Input files are capped in size before they are read (20 MB), every output path is checked
before any work is done, and everything echoed from input goes through :mod:`iotready.echo`.
"""

from __future__ import annotations

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
from rich.console import Console
from rich.table import Table

from answers.document import (
    AnswersDocument,
    AnswersError,
    blank_document,
    check_answers,
    import_problems,
    parse_answers,
)
from answers.jsonread import MAX_JSON_BYTES
from assessment.filters import AssessmentFilter
from assessment.logs import configure_logging
from formatting.markdown import questionnaire_markdown, result_markdown, tier_name, traceability_markdown
from formatting.numbers import fmt_score, fmt_share
from iotready.echo import printable, shown
from questionnaires.loader import (
    DEFAULT_QUESTIONNAIRE_DIR,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
)
from questionnaires.messages import mark, t
from questionnaires.references import clause_reference, question_number
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

out = Console()
err = Console(stderr=True)


class Lang(StrEnum):
    en = "en"
    fr = "fr"


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
LangOpt = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the output.")]


class UsageProblem(Exception):
    """Bad input from the user: printed as a list, exit status 2."""

    def __init__(self, title: str, problems: list[str]) -> None:
        self.title = title
        self.problems = problems
        super().__init__(title)


MAX_INPUT_BYTES = MAX_JSON_BYTES  # answers documents, exports and workbooks alike (the app's upload limit)
MAX_PRINTED = 100  # problems listed; then "... and N more"


def _read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, refused before reading when over ``limit``; a stream (/dev/zero) is cut at ``limit``."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            data = b"" if size > limit else fh.read(limit + 1)
    except OSError as exc:
        raise UsageProblem(f"Cannot read {path}:", [exc.strerror or str(exc)]) from None
    size = max(size, len(data))
    if size > limit:
        more = "more than " if not stat.S_ISREG(info.st_mode) else ""
        raise UsageProblem(f"{path} is too big; nothing was read:", [
            f"it is {more}{size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB "
            "(an answers document or a workbook is well under 1 MB, an export of every Member State about 13 MB)"
        ])
    return data


def _destination_problems(path: Path, *, folder: bool) -> list[str]:
    if not folder and path.is_dir():
        return [f"{path} is a folder: give a file name in it"]
    if not folder and path.exists() and not path.is_file():
        return [f"{path} is not a regular file (a device or a pipe such as /dev/full): give a file name"]
    if folder and path.exists() and not path.is_dir():
        return [f"{path} is a file: --all writes one PDF per assessment into a folder"]
    where = path if folder else path.parent
    while folder and not where.exists() and where != where.parent:
        where = where.parent  # the folder is created (with its parents) under the nearest existing one
    if not where.exists():
        return [f"the folder {where} does not exist: create it first"]
    if not where.is_dir():
        return [f"{where} is not a folder"]
    try:
        with tempfile.TemporaryFile(dir=where):
            pass
    except OSError as exc:
        return [f"cannot create files in {where}: {exc.strerror or exc} (is it read-only?)"]
    if path.is_file() and not os.access(path, os.W_OK):
        return [f"{path} is read-only"]
    return []


def _destination(path: Path, *, folder: bool = False) -> Path:
    """Check that ``path`` can be written before any work (a PDF takes seconds, --all minutes)."""
    problems = _destination_problems(path, folder=folder)
    if problems:
        raise UsageProblem(f"Cannot write {path}; nothing was done:", problems)
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
        raise UsageProblem(f"Cannot write {path}:", [exc.strerror or str(exc)]) from None


def _load(path: Path | None) -> Questionnaire:
    try:
        return load_questionnaire(path or DEFAULT_QUESTIONNAIRE_DIR)
    except QuestionnaireError as exc:
        where = path or DEFAULT_QUESTIONNAIRE_DIR
        raise UsageProblem(f"The questionnaire in {where} is not valid:", exc.problems) from None


def _read_answers(path: Path, questionnaire: Questionnaire) -> AnswersDocument:
    raw = _read_input(path)
    try:
        doc = parse_answers(raw)
    except AnswersError as exc:
        raise UsageProblem(f"{path} is not a valid answers document:", [str(p) for p in exc.problems]) from None
    problems = [str(p) for p in import_problems(questionnaire, doc)]
    if problems:
        raise UsageProblem(f"{path} does not fit questionnaire {questionnaire.id} {questionnaire.version}:", problems)
    return doc


def _coverage_problems(questionnaire: Questionnaire) -> list[str]:
    matrix = questionnaire.traceability()
    return [
        f"clause `{cid}` has a country-level counterpart but no question cites it"
        for cid in questionnaire.required_clause_ids()
        if not matrix.get(cid)
    ]


@questionnaire_app.command("validate")
def questionnaire_validate(
    path: Annotated[Path | None, typer.Argument(help="Questionnaire folder or its questionnaire.yaml.")] = None,
) -> None:
    """Check a questionnaire folder: schema, cross-references, clause coverage."""
    q = _load(path)
    problems = _coverage_problems(q)
    if problems:
        raise UsageProblem("The questionnaire loads but does not cover Resolution 197:", problems)
    out.print(
        f"[green]OK[/green] {q.id} {q.version}: {len(q.questions)} questions in {len(q.pillars)} pillars, "
        f"{len(q.rules)} recommendation rules, {len(q.required_clause_ids())} required clauses covered; "
        f"content hash {q.content_hash[:12]}"
    )


@questionnaire_app.command("show")
def questionnaire_show(
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.md,
    lang: LangOpt = Lang.en,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Print the questionnaire as Markdown (for reading) or JSON (for other tools)."""
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
        sys.stdout.write(questionnaire_markdown(q, lang.value) + "\n")


@questionnaire_app.command("matrix")
def questionnaire_matrix(
    lang: LangOpt = Lang.en,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """The clause -> questions traceability matrix (Markdown), as in docs/traceability.md."""
    if output:
        _destination(output)
    text = traceability_markdown(_load(questionnaire), lang.value)
    if output:
        _write(output, text)
        out.print(f"wrote {shown(output)}")
    else:
        sys.stdout.write(text)


@app.command("template")
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the blank answers document.")],
    country: Annotated[str, typer.Option(help="ISO3 code of the Member State, e.g. KEN.")] = "XXX",
    cycle: Annotated[int, typer.Option(help="Assessment cycle (year).")] = 2026,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Write a blank answers document (JSON) to fill offline."""
    _destination(output)
    q = _load(questionnaire)
    code = country.strip().upper()
    if code != "XXX":
        try:
            lookup_country(code)
        except KeyError:
            raise UsageProblem("Bad --country:", [f"`{country}` is not the ISO3 code of an ITU Member State"]) from None
    doc = blank_document(q, code, cycle)
    _write(output, doc.model_dump_json(indent=2) + "\n")
    out.print(f"wrote {shown(output)}: {len(doc.answers)} questions to answer for {q.id} {q.version}")


workbook_app = typer.Typer(help="The offline questionnaire workbook (XLSX).", no_args_is_help=True)
app.add_typer(workbook_app, name="workbook")


@workbook_app.command("build")
def workbook_build(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the workbook (.xlsx).")],
    lang: LangOpt = Lang.en,
    country: Annotated[str | None, typer.Option(help="ISO3 code of the Member State, e.g. KEN.")] = None,
    cycle: Annotated[int | None, typer.Option(help="Assessment cycle (year).")] = None,
    prefill: Annotated[Path | None, typer.Option("--from", help="Answers document (JSON) to pre-fill.")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Write the offline questionnaire workbook: one sheet per pillar, drop-downs, help and level descriptors."""
    from exchange.workbook import build_workbook

    _destination(output)
    q = _load(questionnaire)
    doc = _read_answers(prefill, q) if prefill else None
    code = country.strip().upper() if country else None
    if code:
        try:
            lookup_country(code)
        except KeyError:
            raise UsageProblem("Bad --country:", [f"`{country}` is not the ISO3 code of an ITU Member State"]) from None
    _write(output, build_workbook(q, lang.value, doc, country=code, cycle=cycle))
    out.print(f"wrote {shown(output)}: offline workbook for {q.id} {q.version} ({lang.value})")


@workbook_app.command("read")
def workbook_read(
    file: Annotated[Path, typer.Argument(help="A filled offline workbook (.xlsx).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the answers document (JSON).")] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = Lang.en,
) -> None:
    """Check a filled workbook whole and list every problem; with -o, write its answers document (JSON).

    Problems name the sheet, the row and the question's number (the workbook's reader edits cells, not ids).
    """
    from exchange.problem_lines import workbook_problem_line
    from exchange.workbook import ImportProblems, read_workbook

    if output:
        _destination(output)
    q = _load(questionnaire)
    data = _read_input(file)
    try:
        doc = read_workbook(q, data)
    except ImportProblems as exc:
        raise UsageProblem(t("cli.workbook_problems", lang.value, file=file),
                           [workbook_problem_line(q, p, lang.value) for p in exc.problems]) from None
    answered = sum(a.status != "unanswered" for a in doc.answers.values())
    if output:
        _write(output, doc.model_dump_json(indent=2) + "\n")
    out.print(f"{shown(file)}: {doc.country} {doc.cycle}, {answered} of {len(doc.answers)} questions answered, "
              "no problem" + (f"; wrote {shown(output)}" if output else ""))


def _score_doc(q: Questionnaire, doc: AnswersDocument) -> ScoreResult:
    try:
        return score(q, doc)
    except ScoringError as exc:
        raise UsageProblem("These answers cannot be scored:", exc.problems) from None


@app.command("score")
def score_cmd(
    file: Annotated[Path, typer.Argument(help="Answers document (JSON).")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
    lang: LangOpt = Lang.en,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Score an answers document: overall and pillar scores, tiers, completeness."""
    q = _load(questionnaire)
    doc = _read_answers(file, q)
    result = _score_doc(q, doc)
    if format is ScoreFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, None, lang.value))
    else:
        ln = lang.value  # every header and number in the reader's language (issue 11.5)
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
    lang: LangOpt = Lang.en,
    pillar: Annotated[str | None, typer.Option(help="With --tier: the plan to reach that tier in this pillar.")] = None,
    tier: Annotated[str | None, typer.Option(help="Target tier id, e.g. advancing.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many recommendations.")] = 50,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Ranked recommendations (weakest pillars first, gains re-scored), or the plan to reach a tier in one pillar."""
    q = _load(questionnaire)
    doc = _read_answers(file, q)
    result = _score_doc(q, doc)
    if (pillar is None) != (tier is None):
        raise UsageProblem("Bad options:", ["--pillar and --tier go together"])
    if pillar is not None and tier is not None:
        problems = []
        if pillar not in {p.id for p in q.pillars}:
            problems.append(f"--pillar: unknown pillar `{pillar}`; known: {', '.join(p.id for p in q.pillars)}")
        if tier not in {t.id for t in q.tiers}:
            problems.append(f"--tier: unknown tier `{tier}`; known: {', '.join(t.id for t in q.tiers)}")
        if problems:
            raise UsageProblem("Bad options:", problems)
        plan = plan_for_target(q, result, pillar, tier, doc)
        if format is ScoreFormat.json:
            sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
            return
        recs = plan.steps
        out.print(t(
            "cli.plan_line", lang.value, pillar=q.pillar(pillar).name.get(lang.value),
            current=fmt_score(plan.current_score, lang.value), projected=fmt_score(plan.projected_score, lang.value),
            target=fmt_score(plan.target_score, lang.value),
            outcome=t("cli.plan_reachable" if plan.reachable else "cli.plan_unreachable", lang.value),
        ))
    else:
        recs = recommend(q, result, doc)[:limit]
    if format is ScoreFormat.json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in recs], ensure_ascii=False, indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, recs, lang.value))
    else:
        ln = lang.value
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
        raise UsageProblem("The database cannot be used:", [str(exc)]) from None


def _service_problem(exc: Exception) -> UsageProblem:
    problems = [str(p) for p in getattr(exc, "problems", [])] or [str(exc)]
    return UsageProblem("Nothing was written:", problems)


@demo_app.command("load")
def demo_load(questionnaire: QuestionnaireOpt = None) -> None:
    """Load the illustrative demo assessments (about 40 countries, two cycles) into the database."""
    from sqlmodel import Session

    from assessment.demo import load_demo
    from assessment.service import ServiceError

    q = _load(questionnaire)
    with Session(_engine()) as session:
        try:
            changed = load_demo(session, q)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(f"demo data ready ({changed} assessments created or updated; all labelled illustrative)")


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
        where.append(f"question `{qid}`")
    text = p.text(lang) if hasattr(p, "text") else str(p)
    return f"{', '.join(where)}{mark(':', lang)} {text}" if where else text


@questionnaire_app.command("upgrade")
def questionnaire_upgrade(
    assessment: Annotated[str | None, typer.Option(help="Upgrade this assessment id only.")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Carry assessments answered on an earlier questionnaire version to the current one (nothing deleted).

    Only drafts and assessments returned with queries move; a handed-in one is left as it is, with the reason.
    """
    from sqlmodel import Session

    from assessment.service import ServiceError
    from assessment.upgrade import outdated_assessments, upgrade_assessment
    from iotready.users_cli import acting_user

    q = _load(questionnaire)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            ids = [assessment] if assessment else outdated_assessments(session, q, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        if not ids:
            out.print(f"every assessment already uses {q.id} {q.version}")
            return
        for assessment_id in ids:
            try:
                r = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=q, actor=actor)
            except ServiceError as exc:
                if assessment or exc.reason is None or not exc.reason.code.startswith("svc_upgrade_"):
                    raise _service_problem(exc) from None
                err.print(f"left as it is: {exc.reason.text('en')}")  # handed in: the others still go ahead
                continue
            out.print(
                f"{r.country} {r.cycle}: {r.from_version} → {r.to_version}; {len(r.kept)} kept, "
                f"{len(r.to_review)} to review ({', '.join(r.to_review) or '-'}), {len(r.to_answer)} to answer "
                f"({', '.join(r.to_answer) or '-'}), {len(r.moved_to_history)} kept in the history "
                f"({', '.join(r.moved_to_history) or '-'})"
            )


weights_app = typer.Typer(help="Weights from an expert panel (median of the experts' workbooks).", no_args_is_help=True)
app.add_typer(weights_app, name="weights")


@weights_app.command("template")
def weights_template(
    output: Annotated[Path, typer.Option("--output", "-o", help="The weights workbook to write (CSV).")],
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Write the weights workbook an expert fills (one row per pillar and question, current weight given)."""
    from questionnaires.panel import write_template

    q = _load(questionnaire)
    write_template(q, output)
    out.print(f"wrote {output}: {len(q.pillars)} pillars and {len(q.questions)} questions to weigh")


@weights_app.command("combine")
def weights_combine(
    files: Annotated[list[Path], typer.Argument(help="The experts' filled workbooks (CSV).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder of the new questionnaire version.")],
    version: Annotated[str, typer.Option(help="The new version number, e.g. 1.2.0.")],
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Median of the experts' weights into a new questionnaire version, with the spread in weights_panel.csv."""
    from questionnaires.panel import combine, read_workbook, write_panel, write_version

    q = _load(questionnaire)
    experts, problems = [], []
    for path in files:
        try:
            weights, found = read_workbook(path, q)
        except OSError as exc:
            raise UsageProblem(f"Cannot read {path}:", [exc.strerror or str(exc)]) from None
        experts.append(weights)
        problems += found
    if problems:
        raise UsageProblem("Nothing was written; the workbooks have problems:", problems)
    panel = combine(experts)
    try:
        new = write_version(q.source_dir, output, panel, version)
    except QuestionnaireError as exc:
        raise UsageProblem("Nothing usable was written:", exc.problems) from None
    write_panel(output, panel)
    out.print(f"wrote {new.id} {new.version} to {output}: {len(panel)} weights from {len(files)} experts "
              f"(median; spread in weights_panel.csv)")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="Answers document or JSON export (.json), or offline workbook (.xlsx).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply the plan without asking.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show the plan; write nothing.")] = False,
    lang: LangOpt = Lang.en,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Import answers: checked whole, then the plan (saved value -> file value) before anything is written.

    A blank cell or an omitted question changes nothing. A new assessment is created at once; changes
    to an existing one are applied only with --yes (or a yes at the prompt). Nothing is written on a problem.
    """
    from sqlmodel import Session

    from assessment.service import ServiceError
    from exchange.plan import PlanChanged, PlanRefused, apply_plan, make_plan
    from exchange.upload import Refused, read_patches
    from iotready.users_cli import acting_user
    from questionnaires.messages import t

    q = _load(questionnaire)
    data = _read_input(file)
    kind = "xlsx" if file.suffix.lower() == ".xlsx" else "json"  # any other name is read as JSON, as before
    try:
        patches = read_patches(q, f"{file.stem}.{kind}", data)
    except Refused as exc:
        lines = [_located_line(p, q, lang.value, by_number=kind == "xlsx") for p in exc.problems]
        lines = lines or [t(exc.key, lang.value, name=str(file), **exc.args_)]
        lines += [exc.detail] if exc.detail else []
        raise UsageProblem(t("cli.workbook_problems_nothing", lang.value, file=file), lines) from None
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            plans = [make_plan(session, patch=patch, questionnaire=q, actor=actor) for patch in patches]
        except ServiceError as exc:  # e.g. another country's assessment: refused before anything is shown
            raise _service_problem(exc) from None
        for plan in plans:
            _print_plan(q, plan, lang.value)
        refused = next((plan for plan in plans if not plan.ready), None)
        if refused is not None:  # a file is imported whole or not at all
            from exchange.plan import problem_text

            why = ([refused.refusal.text("en")] if refused.refusal else []) + [
                problem_text(q, p, "en") for p in refused.problems]
            raise UsageProblem(f"{refused.patch.country} {refused.patch.cycle} was refused, so nothing of {file} "
                               "was written:", why)
        todo = [plan for plan in plans if plan.changes]
        if dry_run or not todo:
            return
        asked = any(not plan.created for plan in todo) and not yes
        if asked and (not sys.stdin.isatty() or not typer.confirm(t("cli.plan.ask", lang.value), default=False)):
            out.print(t("cli.plan.not_applied", lang.value))
            raise SystemExit(1)  # a plan waits for a yes: not a success for a script
        try:  # one transaction: every plan, or none
            results = [apply_plan(session, plan=plan, questionnaire=q, actor=actor, commit=False) for plan in todo]
            session.commit()
        except PlanChanged as exc:
            session.rollback()
            patch = exc.plan.patch
            out.print(t("ui.plan.changed", lang.value, country=patch.country, cycle=patch.cycle))
            _print_plan(q, exc.plan, lang.value)
            raise SystemExit(1) from None
        except (PlanRefused, ServiceError) as exc:
            session.rollback()
            raise _service_problem(exc) from None
    for plan, res in zip(todo, results, strict=True):
        verb = "created" if res.created else "updated"
        out.print(f"{plan.patch.country} {plan.patch.cycle}: assessment {res.assessment_id} {verb}, "
                  f"{res.changed} change(s)")


def _print_plan(q: Questionnaire, plan: object, lang: str) -> None:
    """The plan as the app shows it: per question, saved value -> file value; then what stays untouched."""
    from exchange.plan import ImportPlan, plan_rows, plan_summary, problem_text, question_label
    from questionnaires.messages import t
    from refdata import country_name

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
        out.print(t("ui.plan.untouched", lang, n=len(plan.untouched)) + ": "
                  + "; ".join(question_label(q, qid, lang).split(" ", 1)[0] for qid in plan.untouched),
                  markup=False, highlight=False)


@assessments_app.command("list")
def assessments_list(
    deleted: Annotated[bool, typer.Option("--deleted", help="List deleted (restorable) ones instead.")] = False,
    lang: LangOpt = Lang.en,
) -> None:
    """The stored assessments (deleted ones are left out, or listed alone with --deleted)."""
    from sqlmodel import Session

    from assessment.history import list_deleted
    from assessment.service import ServiceError, list_assessments
    from iotready.users_cli import acting_user
    from refdata import country_name

    with Session(_engine()) as session:
        actor = acting_user(session)
        if deleted:
            try:
                gone = list_deleted(session, actor=actor)
            except ServiceError as exc:
                raise _service_problem(exc) from None
            table = Table("id", "country", "cycle", "deleted at", "by")
            for d in gone:
                table.add_row(d.id, country_name(d.country, lang.value), str(d.cycle),
                              d.deleted_at.strftime("%Y-%m-%d %H:%M UTC"), d.deleted_by or "")
            out.print(table if gone else "no deleted assessment")
            return
        try:
            rows = list_assessments(session, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    table = Table("id", "country", "cycle", "status", "data", "last change")
    for r in rows:
        table.add_row(r.id, country_name(r.country, lang.value), str(r.cycle), r.status,
                      "illustrative" if r.illustrative else "", r.updated_at.strftime("%Y-%m-%d %H:%M UTC"))
    out.print(table if rows else "no assessment")


@assessments_app.command("delete")
def assessments_delete(
    assessment_id: Annotated[str, typer.Argument(help="Id of the assessment (see `iotready assessments list`).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete an assessment: hidden everywhere, kept with its change log, restorable with `assessments restore`."""
    from sqlmodel import Session

    from assessment.history import delete_assessment
    from assessment.service import ServiceError, get_assessment
    from iotready.users_cli import acting_user

    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            view = get_assessment(session, assessment_id, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        label = f"{view.country} {view.cycle}" + (" (illustrative)" if view.illustrative else "")
        if not yes and (not sys.stdin.isatty() or not typer.confirm(f"Delete the {label} assessment?", default=False)):
            out.print(f"Nothing was deleted. Run `iotready assessments delete {assessment_id} --yes` to delete it.")
            raise SystemExit(1)
        try:
            delete_assessment(session, assessment_id=assessment_id, expected_version=view.version, actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(f"{label}: assessment {assessment_id} deleted (restore it with `iotready assessments restore "
              f"{assessment_id}`)", markup=False)


@assessments_app.command("restore")
def assessments_restore(
    assessment_id: Annotated[str, typer.Argument(help="Id of a deleted assessment (`assessments list --deleted`).")],
) -> None:
    """Bring a deleted assessment back, with everything it had."""
    from sqlmodel import Session

    from assessment.history import restore_assessment
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    with Session(_engine()) as session:
        try:
            restore_assessment(session, assessment_id=assessment_id, actor=acting_user(session))
        except ServiceError as exc:
            raise _service_problem(exc) from None
    out.print(f"assessment {assessment_id} restored")


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
    lang: LangOpt = Lang.en,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Export assessments (answers and scores) as CSV, XLSX or JSON, filtered like the app's Compare page.

    Real and illustrative assessments are never mixed; assessments the questionnaire cannot score (made
    with another version) are left out and counted.
    """
    from sqlmodel import Session

    from assessment.audit import log_export
    from assessment.service import ServiceError, export_documents
    from compare import GROUP_IDS
    from exchange.export import export_csv, export_json, export_xlsx
    from iotready.users_cli import acting_user

    if group is not None and group not in GROUP_IDS:
        raise UsageProblem(f"Unknown group {group!r}.", [f"known groups: {', '.join(GROUP_IDS)}"])
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
        docs = [d for d in stored if not check_answers(q, d) and (all_statuses or d.status == "submitted")]
        log_export(session, what=format.value, countries=[d.country for d in docs], count=len(docs), actor=actor)
    filters = {"cycle": cycle, "group": group, "countries": country or None, "submitted_only": not all_statuses,
               "illustrative": illustrative}
    if format is ExportFormat.csv:
        data = export_csv(q, docs, lang=lang.value)
    elif format is ExportFormat.xlsx:
        data = export_xlsx(q, docs, lang=lang.value, filters=filters)
    else:
        data = export_json(q, docs, filters=filters)
    _write(output, data)
    out.print(f"wrote {shown(output)}: {len(docs)} assessment(s)")
    if len(docs) < len(stored):
        out.print(f"left out {len(stored) - len(docs)} assessment(s) made with another version of the questionnaire")


@app.command("report")
def report_cmd(
    file: Annotated[Path | None, typer.Argument(help="Answers document (JSON).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="PDF, or folder with --all.")] = Path("profile.pdf"),
    assessment: Annotated[str | None, typer.Option("--assessment", help="Id of a stored assessment.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="One profile per stored assessment of --cycle.")] = False,
    cycle: Annotated[int | None, typer.Option(help="With --all: the cycle.")] = None,
    lang: LangOpt = Lang.en,
    workers: Annotated[int | None, typer.Option(min=1, help="Processes for --all (default: all cores).")] = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """PDF readiness profile: from a file, a stored assessment, or all assessments of a cycle."""
    from rich.progress import Progress

    from reports import ProfileJob, render_many, render_profile, save_profiles

    q = _load(questionnaire)
    chosen = sum(x is not None and x is not False for x in (file, assessment, all_ or None))
    if chosen != 1:
        raise UsageProblem("Bad options:", ["give one of: an answers FILE, --assessment ID, --all --cycle YEAR"])
    _destination(output, folder=all_)
    if file is not None:
        docs = [_read_answers(file, q)]
    else:
        from sqlmodel import Session

        from assessment.service import Forbidden, NotFound, export_documents, get_document
        from iotready.users_cli import acting_user

        with Session(_engine()) as session:
            actor = acting_user(session)
            if assessment:
                try:
                    docs = [get_document(session, assessment, actor=actor)]
                except (NotFound, Forbidden):  # another country's id is no assessment to this user
                    raise UsageProblem("Unknown assessment:", [f"no assessment with id {assessment}"]) from None
            else:
                if cycle is None:
                    raise UsageProblem("Bad options:", ["--all needs --cycle YEAR"])
                docs = export_documents(session, AssessmentFilter(questionnaire=q, cycle=cycle), actor=actor)
        if not docs:
            raise UsageProblem("Nothing to report:", [f"no stored assessment for cycle {cycle}"])
    if not all_:
        try:
            pdf = render_profile(q, docs[0], lang=lang.value)
        except ScoringError as exc:
            raise UsageProblem("These answers cannot be reported:", exc.problems) from None
        _write(output, pdf)
        out.print(f"wrote {shown(output)}")
        return
    jobs = [ProfileJob(doc=d, lang=lang.value) for d in docs]
    with Progress(console=err) as progress:
        task = progress.add_task("profiles", total=len(jobs))
        outputs = render_many(
            jobs, questionnaire=q.source_dir, workers=workers,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    try:
        paths = save_profiles(outputs, output)
    except OSError as exc:
        raise UsageProblem(f"Cannot write the profiles to {output}:", [exc.strerror or str(exc)]) from None
    failed = [f"{o.name}: {o.error}" for o in outputs if not o.ok]
    out.print(f"wrote {len(paths)} profile(s) to {shown(output)}")
    if failed:
        raise UsageProblem("Some profiles failed:", failed)


def main() -> None:
    """Entry point: run the app, turning known errors into messages and unknown ones into a reference id."""
    configure_logging()
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
            err.print(f"  ... and {len(problems) - shown_count:,} more", markup=False, highlight=False)
        raise SystemExit(2) from None
    except (typer.Abort, KeyboardInterrupt):
        err.print("Aborted.")
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: never a traceback on screen
        # Usage errors from the command parser (typer vendors click) know how to show themselves.
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            raise SystemExit(code) from None
        ref = uuid.uuid4().hex[:8]
        log.error("unexpected error (ref %s)", ref, exc_info=True)
        err.print(f"Something went wrong (reference {ref}). Details were written to the log; please report them.")
        raise SystemExit(1) from None


from iotready.users_cli import users_app  # noqa: E402  (it imports this module's helpers lazily)

app.add_typer(users_app, name="users")

if __name__ == "__main__":  # pragma: no cover
    main()
