"""``iotready import``: one file, checked and planned whole, then written in one transaction on a yes.

A file of a few assessments shows each plan as a table (saved value -> file value), as the app does. A file
of more (an export of every Member State) prints one line per assessment, whether it is new, how many
changes, or unchanged, and the totals: 194 plans as tables were about 12,000 rows and three quarters of the
time. ``--verbose`` shows every table again. A JSON export over the 20 MB a file is read whole is streamed
(:mod:`exchange.bulk`): read once to check and plan, once to write, so memory stays one assessment's worth
whatever the file size; with ``--yes`` given beforehand, read once, each hundred plans written as they are
made in the one transaction, rolled back on any refusal. An evidence bundle's ``answers.json`` over 20 MB is
unpacked to a temporary file and streamed the same way, always read twice: its documents are planned once every
assessment is, before anything is written. On a terminal a progress bar shows on stderr.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from answers.document import reason, shown_value
from exchange.patch import ImportPatch
from exchange.plan import ImportPlan
from formatting.numbers import fmt_count
from iotready.common import QuestionnaireOpt, _load, err, out
from iotready.lang import LangOpt, use_lang
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.references import question_number
from refdata import country_name

if TYPE_CHECKING:
    from sqlmodel import Session

    from assessment.access import ActorLike
    from assessment.evidence import Incoming
    from exchange.bundle import Bundle

FEW = 5  # up to this many assessments, each plan is shown as a table

Visit = Callable[[ImportPatch], None]


@dataclass
class _Source:
    """A file's assessments, visited once to plan and once to write; ``each`` returns the file's SHA-256."""

    each: Callable[[Visit, Callable[[int], None], bool], str]  # the bool: the second reading
    total: int  # for the progress bar: bytes of a streamed file, else assessments
    streamed: bool = False  # a large export, read from the disk each time (not held in memory)


def _whole(patches: list[ImportPatch], data: bytes) -> _Source:
    digest = hashlib.sha256(data).hexdigest()

    def each(visit: Visit, progress: Callable[[int], None], checked: bool) -> str:
        for i, patch in enumerate(patches, start=1):
            visit(patch)
            progress(i)
        return digest

    return _Source(each, len(patches))


def _streamed(q: Questionnaire, path: Path, size: int) -> _Source:
    from exchange.bulk import stream_patches

    def each(visit: Visit, progress: Callable[[int], None], checked: bool) -> str:
        return stream_patches(q, path, visit, progress=progress, checked=checked)

    return _Source(each, size, streamed=True)


@dataclass
class _Tally:
    """What the plans say, kept small: the saved versions of each plan that changes something."""

    q: Questionnaire
    lang: str
    verbose: bool
    show: Callable[[ImportPlan], None]
    line: Callable[[str], None]
    shown: list[ImportPlan] = field(default_factory=list)  # the first FEW, shown as tables if there are no more
    summary: bool = False
    stamps: dict[tuple[str, int, bool], tuple[Any, ...]] = field(default_factory=dict)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    asked: bool = False  # a plan changes an existing assessment: a yes is needed
    refused: ImportPlan | None = None
    refused_n: int = 0

    def add(self, plan: ImportPlan) -> None:
        key = (plan.patch.country, plan.patch.cycle, plan.patch.illustrative)
        if not plan.ready:
            self.refused_n += 1
            self.refused = self.refused or plan
        elif plan.changes:
            self.stamps[key] = plan.stamp()
            self.created += plan.created
            self.changed += not plan.created
            self.asked = self.asked or not plan.created
        else:
            self.unchanged += 1
        if self.verbose:
            self.show(plan)
            return
        if not self.summary:
            self.shown.append(plan)
            if len(self.shown) <= FEW:
                return
            self.summary = True
            for earlier in self.shown:
                self.line(self.text(earlier))
            self.shown = []
            return
        self.line(self.text(plan))

    def text(self, plan: ImportPlan) -> str:
        where = {"country": country_name(plan.patch.country, self.lang), "cycle": plan.patch.cycle}
        if not plan.ready:
            return t("cli.import_line.refused", self.lang, n=len(plan.problems) or 1, **where)
        if not plan.changes:
            return t("cli.import_line.unchanged", self.lang, **where)
        if plan.created:
            return t("cli.import_line.created", self.lang, n=len(plan.questions_changed), **where)
        return t("cli.import_line.changed", self.lang, n=len(plan.changes), **where)

    def finish(self) -> None:
        """Show the tables of a small file, or the totals of a large one."""
        for plan in self.shown:
            self.show(plan)
        if self.summary or self.verbose:
            total = self.created + self.changed + self.unchanged + self.refused_n
            self.line(t("cli.import_totals", self.lang, n=fmt_count(total, self.lang),
                        created=fmt_count(self.created, self.lang), changed=fmt_count(self.changed, self.lang),
                        unchanged=fmt_count(self.unchanged, self.lang)))

    @property
    def todo(self) -> int:
        return len(self.stamps)


def run_import(file: Path, *, yes: bool, dry_run: bool, verbose: bool, ln: str, q: Questionnaire) -> None:
    """The ``import`` command (see :func:`import_cmd` below)."""
    from exchange.bundle import BundleRefused, is_bundle, read_bundle
    from iotready.common import UsageProblem, os_reason

    suffix = file.suffix.lower()
    kind = suffix[1:] if suffix in (".xlsx", ".csv") else "json"  # any other name is read as JSON, as before
    bundle = None
    if is_bundle(file):  # answers.json and the evidence documents, every member checked before anything is planned
        try:
            bundle = read_bundle(file)
        except BundleRefused as exc:
            raise UsageProblem(t("cli.bundle_refused", ln, file=file), [p.text(ln) for p in exc.problems]) from None
        except OSError as exc:
            raise UsageProblem(t("cli.cannot_read", ln, path=file), [os_reason(exc, ln)]) from None
    try:
        _run(file, bundle, kind, yes=yes, dry_run=dry_run, verbose=verbose, ln=ln, q=q)
    finally:
        if bundle is not None:
            bundle.close()


def _run(file: Path, bundle: Bundle | None, kind: str, *, yes: bool, dry_run: bool, verbose: bool, ln: str,
         q: Questionnaire) -> None:
    """The import itself; ``bundle``: a checked evidence bundle whose answers are the file's."""
    from sqlmodel import Session

    from assessment.evidence import EvidenceError
    from assessment.service import ServiceError
    from exchange.bulk import Planner, WriteAsPlanned, Writer
    from exchange.plan import PlanChanged, PlanRefused, problem_text
    from exchange.upload import Refused, read_patches
    from iotready.common import (
        MAX_INPUT_BYTES,
        UsageProblem,
        _engine,
        _read_input,
        _service_problem,
        ask_yes,
        err,
        out,
    )
    from iotready.users_cli import acting_user

    form = [False]  # a KoboToolbox / ODK Central export of the XLSForm: its fields are named by question id

    def refused(exc: Refused) -> UsageProblem:
        lines = [_located_line(p, q, ln, by_number=kind == "xlsx" or form[0], sheets=kind == "xlsx")
                 for p in exc.problems]
        lines = lines or [t(exc.key, ln, name=str(file), **exc.args_)]
        lines += [exc.detail] if exc.detail else []
        return UsageProblem(t("cli.workbook_problems_nothing", ln, file=file), lines)

    size = file.stat().st_size if kind == "json" and bundle is None and file.is_file() else 0
    if bundle is not None and bundle.answers is None:  # a bundle's answers.json over 20 MB, on the disk: streamed
        assert bundle.answers_path is not None
        source = _streamed(q, bundle.answers_path, bundle.answers_size)
    elif size > MAX_INPUT_BYTES:  # an export of many assessments: streamed, never read whole
        source = _streamed(q, file, size)
    else:
        data = bundle.answers if bundle is not None and bundle.answers is not None else _read_input(file)
        try:
            if kind == "csv" or (kind == "json" and _submissions(data)):  # KoboToolbox / ODK Central
                from exchange.kobo import read_submissions

                form[0] = True
                patches = read_submissions(q, f"{file.stem}.{kind}", data)
            else:
                patches = read_patches(q, f"{file.stem}.{kind}", data)
            source = _whole(patches, data)
        except Refused as exc:
            raise refused(exc) from None

    def line(text: str) -> None:
        _line(out, text)

    @contextmanager
    def undone(session: Session) -> Iterator[None]:
        """Anything written is rolled back when the import stops, and the reason said in the reader's terms."""
        try:
            yield
        except Refused as exc:  # the file has a problem, or changed between the two readings
            session.rollback()
            raise refused(exc) from None
        except PlanChanged as exc:
            session.rollback()
            patch = exc.plan.patch
            out.print(t("ui.plan.changed", ln, country=country_name(patch.country, ln), cycle=patch.cycle))
            _print_plan(q, exc.plan, ln)
            raise SystemExit(1) from None
        except (PlanRefused, ServiceError, EvidenceError) as exc:  # e.g. another country's assessment
            session.rollback()
            raise _service_problem(exc) from None
        except BaseException:
            session.rollback()
            raise

    with Session(_engine()) as session, Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        actor = acting_user(session)
        tally = _Tally(q, ln, verbose, lambda plan: _print_plan(q, plan, ln), line)
        # A large file with the yes given: written as it is planned, in one reading (exchange.bulk.WriteAsPlanned).
        # Not a bundle: its documents are planned once every assessment is, before anything is written.
        at_once = (WriteAsPlanned(session, q, actor) if source.streamed and yes and not dry_run and bundle is None
                   else None)
        task = bar.add_task(t("cli.progress_importing" if at_once else "cli.progress_checking", ln),
                            total=source.total)
        # A hundred plans at a time: memory stays bounded.
        planner = Planner(session, q, actor, tally.add, on_chunk=at_once)
        places = _Places(bundle, planner.add)
        with undone(session):
            digest = source.each(places.add, lambda done: bar.update(task, completed=done), False)
            planner.finish()
        tally.finish()
        if tally.refused is not None:  # a file is imported whole or not at all
            session.rollback()
            plan = tally.refused
            why = ([plan.refusal.text(ln)] if plan.refusal else []) + [problem_text(q, p, ln) for p in plan.problems]
            if tally.refused_n > 1:
                why.append(t("cli.import_more_refused", ln, n=fmt_count(tally.refused_n - 1, ln)))
            raise UsageProblem(t("cli.import_refused", ln, country=country_name(plan.patch.country, ln),
                                 cycle=plan.patch.cycle, file=file), why)
        if at_once is not None:
            session.commit()
            _done(tally, at_once.results, [], file, ln, line)
            return
        documents = (_plan_documents(session, q, actor, bundle, file, places.keys, ln, line) if bundle is not None
                     else [])
        todo_documents = sum(len(d.new) for d in documents)
        if dry_run or not (tally.todo or todo_documents):
            return
        asked = tally.asked or any(d.found is not None and d.new for d in documents)
        if asked and not yes and not ask_yes(t("cli.plan.ask", ln), ln):
            out.print(t("cli.plan.not_applied", ln))
            raise SystemExit(1)  # a plan waits for a yes: not a success for a script
        # New assessments are written a hundred at a time with multi-row INSERTs; anything else as one plan.
        writer = Writer(session, q, actor, tally.stamps)
        results: list[tuple[ImportPatch, Any]] = []
        attached: list[tuple[str, int, int]] = []
        bar.reset(task, description=t("cli.progress_importing", ln), total=source.total)
        with undone(session):  # one transaction: every plan, or none
            again = source.each(writer.add, lambda done: bar.update(task, completed=done), True)
            results = writer.finish()
            if again != digest:
                session.rollback()
                raise UsageProblem(t("cli.import_file_changed", ln, file=file), [t("cli.import_run_again", ln)])
            attached = _attach_documents(session, q, actor, documents, results)
            session.commit()
    _done(tally, results, attached, file, ln, line)


def _line(console: Console, text: str) -> None:
    """One plain line of a summary: written as it is when it is printable text that fits the width (rich's
    rendering of each of 1,940 lines was a twentieth of an import), else printed by rich as before (it folds a
    long line and drops some control characters)."""
    if text.replace("\u202f", " ").isprintable() and cell_len(text) < console.width:
        console.file.write(text + "\n")
        console.file.flush()
    else:
        console.print(text, markup=False, highlight=False)


def _done(tally: _Tally, results: list[tuple[ImportPatch, Any]], attached: list[tuple[str, int, int]], file: Path,
          ln: str, line: Callable[[str], None]) -> None:
    """What was written: the totals of a large file, or each assessment of a small one."""
    from exchange.plan import changes_text

    for country, cycle, n in attached:
        line(t("cli.bundle_attached", ln, country=country_name(country, ln), cycle=cycle, n=fmt_count(n, ln)))
    if tally.summary:
        line(t("cli.import_done", ln, file=file, created=fmt_count(tally.created, ln),
               changed=fmt_count(tally.changed, ln), n=fmt_count(len(results), ln)))
        return
    for patch, res in results:
        out.print(t("cli.import_created" if res.created else "cli.import_updated", ln,
                    country=country_name(patch.country, ln), cycle=patch.cycle, id=res.assessment_id,
                    changes=changes_text(res.changed, res.questions, ln)), markup=False)


class _Places:
    """Hands each patch on, keeping what a bundle's documents need of the assessments they go to (country and
    cycle; questionnaire and illustrative flag), not the patches: memory stays bounded by the manifest."""

    def __init__(self, bundle: Bundle | None, visit: Visit) -> None:
        self.wanted = {(e.country, e.cycle) for e in bundle.entries} if bundle is not None else set()
        self.visit = visit
        self.keys: dict[tuple[str, int], tuple[str, bool]] = {}  # the file's last of each, as before

    def add(self, patch: ImportPatch) -> None:
        if (patch.country, patch.cycle) in self.wanted:
            self.keys[(patch.country, patch.cycle)] = (patch.questionnaire_id, patch.illustrative)
        self.visit(patch)


@dataclass
class _Documents:
    """One assessment's documents in a bundle: the saved assessment (None: new), and those it does not hold yet."""

    key: tuple[str, int, bool]
    found: str | None
    items: list[Incoming]
    new: list[Incoming]


def _plan_documents(session: Session, q: Questionnaire, actor: ActorLike, bundle: Bundle, file: Path,
                    keys: dict[tuple[str, int], tuple[str, bool]], ln: str, line: Callable[[str], None],
                    ) -> list[_Documents]:
    """Which of the bundle's documents each assessment would gain (nothing written); a line per assessment.

    ``keys``: the assessments of the bundle's answers its documents go to (:class:`_Places`), each with its
    questionnaire and illustrative flag."""
    from assessment.evidence import Incoming, new_incoming
    from assessment.service import ServiceError, _find
    from exchange.bundle import BundleProblem
    from iotready.common import UsageProblem, _service_problem

    grouped: dict[tuple[str, int], list[Incoming]] = {}
    problems: list[str] = []
    for i, entry in enumerate(bundle.entries, start=1):
        if (entry.country, entry.cycle) not in keys:
            why = reason("bundle_no_assessment", country=shown_value(entry.country), cycle=entry.cycle)
        elif not q.has_question(entry.question_id):
            why = reason("evidence_no_question", id=shown_value(entry.question_id))
        else:
            spooled = bundle.files[entry.sha256]
            grouped.setdefault((entry.country, entry.cycle), []).append(Incoming(
                question_id=entry.question_id, file=spooled.file, size=spooled.size, sha256=spooled.sha256,
                kind=spooled.kind, filename=entry.filename, title=entry.title, reference=entry.reference))
            continue
        problems.append(BundleProblem(why, entry=i, question_id=entry.question_id, title=entry.title).text(ln))
    if problems:
        raise UsageProblem(t("cli.bundle_refused", ln, file=file), problems)
    plans: list[_Documents] = []
    for (country, cycle), items in grouped.items():
        questionnaire_id, illustrative = keys[(country, cycle)]
        found = _find(session, country=country, cycle=cycle, questionnaire_id=questionnaire_id,
                      illustrative=illustrative)
        try:
            new = new_incoming(session, assessment_id=found.id if found else None, questionnaire=q, items=items,
                               actor=actor)
        except ServiceError as exc:
            raise _service_problem(exc) from None
        plans.append(_Documents((country, cycle, illustrative), found.id if found else None, items, new))
        line(t("cli.bundle_plan", ln, country=country_name(country, ln), cycle=cycle,
               n=fmt_count(len(new), ln), held=fmt_count(len(items) - len(new), ln)))
    return plans


def _attach_documents(session: Session, q: Questionnaire, actor: ActorLike, documents: list[_Documents],
                      results: list[tuple[ImportPatch, Any]]) -> list[tuple[str, int, int]]:
    """Attach each assessment's new documents in the import's transaction; (country, cycle, how many) each."""
    from assessment.evidence import attach_incoming
    from exchange.bulk import key_of

    created = {key_of(p): r.assessment_id for p, r in results if r.created}
    done: list[tuple[str, int, int]] = []
    for d in documents:
        if not d.new:
            continue
        aid = d.found or created.get(d.key)
        if aid is None:  # pragma: no cover (a new assessment with documents always has answers planned)
            continue
        views = attach_incoming(session, assessment_id=aid, questionnaire=q, items=d.new if d.found else d.items,
                                created=d.found is None, actor=actor)
        done.append((d.key[0], d.key[1], len(views)))
    return done


def _submissions(data: bytes) -> bool:
    """True for the JSON export of a KoboToolbox or ODK Central form (not the tool's own files)."""
    from answers.jsonread import JsonRefused, load_json
    from exchange.kobo import is_submissions_json

    try:
        return is_submissions_json(load_json(data))
    except JsonRefused:
        return False  # the usual reading says what is wrong with it


def import_cmd(
    file: Annotated[Path, typer.Argument(
        help="Answers document or JSON export (.json), offline workbook (.xlsx), the submissions of the XLSForm "
             "exported by KoboToolbox or ODK Central (.csv or .json), or an evidence bundle (.zip, written by "
             "`iotready export -f bundle`: the answers and their documents).")],
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
        out.print(t("ui.plan.untouched", lang, n=fmt_count(len(plan.untouched), lang)) + separator(":", lang)
                  + separator(";", lang).join(question_label(q, qid, lang).split(" ", 1)[0] for qid in plan.untouched),
                  markup=False, highlight=False)


def _located_line(p: object, q: Questionnaire, lang: str = "en", *, by_number: bool = False,
                  sheets: bool = False) -> str:
    """One problem of an upload check as a line: where (assessment or sheet, row, question), then what.

    A workbook's question is named by its number (its reader edits cells, not ids), and so is a Kobo/ODK
    submission's (the problem itself names the field, the column its reader has to find); an answers
    document's by the id it is keyed by, the key its reader has to find.
    """
    where = [str(x) for x in (getattr(p, "where", ""),) if x]
    if sheets:  # a workbook's problems are located in a sheet
        where = [t("problem.at_sheet", lang, sheet=w) for w in where]
    row, qid = getattr(p, "row", None), getattr(p, "question_id", "")
    if row is not None:
        where.append(t("problem.at_row", lang, row=row))
    if qid and by_number and q.has_question(qid):
        where.append(t("problem.at_question", lang, number=question_number(q, qid)))
    elif qid:
        where.append(t("cli.at_question_id", lang, id=qid))
    text = p.text(lang) if hasattr(p, "text") else str(p)
    return f"{separator(',', lang).join(where)}{separator(':', lang)}{text}" if where else text
