"""Typed text inside a Markdown line is shown as typed: nothing in it becomes markup."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from formatting.markdown import fold_spaces, inline_escape

MD = MarkdownIt("commonmark")


def _rendered(text: str) -> str:
    """The HTML of a list line that quotes ``text`` after a fixed prefix, as the Review page draws a query."""
    return MD.render(f"- *adviser*: {inline_escape(text)}")


def _shown(text: str) -> str:
    inner = re.fullmatch(r"<ul>\n<li><em>adviser</em>: (.*)</li>\n</ul>\n", _rendered(text), re.S)
    assert inner is not None, _rendered(text)
    return html.unescape(inner.group(1))


def test_a_link_an_image_and_emphasis_stay_text() -> None:
    hostile = "see [the survey](https://evil.example) ![x](https://evil.example/p.png) **now** <b>bold</b> `code`"
    out = _rendered(hostile)
    assert "<a " not in out and "<img" not in out and "<strong>" not in out and "<code>" not in out
    assert _shown(hostile) == hostile


def test_streamlit_maths_colour_and_icon_markers_are_escaped() -> None:
    escaped = inline_escape("$x^2$ :red[alert] :material/warning: &copy;")
    assert escaped == r"\$x^2\$ \:red\[alert\] \:material/warning\: \&copy;"


def test_french_no_break_spaces_are_kept() -> None:
    assert inline_escape("Source\u202f? 2024\u00a0%") == "Source\u202f? 2024\u00a0%"


def test_no_break_spaces_at_the_ends_are_dropped_as_markdown_would() -> None:
    # Found by the property below: Markdown trims a paragraph's trailing no-break space.
    assert _shown("0\u00a0") == fold_spaces("0\u00a0") == "0"


def test_line_breaks_cannot_start_a_heading_or_a_new_list() -> None:
    assert _shown("first line\n# heading\n- item") == "first line # heading - item"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_any_text_is_shown_as_typed_with_its_spaces_folded(text: str) -> None:
    folded = fold_spaces(text)
    if not folded.strip():  # nothing but spaces: nothing to show
        return
    assert _shown(text) == folded
