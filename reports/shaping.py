"""Shaped text widths measured once: an Arabic profile without HarfBuzz asked the same width again and again.

With text shaping on (Arabic), fpdf2 measures a line by shaping the growing fragment again after each character
(``TTFFont.shaped_text_width``: a HarfBuzz call, then a Python loop over the glyphs), and a table measures every
cell twice (its height, then the cell): one Arabic profile asked 367,000 times for 69,000 distinct widths.
A width depends only on the font file, the text, the size and the shaping parameters, so widths are kept
(bounded) and shared by every document drawn with the same face. That takes about 40 % of the CPU off an
Arabic profile (``benchmarks.languages``). fpdf2 is pinned below 2.9 (pyproject.toml): this wraps its one
method, and ``tests/reports/test_shaping.py`` checks that a profile is byte for byte the one the library's
own method draws.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from fpdf.fonts import TTFFont

_measure = TTFFont.shaped_text_width  # the library's own
_WIDTHS: dict[tuple[Any, ...], tuple[int, float]] = {}
MAX_WIDTHS = 200_000  # a few tens of MB at most; an Arabic profile measures 69,000, the next one reuses most


def _frozen(value: Any) -> Any:
    """A hashable form of a shaping parameter (a dict of OpenType features, a list)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | set):
        return tuple(_frozen(v) for v in value)
    return value if isinstance(value, Hashable) else repr(value)


def _params_key(params: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """The parameters as a key: fpdf2's are enums, strings, None and one dict of OpenType features.

    Built for every width asked (two per character a line is broken at): plain type tests, since an
    ``isinstance(v, Hashable)`` per value (an ABC check) cost more than the width lookup it keys.
    """
    if not params:
        return None
    key: list[Any] = []
    for k, v in params.items():
        kind = type(v)
        if kind is dict:
            v = tuple((f, _frozen(on)) for f, on in v.items())
        elif kind is list or kind is set:
            v = _frozen(v)
        key.append(k)
        key.append(v)
    return tuple(key)


def shaped_text_width(self: TTFFont, text: str, font_size_pt: float,
                      text_shaping_params: dict[str, Any] | None) -> tuple[int, float]:
    """``TTFFont.shaped_text_width``, remembered by font file, text, size and parameters.

    Keyed by the face's file, not the font object: ``TTFFont`` has ``__slots__`` (no attribute to keep them in),
    and a font object must not be kept alive (a CJK face parses 10 MB).
    """
    key = (self.ttffile, self.fontkey, text, font_size_pt, _params_key(text_shaping_params))
    try:
        found = _WIDTHS.get(key)
    except TypeError:  # a parameter of a type fpdf2 2.8.9 does not give: made hashable the slow way
        key = (*key[:4], tuple((k, _frozen(v)) for k, v in (text_shaping_params or {}).items()))
        found = _WIDTHS.get(key)
    if found is None:
        if len(_WIDTHS) >= MAX_WIDTHS:
            _WIDTHS.clear()
        found = _WIDTHS[key] = _measure(self, text, font_size_pt, text_shaping_params)
    return found


def install() -> None:
    """Make every TrueType font of this process remember its shaped widths (idempotent)."""
    TTFFont.shaped_text_width = shaped_text_width  # type: ignore[method-assign]


__all__ = ["MAX_WIDTHS", "install", "shaped_text_width"]
