"""Charts drawn on the server as SVG (matplotlib, as the PDF profile draws them), each with its table and alt text.

Why not Plotly on the Results page's first screen: a fresh browser downloads and parses Plotly's ~4 MB bundle for
the first ``st.plotly_chart``. Measured on 7 December 2026 (2-core machine, 5 rounds, each page in a fresh
Chromium context): a bare page drew in 1.47 s, the same page with one small Plotly chart in 3.13 s, with one
``st.dataframe`` in 1.94 s, with one ``st.table`` in 1.51 s and with one matplotlib SVG in 1.66 s. So the first
screen shows a picture the browser draws at once and a static table beside it; the interactive charts are drawn
only when the reader asks for them.

No Streamlit here (testable on its own). Colours from ``formatting.palette`` (Okabe-Ito, colour-blind safe); a
tier is always named as well as coloured. The SVG of one set of figures is worked out once per process.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import pandas as pd

from formatting.numbers import fmt_percent, fmt_score
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from scoring.results import ScoreResult
from ui.charts import PERCENT_COLUMNS, SIGNED_COLUMNS

# Text as text, not paths (as in the PDF): a third of the bytes; a browser without DejaVu Sans uses its sans-serif.
TEXT_AS = "none"
_FONT = "font-family: 'DejaVu Sans'"
_FONTS = "font-family: 'DejaVu Sans', Verdana, sans-serif"


def _web(svg: bytes) -> str:
    return svg.decode().replace(_FONT, _FONTS)


@dataclass(frozen=True)
class StaticChart:
    """An SVG picture, what it shows in words (its alt text) and its data as a table."""

    svg: str
    alt: str
    table: pd.DataFrame


def _tier(questionnaire: Questionnaire, tier_id: str | None, lang: str) -> str:
    return "–" if tier_id is None else questionnaire.tier(tier_id).name.get(lang)


def pillar_table(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> pd.DataFrame:
    """Each pillar's score, tier, target and gap (numbers stay numbers: the page formats them per language)."""
    return pd.DataFrame(
        {
            t("pillar", lang): [questionnaire.pillar(p.pillar_id).name.get(lang) for p in result.pillars],
            t("score", lang): pd.Series([p.score for p in result.pillars], dtype="float64"),
            t("tier", lang): [_tier(questionnaire, p.tier, lang) for p in result.pillars],
            # Numbers even when no target is set: a column of None showed the English word "None".
            t("target", lang): pd.Series([p.target for p in result.pillars], dtype="float64"),
            t("gap", lang): pd.Series([p.gap for p in result.pillars], dtype="float64"),
        }
    )


def pillar_scores(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> StaticChart:
    """One bar per pillar, coloured and named by tier, the target as a black tick, the tier bands above."""
    from reports.charts import PillarPoint, TierBand

    points = tuple(
        PillarPoint(
            label=questionnaire.pillar(p.pillar_id).short_name(lang), score=p.score, tier_id=p.tier,
            tier_label=_tier(questionnaire, p.tier, lang), target=p.target,
        )
        for p in result.pillars
    )
    bands = tuple(TierBand(x.name.get(lang), x.min_score, x.id) for x in questionnaire.tiers)
    svg = _bars(points, bands, t("score", lang), t("target", lang), lang)
    each = separator(";", lang).join(
        f"{point.label} {fmt_score(point.score, lang)} ({point.tier_label})" for point in points
    )
    alt = t("ui.results.scores_alt", lang, each=each)
    return StaticChart(svg, alt, pillar_table(questionnaire, result, lang))


@lru_cache(maxsize=256)
def _bars(points: tuple[object, ...], bands: tuple[object, ...], score_label: str, target_label: str,
          lang: str) -> str:
    from reports.charts import bars_svg

    return _web(bars_svg(points, country_label=score_label, target_label=target_label, tiers=bands,  # type: ignore[arg-type]
                    size=(6.7, 3.6), lang=lang, text_as=TEXT_AS))


def coverage(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> StaticChart:
    """Completeness and evidence coverage (0-100 %) per pillar, two bars each."""
    names = [questionnaire.pillar(p.pillar_id).name.get(lang) for p in result.pillars]
    short = tuple(questionnaire.pillar(p.pillar_id).short_name(lang) for p in result.pillars)
    completeness = tuple(100 * p.completeness for p in result.pillars)
    evidence = tuple(None if p.evidence_coverage is None else 100 * p.evidence_coverage for p in result.pillars)
    table = pd.DataFrame(
        {t("pillar", lang): names, t("completeness", lang): list(completeness),
         t("evidence_coverage", lang): pd.Series(evidence, dtype="float64")}
    )
    table.attrs[PERCENT_COLUMNS] = [t("completeness", lang), t("evidence_coverage", lang)]
    svg = _coverage_svg(short, completeness, evidence, t("completeness", lang), t("evidence_coverage", lang), lang)

    def pct(v: float | None) -> str:
        return "–" if v is None else fmt_percent(v, lang)

    each = separator(";", lang).join(
        f"{s} {pct(c)}, {pct(e)}" for s, c, e in zip(short, completeness, evidence, strict=True)
    )
    alt = t("ui.results.coverage_alt", lang, each=each)
    return StaticChart(svg, alt, table)


@lru_cache(maxsize=256)
def _coverage_svg(labels: tuple[str, ...], completeness: tuple[float, ...], evidence: tuple[float | None, ...],
                  completeness_label: str, evidence_label: str, lang: str) -> str:
    import numpy as np
    from matplotlib.figure import Figure

    from formatting.palette import COUNTRY_COLOUR, series_colour
    from reports.charts import _rc, _svg, _wrap, drawing, plain

    # _rc(lang): Chinese labels need Noto Sans SC beside DejaVu Sans (no Han), or they are drawn as boxes
    with drawing({**_rc(lang), "svg.fonttype": TEXT_AS}):
        n = len(labels)
        fig = Figure(figsize=(6.7, 0.42 * n + 0.9))
        ax = fig.subplots()
        y = np.arange(n)[::-1].astype(float)
        ev = [0.0 if e is None else e for e in evidence]
        ax.barh(y + 0.19, completeness, height=0.36, color=COUNTRY_COLOUR, label=plain(completeness_label))
        ax.barh(y - 0.19, ev, height=0.36, color=series_colour(1), hatch="///", edgecolor="white", linewidth=0,
                label=plain(evidence_label))
        for yi, c, e in zip(y, completeness, evidence, strict=True):
            ax.text(c + 1, yi + 0.19, fmt_percent(c, lang), va="center", fontsize=6.5)
            ax.text((e or 0.0) + 1, yi - 0.19, "–" if e is None else fmt_percent(e, lang), va="center", fontsize=6.5)
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xticklabels([fmt_percent(v, lang) for v in (0, 25, 50, 75, 100)])
        ax.set_yticks(y)
        ax.set_yticklabels([_wrap(x, 30) for x in labels], fontsize=7.3)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False, fontsize=7)
        fig.patch.set_alpha(0.0)
        return _web(_svg(fig))


# A static table in plain HTML: no Arrow decoder, no grid. Measured under load 16 (7 December 2026): a page with
# a metric and a 9-row ``st.table`` drew its first screen in 3.27 s, the same with the rows as an HTML/Markdown
# table in 2.45 s, a bare page in 2.04 s.
_TABLE_STYLE = (
    "<style>.iot-table{border-collapse:collapse;width:100%;font-size:0.9rem;margin:0 0 1rem}"
    ".iot-table th,.iot-table td{border:1px solid rgba(49,51,63,0.2);padding:0.25rem 0.5rem;vertical-align:top;"
    "text-align:left}.iot-table th{background:rgba(49,51,63,0.05);font-weight:600}"
    ".iot-table td.num{text-align:right;white-space:nowrap}.iot-table-frame{overflow-x:auto;max-width:100%}"
    ".iot-table-scroll{overflow-y:auto}.iot-table-scroll th{position:sticky;top:0;background:#f3f3f4}"
    ".iot-table-scroll:focus-visible{outline:3px solid #0072B2;outline-offset:2px}"
    "@media print{.iot-table-frame{overflow:visible;max-height:none!important}}</style>"
)


def picture_html(svg: str, alt: str) -> str:
    """An SVG as an ``<img>`` with its alt text, for ``st.html``: a data address, as ``st.image`` sends it, without
    the image element's own scripts (its viewer, toolbar and full-screen frame), which a fresh browser fetched
    before it drew the page's first picture (issue 26). ``st.html`` sanitizes with DOMPurify's HTML profile:
    an inline ``<svg>`` would be dropped, an ``<img>`` with a ``data:`` address is kept."""
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img class="iot-picture" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}" '
            'style="display:block;width:100%;height:auto;margin:0 0 0.75rem">')


def cell_text(value: object, column: str, table: pd.DataFrame, lang: str) -> str:
    """A cell as :func:`ui.tables.localized` writes it: one decimal in the language, '–' when missing, '%'."""
    from formatting.numbers import MISSING, fmt_decimal

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    if column in table.attrs.get(PERCENT_COLUMNS, ()):
        return fmt_percent(float(value), lang)  # type: ignore[arg-type]
    if column in table.attrs.get(SIGNED_COLUMNS, ()):
        return fmt_decimal(float(value), lang, "+.1f")  # type: ignore[arg-type]
    if pd.api.types.is_float_dtype(table[column]):
        return fmt_score(float(value), lang)  # type: ignore[arg-type]
    return str(value)


NUM_CELL = '<td class="num">'


def html_table(table: pd.DataFrame, lang: str, *, height: int | None = None, label: str | None = None) -> str:
    """``table`` as an HTML table (headers in ``<th scope="col">``, numbers right-aligned), every text escaped.

    With ``height`` (pixels) the table scrolls in a frame that high, its header kept in view; the frame is then a
    named region (``label``) in the tab order, so the keyboard scrolls it (arrow keys, Page Down)."""
    numeric = {c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])}
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(
            (NUM_CELL if c in numeric else "<td>") + escape(cell_text(v, c, table, lang)) + "</td>"
            for c, v in zip(table.columns, row, strict=True)
        ) + "</tr>"
        for row in table.itertuples(index=False)
    )
    # In a frame that scrolls sideways: the breakdown's eleven columns ran past the folded section's edge.
    frame = '<div class="iot-table-frame">'
    if height is not None:
        frame = (f'<div class="iot-table-frame iot-table-scroll" style="max-height:{int(height)}px" tabindex="0" '
                 f'role="region" aria-label="{escape(label or "")}">')
    return (f'{_TABLE_STYLE}{frame}<table class="iot-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")
