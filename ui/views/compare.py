"""Compare: where each country and group stands, how it moved, how firm its rank is, where to send help.

For BDT advisers. One selection (real or illustrative data, submitted only or not, a cycle, a group or
a list of countries) drives every figure, table and export on the page. The analyses are the pure
functions of :mod:`compare`; figures come from :mod:`ui.compare_charts`; this module only renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any

import pandas as pd
import streamlit as st

from answers.document import Answer
from assessment.access import allowed
from assessment.aggregates import MIN_COUNTRIES
from compare import GROUP_IDS, trend
from compare.priorities import group_target
from formatting.context import context_figure, context_name
from formatting.markdown import tier_name
from formatting.numbers import MISSING, fmt_decimal, fmt_number, fmt_score
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages, separator, t
from refdata import country_name
from ui import auth, compare_provenance, compare_static, data, downloads, nav, state, static_charts
from ui import compare_charts as charts
from ui.compare_data import (
    Dataset,
    Selection,
    change_report,
    dataset,
    is_country_user,
    map_points,
    priorities,
    published_cycles,
    published_medians,
    selection_distribution,
    selection_medians,
    selection_ranks,
    stability,
)
from ui.compare_tables import (
    answers_change_table,
    distribution_table,
    group_label,
    map_table,
    medians_table,
    pillar_change_table,
    priorities_headers,
    priorities_table,
    scores_table,
    stability_table,
)
from ui.pages import HOME
from ui.tables import chart_with_table, localized, text_columns

ALL = "all"  # the group picker's "every Member State"
SCOPE_GROUP = "group"
SCOPE_COUNTRIES = "countries"
SCOPES = (SCOPE_GROUP, SCOPE_COUNTRIES)
GROUPS = (ALL, *GROUP_IDS)
OVERALL = "overall"
KEY_TARGET = "compare.need_target"
KEY_BASIS = "compare.need_basis"
KEY_DETAIL = "compare.need_detail"
KEY_MAP_INTERACTIVE = "compare.map_interactive"
FOCUS_KEPT = "compare.focus_kept"  # the highlighted country while its picker is not drawn (another tab open)
MAP_TABLE_HEIGHT = 420  # ten rows: the table under the map scrolls, the page does not grow with 194 rows
MAP_CONFIG = {"topojsonURL": charts.TOPOJSON_URL}  # the world map file the app serves itself (works offline)


def _chart_and_table(fig: Any, table: pd.DataFrame, key: str, lang: str, *, side_by_side: bool = True) -> None:
    chart_with_table(fig, table, key, side_by_side=side_by_side, config=MAP_CONFIG, table_height=420, lang=lang)


def _held(key: str, options: Sequence[Any], default: Any) -> Any:
    """The value the session holds for the picker ``key`` before it is drawn (its default when it holds none);
    one no longer among ``options`` goes back to the default, as Streamlit's own picker would, and is stored so."""
    if key not in st.session_state:
        return default
    value = st.session_state[key]
    if value not in options:
        st.session_state[key] = value = default
    return value


def _selection(ds: Dataset, lang: str) -> tuple[Selection | None, Callable[[], None]]:
    """The selection as the session holds it, and what draws its widgets; None (with a message saying what to
    do) when there is nothing to compare.

    The cycle and the group are radio buttons, not drop-down pickers: a fresh browser draws no element of a page
    before it has fetched the scripts of every kind of element the page sends, and a selectbox's are 20 files; the
    scope is a radio already, so the three cost 8 (issue 26). The widgets keep their place above the map and are
    sent last (the caller draws them into a container made there). Their values are the session's (a change in
    the browser is there before the run), read here as the widgets will return them.
    """
    has_real, has_demo = bool(ds.cycles.get(False)), bool(ds.cycles.get(True))
    if not has_real and not has_demo:
        if is_country_user(auth.actor()):
            _no_own_assessment(lang)
            _published_only(data.questionnaire(), lang)
            return None, _nothing
        st.info(t("ui.compare.no_data", lang), icon=":material/info:")
        nav.page_link(HOME, label=t("ui.assess.go_home", lang), icon=":material/home:")
        return None, _nothing
    if state.COMPARE_DEMO not in st.session_state:
        st.session_state[state.COMPARE_DEMO] = not has_real
    illustrative = bool(st.session_state[state.COMPARE_DEMO])
    cycles = ds.cycles.get(illustrative, [])
    if not cycles:
        with st.container(border=True):
            _data_switches(lang)
            st.info(t("ui.compare.no_data_set", lang), icon=":material/info:")
            if is_country_user(auth.actor()):
                _published_only(data.questionnaire(), lang, illustrative)
        return None, _nothing
    cycle = _held(state.COMPARE_CYCLE, cycles, cycles[0])
    scope = _held(state.COMPARE_SCOPE, SCOPES, SCOPE_GROUP)
    selection = Selection(
        illustrative=illustrative, submitted_only=not st.session_state.get(state.COMPARE_DRAFTS, False),
        cycle=int(cycle),
    )
    if scope == SCOPE_GROUP:
        group = _held(state.COMPARE_GROUP, GROUPS, ALL)
        chosen = replace(selection, group=None if group == ALL else group)
        assessed: list[str] = []
    else:
        assessed = sorted(set(ds.rows(selection)["country"]), key=lambda c: country_name(c, lang))
        picked = [c for c in st.session_state.get(state.COMPARE_COUNTRIES, []) if c in assessed]
        if state.COMPARE_COUNTRIES in st.session_state and picked != st.session_state[state.COMPARE_COUNTRIES]:
            st.session_state[state.COMPARE_COUNTRIES] = picked
        chosen = replace(selection, countries=tuple(picked))

    def draw() -> None:
        with st.container(border=True):
            top = _data_switches(lang)
            top[2].radio(t("ui.col.cycle", lang), cycles, key=state.COMPARE_CYCLE, horizontal=True)
            scope_col, pick_col = st.columns([1, 2])
            state.reword(state.COMPARE_SCOPE, lang)
            scope_col.radio(
                t("ui.compare.scope", lang), list(SCOPES), key=state.COMPARE_SCOPE,
                format_func=lambda s: t(f"ui.compare.scope_{s}", lang),
            )
            if scope == SCOPE_GROUP:
                state.reword(state.COMPARE_GROUP, lang)
                pick_col.radio(
                    t("ui.compare.group", lang), list(GROUPS), key=state.COMPARE_GROUP, horizontal=True,
                    format_func=lambda g: t("ui.compare.all_members", lang) if g == ALL else group_label(g, lang),
                )
                return
            state.reword(state.COMPARE_COUNTRIES, lang)
            pick_col.multiselect(
                t("ui.compare.countries", lang), assessed, key=state.COMPARE_COUNTRIES,
                format_func=lambda c: country_name(c, lang), placeholder=t("ui.compare.countries_placeholder", lang),
            )

    return chosen, draw


def _data_switches(lang: str) -> list[Any]:
    """The row of the selection box: the data set and drafts switches (the third column is the cycle's)."""
    top = st.columns([2, 2, 1], vertical_alignment="bottom")
    top[0].toggle(t("ui.compare.demo", lang), key=state.COMPARE_DEMO, help=t("ui.compare.demo_help", lang))
    top[1].toggle(t("ui.compare.drafts", lang), key=state.COMPARE_DRAFTS, help=t("ui.compare.drafts_help", lang))
    return top


def _nothing() -> None:
    """No widgets left to draw."""


def _named(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = rows.copy()
    # Every language's name (CLDR's in Russian, Chinese...): the frame carries the English and French only.
    out["name"] = out["country"].map(lambda iso3: country_name(iso3, lang))
    return out


def _overview(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame, lang: str) -> None:
    st.caption(t("ui.compare.overview_help", lang))
    ordered = rows.sort_values(["overall", "name"], ascending=[False, True], na_position="last")
    st.plotly_chart(charts.heatmap(ordered, questionnaire, lang), key="compare.chart.heatmap",
                    config={"displaylogo": False, "displayModeBar": False})
    ranked = selection_ranks(ds.stamp, selection, rows).set_index("country")["rank_label"]
    table = scores_table(questionnaire, ordered, ranked, lang)
    # Numbers in the reader's language (decimal comma, "–"): a Styler, not NumberColumn/ProgressColumn formats.
    st.dataframe(localized(table, lang), hide_index=True, width="stretch", column_config=text_columns(table),
                 placeholder=MISSING)


def _medians(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame, lang: str) -> None:
    st.caption(t("ui.compare.medians_help", lang))
    medians, table = medians_table(questionnaire, selection_medians(ds.stamp, selection, rows), lang)
    if medians.empty:
        st.info(t("ui.compare.no_groups", lang))
        return
    _chart_and_table(charts.heatmap(medians, questionnaire, lang), table, "compare.chart.medians", lang,
                     side_by_side=False)


# A section whose own widget changes is a fragment: changing the map's score reruns the map alone, not the
# other 7 figures and 10 tables (the selection and the highlighted country, above the tabs, rerun the page).
@st.fragment
def _map(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame, lang: str) -> None:
    """The first tab: the map drawn on the server (no chart library to load) and its table; Plotly's on demand.

    The Plotly choropleth cost a new browser Plotly's 4.7 MB bundle and the topojson before the reader saw the
    first map (issue 26); :mod:`ui.compare_static` draws the same values, by tier, as one inline SVG.
    """
    measures = [OVERALL, *(p.id for p in questionnaire.pillars)]
    # The score's radio buttons keep their place above the map, sent after it (a drop-down picker's 20 script files
    # held the map back: issue 26).
    picker = st.container()
    measure = _held(state.COMPARE_MEASURE, measures, OVERALL)
    try:
        _map_drawn(questionnaire, ds, selection, rows, measure, lang)
    finally:
        state.reword(state.COMPARE_MEASURE, lang)
        picker.radio(
            t("ui.compare.measure", lang), measures, key=state.COMPARE_MEASURE, horizontal=True,
            format_func=lambda m: t("overall", lang) if m == OVERALL else questionnaire.pillar(m).name.get(lang),
        )


def _map_drawn(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame, measure: str,
               lang: str) -> None:
    points = map_points(ds.stamp, selection, None if measure == OVERALL else measure, lang, rows)
    label = t("overall", lang) if measure == OVERALL else questionnaire.pillar(measure).name.get(lang)
    table = map_table(points, lang)
    # The switch under the map and its table, not beside the score picker above them: the picture and the table
    # are sent before it (and before its script chunks), in three fewer messages without the row (issue 26). Its
    # value is read before it is drawn: the click's rerun has set it.
    if st.session_state.get(KEY_MAP_INTERACTIVE):
        _chart_and_table(charts.world_map(points, lang, label), table, "compare.chart.map", lang,
                         side_by_side=False)
        st.caption(t("ui.compare.map_help", lang))
        _map_switch(lang)
        return
    # An image, not inline SVG in Markdown: the browser draws it without parsing it as Markdown (1.2× the bare page
    # against 1.7× inline, in the same run). An <img> in st.html, not st.image: the image element's scripts (viewer,
    # toolbar, full-screen frame) were fetched before the map could be drawn (issue 26). The whole width: beside
    # the table, its legend was 8 px high at 1280 px. Then a plain table, every row, scrolling in its frame: the
    # data grid's scripts (Glide, Arrow's decoder) were most of what the first screen still loaded beyond a bare
    # page. The interactive map above brings the sortable grid with it.
    alt = t("ui.compare.static_map_label", lang, measure=label, n=compare_static.drawn(points))
    st.html(static_charts.picture_html(compare_static.world_map_svg(points, questionnaire, lang, label), alt))
    st.caption(t("ui.compare.static_map_help", lang))
    st.html(static_charts.html_table(table, lang, height=MAP_TABLE_HEIGHT,
                                     label=t("ui.compare.map_table_label", lang, measure=label)))
    _map_switch(lang)


def _map_switch(lang: str) -> None:
    st.toggle(t("ui.compare.map_interactive", lang), key=KEY_MAP_INTERACTIVE,
              help=t("ui.compare.map_interactive_help", lang))


def _focus(rows: pd.DataFrame, lang: str) -> tuple[str | None, Callable[[], None]]:
    """The country whose position the distribution, trend and change sections show, and what draws its picker.

    The picker is drawn at the top of those three tabs only, not above every tab: on the map's tab, the first
    screen, its drop-down's 20 script files held the map back (issue 26). Streamlit forgets a widget's value
    when it is not drawn (or gives its default back), so the choice is kept apart (``FOCUS_KEPT``, set when the
    reader picks) and given back to the picker.
    """
    options = sorted(rows["country"].unique(), key=lambda c: country_name(c, lang))
    if not options:
        return None, _nothing
    ss = st.session_state
    kept = ss.get(FOCUS_KEPT)
    if kept not in options:
        ss[FOCUS_KEPT] = kept = options[0]
    if ss.get(state.COMPARE_FOCUS) != kept:  # given back after a tab without the picker (it may hold its default)
        ss[state.COMPARE_FOCUS] = kept

    def draw() -> None:
        state.reword(state.COMPARE_FOCUS, lang)
        st.selectbox(t("ui.compare.focus", lang), options, key=state.COMPARE_FOCUS, on_change=_keep_focus,
                     format_func=lambda c: country_name(c, lang), help=t("ui.compare.focus_help", lang))

    return str(kept), draw


def _keep_focus() -> None:
    st.session_state[FOCUS_KEPT] = st.session_state[state.COMPARE_FOCUS]


def _distribution(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame,
                  focus: str | None, lang: str) -> None:
    long, summary = selection_distribution(ds.stamp, selection, rows)
    fig = charts.distribution(long, questionnaire, lang, highlight=focus,
                              highlight_name=country_name(focus, lang) if focus else "")
    _chart_and_table(fig, distribution_table(questionnaire, summary, rows, focus, lang), "compare.chart.distribution",
                     lang)
    _context(questionnaire, ds, rows, lang)


def _context(questionnaire: Questionnaire, ds: Dataset, rows: pd.DataFrame, lang: str) -> None:
    """The context indicators by country, under the score distribution: figures read beside the scores.

    Here, not in a tab of their own (nine tabs is what fits a 1280 px screen), and not on the first tab, which
    reads no answers documents (these do: the figures are answers, not stored scores).
    """
    if not questionnaire.context:
        return
    docs = ds.documents(rows)
    names = [country_name(d.country, lang) for d in docs]
    for q in questionnaire.context:
        st.subheader(f"{context_name(q, lang)} · {t('context.label', lang)}")
        st.caption(f"{q.text.get(lang)} {t('context.explain', lang)}")
        answers = [d.answers.get(q.id) for d in docs]
        figures = [context_figure(q, a) for a in answers]
        statuses = [t(f"status.{(a or Answer()).status}", lang) for a in answers]
        fig, table = charts.context_bars(q, names, figures, statuses, lang)
        _chart_and_table(fig, table, f"compare.chart.context.{q.id}", lang)


@st.fragment
def _radar(questionnaire: Questionnaire, rows: pd.DataFrame, lang: str) -> None:
    options = list(rows.sort_values("overall", ascending=False)["country"].unique())
    if st.session_state.get(state.COMPARE_RADAR) is None:
        st.session_state[state.COMPARE_RADAR] = options[:3]
    else:  # keep only countries still in the selection
        st.session_state[state.COMPARE_RADAR] = [c for c in st.session_state[state.COMPARE_RADAR] if c in options]
    state.reword(state.COMPARE_RADAR, lang)
    picked = st.multiselect(
        t("ui.compare.radar_pick", lang), options, key=state.COMPARE_RADAR, max_selections=charts.MAX_RADAR,
        format_func=lambda c: country_name(c, lang),
    )
    if not picked:
        st.info(t("ui.compare.radar_none", lang))
        return
    chosen = rows.loc[rows["country"].isin(picked)].drop_duplicates("country", keep="last").set_index("country")
    fig, table = charts.radar_overlay(chosen.loc[picked].reset_index(), questionnaire, lang)
    _chart_and_table(fig, table, "compare.chart.radar", lang)


@st.fragment
def _trend(questionnaire: Questionnaire, ds: Dataset, selection: Selection, focus: str | None, lang: str) -> None:
    every_cycle = ds.rows(selection, all_cycles=True)
    state.reword(state.COMPARE_TREND, lang)
    whose = st.radio(
        t("ui.compare.trend_of", lang), ["selection", "country"], horizontal=True, key=state.COMPARE_TREND,
        format_func=lambda w: t("ui.compare.trend_selection", lang) if w == "selection"
        else country_name(focus or "", lang),
    )
    series = trend(every_cycle, questionnaire, country=focus if whose == "country" and focus else None)
    if len(series) < 2:
        st.info(t("ui.compare.trend_short", lang))
    if series.empty:
        return
    fig, table = charts.trend_lines(series, questionnaire, lang)
    _chart_and_table(fig, table, "compare.chart.trend", lang, side_by_side=False)  # ten series need the width


def _change(questionnaire: Questionnaire, ds: Dataset, selection: Selection, focus: str | None, lang: str) -> None:
    if focus is None:
        return
    report = change_report(ds.stamp, selection, focus, lang, ds.country_documents(focus, selection.illustrative))
    name = country_name(focus, lang)
    if report is None:
        st.info(t("ui.compare.change_none", lang, country=name, cycle=selection.cycle))
        return
    st.markdown(t("ui.compare.change_title", lang, country=name, old=report.from_cycle, new=report.to_cycle))
    cols = st.columns(3)
    delta = None if report.overall_delta is None else fmt_decimal(report.overall_delta, lang, "+.1f")
    cols[0].metric(t("overall", lang), fmt_score(report.overall_new, lang), delta=delta)
    cols[1].metric(t("ui.compare.tier_before", lang), tier_name(questionnaire, report.tier_old, lang))
    cols[2].metric(t("ui.compare.tier_now", lang), tier_name(questionnaire, report.tier_new, lang))
    _chart_and_table(charts.pillar_deltas(report.pillars, questionnaire, lang),
                     pillar_change_table(questionnaire, report, lang), "compare.chart.change", lang)
    st.markdown(f"**{t('ui.compare.change_answers', lang)}**")
    if report.answers.empty:
        st.caption(t("ui.compare.change_no_answers", lang))
        return
    st.dataframe(
        localized(answers_change_table(questionnaire, report, lang), lang),
        hide_index=True, width="stretch",
        column_config={t("ui.col.question", lang): st.column_config.TextColumn(width="large")}, placeholder=MISSING,
    )
    st.caption(t("ui.compare.change_why", lang))


def _stability_method(lang: str) -> str:
    """Within the expert panel's spread when this version has one (the reader may switch), else × U(0.5, 1.5)."""
    if data.panel() is None:
        st.caption(t("ui.compare.stability_used_uniform_no_panel", lang))
        return "uniform"
    state.reword(state.COMPARE_STABILITY_DRAW, lang)
    method = st.radio(
        t("ui.compare.stability_draw", lang), ["panel", "uniform"], key=state.COMPARE_STABILITY_DRAW,
        format_func=lambda m: t(f"ui.compare.stability_draw_{m}", lang), horizontal=True,
    )
    st.caption(t(f"ui.compare.stability_used_{method}", lang))
    return method


def _stability(ds: Dataset, selection: Selection, rows: pd.DataFrame, lang: str) -> None:
    st.caption(t("ui.compare.stability_help", lang))
    if rows["country"].nunique() < 2:
        st.info(t("ui.compare.stability_few", lang))
        return
    method = _stability_method(lang)
    result = _named(stability(ds.stamp, selection, rows, method).merge(
        rows[["country", "name_en", "name_fr"]].drop_duplicates("country"), on="country"), lang)
    _chart_and_table(charts.stability(result, lang), stability_table(result, lang), "compare.chart.stability",
                     lang)


TARGET_GROUP = "group"  # the target picker's "the group's target" (compare.priorities.group_target)
BASIS_ALL, BASIS_VALIDATED = "all", "validated"


@st.fragment  # its own widgets (target tier, data counted) rerun this tab alone
def _assistance(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame,
                lang: str) -> None:
    st.caption(t("ui.compare.assistance_help", lang))
    latest = rows.drop_duplicates("country", keep="last")  # one document per country (the selection is one cycle)
    tiers = sorted(questionnaire.tiers, key=lambda x: x.min_score)[1:]  # a target of 0 would weigh nothing
    left, right = st.columns(2)
    state.reword(KEY_TARGET, lang)
    picked = left.selectbox(
        t("ui.compare.need.target", lang), [TARGET_GROUP, *(x.id for x in tiers)], key=KEY_TARGET,
        help=t("ui.compare.need.target_help", lang),
        format_func=lambda x: t("ui.compare.need.target_group", lang, tier=tier_name(
            questionnaire, group_target(questionnaire, list(latest["overall"])), lang))
        if x == TARGET_GROUP else tier_name(questionnaire, x, lang),
    )
    # Advisers choose; a country's users see their own assessment, whatever its state, and are told which it is.
    basis = BASIS_ALL
    if not is_country_user(auth.actor()):
        state.reword(KEY_BASIS, lang)
        basis = right.radio(
            t("ui.compare.need.basis", lang), [BASIS_ALL, BASIS_VALIDATED], key=KEY_BASIS, horizontal=True,
            format_func=lambda b: t(f"ui.compare.need.basis_{b}", lang), help=t("ui.compare.need.basis_help", lang),
        )
    checked = int(latest["validated"].sum())
    if basis == BASIS_VALIDATED:
        counted = latest.loc[latest["validated"]]
        st.caption(t("ui.compare.need.shows_validated", lang, n=checked, left=len(latest) - checked))
    else:
        counted = latest
        st.caption(t("ui.compare.need.shows_all", lang, n=len(latest), validated=checked,
                     reported=len(latest) - checked))
    if counted.empty:
        st.info(t("ui.compare.need.none_validated", lang), icon=":material/info:")
        return
    tier = group_target(questionnaire, list(counted["overall"])) if picked == TARGET_GROUP else str(picked)
    table = priorities(ds.stamp, selection, tier, basis == BASIS_VALIDATED, lang, ds.documents(counted),
                       [bool(v) for v in counted["validated"]])
    if table.empty:
        st.info(t("ui.compare.need.none", lang), icon=":material/info:")
        return
    shown = priorities_table(questionnaire, table, lang)
    headers = priorities_headers(lang)
    st.dataframe(
        localized(shown, lang), hide_index=True, width="stretch",
        column_config={headers["action"]: st.column_config.TextColumn(width="large"),
                       headers["countries"]: st.column_config.TextColumn(width="large")}, placeholder=MISSING,
    )
    st.caption(t("ui.compare.need.method", lang, tier=tier_name(questionnaire, tier, lang),
                 score=fmt_number(questionnaire.tier(tier).min_score, lang)))
    _need_detail(shown, headers, lang)
    # Files leave the page, so they carry the illustrative flag themselves; the page has its banner.
    exported = shown.assign(**{t("ui.home.illustrative_short", lang): True}) if selection.illustrative else shown
    name = _file_stem(selection, "assistance")
    left, right = st.columns(2)
    told = _disclosure(counted, selection, "csv")
    left.download_button(t("ui.compare.download_csv", lang),
                         data=downloads.made_on_click(lambda _who: _files().frame_to_csv(exported), told),
                         file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key="compare.assist_csv",
                         icon=":material/download:")
    right.download_button(t("ui.compare.download_xlsx", lang),
                          data=downloads.made_on_click(
                              lambda _who: _files().frames_to_xlsx({t("ui.compare.tab.assistance", lang): exported}),
                              replace(told, what="xlsx")),
                          file_name=f"{name}.xlsx", mime=_XLSX, on_click="ignore", key="compare.assist_xlsx",
                          icon=":material/download:")


def _need_detail(shown: pd.DataFrame, headers: dict[str, str], lang: str) -> None:
    """One action in full: its text and every country that needs it (cut short in the table's cells)."""
    labels = [f"{fmt_score(float(points), lang)} · {action}"
              for points, action in zip(shown[headers["points_at_stake"]], shown[headers["action"]], strict=True)]
    state.reword(KEY_DETAIL, lang)
    picked = st.selectbox(t("ui.compare.need.detail", lang), range(len(shown)), key=KEY_DETAIL,
                          format_func=lambda i: labels[i])
    if picked is None:
        return
    row = shown.to_dict("records")[int(picked)]
    with st.container(border=True):
        st.markdown(row[headers["action"]])
        st.caption(f"{row[headers['pillar_id']]} · {row[headers['horizon']]} · "
                   f"{headers['clause']}{separator(':', lang)}{row[headers['clause']]}")
        st.markdown(t("ui.compare.need.detail_countries", lang, n=row[headers["n_countries"]],
                      validated=row[headers["validated"]], reported=row[headers["self_reported"]]))
        st.markdown("\n".join(f"- {who}" for who in str(row[headers["countries"]]).split("; ")))


def _published(questionnaire: Questionnaire, selection: Selection, lang: str) -> None:
    """What a country's user sees of the others: medians of published assessments, never a country's row."""
    st.subheader(t("ui.compare.published_title", lang))
    st.caption(t("ui.compare.published_help", lang, min=MIN_COUNTRIES))
    if selection.cycle is not None:
        _published_chart(questionnaire, selection.cycle, selection.illustrative, lang)


def _published_chart(questionnaire: Questionnaire, cycle: int, illustrative: bool, lang: str) -> None:
    medians, table = medians_table(questionnaire, published_medians(cycle, illustrative), lang)
    if medians.empty:
        st.info(t("ui.compare.published_none", lang, min=MIN_COUNTRIES, cycle=cycle))
        return
    _chart_and_table(charts.heatmap(medians, questionnaire, lang), table, "compare.chart.published", lang,
                     side_by_side=False)


def _no_own_assessment(lang: str) -> None:
    """A country user with nothing of their own: say so, and offer to start one to whoever may."""
    may_start = allowed(auth.actor(), "create")
    st.info(t("ui.compare.own_none_start" if may_start else "ui.compare.own_none_ask", lang), icon=":material/info:")
    if may_start:
        nav.page_link(HOME, label=t("ui.compare.own_start", lang), icon=":material/play_arrow:")


def _published_only(questionnaire: Questionnaire, lang: str, illustrative: bool = False) -> None:
    """The published group medians alone, with a picker over the cycles that have published assessments."""
    st.subheader(t("ui.compare.published_title", lang))
    st.caption(t("ui.compare.published_help", lang, min=MIN_COUNTRIES))
    cycles = published_cycles(illustrative)
    if not cycles:
        st.info(t("ui.compare.published_nothing", lang), icon=":material/info:")
        return
    if illustrative:
        st.warning(t("illustrative", lang), icon=":material/science:")
    if st.session_state.get(state.COMPARE_PUBLISHED_CYCLE) not in cycles:
        st.session_state[state.COMPARE_PUBLISHED_CYCLE] = cycles[0]
    cycle = st.selectbox(t("ui.col.cycle", lang), cycles, key=state.COMPARE_PUBLISHED_CYCLE)
    _published_chart(questionnaire, int(cycle), illustrative, lang)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _files() -> ModuleType:
    """The export functions, imported on the first download (openpyxl is not needed to show the page)."""
    import exchange

    return exchange


def _file_stem(selection: Selection, what: str) -> str:
    parts = ["iotready", what, str(selection.cycle)]
    if selection.group:
        parts.append(selection.group.lower().replace(" & ", "-").replace(" ", "-"))
    if selection.illustrative:
        parts.append("illustrative")
    return "-".join(parts)


def _disclosure(rows: pd.DataFrame, selection: Selection, what: str) -> downloads.Disclosure:
    """What a Compare file discloses (its countries and assessments), for the audit trail."""
    ids = [str(i) for i in rows["id"]] if "id" in rows.columns else []
    return downloads.Disclosure(what=what, source="compare", countries=sorted(set(map(str, rows["country"]))),
                                count=len(rows), assessment_ids=ids,
                                cycles=[selection.cycle] if selection.cycle is not None else [])


def _exports(questionnaire: Questionnaire, ds: Dataset, selection: Selection, rows: pd.DataFrame, lang: str) -> None:
    st.caption(t("ui.compare.export_help", lang, n=len(rows)))
    docs = lambda: ds.documents(rows)  # noqa: E731  (loaded on the first download only)
    filters = selection.filters()
    name = _file_stem(selection, "assessments")
    cols = st.columns(3)
    told = _disclosure(rows, selection, "csv")
    cols[0].download_button("CSV",
                            data=downloads.made_on_click(
                                lambda _who: _files().export_csv(questionnaire, docs(), lang=lang), told),
                            file_name=f"{name}.csv", mime="text/csv", on_click="ignore", key="compare.export_csv",
                            icon=":material/download:")
    cols[1].download_button("XLSX",
                            data=downloads.made_on_click(
                                lambda _who: _files().export_xlsx(questionnaire, docs(), lang=lang, filters=filters),
                                replace(told, what="xlsx")),
                            file_name=f"{name}.xlsx", mime=_XLSX, on_click="ignore", key="compare.export_xlsx",
                            icon=":material/download:")
    cols[2].download_button("JSON",
                            data=downloads.made_on_click(
                                lambda _who: _files().export_json(questionnaire, docs(), filters=filters),
                                replace(told, what="json")),
                            file_name=f"{name}.json", mime="application/json", on_click="ignore",
                            key="compare.export_json", icon=":material/download:")


def _switch_on(key: str) -> None:
    st.session_state[key] = True


def _nothing_counted(ds: Dataset, selection: Selection, lang: str) -> None:
    """An empty selection says why (drafts not counted, the other data set) and offers the switch."""
    if selection.countries is not None and not selection.countries:
        st.info(t("ui.compare.empty_countries", lang), icon=":material/info:")  # none picked yet
        return
    offered = False
    if selection.submitted_only:
        drafts = ds.rows(replace(selection, submitted_only=False))
        if not drafts.empty:
            st.info(t("ui.compare.only_drafts", lang, n=len(drafts)), icon=":material/info:")
            st.button(t("ui.compare.count_drafts", lang), key="compare.switch_drafts", on_click=_switch_on,
                      args=(state.COMPARE_DRAFTS,), icon=":material/edit_note:")
            offered = True
    if not selection.illustrative and ds.cycles.get(True):
        if not offered:
            st.info(t("ui.compare.empty", lang), icon=":material/info:")
        st.button(t("ui.compare.show_demo", lang), key="compare.switch_demo", on_click=_switch_on,
                  args=(state.COMPARE_DEMO,), icon=":material/science:")
        offered = True
    if not offered:
        key = "ui.compare.empty_countries" if selection.countries is not None else "ui.compare.empty"
        st.info(t(key, lang), icon=":material/info:")


def _incomplete_note(rows: pd.DataFrame, lang: str) -> None:
    """Submitted assessments count whatever their completeness; say how many are incomplete.

    A submission is the Member State's own statement, so it is counted as submitted. Unanswered and
    "don't know" answers score 0 (docs/methodology.md, missing data): an incomplete assessment can only
    score lower than it would complete, never higher. The Completeness column shows which ones.
    """
    # Counted as "n of total" (no plural to agree with: right for 0, 1 and many), over the same countries as
    # the "countries counted" line, whatever their workflow state (a published assessment may be incomplete too).
    latest = rows.drop_duplicates("country", keep="last")
    incomplete = latest.loc[latest["completeness"] < 1]
    if not incomplete.empty:
        st.caption(t("ui.compare.incomplete_counted", lang, n=len(incomplete), total=len(latest)))


def main() -> None:
    lang = state.lang()
    questionnaire = data.questionnaire()
    st.title(t("ui.nav.compare", lang))
    st.caption(t("ui.compare.intro", lang))
    with st.spinner(t("ui.compare.loading", lang)):  # seconds after a write, with many assessments
        ds = dataset()
    if ds.outdated:
        st.caption(t("ui.compare.outdated", lang, n=ds.outdated, version=questionnaire.version))
    # The pickers' places, filled last (issue 26): the map and its table reach the browser before their scripts.
    selection_box = st.container()
    selection, draw_selection = _selection(ds, lang)
    try:
        if selection is not None:
            _selected(questionnaire, ds, selection, lang)
    finally:
        with selection_box:
            draw_selection()


def _selected(questionnaire: Questionnaire, ds: Dataset, selection: Selection, lang: str) -> None:
    """Everything under the selection box."""
    if selection.illustrative:
        st.warning(t("illustrative", lang), icon=":material/science:")
    rows = _named(ds.rows(selection), lang)
    if rows.empty:
        _nothing_counted(ds, selection, lang)
        if is_country_user(auth.actor()):  # nothing of their own counted here: the others' medians still are
            _published(questionnaire, selection, lang)
        return
    st.caption(t("ui.compare.counted", lang, n=rows["country"].nunique(), cycle=selection.cycle))
    country_user = is_country_user(auth.actor())
    if country_user:
        st.caption(t("ui.compare.own_only", lang))
    _incomplete_note(rows, lang)
    compare_provenance.caption(rows, selection.cycle, selection.illustrative, lang)
    focus, draw_focus = _focus(rows, lang)

    def focused(draw: Callable[[], None]) -> Callable[[], None]:
        def drawn() -> None:
            draw_focus()
            draw()
        return drawn

    def scores() -> None:
        _overview(questionnaire, ds, selection, rows, lang)
        if country_user:  # medians of their own rows would be their own scores again: the published ones instead
            _published(questionnaire, selection, lang)
        else:
            st.subheader(t("ui.compare.medians_title", lang))
            _medians(questionnaire, ds, selection, rows, lang)

    sections: dict[str, Callable[[], None]] = {
        # The map first: its drawing comes from the server, so the first screen needs no chart library (issue 26).
        "map": lambda: _map(questionnaire, ds, selection, rows, lang),
        "scores": scores,
        "distribution": focused(lambda: _distribution(questionnaire, ds, selection, rows, focus, lang)),
        "radar": lambda: _radar(questionnaire, rows, lang),
        "trends": focused(lambda: _trend(questionnaire, ds, selection, focus, lang)),
        "change": focused(lambda: _change(questionnaire, ds, selection, focus, lang)),
        "stability": lambda: _stability(ds, selection, rows, lang),
        "assistance": lambda: _assistance(questionnaire, ds, selection, rows, lang),
        "export": lambda: _exports(questionnaire, ds, selection, rows, lang),
    }
    # Only the open tab is drawn (a tab switch reruns the page): every tab drawn at once was most of what the
    # page sent to the browser before the reader saw the first table (issue 26).
    # A country's user sees only their own country on the map: they open on their scores beside the published
    # group medians, what they came to compare against.
    opening = t("ui.compare.tab.scores", lang) if country_user else None
    labels = {k: t(f"ui.compare.tab.{k}", lang) for k in sections}
    held = st.session_state.get(state.COMPARE_TAB)
    if opening is None and held is not None and held not in labels.values():
        # The open tab is held by its name: after a language switch, the same tab by its name in the new language
        # (it fell back to the first tab). A country's user opens on the scores tab (a default in the reader's
        # language, part of the tabs' identity): after a switch, there again.
        words = {t(f"ui.compare.tab.{k}", code): k for code in languages() for k in sections}
        if held in words:
            st.session_state[state.COMPARE_TAB] = labels[words[held]]
    tabs = st.tabs(list(labels.values()), key=state.COMPARE_TAB, on_change="rerun", default=opening)
    for tab, draw in zip(tabs, sections.values(), strict=True):
        with tab:
            if tab.open:
                draw()
