"""Issue 20.18: the Compare heatmap on a 390-px phone: values at a readable fixed size (plotly shrank them to
about 4 px), every column labelled and upright (no overlap, none dropped), short row names, taller rows."""

from __future__ import annotations

import pandas as pd
import pytest

from questionnaires import default_questionnaire
from ui.compare_charts import HEATMAP_ROW_CHARS, heatmap

Q = default_questionnaire()


def _rows(n: int = 30) -> pd.DataFrame:
    names = ["Bolivie (État plurinational de)", "République démocratique populaire lao",
             *[f"Pays {i}" for i in range(n)]]
    data = {"name": names, "overall": [57.5] * len(names)}
    data |= {f"score_{p.id}": [42.0] * len(names) for p in Q.pillars}
    return pd.DataFrame(data)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_heatmap_values_have_a_fixed_readable_size(lang: str) -> None:
    fig = heatmap(_rows(), Q, lang)
    assert fig.data[0].textfont.size >= 10


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_column_is_labelled_upright(lang: str) -> None:
    fig = heatmap(_rows(), Q, lang)
    axis = fig.layout.xaxis
    assert axis.tickmode == "array" and list(axis.tickvals) == list(fig.data[0].x)
    assert len(axis.ticktext) == 1 + len(Q.pillars)
    assert axis.tickangle == -90


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_row_names_are_short_and_rows_tall_enough(lang: str) -> None:
    rows = _rows()
    fig = heatmap(rows, Q, lang)
    assert max(len(x) for x in fig.layout.yaxis.ticktext) <= HEATMAP_ROW_CHARS <= 14
    assert list(fig.layout.yaxis.tickvals) == rows["name"].tolist()  # the hover and the table keep the full name
    assert fig.layout.height >= 28 * len(rows)


def test_a_groups_count_survives_the_shortening() -> None:
    from ui.compare_charts import _short_row

    assert _short_row("Afrique (n=6)") == "Afrique (n=6)"
    assert _short_row("Amériques et Caraïbes (n=12)") == "Amériq… (n=12)"
    assert len(_short_row("Amériques et Caraïbes (n=12)")) == HEATMAP_ROW_CHARS
    assert _short_row("Saint-Vincent-et-les-Grenadines") == "Saint-Vincent…"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_pillar_column_is_named_whole(lang: str) -> None:
    """At 390 px the upright names showed, but "Confiance, sécurité" read "Confiance, sécuri…"."""
    fig = heatmap(_rows(), Q, lang)
    assert list(fig.layout.xaxis.ticktext) == list(fig.data[0].x)
    assert all("…" not in name for name in fig.layout.xaxis.ticktext)
