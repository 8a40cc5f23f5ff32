"""Compare, rank-stability section: it draws within the expert panel's spread when the version has one,
and says which draw it used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from questionnaires.panel import PanelWeight, write_panel
from tests.ui.conftest import MINI, Env, texts
from tests.ui.test_compare import compare, open_tab, three  # noqa: F401  (the fixture)


def _stability_table(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "Median rank" in df.value.columns)


def test_without_a_panel_the_section_says_it_multiplied_by_0_5_to_1_5(three: Env) -> None:  # noqa: F811
    at = open_tab(compare(three), "stability")
    assert "No expert panel has weighed this questionnaire version" in texts(at)
    assert not [r for r in at.radio if r.key == "compare.stability_draw"]
    assert len(_stability_table(at)) == 3


def test_with_a_panel_it_draws_within_its_spread_and_says_so(
    three: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    folder = tmp_path / "weighed"
    shutil.copytree(MINI, folder)
    q = three.questionnaire
    write_panel(folder, [PanelWeight("pillar", p.id, p.weight, p.weight / 2, p.weight * 2, 5) for p in q.pillars])
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(folder))
    at = open_tab(compare(three), "stability")
    assert at.radio(key="compare.stability_draw").value == "panel"
    assert "between the lowest and the highest weight the expert panel gave it" in texts(at)
    assert sorted(_stability_table(at)["Member State"]) == ["Chile", "Kenya", "Rwanda"]
    at.radio(key="compare.stability_draw").set_value("uniform").run()
    assert "whatever the expert panel said" in texts(at)
    assert "between the lowest and the highest weight" not in texts(at)
