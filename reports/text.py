"""User text made safe for the PDF: plain data, never markup, only glyphs the embedded fonts have.

fpdf2 draws text literally (no markup is parsed in ``cell``/``multi_cell`` unless asked), so ``<b>``,
``&amp;``, ``%s`` and ``{}`` need no escaping. What can break a PDF is a character the embedded
font has no glyph for (fpdf2 would draw nothing, or fail on a lone surrogate) and invisible
formatting characters; :func:`clean` replaces the first with a visible mark and drops the second.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

from formatting.scripts import ARABIC, CYRILLIC, HAN_SIMPLIFIED, LATIN, Script
from reports.fonts import fonts_for

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FAMILY = "DejaVuSans"
# fpdf2 style -> file: DejaVu Sans ships inside matplotlib's wheel (Bitstream Vera licence, free to embed).
FONT_FILES: dict[str, str] = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
_SCRIPTS: dict[str, Script] = {s.code: s for s in (LATIN, CYRILLIC, ARABIC, HAN_SIMPLIFIED)}
MISSING = "□"  # U+25A1 WHITE SQUARE, present in every DejaVu Sans face
# Words longer than this are wrapped character by character so they never overflow a line.
LONG_WORD = 40
_WORD = re.compile(r"\S+")
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
_RTL_CLASSES = frozenset({"R", "AL", "AN"})
_JOINERS = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner


@lru_cache(maxsize=32)
def _cmap(path: Path) -> frozenset[int]:
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@lru_cache(maxsize=16)
def covered(style: str = "", script: str = "latn") -> frozenset[int]:
    """Code points the faces for ``style`` ("", "B", "I", "BI") of ``script``'s font set have a glyph for."""
    fonts = fonts_for(_SCRIPTS.get(script, LATIN))
    return frozenset().union(*(_cmap(face.path(style)) for face in fonts.faces))


def clean(text: str | None, style: str = "", script: str = "latn") -> str:
    """``text`` with every character the face cannot draw replaced by :data:`MISSING`.

    Line breaks are kept, tabs become spaces, control and invisible formatting characters
    (zero-width spaces, bidi controls, variation selectors, emoji skin tones) are dropped, combining marks the
    font lacks are dropped (their base letter still shows), anything else it lacks shows as □.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    glyphs = covered(style, script)
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if ch == "\n":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf" and ch in _JOINERS:
            # Joiners matter for Arabic and Persian shaping; after a □ (emoji sequence) they mean nothing.
            if out and out[-1] != MISSING:
                out.append(ch)
            continue
        if cat in ("Cc", "Cf") or cp in _VARIATION_SELECTORS or cp in _EMOJI_MODIFIERS:
            continue
        if cp in glyphs:
            out.append(ch)
            continue
        if cat.startswith("M"):
            continue
        if cat == "Zs":
            out.append(" ")
        else:
            out.append(MISSING)
    return "".join(out)


def one_line(text: str | None, style: str = "", script: str = "latn") -> str:
    """:func:`clean` with line breaks folded into spaces, for table cells and headings."""
    return " ".join(clean(text, style, script).split())


def needs_shaping(text: str) -> bool:
    """Whether the text holds right-to-left letters, which need HarfBuzz shaping and bidi reordering."""
    return any(ord(ch) >= 0x0590 and unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def starts_right_to_left(text: str) -> bool:
    """Whether the first strong character is right-to-left (the paragraph then aligns right)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def has_long_word(text: str, limit: int = LONG_WORD) -> bool:
    """Whether some run of non-space characters is too long to wrap at spaces."""
    return any(len(m.group()) > limit for m in _WORD.finditer(text))


def wrap_by_char(text: str, limit: int = LONG_WORD) -> bool:
    """Whether to wrap at any character: for one long token such as a web address.

    Text with spaces keeps word wrapping (fpdf2 still splits a word longer than the line), so a
    300-character word in a comment does not make every other word break mid-way.
    """
    return has_long_word(text, limit) and not any(ch.isspace() for ch in text.strip())


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def clause_quote(text: str, lang: str, limit: int) -> str:
    """A clause quoted in the reader's typography: « … » with narrow no-break spaces in French, «…» in Russian
    (its typography's quotation marks; Babel does not carry CLDR's), “…” in the other languages.

    A clause is quoted out of its resolution, where it ends with the "," or ";" that joins it to the next:
    inside the quote that mark reads as a typo (« … ; »), so it is dropped (issue 20.15).
    """
    body = truncate(text.strip(), limit).rstrip(" ,;:")
    if lang == "fr":
        return f"«\u202f{body}\u202f»"
    return f"«{body}»" if lang == "ru" else f"“{body}”"


__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "FONT_FILES",
    "LONG_WORD",
    "MISSING",
    "clause_quote",
    "clean",
    "covered",
    "has_long_word",
    "needs_shaping",
    "one_line",
    "starts_right_to_left",
    "truncate",
    "wrap_by_char",
]
