"""Navigation that keeps the reader's language: every page switch and page link carries ``?lang=``.

``st.switch_page`` and ``st.page_link`` replace the whole query string, so a link that names only the
assessment lands on a page whose address says nothing of the language, and a reload of that address
(or a PDF made from it) comes back in English. Every navigation in the app goes through here.
"""

from __future__ import annotations

from typing import Any, NoReturn

import streamlit as st

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
