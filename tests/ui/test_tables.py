"""The localized Styler's quick display values equal what pandas' own Styler gives Streamlit."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from pandas.io.formats import style as pandas_styler
from streamlit.elements.lib.pandas_styler_utils import _use_display_values

from ui.charts import PERCENT_COLUMNS, SIGNED_COLUMNS
from ui.tables import localized


def _table() -> pd.DataFrame:
    table = pd.DataFrame({
        "Member State": ["Sénégal", "France", "Chile"],
        "Cycle": ["2024", "2025", "2025"],
        "Tier": ["Emerging", None, "Advanced"],          # text with a missing value
        "Completeness": [47.4, math.nan, 100.0],         # percent
        "Overall": [64.15, None, 8.0],                    # score
        "Change": [1.25, -3.0, math.nan],                 # signed
        "Questions": [59, 12, 0],                         # whole numbers
        "Mixed": ["a", 3, None],                          # no formatter, not all text
    })
    table.attrs[PERCENT_COLUMNS] = ["Completeness"]
    table.attrs[SIGNED_COLUMNS] = ["Change"]
    return table


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_display_values_equal_pandas_own(lang: str) -> None:
    table = _table()
    quick: Any = localized(table, lang)  # pandas' stubs lack the Styler internals Streamlit uses
    quick._compute()
    ours = _use_display_values(table, quick._translate(False, False))
    reference: Any = localized(table, lang)
    reference._compute()
    theirs = _use_display_values(table, translate_of(reference))
    pd.testing.assert_frame_equal(ours, theirs)
    if lang == "fr":
        assert ours.loc[0, "Overall"] == "64,2" and ours.loc[1, "Overall"] == "–"
        assert ours.loc[0, "Completeness"] == "47\u202f%"
        assert ours.loc[0, "Change"] == "+1,2"  # fmt_decimal rounds 1.25 half to even, as pandas would show it


def test_a_styled_table_falls_back_to_pandas() -> None:
    table = _table()
    styled: Any = localized(table, "en").map(lambda v: "color: red", subset=["Overall"])
    styled._compute()
    translated = styled._translate(False, False)
    assert translated["cellstyle"], "cell styles must survive: pandas' own translate was not used"


def translate_of(styler: Any) -> Any:
    """pandas' own ``Styler._translate`` (not the quick one set on the instance)."""
    full: Any = pandas_styler.Styler
    return full._translate(styler, False, False)
