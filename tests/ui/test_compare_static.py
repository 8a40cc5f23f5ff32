"""The Compare page's server-drawn world map (ui.compare_static): every value as shown, by tier, escaped."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pandas as pd

from questionnaires import default_questionnaire
from ui import compare_static

SVG = "{http://www.w3.org/2000/svg}"
Q = default_questionnaire()


def _points(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    tiers = {x.id: x.name.get("en") for x in Q.tiers}
    return pd.DataFrame({"iso3": [r[0] for r in rows], "name": [r[1] for r in rows], "cycle": 2025,
                         "value": [r[2] for r in rows], "tier": [r[3] for r in rows],
                         "tier_name": [tiers[r[3]] for r in rows]})


def _titles(svg: str) -> dict[str, str]:
    """Each coloured country's tooltip -> its fill."""
    root = ET.fromstring(svg)
    return {p.findtext(f"{SVG}title") or "": p.get("fill") or "" for p in root.iter(f"{SVG}path")
            if p.find(f"{SVG}title") is not None}


def test_every_country_of_the_shipped_map_has_a_closed_path_inside_the_drawing() -> None:
    paths = compare_static.country_paths()
    assert {"KEN", "CHL", "RWA", "FRA", "BRA", "RUS", "FJI"} <= set(paths)
    pairs = [(float(x), float(y)) for d in paths.values() for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]
    inside = [(x, y) for x, y in pairs if 0 <= x <= compare_static.WIDTH and 0 <= y <= compare_static.HEIGHT]
    assert len(inside) > 0.95 * len(pairs)  # the far north and past the antimeridian fall outside (clipped)
    for d in paths.values():  # no line across the map: a ring crossing the antimeridian is unwrapped
        for ring in d[1:].split("M"):
            xs = [float(x) for x, _ in re.findall(r"(-?[\d.]+),(-?[\d.]+)", ring)]
            assert max((abs(a - b) for a, b in itertools.pairwise(xs)), default=0) < compare_static.WIDTH / 4
    assert "ATA" not in paths
    assert all(d.startswith("M") and d.endswith("Z") for d in paths.values())


def test_each_country_is_coloured_by_its_tier_and_says_its_score_as_the_table_does() -> None:
    svg = compare_static.world_map_svg(
        _points([("KEN", "Kenya", 57.5, "establishing"), ("CHL", "Chile", 12.34, "building")]), Q, "en", "Overall")
    titles = _titles(svg)
    colours = compare_static.tier_colours(Q)
    assert titles == {"Kenya: 57.5 · Establishing": colours["establishing"],
                      "Chile: 12.3 · Building": colours["building"]}
    assert len(set(colours.values())) == len(Q.tiers)  # one colour per tier: the legend can name each
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "Overall" in (root.get("aria-label") or "")
    legend = [x.text for x in root.iter(f"{SVG}text")]
    assert [x.name.get("en") for x in sorted(Q.tiers, key=lambda x: x.min_score)] == [
        str(x).split(" (")[0] for x in legend[:-1]]
    assert legend[-1] == "No assessment"


def test_french_map_writes_decimal_commas_and_french_tiers() -> None:
    tiers_fr = {x.id: x.name.get("fr") for x in Q.tiers}
    points = _points([("KEN", "Kenya", 57.5, "establishing")]).assign(tier_name=tiers_fr["establishing"])
    svg = compare_static.world_map_svg(points, Q, "fr", "Global")
    assert list(_titles(svg)) == [f"Kenya\u202f: 57,5 · {tiers_fr['establishing']}"]
    assert "Sans évaluation" in svg


def test_a_hostile_name_is_text_not_markup() -> None:
    svg = compare_static.world_map_svg(
        _points([("KEN", '<script>alert(1)</script>"&', 50.0, "establishing")]), Q, "en", "<b>x</b>")
    assert "<script" not in svg and "<b>" not in svg
    assert next(iter(_titles(svg))).startswith('<script>alert(1)</script>"&')  # shown as typed, as text
