"""One question's history on the Assess page: who changed what, when, and "restore this value".

Opened from a small button under each question; the change log is read only when the dialog opens
(never on an ordinary rerun, which stays fast). Restoring goes through the service with the answer
version this session last saw: if someone saved since, nothing is overwritten and the dialog says
what is saved now.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from answers.document import Answer
from assessment import history, service
from exchange.plan import Change, value_text
from formatting.markdown import inline_escape
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question
from ui import auth, autosave, data, state

PENDING = "assess.history"  # the question whose history dialog is open
FIELD_PART = {"value": "answer", "not_applicable": "answer", "dont_know": "answer", "justification": "justification",
              "evidence": "evidence", "comment": "comment", "review": "review"}


def _dismiss() -> None:
    st.session_state.pop(PENDING, None)


def _reseed(question: Question) -> None:
    """Drop the question's widget values: the next run seeds them from the draft (they are already drawn now)."""
    for part in state.PARTS:
        st.session_state.pop(state.widget_key(question.id, part), None)


def _shown(questionnaire: Questionnaire, question_id: str, field: str, value: Any, lang: str) -> str:
    """A logged value as the reader knows it (labels, numbers in their language, yes/no)."""
    if field in ("not_applicable", "dont_know"):
        name = t(f"status.{field}", lang)
        return f"{name}{separator(':', lang)}{t('ui.plan.yes' if value else 'ui.plan.no', lang)}"
    if field == "value":
        answer = Answer.model_construct(value=value, not_applicable=False, dont_know=False)
        return value_text(questionnaire, Change(question_id, "answer", None, None), answer, lang)
    return value_text(questionnaire, Change(question_id, FIELD_PART.get(field, field), None, None), value, lang)


def _restore(questionnaire: Questionnaire, question: Question, entry_id: int, lang: str) -> None:
    draft = autosave.current()
    if draft is None:
        return
    try:
        with data.session() as s:
            version = history.restore_value(
                s, assessment_id=draft.assessment_id, questionnaire=questionnaire, entry_id=entry_id,
                expected_version=draft.versions.get(question.id, 0), actor=auth.actor(),
            )
            saved = service.get_assessment(s, draft.assessment_id, actor=auth.actor())
            answer = saved.answers.get(question.id) or Answer()
    except service.ConflictError as exc:
        theirs = exc.current or Answer()
        draft.answers[question.id] = theirs
        draft.versions[question.id] = int(exc.current_version)
        _reseed(question)
        st.warning(t("ui.assess.conflict", lang, current=autosave.describe(questionnaire, question, theirs, lang)),
                   icon=":material/sync_problem:")
        return
    except service.ServiceError as exc:
        st.error(t("ui.err.not_saved", lang, detail=exc.text(lang)), icon=":material/error:")
        return
    draft.answers[question.id] = answer
    draft.versions[question.id] = version
    _reseed(question)
    _dismiss()
    st.rerun()


@st.dialog(" ", width="large", on_dismiss=_dismiss)
def _dialog(questionnaire: Questionnaire, question: Question, number: str, lang: str, read_only: bool) -> None:
    st.markdown(f"**{number}** {question.text.get(lang)}")
    draft = autosave.current()
    if draft is None:
        return
    with data.session() as s:
        entries = history.question_history(s, assessment_id=draft.assessment_id, question_id=question.id,
                                           actor=auth.actor())
    if not entries:
        st.info(t("ui.history.empty", lang), icon=":material/info:")
        return
    st.caption(t("ui.history.help", lang))
    for e in entries:
        when = e.at.strftime("%Y-%m-%d %H:%M UTC")
        what = t(f"ui.history.field.{e.field}", lang)
        old = _shown(questionnaire, question.id, e.field, e.old, lang)
        new = _shown(questionnaire, question.id, e.field, e.new, lang)
        text_col, button_col = st.columns([4, 1], vertical_alignment="center")
        # Who and the values are typed by people: shown as typed, never as Markdown (no image, no hidden link).
        text_col.markdown(t("ui.history.entry", lang, when=when, who=inline_escape(e.by or "?"), what=what,
                            old=inline_escape(old), new=inline_escape(new)))
        if not read_only and button_col.button(t("ui.history.restore", lang), key=f"assess.history.restore.{e.id}",
                                               help=t("ui.history.restore_help", lang, value=inline_escape(new))):
            _restore(questionnaire, question, e.id, lang)


def history_button(questionnaire: Questionnaire, question: Question, number: str, lang: str, read_only: bool) -> None:
    """The "History" button of one question; opens the dialog (kept open across reruns until closed)."""
    if st.button(t("ui.history.open", lang), key=f"assess.history.{question.id}", type="tertiary",
                 icon=":material/history:"):
        st.session_state[PENDING] = question.id
    if st.session_state.get(PENDING) == question.id:
        _dialog(questionnaire, question, number, lang, read_only)
