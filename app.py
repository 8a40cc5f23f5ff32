"""IoT Readiness: the Streamlit app (``streamlit run app.py``).

The router: page config, the sidebar (language links, local-mode note), the database check, and the
error boundary around the page. Pages are thin scripts under ``ui/pages/`` listed in ``ui.pages.PAGES``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assessment.db import DatabaseUnavailable, database_url, redact_url
from questionnaires.messages import DEFAULT_LANG, languages, t
from ui import auth, browser, data, errors, nav, signin_cache, state
from ui.pages import PAGES, visible_pages
from ui.security import multi_user

FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

# The language lives in the session and in the URL (?lang=fr), so a reload or a shared link keeps it. The switch
# is a link per language (ui.nav.language_links): a click reruns this page with the address's lang= changed, so
# the address names the reader's language on every run that has one. The session's choice (state.LANG_CHOSEN)
# covers the runs whose address has none: a menu click (Streamlit drops the query string), or the way back from
# the identity provider, where the cookie the previous page set names it.
ss = st.session_state
from_url = st.query_params.get(state.LANG)
if from_url in languages():
    ss[state.LANG_CHOSEN] = from_url
elif state.LANG_CHOSEN not in ss:
    from_cookie = st.context.cookies.get(browser.LANG_COOKIE)
    ss[state.LANG_CHOSEN] = from_cookie if from_cookie in languages() else ss.get(state.LANG, DEFAULT_LANG)
ss[state.LANG] = ss[state.LANG_CHOSEN]

# A local icon, set before the menu: a Material or emoji favicon (even a page's menu icon) is fetched from a CDN.
st.set_page_config(page_title=t("app.title", state.lang()), page_icon=str(FAVICON))
with st.sidebar:
    # Named "Language / Langue / Idioma / …" (every offered language's word) for a screen reader in any of them.
    # st.html, not Markdown: Markdown with HTML in it made a fresh browser fetch its HTML parser (190 KB more).
    st.html(nav.language_links(
        state.lang(), languages(), st.query_params.to_dict(),
        label=" / ".join(dict.fromkeys(t("app.language", code) for code in languages())),
    ))
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
