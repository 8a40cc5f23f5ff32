"""One palette for every chart in the app and in the PDF.

Okabe-Ito colours (Okabe & Ito, 2008): distinguishable with the common forms of colour-vision
deficiency. Tier colours run from vermillion (Building) to bluish green (Role-modelling) and are
never the only cue: every chart also labels the tier by name.
"""

from __future__ import annotations

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

TIER_COLOURS: dict[str, str] = {
    "building": "#D55E00",
    "evolving": "#E69F00",
    "establishing": "#F0E442",
    "advancing": "#56B4E9",
    "role_modelling": "#009E73",
}

COUNTRY_COLOUR = "#0072B2"
TARGET_COLOUR = "#000000"
PEER_COLOUR = "#CC79A7"
NEUTRAL_GREY = "#999999"

# Sequential, colour-blind-safe scale for maps and heatmaps (low -> high).
SEQUENTIAL: list[str] = ["#FFFFE5", "#D9F0A3", "#78C679", "#238443", "#004529"]


def tier_colour(tier_id: str | None) -> str:
    return TIER_COLOURS.get(tier_id or "", NEUTRAL_GREY)


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio (1 to 21); text needs 4.5 to be read by most people with low vision."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill`: the body ink (#212121) on vermillion is 4.2:1, under AA."""
    return max(("#000000", "#FFFFFF"), key=lambda ink: contrast(ink, fill))


def series_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]
