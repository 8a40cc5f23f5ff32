"""IoT Readiness: the Streamlit app (``streamlit run app.py``).

The router: page config, the sidebar (language switch, local-mode note), the database check, and the
error boundary around the page. Pages are thin scripts under ``ui/pages/`` listed in ``ui.pages.PAGES``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assessment.db import DatabaseUnavailable, database_url, redact_url
from questionnaires.messages import DEFAULT_LANG, languages, t
from ui import auth, browser, data, errors, signin_cache, state
from ui.pages import PAGES, visible_pages
from ui.security import multi_user

FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

# The language lives in the session and in the URL (?lang=fr), so a reload or a shared link keeps it.
# The session's choice is kept apart from the switch's widget value (see state.LANG_CHOSEN) and seeds the
# switch on every run: a page switch must never bring back English (links also carry it, see ui.nav).
ss = st.session_state
# Back from the identity provider, the address names no language: the cookie the previous page set does.
if state.LANG_CHOSEN not in ss:
    from_url = st.query_params.get(state.LANG) or st.context.cookies.get(browser.LANG_COOKIE)
    ss[state.LANG_CHOSEN] = from_url if from_url in languages() else ss.get(state.LANG, DEFAULT_LANG)
ss[state.LANG] = ss[state.LANG_CHOSEN]


def _language_chosen() -> None:
    ss[state.LANG_CHOSEN] = ss[state.LANG]


# A local icon, set before the menu: a Material or emoji favicon (even a page's menu icon) is fetched from a CDN.
st.set_page_config(page_title=t("app.title", state.lang()), page_icon=str(FAVICON))
with st.sidebar:
    st.selectbox(
        # "Language / Langue / Idioma": the word in every offered language, so a reader finds the switch in any.
        " / ".join(dict.fromkeys(t("app.language", code) for code in languages())), list(languages()),
        format_func=languages().__getitem__, key=state.LANG,
        on_change=_language_chosen,
    )
lang = state.lang()
st.query_params[state.LANG] = lang
# Never serve beyond loopback without sign-in (nor with a weak cookie secret); in multi-user mode, sign in.
auth.guard(lang)
if multi_user():
    # Also here, not only in ui.serve: `streamlit run app.py` (tests, benchmarks) skips the launcher. Once per process.
    signin_cache.install()
with errors.boundary():
    auth.gate(lang)

specs = visible_pages(PAGES, auth.actor(), multi_user())
pages = [
    st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=p.default)
    for p in specs
]
page = st.navigation(pages)
# Once per run, after navigation, so the layout follows the page (a page setting it itself would be undone
# by a router call on the next rerun). Looked up among the pages shown, Review and Admin included.
spec = next((p for p in specs if p.url_path == page.url_path), None)
st.set_page_config(layout="wide" if spec and spec.wide else "centered")

if not multi_user():
    with st.sidebar:
        st.caption(t("ui.sidebar.local_mode", lang), help=t("ui.sidebar.local_mode_help", lang))
browser.page_scripts(lang)

with errors.boundary():
    try:
        data.engine()
    except DatabaseUnavailable:
        st.error(t("ui.error.database", lang, url=redact_url(database_url())), icon=":material/database:")
        st.stop()
    page.run()
