"""Vector charts for the PDF, drawn with matplotlib (Agg) and handed to fpdf2 as SVG.

Same palette and tier colours as the app (``formatting.palette``); tiers are always named as well as
coloured. Text is drawn as paths (``svg.fonttype = path``) so the SVG needs no font, and ids are
salted with a constant so the same data always gives the same bytes.

Drawn with matplotlib's object API (``Figure``), not pyplot: pyplot keeps every open figure in one global
registry, which matplotlib advises against in a web server, and it costs a sixth of a second more to import
at start. matplotlib is not thread-safe and its style (``rcParams``) is global, while the app draws charts in
one thread per session: every chart is drawn under :func:`drawing`, one at a time. Without it, a Chinese and
an English chart drawn at the same moment swapped fonts and text modes (Chinese labels as empty boxes, issue 26).
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.projections.polar import PolarAxes

from formatting.numbers import fmt_score
from formatting.palette import (
    COUNTRY_COLOUR,
    NEUTRAL_GREY,
    PEER_COLOUR,
    TARGET_COLOUR,
    tier_colour,
)
from reports.fonts import fonts_for

_RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "iotready-profile",
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.6,
    "text.usetex": False,
}
_fonts_lock = threading.Lock()
_drawing_lock = threading.RLock()


@contextmanager
def drawing(rc: dict[str, Any]) -> Iterator[None]:
    """Draw one chart in the style ``rc``, alone: no other thread changes the style or draws meanwhile."""
    with _drawing_lock, matplotlib.rc_context(rc):  # type: ignore[arg-type]  # keys are checked at run time
        yield


def _rc(lang: str) -> dict[str, Any]:
    """The chart style in ``lang``: Chinese labels fall back to Noto Sans SC (DejaVu has no Han), never boxes.

    matplotlib (3.11, libraqm) shapes and orders Arabic itself, in DejaVu Sans as the rest of the profile.
    """
    fonts = fonts_for(lang)
    if not fonts.fallbacks:
        return _RC
    with _fonts_lock:  # registered once per process; the file is checked (FontMissing) before matplotlib sees it
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for style in ("", "B"):
            path = str(fonts.primary.path(style))
            if path not in known:
                font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=str(fonts.primary.path(""))).get_name()
    return {**_RC, "font.family": ["DejaVu Sans", name]}


_METADATA = re.compile(rb"<metadata>.*?</metadata>\s*", re.S)
_CLIP_USE = re.compile(rb' clip-path="url\(#[^)]*\)"')
_CLIP_DEF = re.compile(rb"<clipPath .*?</clipPath>\s*", re.S)


@dataclass(frozen=True)
class PillarPoint:
    """One pillar as a chart shows it (scores 0-100; None when the pillar has no score)."""

    label: str
    score: float | None
    tier_id: str | None
    tier_label: str
    target: float | None = None
    peer: float | None = None


@dataclass(frozen=True)
class TierBand:
    label: str
    min_score: float
    tier_id: str


def plain(label: str) -> str:
    """A label matplotlib shows literally: no mathtext ($), not hidden from legends (leading _)."""
    label = label.replace("$", r"\$")
    return " " + label if label.startswith("_") else label


def _wrap(label: str, width: int, *, whole_words: bool = False) -> str:
    """``label`` over lines of about ``width`` characters; ``whole_words`` never splits a word."""
    return "\n".join(textwrap.wrap(plain(label), width=width, break_long_words=not whole_words)) or " "


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.patch.set_alpha(0.0)  # transparent, so the draft mark behind shows through
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight", pad_inches=0.02)
    # fpdf2 ignores <metadata> but logs a warning for it on every chart, and it strokes the outline of
    # polar clip paths (stray radii): every mark here lies inside its axes, so clipping is not needed.
    svg = _METADATA.sub(b"", buf.getvalue())
    return _CLIP_DEF.sub(b"", _CLIP_USE.sub(b"", svg))


RADAR_SIZE = (6.4, 4.3)  # inches; the profile lays the radar out from its height/width ratio


def radar_svg(
    points: Sequence[PillarPoint],
    *,
    country_label: str,
    target_label: str,
    peer_label: str | None = None,
    tiers: Sequence[TierBand] = (),
    size: tuple[float, float] = RADAR_SIZE,
    lang: str = "en",
) -> bytes:
    """Pillar scores on a radar, with the target polygon (and the peer medians) when given."""
    with drawing(_rc(lang)):
        n = len(points)
        angles = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
        closed = np.append(angles, angles[0])
        fig = Figure(figsize=size)
        ax = fig.add_subplot(projection="polar")
        assert isinstance(ax, PolarAxes)
        ax.set_theta_offset(np.pi / 2)  # first pillar at the top, then clockwise
        ax.set_theta_direction(-1)
        ax.set_ylim(0, 100)
        rings = [b.min_score for b in tiers if b.min_score > 0] or [25, 50, 75]
        ax.set_yticks([*rings, 100])
        # The outer ring needs no "100": it would collide with the first pillar's label.
        ax.set_yticklabels([f"{r:g}" for r in rings] + [""], color="#666666", fontsize=6.5)
        ax.set_rlabel_position(180 / max(n, 1))
        ax.set_xticks(angles)
        ax.set_xticklabels([_wrap(p.label, 20) for p in points], fontsize=7.5)
        ax.tick_params(axis="x", pad=10, length=0)
        ax.tick_params(axis="y", length=0)
        ax.grid(color="#CCCCCC", linewidth=0.5)
        ax.spines["polar"].set_color("#BBBBBB")

        def series(values: list[float | None]) -> np.ndarray:
            arr = np.array([0.0 if v is None else v for v in values])
            return np.append(arr, arr[0])

        scores = series([p.score for p in points])
        ax.fill(closed, scores, color=COUNTRY_COLOUR, alpha=0.18, linewidth=0)
        ax.plot(
            closed, scores, color=COUNTRY_COLOUR, linewidth=1.8, marker="o", markersize=3.5,
            label=plain(country_label),
        )
        if any(p.peer is not None for p in points):
            ax.plot(
                closed, series([p.peer for p in points]), color=PEER_COLOUR, linewidth=1.3, linestyle=(0, (1, 1.5)),
                marker="D", markersize=2.8, label=plain(peer_label or "peer"),
            )
        if any(p.target is not None for p in points):
            ax.plot(
                closed, series([p.target for p in points]), color=TARGET_COLOUR, linewidth=1.0, linestyle="--",
                label=plain(target_label),
            )
        ax.set_thetalim(0, 2 * np.pi)  # plotting would otherwise autoscale the circle into a wedge
        ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.08), frameon=False, fontsize=7.5)
        return _svg(fig)


def bars_svg(
    points: Sequence[PillarPoint],
    *,
    country_label: str,
    target_label: str,
    peer_label: str | None = None,
    tiers: Sequence[TierBand] = (),
    size: tuple[float, float] = (6.7, 4.2),
    lang: str = "en",
    text_as: str = "path",
) -> bytes:
    """Horizontal bars per pillar coloured by tier and labelled with score (in ``lang``'s decimals) and tier.

    With peer medians, a thinner bar in the peer colour sits beside each country bar. ``text_as="none"``
    keeps the text as text (a browser draws it in its own font; a fifth of the bytes) instead of paths.
    """
    with drawing({**_rc(lang), "svg.fonttype": text_as}):
        n = len(points)
        has_peer = any(p.peer is not None for p in points)
        fig = Figure(figsize=size)
        ax = fig.subplots()
        y = np.arange(n)[::-1].astype(float)
        h = 0.42 if has_peer else 0.62
        offset = 0.2 if has_peer else 0.0
        for yi, p in zip(y, points, strict=True):
            value = p.score or 0.0
            ax.barh(yi + offset, value, height=h, color=tier_colour(p.tier_id), edgecolor="#333333", linewidth=0.5)
            text = "–" if p.score is None else f"{fmt_score(p.score, lang)} · {plain(p.tier_label)}"
            # On white, so a tier's dashed line does not run through the figure.
            ax.text(max(value, p.target or 0.0) + 1.5, yi + offset, text, va="center", fontsize=7,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8})
            if has_peer and p.peer is not None:
                ax.barh(yi - 0.22, p.peer, height=0.26, color=PEER_COLOUR, alpha=0.85, edgecolor="none")
                ax.text(p.peer + 1.2, yi - 0.22, fmt_score(p.peer, lang), va="center", fontsize=6.5, color="#555555")
            if p.target is not None:
                ax.plot([p.target, p.target], [yi + offset - h / 2 - 0.05, yi + offset + h / 2 + 0.05],
                        color=TARGET_COLOUR, linewidth=1.6)
        for band in tiers:
            if band.min_score <= 0:
                continue
            ax.axvline(band.min_score, color=NEUTRAL_GREY, linewidth=0.6, linestyle=(0, (3, 3)), zorder=0)
        for i, band in enumerate(tiers):
            upper = tiers[i + 1].min_score if i + 1 < len(tiers) else 100.0
            # Whole words: "En établissement" was split "En établisse / ment".
            ax.text((band.min_score + upper) / 2, n - 0.35, _wrap(band.label, 12, whole_words=True), ha="center",
                    va="bottom", fontsize=6.3, color="#444444")
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_ylim(-0.6, n - 0.1 + 0.55)
        ax.set_yticks(y)
        ax.set_yticklabels([_wrap(p.label, 30) for p in points], fontsize=7.3)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles: list[Artist] = []
        if has_peer:
            handles.append(Rectangle((0, 0), 1, 1, color=PEER_COLOUR, label=plain(peer_label or "peer")))
        if any(p.target is not None for p in points):
            handles.append(Line2D([0], [0], color=TARGET_COLOUR, linewidth=1.6, label=plain(target_label)))
        if handles:
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False,
                      fontsize=7)
        return _svg(fig)


__all__ = ["PillarPoint", "TierBand", "bars_svg", "plain", "radar_svg"]
