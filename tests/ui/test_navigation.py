"""Every navigation keeps the reader's language: buttons, links, page switches and the address."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import Env, language_switch, open_page
from ui.nav import language_links


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


# The language links (ui.nav.language_links): what each link's address says, for the reader and the screen reader.

def _links(html: str) -> dict[str, str]:
    """Language code -> the whole ``<a …>`` tag of its link."""
    return {code: tag for tag, code in re.findall(r'(<a [^>]*data-iotready-lang="([^"]+)"[^>]*>)', html)}


def test_each_language_link_keeps_the_page_query_and_sets_its_language() -> None:
    html = language_links("fr", {"en": "English", "fr": "Français"}, {"assessment": "a1", "lang": "fr",
                                                                      "print": "1"}, label="Language")
    hrefs = {code: parse_qs(re.search(r'href="\?([^"]*)"', tag)[1].replace("&amp;", "&"))  # type: ignore[index]
             for code, tag in _links(html).items()}
    assert hrefs == {"en": {"assessment": ["a1"], "print": ["1"], "lang": ["en"]},
                     "fr": {"assessment": ["a1"], "print": ["1"], "lang": ["fr"]}}


def test_only_the_readers_language_link_is_marked_current() -> None:
    links = _links(language_links("ar", {"ar": "العربية", "en": "English", "zh": "中文"}, {}, label="Language"))
    assert [code for code, tag in links.items() if 'aria-current="true"' in tag] == ["ar"]


def test_each_language_link_is_named_in_its_own_language_and_direction() -> None:
    html = language_links("en", {"ar": "العربية", "en": "English"}, {}, label="Language")
    assert '<a href="?lang=ar" hreflang="ar" lang="ar" dir="rtl"' in html and ">العربية</a>" in html
    assert '<a href="?lang=en" hreflang="en" lang="en" dir="ltr"' in html and ">English</a>" in html


def test_a_query_value_cannot_break_out_of_a_language_link() -> None:
    html = language_links("en", {"en": "English"}, {"q": '"><script>alert(1)</script>'}, label='a"b')
    assert "<script>" not in html and 'aria-label="a&quot;b"' in html


def test_a_language_link_reruns_the_page_in_that_language_in_the_same_session(env: Env) -> None:
    """A click on a link changes only the address's lang= (the page script asks Streamlit to rerun, as the Back
    button does): the page reruns in the new language, the session's other state kept."""
    _, at = _french_home(env)
    at.session_state["kept.by.the.session"] = "yes"
    open_page(at, "results")
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    assert (at.session_state["lang"], at.query_params["lang"]) == ("es", "es")
    assert at.session_state["kept.by.the.session"] == "yes"
    assert 'aria-current="true">Español</a>' in language_switch(at)


def test_a_menu_click_without_lang_in_the_address_keeps_the_language(env: Env) -> None:
    _, at = _french_home(env)
    at.query_params.pop("lang")
    at.switch_page("ui/pages/methodology.py").run()
    assert not at.exception
    assert at.query_params["lang"] == "fr"
