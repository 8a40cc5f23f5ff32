"""Answer widgets, one per answer type, all native Streamlit widgets (keyboard-usable, screen-reader labels).

Each widget is seeded from the saved answer (``autosave.seed_widgets``) and saves itself on change
through ``autosave.on_change``: there is no save button to forget.
"""

from __future__ import annotations

import streamlit as st

from answers.document import Answer
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import Question
from ui import autosave, state
from ui import evidence as evidence_ui
from ui.history import history_button
from ui.state import widget_key

MORE_PREFIX = "assess.more."  # + question id: the "evidence and comment" section, open or not


def _value_widget(questionnaire: Questionnaire, question: Question, lang: str, disabled: bool) -> None:
    key = widget_key(question.id, "value")
    label = question.text.get(lang)
    args = (question.id, "value")
    if question.type == "scale":
        scale = questionnaire.scales[question.scale or ""]
        labels = {o.value: o.label.get(lang) for o in scale.options}
        maturity = scale.kind == "maturity"
        state.reword(key, lang)  # the level stays checked after a language switch
        st.radio(
            label, list(labels), format_func=labels.__getitem__, key=key, on_change=autosave.on_change, args=args,
            disabled=disabled, label_visibility="collapsed", horizontal=not maturity,
            # Every level's descriptor is visible, not hidden in a tooltip: the levels are the question.
            captions=[questionnaire.descriptor(question, o.value, lang) or "" for o in scale.options]
            if maturity
            else None,
        )
    elif question.type == "numeric":
        spec = question.numeric
        assert spec is not None
        bounds = {"min": autosave.format_number(spec.min, lang), "max": autosave.format_number(spec.max, lang)}
        unit = spec.unit.get(lang)
        # A text box, not st.number_input: a typo gets an inline message instead of being silently clamped.
        st.text_input(
            label, key=key, on_change=autosave.on_change, args=args, disabled=disabled,
            label_visibility="collapsed", placeholder=t("ui.assess.number_placeholder", lang, unit=unit, **bounds),
        )
        st.caption(t("ui.assess.number_hint", lang, unit=unit, **bounds))
    else:
        labels = {o.value: o.label.get(lang) for o in question.options or []}
        labels[autosave.NONE_OF_THESE] = t("ui.assess.none_of_these", lang)
        # Every option shown as a toggle button (each reached by Tab, switched by Enter or Space, its state said
        # by aria-pressed), not a drop-down: st.multiselect made a fresh browser fetch the 20 script chunks of
        # Streamlit's combo box for this one question (issue 26).
        state.reword(key, lang)  # the choices stay shown after a language switch
        st.pills(
            label, list(labels), selection_mode="multi", format_func=labels.__getitem__, key=key,
            on_change=autosave.on_change, args=args, disabled=disabled, label_visibility="collapsed",
        )
        st.caption(t("ui.assess.multi_hint", lang, n=question.full_at))


# A question's flags, each with its checkbox's label and the words a reader who may not change it sees when set.
FLAGS: tuple[tuple[state.Part, str, str], ...] = (
    ("dk", "status.dont_know", "status.dont_know"),
    ("na", "status.not_applicable", "status.not_applicable"),
    ("review", "ui.assess.review", "ui.assess.marked"),
)


def _flag_boxes(question: Question, lang: str) -> None:
    """Don't know / not applicable (where allowed) and the review flag, side by side with no gaps."""
    allowed = {"dk": question.allow_dont_know, "na": question.allow_na, "review": True}
    # One horizontal container: st.columns(3) drew a row and three columns per question for the same three
    # checkboxes (18 more elements on a six-question pillar); the row still wraps on a phone.
    row = st.container(horizontal=True, gap="large")
    for part, label, _ in FLAGS:
        if allowed[part]:
            row.checkbox(
                t(label, lang), key=widget_key(question.id, part),
                help=t("ui.assess.review_help", lang) if part == "review" else None,
                on_change=autosave.on_change, args=(question.id, part),
            )


def _flags_in_words(question: Question, lang: str) -> None:
    """A reader who may not change the answer sees the flags that are set, in words, and nothing for the others.

    Three greyed-out checkboxes per question said nothing a reader could act on, and the checkboxes were the
    page's most costly elements to draw: a pillar of read-only questions drew a tenth of a second later (issue 26).
    """
    said = [t(words, lang) for part, _, words in FLAGS if st.session_state.get(widget_key(question.id, part))]
    if said:
        st.caption(" · ".join(said))


def _evidence_and_comment(question: Question, lang: str, read_only: bool) -> None:
    """The "Evidence and comment" section: its two boxes, drawn only while it is open.

    No max_chars on these boxes: the server would silently cut the text; a too-long text gets an inline message
    instead (autosave checks the limits) and nothing saved is lost. A fixed label: a label that changed after typing
    would re-mount (and fold) the expander. Drawn only while open (a click reruns the pillar): folded, its two boxes
    were still sent, a fifth of the page's messages (issue 26). What was typed is kept while folded
    (persist_state), and a question whose change was refused or is waiting for the database opens with its boxes,
    so the reader sees them.
    """
    ss = st.session_state
    more_key = MORE_PREFIX + question.id
    if autosave.messages(state.ERRORS).get(question.id) or autosave.messages(state.FAILED).get(question.id):
        ss[more_key] = True
    more = st.expander(t("ui.assess.evidence_and_comment", lang), key=more_key, on_change="rerun")
    if more.open:
        with more:
            st.text_input(
                t("ui.assess.evidence", lang), key=widget_key(question.id, "evidence"), disabled=read_only,
                on_change=autosave.on_change, args=(question.id, "evidence"),
                help=f"{question.evidence_prompt.get(lang)}\n\n{t('ui.assess.evidence_rule', lang)}",
                placeholder=question.evidence_prompt.get(lang), persist_state="page",
            )
            st.text_area(
                t("ui.assess.comment", lang), key=widget_key(question.id, "comment"), disabled=read_only,
                on_change=autosave.on_change, args=(question.id, "comment"), height=80, persist_state="page",
            )


def question_text(number: str, text: str, help_text: str) -> str:
    """A question's number and text, then its help, small and grey (Markdown's ``:small[:gray[…]]``).

    Square brackets in the help would end the directive early: they are escaped (the content has none today)."""
    escaped = help_text.replace("[", "\\[").replace("]", "\\]")
    return f"**{number}** {text}\n\n:small[:gray[{escaped}]]" if help_text else f"**{number}** {text}"


def render_question(
    questionnaire: Questionnaire,
    question: Question,
    answer: Answer,
    lang: str,
    *,
    number: str,
    read_only: bool,
) -> None:
    """One question: text, help, answer widget, N/A / don't know, evidence, comment, review flag."""
    autosave.seed_widgets(question, answer, lang=lang)
    ss = st.session_state
    na = bool(ss.get(widget_key(question.id, "na")))
    dk = bool(ss.get(widget_key(question.id, "dk")))
    with st.container(border=True, key=f"question-{question.id}"):
        if not question.scored:  # a context indicator: said before the question, so nobody answers it for points
            st.badge(t("context.label", lang), icon=":material/info:", color="gray", help=t("context.explain", lang))
        # The question and its help in one Markdown block (the help small and grey, as a caption): two blocks per
        # question were two more elements for the browser to draw and style on every pillar (issue 26).
        st.markdown(question_text(number, question.text.get(lang), question.help.get(lang)))
        _value_widget(questionnaire, question, lang, disabled=read_only or na or dk)
        if read_only:
            _flags_in_words(question, lang)
        else:
            _flag_boxes(question, lang)
        if question.allow_na and na:
            st.text_input(
                t("ui.assess.justification", lang), key=widget_key(question.id, "just"), disabled=read_only,
                on_change=autosave.on_change, args=(question.id, "just"),
                placeholder=t("ui.assess.justification_placeholder", lang),
            )
            pending = autosave.messages(state.PENDING).get(question.id)
            if pending:
                st.info(pending, icon=":material/edit:")
        # A reader who may not change the answer gets the section only when there is something in it (and the
        # documents' section only when there are documents): empty, it offered nothing to read or do (issue 26).
        if not read_only or ss.get(widget_key(question.id, "evidence")) or ss.get(widget_key(question.id, "comment")):
            _evidence_and_comment(question, lang, read_only)
        evidence_ui.panel(questionnaire, question, lang, read_only=read_only)  # attached documents (issue 25)
        history_button(questionnaire, question, number, lang, read_only)
        error = autosave.messages(state.ERRORS).get(question.id)
        conflict = autosave.messages(state.CONFLICTS).get(question.id)
        saved_at = autosave.messages(state.SAVED).get(question.id)
        failed = autosave.messages(state.FAILED).get(question.id)
        if failed is not None:
            # The database did not take the change: the fields typed into keep the orange frame (as typed text
            # not yet sent does), and a marker the page's script finds, so leaving the page asks first.
            frames = ", ".join(f".st-key-{widget_key(question.id, p).replace('.', '-')}" for p in failed.parts)
            st.html(f"<style>{frames} {{ outline: 3px solid #D55E00; outline-offset: 2px; border-radius: 6px; }}"
                    "</style>")
        if error:
            saved_text = autosave.describe(questionnaire, question, answer, lang)
            with st.container(key=f"iotready-failed-{question.id}" if failed is not None else None):
                st.error(t("ui.assess.not_saved", lang, problem=error, saved=saved_text), icon=":material/error:")
        if conflict:
            st.warning(conflict, icon=":material/sync_problem:")
        elif saved_at and not error:
            st.caption(t("ui.assess.saved_at", lang, time=saved_at))
