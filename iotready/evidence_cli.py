"""``iotready evidence list|add|get|remove|purge``: an answer's evidence documents, for scripts (issue 25.5).

Each command acts as the local administrator or, with ``iotready --as EMAIL``, as that user with exactly
their grants, through the same services as the Assess page (:mod:`assessment.evidence`): a contributor
attaches only to their pillars, another country's assessment is "not found", every download is audited.
Exit status: 0 done, 2 refused or bad input (the reasons listed, nothing changed), 1 a prompt not
confirmed or an unexpected failure. ``purge`` erases removed documents past the retention period
(``IOTREADY_EVIDENCE_RETENTION_DAYS``, 90 by default): an administrator's act, a dry run unless ``--apply``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formatting.numbers import fmt_count
from iotready.assessments_cli import _print_by_id
from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _destination,
    _engine,
    _load,
    _service_problem,
    os_reason,
    out,
)
from iotready.echo import printable, shown
from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t
from questionnaires.references import question_number
from refdata import country_name

if TYPE_CHECKING:
    from assessment.evidence import EvidenceView
    from questionnaires import Questionnaire

evidence_app = typer.Typer(help="Evidence documents of the answers: list, attach, download, remove, purge.",
                           no_args_is_help=True)
RETENTION_ENV = "IOTREADY_EVIDENCE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
NUMBER = re.compile(r"\d+\.\d+")  # a question number as readers write it (2.1)

AssessmentOpt = Annotated[str, typer.Option("--assessment", "-a", help="Id of the assessment "
                                                                        "(see `iotready assessments list`).")]
EvidenceArg = Annotated[str, typer.Argument(help="Id of the document (see `iotready evidence list`).")]


def retention_days() -> int:
    """Days a removed document is kept before ``purge`` takes it (``IOTREADY_EVIDENCE_RETENTION_DAYS``)."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_RETENTION_DAYS
    except ValueError:
        value = DEFAULT_RETENTION_DAYS
    return value if value >= 0 else DEFAULT_RETENTION_DAYS


def _refused(exc: Exception) -> UsageProblem:
    return _service_problem(exc)


def _number(q: Questionnaire, question_id: str) -> str:
    """The question as a reader knows it (2.1); the id only for a question this questionnaire no longer has."""
    return question_number(q, question_id) if q.has_question(question_id) else question_id


def _question_id(q: Questionnaire, given: str, lang: str) -> str:
    """``--question`` as typed: a question number (2.1) or an id; a number that names no question is refused."""
    text = given.strip()
    if not NUMBER.fullmatch(text):
        return text  # an id: the service says whether the questionnaire has it
    for pillar in q.pillars:
        for question in q.form_questions_in(pillar.id):
            if question_number(q, question.id) == text:
                return question.id
    raise UsageProblem(t("cli.evidence.no_such_question", lang, number=printable(text)), [])


@evidence_app.command("list")
def evidence_list(
    assessment: AssessmentOpt,
    question: Annotated[str | None, typer.Option("--question", help="Only this question's documents (its number, "
                                                                    "e.g. 2.1, or its id).")] = None,
    removed: Annotated[bool, typer.Option("--removed", help="Also the removed ones (kept until purged).")] = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """The documents attached to an assessment's answers: id, question, title, reference, file, size, SHA-256."""
    from sqlmodel import Session

    from assessment.evidence import list_evidence
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    question_id = None if question is None else _question_id(q, question, ln)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            views = list_evidence(session, assessment_id=assessment, question_id=question_id, include_removed=removed,
                                  actor=actor)
        except ServiceError as exc:
            raise _refused(exc) from None
    columns = ("question", "title", "reference", "file", "size", "sha", "added") + (("removed",) if removed else ())
    rows = [(v.id, _number(q, v.question_id), v.title, v.reference or "", v.filename, str(v.size), v.sha256[:12],
             f"{v.added_at:%Y-%m-%d %H:%M} UTC, {v.added_by}",
             *((f"{v.removed_at:%Y-%m-%d %H:%M} UTC, {v.removed_by}" if v.removed_at else "",) if removed else ()))
            for v in views]
    _print_by_id(ln, columns, rows, "cli.evidence.none")


@evidence_app.command("add")
def evidence_add(
    file: Annotated[Path, typer.Argument(help="The document (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT, CSV).")],
    assessment: AssessmentOpt,
    question: Annotated[str, typer.Option("--question", help="The question the document supports: its number "
                                                             "(e.g. 2.1) or its id.")],
    title: Annotated[str, typer.Option("--title", help="What it is (e.g. \"Cybersecurity Act 2021\").")],
    reference: Annotated[str | None, typer.Option("--reference", help="Page, article or section.")] = None,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Attach a document to one answer, checked as an upload is (type by content, size caps, active content)."""
    from sqlmodel import Session

    from assessment.evidence import EvidenceError, add_evidence
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    question = _question_id(q, question, ln)
    try:
        fh = file.open("rb")
    except OSError as exc:
        raise UsageProblem(t("cli.evidence.not_read", ln, file=file), [os_reason(exc, ln)]) from None
    with fh, Session(_engine()) as session:
        actor = acting_user(session)
        try:
            view = add_evidence(session, assessment_id=assessment, questionnaire=q, question_id=question, data=fh,
                                filename=file.name, title=title, reference=reference, actor=actor)
        except EvidenceError as exc:
            raise UsageProblem(t("cli.evidence.not_attached", ln, file=file),
                               [exc.text(ln)]) from None
        except ServiceError as exc:
            raise _refused(exc) from None
    out.print(printable(t("cli.evidence.added", ln, title=view.title, question=_number(q, view.question_id),
                          name=view.filename, size=fmt_count(view.size, ln), sha=view.sha256[:12], id=view.id)),
              markup=False, highlight=False)


@evidence_app.command("get")
def evidence_get(
    evidence_id: EvidenceArg,
    assessment: AssessmentOpt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File or folder to write (default: the "
                                                                        "document's name, here).")] = None,
    lang: LangOpt = None,
) -> None:
    """Download a document (audited); its SHA-256 is checked against the stored one before the file is kept."""
    from sqlmodel import Session

    from assessment.evidence import open_evidence
    from assessment.service import ServiceError
    from iotready.common import _write_stream
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            download = open_evidence(session, assessment_id=assessment, evidence_id=evidence_id, actor=actor)
        except ServiceError as exc:
            raise _refused(exc) from None
        target = output if output is not None else Path(download.filename)
        if target.is_dir():
            target = target / download.filename  # the stored name is sanitised: no folder part, no dots first
        _destination(target)
        digest = hashlib.sha256()

        def hashed() -> Iterator[bytes]:
            for chunk in download.chunks:
                digest.update(chunk)
                yield chunk

        def check() -> None:
            if digest.hexdigest() != download.sha256:
                raise UsageProblem(t("cli.cannot_write_nothing", ln, path=target),
                                   [t("cli.evidence.damaged", ln, sha=download.sha256[:12])])

        _write_stream(target, hashed(), before_rename=check)
    title = next((v.title for v in _views(assessment, evidence_id)), download.filename)
    out.print(shown(t("cli.evidence.wrote", ln, path=target, title=title, size=fmt_count(download.size, ln))))


def _views(assessment: str, evidence_id: str) -> list[EvidenceView]:
    """The document's row (for its title), read as the same user; nothing if it cannot be read."""
    from sqlmodel import Session

    from assessment.evidence import list_evidence
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    with Session(_engine()) as session:
        try:
            return [v for v in list_evidence(session, assessment_id=assessment, include_removed=True,
                                             actor=acting_user(session)) if v.id == evidence_id]
        except ServiceError:
            return []


@evidence_app.command("remove")
def evidence_remove(
    evidence_id: EvidenceArg,
    assessment: AssessmentOpt,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Take a document off its answer; it stays in the history (who, when) until an administrator purges it."""
    from sqlmodel import Session

    from assessment.evidence import remove_evidence
    from assessment.service import ServiceError
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            view = remove_evidence(session, assessment_id=assessment, questionnaire=q, evidence_id=evidence_id,
                                   actor=actor)
        except ServiceError as exc:
            raise _refused(exc) from None
    out.print(printable(t("cli.evidence.removed", ln, title=view.title,
                                question=_number(q, view.question_id))), markup=False,
              highlight=False)


@evidence_app.command("purge")
def evidence_purge(
    older_than: Annotated[int | None, typer.Option(
        "--older-than", min=0, help="Days since removal (default: $IOTREADY_EVIDENCE_RETENTION_DAYS, else 90).")]
    = None,
    apply: Annotated[bool, typer.Option("--apply", help="Purge them; without it, only list what would go.")]
    = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Erase removed documents past the retention period for good (administrators; audited; dry run by default)."""
    from sqlmodel import Session

    from assessment.evidence import purge_evidence, purge_removed
    from assessment.models import utcnow
    from assessment.service import ServiceError, get_assessment
    from iotready.users_cli import acting_user

    ln = use_lang(lang)
    q = _load(questionnaire)
    days = retention_days() if older_than is None else older_than
    with Session(_engine()) as session:
        actor = acting_user(session)
        try:
            views = purge_removed(session, older_than=utcnow() - timedelta(days=days), actor=actor)
            where: dict[str, tuple[str, int]] = {}
            for v in views:
                if v.assessment_id not in where:
                    a = get_assessment(session, v.assessment_id, actor=actor)
                    where[v.assessment_id] = (a.country, a.cycle)
            if apply:
                for v in views:
                    purge_evidence(session, assessment_id=v.assessment_id, evidence_id=v.id, actor=actor)
        except ServiceError as exc:
            raise _refused(exc) from None
    if not views:
        out.print(t("cli.evidence.purge_none", ln, days=fmt_count(days, ln)))
        return
    key = "cli.evidence.purged" if apply else "cli.evidence.purge_would"
    out.print(t(key, ln, n=fmt_count(len(views), ln), days=fmt_count(days, ln)))
    for v in views:
        country, cycle = where[v.assessment_id]
        out.print("  - " + printable(t("cli.evidence.purge_line", ln, country=country_name(country, ln), cycle=cycle,
                                       question=_number(q, v.question_id), title=v.title, name=v.filename,
                                       size=fmt_count(v.size, ln), by=v.removed_by or "",
                                       date=f"{v.removed_at:%Y-%m-%d}")), markup=False, highlight=False)
