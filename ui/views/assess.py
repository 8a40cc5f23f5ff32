"""Assess: one pillar per step, every change saved at once, skip logic applied live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from answers.consistency import inconsistencies
from assessment import access, service, workflow
from formatting.numbers import fmt_share
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from refdata import country_name
from scoring import visibility
from ui import auth, autosave, data, errors, nav, readonly, state, widgets
from ui.pages import RESULTS
from ui.views import review as review_view


def _pillar_ids(questionnaire: Questionnaire) -> list[str]:
    return [p.id for p in questionnaire.pillars]


def _set_step(index: int) -> None:
    questionnaire = data.questionnaire()
    ids = _pillar_ids(questionnaire)
    index = max(0, min(index, len(ids) - 1))
    st.session_state[state.STEP] = index
    st.session_state[state.JUMP] = ids[index]


def _on_jump() -> None:
    ids = _pillar_ids(data.questionnaire())
    wanted = st.session_state.get(state.JUMP)
    if wanted in ids:  # a click on the current pillar's button unselects it (None): the page stays where it is
        st.session_state[state.STEP] = ids.index(wanted)


def _first_to_do(counts: dict[str, tuple[int, int]]) -> int:
    """The first pillar with a question left to answer (the first pillar when all are done)."""
    return next((i for i, (done, total) in enumerate(counts.values()) if done < total), 0)


def _initial_step(questionnaire: Questionnaire, counts: dict[str, tuple[int, int]]) -> int:
    ids = _pillar_ids(questionnaire)
    if state.STEP not in st.session_state:
        # The pillar in the address after a reload; else, for an assessment just opened, its first
        # pillar with questions left to answer.
        wanted = st.query_params.get(state.QP_PILLAR)
        st.session_state[state.STEP] = ids.index(wanted) if wanted in ids else _first_to_do(counts)
    step = max(0, min(int(st.session_state[state.STEP]), len(ids) - 1))
    st.session_state[state.JUMP] = ids[step]
    return step


@st.fragment
def pillar_step() -> None:
    """The current pillar: progress, jump menu, its questions, previous/next (reruns alone on change)."""
    with errors.boundary():
        _pillar_step()


def _pillar_step() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    draft = autosave.current()
    if draft is None:
        return
    pillars = questionnaire.pillars
    shown = visibility(questionnaire, draft.answers)

    counts: dict[str, tuple[int, int]] = {}
    for p in pillars:
        visible = [q for q in questionnaire.questions_in(p.id) if shown[q.id]]
        done = sum(draft.answer(q.id).status in ("answered", "not_applicable") for q in visible)
        counts[p.id] = (done, len(visible))
    step = _initial_step(questionnaire, counts)
    pillar = pillars[step]
    done_all = sum(d for d, _ in counts.values())
    total_all = sum(n for _, n in counts.values())
    st.progress(
        done_all / total_all if total_all else 1.0,
        text=t("ui.assess.progress", lang, n=done_all, total=total_all, step=step + 1, steps=len(pillars)),
    )

    def pillar_label(pid: str) -> str:
        done, total = counts[pid]
        mark = "✓ " if total and done == total else ""
        index = _pillar_ids(questionnaire).index(pid) + 1
        return f"{mark}{index}. {questionnaire.pillar(pid).name.get(lang)} ({done}/{total})"

    # A row of buttons, one per pillar (each reached by Tab, Enter or Space goes there; the current one is checked
    # for screen readers), not a drop-down: st.selectbox made a fresh browser fetch Streamlit's combo box scripts
    # (20 files) for the page's first run (issue 26).
    st.pills(
        t("ui.assess.jump", lang), _pillar_ids(questionnaire), format_func=pillar_label, key=state.JUMP,
        on_change=_on_jump,
    )
    st.query_params[state.QP_PILLAR] = pillar.id

    st.subheader(f"{step + 1}. {pillar.name.get(lang)}")
    st.caption(pillar.description.get(lang))
    for rule in inconsistencies(questionnaire, draft.answers):  # contradictions across pillars, live
        st.warning(rule.message.get(lang), icon=":material/rule:")
    why = readonly.edit_reason(questionnaire, auth.actor(), draft, lang, pillar=pillar.id)
    read_only = why is not None
    # Said once on top when nothing is editable; per pillar only when others are (a contributor's pillars).
    if read_only and readonly.edit_reason(questionnaire, auth.actor(), draft, lang) is None:
        st.info(why, icon=":material/lock:")
    hidden = 0
    # The pillar's context indicators come last (numbered on, marked "not scored"); the progress above counts
    # the scored questions only, as completeness does.
    for n, question in enumerate(questionnaire.form_questions_in(pillar.id), start=1):
        if not shown.get(question.id, True):
            hidden += 1
            continue
        widgets.render_question(
            questionnaire, question, draft.answer(question.id), lang,
            number=f"{step + 1}.{n}", read_only=read_only,
        )
    if hidden:
        st.caption(t("ui.assess.hidden", lang, n=hidden))

    prev_col, next_col = st.columns(2)
    prev_col.button(
        t("ui.assess.previous", lang), key="assess.prev", disabled=step == 0, on_click=_set_step,
        args=(step - 1,), icon=":material/arrow_back:", width="stretch",
    )
    if step < len(pillars) - 1:
        next_col.button(
            t("ui.assess.next", lang), key="assess.next", on_click=_set_step, args=(step + 1,),
            icon=":material/arrow_forward:", type="primary", width="stretch",
        )
    else:
        nav.page_link(
            RESULTS, label=t("ui.assess.to_results", lang), icon=":material/monitoring:", where=next_col,
            assessment=str(draft.assessment_id),
        )


STATUS_REFUSED = "assess.status_refused"
RETRY_EVERY = 5.0  # seconds between tries to save changes the database did not take


@st.fragment(run_every=RETRY_EVERY)
def _retry_failed() -> None:
    """While changes wait for the database (it was unreachable), try again every few seconds; once it took
    them, redraw the page so the fields lose their frame and the messages say "✓ Saved"."""
    with errors.boundary():
        if autosave.retry():
            st.rerun()


def _set_status(change: Callable[..., object]) -> None:
    """Submit or reopen (``service.submit_assessment`` / ``reopen_assessment``), then reload the draft."""
    draft = autosave.current()
    if draft is None:
        return
    try:
        with data.session() as s:
            change(s, assessment_id=draft.assessment_id, actor=auth.actor())
    except service.ServiceError as exc:  # e.g. someone else changed it meanwhile: say so, in the reader's language
        st.session_state[STATUS_REFUSED] = exc.text(state.lang())
    try:
        autosave.load(draft.assessment_id)
    except autosave.Unsaved as exc:
        st.session_state[STATUS_REFUSED] = exc.text(state.lang())


def main() -> None:
    lang = state.lang()
    data.questionnaire()
    draft = autosave.current_or_stop("ui.nav.assess", "ui.assess.none_selected", lang)
    st.title(t("ui.assess.title", lang, country=country_name(draft.country, lang), cycle=draft.cycle))
    if draft.illustrative:
        st.warning(t("illustrative", lang), icon=":material/science:")
    refused = st.session_state.pop(STATUS_REFUSED, None)
    if refused:
        st.error(refused, icon=":material/sync_problem:")
    why = readonly.edit_reason(data.questionnaire(), auth.actor(), draft, lang)
    if draft.status != "draft":
        review_view.open_queries(draft.assessment_id, lang, may_change=why is None)
    if why is None:  # "every change is saved" only to who may change something
        st.caption(t("ui.assess.autosave", lang))
    else:
        st.info(why, icon=":material/lock:")
        if workflow.target("reopen", draft.status) and access.allowed(auth.actor(), "reopen", draft):
            st.button(t("ui.assess.reopen", lang), key="assess.reopen", on_click=errors.guarded(_set_status),
                      args=(service.reopen_assessment,))
    pillar_step()
    if autosave.messages(state.FAILED):
        _retry_failed()
    if workflow.is_editable(draft.status) and access.allowed(auth.actor(), "submit", draft):
        with st.expander(t("ui.assess.submit_title", lang)):
            st.caption(t("ui.assess.submit_help", lang))
            # One click opens a confirmation that shows what is being submitted; it does not submit.
            # The open dialog is kept in the session, so a rerun (any click inside it) keeps it open.
            st.button(t("ui.assess.submit", lang), key="assess.submit", on_click=_confirming, args=(True,))
        if st.session_state.get(state.CONFIRMING):
            st.dialog(t("ui.assess.confirm_title", lang), width="large", on_dismiss=_close_confirmation)(
                _confirm_submit
            )(lang)


def _confirming(on: bool) -> None:
    st.session_state[state.CONFIRMING] = on


def _close_confirmation() -> None:
    """Closed with its X or Escape: the dialog must not come back on the next rerun."""
    _confirming(False)


@dataclass(frozen=True)
class Readiness:
    """What a submission would hold: questions answered of those asked, "don't know", review flags."""

    done: int
    total: int
    dont_know: int
    review: list[str]  # "1.3 question text", as numbered on the page


def readiness(questionnaire: Questionnaire, draft: autosave.Draft, lang: str) -> Readiness:
    """Completeness as the progress bar counts it, and the questions marked for review."""
    shown = visibility(questionnaire, draft.answers)
    done = total = dont_know = 0
    review: list[str] = []
    for step, pillar in enumerate(questionnaire.pillars, start=1):
        for n, question in enumerate(questionnaire.questions_in(pillar.id), start=1):
            if not shown[question.id]:
                continue
            answer = draft.answer(question.id)
            total += 1
            done += answer.status in ("answered", "not_applicable")
            dont_know += answer.status == "dont_know"
            if answer.review:
                review.append(f"{step}.{n} {question.text.get(lang)}")
    return Readiness(done=done, total=total, dont_know=dont_know, review=review)


def incomplete_text(missing: int, dont_know: int, lang: str) -> str:
    """What submitting incomplete means; the "don't know" count only when there is one (not "0 of them")."""
    key = "ui.assess.confirm_incomplete" if dont_know else "ui.assess.confirm_incomplete_no_dk"
    return t(key, lang, n=missing, dont_know=dont_know)


def _confirm_submit(lang: str) -> None:
    """The confirmation: completeness, what incomplete means, questions marked for review; then submit."""
    draft = autosave.current()
    if draft is None:
        return
    ready = readiness(data.questionnaire(), draft, lang)
    share = fmt_share(ready.done / ready.total if ready.total else 1.0, lang)
    st.markdown(t("ui.assess.confirm_done", lang, n=ready.done, total=ready.total, share=share))
    if ready.done < ready.total:
        st.warning(incomplete_text(ready.total - ready.done, ready.dont_know, lang), icon=":material/warning:")
    if ready.review:
        st.warning(t("ui.assess.confirm_review", lang, n=len(ready.review)), icon=":material/flag:")
        st.markdown("\n".join(f"- {line}" for line in ready.review))
    st.caption(t("ui.assess.submit_help", lang))
    left, right = st.columns(2)
    if left.button(t("ui.assess.confirm_submit", lang), key="assess.confirm_submit", type="primary",
                   icon=":material/send:", width="stretch"):
        _confirming(False)
        errors.guarded(_set_status)(service.submit_assessment)
        st.rerun()
    if right.button(t("ui.assess.confirm_cancel", lang), key="assess.confirm_cancel", width="stretch"):
        _confirming(False)
        st.rerun()
