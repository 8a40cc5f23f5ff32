"""World-map data for a plotly choropleth (ISO-3 locations)."""

from __future__ import annotations

import pytest

from compare import map_data, scores_frame
from tests.compare.conftest import MINI, make_doc


def test_one_row_per_country_with_its_latest_value() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "KEN", 2023, level=0.0), make_doc(MINI, "KEN", 2025, level=1.0),
                                make_doc(MINI, "ETH", 2025, level=0.5)])
    data = map_data(frame, MINI).set_index("iso3")
    ken = data.loc["KEN"].to_dict()
    assert (ken["cycle"], ken["value"]) == (2025, 100.0)
    assert list(data.columns) == ["name", "cycle", "value", "tier", "tier_name"]


def test_a_pillar_map_uses_the_pillar_score_and_french_names() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "ETH", level=0.25)])
    row = map_data(frame, MINI, pillar="ipv6", lang="fr").iloc[0]
    assert (row["name"], row["value"]) == ("Éthiopie", frame["score_ipv6"].item())


def test_unknown_pillar_is_refused() -> None:
    frame = scores_frame(MINI, [make_doc(MINI, "ETH")])
    with pytest.raises(ValueError, match="unknown pillar"):
        map_data(frame, MINI, pillar="nope")


@pytest.mark.parametrize(("lang", "name"), [("ru", "Эфиопия"), ("zh", "埃塞俄比亚"), ("es", "Etiopía")])
def test_the_map_names_member_states_in_every_offered_language(lang: str, name: str) -> None:
    """The frame holds English and French names only: a Russian or Chinese map showed "Ethiopia"."""
    frame = scores_frame(MINI, [make_doc(MINI, "ETH", level=0.25)])
    assert map_data(frame, MINI, lang=lang).iloc[0]["name"] == name
