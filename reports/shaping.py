"""Shaped text widths measured once: an Arabic profile without HarfBuzz asked the same width again and again.

With text shaping on (Arabic), fpdf2 measures a line by shaping the growing fragment again after each character
(``TTFFont.shaped_text_width``: a HarfBuzz call, then a Python loop over the glyphs), and a table measures every
cell twice (its height, then the cell): one Arabic profile asked 226,000 times for 69,000 distinct widths.
A width depends only on the font file, the text, the size and the shaping parameters, so widths are kept
(bounded) and shared by every document drawn with the same face. That takes about 40 % of the CPU off an
Arabic profile (``benchmarks.languages``). fpdf2 is pinned below 2.9 (pyproject.toml): this wraps its one
method, and ``tests/reports/test_shaping.py`` checks that a profile is byte for byte the one the library's
own method draws.

The widths are kept per *context* (font file, font key, size, shaping parameters), each context a dict of
text → width. fpdf2 asks for one fragment's growing prefixes in a row, so the recent contexts are remembered and
recognized without building their key again: the same font file object, size and parameters dict, with the
same contents (fpdf2 changes a paragraph's directions in place). Building the key per call (a tuple of the
parameters, hashed with their enums, and a ``Path`` compared in the lookup) cost more than the lookup itself.

A bulk run's pool workers start empty: ``export`` gives what this process kept, ``merge`` takes it in (a
worker's initializer), and a worker hands back what it measured (``take_new``) with each profile, so the next
pool starts with every width the last one measured (``reports.bulk``).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import fpdf.fpdf
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont

_measure = TTFFont.shaped_text_width  # the library's own

Context = tuple[str, str, float, tuple[Any, ...] | None]  # font file, font key, size, shaping parameters
Widths = dict[Context, dict[str, tuple[int, float]]]

_WIDTHS: Widths = {}
_count = 0  # widths kept in _WIDTHS
MAX_WIDTHS = 200_000  # a few tens of MB at most; an Arabic profile measures 69,000, the next one reuses most

# Widths measured since the last ``take_new``, when this process hands them back (a pool worker); else None.
_new: Widths | None = None

# The contexts asked lately, by the identity of the parameters dict fpdf2 passed, of the font file object and the
# size: that dict and file (held, so their ids are not reused), the font key, a copy of the dict's contents then,
# and the context's widths. fpdf2 alternates between a few (a paragraph's bidi runs, a table's cells).
_Recent = tuple[Any, Any, str, dict[str, Any] | None, dict[str, tuple[int, float]]]
_recent: dict[tuple[int, int, float], _Recent] = {}
_RECENT = 64


def _frozen(value: Any) -> Any:
    """A hashable form of a shaping parameter (a dict of OpenType features, a list)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | set):
        return tuple(_frozen(v) for v in value)
    return value if isinstance(value, Hashable) else repr(value)


def _params_key(params: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """The parameters as a key: fpdf2's are enums, strings, None and one dict of OpenType features."""
    if not params:
        return None
    return tuple((k, _frozen(v)) for k, v in params.items())


def _copy(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parameters' contents now, to tell later whether fpdf2 changed them in place."""
    if params is None:
        return None
    return {k: (dict(v) if type(v) is dict else list(v) if type(v) is list else v) for k, v in params.items()}


def _context(font: TTFFont, size: float, params: dict[str, Any] | None) -> dict[str, tuple[int, float]]:
    """The widths kept for this font file, size and parameters (made if new); remembered among the recent."""
    key: Context = (str(font.ttffile), font.fontkey, size, _params_key(params))
    widths = _WIDTHS.get(key)
    if widths is None:
        widths = _WIDTHS[key] = {}
    if len(_recent) >= _RECENT:
        _recent.clear()
    _recent[id(params), id(font.ttffile), size] = (params, font.ttffile, font.fontkey, _copy(params), widths)
    return widths


def shaped_text_width(self: TTFFont, text: str, font_size_pt: float,
                      text_shaping_params: dict[str, Any] | None) -> tuple[int, float]:
    """``TTFFont.shaped_text_width``, remembered by font file, text, size and parameters.

    Keyed by the face's file, not the font object: ``TTFFont`` has ``__slots__`` (no attribute to keep them in,
    no weak reference), and a font object must not be kept alive (a CJK face parses 10 MB).
    """
    global _count
    seen = _recent.get((id(text_shaping_params), id(self.ttffile), font_size_pt))
    if (seen is not None and seen[0] is text_shaping_params and seen[1] is self.ttffile and seen[2] == self.fontkey
            and text_shaping_params == seen[3]):
        widths = seen[4]
    else:
        widths = _context(self, font_size_pt, text_shaping_params)
    found = widths.get(text)
    if found is None:
        if _count >= MAX_WIDTHS:
            clear()
            widths = _context(self, font_size_pt, text_shaping_params)
        found = widths[text] = _measure(self, text, font_size_pt, text_shaping_params)
        _count += 1
        if _new is not None:
            key = (str(self.ttffile), self.fontkey, font_size_pt, _params_key(text_shaping_params))
            _new.setdefault(key, {})[text] = found
    return found


def clear() -> None:
    """Forget every kept width."""
    global _count
    _WIDTHS.clear()
    _recent.clear()
    _count = 0


def kept() -> int:
    """How many widths this process keeps."""
    return _count


def export() -> Widths:
    """A copy of every kept width, to hand to another process (``merge``)."""
    return {key: dict(widths) for key, widths in _WIDTHS.items()}


def merge(widths: Widths) -> None:
    """Keep widths measured elsewhere (by another process with the same fonts), within ``MAX_WIDTHS``."""
    global _count
    for key, given in widths.items():
        if _count + len(given) > MAX_WIDTHS:
            return
        mine = _WIDTHS.setdefault(key, {})
        before = len(mine)
        mine.update(given)
        _count += len(mine) - before


def hand_back(on: bool = True) -> None:
    """From now on, keep what this process measures for ``take_new`` (a pool worker), or stop."""
    global _new
    _new = {} if on else None


def take_new() -> Widths:
    """The widths measured since the last call (empty unless ``hand_back`` is on)."""
    global _new
    if not _new:
        return {}
    new, _new = _new, {}
    return new


Runs = tuple[tuple[str, TextDirection], ...]
_RUNS: dict[tuple[str, TextDirection | None, bool, bool, str | None], Runs] = {}
MAX_PARAGRAPHS = 20_000  # an Arabic profile writes some 1,600 paragraphs, most of them in every profile


class KeptBidiParagraph:
    """fpdf2's ``BidiParagraph`` as the library uses it (one call, ``get_bidi_fragments``), the answer kept.

    With text shaping on, fpdf2 runs the Unicode bidi algorithm on every paragraph it writes (Python, per
    character: about a sixth of an Arabic profile), though the answer depends only on the text, the base
    direction and the page-count alias; a profile writes the questionnaire's texts that every profile of the
    language writes. The runs are tuples of strings and enums: nothing in them can be changed by a caller.
    """

    __slots__ = ("key",)

    def __init__(self, text: str, base_direction: TextDirection | None = None, debug: bool = False,
                 preserve_bn_chars: bool = False, alias: str | None = None) -> None:
        self.key = (text, base_direction, debug, preserve_bn_chars, alias)

    def get_bidi_fragments(self) -> Runs:
        runs = _RUNS.get(self.key)
        if runs is None:
            if len(_RUNS) >= MAX_PARAGRAPHS:
                _RUNS.clear()
            text, base_direction, debug, preserve_bn_chars, alias = self.key
            runs = _RUNS[self.key] = BidiParagraph(text, base_direction, debug, preserve_bn_chars,
                                                   alias).get_bidi_fragments()
        return runs


def install() -> None:
    """Make every TrueType font of this process remember its shaped widths, and fpdf2 its paragraphs' bidi
    runs (idempotent)."""
    TTFFont.shaped_text_width = shaped_text_width  # type: ignore[method-assign]
    fpdf.fpdf.BidiParagraph = KeptBidiParagraph  # type: ignore[assignment,misc]


__all__ = [
    "MAX_PARAGRAPHS", "MAX_WIDTHS", "KeptBidiParagraph", "Widths", "clear", "export", "hand_back", "install", "kept",
    "merge", "shaped_text_width", "take_new",
]
