"""Autosave: every widget change becomes one ``save_answer`` call, at once, with optimistic concurrency.

The session keeps a :class:`Draft` (the answers and their row versions as last read or written), because
Streamlit drops the value of a widget that is not rendered (streamlit#5813). Widgets are seeded from the
draft whenever their key is missing, so jumping between pillars or reloading the page shows the saved
answers. A change is applied to the *saved* answer one part at a time, so an invalid part (a bad number,
a malformed URL) is reported inline and never costs what was saved before.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import streamlit as st
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from answers.document import (
    MAX_COMMENT,
    MAX_EVIDENCE,
    MAX_JUSTIFICATION,
    NONE_OF_THESE,
    Answer,
    validation_reason,
)
from assessment import service
from assessment.db import is_disk_full
from formatting.numbers import fmt_count, fmt_decimal
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import Question
from refdata import country_name
from ui import auth, data, errors, nav, state
from ui.pages import HOME


@dataclass
class Draft:
    """The assessment being edited, as this session last read or wrote it."""

    assessment_id: str
    country: str
    cycle: int
    status: str
    illustrative: bool
    answers: dict[str, Answer] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)

    def answer(self, question_id: str) -> Answer:
        return self.answers.get(question_id) or Answer()


def _draft_from_view(view: Any) -> Draft:
    return Draft(
        assessment_id=str(view.id),
        country=view.country,
        cycle=int(view.cycle),
        status=view.status,
        illustrative=bool(view.illustrative),
        answers=dict(view.answers),
        versions={k: int(v) for k, v in view.versions.items()},
    )


class Unsaved(Exception):
    """Changes to the open assessment still wait for the database: no assessment is loaded over them (before,
    opening another assessment dropped them: issue 20)."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(f"changes to {draft.country} {draft.cycle} wait for the database")
        self.draft = draft

    def text(self, lang: str) -> str:
        name = t("ui.assessment_name", lang, country=country_name(self.draft.country, lang), cycle=self.draft.cycle)
        return t("ui.assess.unsaved_switch", lang, name=name)


def load(assessment_id: str, *, from_start: bool = False) -> Draft:
    """Read the assessment from the database into the session (and the URL, so a reload resumes it).

    ``from_start``: Assess opens at the first pillar with questions left, even when this session last showed
    another pillar of this very assessment (Home's Open: a regulator answering over several sittings comes
    back to the work left, not to wherever the last sitting ended).

    Changes the database did not take (:func:`retry`) are saved first, into the assessment they belong to;
    while it still cannot take them, :class:`Unsaved` is raised and nothing is loaded, so they stay in their
    boxes (the caller says why the assessment was not opened).
    """
    before: Draft | None = st.session_state.get(state.DRAFT)
    if before is not None and messages(state.FAILED):
        retry()
        if messages(state.FAILED):
            raise Unsaved(before)
    with data.session() as s:
        view = service.get_assessment(s, assessment_id, actor=auth.actor())
    draft = _draft_from_view(view)
    if from_start or before is None or before.assessment_id != draft.assessment_id:
        # Another assessment starts where it needs work (see assess._initial_step), not on the pillar
        # the previous one was left at.
        st.session_state.pop(state.STEP, None)
        st.session_state.pop(state.CONFIRMING, None)
    st.session_state[state.DRAFT] = draft
    st.session_state[state.ASSESSMENT_ID] = draft.assessment_id
    for key in (state.ERRORS, state.CONFLICTS, state.SAVED, state.PENDING, state.FAILED):
        st.session_state[key] = {}
    _forget_widgets()
    return draft


def _forget_widgets() -> None:
    """Drop question widget values so they are seeded again from the freshly loaded draft."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("q.")]:
        del st.session_state[key]


def current() -> Draft | None:
    """The draft of this session, restored from the URL's ``?assessment=`` after a reload."""
    draft: Draft | None = st.session_state.get(state.DRAFT)
    if draft is not None:
        return draft
    raw = st.query_params.get(state.QP_ASSESSMENT)
    if raw:
        try:
            return load(raw)
        except (service.NotFound, service.Forbidden):  # another country's id is no assessment to this user
            del st.query_params[state.QP_ASSESSMENT]
    return None


def current_or_stop(title_key: str, info_key: str, lang: str) -> Draft:
    """The open draft, kept in the URL; without one, say so, point to Home and stop the page."""
    draft = current()
    if draft is None:
        st.title(t(title_key, lang))
        st.info(t(info_key, lang), icon=":material/info:")
        nav.page_link(HOME, label=t("ui.assess.go_home", lang), icon=":material/home:")
        st.stop()
    st.query_params[state.QP_ASSESSMENT] = str(draft.assessment_id)
    return draft


def messages(kind: str) -> dict[str, Any]:
    """One of the session's per-question boxes (errors, conflicts, save times, pending and failed changes)."""
    box: dict[str, Any] = st.session_state.setdefault(kind, {})
    return box


# --- widget values <-> answers -------------------------------------------------------------------


def format_number(value: float, lang: str = "en") -> str:
    """A number as the reader writes it (37,5 in French, 37.5 in English); the box reads either back."""
    return fmt_decimal(value, lang, "g") if math.isfinite(value) else ""


def seed_values(question: Question, answer: Answer, lang: str = "en") -> dict[state.Part, Any]:
    """The widget values that show ``answer``."""
    value: Any
    if question.type == "multi":
        value = [NONE_OF_THESE] if answer.value == [] else list(answer.value or [])  # type: ignore[arg-type]
    elif question.type == "numeric":
        value = "" if answer.value is None else format_number(float(answer.value), lang)  # type: ignore[arg-type]
    else:
        value = answer.value if answer.status == "answered" else None
    return {
        "value": value,
        "na": answer.not_applicable,
        "dk": answer.dont_know,
        "just": answer.justification or "",
        "evidence": answer.evidence or "",
        "comment": answer.comment or "",
        "review": answer.review,
    }


def seed_widgets(question: Question, answer: Answer, *, force: bool = False, lang: str = "en") -> None:
    """Give each of the question's widgets its saved value unless the widget already holds one."""
    for part, value in seed_values(question, answer, lang).items():
        key = state.widget_key(question.id, part)
        if force or key not in st.session_state:
            st.session_state[key] = value


def _empty_value(question: Question) -> Any:
    return [] if question.type == "multi" else "" if question.type == "numeric" else None


def parse_number(question: Question, raw: str, lang: str) -> tuple[float | None, str | None]:
    """A typed number (``12,5`` or ``12.5``) or the reason it is not acceptable."""
    spec = question.numeric
    assert spec is not None
    text = raw.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not text:
        return None, None
    try:
        number = float(text)
    except ValueError:
        return None, t("ui.err.number", lang, raw=raw.strip())
    if not math.isfinite(number):
        return None, t("ui.err.number", lang, raw=raw.strip())
    if not spec.min <= number <= spec.max:
        return None, t("ui.err.range", lang, min=format_number(spec.min, lang), max=format_number(spec.max, lang))
    if spec.integer and number != int(number):
        return None, t("ui.err.integer", lang)
    return number, None


# The rule, also in the evidence field's help: evidence is free text, but a word that starts like a link
# (a scheme of two letters or more followed by ":/", or "www.") is a link and must be a whole web
# address. "htp:/bad" and "htp://bad" are refused alike; "doi:10.1/x" or "C:/file" are free text.
_URLISH = re.compile(r"^([a-z][a-z0-9+.\-]+:/|www\.)", re.IGNORECASE)


def _valid_url(token: str) -> bool:
    url = token if "://" in token else "https://" + token
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https", "ftp")
        and re.fullmatch(r"[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+", host) is not None
        and not host.endswith("-")
    )


def evidence_problem(text: str, lang: str) -> str | None:
    """Evidence may be any reference; a part of it that looks like a web address must be a valid one."""
    if len(text) > MAX_EVIDENCE:
        return t("ui.err.too_long", lang, n=fmt_count(MAX_EVIDENCE, lang))
    for token in text.split():
        if _URLISH.search(token.lstrip("(<\"'«")) and not _valid_url(token.strip("(<\"'«»>.,;)")):
            return t("ui.err.url", lang, url=token)
    return None


def multi_choice(chosen: list[str], before: list[str] | None) -> list[str] | None:
    """The answer a multi-select's new entries ask for; "None of these" is exclusive both ways.

    ``before`` is the saved answer ([] is "none of these", None unanswered). "None of these" wins only
    when it is the one entry just added; an option added beside it (or "Select all", which adds every
    entry at once) drops it. So no widget action can produce options *and* "none of these".
    """
    if not chosen:
        return None
    if NONE_OF_THESE not in chosen:
        return chosen
    shown_before = [NONE_OF_THESE] if before == [] else list(before or [])
    added = [v for v in chosen if v not in shown_before]
    if added == [NONE_OF_THESE]:
        return []
    options = [v for v in chosen if v != NONE_OF_THESE]
    return options or []


def _value_from_widget(question: Question, raw: Any, saved: Answer, lang: str) -> tuple[Any, str | None]:
    if question.type == "numeric":
        return parse_number(question, str(raw or ""), lang)
    if question.type == "multi":
        before = saved.value if isinstance(saved.value, list) else None
        return multi_choice(list(raw or []), before), None
    return raw, None


def _proposed(
    question: Question, part: state.Part, saved: Answer, lang: str
) -> tuple[dict[str, Any] | None, str | None]:
    """The update to the saved answer that this widget change asks for, or why it cannot be saved."""
    ss = st.session_state
    raw = ss.get(state.widget_key(question.id, part))
    if part == "value":
        value, problem = _value_from_widget(question, raw, saved, lang)
        if problem:
            return None, problem
        if question.type == "multi" and value is not None:
            ss[state.widget_key(question.id, "value")] = [NONE_OF_THESE] if value == [] else value
        if value is None:
            return {"value": None}, None
        ss[state.widget_key(question.id, "na")] = False
        ss[state.widget_key(question.id, "dk")] = False
        return {"value": value, "not_applicable": False, "dont_know": False, "justification": None}, None
    if part == "dk":
        if not raw:
            return {"dont_know": False}, None
        ss[state.widget_key(question.id, "value")] = _empty_value(question)
        ss[state.widget_key(question.id, "na")] = False
        return {"value": None, "dont_know": True, "not_applicable": False, "justification": None}, None
    if part in ("na", "just"):
        if not ss.get(state.widget_key(question.id, "na")):
            return {"not_applicable": False, "justification": None}, None
        ss[state.widget_key(question.id, "value")] = _empty_value(question)
        ss[state.widget_key(question.id, "dk")] = False
        why = str(ss.get(state.widget_key(question.id, "just")) or "").strip()
        if not why:
            return None, t("ui.err.justification", lang)
        if len(why) > MAX_JUSTIFICATION:
            return None, t("ui.err.too_long", lang, n=fmt_count(MAX_JUSTIFICATION, lang))
        return {"value": None, "dont_know": False, "not_applicable": True, "justification": why}, None
    if part == "evidence":
        text = str(raw or "")
        problem = evidence_problem(text, lang)
        return (None, problem) if problem else ({"evidence": text.strip() or None}, None)
    if part == "comment":
        text = str(raw or "")
        if len(text) > MAX_COMMENT:
            return None, t("ui.err.too_long", lang, n=fmt_count(MAX_COMMENT, lang))
        return {"comment": text.strip() or None}, None
    return {"review": bool(raw)}, None


def describe(questionnaire: Questionnaire, question: Question, answer: Answer | None, lang: str) -> str:
    """An answer in words, for conflict messages and tables."""
    if answer is None or answer.status == "unanswered":
        return t("status.unanswered", lang)
    if answer.status != "answered":
        return t(f"status.{answer.status}", lang)
    value = answer.value
    if question.type == "scale":
        opt = questionnaire.scales[question.scale or ""].option(str(value))
        return opt.label.get(lang) if opt else str(value)
    if question.type == "numeric":
        assert question.numeric is not None
        number = float(value)  # type: ignore[arg-type]
        return f"{format_number(number, lang)} {question.numeric.unit_for(number, lang)}"
    labels = {o.value: o.label.get(lang) for o in question.options or []}
    chosen = [labels.get(v, v) for v in value or []]  # type: ignore[union-attr]
    return ", ".join(chosen) if chosen else t("ui.assess.none_of_these", lang)


@errors.guarded
def on_change(question_id: str, part: state.Part) -> None:
    """Widget callback: apply one changed part of one answer and save it at once."""
    lang = state.lang()
    draft = current()
    if draft is None:
        return
    questionnaire = data.questionnaire()
    question = questionnaire.question(question_id)
    errs, conflicts = messages(state.ERRORS), messages(state.CONFLICTS)
    errs.pop(question_id, None)
    conflicts.pop(question_id, None)
    messages(state.PENDING).pop(question_id, None)
    failed: dict[str, Failed] = messages(state.FAILED)
    # A change not saved yet (the database was unreachable) is the base of the next one, so it is not lost.
    pending: Failed | None = failed.get(question_id)
    saved = pending.answer if pending is not None else draft.answer(question_id)
    ss = st.session_state
    if part == "na" and ss.get(state.widget_key(question_id, "na")) and not str(
        ss.get(state.widget_key(question_id, "just")) or ""
    ).strip():
        # Ticking "not applicable" is the first step, not a mistake: the justification box appears now,
        # and the answer is saved when it is filled. Until then the saved answer stays, and we say so.
        ss[state.widget_key(question_id, "value")] = _empty_value(question)
        ss[state.widget_key(question_id, "dk")] = False
        messages(state.PENDING)[question_id] = t(
            "ui.assess.na_pending", lang, saved=describe(questionnaire, question, saved, lang)
        )
        return
    update, problem = _proposed(question, part, saved, lang)
    if problem or update is None:
        errs[question_id] = problem or t("ui.err.generic", lang)
        return
    try:
        answer = Answer.model_validate({**saved.model_dump(), **update})
    except ValidationError as exc:
        errs[question_id] = t("ui.err.invalid", lang, detail=validation_reason(exc.errors()[0]).text(lang))
        return
    if answer == saved and question_id in draft.answers and pending is None:
        return
    parts = ({*pending.parts} if pending is not None else set()) | {part}
    _save(draft, question, answer, tuple(sorted(parts)), lang)


@dataclass(frozen=True)
class Failed:
    """A change the database did not take (unreachable): the answer to save, and the parts typed into."""

    answer: Answer
    parts: tuple[str, ...]


def _save(draft: Draft, question: Question, answer: Answer, parts: tuple[str, ...], lang: str) -> bool:
    """Save ``answer``; True when the database took it (or refused it for good: a conflict, an invalid answer).

    When the database cannot be reached the change is kept (:data:`state.FAILED`), the field stays marked
    unsaved, the message says the text is still in the box, and :func:`retry` saves it once the database
    answers again: before, the crash box said "your saved answers are safe" beside a "✓ Saved".
    """
    questionnaire = data.questionnaire()
    question_id = question.id
    errs, conflicts, saved_at = messages(state.ERRORS), messages(state.CONFLICTS), messages(state.SAVED)
    failed = messages(state.FAILED)
    try:
        with data.session() as s:
            version = service.save_answer(
                s,
                assessment_id=draft.assessment_id,
                questionnaire=questionnaire,
                question_id=question_id,
                answer=answer,
                expected_version=draft.versions.get(question_id, 0),
                actor=auth.actor(),
            )
    except DBAPIError as exc:  # the connection failed (database down, network cut): nothing is lost, say so
        failed[question_id] = Failed(answer=answer, parts=parts)
        saved_at.pop(question_id, None)
        # A full disk is not an unreachable database: the reader is told which, and what frees it.
        errs[question_id] = t("ui.assess.save_failed_disk_full" if is_disk_full(exc) else "ui.assess.save_failed",
                              lang)
        return False
    except service.ConflictError as exc:
        failed.pop(question_id, None)
        theirs: Answer = exc.current or Answer()
        draft.answers[question_id] = theirs
        draft.versions[question_id] = int(exc.current_version)
        seed_widgets(question, theirs, force=True, lang=lang)
        conflicts[question_id] = t(
            "ui.assess.conflict", lang, current=describe(questionnaire, question, theirs, lang)
        )
        return True
    except service.InvalidAnswer as exc:
        failed.pop(question_id, None)
        detail = "; ".join(p.text(lang) for p in exc.problems) or str(exc)
        errs[question_id] = t("ui.err.invalid", lang, detail=detail)
        return True
    except service.ServiceError as exc:
        failed.pop(question_id, None)
        errs[question_id] = t("ui.err.not_saved", lang, detail=exc.text(lang))
        return True
    failed.pop(question_id, None)
    errs.pop(question_id, None)
    draft.answers[question_id] = answer
    draft.versions[question_id] = version
    saved_at[question_id] = datetime.now().strftime("%H:%M:%S")
    return True


def retry() -> int:
    """Save again the changes the database did not take; the number it took now (0: still unreachable)."""
    draft = current()
    failed = messages(state.FAILED)
    if draft is None or not failed:
        return 0
    questionnaire, lang, done = data.questionnaire(), state.lang(), 0
    for question_id, pending in list(failed.items()):
        if not questionnaire.has_question(question_id):
            failed.pop(question_id, None)
            continue
        if not _save(draft, questionnaire.question(question_id), pending.answer, pending.parts, lang):
            break  # still unreachable: the others wait too
        done += 1
    return done
