"""Large JSON exports read one assessment at a time: checked, planned and imported with bounded memory.

``iotready export -f json`` of every Member State over ten cycles is 28–35 MB, over the 20 MB a file is read
whole (:func:`exchange.upload.read_patches`). Such a file is streamed (:func:`answers.jsonstream.stream_export`):
each assessment is read, checked as an upload's are (the questionnaire version, the document's own problems,
twice in the file) and turned into its :class:`~exchange.patch.ImportPatch`, handed to the caller, then
forgotten. The caller reads the file twice: once to check and plan everything (nothing written), once to
apply every plan in one transaction, after checking the file did not change in between (its SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import ijson
from sqlalchemy import Table, insert
from sqlmodel import Session, col, select

from answers.document import Answer, AnswersDocument, AnswersError, Problem, import_problems, parse_answers, reason
from answers.jsonread import JsonRefused
from answers.jsonstream import ITEM_KEY, MAX_EXPORT_BYTES, YAJL, stream_export
from assessment import access, audit, scores, service, workflow
from assessment.access import ActorLike, file_scope
from assessment.account_models import AuditEvent
from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE, CHANGE_LOG_TABLE, Assessment, new_ids, utcnow
from exchange.export_format import EXPORT_FORMAT
from exchange.patch import ImportPatch, patch_from_document
from exchange.plan import ImportPlan, apply_plan, make_plan
from exchange.upload import ASSESSMENT_COLUMN, MAX_PROBLEMS_SHOWN, Located, Refused, _located, capped
from formatting.numbers import fmt_count
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from refdata import country_name


class _Hashing:
    """A binary file that hashes what is read, so the second reading can be checked against the first."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self.fh.read(n)
        self.sha.update(chunk)
        return chunk

    def seekable(self) -> bool:
        return self.fh.seekable()

    def seek(self, offset: int) -> int:
        """Back to the start (the exact reader reads again what the quick one could not vouch for): hashed anew."""
        assert offset == 0
        self.sha = hashlib.sha256()
        return self.fh.seek(0)


def stream_patches(
    questionnaire: Questionnaire, path: Path, visit: Callable[[ImportPatch], None], *,
    max_bytes: int = MAX_EXPORT_BYTES, progress: Callable[[int], None] | None = None, checked: bool = False,
) -> str:
    """Call ``visit`` with each assessment of the JSON export at ``path``, checked; return the file's SHA-256.

    Raise :class:`~exchange.upload.Refused` with every problem located by assessment (at most
    :data:`~exchange.upload.MAX_PROBLEMS_SHOWN`, then a count): the caller has written nothing yet when
    it is raised at the first reading. Assessments already visited when a problem is found later stay unwritten,
    since the caller plans on the first reading and writes only on the second.

    ``checked``: the second reading. Every assessment was checked by the first, so the questionnaire's checks
    are not run again; the caller compares the SHA-256 returned with the first reading's before it commits,
    so what it writes came from the bytes that were checked.
    """
    located: list[Located] = []
    total = 0
    seen: set[tuple[str, int, bool]] = set()

    def keep(where: str, problems: list[Problem]) -> None:
        nonlocal total
        total += len(problems)
        room = MAX_PROBLEMS_SHOWN - len(located)
        located.extend(_located(where, None, p.question_id or "", p) for p in problems[:max(room, 0)])

    def on_item(index: int, item: Any) -> None:
        where = f"#{index + 1}"
        if not isinstance(item, dict) or "answers" not in item:
            raise Refused("ui.exchange.bad_json", detail="`assessments` must be a list of {answers, scores} objects")
        try:
            doc = parse_answers(item["answers"]) if isinstance(item["answers"], dict) else parse_answers(b"[]")
        except AnswersError as exc:
            keep(where, exc.problems)
            return
        if (doc.questionnaire_id, doc.questionnaire_version) != (questionnaire.id, questionnaire.version):
            raise Refused("ui.exchange.version", file_form=doc.questionnaire_id or "?",
                          file_version=doc.questionnaire_version or "?", form_id=questionnaire.id,
                          version=questionnaire.version)
        if checked:
            visit(patch_from_document(doc))
            return
        where = f"{doc.country} {doc.cycle}"
        ident = (doc.country, doc.cycle, doc.illustrative)
        found = [Problem.of("document", reason("twice_in_file"))] if ident in seen else []
        seen.add(ident)
        found += import_problems(questionnaire, doc)
        if found:
            keep(where, found)
        elif not total:  # once the file has a problem it will be refused: nothing more to plan
            visit(replace(patch_from_document(doc), checked=True))  # checked whole just above

    if checked:
        return _read_again(path, on_item, progress)
    try:
        with path.open("rb") as raw:
            fh = _Hashing(raw)
            stream = stream_export(fh, on_item, max_bytes=max_bytes, progress=progress)  # type: ignore[arg-type]
    except JsonRefused as exc:
        problem = [_located("", None, "", Problem.of("document", exc.reason))]
        raise Refused("ui.exchange.problems", problems=problem, n=1, where_key=ASSESSMENT_COLUMN) from None
    if stream.header.get("format") != EXPORT_FORMAT:
        raise Refused("ui.exchange.bad_json", detail=f"not an {EXPORT_FORMAT} file")
    if total:
        raise Refused("ui.exchange.problems", problems=capped(located, total), n=total, where_key=ASSESSMENT_COLUMN)
    if not stream.items:
        raise Refused("ui.exchange.empty")
    return fh.sha.hexdigest()


def _read_again(path: Path, on_item: Callable[[int, Any], None], progress: Callable[[int], None] | None) -> str:
    """The second reading: each assessment built by ijson's C parser (``YAJL``, the first reading's), without the
    first reading's limit checks.

    Those checks ran, event by event in Python, on the first reading (a third of its time); this one hands
    over the same values (numbers as :func:`answers.jsonstream.stream_export` gives them: int, or float) and
    returns the SHA-256 of every byte of the file, which the caller compares with the first reading's.
    """
    with path.open("rb") as raw:
        fh = _Hashing(raw)
        try:
            for index, item in enumerate(YAJL.items(fh, f"{ITEM_KEY}.item", use_float=True)):
                on_item(index, item)
                if progress is not None:
                    progress(raw.tell())
        except ijson.JSONError:
            raise Refused("ui.exchange.bad_json", detail="the file changed since it was checked") from None
        while fh.read(1_048_576):  # the rest of the file counts in its hash too
            pass
    return fh.sha.hexdigest()


# --- the write pass: plans checked by the first reading, written in chunks ----------------------------------

Key = tuple[str, int, bool]  # country, cycle, illustrative
Stamp = tuple[Any, ...]  # ImportPlan.stamp() of the first reading
AUDIT_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
CHUNK = 100  # patches read from the database, and written, together (memory stays a hundred assessments)


def key_of(patch: ImportPatch) -> Key:
    return (patch.country, patch.cycle, patch.illustrative)


def _saved(session: Session, patches: Sequence[ImportPatch]) -> tuple[dict[Key, Assessment], set[Key]]:
    """The live assessment of each patch (one query), and the keys a deleted, handed-in one still holds."""
    forms = sorted({p.questionnaire_id for p in patches})
    rows = session.exec(select(Assessment).where(
        col(Assessment.country).in_(sorted({p.country for p in patches})),
        col(Assessment.cycle).in_(sorted({p.cycle for p in patches})),
        col(Assessment.questionnaire_id).in_(forms),
    )).all()
    wanted = {(p.country, p.cycle, p.questionnaire_id, p.illustrative) for p in patches}
    live: dict[Key, Assessment] = {}
    held: set[Key] = set()
    for a in rows:
        if (a.country, a.cycle, a.questionnaire_id, a.illustrative) not in wanted:
            continue
        if a.deleted_at is None:
            live.setdefault((a.country, a.cycle, a.illustrative), a)
        elif a.status in workflow.HANDED_IN:
            held.add((a.country, a.cycle, a.illustrative))
    return live, held


class Planner:
    """The first reading's plans, made a chunk at a time: the saved assessments of a chunk are read in one query.

    ``add`` takes the file's patches in order; ``on_plan`` gets each plan in the same order. Call ``finish``
    at the end. The plans are those :func:`~exchange.plan.make_plan` makes one by one (it makes them).
    """

    def __init__(self, session: Session, questionnaire: Questionnaire, actor: ActorLike,
                 on_plan: Callable[[ImportPlan], None], *, chunk: int = CHUNK,
                 on_chunk: Callable[[list[ImportPlan], set[Key]], None] | None = None) -> None:
        self.session, self.q, self.actor, self.on_plan, self.chunk = session, questionnaire, actor, on_plan, chunk
        self.on_chunk = on_chunk  # a chunk's plans and its held keys, once each plan went to on_plan
        self.waiting: list[ImportPatch] = []

    def add(self, patch: ImportPatch) -> None:
        self.waiting.append(patch)
        if len(self.waiting) >= self.chunk:
            self.finish()

    def finish(self) -> None:
        if not self.waiting:
            return
        live, held = _saved(self.session, self.waiting)
        plans: list[ImportPlan] = []
        for patch in self.waiting:
            try:
                plan = make_plan(self.session, patch=patch, questionnaire=self.q, actor=self.actor,
                                 found=live.get(key_of(patch)))
            except service.ServiceError as exc:  # e.g. another country's: the caller names the assessment
                exc.patch = patch  # type: ignore[attr-defined]
                raise
            self.on_plan(plan)
            plans.append(plan)
        if self.on_chunk is not None:
            self.on_chunk(plans, held)
        self.waiting = []
        self.session.expunge_all()  # the saved rows read are not needed again: memory stays one chunk


class Writer:
    """The second reading: each patch with a plan that changes something is written, all in the caller's transaction.

    ``stamps`` are the first reading's plan stamps of the patches that change something. A new assessment
    whose key is still free (one query per chunk) is re-planned from the same bytes without validating again
    (``trusted``: the first reading checked it whole) and written with multi-row INSERTs: the assessment rows,
    their answers, the change log, the audit events and the stored scores, the same rows
    :func:`~exchange.plan.apply_plan` writes one assessment at a time (tests/exchange/test_bulk_write.py).
    Anything else (an existing assessment, a key taken since the first reading) goes through
    :func:`~exchange.plan.apply_plan`, which re-plans, compares and raises as it always has. Nothing commits here.
    """

    def __init__(self, session: Session, questionnaire: Questionnaire, actor: ActorLike,
                 stamps: Mapping[Key, Stamp], *, chunk: int = CHUNK) -> None:
        self.session, self.q, self.actor, self.stamps, self.chunk = session, questionnaire, actor, stamps, chunk
        self.waiting: list[ImportPatch] = []
        self.results: list[tuple[ImportPatch, service.ImportResult]] = []

    def add(self, patch: ImportPatch) -> None:
        if key_of(patch) not in self.stamps:  # the plan changes nothing
            return
        self.waiting.append(patch)
        if len(self.waiting) >= self.chunk:
            self.finish()

    def finish(self) -> list[tuple[ImportPatch, service.ImportResult]]:
        """Write what is waiting; return every result so far, in file order (patches without their answers)."""
        if self.waiting:
            self._write(self.waiting)
            self.waiting = []
            self.session.expunge_all()
        return self.results

    def _write(self, patches: list[ImportPatch]) -> None:
        live, held = _saved(self.session, patches)
        rows = _Rows()
        for patch in patches:
            key = key_of(patch)
            stamp = self.stamps[key]
            plan = None
            if stamp[0] is None and key not in live and _insertable(self.actor, patch, held):
                plan = make_plan(self.session, patch=patch, questionnaire=self.q, actor=self.actor, found=None,
                                 trusted=True)
                if plan.stamp() != stamp or not plan.ready:
                    plan = None
            if plan is None:  # the per-assessment path says what changed or why it is refused
                shown = ImportPlan(patch=patch, assessment_id=stamp[0], assessment_version=stamp[1],
                                   answer_versions=dict(stamp[2]), changes=[], untouched=[], answers={},
                                   targets=None, status=None)
                res = _apply_one(self.session, self.q, self.actor, rows, shown)
            else:
                res = rows.add(plan, self.q, self.actor)
            self.results.append((identity(patch), res))
        rows.write(self.session, self.q)


def _insertable(actor: ActorLike, patch: ImportPatch, held: set[Key]) -> bool:
    """A new assessment the multi-row path may write: its key is free (not held by a deleted, handed-in one)
    and the actor is not bound to one country (:func:`~exchange.plan.apply_plan` says why that is refused)."""
    return key_of(patch) not in held and file_scope(actor, patch.country) is None


def _apply_one(session: Session, q: Questionnaire, actor: ActorLike, rows: _Rows,
               plan: ImportPlan) -> service.ImportResult:
    """One plan through :func:`~exchange.plan.apply_plan`, which re-plans, compares and raises as it always has;
    the new assessments gathered so far are written first, in file order."""
    rows.write(session, q)
    return apply_plan(session, plan=plan, questionnaire=q, actor=actor, commit=False)


class WriteAsPlanned:
    """``import --yes`` of a large file: each chunk written as soon as it is planned (``Planner(on_chunk=...)``).

    With the yes given beforehand nothing waits between planning and writing, so the file is read once instead
    of twice (the first reading of 1,940 assessments was a third of the import's time). All or nothing still
    holds, in the caller's one transaction: once a plan is refused nothing more is written (``refused``) and
    the caller rolls back, as it does when the file turns out to have a problem; it commits only when the whole
    file was read. Each plan written is the one :func:`~exchange.plan.make_plan` made and the caller showed.
    """

    def __init__(self, session: Session, questionnaire: Questionnaire, actor: ActorLike) -> None:
        self.session, self.q, self.actor = session, questionnaire, actor
        self.results: list[tuple[ImportPatch, service.ImportResult]] = []  # file order, patches without answers
        self.refused = False

    def __call__(self, plans: list[ImportPlan], held: set[Key]) -> None:
        rows = _Rows()
        for plan in plans:
            self.refused = self.refused or not plan.ready
            if self.refused or not plan.changes:
                continue
            if plan.created and _insertable(self.actor, plan.patch, held):
                res = rows.add(plan, self.q, self.actor)
            else:
                res = _apply_one(self.session, self.q, self.actor, rows, plan)
            self.results.append((identity(plan.patch), res))
        rows.write(self.session, self.q)


@dataclass
class _Draft:
    """What the access matrix reads of a new assessment before it is submitted."""

    country: str
    status: str


class _Rows:
    """The rows of new assessments, written together: what :func:`~exchange.plan.apply_plan` writes for each."""

    def __init__(self) -> None:
        self.assessments: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self.log: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.scored: list[tuple[str, datetime, AnswersDocument]] = []

    def add(self, plan: ImportPlan, q: Questionnaire, actor: ActorLike) -> service.ImportResult:
        patch = plan.patch
        by = service.authorize(actor, "import", country=patch.country)
        now = utcnow()
        ids = iter(new_ids(1 + len(plan.answers)))
        aid = next(ids)
        status = to = "draft"
        if plan.status is not None:  # the workflow's submit move, checked and audited as the button's
            moved = workflow.target("submit", status)
            if moved is None:
                probe = Assessment(id=aid, country=patch.country, cycle=patch.cycle, questionnaire_id=q.id,
                                   questionnaire_version=q.version, status=status, illustrative=patch.illustrative)
                raise service.ServiceError(service.not_editable(probe, "import"))
            to = moved
            # The matrix reads the country and status only: no ORM row built (a millisecond each, 1,940 times).
            access.check(actor, "submit", _Draft(patch.country, status))
        self.assessments.append({
            "id": aid, "country": patch.country, "cycle": patch.cycle, "questionnaire_id": q.id,
            "questionnaire_version": q.version, "questionnaire_hash": q.content_hash,
            "illustrative": patch.illustrative, "status": to, "targets": plan.targets or {},
            "created_at": now, "updated_at": now, "created_by": by, "updated_by": by,
            "version": 1 if plan.targets is None and plan.status is None else 2,
            "deleted_at": None, "deleted_by": None,
        })
        logged: dict[str, object] = {"country": patch.country, "cycle": patch.cycle,
                                     "questionnaire_version": q.version, "source": "import"}
        self.log.append(_log_row(aid, None, "created", None, logged, by, now))
        blank = service._fields(None)
        fields = service.ANSWER_FIELDS
        written: dict[str, Answer] = {}
        log = self.log
        for qid, answer in plan.answers.items():
            # What _log_row and _json_safe give, inline (230,000 rows): only a value can be a tuple to list.
            new = {f: getattr(answer, f) for f in fields}
            new["value"] = service._json_safe(new["value"])
            changed = [f for f in fields if new[f] != blank[f]]
            if not changed:
                continue
            written[qid] = answer
            self.answers.append({"id": next(ids), "assessment_id": aid, "question_id": qid, **new,
                                 "updated_at": now, "updated_by": by, "version": 1})
            log.extend({"assessment_id": aid, "question_id": qid, "field": f, "old": blank[f], "new": new[f],
                        "at": now, "by": by} for f in changed)
        if plan.targets is not None:
            self.log.append(_log_row(aid, None, "targets", {}, plan.targets, by, now))
        if plan.status is not None:
            self.log.append(_log_row(aid, None, "status", status, to, by, now))
            self.audit.append(audit.values(actor=by, event="status", country=patch.country, assessment_id=aid,
                                           at=now, detail={"from": status, "to": to, "action": "submit",
                                                           "note": "", "source": "import"}))
        self.audit.append(audit.values(actor=by, event="import", country=patch.country, assessment_id=aid, at=now,
                                       detail={"cycle": patch.cycle, "created": True, "changed": len(plan.changes)}))
        doc = AnswersDocument.model_construct(
            questionnaire_id=q.id, questionnaire_version=q.version, questionnaire_hash=q.content_hash,
            country=patch.country, cycle=patch.cycle, illustrative=patch.illustrative,
            status=workflow.doc_status(to),
            targets=plan.targets or {}, answers=written, format="iotready-answers", format_version=1,
        )
        self.scored.append((aid, now, doc))
        return service.ImportResult(assessment_id=aid, created=True, changed=len(plan.changes),
                                    questions=len(plan.questions_changed))

    def write(self, session: Session, q: Questionnaire) -> None:
        """Insert what was added (assessments first: the rest refer to them), then forget it."""
        if not self.assessments:
            return
        session.flush()  # anything the ORM holds first, in order
        for table, rows in ((ASSESSMENT_TABLE, self.assessments), (ANSWER_TABLE, self.answers),
                            (CHANGE_LOG_TABLE, self.log), (AUDIT_TABLE, self.audit)):
            if rows:
                insert_rows(session, table, rows)
        # Every answer was checked against q when its plan was made (the first reading, for the second).
        computed = scores.compute(q, [aid for aid, _, _ in self.scored], [doc for _, _, doc in self.scored],
                                  checked=True)
        made = utcnow()
        scores._write(session, [scores._values(q, s, at, made) for s, (_, at, _) in zip(computed, self.scored,
                                                                                          strict=True)],
                      replace=False)
        self.__init__()  # type: ignore[misc]


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``session.execute(insert(table), rows)``: the same rows, with a fraction of the Python per row.

    SQLAlchemy builds a parameter dict per row and runs each column type's bind processor on each value (a
    timestamp to SQLite's text, a JSON value to its text or psycopg's wrapper): more than half of an import's
    inserts (114 k answers, 250 k change-log rows). Here the statement is compiled once as SQLAlchemy compiles it
    for many rows, each column's own processor (the one SQLAlchemy would run) runs once per distinct object in a
    row (an import's rows share one timestamp and one author), and the driver's ``executemany`` gets tuples
    (SQLite's ``?``) or dicts (psycopg's ``%(name)s``), through the connection (its events fire as usual), as
    SQLAlchemy hands them to it. Only where the statement binds exactly the rows' keys, under their own names and
    returns nothing; otherwise, or when the rows' keys differ, SQLAlchemy writes them as usual.
    """
    conn = session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys, for_executemany=True)
    names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
    if (compiled.effective_returning or compiled.escaped_bind_names or sorted(names) != sorted(keys)
            or any(row.keys() != rows[0].keys() for row in rows)):
        session.execute(insert(table), rows)
        return
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    converted: list[Any] = []
    last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(names)
    for row in rows:
        values = []
        for i, name in enumerate(names):
            value, process = row[name], processors[i]
            if process is not None:
                seen, out = last[i]
                if value is not seen:
                    out = process(value)
                    last[i] = (value, out)  # holds the value: its id is not reused while it is compared
                value = out
            values.append(value)
        converted.append(tuple(values) if compiled.positional else dict(zip(names, values, strict=True)))
    conn.exec_driver_sql(str(compiled), converted)


_NOTHING = object()


def _log_row(aid: str, qid: str | None, field: str, old: Any, new: Any, by: str, at: datetime) -> dict[str, Any]:
    return {"assessment_id": aid, "question_id": qid, "field": field, "old": service._json_safe(old),
            "new": service._json_safe(new), "at": at, "by": by}


def identity(patch: ImportPatch) -> ImportPatch:
    """The patch without its answers (a large file's results are counted, not listed)."""
    return ImportPatch(questionnaire_id=patch.questionnaire_id, questionnaire_version=patch.questionnaire_version,
                       country=patch.country, cycle=patch.cycle, illustrative=patch.illustrative)


# --- a large upload in the app: the same two readings, from a temporary file -------------------------------


@dataclass
class FilePlan:
    """What the first reading of a large export found: one line per assessment, the stamps to write against.

    Kept in the page's session between "Check" and "Save" (a few bytes per assessment, never the answers).
    """

    digest: str
    lines: list[tuple[str, int, str, int]] = field(default_factory=list)  # country, cycle, kind, n
    stamps: dict[Key, Stamp] = field(default_factory=dict)
    refused: ImportPlan | None = None  # the first plan that cannot be applied: shown whole
    refused_n: int = 0

    def add(self, plan: ImportPlan) -> None:
        patch = plan.patch
        if not plan.ready:
            self.refused_n += 1
            self.refused = self.refused or plan
            kind, n = "refused", len(plan.problems) or 1
        elif not plan.changes:
            kind, n = "unchanged", 0
        else:
            self.stamps[key_of(patch)] = plan.stamp()
            kind, n = ("created", len(plan.questions_changed)) if plan.created else ("changed", len(plan.changes))
        self.lines.append((patch.country, patch.cycle, kind, n))

    def count(self, kind: str) -> int:
        return sum(1 for line in self.lines if line[2] == kind)

    def line_text(self, line: tuple[str, int, str, int], lang: str) -> str:
        """One assessment's line, worded as ``iotready import`` prints it."""
        country, cycle, kind, n = line
        where = {"country": country_name(country, lang), "cycle": cycle}
        if kind == "unchanged":
            return t("cli.import_line.unchanged", lang, **where)
        return t(f"cli.import_line.{kind}", lang, n=n, **where)

    def totals(self, lang: str) -> str:
        return t("cli.import_totals", lang, n=fmt_count(len(self.lines), lang),
                 created=fmt_count(self.count("created"), lang), changed=fmt_count(self.count("changed"), lang),
                 unchanged=fmt_count(self.count("unchanged"), lang))


class FileChanged(Exception):
    """The file read for writing is not the one checked (another SHA-256): nothing was written."""


Opener = Callable[[], AbstractContextManager[Session]]


def plan_file(
    questionnaire: Questionnaire, path: Path, session: Opener, *, actor: ActorLike,
    progress: Callable[[float], None] = lambda _: None,
) -> FilePlan:
    """Check every assessment of the export at ``path`` and plan it (nothing written); ``progress`` gets 0..1.

    Raises :class:`~exchange.upload.Refused` (the file's located problems) or ``ServiceError`` (an assessment
    ``actor`` may not import: refused before any saved value is shown).
    """
    size = max(path.stat().st_size, 1)
    result = FilePlan(digest="")
    with session() as s:
        planner = Planner(s, questionnaire, actor, result.add)
        result.digest = stream_patches(questionnaire, path, planner.add, progress=lambda done: progress(done / size))
        planner.finish()
    return result


def write_file(
    questionnaire: Questionnaire, path: Path, plan: FilePlan, session: Opener, *, actor: ActorLike,
    progress: Callable[[float], None] = lambda _: None,
) -> list[tuple[ImportPatch, service.ImportResult]]:
    """Write ``plan`` from a second reading of ``path``, in one transaction: every assessment, or none.

    Raises :class:`FileChanged`, :class:`~exchange.plan.PlanChanged` (something was saved since the check),
    :class:`~exchange.plan.PlanRefused`, ``ServiceError`` or :class:`~exchange.upload.Refused`; then nothing
    was written.
    """
    size = max(path.stat().st_size, 1)
    with session() as s:
        try:
            writer = Writer(s, questionnaire, actor, plan.stamps)
            again = stream_patches(questionnaire, path, writer.add, progress=lambda done: progress(done / size),
                                   checked=True)
            results = writer.finish()
            if again != plan.digest:
                raise FileChanged(str(path))
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return results
