"""How the app shows a chart with its data: every chart has its table beside (or under) it.

The table serves screen readers, copy-paste and colour-blind readers; scores show one decimal
everywhere, as in the PDF and the command line.

Numbers in the reader's language: ``st.column_config.NumberColumn(format=...)`` always writes a decimal point
(printf style) and its "localized" preset follows the browser's locale, not the language chosen in the app.
So a table shown in a language goes through :func:`localized`, a pandas Styler whose display values carry
the decimal comma, the "–" for a missing value and the percent sign; the cells keep their numbers, so a
column still sorts as numbers. Column formats from ``column_config`` would override the Styler, so
localized tables get none for their numbers.

Streamlit reads a Styler's display values through pandas' ``Styler._translate``, which builds the whole
HTML model of the table (classes, attributes, index cells) cell by cell: for the Home page's 1,940 rows it
cost four times the rest of the page's rerun. A localized Styler therefore gets a ``_translate`` that
builds only what Streamlit reads (each data cell's id and display value, from the same per-cell
formatters pandas would call); any styling beyond formats falls back to pandas' own
(``tests/ui/test_tables.py`` checks both give the same display values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from formatting.numbers import MISSING, fmt_decimal, fmt_percent, fmt_score

# A table's attrs[PERCENT_COLUMNS]: its columns in percent (0-100); attrs[SIGNED_COLUMNS]: changes (+1.5).
from ui.charts import PERCENT_COLUMNS, SIGNED_COLUMNS


def score_columns(table: pd.DataFrame) -> dict[str, Any]:
    """One decimal for every float column."""
    return {
        c: st.column_config.NumberColumn(format="%.1f") for c in table.columns if pd.api.types.is_float_dtype(table[c])
    }


def localized(table: pd.DataFrame, lang: str) -> Styler:
    """``table`` shown in ``lang``: one decimal with the language's mark, '–' for a missing value."""
    percent = set(table.attrs.get(PERCENT_COLUMNS, ()))
    signed = set(table.attrs.get(SIGNED_COLUMNS, ()))
    formatters: dict[Any, Any] = {}
    for c in table.columns:
        if c in percent:
            formatters[c] = lambda v: MISSING if pd.isna(v) else fmt_percent(v, lang)
        elif c in signed:
            formatters[c] = lambda v: MISSING if pd.isna(v) else fmt_decimal(float(v), lang, "+.1f")
        elif pd.api.types.is_float_dtype(table[c]):
            formatters[c] = lambda v: fmt_score(None if pd.isna(v) else float(v), lang)
    plain = [n for n, c in enumerate(table.columns) if c not in formatters]
    return _display_values_only(table.style.format(formatters, na_rep=MISSING), plain)


def _display_values_only(styler: Styler, plain: list[int]) -> Styler:
    """``styler`` with a ``_translate`` that builds only the data cells' ids and display values (see the
    module's docstring); it stays a plain Styler (Streamlit recognizes a Styler by its exact type).

    A ``plain`` column (no formatter) whose cells are all text shows them as they are, which is what
    Streamlit shows for a cell without a display value: its cells are left out."""
    st_: Any = styler  # pandas' stubs do not declare the Styler internals used here
    full = st_._translate

    def translate(sparse_index: bool, sparse_cols: bool, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if (st_.ctx or st_.table_styles or st_.hidden_rows or st_.hidden_columns or st_.cell_context
                or args or kwargs or not st_.cell_ids):
            return full(sparse_index, sparse_cols, *args, **kwargs)  # styled beyond formats: pandas' own
        data = st_.data
        funcs = st_._display_funcs
        columns = [(c, data.iloc[:, c].tolist()) for c in range(data.shape[1])]
        shown = [(c, values) for c, values in columns
                 if c not in plain or not all(isinstance(v, str) for v in values)]
        body = [
            [{"id": f"row{r}_col{c}", "display_value": funcs[(r, c)](values[r])} for c, values in shown]
            for r in range(data.shape[0])
        ]
        return {"body": body, "cellstyle": [], "table_styles": []}

    st_._translate = translate
    return styler


def text_columns(table: pd.DataFrame) -> dict[str, Any]:
    """Column settings of a localized table: none for numbers (the Styler formats them)."""
    first = str(table.columns[0])
    if pd.api.types.is_numeric_dtype(table[first]):
        return {}
    return {first: st.column_config.TextColumn(width="medium")}  # long pillar or country names


def chart_with_table(
    fig: Any,
    table: pd.DataFrame,
    key: str,
    *,
    side_by_side: bool = True,
    config: Mapping[str, Any] | None = None,
    table_height: int | None = None,
    lang: str | None = None,
) -> None:
    """``fig`` and ``table`` side by side (or the table under a chart that needs the width).

    ``config`` adds plotly options (e.g. the Compare map's own topojson URL); ``table_height`` fixes a
    long side table's height to about the chart's; with ``lang`` the table's numbers are written in that
    language (:func:`localized`).
    """
    # No plotly toolbar: it covered legends and axis labels; every chart's data is in the table beside it.
    chart_config = {"displaylogo": False, "displayModeBar": False, **(config or {})}
    shown: pd.DataFrame | Styler = table
    if lang is not None:
        shown = localized(table, lang)
        columns = text_columns(table)
    else:
        columns = score_columns(table)
        first = str(table.columns[0])
        if not pd.api.types.is_numeric_dtype(table[first]):
            columns[first] = st.column_config.TextColumn(width="medium")  # long pillar or country names
    if side_by_side:
        left, right = st.columns([1, 1], vertical_alignment="center")
        left.plotly_chart(fig, key=key, config=chart_config)
        if table_height is None:
            right.dataframe(shown, hide_index=True, width="stretch", column_config=columns, placeholder=MISSING)
        else:
            right.dataframe(shown, hide_index=True, width="stretch", column_config=columns, height=table_height,
                            placeholder=MISSING)
    else:
        st.plotly_chart(fig, key=key, config=chart_config)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=columns, placeholder=MISSING)
