"""The import plan: what a file would change, shown before anything is written, applied only on a yes.

Nothing saved is ever lost to an upload: :func:`make_plan` compares what a file says
(:class:`exchange.patch.ImportPatch`, blank cells and omitted questions say nothing) with what is
saved, and lists per question the saved value and the file's value, plus what stays untouched. The
user confirms; :func:`apply_plan` writes it only if the saved versions are still those the plan
showed. If someone saved in between, nothing is written and :class:`PlanChanged` carries the new
plan to show instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from answers.document import Answer, AnswersDocument, Problem, Reason, import_problems, reason
from assessment import audit, service, workflow
from assessment.access import EVERY_PILLAR, LOCAL_ADMIN, ActorLike, as_actor, file_scope
from assessment.models import AnswerRecord, Assessment, utcnow
from exchange.patch import ImportPatch, question_number
from formatting.numbers import fmt_count, fmt_decimal, fmt_number
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, separator, t

# The parts of an answer a plan row shows: the answer itself (value / not applicable / don't know), then the rest.
PARTS: tuple[str, ...] = ("answer", "justification", "evidence", "comment", "review")
_STATE = ("value", "not_applicable", "dont_know")


class Change(NamedTuple):
    """One planned change: ``part`` of question ``question_id`` (None: the assessment) goes ``old`` -> ``new``.

    ``part`` is one of :data:`PARTS`, ``"status"`` or ``"target:<pillar id | overall>"``; values are the
    stored forms (an :class:`Answer` for ``"answer"``). A named tuple (immutable, as the frozen dataclass it
    was, but a third of the cost to build: an import of the full export plans 250,000 of them).
    """

    question_id: str | None
    part: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PlanProblem:
    """A reason the plan cannot be applied (e.g. "not applicable" without a justification), located."""

    question_id: str | None
    reason: Reason
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What importing ``patch`` would do, and the saved versions it was made from."""

    patch: ImportPatch
    assessment_id: str | None  # None: a new assessment would be created
    assessment_version: int  # 0 when there is none yet
    answer_versions: dict[str, int]  # of every question the plan changes (0: no saved row)
    changes: list[Change]
    untouched: list[str]  # questions with a saved answer the file leaves as they are
    answers: dict[str, Answer]  # the new answer of every question the plan changes
    targets: dict[str, float | str] | None  # the new targets, when they change
    status: str | None  # the new status, when it changes
    problems: list[PlanProblem] = field(default_factory=list)
    refusal: Reason | None = None  # e.g. the assessment is submitted and the file would change it

    @property
    def created(self) -> bool:
        return self.assessment_id is None

    @property
    def ready(self) -> bool:
        """True when applying it would write (or harmlessly do nothing): no problem, no refusal."""
        return not self.problems and self.refusal is None

    @property
    def questions_changed(self) -> list[str]:
        return list(dict.fromkeys(c.question_id for c in self.changes if c.question_id))

    def stamp(self) -> tuple[Any, ...]:
        """The saved versions this plan was made from; a plan is applied only while they still hold."""
        return (self.assessment_id, self.assessment_version, tuple(sorted(self.answer_versions.items())))


class PlanChanged(Exception):
    """What is saved changed since the plan was shown: nothing was written; ``plan`` is the new plan."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{plan.patch.label}: the saved assessment changed since the plan was shown")
        self.plan = plan


class PlanRefused(Exception):
    """The plan cannot be applied as it stands (problems or a refusal); nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{plan.patch.label}: the import cannot be applied")
        self.plan = plan


def _diff(qid: str, old: Answer, new: Answer) -> list[Change]:
    out = []
    if old.value != new.value or old.not_applicable != new.not_applicable or old.dont_know != new.dont_know:
        out.append(Change(qid, "answer", old, new))
    for part in _OTHER_PARTS:
        was, now = getattr(old, part), getattr(new, part)
        if was != now:
            out.append(Change(qid, part, was, now))
    return out


_OTHER_PARTS = PARTS[1:]


def _find(session: Session, patch: ImportPatch) -> Assessment | None:
    return service._find(session, country=patch.country, cycle=patch.cycle, questionnaire_id=patch.questionnaire_id,
                         illustrative=patch.illustrative)


_NO_ANSWER = Answer()  # compared with, never changed: built once, not per merged answer
_UNREAD: Any = object()  # make_plan's ``found`` when the caller has not read the saved assessment


def make_plan(
    session: Session, *, patch: ImportPatch, questionnaire: Questionnaire, actor: ActorLike = LOCAL_ADMIN,
    found: Assessment | None = _UNREAD, trusted: bool = False,
) -> ImportPlan:
    """What importing ``patch`` would change, read from what is saved now (nothing is written).

    The plan shows saved values, so only someone who may import into the file's country gets one.
    A bulk import (:mod:`exchange.bulk`) reads the saved assessments of many patches in one query and passes
    each one as ``found`` (None: there is none). ``trusted``: this patch, from the same bytes, was planned and
    checked whole by an earlier reading of the file, against the same saved rows (its stamp is compared by the
    caller), so its answers are merged without validating them again and the whole document is not re-checked.
    """
    pillars = _file_scope(actor, patch.country, questionnaire)
    existing = _find(session, patch) if found is _UNREAD else found
    if existing is not None:
        if found is _UNREAD:
            session.refresh(existing)
        service.authorize(actor, "import" if pillars is None else "read", existing)
    elif pillars is not None:  # a contributor answers an assessment its focal point started
        raise service.Forbidden(service.about("svc_import_not_started", patch.country, patch.cycle))
    # A new assessment from a document checked whole (``patch.checked``) is that document: checking the merge
    # again (each answer's validation, import_problems) would find what the first check found, a third of the plan.
    trusted = trusted or (patch.checked and existing is None)
    records: dict[str, AnswerRecord] = (
        {r.question_id: r for r in service._records(session, [existing.id])[existing.id]} if existing else {}
    )
    saved = {qid: service._answer_of(r) for qid, r in records.items()}
    problems: list[PlanProblem] = []
    refusal: Reason | None = None
    if existing is not None and (existing.questionnaire_id, existing.questionnaire_version) != (
        questionnaire.id, questionnaire.version
    ):
        refusal = reason("svc_other_version", form=existing.questionnaire_id, version=existing.questionnaire_version,
                         current_form=questionnaire.id, current_version=questionnaire.version)

    changes: list[Change] = []
    new_answers: dict[str, Answer] = {}
    for qid, qp in patch.questions.items():
        if not questionnaire.has_question(qid):
            problems.append(PlanProblem(qid, reason("wb_unknown_question"), qp.sheet, qp.row))
            continue
        merged, whys = qp.merged(saved.get(qid), trusted=trusted)
        if merged is None:
            problems += [PlanProblem(qid, why, qp.sheet, qp.row, col) for col, why in whys]
            continue
        merged = service.normalise_answer(questionnaire.question(qid).type, merged)
        diff = _diff(qid, saved.get(qid) or _NO_ANSWER, merged)
        pillar = questionnaire.question(qid).pillar
        if diff and pillars is not None and pillar not in pillars:
            name = questionnaire.pillar(pillar).name
            why = reason("svc_import_pillar", pillar={lg: name.get(lg) for lg in languages()})
            problems.append(PlanProblem(qid, why, qp.sheet, qp.row))
            continue
        if diff:
            changes += diff
            new_answers[qid] = merged

    # The assessment as it would be, checked whole (skip logic, values, Member State), problems located.
    old_targets = dict(existing.targets or {}) if existing else {}
    targets = {k: v for k, v in (old_targets | dict(patch.targets)).items() if v is not None}
    if not trusted:
        final = {qid: a for qid, a in saved.items() if a != Answer()} | {
            qid: a for qid, a in new_answers.items() if a != Answer()
        }
        doc = AnswersDocument(
            questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
            questionnaire_hash=questionnaire.content_hash, country=patch.country, cycle=patch.cycle,
            illustrative=patch.illustrative, targets=targets, answers=final,
        )
        for p in _relevant(import_problems(questionnaire, doc), patch):
            at = patch.questions.get(p.question_id or "")
            problems.append(PlanProblem(p.question_id, p.reason or reason("as_is", text=p.message),
                                        at.sheet if at else None, at.row if at else None, p.field))
    for key in sorted(set(old_targets) | set(targets)):
        if old_targets.get(key) != targets.get(key):
            changes.append(Change(None, f"target:{key}", old_targets.get(key), targets.get(key)))
    old_status = existing.status if existing else "draft"
    status = _new_status(old_status, patch.status)
    if status:
        changes.append(Change(None, "status", old_status, status))
    if pillars is not None and refusal is None and any(c.question_id is None for c in changes):
        # Targets and handing in are the focal point's: a contributor's file brings answers only.
        refusal = reason("svc_import_answers_only")
    if existing is not None and not workflow.is_editable(existing.status) and changes and refusal is None:
        # Handed in: changed only in the app, once it is back with the country (withdrawn, or returned).
        refusal = service.not_editable_by_file(existing)
    return ImportPlan(
        patch=patch,
        assessment_id=existing.id if existing else None,
        assessment_version=existing.version if existing else 0,
        answer_versions={qid: records[qid].version if qid in records else 0 for qid in new_answers},
        changes=changes,
        untouched=[qid for q in questionnaire.questions if (qid := q.id) in saved and qid not in new_answers
                   and saved[qid] != Answer()],
        answers=new_answers,
        targets=targets if any(c.part.startswith("target:") for c in changes) else None,
        status=status,
        problems=problems,
        refusal=refusal,
    )


def _file_scope(actor: ActorLike, country: str, questionnaire: Questionnaire) -> frozenset[str] | None:
    """None when ``actor`` may import the whole assessment (focal point, administrator); else the pillars
    whose answers their file may change (a contributor: answers only). Refused when there are none."""
    pillars = file_scope(actor, country)
    if pillars is not None and not pillars:
        # No role lets them bring a file into this country (another country's focal point, a viewer): say
        # that, not how a submitted assessment is reopened; it reveals nothing of what is saved there.
        raise service.Forbidden(reason("svc_import_country", country=service.country_names(country)))
    if pillars is not None and EVERY_PILLAR in pillars:
        return frozenset(p.id for p in questionnaire.pillars)
    return pillars


def _new_status(saved: str, said: str | None) -> str | None:
    """The status a file's "draft"/"submitted" leads to, or None when it changes nothing.

    A file speaks in the document's two states (:func:`workflow.doc_status`): "submitted" hands in a draft,
    or a returned assessment again (resubmitted); "draft" on a draft or a returned one changes nothing.
    """
    if not said or said == workflow.doc_status(saved):
        return None
    return workflow.target("submit", saved) or said


def _relevant(problems: list[Problem], patch: ImportPatch) -> list[Problem]:
    """Problems the file causes: about what it changes, or about the document itself (not old saved rows)."""
    return [p for p in problems if p.question_id is None or p.question_id in patch.questions]


def apply_plan(
    session: Session,
    *,
    plan: ImportPlan,
    questionnaire: Questionnaire,
    actor: ActorLike = LOCAL_ADMIN,
    commit: bool = True,
) -> service.ImportResult:
    """Write ``plan`` if what is saved is still what it showed; all or nothing.

    ``commit=False`` leaves the transaction open (flushed), so a file's several plans commit together;
    any failure rolls the whole session back.

    Raises :class:`PlanChanged` (with the new plan) when anything it would change was saved since,
    :class:`PlanRefused` when it has problems or a refusal, ``ServiceError`` for who may not import.
    """
    scope = _file_scope(actor, plan.patch.country, questionnaire)
    by = as_actor(actor).name if scope is not None else service.authorize(actor, "import", country=plan.patch.country)
    if not plan.ready:
        raise PlanRefused(plan)
    fresh = make_plan(session, patch=plan.patch, questionnaire=questionnaire, actor=actor)
    if fresh.stamp() != plan.stamp():
        session.rollback()
        raise PlanChanged(fresh)
    if not fresh.ready:
        raise PlanRefused(fresh)
    if not fresh.changes and fresh.assessment_id is not None:
        return service.ImportResult(assessment_id=fresh.assessment_id, created=False, changed=0, questions=0)
    patch = fresh.patch
    now = utcnow()
    try:
        if fresh.assessment_id is None:
            a = service._new_assessment(session, country=patch.country, cycle=patch.cycle, questionnaire=questionnaire,
                                       illustrative=patch.illustrative, by=by, now=now, source="import")
            stored: dict[str, AnswerRecord] = {}
        else:
            a = service._get(session, fresh.assessment_id)
            service.authorize(actor, "import" if scope is None else "read", a)
            for qid in fresh.answers:  # the plan checked the pillars; the matrix has the last word
                service.authorize(actor, "edit", a, pillar=questionnaire.question(qid).pillar)
            stored = {r.question_id: r for r in service._records(session, [a.id])[a.id]}
        unsaved: list[tuple[str, Answer]] = []  # no row yet: written as two multi-row INSERTs, not ORM objects
        for qid, answer in fresh.answers.items():
            rec = stored.get(qid)
            if (rec.version if rec else 0) != fresh.answer_versions[qid]:
                raise StaleDataError(qid)
            if rec is None:
                unsaved.append((qid, answer))
                continue
            service._apply_answer(session, assessment_id=a.id, question_id=qid, rec=rec, answer=answer,
                                  actor=by, at=now)
        if unsaved:
            service._insert_answers(session, assessment_id=a.id, answers=unsaved, actor=by, at=now)
        if fresh.targets is not None:
            service._log(session, assessment_id=a.id, question_id=None, field="targets", old=dict(a.targets or {}),
                         new=fresh.targets, actor=by, at=now)
            a.targets = fresh.targets
        if fresh.status is not None:  # the workflow's submit move, audited as the button's
            service._submit_by_file(session, a, actor=actor, by=by, at=now)
        if fresh.targets is not None or fresh.status is not None or fresh.assessment_id is None:
            a.updated_at = now  # an ORM change: the assessment's version is checked and bumped
            a.updated_by = by
            session.add(a)
        else:  # answers only: stamp the time without bumping the version, as saving one answer does
            service._touch_draft(session, a, by, now)  # refused if it was submitted meanwhile
        changed = len(fresh.changes)  # the plan's rows: what the reader confirmed is what is said saved
        audit.record(session, actor=by, event="import", country=a.country, assessment_id=a.id, at=now,
                     detail={"cycle": a.cycle, "created": fresh.assessment_id is None, "changed": changed})
        if commit:
            session.commit()
        else:
            session.flush()
    except (StaleDataError, IntegrityError):
        # Someone saved between our check and our write: nothing is written, show them the new plan.
        session.rollback()
        raise PlanChanged(make_plan(session, patch=patch, questionnaire=questionnaire, actor=actor)) from None
    except Exception:
        session.rollback()
        raise
    return service.ImportResult(assessment_id=a.id, created=fresh.assessment_id is None, changed=changed,
                                questions=len(fresh.questions_changed))


# --- how a plan reads --------------------------------------------------------------------------------


def question_label(questionnaire: Questionnaire, question_id: str, lang: str) -> str:
    """"2.3 Is there a national IoT strategy?": the number and text a reader knows, never the id."""
    if not questionnaire.has_question(question_id):
        return t("ui.plan.unknown_question", lang)
    return f"{question_number(questionnaire, question_id)} {questionnaire.question(question_id).text.get(lang)}"


def _value_text(questionnaire: Questionnaire, question_id: str, value: Any, lang: str) -> str:
    q = questionnaire.question(question_id)
    if q.type == "scale":
        opt = questionnaire.scales[q.scale or ""].option(str(value))
        return opt.label.get(lang) if opt else str(value)
    if q.type == "numeric":
        number = float(value)
        return fmt_decimal(number, lang, ".0f" if number.is_integer() else ".6g")
    labels = {o.value: o.label.get(lang) for o in q.options or []}
    values = value if isinstance(value, list) else [value]
    return "; ".join(labels.get(v, str(v)) for v in values) if values else t("ui.plan.none_of_these", lang)


def value_text(questionnaire: Questionnaire, change: Change, value: Any, lang: str) -> str:
    """One side of a change as a reader sees it: option labels, numbers in ``lang``, "(empty)" for nothing."""
    if change.part == "answer":
        a: Answer = value
        if a.not_applicable:
            return t("status.not_applicable", lang)
        if a.dont_know:
            return t("status.dont_know", lang)
        if a.value is None:
            return t("ui.plan.empty", lang)
        return _value_text(questionnaire, change.question_id or "", a.value, lang)
    if value is None:
        return t("ui.plan.empty", lang)
    if change.part == "review":
        return t("ui.plan.yes" if value else "ui.plan.no", lang)
    if change.part == "status":
        return t(f"ui.status.{value}", lang)
    if change.part.startswith("target:"):
        if isinstance(value, str):
            tier = next((x for x in questionnaire.tiers if x.id == value), None)
            return tier.name.get(lang) if tier else value
        return fmt_number(float(value), lang)  # as written: 75.4 is not shown as 75 (it is stored as 75.4)
    return str(value)


def part_text(questionnaire: Questionnaire, change: Change, lang: str) -> str:
    """What a change is about: "Evidence", "Status", "Target: IPv6 adoption"."""
    if change.part.startswith("target:"):
        key = change.part.removeprefix("target:")
        name = t("overall", lang) if key == "overall" else questionnaire.pillar(key).name.get(lang)
        return f"{t('target', lang)}{separator(':', lang)}{name}"
    return t(f"ui.plan.part.{change.part}", lang)


def plan_rows(questionnaire: Questionnaire, plan: ImportPlan, lang: str) -> list[dict[str, str]]:
    """The plan as table rows: question (number and text), what, saved value, file value."""
    rows = []
    for c in plan.changes:
        rows.append({
            "question": question_label(questionnaire, c.question_id, lang) if c.question_id else
            t("ui.plan.assessment", lang),
            "part": part_text(questionnaire, c, lang),
            "saved": value_text(questionnaire, c, c.old, lang),
            "file": value_text(questionnaire, c, c.new, lang),
        })
    return rows


def changes_text(changes: int, questions: int, lang: str) -> str:
    """The one count the plan and the result both say (issue 20.14): "2 changes in 1 question".

    A change is one row of the plan: one part (answer, justification, evidence, comment, "to review") of
    one question, one target or the status. Questions are those with at least one change; targets and
    status alone say "1 change".
    """
    said = t("ui.plan.n_changes", lang, n=fmt_count(changes, lang))
    if not questions:
        return said
    return t("ui.plan.changes_in", lang, changes=said, questions=t("ui.plan.n_questions", lang,
                                                                   n=fmt_count(questions, lang)))


def plan_summary(plan: ImportPlan, lang: str, **where: object) -> str:
    """The plan's one-line summary in ``lang``: each count takes its own plural ("1 change in 3 questions")."""
    changes = changes_text(len(plan.changes), len(plan.questions_changed), lang)
    if plan.created:
        return t("ui.plan.summary_new", lang, changes=changes, **where)
    return t("ui.plan.summary", lang, changes=changes,
             untouched=t("ui.plan.n_untouched", lang, n=len(plan.untouched)), **where)


def problem_text(questionnaire: Questionnaire, p: PlanProblem, lang: str) -> str:
    """A plan problem, located by sheet and row when the file has them, and by question number."""
    where = []
    if p.sheet:
        where.append(t("ui.plan.at_sheet", lang, sheet=p.sheet))
    if p.row:
        where.append(t("ui.plan.at_row", lang, row=p.row))
    if p.question_id:
        where.append(question_label(questionnaire, p.question_id, lang))
    return (separator(",", lang).join(where) + separator(":", lang) if where else "") + p.reason.text(lang)
