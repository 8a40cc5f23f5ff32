"""Issue 20.13: Results without targets never say "against your targets"; the radar's rings are explained as
the tier thresholds; no tier line runs across the bars' labels."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assessment import service
from tests.ui.conftest import Env, open_page
from tests.ui.test_results import answered, interactive, pictures, plotly_specs


def _results(env: Env, aid: str, lang: str) -> AppTest:
    at = env.app(aid)
    at.query_params["lang"] = lang
    return open_page(at, "results")


def _said(at: AppTest) -> str:
    return " ".join(str(getattr(e, "value", "")) for kind in ("subheader", "caption", "markdown") for e in at.get(kind))


@pytest.mark.parametrize(("lang", "against"), [("en", "against your targets"),
                                               ("fr", "par rapport à vos objectifs")])
def test_without_targets_nothing_is_said_against_them(env: Env, lang: str, against: str) -> None:
    at = _results(env, answered(env), lang)
    assert not at.exception
    assert against not in _said(at)


@pytest.mark.parametrize(("lang", "against"), [("en", "against your targets"),
                                               ("fr", "par rapport à vos objectifs")])
def test_with_a_target_the_radar_is_against_it(env: Env, lang: str, against: str) -> None:
    aid = answered(env)
    with env.session() as s:
        service.set_targets(s, assessment_id=aid, targets={"ipv6": 70.0})
    at = _results(env, aid, lang)
    assert against in _said(at)


@pytest.mark.parametrize(("lang", "rings"), [
    ("en", "The rings mark the score where each tier starts: 0 "),
    ("fr", "Les cercles marquent le score à partir duquel commence chaque niveau\u202f: 0 "),
])
def test_the_radar_rings_are_explained_as_tier_thresholds(env: Env, lang: str, rings: str) -> None:
    at = interactive(_results(env, answered(env), lang))
    radar = plotly_specs(at)[0]
    ticks = radar["layout"]["polar"]["radialaxis"]["tickvals"]
    caption = next(c.value for c in at.caption if rings in c.value)
    assert all(f"{int(x)} " in caption for x in ticks)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_tier_line_crosses_the_bar_labels(env: Env, lang: str) -> None:
    at = _results(env, answered(env), lang)
    svg = pictures(at)[0][0]
    # The tier bands' dashed lines stop under the labels: each label sits on a white box of its own.
    assert svg.count("fill: #ffffff") >= len(env.questionnaire.pillars)
    bars = plotly_specs(interactive(at))[1]
    assert [s for s in bars["layout"].get("shapes", []) if s.get("type") == "line"] == []
    assert bars["layout"]["xaxis"]["showgrid"] is False
    assert bars["layout"]["xaxis"]["tickvals"][:5] == [0, 25, 45, 65, 85]
