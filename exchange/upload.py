"""Uploads of filled workbooks or JSON exports: checked whole, planned, shown, and applied on a yes.

An upload is checked whole before anything is written (every problem listed by sheet, row and
question). :func:`check_and_plan` then makes the import plan of each assessment in it
(:mod:`exchange.plan`: per question, saved value -> file value; a blank cell or an omitted question
changes nothing); the page shows it and :func:`apply_plans` writes it only on the user's yes, and only
if the saved versions are still those the plan showed (else the new plan is shown instead). The same
flow as ``iotready import``. Messages are i18n keys with their arguments (``questionnaires/i18n``), so
the app shows them in the reader's language.

A JSON export may hold several assessments: all of them are checked first and nothing is written if
any fails. They are then imported in one transaction: if the service refuses one at write time (for
instance a submitted assessment that the file would change, or a PostgreSQL error), nothing of the
file is written, and the outcome names the refused assessment and the others. A file is never half
imported, so importing it again after fixing the cause is always safe.

JSON is read through :func:`answers.jsonread.load_json` (size, entries, depth, duplicate keys), and at
most :data:`MAX_PROBLEMS_SHOWN` problems are kept for the table (the outcome lives in the session),
the last row saying how many more there are.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from answers.document import AnswersDocument, AnswersError, Problem, import_problems, parse_answers, reason
from answers.jsonread import MAX_JSON_BYTES, JsonRefused, count_text, load_json, size_text
from assessment import service
from assessment.access import LOCAL_ADMIN, ActorLike
from exchange.export_format import EXPORT_FORMAT, export_documents_of
from exchange.patch import ImportPatch, patch_from_document
from exchange.plan import ImportPlan, PlanChanged, PlanRefused, apply_plan, make_plan
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, separator

if TYPE_CHECKING:  # the workbook stack (openpyxl) is imported where a workbook is read, not for a JSON file
    from exchange.workbook import ImportProblem

MAX_BYTES = MAX_JSON_BYTES  # the largest file read whole, JSON or workbook (exchange.workbook.MAX_BYTES)

MAX_PROBLEMS_SHOWN = 100  # rows of the problems table; a count says how many more there are
SHEET_COLUMN = "ui.exchange.col_sheet"
ASSESSMENT_COLUMN = "ui.exchange.col_assessment"


@dataclass(frozen=True)
class Located:
    """One problem for the table: ``where`` is a sheet (workbook) or an assessment (JSON file)."""

    where: str
    row: int | None
    question_id: str
    message: str  # English
    translated: tuple[tuple[str, str], ...] = ()  # (lang, message) for the other languages

    def text(self, lang: str = "en") -> str:
        return dict(self.translated).get(lang, self.message)


def _located(where: str, row: int | None, question_id: str, problem: Problem | ImportProblem) -> Located:
    """A table row for ``problem`` with its message in every UI language."""
    def text(lang: str) -> str:
        if isinstance(problem, Problem):
            return f"{problem.field}{separator(':', lang)}{problem.text(lang)}"
        return problem.text(lang)  # a workbook's ImportProblem

    return Located(where, row, question_id, text("en"), tuple((lang, text(lang)) for lang in languages()))


def capped(located: list[Located], total: int) -> list[Located]:
    """The first :data:`MAX_PROBLEMS_SHOWN` problems, and a last row "and N more" when there are more."""
    if total <= MAX_PROBLEMS_SHOWN:
        return located
    more = reason("more_problems", n=count_text(total - MAX_PROBLEMS_SHOWN))
    return [*located[:MAX_PROBLEMS_SHOWN],
            Located("", None, "", more.text("en"), tuple((lang, more.text(lang)) for lang in languages()))]


@dataclass(frozen=True)
class Imported:
    """One assessment written (or found unchanged) by an import."""

    assessment_id: str
    country: str
    cycle: int
    created: bool
    changed: int  # the plan's changes, counted as the plan counted them
    questions: int = 0


@dataclass
class Outcome:
    """What pressing "Check and import" did with one file; kept in the session, shown until the file changes.

    Messages are stored as i18n keys with their arguments, so a language switch translates them too.
    """

    digest: str
    name: str
    message_key: str | None = None
    message_args: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None  # the library's own (English) wording, shown under the message
    detail_texts: tuple[tuple[str, str], ...] = ()  # the detail in other languages, when it has them

    def detail_in(self, lang: str) -> str | None:
        return dict(self.detail_texts).get(lang, self.detail)
    problems: list[Located] = field(default_factory=list)
    where_key: str = SHEET_COLUMN
    imported: list[Imported] = field(default_factory=list)
    not_reached: list[tuple[str, int]] = field(default_factory=list)  # (country, cycle) left out after a refusal
    plans: list[ImportPlan] = field(default_factory=list)  # waiting for the user's yes
    changed_since: list[tuple[str, int]] = field(default_factory=list)  # plans remade: saved in between

    @property
    def failed(self) -> bool:
        return self.message_key is not None or bool(self.problems)


class Refused(Exception):
    """The file cannot be imported; carries what to tell the user (nothing has been written)."""

    def __init__(
        self, key: str, *, detail: str | None = None, problems: list[Located] | None = None,
        where_key: str = SHEET_COLUMN, **args: Any,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.detail = detail
        self.problems = problems or []
        self.where_key = where_key
        self.args_ = args


# The largest file the app takes, in MB (the server's ``maxUploadSize`` in .streamlit/config.toml is the same):
# a JSON export of 194 Member States x 10 cycles is 28-35 MB, so an export comes back whole. A JSON file over
# MAX_BYTES is streamed (exchange.bulk) and a workbook stays at MAX_BYTES. Larger files: ``iotready import``.
MAX_UPLOAD_MB = 100


def digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


# --- reading and checking (no writes) ---------------------------------------------------------------


def _version_refusal(questionnaire: Questionnaire, form_id: str, version: str) -> Refused:
    return Refused(
        "ui.exchange.version", file_form=form_id or "?", file_version=version or "?",
        form_id=questionnaire.id, version=questionnaire.version,
    )


def _read_xlsx(questionnaire: Questionnaire, payload: bytes) -> list[AnswersDocument]:
    from exchange.workbook import read_workbook

    return [_xlsx(questionnaire, payload, read_workbook)]


def _xlsx(questionnaire: Questionnaire, payload: bytes, reader: Callable[[Questionnaire, bytes], Any]) -> Any:
    from exchange.workbook import ImportProblems

    try:
        return reader(questionnaire, payload)
    except ImportProblems as exc:
        problems: list[ImportProblem] = exc.problems
        made_for = exc.made_for
    if all(p.sheet is None and p.row is None and p.question_id is None for p in problems):
        if not zipfile.is_zipfile(io.BytesIO(payload)):
            raise Refused("ui.exchange.not_xlsx") from None
        raise Refused("ui.exchange.damaged", detail="; ".join(p.message for p in problems)) from None
    if made_for is not None and made_for != (questionnaire.id, questionnaire.version):
        raise _version_refusal(questionnaire, *made_for) from None
    located = [_located(p.sheet or "", p.row, p.question_id or "", p) for p in problems[:MAX_PROBLEMS_SHOWN]]
    raise Refused("ui.exchange.problems", problems=capped(located, len(problems)), n=len(problems)) from None


def _label(doc: AnswersDocument) -> str:
    return f"{doc.country} {doc.cycle}"


def _read_json(questionnaire: Questionnaire, payload: bytes) -> list[AnswersDocument]:
    try:
        parsed = load_json(payload)  # once: size, entries, depth, duplicate keys checked on the way
    except JsonRefused as exc:
        problem = [_located("", None, "", Problem.of("document", exc.reason))]
        raise Refused("ui.exchange.problems", problems=problem, n=1, where_key=ASSESSMENT_COLUMN) from None
    try:
        if isinstance(parsed, dict) and parsed.get("format") == EXPORT_FORMAT:
            docs = export_documents_of(parsed)
        elif isinstance(parsed, dict) and "answers" in parsed and "country" in parsed:
            docs = [parse_answers(parsed)]  # a single answers document, as `iotready import` reads
        else:
            raise Refused("ui.exchange.bad_json")
    except AnswersError as exc:
        rows = [_located("", None, p.question_id or "", p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        raise Refused("ui.exchange.problems", problems=capped(rows, len(exc.problems)),
                      n=len(exc.problems), where_key=ASSESSMENT_COLUMN) from None
    except ValueError as exc:
        raise Refused("ui.exchange.bad_json", detail=str(exc)) from None
    if not docs:
        raise Refused("ui.exchange.empty")
    for doc in docs:
        if (doc.questionnaire_id, doc.questionnaire_version) != (questionnaire.id, questionnaire.version):
            raise _version_refusal(questionnaire, doc.questionnaire_id, doc.questionnaire_version)
    located: list[Located] = []
    total = 0
    seen: set[tuple[str, int, bool]] = set()
    for doc in docs:
        ident = (doc.country, doc.cycle, doc.illustrative)
        found = [Problem.of("document", reason("twice_in_file"))] if ident in seen else []
        seen.add(ident)
        found += import_problems(questionnaire, doc)
        total += len(found)
        room = MAX_PROBLEMS_SHOWN - len(located)  # only the rows shown are built (each holds every language)
        located += [_located(_label(doc), None, p.question_id or "", p) for p in found[:max(room, 0)]]
    if total:
        raise Refused("ui.exchange.problems", problems=capped(located, total), n=total,
                      where_key=ASSESSMENT_COLUMN)
    return docs


def read_upload(questionnaire: Questionnaire, name: str, payload: bytes) -> list[AnswersDocument]:
    """Every answers document in an uploaded file, all checked; raise :class:`Refused` (nothing written)."""
    if len(payload) > MAX_BYTES:
        raise Refused("ui.exchange.too_big", size=size_text(len(payload)), limit=MAX_BYTES // 1_048_576)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        return _read_xlsx(questionnaire, payload)
    if suffix == "json":
        return _read_json(questionnaire, payload)
    raise Refused("ui.exchange.wrong_type")


def read_patches(questionnaire: Questionnaire, name: str, payload: bytes) -> list[ImportPatch]:
    """What each assessment in an uploaded file says (blank cells and omitted questions say nothing)."""
    if len(payload) > MAX_BYTES:
        raise Refused("ui.exchange.too_big", size=size_text(len(payload)), limit=MAX_BYTES // 1_048_576)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        from exchange.workbook import read_workbook_patch

        return [_xlsx(questionnaire, payload, read_workbook_patch)]
    if suffix == "json":
        return [patch_from_document(d) for d in _read_json(questionnaire, payload)]
    raise Refused("ui.exchange.wrong_type")


# --- planning and importing ---------------------------------------------------------------------------


def check_and_plan(
    questionnaire: Questionnaire, name: str, payload: bytes, session: Callable[[], AbstractContextManager[Session]],
    *, actor: ActorLike = LOCAL_ADMIN,
) -> Outcome:
    """Check the whole file and make the plan of each assessment in it; nothing is written.

    An assessment ``actor`` may not import is refused (the outcome says so) before any saved value is shown.
    """
    outcome = Outcome(digest=digest(payload), name=name)
    try:
        patches = read_patches(questionnaire, name, payload)
    except Refused as exc:
        outcome.message_key, outcome.message_args = exc.key, exc.args_
        outcome.detail, outcome.problems, outcome.where_key = exc.detail, exc.problems, exc.where_key
        return outcome
    with session() as s:
        for patch in patches:
            try:
                outcome.plans.append(make_plan(s, patch=patch, questionnaire=questionnaire, actor=actor))
            except service.ServiceError as exc:  # e.g. another country's assessment: no plan, nothing shown
                outcome.plans = []
                outcome.message_args = {"country": patch.country, "cycle": patch.cycle}
                if exc.reason is not None and exc.reason.code == "svc_import_country":
                    outcome.message_key = "ui.exchange.refused_country"  # the whole reason, no workflow advice
                else:
                    outcome.message_key = "ui.exchange.refused"
                    outcome.detail = str(exc)
                    outcome.detail_texts = tuple((lang, exc.text(lang)) for lang in languages())
                outcome.not_reached = [(p.country, p.cycle) for p in patches if p is not patch]
                return outcome
    return outcome


def apply_plans(
    questionnaire: Questionnaire, outcome: Outcome, session: Callable[[], AbstractContextManager[Session]],
    *, actor: ActorLike = LOCAL_ADMIN,
) -> Outcome:
    """Apply the plans the user confirmed, in one transaction: a file is imported whole or not at all.

    If any plan cannot be applied, nothing is written and the plans stay waiting; if anything they would
    change was saved since they were shown, nothing is written and every plan is remade from what is
    saved now (``changed_since`` names the assessment that moved). Returns a new outcome.
    """
    done = Outcome(digest=outcome.digest, name=outcome.name)
    plans = list(outcome.plans)
    if not all(p.ready for p in plans):
        done.plans = plans
        return done
    try:
        with session() as s:
            results = [apply_plan(s, plan=p, questionnaire=questionnaire, actor=actor, commit=False) for p in plans]
            s.commit()
    except (PlanChanged, PlanRefused) as exc:
        with session() as s:
            done.plans = [make_plan(s, patch=p.patch, questionnaire=questionnaire, actor=actor) for p in plans]
        if isinstance(exc, PlanChanged):
            done.changed_since.append((exc.plan.patch.country, exc.plan.patch.cycle))
        return done
    except service.ServiceError as exc:
        done.message_key = "ui.exchange.refused"
        done.message_args = {"country": plans[0].patch.country, "cycle": plans[0].patch.cycle}
        done.detail = str(exc)
        done.detail_texts = tuple((lang, exc.text(lang)) for lang in languages())
        done.not_reached = [(p.patch.country, p.patch.cycle) for p in plans[1:]]
        return done
    done.imported = [
        Imported(res.assessment_id, p.patch.country, p.patch.cycle, res.created, res.changed, res.questions)
        for p, res in zip(plans, results, strict=True)
    ]
    return done


# --- importing at once (scripts and tests that do not need to see the plan) -------------------------------


def check_and_import(
    questionnaire: Questionnaire, name: str, payload: bytes, session: Callable[[], AbstractContextManager[Session]],
    *, actor: ActorLike = LOCAL_ADMIN,
) -> Outcome:
    """Check the whole file, then apply each assessment's plan at once; the outcome says what happened.

    The same rule as the page: only what the file speaks about changes. A plan that cannot be applied
    (a problem with what is saved, a submitted assessment) is left in ``outcome.plans``, unwritten.
    ``session`` opens a database session (the app passes its cached-engine factory).
    """
    outcome = check_and_plan(questionnaire, name, payload, session, actor=actor)
    if outcome.failed:
        return outcome
    done = apply_plans(questionnaire, outcome, session, actor=actor)
    refused = next((p for p in done.plans if p.refusal is not None or p.problems), None)
    if refused is not None and done.message_key is None:  # nothing of the file was written
        done.message_key = "ui.exchange.refused"
        done.message_args = {"country": refused.patch.country, "cycle": refused.patch.cycle}
        if refused.refusal is not None:
            done.detail = refused.refusal.text("en")
            done.detail_texts = tuple((lang, refused.refusal.text(lang)) for lang in languages())
        done.not_reached = [(p.patch.country, p.patch.cycle) for p in done.plans if p is not refused]
    return done
