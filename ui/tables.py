"""How the app shows a chart with its data: every chart has its table beside (or under) it.

The table serves screen readers, copy-paste and colour-blind readers; scores show one decimal
everywhere, as in the PDF and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st


def score_columns(table: pd.DataFrame) -> dict[str, Any]:
    """One decimal for every float column."""
    return {
        c: st.column_config.NumberColumn(format="%.1f") for c in table.columns if pd.api.types.is_float_dtype(table[c])
    }


def chart_with_table(
    fig: Any,
    table: pd.DataFrame,
    key: str,
    *,
    side_by_side: bool = True,
    config: Mapping[str, Any] | None = None,
    table_height: int | None = None,
) -> None:
    """``fig`` and ``table`` side by side (or the table under a chart that needs the width).

    ``config`` adds plotly options (e.g. the Compare map's own topojson URL); ``table_height`` fixes a
    long side table's height to about the chart's.
    """
    chart_config = {"displaylogo": False, **(config or {})}
    columns = score_columns(table)
    first = str(table.columns[0])
    if not pd.api.types.is_numeric_dtype(table[first]):
        columns[first] = st.column_config.TextColumn(width="medium")  # long pillar or country names
    if side_by_side:
        left, right = st.columns([1, 1], vertical_alignment="center")
        left.plotly_chart(fig, key=key, config=chart_config)
        if table_height is None:
            right.dataframe(table, hide_index=True, width="stretch", column_config=columns)
        else:
            right.dataframe(table, hide_index=True, width="stretch", column_config=columns, height=table_height)
    else:
        st.plotly_chart(fig, key=key, config=chart_config)
        st.dataframe(table, hide_index=True, width="stretch", column_config=columns)
