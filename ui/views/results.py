"""Results: overall score and tier, charts against the user's targets, why this score, the roadmap."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from answers.document import AnswersDocument
from assessment import service
from assessment.documents import with_documents
from formatting.context import context_lines
from formatting.markdown import tier_name
from formatting.numbers import MISSING, fmt_number, fmt_score, fmt_share
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import unofficial_clause_text
from questionnaires.references import clause_reference, materials_text, question_number
from recommendations import by_horizon, plan_for_target, recommend, to_answer
from recommendations.engine import Recommendation
from refdata import country_name
from scoring import ScoreResult, ScoringError, score
from ui import auth, autosave, charts, data, downloads, errors, nav, print_view, readonly, state, static_charts
from ui import evidence as evidence_ui
from ui.pages import ASSESS
from ui.tables import chart_with_table
from ui.views import review as review_view

if TYPE_CHECKING:
    from reports.profile import EvidenceLine

NO_TARGET = ""


TARGETS_REFUSED = "results.targets_refused"


def _save_targets(assessment_id: str, pillar_ids: list[str]) -> None:
    targets: dict[str, float | str] = {}
    for pid in [*pillar_ids, "overall"]:
        value = st.session_state.get(state.TARGET_PREFIX + pid, NO_TARGET)
        if value:
            targets[pid] = value
    try:
        with data.session() as s:
            service.set_targets(s, assessment_id=assessment_id, targets=targets,
                                questionnaire=data.questionnaire(), actor=auth.actor())
    except service.ServiceError as exc:  # a refusal in words, for the page to show in this rerun
        st.session_state[TARGETS_REFUSED] = exc.text(state.lang())


def _targets(questionnaire: Questionnaire, doc: AnswersDocument, assessment_id: str, lang: str) -> None:
    tier_ids = [NO_TARGET, *(tier.id for tier in questionnaire.tiers[1:])]

    def label(tier_id: str) -> str:
        if tier_id == NO_TARGET:
            return t("ui.results.no_target", lang)
        tier = questionnaire.tier(tier_id)
        return f"{tier.name.get(lang)} (≥ {fmt_number(tier.min_score, lang)})"

    pillar_ids = [p.id for p in questionnaire.pillars]
    draft = autosave.current()
    why = None if draft is None else readonly.targets_reason(auth.actor(), draft, lang)  # shown disabled, and why
    refused = st.session_state.pop(TARGETS_REFUSED, None)
    if refused:  # the refusal is said inside the section: open it
        st.session_state[state.TARGETS_OPEN] = True
    # Drawn only while open (a click reruns the page): folded, its seven pickers were still sent and drawn
    # before the first chart (issue 26).
    section = st.expander(t("ui.results.targets_title", lang), icon=":material/flag:", key=state.TARGETS_OPEN,
                          on_change="rerun")
    if not section.open:
        return
    with section:
        if refused:
            st.error(refused, icon=":material/block:")
        if why is None:
            st.caption(t("ui.results.targets_help", lang))
        else:
            st.info(why, icon=":material/lock:")
        cols = st.columns(2)
        for i, pid in enumerate([*pillar_ids, "overall"]):
            key = state.TARGET_PREFIX + pid
            saved = doc.targets.get(pid)
            if key not in st.session_state:
                st.session_state[key] = saved if isinstance(saved, str) and saved in tier_ids else NO_TARGET
            name = t("overall", lang) if pid == "overall" else questionnaire.pillar(pid).name.get(lang)
            state.reword(key, lang)  # the chosen tier stays shown after a language switch
            cols[i % 2].selectbox(
                name, tier_ids, format_func=label, key=key, disabled=why is not None,
                on_change=errors.guarded(_save_targets), args=(assessment_id, pillar_ids),
            )


# The headline figures as one block of HTML (a list of terms and values): st.metric loaded eight script chunks
# (its number formatting and Vega's loader, 62 KB) before the first screen could be drawn; a plain block loads
# none beyond the st.html every page already has (issue 26). The tier wraps (st.metric cut "En construc…").
_HEADLINE_STYLE = (
    "<style>.iot-headline{display:flex;flex-wrap:wrap;gap:0.25rem 2.5rem}"
    ".iot-headline,.iot-headline div,.iot-headline dt,.iot-headline dd{margin:0!important;padding:0!important}"
    ".iot-headline div{min-width:6rem}.iot-headline dt{font-size:0.875rem;font-weight:400}"
    ".iot-headline dd{font-size:2.25rem;line-height:1.3}"
    ".iot-headline .iot-tier{flex:1 1 12rem}.iot-headline .iot-tier dd{font-size:1.75rem}</style>"
)


def headline_html(figures: Sequence[tuple[str, str]], tier_at: int | None = None) -> str:
    """``(label, value)`` pairs as a ``<dl>``, every text escaped; ``tier_at``: the pair that is the tier."""
    from html import escape

    items = "".join(
        ('<div class="iot-tier">' if i == tier_at else "<div>")
        + f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>"
        for i, (label, value) in enumerate(figures)
    )
    return f'{_HEADLINE_STYLE}<dl class="iot-headline">{items}</dl>'


def _metrics(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> None:
    st.html(headline_html([
        (t("overall", lang), fmt_score(result.overall, lang)),
        (t("tier", lang), tier_name(questionnaire, result.overall_tier, lang)),
        (t("completeness", lang), fmt_share(result.completeness, lang)),
        (t("evidence_coverage", lang), fmt_share(result.evidence_coverage, lang)),
    ], tier_at=1))
    if result.overall_tier:
        st.caption(questionnaire.tier(result.overall_tier).description.get(lang))
    if result.completeness < 1:
        st.info(t("ui.results.incomplete", lang, share=fmt_share(result.completeness, lang)), icon=":material/pending:")


def _breakdown(questionnaire: Questionnaire, doc: AnswersDocument, result: ScoreResult, lang: str, *,
               printing: bool = False) -> None:
    # A static HTML table (no data grid nor Arrow decoder to load), folded and sent only once opened (a click
    # reruns the page): it was the largest element of the page, sent before the roadmap (issue 26). Open on paper.
    label = t("ui.results.breakdown_open", lang, n=len(result.questions))
    section = (st.expander(label, expanded=True, icon=":material/table_rows:") if printing else
               st.expander(label, icon=":material/table_rows:", key=state.BREAKDOWN_OPEN, on_change="rerun"))
    if not (printing or section.open):
        return
    rows = []
    for r in result.questions:
        question = questionnaire.question(r.question_id)
        answer = doc.answers.get(r.question_id)
        rows.append(
            {
                t("pillar", lang): questionnaire.pillar(r.pillar_id).name.get(lang),
                t("ui.col.number", lang): question_number(questionnaire, r.question_id),
                t("ui.col.question", lang): question.text.get(lang),
                t("ui.col.status", lang): t(f"status.{r.status}", lang),
                t("ui.col.answer", lang): "" if r.status == "hidden" else autosave.describe(
                    questionnaire, question, answer, lang
                ),
                t("score", lang): None if r.score is None else 100 * r.score,
                t("ui.col.points", lang): r.points,
                t("ui.col.max_points", lang): r.max_points,
                t("ui.col.overall_points", lang): r.overall_points,
                t("ui.col.evidence", lang): "✓" if r.has_evidence else "",
                t("ui.col.review", lang): "⚑" if answer and answer.review else "",
            }
        )
    with section:
        st.html(static_charts.html_table(pd.DataFrame(rows), lang))


def _recommendation(questionnaire: Questionnaire, rec: Recommendation, rank: int, lang: str) -> None:
    clause = questionnaire.clause_map.get(rec.clause)
    pillar = questionnaire.pillar(rec.pillar_id).name.get(lang)
    cited = clause_reference(questionnaire, rec.clause, lang) if clause is not None else ""
    with st.container(border=True):
        st.markdown(f"**{rank}.** {rec.text(lang)}")
        st.caption(
            t("ui.results.rec_meta", lang, pillar=pillar, clause=cited, gain=fmt_score(rec.expected_gain, lang))
        )
        for folded in rec.includes:
            st.caption(t("ui.results.rec_programme", lang, action=folded.text(lang)))
        if clause is not None:
            with st.expander(t("ui.results.clause", lang, clause=cited)):
                st.markdown(f"> {clause.text(lang)}")
                if unofficial_clause_text(lang):
                    st.caption(t("unofficial_translation", lang))
        st.caption(t("ui.results.materials", lang, materials=materials_text(questionnaire, rec.materials, lang)))


@st.cache_resource(show_spinner=False, max_entries=256)
def _recommendations(questionnaire_key: tuple[str, int], digest: str, _questionnaire: Questionnaire,
                     _result: ScoreResult, _doc: AnswersDocument) -> list[Recommendation]:
    """The roadmap of one state of the answers, kept across reruns and sessions (read-only: never mutated).

    ``recommend`` scores the document once more per question that calls for an action (27 scorings on the
    demo's most complete assessment): most of a Results rerun, and the same for every reader of that state.
    The key is the questionnaire (its scored content and the process's object, which also holds the actions'
    texts and clauses) and the document's own JSON (answers, targets, everything scored).
    """
    return recommend(_questionnaire, _result, _doc)


def recommendations(questionnaire: Questionnaire, result: ScoreResult, doc: AnswersDocument) -> list[Recommendation]:
    # The attached documents' counts are not in the JSON (never exported): in the key all the same, so no roadmap
    # is ever kept for a state it was not worked out from.
    attached = ",".join(f"{qid}:{a.documents}" for qid, a in sorted(doc.answers.items()) if a.documents)
    digest = hashlib.sha256(f"{doc.model_dump_json()}|{attached}".encode()).hexdigest()
    return _recommendations((questionnaire.content_hash, id(questionnaire)), digest, questionnaire, result, doc)


def _roadmap_table(questionnaire: Questionnaire, items: list[Recommendation], lang: str) -> pd.DataFrame:
    """One row per action: what the reader scans first (the detail of one action is drawn below the tables)."""
    table = pd.DataFrame(
        [
            {
                t("ui.col.number", lang): str(rec.rank),
                t("ui.col.action", lang): rec.text(lang),
                t("pillar", lang): questionnaire.pillar(rec.pillar_id).name.get(lang),
                t("ui.col.provision", lang): clause_reference(questionnaire, rec.clause, lang)
                if rec.clause in questionnaire.clause_map else MISSING,
                t("ui.col.gain", lang): float(rec.expected_gain),
            }
            for rec in items
        ]
    )
    return table


def _roadmap(questionnaire: Questionnaire, doc: AnswersDocument, result: ScoreResult, lang: str, *,
             printing: bool = False) -> None:
    """The actions by horizon, as one compact table each, then one action in detail (every action on paper).

    Sixty bordered boxes with their captions and expanders were most of what the page sent to the browser;
    a table per horizon reads faster and loads at once, and the picker below opens any action's detail.
    """
    recs = recommendations(questionnaire, result, doc)
    pending = to_answer(result)
    if pending:
        st.info(t("ui.results.to_answer", lang, n=len(pending)), icon=":material/edit_note:")
    if not recs:
        st.success(t("cli.no_recommendations", lang), icon=":material/check_circle:")
        return
    for horizon, items in by_horizon(recs).items():
        if not items:
            continue
        st.markdown(f"#### {t(f'horizon.{horizon}', lang)}")
        if printing:
            for rec in items:
                _recommendation(questionnaire, rec, rec.rank, lang)
            continue
        st.html(static_charts.html_table(_roadmap_table(questionnaire, items, lang), lang))
    if printing:
        return
    by_rank = {rec.rank: rec for rec in recs}
    # The action's number in the tables above, as radio buttons: a drop-down picker made a fresh browser fetch 20
    # script files, and it draws no element of the page before it has them all (issue 26).
    rank = st.radio(
        t("ui.results.rec_detail", lang), list(by_rank), key=state.ROADMAP_DETAIL, horizontal=True,
        help=t("ui.results.rec_detail_help", lang),
    )
    chosen = by_rank.get(rank) or recs[0]
    _recommendation(questionnaire, chosen, chosen.rank, lang)


def _plan(questionnaire: Questionnaire, doc: AnswersDocument, result: ScoreResult, lang: str) -> None:
    pillar_ids = [p.id for p in questionnaire.pillars]
    tier_ids = [tier.id for tier in questionnaire.tiers[1:]]
    # Radio buttons, not drop-down pickers (issue 26: see _roadmap).
    state.reword(state.PLAN_PILLAR, lang)
    pid = st.radio(
        t("pillar", lang), pillar_ids, key=state.PLAN_PILLAR, horizontal=True,
        format_func=lambda p: questionnaire.pillar(p).name.get(lang),
    )
    state.reword(state.PLAN_TIER, lang)
    tid = st.radio(
        t("tier", lang), tier_ids, key=state.PLAN_TIER, horizontal=True,
        format_func=lambda x: questionnaire.tier(x).name.get(lang),
    )
    plan = plan_for_target(questionnaire, result, pid, tid, doc)
    names = {"pillar": questionnaire.pillar(pid).name.get(lang), "tier": questionnaire.tier(tid).name.get(lang)}
    if plan.already_reached:
        st.success(t("ui.results.plan_reached", lang, **names), icon=":material/check_circle:")
    elif plan.current_score is None:
        st.info(t("ui.results.plan_no_score", lang, **names))
    else:
        key = "ui.results.plan_steps" if plan.reachable else "ui.results.plan_partial"
        st.markdown(
            t(key, lang, **names, current=fmt_score(plan.current_score, lang),
              target=fmt_score(plan.target_score, lang), projected=fmt_score(plan.projected_score, lang))
        )
        for i, rec in enumerate(plan.steps, start=1):
            cited = clause_reference(questionnaire, rec.clause, lang)
            st.markdown(f"{i}. {rec.text(lang)} · {cited} (+{fmt_score(rec.pillar_gain, lang)})")


INTERACTIVE = "results.interactive"


def _static_chart(chart: static_charts.StaticChart, lang: str) -> None:
    """The picture, then its figures as a static HTML table (beside it, at part of the width, it was cut)."""
    st.html(static_charts.picture_html(chart.svg, chart.alt) + static_charts.html_table(chart.table, lang))


def _interactive_charts(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> None:
    """The radar, the bars and the coverage as Plotly charts (values on hover), each with its table."""
    # Tables under their charts: beside them, at half the width, they were cut on the right.
    chart_with_table(*charts.radar(questionnaire, result, lang), key="chart.radar", side_by_side=False, lang=lang)
    st.caption(charts.tier_rings_text(questionnaire, lang))
    st.subheader(t("ui.results.bars_title", lang))
    chart_with_table(*charts.pillar_bars(questionnaire, result, lang), key="chart.bars", side_by_side=False,
                     lang=lang)
    st.subheader(t("ui.results.coverage_title", lang))
    chart_with_table(*charts.coverage_bars(questionnaire, result, lang), key="chart.coverage", side_by_side=False,
                     lang=lang)


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    draft = autosave.current_or_stop("ui.nav.results", "ui.results.none_selected", lang)
    with data.session() as s:
        doc = service.get_document(s, draft.assessment_id, actor=auth.actor())
        doc = with_documents(s, draft.assessment_id, doc)  # attached documents count as evidence (issue 25)
    st.title(t("ui.results.title", lang, country=country_name(doc.country, lang), cycle=doc.cycle))
    if doc.illustrative:
        st.warning(t("illustrative", lang), icon=":material/science:")
    with data.session() as s:  # read in the run (one small query), so the PDF's callback needs no database
        stamp = service.workflow_stamp(s, assessment_id=draft.assessment_id, actor=auth.actor())
    if doc.status == "draft":
        st.caption(t("ui.results.draft_note", lang))
    if stamp.state != "draft":  # where it stands: "validated by … on …", "published on …", as on the profile
        from reports.status import workflow_text

        st.caption(t("pdf.status", lang, status=workflow_text(stamp, lang, draft=False)))
    try:
        result = score(questionnaire, doc)
    except ScoringError as exc:
        detail = separator(";", lang).join(exc.lines(questionnaire, lang)[:3])
        st.error(t("ui.results.cannot_score", lang, detail=detail))
        st.stop()
    if not any(r.status in ("answered", "not_applicable", "dont_know") for r in result.questions):
        st.info(t("ui.results.empty", lang), icon=":material/info:")
        nav.page_link(ASSESS, label=t("ui.results.go_assess", lang), icon=":material/edit_note:",
                      assessment=str(draft.assessment_id))
        st.stop()

    printing = print_view.control(lang)
    _metrics(questionnaire, result, lang)
    for line in context_lines(questionnaire, doc.answers, lang):  # beside the scores, never among them
        st.caption(f":material/info: {t('context.label', lang)} · {line}", help=t("context.explain", lang))
    # Built on click in Streamlit's worker thread, as the user shown the button (ui.downloads): issue 20.
    st.download_button(
        t("ui.results.pdf", lang),
        data=downloads.made_on_click(
            lambda who: _pdf(questionnaire, doc, lang, result,
                             review_view.pdf_queries(draft.assessment_id, draft.status, lang, actor=who), stamp,
                             documents=evidence_ui.pdf_documents(draft.assessment_id, questionnaire, lang,
                                                                 actor=who)),
            downloads.Disclosure(what="pdf", source="profile", countries=[doc.country], count=1,
                                 assessment_ids=[draft.assessment_id], cycles=[doc.cycle]),
        ),
        file_name=_pdf_name(doc, lang),
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        key="results.pdf",
        help=t("ui.results.pdf_help", lang),
    )
    if not printing:  # pickers mean nothing on paper
        _targets(questionnaire, doc, draft.assessment_id, lang)
    # "Against your targets" only when there is one to be against (issue 20.13).
    has_target = any(p.target is not None for p in result.pillars)
    st.subheader(t("ui.results.radar_title" if has_target else "ui.results.radar_title_no_target", lang))
    # Pictures drawn on the server with their tables first (they open at once: ui.static_charts); Plotly's
    # interactive charts only when asked for, never on paper.
    # The switch under the charts, not above them: its script chunks (a switch's) are fetched after the first
    # picture is drawn, not before it (issue 26).
    if not printing and st.session_state.get(INTERACTIVE):
        _interactive_charts(questionnaire, result, lang)
    else:
        _static_chart(static_charts.pillar_scores(questionnaire, result, lang), lang)
        st.subheader(t("ui.results.coverage_title", lang))
        _static_chart(static_charts.coverage(questionnaire, result, lang), lang)
    if not printing:
        st.toggle(t("ui.results.interactive", lang), key=INTERACTIVE, help=t("ui.results.interactive_help", lang))
    st.subheader(t("ui.results.breakdown_title", lang))
    st.caption(t("ui.results.breakdown_help", lang))
    _breakdown(questionnaire, doc, result, lang, printing=printing)
    st.subheader(t("ui.results.roadmap_title", lang))
    st.caption(t("ui.results.roadmap_help", lang))
    _roadmap(questionnaire, doc, result, lang, printing=printing)
    if not printing:
        st.subheader(t("ui.results.plan_title", lang))
        _plan(questionnaire, doc, result, lang)


def _pdf(questionnaire: Questionnaire, doc: AnswersDocument, lang: str, result: ScoreResult,
         queries: list[tuple[str, list[str]]] | None = None, stamp: service.WorkflowStamp | None = None,
         documents: Sequence[tuple[str, Sequence[EvidenceLine]]] | None = None) -> bytes:
    """The PDF profile, built on click: fpdf2 and matplotlib are imported only then. ``stamp``: the workflow
    state, so the cover says "validated by … on …" or "published", not the document's "submitted"."""
    from reports import render_profile

    return render_profile(questionnaire, doc, lang=lang, result=result, queries=queries or (), workflow=stamp,
                          documents=documents or ())


def _pdf_name(doc: AnswersDocument, lang: str) -> str:
    from reports.naming import profile_filename  # light: no PDF stack

    return profile_filename(doc, lang)
