"""Home's "Delete" for one assessment: asks first, deletes softly (restorable with the command line).

Deletion needs a confirmation: a dialog names the assessment and says it can be restored with
``iotready assessments restore``; only its "Delete" button deletes. The version the list showed is
checked, so an assessment someone changed meanwhile is not deleted on stale information.
"""

from __future__ import annotations

import streamlit as st

from assessment import history, service, workflow
from questionnaires.messages import t
from ui import auth, data, state

OPEN = "home.delete"
CONFIRM = "home.delete_confirm"
CANCEL = "home.delete_cancel"
DONE = "home.deleted"
PENDING = "home.delete_pending"  # (id, label, version, handed in) while the dialog is open, so any rerun keeps it
REASON = "home.delete_reason"


def _dismiss() -> None:
    st.session_state.pop(PENDING, None)
    st.session_state.pop(REASON, None)


@st.dialog(" ", width="medium", on_dismiss=_dismiss)
def _confirm(assessment_id: str, label: str, version: int, lang: str, handed_in: bool) -> None:
    st.markdown(t("ui.home.delete_question", lang, label=label))
    st.caption(t("ui.home.delete_help", lang, id=assessment_id))
    why = ""
    if handed_in:  # only an administrator may, with a reason the audit trail keeps (the service decides)
        why = st.text_area(t("ui.home.delete_reason", lang), key=REASON, max_chars=history.MAX_REASON,
                           help=t("ui.home.delete_reason_help", lang))
    ok, cancel = st.columns(2)
    if ok.button(t("ui.home.delete_confirm", lang), type="primary", key=CONFIRM, icon=":material/delete:"):
        try:
            with data.session() as s:
                history.delete_assessment(s, assessment_id=assessment_id, reason=why or None,
                                          expected_version=version, actor=auth.actor())
        except service.ServiceError as exc:
            # The dialog stays open with the refusal in words: a missing reason can be written and sent again.
            st.error(t("ui.home.delete_failed", lang, detail=exc.text(lang)), icon=":material/error:")
            return
        _dismiss()
        if st.session_state.get(state.ASSESSMENT_ID) == assessment_id:  # it was open: close it
            for key in (state.ASSESSMENT_ID, state.DRAFT):
                st.session_state.pop(key, None)
            st.query_params.pop(state.QP_ASSESSMENT, None)
        st.session_state[DONE] = (label, assessment_id)
        st.rerun()
    if cancel.button(t("ui.plan.cancel", lang), key=CANCEL):
        _dismiss()
        st.rerun()


def delete_button(container: st.delta_generator.DeltaGenerator, assessment_id: str, label: str, version: int,
                  lang: str, *, status: str = "draft") -> None:
    """The Delete button (in ``container``) and, after a deletion, the line that says how to undo it.

    A handed-in assessment (``status``) asks for the reason an administrator must give; for anyone else the
    service refuses in words, shown in the dialog.
    """
    if container.button(t("ui.home.delete", lang), key=OPEN, icon=":material/delete:"):
        st.session_state[PENDING] = (assessment_id, label, version, status in workflow.HANDED_IN)
    pending = st.session_state.get(PENDING)
    if pending:
        pending_id, pending_label, pending_version, handed_in = pending
        _confirm(pending_id, pending_label, pending_version, lang, handed_in)
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(t("ui.home.deleted", lang, label=done[0], id=done[1]), icon=":material/delete:")
