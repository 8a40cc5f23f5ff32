"""Home's bulk zip of PDF profiles, made in the background so the page stays usable and can cancel it.

The zip is made by :mod:`reports.background` in a thread; this session keeps only the task id. A
fragment polls the task every second while it runs (only the fragment reruns, not the page), shows
its progress and a Cancel button, and, once it ends, reruns the page once so the polling stops.
"""

from __future__ import annotations

import re

import streamlit as st

from assessment import access, service
from assessment.filters import AssessmentFilter
from assessment.stamps import workflow_stamps
from questionnaires.messages import t
from reports import ProfileJob
from reports.background import ZipTask, get_task, start_zip
from ui import auth, data, downloads

TASK = "home.bulk_task"
POLLING = "home.bulk_polling"
MAKE = "home.bulk_make"
CANCEL = "home.bulk_cancel"
DOWNLOAD = "home.bulk_download"
OPEN = "home.bulk_open"  # the section, open or not (drawn only while open)
COUNTRIES = "home.bulk_countries"  # the Member States in the zip being made, for the audit trail
# A task's label that is a cycle: ASCII digits only ("²".isdigit() is True, and int("²") raises).
_YEAR = re.compile(r"[0-9]+")


def _status(task_id: str, lang: str) -> None:
    task = get_task(task_id)
    if task is None:
        return
    if not task.finished:
        st.progress(task.done / max(task.total, 1), text=t("ui.home.bulk_progress", lang, done=task.done,
                                                             total=task.total))
        if st.button(t("ui.home.bulk_cancel", lang), key=CANCEL, icon=":material/cancel:"):
            task.cancel()
            st.caption(t("ui.home.bulk_cancelling", lang))
        return
    if st.session_state.get(POLLING):
        st.session_state[POLLING] = False
        st.rerun()  # the whole page once more, so the fragment stops polling
    _finished(task, lang)


def _finished(task: ZipTask, lang: str) -> None:
    if task.state == "done" and task.result is not None:
        if task.failed:
            st.warning(t("ui.home.bulk_some_failed", lang, n=task.failed), icon=":material/warning:")
        made = task.result
        countries = st.session_state.get(COUNTRIES, [])
        told = downloads.Disclosure(what="zip", source="bulk_zip", countries=countries, count=len(countries),
                                    cycles=[int(task.label)] if _YEAR.fullmatch(task.label) else [])
        st.download_button(
            t("ui.home.bulk_download", lang), data=downloads.made_on_click(lambda _who: made, told),
            file_name=f"iot-readiness-profiles-{task.label}.zip",
            mime="application/zip", on_click="ignore", key=DOWNLOAD, icon=":material/download:",
        )
    elif task.state == "cancelled":
        st.info(t("ui.home.bulk_cancelled", lang, done=task.done, total=task.total), icon=":material/info:")
    else:
        st.error(t("ui.home.bulk_failed", lang), icon=":material/error:")


def _title_key() -> str:
    """The expander's words, for what this reader's zip holds (issue 20, point 5).

    The zip holds what the reader may export (``service.export_documents`` checks the actor), so it is offered
    to every role that may export, each told what they get: "every assessment of a cycle" to who exports across
    countries (adviser, administrator), "the assessments you can read" to a focal point, contributor or viewer,
    whose zip holds their own country's only (a viewer may read and export every assessment of their country).
    """
    actor = access.as_actor(auth.actor())
    wide = any(access.MATRIX["export"].get(g.role) in ("all", "submitted") for g in actor.grants)
    return "ui.home.bulk_title" if wide else "ui.home.bulk_title_own"


def bulk_profiles(rows: list[service.AssessmentSummary], lang: str) -> None:
    """Every profile of one cycle the reader may export, as a zip made in the background, with progress and
    cancel; its title says whose profiles they are (see :func:`_title_key`)."""
    cycles = sorted({r.cycle for r in rows}, reverse=True)
    # Drawn only while open (a click reruns the page): folded, its picker and button were still sent (issue 26).
    # A zip being made or made in this session keeps it open, with its progress or its download.
    task = get_task(st.session_state.get(TASK))
    if task is not None and OPEN not in st.session_state:
        st.session_state[OPEN] = True
    section = st.expander(t(_title_key(), lang), icon=":material/folder_zip:", key=OPEN, on_change="rerun")
    if not section.open:
        return
    with section:
        cycle = st.selectbox(t("ui.home.cycle", lang), cycles, key="home.bulk_cycle")
        task = get_task(st.session_state.get(TASK))
        running = task is not None and not task.finished
        if st.button(t("ui.home.bulk_make", lang), key=MAKE, disabled=running):
            with data.session() as s:
                wanted = AssessmentFilter(questionnaire=data.questionnaire(), cycle=cycle)
                docs = service.export_documents(s, wanted, actor=auth.actor())
                stamps = workflow_stamps(s, docs, actor=auth.actor())  # "validated by … on …" (issue 20)
                # Each profile's documents annex, as the single profile has it (issue 25); fpdf2 loads only now
                from reports.evidence_annex import profile_documents

                annexes = profile_documents(s, docs=docs, questionnaire=data.questionnaire(), lang=lang,
                                                     actor=auth.actor())
            task = start_zip([ProfileJob(doc=d, lang=lang, workflow=w, documents=a)
                              for d, w, a in zip(docs, stamps, annexes, strict=True)],
                             questionnaire=data.questionnaire(), label=str(cycle))
            st.session_state[TASK] = task.id
            st.session_state[COUNTRIES] = sorted({d.country for d in docs})
            running = True
        if task is None or (task.finished and task.label != str(cycle)):
            return
        st.session_state[POLLING] = running
        st.fragment(_status, run_every=1.0 if running else None)(task.id, lang)
