"""The PDF profile in Spanish (issue 24): its own words from es.po, the questionnaire's from content-es.po,
dates as CLDR writes them ("7 de diciembre de 2026"), and the resolution's Spanish said to be unofficial."""

from __future__ import annotations

from datetime import date

from questionnaires import default_questionnaire
from questionnaires.messages import t
from reports.profile import format_date, render_profile
from tests.reports.helpers import flat, pages_text
from tests.strategies import all_answers


def test_dates_in_prose_follow_each_language() -> None:
    day = date(2026, 12, 7)
    assert format_date(day, "es") == "7 de diciembre de 2026"
    assert format_date(day, "fr") == "7 décembre 2026"
    assert format_date(day, "ru") == "7 декабря 2026\u202fг."  # CLDR: a narrow no-break space before "г."


def test_the_spanish_profile_reads_in_spanish() -> None:
    q = default_questionnaire()
    pdf = render_profile(q, all_answers(q, "worst"), lang="es", generated_on=date(2026, 12, 7))
    text = flat(" ".join(pages_text(pdf)))
    assert "7 de diciembre de 2026" in text
    assert flat(q.pillars[0].name.get("es")) in text and q.pillars[0].name.get("es") != q.pillars[0].name.en
    assert flat(t("unofficial_translation", "es")) in text
    assert flat(q.pillars[0].name.en) not in text


def test_the_profile_is_offered_in_every_offered_language() -> None:
    from questionnaires.messages import languages
    from reports.profile import LANGS

    assert sorted(LANGS) == sorted(languages())
