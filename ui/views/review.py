"""Review: the validation workflow's moves and the query threads per question (multi-user mode).

Advisers take a submitted assessment into review, open queries on questions, return it with its
queries, resolve them, validate and publish; the country's focal point and contributors read the
queries and reply. Which buttons appear follows the permission matrix, and the services check again.
"""

from __future__ import annotations

import streamlit as st

from answers.document import Answer
from assessment import access, review, service, workflow
from assessment.access import ActorLike
from assessment.filters import AssessmentFilter
from assessment.service import AssessmentSummary, ServiceError
from formatting.markdown import answer_label, inline_escape
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question
from questionnaires.references import question_number
from refdata import country_name
from ui import auth, data, state
from ui import evidence as evidence_ui

PICK = "review.pick"
NOTE = "review.note"
CONFIRM_OPEN = "review.confirm_open"
SEEN_OPEN = "review.seen_open"  # (assessment id, the open queries on screen when the box was ticked)
# The question whose query was just added, answered or resolved: its expander stays open after the rerun (its label
# changes with the open count, so Streamlit would otherwise draw it anew, folded).
FOCUS = "review.focus"
SENT = "review.sent"  # the box whose text was just sent, emptied on the next run before it is drawn
# The sticky line naming the country under review (its container's key gives it the CSS class below).
CURRENT = "review-current"
# Sticky on the wrapper Streamlit puts around a keyed container when there is one (sticky on the container alone
# cannot move inside a wrapper of its own height), else on the container itself.
_STICKY = f"""<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{CURRENT}), [data-testid="stElementContainer"]:has(> .st-key-{CURRENT}),
.st-key-{CURRENT} {{ position: sticky; top: 3.75rem; z-index: 999; background: var(--background-color, #fff); }}
.st-key-{CURRENT} {{ padding: .35rem 0; border-bottom: 1px solid rgba(49, 51, 63, .2); }}
</style>"""


def _label(r: AssessmentSummary, lang: str) -> str:
    made_up = f" · {t('ui.home.illustrative_short', lang)}" if r.illustrative else ""
    name = t("ui.assessment_name", lang, country=country_name(r.country, lang), cycle=r.cycle)
    return f"{name} · {t(f'ui.status.{r.status}', lang)}{made_up}"


def _moves(summary: AssessmentSummary, lang: str) -> None:
    """One button per workflow move the user may take from the current state, with a note (the why).

    Validating with review queries still open takes an explicit acknowledgement: the count is shown and the
    button stays disabled until the adviser ticks the box; the service refuses it otherwise too. The tick
    holds for the queries it was given on: if one is opened or resolved since (even one of each), the box
    is unticked (and the service refuses queries that are no longer the open ones), so the adviser looks again.
    """
    actor = auth.actor()
    moves = [a for a in workflow.TRANSITIONS if workflow.target(a, summary.status)
             and access.allowed(actor, a, summary)]
    if not moves:
        return
    note = st.text_input(t("ui.review.note", lang), key=NOTE, max_chars=500)
    still_open: frozenset[str] = frozenset()
    seen: frozenset[str] | None = None
    acknowledged = False
    if "validate" in moves:
        with data.session() as s:
            still_open = service.open_queries(s, assessment_id=summary.id, actor=actor)
        seen = _seen_open(summary.id, still_open, lang)
        if still_open:
            st.warning(t("ui.review.open_queries", lang, n=len(still_open)), icon=":material/help:")
            acknowledged = st.checkbox(t("ui.review.confirm_open", lang, n=len(still_open)), key=CONFIRM_OPEN,
                                       on_change=_remember_seen, args=(summary.id, still_open))
    cols = st.columns(len(moves))
    made_up = "publish" in moves and summary.illustrative  # the service refuses it too (never a country's profile)
    if made_up:
        st.caption(t("ui.review.no_publish_illustrative", lang))
    for col, action in zip(cols, moves, strict=True):
        blocked = (action == "validate" and bool(still_open) and not acknowledged) or (action == "publish" and made_up)
        if col.button(t(f"ui.review.do_{action}", lang), key=f"review.do.{action}", disabled=blocked) and not blocked:
            try:
                with data.session() as s:
                    service.transition(s, assessment_id=summary.id, action=action, note=note or None,
                                       acknowledged_open=seen if acknowledged else None, actor=actor)
            except ServiceError as exc:  # OpenQueries too: a query opened or resolved since the page was drawn
                st.session_state.pop(SEEN_OPEN, None)
                st.error(exc.text(lang))
                return  # the note stays, to be sent again
            st.session_state.pop(CONFIRM_OPEN, None)
            st.session_state.pop(SEEN_OPEN, None)
            st.session_state[SENT] = NOTE  # the next move starts with an empty note (emptied before it is drawn)
            st.rerun()


def _remember_seen(assessment_id: str, shown: frozenset[str]) -> None:
    """The box's callback: the open queries its label counted when the adviser ticked it (None once unticked)."""
    ticked = bool(st.session_state.get(CONFIRM_OPEN))
    st.session_state[SEEN_OPEN] = (assessment_id, shown) if ticked else None


def _seen_open(assessment_id: str, still_open: frozenset[str], lang: str) -> frozenset[str] | None:
    """The open queries the adviser acknowledged, if they are still the open ones.

    Called before the box is drawn: when a query was opened or resolved since the tick (or the tick was
    for another assessment), the box is unticked and the adviser told to look again.
    """
    seen = st.session_state.get(SEEN_OPEN)
    if seen is None:
        return None
    if seen[0] == assessment_id and seen[1] == still_open:
        return still_open
    st.session_state[CONFIRM_OPEN] = False
    st.session_state[SEEN_OPEN] = None
    if seen[0] == assessment_id:
        st.warning(t("ui.review.open_changed", lang, seen=len(seen[1]), n=len(still_open)),
                   icon=":material/sync_problem:")
    return None


def _threads(questionnaire: Questionnaire, summary: AssessmentSummary, lang: str) -> None:
    actor = auth.actor()
    with data.session() as s:
        view = service.get_assessment(s, summary.id, actor=actor)
        threads = review.threads(s, assessment_id=summary.id, actor=actor)
        files = evidence_ui.review_files(s, summary.id, actor)  # evidence documents by question (issue 25)
    # A validated or published assessment's review is closed (review.add_comment refuses): no query box, and a
    # resolved query is not offered for reopening.
    queryable = summary.status in workflow.QUERYABLE
    may_query = access.allowed(actor, "query", summary) and queryable
    may_reply = access.allowed(actor, "comment", summary)
    may_resolve = access.allowed(actor, "resolve", summary)
    by_question: dict[str, list[review.Thread]] = {}
    for th in threads:
        by_question.setdefault(th.question_id, []).append(th)
    open_count = sum(not th.resolved for th in threads)
    st.caption(t("ui.review.open_count", lang, n=open_count))
    for pillar in questionnaire.pillars:
        st.subheader(pillar.name.get(lang))
        for q in questionnaire.questions_in(pillar.id):
            mine = by_question.get(q.id, [])
            answer = view.answers.get(q.id)
            flag = f" · {t('ui.review.open_badge', lang, n=sum(not x.resolved for x in mine))}" if mine else ""
            focused = st.session_state.get(FOCUS) == (summary.id, q.id)
            with st.expander(_question_label(questionnaire, q.id, lang) + flag, expanded=focused):
                st.caption(t("ui.review.answer", lang, answer=inline_escape(_shown(questionnaire, q, answer, lang))))
                evidence_ui.review_panel(summary.id, q.id, files.get(q.id, []), lang,
                                         query_box=f"review.new.{q.id}" if may_query else None)
                for th in mine:
                    _thread(summary, th, lang, may_reply=may_reply,
                            may_resolve=may_resolve and (queryable or not th.resolved))
                if may_query:
                    box = f"review.new.{q.id}"
                    body = st.text_area(t("ui.review.new_query", lang), key=box, max_chars=5000)
                    add = t("ui.review.add_query", lang, country=country_name(summary.country, lang))
                    if st.button(add, key=f"review.add.{q.id}") and body.strip():
                        _call(lang, lambda s, qid=q.id, b=body: review.add_comment(
                            s, assessment_id=summary.id, question_id=qid, body=b, actor=actor),
                            focus=(summary.id, q.id), sent=box)


def _thread(summary: AssessmentSummary, th: review.Thread, lang: str, *, may_reply: bool, may_resolve: bool) -> None:
    actor = auth.actor()
    status = t("ui.review.resolved", lang) if th.resolved else t("ui.review.open", lang)
    st.markdown(f"**{status}**")
    for c in th.comments:  # typed text: escaped, so a query cannot hide a link, draw an image or a heading
        st.markdown(f"- *{inline_escape(c.by)}, {c.at:%Y-%m-%d %H:%M} UTC*{separator(':', lang)}"
                    f"{inline_escape(c.body)}")
    if may_reply:
        box = f"review.reply.{th.id}"
        body = st.text_input(t("ui.review.reply", lang), key=box, max_chars=5000)
        if st.button(t("ui.review.send", lang), key=f"review.send.{th.id}") and body.strip():
            _call(lang, lambda s: review.reply(s, assessment_id=summary.id, thread_id=th.id, body=body, actor=actor),
                  focus=(summary.id, th.question_id), sent=box)
    if may_resolve:
        label = t("ui.review.unresolve", lang) if th.resolved else t("ui.review.resolve", lang)
        if st.button(label, key=f"review.resolve.{th.id}"):
            _call(lang, lambda s: review.set_resolved(s, assessment_id=summary.id, thread_id=th.id,
                                                      resolved=not th.resolved, actor=actor),
                  focus=(summary.id, th.question_id))


def _call(lang: str, fn: object, *, focus: tuple[str, str] | None = None, sent: str | None = None) -> None:
    """Run one review action; on success keep its question open and empty the box whose text was ``sent`` (left
    full, a second click would send it twice). On a refusal the text stays, to be mended."""
    try:
        with data.session() as s:
            fn(s)  # type: ignore[operator]
    except ServiceError as exc:
        st.error(exc.text(lang))
        return
    if focus is not None:
        st.session_state[FOCUS] = focus
    if sent is not None:
        st.session_state[SENT] = sent
    st.rerun()


def _shown(questionnaire: Questionnaire, question: Question, answer: Answer | None, lang: str) -> str:
    """The answer as the country gave it: the option's label, the number with its unit, or its status ("Ne sait
    pas"); "—" when there is none. The stored code ("planned") is no reader's word."""
    if answer is None or answer.status == "unanswered":
        return "—"
    if answer.status != "answered":
        return t(f"status.{answer.status}", lang)
    return answer_label(questionnaire, question, answer.value, lang)


def open_queries(assessment_id: str, lang: str, *, may_change: bool = True) -> None:
    """The adviser's open queries, for the country on Assess (shown when there are any); what to do about them
    only to a reader who may change the answers now (not to a viewer, nor once the assessment is validated)."""
    with data.session() as s:
        threads = review.threads(s, assessment_id=assessment_id, open_only=True, actor=auth.actor())
    if not threads:
        return
    questionnaire = data.questionnaire()
    with st.container(border=True):
        st.markdown(f"**{t('ui.review.queries_title', lang)}** ({len(threads)})")
        for th in threads:
            label = inline_escape(_question_label(questionnaire, th.question_id, lang))
            st.markdown(f"- *{label}*{separator(':', lang)}" + " / ".join(inline_escape(c.body) for c in th.comments))
        if may_change:
            st.caption(t("ui.review.queries_help", lang))


def pdf_queries(assessment_id: str, status: str, lang: str, *, actor: ActorLike) -> list[tuple[str, list[str]]]:
    """The open queries for the profile's annex: (question text, "who, when: text" lines); none in a draft.

    ``actor`` is given, never read here: this runs inside the PDF download's callable, outside the script
    run, where :func:`ui.auth.actor` finds nobody (see :mod:`ui.downloads`).
    """
    if status == "draft":
        return []
    questionnaire = data.questionnaire()
    with data.session() as s:
        threads = review.threads(s, assessment_id=assessment_id, open_only=True, actor=actor)
    return [
        (_question_label(questionnaire, th.question_id, lang),
         [f"{c.by}, {c.at:%Y-%m-%d}{separator(':', lang)}{c.body}" for c in th.comments])
        for th in threads
    ]


def _question_label(questionnaire: Questionnaire, question_id: str, lang: str) -> str:
    """'2.3 Does the national plan…': the number the regulator finds it by on Assess, and its text."""
    if not questionnaire.has_question(question_id):
        return t("ui.review.question_gone", lang)
    question = questionnaire.question(question_id)
    return f"{question_number(questionnaire, question_id)} {question.text.get(lang)}"


def _empty_sent_box() -> None:
    """Empty the box whose text was just sent (a query, a reply, the note of a move) before anything is drawn:
    set in the state before the widget exists in this run, so the browser's copy of the text is replaced too
    (deleting the widget's state left the old text in the browser)."""
    sent = st.session_state.pop(SENT, None)
    if sent is not None:
        st.session_state[sent] = ""


def _pick(by_id: dict[str, AssessmentSummary], lang: str) -> AssessmentSummary:
    """The assessment to review: the one the address names (``?assessment=``, a link from another page or a
    reload) when the reader may see it, else the one picked last, else the first; the address then follows
    the picker, so a reload or a shared link opens the same country."""
    ids = list(by_id)
    labels = {i: _label(r, lang) for i, r in by_id.items()}
    # The labels carry the status: a widget keyed on them alone is redrawn when a move changes one (the browser
    # kept showing the old status otherwise); the pick itself is remembered apart, so it survives the redraw.
    key = f"{PICK}.{hash(tuple(labels.values()))}"
    before = st.session_state.get(PICK)
    wanted = st.query_params.get(state.QP_ASSESSMENT)
    if wanted in by_id and wanted != before:  # the address changed since this page last wrote it: it decides
        st.session_state[key] = wanted
    elif st.session_state.get(key) not in by_id:  # set through the state only (a default as well would warn)
        st.session_state[key] = before if before in by_id else ids[0]
    picked = st.selectbox(t("ui.review.pick", lang), ids, key=key, format_func=labels.__getitem__)
    if picked != st.session_state.get(PICK) and PICK in st.session_state:
        st.session_state[NOTE] = ""  # a note written for one country is no note for another
    st.session_state[PICK] = picked
    st.query_params[state.QP_ASSESSMENT] = str(picked)
    return by_id[str(picked)]


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    _empty_sent_box()
    with data.session() as s:
        listed = service.list_assessments(s, AssessmentFilter(questionnaire=questionnaire), actor=auth.actor())
        rows = [r for r in listed if not r.outdated]
    if not rows:
        st.title(t("ui.review.title", lang))
        st.info(t("ui.review.none", lang))
        return
    by_id = {r.id: r for r in rows}
    title = st.empty()
    summary = _pick(by_id, lang)
    name = country_name(summary.country, lang)
    title.title(t("ui.review.title_for", lang, country=name, cycle=summary.cycle))
    st.html(_STICKY)
    with st.container(key=CURRENT):  # stays in view as the reader scrolls down the questions
        st.markdown(t("ui.review.current", lang, country=name, cycle=summary.cycle,
                      status=t(f"ui.status.{summary.status}", lang)))
    if summary.illustrative:  # as on every other page: made-up data is never mistaken for a country's answers
        st.warning(t("illustrative", lang), icon=":material/science:")
    _role_note(lang)
    _moves(summary, lang)
    _threads(questionnaire, summary, lang)


def _role_note(lang: str) -> None:
    """Who may not review reads why, in words, before anything else (issue 20, point 5): a focal point submits
    and replies here, a contributor replies, a viewer (no menu entry, but the address opens it) only reads."""
    actor = auth.actor()
    if access.allowed(actor, "review"):
        return
    key = ("ui.review.role_submit" if access.allowed(actor, "submit")
           else "ui.review.role_reply" if access.allowed(actor, "comment") else "ui.review.role_read")
    st.info(t(key, lang), icon=":material/info:")
