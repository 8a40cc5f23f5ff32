"""The outputs of stored assessments: ``iotready export`` (CSV, XLSX or JSON, filtered like the app's Compare
page) and ``iotready report`` (the PDF readiness profile, one or a whole cycle). ``iotready opendata`` is in
:mod:`iotready.opendata_cli`.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from answers.document import (
    check_answers,
)
from assessment.filters import AssessmentFilter
from formatting.numbers import fmt_count
from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _atomic,
    _destination,
    _engine,
    _load,
    _read_answers,
    _service_problem,
    _write,
    err,
    os_reason,
    out,
)
from iotready.echo import shown
from iotready.lang import LangOpt, use_lang
from questionnaires.messages import separator, t
from scoring.engine import ScoringError

if TYPE_CHECKING:
    from sqlmodel import Session

    from answers.document import AnswersDocument
    from assessment.access import ActorLike
    from questionnaires.loader import Questionnaire
    from reports.profile import EvidenceLine


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    bundle = "bundle"  # a zip: answers.json (as json) + the evidence documents and a manifest (exchange.bundle)


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
    """Export assessments (answers and scores) as CSV, XLSX or JSON, filtered like the app's Compare page;
    ``bundle``: a zip of the JSON and each answer's evidence documents (with a manifest of their SHA-256).

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
        filters = {"cycle": cycle, "group": group, "countries": country or None,
                   "submitted_only": not all_statuses, "illustrative": illustrative}
        files = 0
        if format is ExportFormat.bundle:  # the documents are read (and their downloads audited) in this session
            files = _write_bundle(session, output, q, docs, export_json(q, docs, filters=filters), actor)
    if format is ExportFormat.bundle:
        out.print(shown(t("cli.exported_bundle", ln, path=output, n=fmt_count(len(docs), ln),
                          files=fmt_count(files, ln))))
        _export_notes(ln, stored, scorable, docs, demo)
        return
    if format is ExportFormat.csv:
        data = export_csv(q, docs, lang=ln)
    elif format is ExportFormat.xlsx:
        data = export_xlsx(q, docs, lang=ln, filters=filters)
    else:
        data = export_json(q, docs, filters=filters)
    _write(output, data)
    out.print(shown(t("cli.exported", ln, path=output, n=fmt_count(len(docs), ln))))
    _export_notes(ln, stored, scorable, docs, demo)


def _export_notes(ln: str, stored: list, scorable: list, docs: list, demo: int) -> None:
    """What an export left out: other versions, drafts, the demo set."""
    if len(scorable) < len(stored):
        out.print(t("cli.left_out", ln, n=fmt_count(len(stored) - len(scorable), ln)))
    if len(docs) < len(scorable):
        out.print(t("cli.drafts_left_out", ln, n=fmt_count(len(scorable) - len(docs), ln)))
    if demo:
        out.print(t("cli.demo_not_exported", ln, n=fmt_count(demo, ln)))


def _write_bundle(session: Session, output: Path, q: Questionnaire, docs: list[AnswersDocument], answers_json: bytes,
                  actor: ActorLike) -> int:
    """Write the bundle through a temporary file beside ``output`` (renamed at the end); return its documents."""
    from assessment.evidence import list_evidence, open_evidence
    from assessment.service import ServiceError, _find
    from exchange.bundle import BundleEntry, member_name, write_bundle

    def files() -> Iterator[tuple[BundleEntry, Iterator[bytes]]]:
        for doc in docs:
            found = _find(session, country=doc.country, cycle=doc.cycle, questionnaire_id=doc.questionnaire_id,
                          illustrative=doc.illustrative)
            if found is None:
                continue
            for view in list_evidence(session, assessment_id=found.id, actor=actor):
                entry = BundleEntry(country=doc.country, cycle=doc.cycle, question_id=view.question_id,
                                    title=view.title, reference=view.reference, filename=view.filename,
                                    size=view.size, sha256=view.sha256, path=member_name(view.sha256, view.filename),
                                    assessment_id=found.id)
                download = open_evidence(session, assessment_id=found.id, evidence_id=view.id, actor=actor)
                yield entry, download.chunks

    try:
        with _atomic(output) as fh:
            n = write_bundle(fh, answers_json, files())
    except ServiceError as exc:
        raise _service_problem(exc) from None
    return n


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
    annexes: list[tuple[tuple[str, tuple[EvidenceLine, ...]], ...]] = [()]  # a file carries no documents
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
                    from assessment.documents import with_documents

                    # Its attached documents count as evidence (coverage), as on the Results page
                    docs = [with_documents(session, assessment, get_document(session, assessment, actor=actor))]
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
            from reports.evidence_annex import profile_documents

            # The documents annex, as the app's profile has it (each answer's evidence documents)
            annexes = profile_documents(session, docs=docs, questionnaire=q, lang=ln, actor=actor)
            if docs:  # a profile is as much a disclosure as an export: recorded before it is written
                from assessment.audit import log_export

                log_export(session, what="pdf", countries=[d.country for d in docs], count=len(docs), actor=actor,
                           source="cli_report", cycles=[d.cycle for d in docs],
                           assessment_ids=[assessment] if assessment else None)
        if not docs:
            raise UsageProblem(t("cli.nothing_to_report", ln), [t("cli.no_assessment_in_cycle", ln, cycle=cycle)])
    if not all_:
        try:
            pdf = render_profile(q, docs[0], lang=ln, workflow=stamp, documents=annexes[0])
        except ScoringError as exc:
            raise UsageProblem(t("cli.cannot_report", ln), exc.lines(q, ln)) from None
        _write(output, pdf)
        out.print(shown(t("cli.wrote", ln, path=output)))
        return
    jobs = [ProfileJob(doc=d, lang=ln, workflow=w, documents=a) for d, w, a in zip(docs, stamps, annexes, strict=True)]
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
    failed = [f"{o.name}{separator(':', ln)}{o.error}" for o in outputs if not o.ok]
    out.print(shown(t("cli.profiles_written", ln, n=fmt_count(len(paths), ln), path=output)))
    if failed:
        raise UsageProblem(t("cli.profiles_failed", ln), failed)
