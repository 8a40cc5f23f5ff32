"""Chart builders: pure functions, palette colours, a table that matches the figure."""

from __future__ import annotations

import pytest

from answers.document import Answer
from formatting.palette import COUNTRY_COLOUR, TARGET_COLOUR, TIER_COLOURS
from questionnaires import load_questionnaire
from questionnaires.languages import REGISTRY, cldr
from scoring import score
from tests.strategies import document
from ui import charts

Q = load_questionnaire("tests/fixtures/mini")
RESULT = score(Q, document(Q, {"pol_framework": Answer(value="adopted"), "v6_users": Answer(value=60.0)}))


def test_radar_without_targets_has_one_closed_trace() -> None:
    fig, table = charts.radar(Q, RESULT, "en")
    [trace] = fig.data
    assert trace.r[0] == trace.r[-1] and len(trace.r) == len(Q.pillars) + 1
    assert trace.line.color == COUNTRY_COLOUR
    assert list(table["Score"]) == [p.score for p in RESULT.pillars]


def test_radar_with_targets_adds_a_target_trace() -> None:
    with_target = score(Q, document(Q, {"v6_users": Answer(value=60.0)}), targets={"ipv6": "advancing"})
    fig, table = charts.radar(Q, with_target, "en")
    assert [tr.line.color for tr in fig.data] == [COUNTRY_COLOUR, TARGET_COLOUR]
    assert list(table["Target"].dropna()) == [65.0]
    # The pillars without a target are gaps, not 0: no spike from the centre to the one target.
    target = fig.data[1]
    assert [r for r in target.r if r is not None] == [65.0, 65.0][: list(target.r).count(65.0)]
    assert 0.0 not in list(target.r) and target.connectgaps is False


def test_bars_are_coloured_and_labelled_by_tier() -> None:
    fig, table = charts.pillar_bars(Q, RESULT, "fr")
    [bar] = fig.data
    assert list(bar.marker.color) == [TIER_COLOURS[p.tier or ""] for p in RESULT.pillars]
    assert all(Q.tier(p.tier or "").name.fr in text for p, text in zip(RESULT.pillars, bar.text, strict=True))
    assert list(table["Niveau"]) == [Q.tier(p.tier or "").name.fr for p in RESULT.pillars]


def test_coverage_table_is_in_percent() -> None:
    _, table = charts.coverage_bars(Q, RESULT, "en")
    assert list(table["Completeness"]) == [100 * p.completeness for p in RESULT.pillars]


def test_french_charts_write_plotly_numbers_with_a_decimal_comma() -> None:
    for build in (charts.radar, charts.pillar_bars, charts.coverage_bars):
        fig, _ = build(Q, RESULT, "fr")
        assert fig.layout.separators == ",\u202f"  # hover values and ticks: "47,7", thousands "1 000"
        fig, _ = build(Q, RESULT, "en")
        assert fig.layout.separators == ".,"
    fig, table = charts.coverage_bars(Q, RESULT, "fr")
    assert fig.layout.xaxis.ticksuffix == "\u202f%"  # horizontal bars: the percent axis is x
    assert table.attrs[charts.PERCENT_COLUMNS] == ["Complétude", "Couverture par des justificatifs"]


def test_radar_table_without_targets_holds_no_python_none() -> None:
    """An empty target column is numeric (shown "–"), never the English word "None"."""
    _, table = charts.radar(Q, RESULT, "fr")
    assert table["Objectif"].dtype == "float64"
    assert table["Objectif"].isna().all()


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_every_languages_charts_write_plotly_numbers_with_its_cldr_marks(lang: str) -> None:
    """Spanish once took English's "47.7" in the charts' hover values and ticks (issue 24)."""
    import pandas as pd

    from ui import compare_charts

    wanted = {"es": ",.", "fr": ",\u202f", "en": ".,", "zh": ".,", "ru": ",\u00a0"}.get(lang)
    decimal = cldr(lang)["decimal"]
    for build in (charts.radar, charts.pillar_bars, charts.coverage_bars):
        fig, _ = build(Q, RESULT, lang)
        assert fig.layout.separators == f"{decimal}{cldr(lang)['group']}"
        assert wanted is None or fig.layout.separators == wanted
    deltas = pd.DataFrame({"pillar_id": [p.id for p in Q.pillars], "delta": [11.5, -2.25]})
    fig = compare_charts.pillar_deltas(deltas, Q, lang)
    assert list(fig.data[0].text) == [f"+11{decimal}5", f"-2{decimal}2"]  # the bars' labels, drawn by the server
    assert fig.layout.separators == f"{decimal}{cldr(lang)['group']}"  # the hover's
