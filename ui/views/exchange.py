"""Data exchange: the offline questionnaire workbook, and uploads of filled workbooks or JSON exports.

A regulator without the app fills the XLSX workbook and uploads it here; :mod:`exchange.upload` checks
the whole file before anything is written and shows the import plan (per question, saved value -> file
value, and what stays untouched). Only "Save these changes" writes, and only if nothing was saved in
between (else the new plan is shown). Nothing is imported on a mere rerun; the outcome is kept in the
session under the file's hash so it stays on screen until another file is chosen.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from assessment import service
from assessment.evidence import evidence_by_question
from assessment.filters import AssessmentFilter
from exchange.plan import ImportPlan, changes_text, plan_rows, plan_summary, problem_text, question_label
from exchange.upload import MAX_UPLOAD_MB, Located, Outcome, Refused, apply_plans, check_and_plan, digest
from exchange.workbook import MAX_BYTES, build_workbook
from formatting.markdown import inline_escape
from formatting.numbers import MISSING, fmt_count, fmt_decimal
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, t
from refdata import country_name
from ui import auth, autosave, data, downloads, nav, readonly, state
from ui.pages import RESULTS

UPLOAD = "exchange.upload"
IMPORT = "exchange.import"
CONFIRM = "exchange.confirm"
CANCEL = "exchange.cancel"
OUTCOME = "exchange.outcome"
BULK = "exchange.bulk"  # a large export's check: {"digest", "name", "plan" | "outcome" | "done"}
PREFILL = "exchange.prefill"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refresh_draft(outcome: Outcome) -> None:
    """The session's own copy of an assessment the import changed is stale: read it again."""
    draft = st.session_state.get(state.DRAFT)
    if draft is not None and any(i.assessment_id == draft.assessment_id and i.changed for i in outcome.imported):
        with contextlib.suppress(autosave.Unsaved):  # its unsaved changes stay in their boxes, retried on Assess
            autosave.load(draft.assessment_id)


# --- the page -------------------------------------------------------------------------------------------


def _offline(questionnaire: Questionnaire, lang: str) -> None:
    st.subheader(t("ui.exchange.offline_title", lang))
    st.markdown(t("ui.exchange.offline_help", lang, title=questionnaire.meta.title.get(lang),
                  version=questionnaire.version))
    st.download_button(
        t("ui.exchange.download_blank", lang),
        data=downloads.made_on_click(lambda _who: build_workbook(questionnaire, lang), None),  # no country data
        file_name=f"iot-readiness-{questionnaire.id}-{questionnaire.version}-{lang}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="exchange.blank",
        help=t("ui.exchange.download_blank_help", lang, language=languages()[lang]),
    )
    with data.session() as s:
        listed = service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire), actor=auth.actor())
        rows = [r for r in listed if not r.outdated]
    if not rows:
        return
    labels = {
        r.id: t("ui.assessment_name", lang, country=country_name(r.country, lang), cycle=r.cycle)
        + (f" · {t('ui.home.illustrative_short', lang)}" if r.illustrative else "")
        for r in rows
    }
    pick_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
    state.reword(PREFILL, lang)
    picked = pick_col.selectbox(
        t("ui.exchange.prefill_pick", lang), list(labels), index=None, format_func=labels.__getitem__,
        placeholder=t("ui.exchange.prefill_placeholder", lang), key=PREFILL,
    )
    if picked is None or picked not in labels:
        return
    with data.session() as s:
        doc = service.get_document(s, str(picked), actor=auth.actor())
        # The documents attached to each answer, named in the workbook's read-only documents column.
        documents = evidence_by_question(s, assessment_ids=[str(picked)], actor=auth.actor()).get(str(picked), {})
    button_col.download_button(
        t("ui.exchange.download_prefilled", lang),
        data=downloads.made_on_click(
            lambda _who: build_workbook(questionnaire, lang, doc, documents=documents),  # read as the user, above
            downloads.Disclosure(what="xlsx", source="workbook", countries=[doc.country], count=1,
                                 assessment_ids=[str(picked)], cycles=[doc.cycle]),
        ),
        file_name=f"iot-readiness-{doc.country}-{doc.cycle}-{lang}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="exchange.prefilled",
    )


def _whole_file(problem: Located) -> bool:
    return not problem.where and problem.row is None and not problem.question_id


def _problems_table(questionnaire: Questionnaire, outcome: Outcome, lang: str) -> None:
    """The located problems in a table that wraps (a long message is read in full, not cut at the cell's edge).

    A problem of the whole file (no sheet, row or question, e.g. a JSON file nested too deep, or the "and N
    more" line) is said as a message: a table row for it would be three empty cells and a cut sentence.
    Columns empty for every row (no row numbers in a JSON file) are left out.
    """
    located = [p for p in outcome.problems if not _whole_file(p)]
    whole = [p for p in outcome.problems if _whole_file(p)]
    if located:
        table = pd.DataFrame(
            [
                {
                    t(outcome.where_key, lang): p.where,
                    t("ui.exchange.col_row", lang): "" if p.row is None else str(p.row),
                    # The question's number and text, as the reader knows it (never its internal id).
                    t("ui.exchange.col_question", lang): question_label(questionnaire, p.question_id, lang)
                    if p.question_id else "",
                    t("ui.exchange.col_problem", lang): p.text(lang),
                }
                for p in located
            ]
        )
        table = table.loc[:, [c == t("ui.exchange.col_problem", lang) or table[c].ne("").any() for c in table]]
        # st.table renders Markdown in its cells, and a sheet name or a cell quoted in a problem is the file's
        # author's text: every cell is shown as typed.
        st.table(table.map(inline_escape), hide_index=True, border="horizontal")
    for p in whole:
        st.markdown(f"- {inline_escape(p.text(lang))}")


def _show(questionnaire: Questionnaire, outcome: Outcome, lang: str) -> None:
    for item in outcome.imported:
        where = {"country": country_name(item.country, lang), "cycle": item.cycle}
        said = {"n": item.changed, "changes": changes_text(item.changed, item.questions, lang)}  # as the plan said
        if item.created:
            st.success(t("ui.exchange.created", lang, **said, **where), icon=":material/check_circle:")
        elif item.changed:
            st.success(t("ui.exchange.updated", lang, **said, **where), icon=":material/check_circle:")
        else:
            st.info(t("ui.exchange.unchanged", lang, **where), icon=":material/info:")
    if outcome.message_key == "ui.plan.cancelled":
        st.info(t(outcome.message_key, lang), icon=":material/info:")
    elif outcome.message_key:
        args = dict(outcome.message_args)
        if "country" in args:
            args["country"] = country_name(str(args["country"]), lang)
        st.error(t(outcome.message_key, lang, name=inline_escape(outcome.name or ""), **args), icon=":material/error:")
        if outcome.detail:
            st.caption(t("ui.exchange.detail", lang, detail=inline_escape(outcome.detail_in(lang) or "")))
    if outcome.problems:
        _problems_table(questionnaire, outcome, lang)
    if outcome.not_reached:
        items = ", ".join(f"{country_name(c, lang)} {y}" for c, y in outcome.not_reached)
        st.warning(t("ui.exchange.not_reached", lang, items=items), icon=":material/warning:")
    for item in outcome.imported:
        _results_link(item.assessment_id, item.country, item.cycle, lang)


def _results_link(assessment_id: str, country: str, cycle: int, lang: str) -> None:
    if st.button(
        t("ui.exchange.open_results", lang, country=country_name(country, lang), cycle=cycle),
        key=f"exchange.results.{assessment_id}", icon=":material/monitoring:",
    ):
        try:
            autosave.load(assessment_id)
        except autosave.Unsaved as exc:  # changes to the open assessment wait for the database: kept
            st.error(exc.text(lang), icon=":material/sync_problem:")
            return
        nav.switch_page(RESULTS, assessment=assessment_id)


def _plan(questionnaire: Questionnaire, plan: ImportPlan, lang: str, i: int) -> None:
    """One assessment's plan: the summary, the changes table, what stays untouched, or why it cannot apply."""
    where = {"country": country_name(plan.patch.country, lang), "cycle": plan.patch.cycle}
    if plan.refusal is not None:
        st.error(t("ui.plan.refused", lang, reason=plan.refusal.text(lang), **where), icon=":material/block:")
        return
    if plan.problems:
        st.error(t("ui.plan.problems", lang, n=len(plan.problems), **where), icon=":material/error:")
        for p in plan.problems:
            st.markdown(f"- {inline_escape(problem_text(questionnaire, p, lang))}")
        return
    if not plan.changes:
        st.info(t("ui.plan.nothing", lang, **where), icon=":material/info:")
        if plan.assessment_id is not None:  # nothing to save: the reader may still want to see that assessment
            _results_link(plan.assessment_id, plan.patch.country, plan.patch.cycle, lang)
        return
    st.markdown(plan_summary(plan, lang, **where))
    rows = plan_rows(questionnaire, plan, lang)
    # A static table that wraps: a grid cut "In the file" at the cell's edge (issue 20.14); values are text.
    st.table(
        pd.DataFrame([{t(f"ui.plan.col_{k}", lang): r[k] or MISSING for k in ("question", "part", "saved", "file")}
                      for r in rows]),
        hide_index=True, border="horizontal",
    )
    if plan.untouched:
        with st.expander(t("ui.plan.untouched", lang, n=len(plan.untouched))):
            st.markdown("\n".join(f"- {question_label(questionnaire, q, lang)}" for q in plan.untouched))


def _plans(questionnaire: Questionnaire, outcome: Outcome, lang: str) -> None:
    """The plans waiting for a yes, with the buttons that apply or drop them."""
    if not outcome.plans:
        return
    st.subheader(t("ui.plan.title", lang))
    for country, cycle in outcome.changed_since:
        st.warning(t("ui.plan.changed", lang, country=country_name(country, lang), cycle=cycle),
                   icon=":material/sync_problem:")
    for i, plan in enumerate(outcome.plans):
        with st.container(border=True):
            _plan(questionnaire, plan, lang, i)
    if not any(p.ready and p.changes for p in outcome.plans):
        return
    ok_col, cancel_col = st.columns([2, 1])
    if ok_col.button(t("ui.plan.confirm", lang), type="primary", key=CONFIRM, icon=":material/save:"):
        done = apply_plans(questionnaire, outcome, data.session, actor=auth.actor())
        done.plans = [p for p in done.plans if p.changes or not p.ready]
        st.session_state[OUTCOME] = done
        _refresh_draft(done)
        st.rerun()
    if cancel_col.button(t("ui.plan.cancel", lang), key=CANCEL, icon=":material/close:"):
        st.session_state[OUTCOME] = Outcome(digest=outcome.digest, name=outcome.name, message_key="ui.plan.cancelled")
        st.rerun()


def _upload(questionnaire: Questionnaire, lang: str) -> None:
    st.subheader(t("ui.exchange.upload_title", lang))
    st.markdown(t("ui.exchange.upload_help", lang))
    st.caption(t("ui.exchange.upload_limit", lang, limit=MAX_UPLOAD_MB, workbook=MAX_BYTES // 1_048_576))
    uploaded = st.file_uploader(
        t("ui.exchange.uploader", lang), type=["xlsx", "json"], key=UPLOAD, max_upload_size=MAX_UPLOAD_MB,
    )
    if uploaded is None:
        return
    if uploaded.size > MAX_UPLOAD_MB * 1_048_576:  # the server refuses it first; a test client does not
        st.error(t("ui.exchange.too_big_upload", lang, name=inline_escape(uploaded.name),
                   size=fmt_decimal(uploaded.size / 1_048_576, lang, ".1f"), limit=MAX_UPLOAD_MB),
                 icon=":material/error:")
        return
    if uploaded.size > MAX_BYTES and uploaded.name.lower().endswith(".json"):  # an export of many assessments
        _large(questionnaire, uploaded, lang)
        return
    payload = uploaded.getvalue()
    if st.button(t("ui.exchange.import", lang), type="primary", key=IMPORT, icon=":material/upload:"):
        with st.spinner(t("ui.exchange.checking", lang)):
            outcome = check_and_plan(questionnaire, uploaded.name, payload, data.session, actor=auth.actor())
        st.session_state[OUTCOME] = outcome
    shown: Outcome | None = st.session_state.get(OUTCOME)
    if shown is not None and shown.digest == digest(payload) and shown.name == uploaded.name:
        _show(questionnaire, shown, lang)
        _plans(questionnaire, shown, lang)
    else:
        st.caption(t("ui.exchange.ready", lang, name=inline_escape(uploaded.name)))


# --- a large JSON export: streamed to a temporary file, checked and written in two readings --------------------


def _spooled(uploaded: UploadedFile, folder: str) -> Path:
    """The upload copied to a temporary file a megabyte at a time (the streaming reader reads a file)."""
    path = Path(folder) / "upload.json"
    uploaded.seek(0)
    with path.open("wb") as fh:
        shutil.copyfileobj(uploaded, fh, 1_048_576)
    return path


def _bar(text: str) -> Callable[[float], None]:
    """A progress bar with ``text``, redrawn at each whole percent (not once per assessment)."""
    bar = st.progress(0.0, text=text)
    shown = [0]

    def step(done: float) -> None:
        percent = min(int(done * 100), 100)
        if percent != shown[0]:
            shown[0] = percent
            bar.progress(percent / 100, text=text)

    return step


def _refusal(name: str, file_digest: str, exc: Exception) -> Outcome:
    """What to show when a large file is refused: its located problems, or why this person may not import it."""
    outcome = Outcome(digest=file_digest, name=name)
    if isinstance(exc, Refused):
        outcome.message_key, outcome.message_args = exc.key, exc.args_
        outcome.detail, outcome.problems, outcome.where_key = exc.detail, exc.problems, exc.where_key
    elif isinstance(exc, service.ServiceError):
        if exc.reason is not None and exc.reason.code == "svc_import_country":
            outcome.message_key = "ui.exchange.refused_country"
        else:
            outcome.message_key = "ui.exchange.refused"
            outcome.detail = str(exc)
            outcome.detail_texts = tuple((lg, exc.text(lg)) for lg in languages())
        patch = getattr(exc, "patch", None)  # the assessment it was refused on (exchange.bulk.Planner)
        outcome.message_args = {"country": patch.country, "cycle": patch.cycle} if patch else {"country": "?",
                                                                                            "cycle": ""}
    return outcome


def _large(questionnaire: Questionnaire, uploaded: UploadedFile, lang: str) -> None:
    """An export over 20 MB: the plan as one line per assessment and the totals, saved whole or not at all."""
    from exchange.bulk import FileChanged, FilePlan, plan_file, write_file
    from exchange.plan import PlanChanged, PlanRefused

    file_digest = hashlib.sha256(uploaded.getbuffer()).hexdigest()  # the upload's own bytes, not a copy
    name = uploaded.name
    if st.button(t("ui.exchange.import", lang), type="primary", key=IMPORT, icon=":material/upload:"):
        held: dict[str, Any] = {"digest": file_digest, "name": name}
        with tempfile.TemporaryDirectory() as folder:
            try:
                held["plan"] = plan_file(questionnaire, _spooled(uploaded, folder), data.session,
                                         actor=auth.actor(), progress=_bar(t("ui.exchange.checking", lang)))
            except (Refused, service.ServiceError) as exc:
                held["outcome"] = _refusal(name, file_digest, exc)
        st.session_state[BULK] = held
    held = st.session_state.get(BULK) or {}
    if held.get("digest") != file_digest or held.get("name") != name:
        st.caption(t("ui.exchange.ready", lang, name=inline_escape(name)))
        return
    if "outcome" in held:
        _show(questionnaire, held["outcome"], lang)
        return
    if "done" in held:
        n, created = held["done"]
        st.success(t("ui.exchange.bulk_done", lang, name=inline_escape(name), n=fmt_count(n, lang),
                     created=fmt_count(created, lang), changed=fmt_count(n - created, lang)),
                   icon=":material/check_circle:")
        return
    plan: FilePlan = held["plan"]
    if plan.refused is not None:
        where = {"country": country_name(plan.refused.patch.country, lang), "cycle": plan.refused.patch.cycle}
        st.error(t("ui.exchange.bulk_refused", lang, name=inline_escape(name), n=plan.refused_n, **where),
                 icon=":material/error:")
        with st.container(border=True):
            _plan(questionnaire, plan.refused, lang, 0)
        return
    st.subheader(t("ui.plan.title", lang))
    st.markdown(plan.totals(lang))
    st.dataframe(pd.DataFrame({t("ui.exchange.bulk_col", lang): [plan.line_text(x, lang) for x in plan.lines]}),
                 hide_index=True, use_container_width=True)
    if not plan.stamps:
        st.info(t("ui.exchange.bulk_nothing", lang, name=inline_escape(name)), icon=":material/info:")
        return
    ok_col, cancel_col = st.columns([2, 1])
    if cancel_col.button(t("ui.plan.cancel", lang), key=CANCEL, icon=":material/close:"):
        st.session_state[BULK] = {"digest": file_digest, "name": name,
                                  "outcome": Outcome(digest=file_digest, name=name, message_key="ui.plan.cancelled")}
        st.rerun()
    if not ok_col.button(t("ui.plan.confirm", lang), type="primary", key=CONFIRM, icon=":material/save:"):
        return
    with tempfile.TemporaryDirectory() as folder:
        try:
            results = write_file(questionnaire, _spooled(uploaded, folder), plan, data.session, actor=auth.actor(),
                                 progress=_bar(t("ui.exchange.saving", lang)))
        except FileChanged:
            held = {**held, "outcome": Outcome(digest=file_digest, name=name,
                                               message_key="ui.exchange.bulk_file_changed")}
        except PlanChanged as exc:
            held = {**held, "outcome": Outcome(digest=file_digest, name=name, message_key="ui.exchange.bulk_changed",
                                               message_args={"country": exc.plan.patch.country,
                                                             "cycle": exc.plan.patch.cycle})}
        except PlanRefused as exc:
            held = {**held, "outcome": Outcome(digest=file_digest, name=name, message_key="ui.exchange.refused",
                                               message_args={"country": exc.plan.patch.country,
                                                             "cycle": exc.plan.patch.cycle})}
        except (Refused, service.ServiceError) as exc:
            held = {**held, "outcome": _refusal(name, file_digest, exc)}
        else:
            created = sum(1 for _, r in results if r.created)
            held = {**held, "done": (len(results), created)}
            draft = st.session_state.get(state.DRAFT)
            if draft is not None and any(r.assessment_id == draft.assessment_id for _, r in results):
                autosave.load(draft.assessment_id)
    st.session_state[BULK] = held
    st.rerun()


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    st.title(t("ui.exchange.title", lang))
    st.caption(t("ui.exchange.intro", lang))
    with st.container(border=True):
        _offline(questionnaire, lang)
    why = readonly.import_reason(auth.actor(), lang)
    if why is not None:  # no upload box to a role whose every file would be refused
        st.info(why, icon=":material/lock:")
        return
    with st.container(border=True):
        _upload(questionnaire, lang)
