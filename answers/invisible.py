"""Invisible format characters taken out of user text (comments, evidence, justifications, review notes).

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what a reader sees: a
comment can display "approved" while it holds "devorppa", or make a number read backwards in a table
or a PDF ("Trojan Source"). Zero-width spaces, word joiners, byte-order marks, invisible operators,
interlinear annotations and tag characters hide text or split words, so a search misses them. None of
them is needed in English or French text, so they are removed where text is accepted (and again where
it is exported, for text stored before). Kept: tab and line breaks, the joiners U+200C/U+200D (needed by
Arabic and Persian shaping and by emoji sequences), the soft hyphen (it only shows a hyphen at a line
end). Control characters (NUL, ESC, ...) are refused instead, see ``answers.jsonread.CONTROL_CHARS``.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(
    "[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)


def visible(text: str) -> str:
    """``text`` without bidi controls and other invisible format characters."""
    return INVISIBLE.sub("", text)


def visible_any(value: object) -> object:
    """:func:`visible` on a text or on each text of a list; anything else as it is."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [visible(v) if isinstance(v, str) else v for v in value]
    return value
