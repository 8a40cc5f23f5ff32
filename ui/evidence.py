"""Evidence documents under one answer on the Assess page: the list, download, remove, and attach.

Called from :func:`ui.widgets.render_question` (one line), so the page itself stays as it was. The limits
and what is refused are said before the upload, in the reader's language; the uploader's ``type=`` lets
the browser hide other files where it can, and the service decides by content anyway
(:mod:`assessment.evidence`). Downloads are ``st.download_button`` (``Content-Disposition: attachment``)
under the stored safe name, built on click as the user who was shown the button, and audited by the
service; nothing is ever shown inline. Read-only where the answer is: a viewer, an adviser, or a handed-in
assessment gets the list and the downloads only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from assessment import evidence
from assessment.access import ActorLike
from assessment.evidence_checks import EXTENSIONS, KINDS, megabytes
from assessment.service import ServiceError
from formatting.numbers import fmt_decimal
from questionnaires.loader import Question, Questionnaire
from questionnaires.messages import t
from ui import auth, autosave, data, downloads, errors, state

if TYPE_CHECKING:
    from reports.evidence_annex import Annex

MESSAGES = "evidence.messages"  # question id -> [(kind, text)] shown once, after an attach or a removal


def _key(question_id: str, part: str) -> str:
    return f"evidence.{question_id}.{part}"


def open_key(question_id: str) -> str:
    """The key of the question's documents section (open or not)."""
    return _key(question_id, "open")


def _size(n: int, lang: str) -> str:
    unit = t("ui.evidence.kb", lang) if n < 1024 * 1024 else t("ui.evidence.mb", lang)
    value = n / 1024 if n < 1024 * 1024 else n / (1024 * 1024)
    return t("ui.evidence.size", lang, value=fmt_decimal(value, lang, ".1f"), unit=unit)


def _say(question_id: str, kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, {}).setdefault(question_id, []).append((kind, text))


def panel(questionnaire: Questionnaire, question: Question, lang: str, *, read_only: bool) -> None:
    """The documents of ``question``'s answer, and (unless ``read_only``) the form to attach more."""
    draft = autosave.current()
    if draft is None:
        return
    aid = draft.assessment_id
    try:
        with data.session() as s:
            files = evidence.list_evidence(s, assessment_id=aid, question_id=question.id, actor=auth.actor())
    except DBAPIError:  # the database went away: the answer's box still works (autosave waits), so do not fail it
        st.caption(t("ui.evidence.unreachable", lang))
        return
    if read_only and not files:  # nothing to read and nothing the reader may do: no section (issue 26)
        return
    label = t("ui.evidence.heading", lang)  # fixed: a label holding the count would re-mount (fold) on change
    # Drawn only while open (a click reruns the pillar): folded, its list and upload form were still sent for
    # every question (issue 26). A message from an attach or a removal opens it.
    if st.session_state.get(MESSAGES, {}).get(question.id):
        st.session_state[open_key(question.id)] = True
    section = st.expander(label, icon=":material/attach_file:", key=open_key(question.id), on_change="rerun")
    if section.open:
        with section:
            for kind, text in st.session_state.get(MESSAGES, {}).pop(question.id, []):
                (st.success if kind == "ok" else st.error)(text)
            if not files:
                st.caption(t("ui.evidence.none", lang))
            for f in files:
                _row(aid, f, lang, read_only=read_only, questionnaire=questionnaire)
            if not read_only:
                _attach_form(aid, questionnaire, question, lang)
    if files:
        st.caption(t("ui.evidence.count", lang, n=len(files)))


def _row(aid: str, f: evidence.EvidenceView, lang: str, *, read_only: bool, questionnaire: Questionnaire) -> None:
    with st.container(key=_key(f.question_id, f"file-{f.id}")):
        ref = t("ui.evidence.reference_shown", lang, reference=f.reference) if f.reference else ""
        st.markdown(f"**{_escape(f.title)}**{_escape(ref)}")
        st.caption(t("ui.evidence.meta", lang, name=_escape(f.filename), size=_size(f.size, lang),
                     by=_escape(f.added_by), date=f.added_at.strftime("%Y-%m-%d"), sha=f.sha256[:12]))
        left, right = st.columns(2)
        left.download_button(
            t("ui.evidence.open", lang), key=_key(f.question_id, f"open-{f.id}"), file_name=f.filename,
            mime=f.media_type, on_click="ignore", icon=":material/download:",
            data=downloads.made_on_click(_opener(aid, f.id), None),
        )
        if not read_only:
            right.button(t("ui.evidence.remove", lang), key=_key(f.question_id, f"remove-{f.id}"),
                         icon=":material/delete:", on_click=errors.guarded(_remove),
                         args=(aid, questionnaire, f.id, f.question_id, f.title))


def _escape(text: str) -> str:
    """User text shown as text in markdown (no link, no emphasis, no HTML)."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|~$" else c for c in text)


def _opener(aid: str, evidence_id: str) -> Callable[[ActorLike], bytes]:
    def build(who: ActorLike) -> bytes:
        with data.session() as s:
            return evidence.open_evidence(s, assessment_id=aid, evidence_id=evidence_id, actor=who).read()

    return build


def _remove(aid: str, questionnaire: Questionnaire, evidence_id: str, question_id: str, title: str) -> None:
    lang = state.lang()
    try:
        with data.session() as s:
            evidence.remove_evidence(s, assessment_id=aid, questionnaire=questionnaire, evidence_id=evidence_id,
                                     actor=auth.actor())
    except ServiceError as exc:
        _say(question_id, "error", exc.text(lang))
        return
    _say(question_id, "ok", t("ui.evidence.removed", lang, title=title))


def _attach_form(aid: str, questionnaire: Questionnaire, question: Question, lang: str) -> None:
    with data.session() as s:
        used, lim = evidence.evidence_usage(s, assessment_id=aid, actor=auth.actor())
    st.caption(t("ui.evidence.limits", lang, kinds=", ".join(k.upper() for k in KINDS), file=megabytes(lim.file),
                 total=megabytes(lim.assessment), used=megabytes(used)))
    generation = int(st.session_state.get(_key(question.id, "generation"), 0))
    uploads = st.file_uploader(
        t("ui.evidence.choose", lang), type=list(EXTENSIONS), accept_multiple_files=True,
        key=_key(question.id, f"upload-{generation}"),
    )
    if not uploads:
        return
    for n, up in enumerate(uploads):
        stem = up.name.rsplit(".", 1)[0] if "." in up.name else up.name
        st.text_input(t("ui.evidence.title", lang, name=up.name), value=stem[:200],
                      key=_key(question.id, f"title-{generation}-{n}"))
        st.text_input(t("ui.evidence.reference", lang), key=_key(question.id, f"ref-{generation}-{n}"),
                      placeholder=t("ui.evidence.reference_placeholder", lang))
    st.button(t("ui.evidence.attach", lang, n=len(uploads)), key=_key(question.id, "attach"), type="primary",
              icon=":material/upload_file:", on_click=errors.guarded(_attach),
              args=(aid, questionnaire, question.id, generation))


def _attach(aid: str, questionnaire: Questionnaire, question_id: str, generation: int) -> None:
    """Attach every chosen file; each refusal is said with the file's name, the others are kept."""
    lang = state.lang()
    ss = st.session_state
    uploads = ss.get(_key(question_id, f"upload-{generation}")) or []
    refused = 0
    for n, up in enumerate(uploads):
        title = ss.get(_key(question_id, f"title-{generation}-{n}"))
        reference = ss.get(_key(question_id, f"ref-{generation}-{n}"))
        try:
            up.seek(0)
            with data.session() as s:
                view = evidence.add_evidence(s, assessment_id=aid, questionnaire=questionnaire,
                                             question_id=question_id, data=up, filename=up.name, title=title,
                                             reference=reference, actor=auth.actor())
        except ServiceError as exc:
            refused += 1
            _say(question_id, "error", t("ui.evidence.refused", lang, name=_escape(up.name), why=exc.text(lang)))
            continue
        _say(question_id, "ok", t("ui.evidence.attached", lang, title=_escape(view.title)))
    if not refused:  # a fresh uploader; with a refusal the files stay chosen, to fix a title and try again
        ss[_key(question_id, "generation")] = generation + 1


# --- Review: the adviser sees each answer's documents and may query a missing or insufficient one -------------


def review_files(session: Session, assessment_id: str, actor: ActorLike) -> dict[str, list[evidence.EvidenceView]]:
    """Every live document of the assessment by question, read once for the whole Review page."""
    return evidence.evidence_by_question(session, assessment_ids=[assessment_id], actor=actor).get(assessment_id, {})


def review_panel(assessment_id: str, question_id: str, files: list[evidence.EvidenceView], lang: str, *,
                 query_box: str | None) -> None:
    """The answer's documents (download only) and, for who may query, a ready query about the documents."""
    if files:
        st.markdown(t("ui.evidence.review_files", lang, n=len(files)))
        for f in files:
            ref = t("ui.evidence.reference_shown", lang, reference=f.reference) if f.reference else ""
            left, right = st.columns([3, 1])
            left.markdown(f"- **{_escape(f.title)}**{_escape(ref)}  \n"
                          f"  {t('ui.evidence.meta', lang, name=_escape(f.filename), size=_size(f.size, lang), by=_escape(f.added_by), date=f.added_at.strftime('%Y-%m-%d'), sha=f.sha256[:12])}")  # noqa: E501
            right.download_button(
                t("ui.evidence.open", lang), key=f"review.evidence.open.{f.id}", file_name=f.filename,
                mime=f.media_type, on_click="ignore", icon=":material/download:",
                data=downloads.made_on_click(_opener(assessment_id, f.id), None),
            )
    else:
        st.caption(t("ui.evidence.review_none", lang))
    if query_box is not None:
        template = "ui.evidence.query_insufficient" if files else "ui.evidence.query_missing"
        st.button(t(f"{template}_button", lang), key=f"review.evidence.query.{question_id}",
                  icon=":material/attach_file:", on_click=_prefill, args=(query_box, t(template, lang)))


def _prefill(box: str, text: str) -> None:
    """Put a ready query about the documents in the question's query box, for the adviser to adjust and send."""
    st.session_state[box] = text


# --- the PDF profile's annex ---------------------------------------------------------------------------------


def pdf_documents(assessment_id: str, questionnaire: Questionnaire, lang: str, *,
                  actor: ActorLike) -> Annex:
    """Each answer's documents for the profile's annex, in questionnaire order (``actor`` given: this runs
    inside the PDF download's callable, outside the script run; see :mod:`ui.downloads`)."""
    from reports.evidence_annex import annex

    with data.session() as s:
        by_question = evidence.evidence_by_question(s, assessment_ids=[assessment_id], actor=actor).get(
            assessment_id, {})
    return annex(by_question, questionnaire, lang)
