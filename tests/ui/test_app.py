"""The router: sidebar, language switch, error boundary and the database check."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from assessment import service
from assessment.filters import AssessmentFilter
from questionnaires.messages import languages
from tests.ui.conftest import Env, language_switch, offered_languages, open_page, switch_language, texts
from ui.pages import PAGES


def test_sidebar_says_the_app_is_local_and_bound_to_localhost(env: Env) -> None:
    at = env.app().run()
    assert not at.exception
    assert any("127.0.0.1" in c.value for c in at.sidebar.caption)


def test_language_switch_translates_the_menu_and_the_page(env: Env) -> None:
    at = env.app().run()
    switch_language(at, "fr")
    assert not at.exception
    assert "Auto-évaluation" in texts(at)
    assert any("127.0.0.1" in c.value and "seul cet ordinateur" in c.value for c in at.sidebar.caption)


def test_language_switch_back_to_english(env: Env) -> None:
    at = env.app().run()
    switch_language(at, "fr")
    switch_language(at, "en")
    assert "Self-assessment" in texts(at)


def test_unexpected_error_shows_a_reference_not_a_traceback(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logging.getLogger("iotready.app").addHandler(handler)
    monkeypatch.setattr(service, "list_assessments", broken)
    try:
        at = env.app().run()
    finally:
        logging.getLogger("iotready.app").removeHandler(handler)
    assert not at.exception
    [error] = at.error
    assert "reference" in error.value
    assert "secret internal detail" not in texts(at)
    ref = error.value.split("reference ")[1].rstrip(".")
    [record] = records
    assert ref in record.getMessage()
    assert record.exc_info and "secret internal detail" in str(record.exc_info[1])


def test_unreachable_database_names_the_url_without_its_password(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://iot:hunter2@127.0.0.1:1/nowhere")
    at = env.app().run()
    assert not at.exception
    [error] = at.error
    assert "127.0.0.1:1/nowhere" in error.value
    assert "hunter2" not in error.value


def test_every_page_runs_in_every_offered_language(env: Env) -> None:
    assessment_id = env.create()
    assert list(languages()) == ["ar", "en", "es", "fr", "ru", "zh"]
    for lang in languages():
        at = env.app(assessment_id).run()
        switch_language(at, lang)
        for spec in PAGES:
            page = Path(spec.path).stem
            open_page(at, page)
            assert not at.exception, (lang, page)
            assert not at.error, (lang, page, [e.value for e in at.error])


def test_the_language_is_kept_in_the_address_so_a_reload_keeps_it(env: Env) -> None:
    at = env.app().run()
    switch_language(at, "fr")
    assert at.query_params["lang"] == "fr"
    reloaded = env.app()
    reloaded.query_params["lang"] = "fr"
    reloaded.run()
    assert "Auto-évaluation" in texts(reloaded)


def test_error_in_a_widget_callback_shows_a_reference(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    at = open_page(env.app(env.create()), "assess")
    monkeypatch.setattr(service, "save_answer", broken)
    at.radio(key="q.pol_framework.value").set_value("adopted").run()
    assert not at.exception
    assert any("reference" in e.value for e in at.error)
    assert "disk on fire" not in texts(at)


def test_every_registered_page_exists_and_has_a_title_in_both_languages() -> None:
    from questionnaires.messages import catalog
    from tests.ui.conftest import ROOT

    for page in PAGES:
        assert (ROOT / page.path).is_file()
        assert page.title_key in catalog("en") and page.title_key in catalog("fr")


def test_an_unknown_assessment_in_the_address_gives_guidance(env: Env) -> None:
    at = open_page(env.app("no-such-id"), "assess")
    assert not at.exception
    assert any("No assessment is open" in i.value for i in at.info)


def test_every_page_runs_on_the_shipped_questionnaire_with_the_demo_data(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessment import demo
    from questionnaires import default_questionnaire

    monkeypatch.delenv("IOTREADY_QUESTIONNAIRE_DIR")
    shipped = default_questionnaire()
    with env.session() as s:
        demo.load_demo(s, shipped)
        first = service.list_assessments(s, AssessmentFilter(questionnaire=shipped))[0]
    for lang in languages():
        at = env.app(first.id)
        at.query_params["lang"] = lang
        for spec in PAGES:
            page = Path(spec.path).stem
            open_page(at, page)
            assert not at.exception, (lang, page)
            assert not at.error, (lang, page, [e.value for e in at.error])


def test_the_switch_offers_spanish_and_the_questionnaire_reads_in_spanish(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from questionnaires import default_questionnaire

    monkeypatch.delenv("IOTREADY_QUESTIONNAIRE_DIR")
    shipped = default_questionnaire()
    with env.session() as s:
        aid = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=shipped).id
    at = env.app(aid).run()
    assert offered_languages(at)["es"] == "Español"
    switch_language(at, "es")
    assert at.query_params["lang"] == "es"
    open_page(at, "assess")
    assert not at.exception
    page = texts(at)
    pillar = shipped.pillars[0].name
    assert pillar.get("es") in page and pillar.en not in page


def test_the_language_switch_is_named_in_every_offered_language(env: Env) -> None:
    """A reader who does not read the page's language still finds the switch: "Language / Langue / Idioma"."""
    from questionnaires.messages import t

    at = env.app().run()
    [label] = re.findall(r'<nav class="iot-languages" aria-label="([^"]+)"', language_switch(at))
    assert label.split(" / ") == [t("app.language", code) for code in languages()]
    assert {"Language", "Langue", "Idioma"} <= set(label.split(" / "))
