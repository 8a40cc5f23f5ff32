"""Every navigation keeps the reader's language: buttons, links, page switches and the address."""

from __future__ import annotations

from urllib.parse import parse_qs

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


def test_the_results_link_to_the_questionnaire_names_the_language_and_the_assessment(env: Env) -> None:
    """The page link's address carries ?lang=fr and the assessment: an empty query string lands in English."""
    assessment_id = env.create()
    at = env.app(assessment_id)
    at.query_params["lang"] = "fr"
    open_page(at, "results")  # nothing answered: the page links to Assess
    [link] = at.get("page_link")
    assert link.proto.page == "assess"
    assert parse_qs(link.proto.query_string) == {"lang": ["fr"], "assessment": [assessment_id]}


def test_the_empty_french_home_links_to_the_methodology_in_french(env: Env) -> None:
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()  # no assessment yet: Home offers the methodology
    [link] = at.get("page_link")
    assert link.proto.page == "methodology"
    assert parse_qs(link.proto.query_string) == {"lang": ["fr"]}
