"""Data exchange: the offline questionnaire workbook, and uploads of filled workbooks or JSON exports.

A regulator without the app fills the XLSX workbook and uploads it here; :mod:`exchange.upload` checks
the whole file before anything is written and imports it through the service. Nothing is imported on
a mere rerun: only the "Check and import" button imports, and its outcome is kept in the session under
the file's hash so it stays on screen until another file is chosen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment import service
from exchange.upload import Outcome, check_and_import, digest
from exchange.workbook import MAX_BYTES, build_workbook
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t
from refdata import country_name
from ui import auth, autosave, data, nav, state
from ui.pages import RESULTS

UPLOAD = "exchange.upload"
IMPORT = "exchange.import"
OUTCOME = "exchange.outcome"
PREFILL = "exchange.prefill"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refresh_draft(outcome: Outcome) -> None:
    """The session's own copy of an assessment the import changed is stale: read it again."""
    draft = st.session_state.get(state.DRAFT)
    if draft is not None and any(i.assessment_id == draft.assessment_id and i.changed for i in outcome.imported):
        autosave.load(draft.assessment_id)


# --- the page -------------------------------------------------------------------------------------------


def _offline(questionnaire: Questionnaire, lang: str) -> None:
    st.subheader(t("ui.exchange.offline_title", lang))
    st.markdown(t("ui.exchange.offline_help", lang, form_id=questionnaire.id, version=questionnaire.version))
    st.download_button(
        t("ui.exchange.download_blank", lang),
        data=lambda: build_workbook(questionnaire, lang),
        file_name=f"iot-readiness-{questionnaire.id}-{questionnaire.version}-{lang}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="exchange.blank",
        help=t("ui.exchange.download_blank_help", lang, language=languages()[lang]),
    )
    with data.session() as s:
        listed = service.list_assessments(s, questionnaire=questionnaire, actor=auth.actor())
        rows = [r for r in listed if not r.outdated]
    if not rows:
        return
    labels = {
        r.id: f"{country_name(r.country, lang)} · {r.cycle}"
        + (f" · {t('ui.home.illustrative_short', lang)}" if r.illustrative else "")
        for r in rows
    }
    pick_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
    picked = pick_col.selectbox(
        t("ui.exchange.prefill_pick", lang), list(labels), index=None, format_func=labels.__getitem__,
        placeholder=t("ui.exchange.prefill_placeholder", lang), key=PREFILL,
    )
    if picked is None or picked not in labels:
        return
    with data.session() as s:
        doc = service.get_document(s, str(picked), actor=auth.actor())
    button_col.download_button(
        t("ui.exchange.download_prefilled", lang),
        data=lambda: build_workbook(questionnaire, lang, doc),
        file_name=f"iot-readiness-{doc.country}-{doc.cycle}-{lang}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="exchange.prefilled",
    )


def _problems_table(outcome: Outcome, lang: str) -> None:
    table = pd.DataFrame(
        [
            {
                t(outcome.where_key, lang): p.where,
                t("ui.exchange.col_row", lang): "" if p.row is None else str(p.row),
                t("ui.exchange.col_question", lang): p.question_id,
                t("ui.exchange.col_problem", lang): p.text(lang),
            }
            for p in outcome.problems
        ]
    )
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={t("ui.exchange.col_problem", lang): st.column_config.TextColumn(width="large")},
    )


def _show(outcome: Outcome, lang: str) -> None:
    for item in outcome.imported:
        where = {"country": country_name(item.country, lang), "cycle": item.cycle}
        if item.created:
            st.success(t("ui.exchange.created", lang, changed=item.changed, **where), icon=":material/check_circle:")
        elif item.changed:
            st.success(t("ui.exchange.updated", lang, changed=item.changed, **where), icon=":material/check_circle:")
        else:
            st.info(t("ui.exchange.unchanged", lang, **where), icon=":material/info:")
    if outcome.message_key:
        args = dict(outcome.message_args)
        if "country" in args:
            args["country"] = country_name(str(args["country"]), lang)
        st.error(t(outcome.message_key, lang, name=outcome.name, **args), icon=":material/error:")
        if outcome.detail:
            st.caption(t("ui.exchange.detail", lang, detail=outcome.detail_in(lang)))
    if outcome.problems:
        _problems_table(outcome, lang)
    if outcome.not_reached:
        items = ", ".join(f"{country_name(c, lang)} {y}" for c, y in outcome.not_reached)
        st.warning(t("ui.exchange.not_reached", lang, items=items), icon=":material/warning:")
    for item in outcome.imported:
        if st.button(
            t("ui.exchange.open_results", lang, country=country_name(item.country, lang), cycle=item.cycle),
            key=f"exchange.results.{item.assessment_id}", icon=":material/monitoring:",
        ):
            autosave.load(item.assessment_id)
            nav.switch_page(RESULTS, assessment=item.assessment_id)


def _upload(questionnaire: Questionnaire, lang: str) -> None:
    st.subheader(t("ui.exchange.upload_title", lang))
    st.markdown(t("ui.exchange.upload_help", lang))
    uploaded = st.file_uploader(
        t("ui.exchange.uploader", lang), type=["xlsx", "json"], key=UPLOAD, max_upload_size=MAX_BYTES // 1_048_576,
    )
    if uploaded is None:
        return
    payload = uploaded.getvalue()
    if st.button(t("ui.exchange.import", lang), type="primary", key=IMPORT, icon=":material/upload:"):
        with st.spinner(t("ui.exchange.checking", lang)):
            outcome = check_and_import(questionnaire, uploaded.name, payload, data.session, actor=auth.actor())
        st.session_state[OUTCOME] = outcome
        _refresh_draft(outcome)
    shown: Outcome | None = st.session_state.get(OUTCOME)
    if shown is not None and shown.digest == digest(payload) and shown.name == uploaded.name:
        _show(shown, lang)
    else:
        st.caption(t("ui.exchange.ready", lang, name=uploaded.name))


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    st.title(t("ui.exchange.title", lang))
    st.caption(t("ui.exchange.intro", lang))
    with st.container(border=True):
        _offline(questionnaire, lang)
    with st.container(border=True):
        _upload(questionnaire, lang)
