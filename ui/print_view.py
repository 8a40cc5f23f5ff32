"""The print-friendly Results view: no sidebar, header or buttons, full width, then the browser's Print.

Switched by the ``?print=1`` query parameter, so a reload or a shared link keeps it, and the page
skips its interactive parts (target pickers, the tier planner) that mean nothing on paper. The
``@media print`` rules also apply when printing the normal view.
"""

from __future__ import annotations

import streamlit as st

from questionnaires.messages import t

QP_PRINT = "print"
ENTER = "results.print"
LEAVE = "results.print_leave"

_HIDE = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
.stButton, .stDownloadButton, [data-testid="stPageLink"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 0.5rem 1rem !important; }
[data-testid="stVerticalBlock"] { break-inside: auto; }
[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stTable"] { break-inside: avoid; }
"""


def control(lang: str) -> bool:
    """Show the switch into (or out of) the print view; True while it is on (the caller skips widgets)."""
    on = st.query_params.get(QP_PRINT) == "1"
    st.html(f"<style>@media print {{ {_HIDE} }}{_HIDE if on else ''}</style>")
    if on:
        st.caption(t("ui.results.print_hint", lang))
        if st.button(t("ui.results.print_leave", lang), key=LEAVE, icon=":material/close:"):
            del st.query_params[QP_PRINT]
            st.rerun()
    elif st.button(t("ui.results.print", lang), key=ENTER, icon=":material/print:"):
        st.query_params[QP_PRINT] = "1"
        st.rerun()
    return on
