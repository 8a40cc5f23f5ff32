"""Plotly figures for the Compare page: pure functions returning the figure and the table shown beside it.

No Streamlit here, so each figure is testable alone and the benchmark's bare script can draw the very
same figures. Colours come from ``formatting.palette`` (Okabe-Ito and a colour-blind-safe sequential
scale); a colour is never the only cue (values are printed in heatmap cells, countries are named).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from formatting.numbers import fmt_decimal, fmt_number, fmt_score
from formatting.palette import COUNTRY_COLOUR, NEUTRAL_GREY, SEQUENTIAL, series_colour
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question
from ui.charts import separators

_FONT = {"family": "sans-serif", "size": 12}
_SCALE = [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]
# Radar lines also differ by dash, so overlapping countries stay apart without colour.
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
MAX_RADAR = 5
HEATMAP_TEXT_SIZE = 10  # px: readable on a phone; 57,5 still fits a cell of a 390-px-wide screen
HEATMAP_ROW_CHARS = 14  # a row's name on the chart, at most ("Afrique (n=12)" whole)
HEATMAP_ROW_PX = 30
# A column's name on the chart, at most: every pillar's short name whole ("Confiance, sécurité" read
# "Confiance, sécuri…" at 18); upright, 20 characters of 11 px fit the 120-px top margin.
HEATMAP_COLUMN_CHARS = 20  # a row tall enough for its value and its name
# Plotly fetches its world map from a CDN unless told otherwise; the app serves the file itself.
TOPOJSON_URL = "/app/static/topojson/"


def pillar_names(questionnaire: Questionnaire, lang: str) -> list[str]:
    return [p.name.get(lang) for p in questionnaire.pillars]


def _short(name: str, width: int = 22) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _short_row(name: str, width: int = HEATMAP_ROW_CHARS) -> str:
    """A heatmap row's name cut to ``width``, keeping a group's count: "Amériques (n=12)" -> "Amér… (n=12)"."""
    if len(name) <= width:
        return name
    base, sep, count = name.rpartition(" (")
    if sep and count.endswith(")") and len(count) + 4 <= width:
        return base[: width - len(count) - 3] + "… (" + count
    return _short(name, width)


def heatmap(
    rows: pd.DataFrame, questionnaire: Questionnaire, lang: str, *, label: str = "name"
) -> go.Figure:
    """Rows (countries or groups, labelled by column ``label``) by overall + pillar scores, 0-100.

    Each cell carries its value as text, so the colour scale is never needed to read a score. It is the
    very figure of the table beside it (one decimal, the reader's decimal mark: 57,5 not 58).
    """
    columns = ["overall", *(f"score_{p.id}" for p in questionnaire.pillars)]
    # Short pillar names: long ones were cut to "Stratégie nationale d…" in the column headers.
    x = [t("overall", lang), *(p.short_name(lang) for p in questionnaire.pillars)]
    z = rows[columns].to_numpy(dtype=float)
    text = [[fmt_score(None if pd.isna(v) else float(v), lang) for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=x, y=rows[label].tolist(), text=text, texttemplate="%{text}", zmin=0, zmax=100,
            # A fixed size: plotly otherwise shrank the values to fit the cells, about 4 px on a phone.
            textfont={"size": HEATMAP_TEXT_SIZE},
            colorscale=_SCALE, xgap=1, ygap=1,
            # The scale sideways under the chart: upright beside it, it took a fifth of a phone's width.
            colorbar={"title": {"text": t("score", lang), "side": "top"}, "orientation": "h", "y": -0.02,
                      "yanchor": "top", "thickness": 10, "len": 1},
            hovertemplate=f"%{{y}} · %{{x}}{separator(':', lang)}%{{text}}<extra></extra>",
        )
    )
    fig.update_layout(
        # Row names cut short (the table has them whole): long ones took half a phone's width from the cells.
        yaxis={"autorange": "reversed", "automargin": True, "tickmode": "array", "tickvals": rows[label].tolist(),
               "ticktext": [_short_row(str(n)) for n in rows[label]], "tickfont": {"size": 11}},
        # Every column named (plotly dropped every other one when they did not fit), upright so the names
        # never overlap however narrow the screen, and short (the table under the chart has the full ones).
        xaxis={"side": "top", "tickangle": -90, "tickmode": "array", "tickvals": x,
               "ticktext": [_short(n, HEATMAP_COLUMN_CHARS) for n in x], "automargin": True, "tickfont": {"size": 11}},
        margin={"l": 10, "r": 10, "t": 120, "b": 60}, font=_FONT,
        height=max(320, HEATMAP_ROW_PX * len(rows) + 200),
    )
    return fig


def radar_overlay(rows: pd.DataFrame, questionnaire: Questionnaire, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """Pillar scores of up to five countries (rows with ``name`` and pillar columns) on one radar."""
    rows = rows.head(MAX_RADAR)
    names = pillar_names(questionnaire, lang)
    axes = [p.short_name(lang) for p in questionnaire.pillars]
    cols = [f"score_{p.id}" for p in questionnaire.pillars]
    fig = go.Figure()
    for i, (_, row) in enumerate(rows.iterrows()):
        values = [0.0 if pd.isna(row[c]) else float(row[c]) for c in cols]
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]], theta=[*axes, axes[0]], name=str(row["name"]),
                line={"color": series_colour(i), "width": 2, "dash": _DASHES[i % len(_DASHES)]},
                hovertemplate=f"{row['name']} · %{{theta}}: %{{r:.1f}}<extra></extra>",
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [tier.min_score for tier in questionnaire.tiers]}},
        legend={"orientation": "h", "y": -0.15}, margin={"l": 120, "r": 120, "t": 40, "b": 30}, font=_FONT,
        height=500,
    )
    table = pd.DataFrame({t("pillar", lang): names})
    for _, row in rows.iterrows():
        table[str(row["name"])] = [row[c] for c in cols]
    return fig, table


def world_map(points: pd.DataFrame, lang: str, measure: str) -> go.Figure:
    """Choropleth of ``points`` (``compare.map_data``: iso3, name, value, tier_name); grey = no data."""
    fig = go.Figure(
        go.Choropleth(
            locations=points["iso3"], z=points["value"], locationmode="ISO-3", text=points["name"],
            customdata=points[["tier_name"]].fillna("–").to_numpy(), zmin=0, zmax=100, colorscale=_SCALE,
            marker={"line": {"color": NEUTRAL_GREY, "width": 0.4}},
            colorbar={"title": {"text": measure}},
            hovertemplate="%{text}: %{z:.1f} · %{customdata[0]}<extra></extra>",
        )
    )
    fig.update_geos(
        showcountries=True, countrycolor=NEUTRAL_GREY, showland=True, landcolor="#EEEEEE", showframe=False,
        projection_type="natural earth", showocean=False, showlakes=False,
        # The whole world (without Antarctica) whatever the selection: plotly would zoom to the data.
        fitbounds=False, lataxis_range=[-58, 84], lonaxis_range=[-180, 180],
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, font=_FONT, height=520)
    return fig


def distribution(
    long: pd.DataFrame, questionnaire: Questionnaire, lang: str, *, highlight: str | None = None,
    highlight_name: str = "",
) -> go.Figure:
    """One box (with every country as a point) per pillar; the highlighted country is a large diamond.

    ``long`` is ``compare.distribution``'s output: country, pillar_id, score.
    """
    order = [p.id for p in questionnaire.pillars]
    label = dict(zip(order, (_short(n, 26) for n in pillar_names(questionnaire, lang)), strict=True))
    y = long["pillar_id"].map(label)
    fig = go.Figure(
        go.Box(
            x=long["score"], y=y, orientation="h", boxpoints="all", jitter=0.4, pointpos=0,
            marker={"color": NEUTRAL_GREY, "size": 5, "opacity": 0.7}, line={"color": NEUTRAL_GREY},
            fillcolor="rgba(0,0,0,0)", name=t("ui.compare.all_countries", lang), text=long["country"],
            hovertemplate="%{text}: %{x:.1f}<extra></extra>",
        )
    )
    if highlight:
        mine = long.loc[long["country"] == highlight]
        fig.add_trace(
            go.Scatter(
                x=mine["score"], y=mine["pillar_id"].map(label), mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": COUNTRY_COLOUR, "line": {"color": "#000000",
                                                                                         "width": 1}},
                name=highlight_name or highlight, hovertemplate=f"{highlight_name}: %{{x:.1f}}<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis={"range": [-2, 102], "title": t("score", lang)},
        yaxis={"categoryorder": "array", "categoryarray": [label[p] for p in reversed(order)], "automargin": True},
        legend={"orientation": "h", "y": -0.2}, margin={"l": 10, "r": 10, "t": 10, "b": 40}, font=_FONT,
        height=max(300, 48 * len(order) + 80),
    )
    return fig


def trend_lines(trend: pd.DataFrame, questionnaire: Questionnaire, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    """Overall (thick) and pillar scores across cycles (``compare.trend``'s output, indexed by cycle)."""
    cycles = [str(c) for c in trend.index]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=cycles, y=trend["overall"], name=t("overall", lang), mode="lines+markers",
                   line={"color": "#000000", "width": 4})
    )
    for i, p in enumerate(questionnaire.pillars):
        fig.add_trace(
            go.Scatter(
                x=cycles, y=trend[f"score_{p.id}"], name=_short(p.name.get(lang), 30), mode="lines+markers",
                line={"color": series_colour(i), "width": 2, "dash": _DASHES[i % len(_DASHES)]},
                visible="legendonly" if i >= 4 else True,
            )
        )
    fig.update_layout(
        yaxis={"range": [0, 100], "title": t("score", lang)},
        xaxis={"type": "category", "title": t("ui.col.cycle", lang)},
        legend={"orientation": "v", "x": 1.02, "y": 1}, margin={"l": 10, "r": 10, "t": 10, "b": 40}, font=_FONT,
        height=420,
    )
    table = trend.reset_index().rename(columns=score_headers(questionnaire, lang))
    return fig, table


def stability(rows: pd.DataFrame, lang: str) -> go.Figure:
    """Median rank with its 90% interval per country (``rank_stability`` + a ``name`` column), best on top."""
    rows = rows.dropna(subset=["median_rank"])
    fig = go.Figure(
        go.Scatter(
            x=rows["median_rank"], y=rows["name"], mode="markers",
            marker={"color": COUNTRY_COLOUR, "size": 8, "symbol": "circle"},
            error_x={"type": "data", "symmetric": False, "array": rows["rank_p95"] - rows["median_rank"],
                     "arrayminus": rows["median_rank"] - rows["rank_p05"], "color": NEUTRAL_GREY, "thickness": 2},
            name=t("ui.compare.median_rank", lang),
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["rank"], y=rows["name"], mode="markers", name=t("ui.compare.nominal_rank", lang),
            marker={"symbol": "line-ns-open", "size": 12, "color": "#000000", "line": {"width": 2}},
        )
    )
    fig.update_layout(
        xaxis={"title": t("ui.compare.rank", lang), "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"}, margin={"l": 10, "r": 10, "t": 30, "b": 40},
        font=_FONT, height=max(300, 20 * len(rows) + 120),
    )
    return fig


def pillar_deltas(pillars: pd.DataFrame, questionnaire: Questionnaire, lang: str) -> go.Figure:
    """Change of each pillar's score between two cycles (``ChangeReport.pillars``), up or down."""
    names = [_short(questionnaire.pillar(p).name.get(lang), 30) for p in pillars["pillar_id"]]
    deltas = pillars["delta"].astype(float).fillna(0.0)
    fig = go.Figure(
        go.Bar(
            x=deltas, y=names, orientation="h", text=[fmt_decimal(d, lang, "+.1f") for d in deltas],
            textposition="outside", cliponaxis=False,
            marker={"color": [COUNTRY_COLOUR if d >= 0 else series_colour(5) for d in deltas],
                    "pattern": {"shape": ["" if d >= 0 else "/" for d in deltas]}},
            hovertemplate="%{y}: %{x:+.1f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": "#000000", "width": 1})
    fig.update_layout(
        yaxis={"autorange": "reversed", "automargin": True}, xaxis={"title": t("ui.compare.delta", lang)},
        margin={"l": 10, "r": 50, "t": 10, "b": 40}, font=_FONT, height=max(260, 36 * len(names) + 80),
        showlegend=False, separators=separators(lang),
    )
    return fig


def score_headers(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Column id -> translated header, for tables shown beside the figures."""
    headers = {"overall": t("overall", lang), "n": "n", "cycle": t("ui.col.cycle", lang)}
    headers.update({f"score_{p.id}": p.name.get(lang) for p in questionnaire.pillars})
    return headers


def context_bars(
    question: Question, names: list[str], figures: list[float | None], statuses: list[str], lang: str
) -> tuple[go.Figure, pd.DataFrame]:
    """A context indicator by country (issue 21, point 17): one grey bar per figure given, largest first.

    Grey, not a tier colour, and no tier ticks: the figure is in no score. The table lists every country of
    the selection, those without a figure with their answer's status ("Don't know", "Unanswered").
    """
    unit = question.numeric.unit.get(lang) if question.numeric else ""
    table = pd.DataFrame({t("ui.col.country", lang): names, unit: figures,
                          t("ui.col.status", lang): statuses})
    table = table.sort_values([unit, t("ui.col.country", lang)], ascending=[False, True], na_position="last")
    given = table[table[unit].notna()]
    fig = go.Figure(go.Bar(
        x=given[unit].tolist(), y=given[t("ui.col.country", lang)].tolist(), orientation="h",
        marker={"color": NEUTRAL_GREY}, text=[fmt_number(v, lang) for v in given[unit]], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_layout(
        xaxis={"title": unit, "showgrid": False}, yaxis={"autorange": "reversed"}, font=_FONT, showlegend=False,
        margin={"l": 10, "r": 30, "t": 20, "b": 40}, height=max(220, 26 * len(given) + 80),
        separators=separators(lang),
    )
    return fig, table.reset_index(drop=True)
