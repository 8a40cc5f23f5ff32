"""Safe echo for the terminal: anything that came from input is printed with its control characters escaped.

A question id, a file name or a cell can hold ESC sequences (colours, cursor moves, a fake prompt,
even a terminal title or clipboard write), bidirectional overrides that reorder what is shown, or
a carriage return that overwrites the line. Printed through :func:`printable`, each becomes a
visible escape (``\\x1b``, ``\\u202e``), so the user sees what the file holds and the terminal obeys
nothing in it. :func:`shown` also escapes Rich markup, for text placed inside a marked-up line.

French puts a narrow no-break space before ``:`` ``;`` ``!`` ``?`` and inside « »; Rich wraps at any
whitespace (its word pattern is ``\\s``, which matches no-break spaces), so a line could end in "valide"
and the next start with a lone ":". Importing this module teaches Rich's wrapper that no-break spaces
glue: U+00A0, U+2007 and U+202F stay inside the word they join.
"""

from __future__ import annotations

import re

import rich._wrap
from rich.markup import escape

# C0 (with tab and line breaks: one problem stays one line), DEL, C1, bidirectional controls, lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_GLUE = "\u00a0\u2007\u202f"  # no-break, figure and narrow no-break spaces: never a place to wrap
# Rich reads this pattern (module global) each time it wraps: a word runs through no-break spaces.
rich._wrap.re_word = re.compile(rf"[^\S{_GLUE}]*[\S{_GLUE}]+[^\S{_GLUE}]*")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``str(text)`` with every control character written as a visible escape."""
    return _UNSAFE.sub(_escape, str(text))


def shown(text: object) -> str:
    """:func:`printable`, also safe inside Rich markup (``[red]`` in a file name is printed as is)."""
    return escape(printable(text))
