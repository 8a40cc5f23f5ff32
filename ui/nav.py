"""Navigation that keeps the reader's language: every page switch and page link carries ``?lang=``.

``st.switch_page`` and ``st.page_link`` replace the whole query string, so a link that names only the
assessment lands on a page whose address says nothing of the language, and a reload of that address
(or a PDF made from it) comes back in English. Every navigation in the app goes through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, NoReturn
from urllib.parse import urlencode

import streamlit as st

from formatting.scripts import text_direction
from ui import state
from ui.pages import PageSpec


def params(*, assessment: str | None = None) -> dict[str, str]:
    """The query parameters of a link to another page: the reader's language, and the assessment if any."""
    out = {state.LANG: state.lang()}
    if assessment is not None:
        out[state.QP_ASSESSMENT] = str(assessment)
    return out


def switch_page(page: PageSpec, *, assessment: str | None = None) -> NoReturn:
    """``st.switch_page`` to ``page``, keeping the language (and naming the assessment to open)."""
    st.switch_page(page.path, query_params=params(assessment=assessment))


def page_link(
    page: PageSpec, *, label: str, icon: str | None = None, where: Any = None, assessment: str | None = None
) -> None:
    """``st.page_link`` to ``page`` (in ``where``, a container, else the page), keeping the language."""
    (where or st).page_link(page.path, label=label, icon=icon, query_params=params(assessment=assessment))


def language_links(current: str, offered: Mapping[str, str], query: Mapping[str, str | Sequence[str]], *,
                   label: str) -> str:
    """The language switch: one link per offered language, in its own name (as itu.int: "العربية 中文 English …").

    Each link is this page's address (a relative ``?…``: the path stays) with its query parameters and ``lang=``
    set to that language; the reader's one is marked ``aria-current``. A link, not a picker: ``st.selectbox``
    made every fresh browser fetch 20 script chunks before the page's first screen (issue 26). The page script
    (:mod:`ui.browser`) follows a click without reloading the page (the session and what was typed are kept); a
    link opened in a new tab, or clicked before that script ran, loads the address, which names the language.
    ``label`` names the switch for screen readers (``<nav aria-label>``).
    """
    items = []
    for code, name in offered.items():
        params = [(k, v) for k, vs in query.items() if k != state.LANG for v in ([vs] if isinstance(vs, str) else vs)]
        href = "?" + urlencode([*params, (state.LANG, code)])
        mark = ' aria-current="true"' if code == current else ""
        items.append(f'<li><a href="{escape(href)}" hreflang="{escape(code)}" lang="{escape(code)}" '
                     f'dir="{text_direction(code)}" data-iotready-lang="{escape(code)}"{mark}>'
                     f"{escape(name)}</a></li>")
    return f'<nav class="iot-languages" aria-label="{escape(label)}"><ul>{"".join(items)}</ul></nav>'
