"""Which writing system a language uses, and what that asks of a layout: direction, line breaking, fonts.

A small table of its own so the PDF, the workbook and the browser agree on it before the language registry
(issue 24, the catalogs) exists; when that registry lands, :func:`script_of` is the one place that reads it.
Unknown languages are Latin, left to right: the two languages users have today (en, fr) change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    """How text of one writing system is laid out."""

    code: str  # ISO 15924, lower case: "latn", "cyrl", "arab", "hans"
    rtl: bool  # written right to left: pages, tables and sheets are mirrored
    break_anywhere: bool  # no spaces between words (Chinese): lines break between any two characters
    ot_language: str | None = None  # OpenType language tag, for HarfBuzz's language-specific forms


LATIN = Script("latn", rtl=False, break_anywhere=False)
CYRILLIC = Script("cyrl", rtl=False, break_anywhere=False, ot_language="RUS")
ARABIC = Script("arab", rtl=True, break_anywhere=False, ot_language="ARA")
HAN_SIMPLIFIED = Script("hans", rtl=False, break_anywhere=True, ot_language="ZHS")

_BY_LANG: dict[str, Script] = {
    "ar": ARABIC,
    "fa": ARABIC,
    "ur": ARABIC,
    "ru": CYRILLIC,
    "uk": CYRILLIC,
    "kk": CYRILLIC,
    "zh": HAN_SIMPLIFIED,
}


def script_of(lang: str) -> Script:
    """The script ``lang`` (a BCP 47 tag such as "ar", "zh-Hans", "ru") is written in; Latin when unknown."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    return _BY_LANG.get(primary, LATIN)


def is_rtl(lang: str) -> bool:
    """Whether ``lang`` is written right to left (Arabic): its pages, tables and sheets are mirrored."""
    return script_of(lang).rtl


def text_direction(lang: str) -> str:
    """``"rtl"`` or ``"ltr"``, as HTML's ``dir`` attribute and CSS's ``direction`` take it."""
    return "rtl" if is_rtl(lang) else "ltr"


def forward(lang: str) -> str:
    """The arrow from one state to the next ("draft → submitted"), pointing the way ``lang`` reads.

    Unicode mirrors brackets and "≥" in right-to-left text, but not arrows: "→" between two Arabic words would
    point back to where the reader came from.
    """
    return "\u2190" if is_rtl(lang) else "\u2192"


__all__ = ["ARABIC", "CYRILLIC", "HAN_SIMPLIFIED", "LATIN", "Script", "forward", "is_rtl", "script_of",
           "text_direction"]
