"""Every navigation keeps the reader's language: buttons, links, page switches and the address."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import Env, open_page


def _french_home(env: Env) -> tuple[str, AppTest]:
    assessment_id = env.create()
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    return assessment_id, at


def test_open_from_the_french_home_lands_on_a_french_assess_page(env: Env) -> None:
    _, at = _french_home(env)
    at.button(key="home.open").click().run()
    assert not at.exception
    assert at.query_params["lang"] == "fr"
    assert at.session_state["lang"] == "fr"
    assert "Pilier suivant" in [b.label for b in at.button]


def test_results_from_the_french_home_stays_french(env: Env) -> None:
    _, at = _french_home(env)
    at.button(key="home.results").click().run()
    assert not at.exception
    assert at.query_params["lang"] == "fr"
    assert at.session_state["lang"] == "fr"


def test_start_from_the_french_home_stays_french_and_a_reload_too(env: Env) -> None:
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    at.selectbox(key="home.country").select("KEN").run()
    at.button(key="home.start").click().run()
    assert not at.exception
    assert at.query_params["lang"] == "fr"
    assert "Pilier suivant" in [b.label for b in at.button]
    # A reload is a new session that knows only the address.
    reloaded = env.app()
    for name, value in at.query_params.items():
        reloaded.query_params[name] = value
    open_page(reloaded, "assess")
    assert reloaded.session_state["lang"] == "fr"


def test_page_links_carry_the_language(env: Env) -> None:
    """Every st.page_link the app draws names the reader's language in its address."""
    assessment_id = env.create()
    at = env.app(assessment_id)
    at.query_params["lang"] = "fr"
    open_page(at, "results")  # nothing answered: the page links to Assess
    links = at.get("page_link")
    assert links
    for link in links:
        assert "lang=fr" in link.proto.query_string or link.proto.query_string == "", link.proto
