"""Plotly figures for the Results page: pure functions returning the figure and the table shown beside it.

No Streamlit here, so each chart is testable on its own. Every colour comes from ``formatting.palette``;
tier colours are never the only cue (each bar is labelled with its tier name).
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from formatting.numbers import fmt_number, fmt_score, percent_suffix
from formatting.palette import COUNTRY_COLOUR, NEUTRAL_GREY, TARGET_COLOUR, series_colour, tier_colour
from questionnaires.languages import cldr
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from scoring.results import ScoreResult

_FONT = {"family": "sans-serif", "size": 13}
PERCENT_COLUMNS = "percent_columns"  # table.attrs key read by ui.tables.localized (no Streamlit here)
SIGNED_COLUMNS = "signed_columns"  # table.attrs key: columns of changes, written with their sign (+1,5)


def separators(lang: str) -> str:
    """Plotly's number formatting (hover values, axis ticks): CLDR's decimal mark then group separator for
    ``lang`` (French ",\u202f", Spanish ",.", English "."), as ``formatting.numbers`` writes numbers."""
    facts = cldr(lang)
    return f"{facts['decimal']}{facts['group']}"


def _pillar_name(questionnaire: Questionnaire, pillar_id: str, lang: str) -> str:
    return questionnaire.pillar(pillar_id).name.get(lang)


def _tier_label(questionnaire: Questionnaire, tier_id: str | None, lang: str) -> str:
    return "–" if tier_id is None else questionnaire.tier(tier_id).name.get(lang)


def _wrap(text: str, width: int = 18) -> str:
    """Long pillar names break over lines so the radar's labels are not cut at the edges."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def tier_rings_text(questionnaire: Questionnaire, lang: str) -> str:
    """What the radar's rings (and the bars' ticks) are: the score where each tier starts."""
    starts = ", ".join(f"{fmt_number(x.min_score, lang)} {x.name.get(lang)}" for x in questionnaire.tiers)
    return t("ui.results.tier_rings", lang, starts=starts)


def radar(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """Pillar scores against the targets the user set, on a 0-100 radar."""
    names = [_pillar_name(questionnaire, p.pillar_id, lang) for p in result.pillars]
    # Short names on the axes: the full ones were clipped at the chart's edges (the table has them).
    axes = [_wrap(questionnaire.pillar(p.pillar_id).short_name(lang), 12) for p in result.pillars]
    scores = [p.score or 0.0 for p in result.pillars]
    table = pd.DataFrame(
        {
            t("pillar", lang): names,
            t("score", lang): [p.score for p in result.pillars],
            t("tier", lang): [_tier_label(questionnaire, p.tier, lang) for p in result.pillars],
            # Numbers even when no target is set: a column of None showed the English word "None".
            t("target", lang): pd.Series([p.target for p in result.pillars], dtype="float64"),
            t("gap", lang): pd.Series([p.gap for p in result.pillars], dtype="float64"),
        }
    )
    fig = go.Figure()
    # Close the polygon by repeating the first point.
    fig.add_trace(
        go.Scatterpolar(
            r=[*scores, scores[0]], theta=[*axes, axes[0]], name=t("score", lang), fill="toself",
            line={"color": COUNTRY_COLOUR, "width": 2}, opacity=0.8,
            hovertemplate="%{theta}: %{r:.1f}<extra></extra>",
        )
    )
    if any(p.target is not None for p in result.pillars):
        # A pillar without a target is a gap, not a target of 0: one target alone was drawn as a spike
        # from the centre. Markers show each target; the dashed line joins neighbours that both have one.
        targets = [p.target for p in result.pillars]
        fig.add_trace(
            go.Scatterpolar(
                r=[*targets, targets[0]], theta=[*axes, axes[0]], name=t("target", lang), mode="lines+markers",
                connectgaps=False, line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                marker={"color": TARGET_COLOUR, "size": 8}, hovertemplate="%{theta}: %{r:.1f}<extra></extra>",
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [t_.min_score for t_ in questionnaire.tiers]}},
        showlegend=True, legend={"orientation": "h", "y": -0.15}, margin={"l": 100, "r": 100, "t": 40, "b": 40},
        font={**_FONT, "size": 12}, height=480, separators=separators(lang),
    )
    return fig, table


def pillar_bars(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """One bar per pillar, coloured and labelled by tier, with the tier thresholds as guide lines."""
    names = [_pillar_name(questionnaire, p.pillar_id, lang) for p in result.pillars]
    tiers = [_tier_label(questionnaire, p.tier, lang) for p in result.pillars]
    table = pd.DataFrame(
        {
            t("pillar", lang): names,
            t("score", lang): [p.score for p in result.pillars],
            t("tier", lang): tiers,
            t("ui.col.weight", lang): [p.weight for p in result.pillars],
        }
    )
    fig = go.Figure(
        go.Bar(
            # Short names on the axis (the full ones are in the table under the chart), so the bars and
            # their labels keep the width on a phone.
            x=[p.score or 0.0 for p in result.pillars], orientation="h",
            y=[_wrap(questionnaire.pillar(p.pillar_id).short_name(lang), 16) for p in result.pillars],
            marker={
                "color": [tier_colour(p.tier) for p in result.pillars],
                "line": {"color": NEUTRAL_GREY, "width": 1},
            },
            text=[f"{fmt_score(p.score, lang)} · {tier}" for p, tier in zip(result.pillars, tiers, strict=True)],
            # Beside the bar, horizontal and full size: inside, plotly shrank the label of a short bar to
            # a few pixels and turned it vertical.
            textposition="outside", textangle=0, cliponaxis=False, textfont={"size": 13, "color": "#222222"},
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    # The tier thresholds are the axis ticks, not lines across the chart: dotted lines at 25/45/65/85 ran
    # through the labels beside the bars (issue 20.13), on a phone above all.
    thresholds = [x.min_score for x in questionnaire.tiers]
    fig.update_layout(
        # Room right of 100 for the label of a full bar.
        xaxis={"range": [0, 160], "tickvals": [*thresholds, 100], "showgrid": False, "ticks": "outside",
               "ticklen": 6, "title": t("ui.results.bars_axis", lang)},
        yaxis={"autorange": "reversed"}, uniformtext={"minsize": 12, "mode": "show"},
        margin={"l": 10, "r": 10, "t": 20, "b": 40}, font=_FONT, height=max(220, 60 * len(names) + 80),
        showlegend=False, separators=separators(lang),
    )
    return fig, table


def coverage_bars(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """Completeness and evidence coverage (0-100 %) per pillar, side by side."""
    names = [_pillar_name(questionnaire, p.pillar_id, lang) for p in result.pillars]
    completeness = [100 * p.completeness for p in result.pillars]
    evidence = [None if p.evidence_coverage is None else 100 * p.evidence_coverage for p in result.pillars]
    table = pd.DataFrame(
        {t("pillar", lang): names, t("completeness", lang): completeness, t("evidence_coverage", lang): evidence}
    )
    table.attrs[PERCENT_COLUMNS] = [t("completeness", lang), t("evidence_coverage", lang)]
    # Horizontal bars, the pillar names wrapped on the left: under vertical bars they were cut.
    labels = [_wrap(questionnaire.pillar(p.pillar_id).short_name(lang), 16) for p in result.pillars]
    fig = go.Figure(
        [
            go.Bar(name=t("completeness", lang), y=labels, x=completeness, orientation="h",
                   marker_color=COUNTRY_COLOUR),
            go.Bar(name=t("evidence_coverage", lang), y=labels, x=[e or 0.0 for e in evidence], orientation="h",
                   marker_color=series_colour(1)),
        ]
    )
    fig.update_layout(
        barmode="group", xaxis={"range": [0, 100], "ticksuffix": percent_suffix(lang)},
        yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.12},
        margin={"l": 10, "r": 10, "t": 20, "b": 40}, font=_FONT, height=max(260, 60 * len(names) + 100),
        separators=separators(lang),
    )
    return fig, table
