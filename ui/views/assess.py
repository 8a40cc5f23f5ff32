"""Assess: one pillar per step, every change saved at once, skip logic applied live."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assessment import service
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from refdata import country_name
from scoring import visibility
from ui import autosave, data, errors, nav, state, widgets
from ui.pages import RESULTS


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
    st.session_state[state.STEP] = ids.index(st.session_state[state.JUMP])


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
        text=t("ui.assess.progress", lang, done=done_all, total=total_all, step=step + 1, steps=len(pillars)),
    )

    def pillar_label(pid: str) -> str:
        done, total = counts[pid]
        mark = "✓ " if total and done == total else ""
        index = _pillar_ids(questionnaire).index(pid) + 1
        return f"{mark}{index}. {questionnaire.pillar(pid).name.get(lang)} ({done}/{total})"

    st.selectbox(
        t("ui.assess.jump", lang), _pillar_ids(questionnaire), format_func=pillar_label, key=state.JUMP,
        on_change=_on_jump,
    )
    st.query_params[state.QP_PILLAR] = pillar.id

    st.subheader(f"{step + 1}. {pillar.name.get(lang)}")
    st.caption(pillar.description.get(lang))
    read_only = draft.status != "draft"
    hidden = 0
    for n, question in enumerate(questionnaire.questions_in(pillar.id), start=1):
        if not shown[question.id]:
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


def _set_status(change: Callable[..., object]) -> None:
    """Submit or reopen (``service.submit_assessment`` / ``reopen_assessment``), then reload the draft."""
    draft = autosave.current()
    if draft is None:
        return
    try:
        with data.session() as s:
            change(s, assessment_id=draft.assessment_id)
    except service.ServiceError as exc:  # e.g. someone else changed it meanwhile: say so, in the reader's language
        st.session_state[STATUS_REFUSED] = exc.text(state.lang())
    autosave.load(draft.assessment_id)


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
    if draft.status == "draft":
        st.caption(t("ui.assess.autosave", lang))
    else:
        st.info(t("ui.assess.submitted", lang), icon=":material/lock:")
        st.button(t("ui.assess.reopen", lang), key="assess.reopen", on_click=errors.guarded(_set_status),
                  args=(service.reopen_assessment,))
    pillar_step()
    if draft.status == "draft":
        with st.expander(t("ui.assess.submit_title", lang)):
            st.caption(t("ui.assess.submit_help", lang))
            st.button(t("ui.assess.submit", lang), key="assess.submit", on_click=errors.guarded(_set_status),
                      args=(service.submit_assessment,))
