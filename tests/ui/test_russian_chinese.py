"""The app in Russian and Chinese (issue 24): the switch offers them, the questionnaire reads in them, Compare
names Member States in them (CLDR), and the Results pictures draw Chinese labels with a font that has them."""

from __future__ import annotations

import warnings

import pytest

from assessment import service
from refdata import country_name
from scoring.engine import score
from tests.localization import html_tables
from tests.strategies import all_answers
from tests.ui.conftest import Env, offered_languages, open_page, switch_language, texts
from tests.ui.test_compare import doc as compare_doc
from tests.ui.test_compare import seed


@pytest.mark.parametrize(("lang", "name"), [("ru", "Русский"), ("zh", "中文")])
def test_the_switch_offers_the_language_and_the_questionnaire_reads_in_it(
    env: Env, monkeypatch: pytest.MonkeyPatch, lang: str, name: str
) -> None:
    from questionnaires import default_questionnaire

    monkeypatch.delenv("IOTREADY_QUESTIONNAIRE_DIR")
    shipped = default_questionnaire()
    with env.session() as s:
        aid = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=shipped).id
    at = env.app(aid).run()
    assert offered_languages(at)[lang] == name
    switch_language(at, lang)
    assert at.query_params["lang"] == lang
    open_page(at, "assess")
    assert not at.exception
    page = texts(at)
    pillar = shipped.pillars[0].name
    assert pillar.get(lang) in page and pillar.en not in page
    assert country_name("KEN", lang) in page


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_compare_names_member_states_in_the_language(env: Env, lang: str) -> None:
    seed(env, compare_doc(env, "KEN", 2025, 0.75), compare_doc(env, "CHL", 2025, 0.5))
    at = env.app()
    at.query_params["lang"] = lang
    at = open_page(at.run(), "compare")
    assert not at.exception
    cells = {str(c) for table in html_tables(at) for c in table.to_numpy().ravel()}  # the map's table
    assert {country_name("KEN", lang), country_name("CHL", lang)} <= cells and "Kenya" not in cells


def test_the_coverage_picture_draws_chinese_labels_with_a_font_that_has_them(env: Env) -> None:
    from questionnaires import default_questionnaire
    from ui import static_charts

    q = default_questionnaire()
    result = score(q, all_answers(q, "worst"))
    static_charts._coverage_svg.cache_clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        chart = static_charts.coverage(q, result, "zh")
    assert q.pillars[0].short_name("zh") in chart.svg
    assert [str(w.message) for w in seen if "missing from font" in str(w.message)] == []
