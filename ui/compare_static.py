"""The Compare page's first-screen world map, drawn on the server as one inline SVG (issue 26).

The Plotly choropleth made a new browser download and parse Plotly's 4.7 MB bundle and the world topojson
before the reader saw the map; this map is a few hundred kB of SVG paths built here from the same shipped
topojson (``static/topojson/world_110m.json``, Natural Earth 1:110m), so the first screen needs no chart
library. Countries are coloured by tier on the colour-blind-safe sequential scale, with a legend naming each
tier; the page shows it as an image with a text alternative (each country still carries a ``<title>``, its
name, score and tier, read when the image is opened alone); the table beside it lists every value, including
countries too small for a 1:110m map.
The interactive Plotly map stays one click away on the page. No Streamlit here: testable alone.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

import pandas as pd

from formatting.numbers import fmt_number, fmt_score
from formatting.palette import NEUTRAL_GREY, SEQUENTIAL
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t

TOPOJSON = Path(__file__).resolve().parents[1] / "static" / "topojson" / "world_110m.json"
WIDTH = 1000  # the SVG's own units; it scales to the column's width
LAT_RANGE = (-58.0, 84.0)  # the Plotly map's latitude range: the world without Antarctica
NO_DATA = "#EEEEEE"
_LEGEND_ROW = 28  # the legend: three entries a row under the map
_LEGEND_PER_ROW = 3


def _natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič et al., 2011), the Plotly map's own, in radians-based units."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * p2 * (0.003971 - 0.001529 * p2)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


_X_MAX = _natural_earth(180.0, 0.0)[0]
_Y_TOP, _Y_BOTTOM = _natural_earth(0.0, LAT_RANGE[1])[1], _natural_earth(0.0, LAT_RANGE[0])[1]
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round((_Y_TOP - _Y_BOTTOM) * SCALE)


def _point(lon: float, lat: float) -> tuple[float, float]:
    """Projected and scaled; outside the latitude range it falls outside the drawing, which clips it (clamped to
    the edge, the arctic islands and the far south were drawn as lines across the map)."""
    x, y = _natural_earth(lon, lat)
    return round((x + _X_MAX) * SCALE, 1), round((_Y_TOP - y) * SCALE, 1)


@lru_cache(maxsize=1)
def country_paths() -> dict[str, str]:
    """ISO3 -> the country's SVG path data, decoded once per process from the shipped topojson."""
    topo = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []  # longitude, latitude
    for arc in topo["arcs"]:  # quantized and delta-encoded
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> str:
        lonlat: list[tuple[float, float]] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            lonlat.extend(arc if not lonlat else arc[1:])
        # A ring crossing the antimeridian (Russia, Fiji) is unwrapped: its far side runs past the drawing's edge,
        # which clips it, instead of a line drawn across the whole map.
        shift = 0.0
        unwrapped = lonlat[:1]
        for (lon0, _), (lon1, lat1) in itertools.pairwise(lonlat):
            if lon1 - lon0 > 180:
                shift -= 360
            elif lon0 - lon1 > 180:
                shift += 360
            unwrapped.append((lon1 + shift, lat1))
        mean = sum(lon for lon, _ in unwrapped) / len(unwrapped)
        back = 360.0 if mean < -180 else -360.0 if mean > 180 else 0.0  # the ring's bulk on the map
        points = [_point(lon + back, lat) for lon, lat in unwrapped]
        kept = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
        return "M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z"

    paths: dict[str, str] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        iso3 = geometry.get("id")
        if not iso3 or iso3 == "ATA":  # Antarctica lies below the drawing
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        paths[str(iso3)] = paths.get(str(iso3), "") + "".join(ring(r) for polygon in polygons for r in polygon)
    return paths


def tier_colours(questionnaire: Questionnaire) -> dict[str, str]:
    """Tier id -> its colour on the sequential scale, lowest tier lightest (the Plotly map's scale, binned)."""
    tiers = sorted(questionnaire.tiers, key=lambda x: x.min_score)
    last = len(SEQUENTIAL) - 1
    return {tier.id: SEQUENTIAL[round(i * last / max(1, len(tiers) - 1))] for i, tier in enumerate(tiers)}


def drawn(points: pd.DataFrame) -> int:
    """How many of ``points`` the map can colour (small states absent from a 1:110m map are only in the table)."""
    paths = country_paths()
    return sum(1 for iso3 in set(map(str, points["iso3"])) if iso3 in paths)


def world_map_svg(points: pd.DataFrame, questionnaire: Questionnaire, lang: str, measure: str) -> str:
    """The map of ``points`` (``compare.map_data``: iso3, name, value, tier, tier_name) as an inline SVG.

    Every country of the file is drawn, those of ``points`` in their tier's colour with a tooltip, the others
    light grey ("no data"); a legend under the map names each tier and its score range.
    """
    colours = tier_colours(questionnaire)
    paths = country_paths()
    shown: dict[str, tuple[str, float, str, str]] = {
        str(iso3): (str(name), float(value), str(tier), "–" if pd.isna(tier_name) else str(tier_name))
        for iso3, name, value, tier, tier_name in zip(points["iso3"], points["name"], points["value"], points["tier"],
                                                       points["tier_name"], strict=True)
    }
    colon = separator(":", lang)
    label = t("ui.compare.static_map_label", lang, measure=measure, n=drawn(points))
    tiers = sorted(questionnaire.tiers, key=lambda x: x.min_score)
    bounds = [*(x.min_score for x in tiers[1:]), 100.0]
    entries = [(colours[x.id], f"{x.name.get(lang)} ({fmt_number(x.min_score, lang)}–{fmt_number(hi, lang)})")
               for x, hi in zip(tiers, bounds, strict=True)]
    entries.append((NO_DATA, t("ui.compare.static_map_no_data", lang)))
    legend_h = 8 + _LEGEND_ROW * math.ceil(len(entries) / _LEGEND_PER_ROW)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + legend_h}" role="img" '
        f'aria-label="{escape(label)}" style="width:100%;height:auto;display:block" '
        f'font-family="sans-serif" font-size="18">',
        f'<g stroke="{NEUTRAL_GREY}" stroke-width="0.4" stroke-linejoin="round">',
    ]
    for iso3, d in paths.items():
        row = shown.get(iso3)
        if row is None:
            parts.append(f'<path d="{d}" fill="{NO_DATA}"/>')
            continue
        name, value, tier, tier_name = row
        tip = f"{name}{colon}{fmt_score(value, lang)} · {tier_name}"
        parts.append(f'<path d="{d}" fill="{colours.get(tier, NO_DATA)}"><title>{escape(tip)}</title></path>')
    parts.append("</g>")
    step = WIDTH / _LEGEND_PER_ROW
    for i, (colour, text) in enumerate(entries):
        x, y = round((i % _LEGEND_PER_ROW) * step + 10, 1), HEIGHT + 8 + _LEGEND_ROW * (i // _LEGEND_PER_ROW)
        parts.append(f'<rect x="{x}" y="{y}" width="18" height="18" fill="{colour}" stroke="{NEUTRAL_GREY}"/>'
                     f'<text x="{x + 26}" y="{y + 16}" fill="#222222">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
