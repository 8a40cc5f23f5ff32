"""A workbook is written in English or French; a Russian or Chinese reader may type their own words back
(issue 24): the options' labels from the content catalogs, да/нет and 是/否, (нет) and (无), and Chinese lists
separated by 、 or a full-width semicolon, with labels that themselves hold 、 or ，."""

from __future__ import annotations

import pytest

from exchange.workbook.cells import _flag, _parse_value
from questionnaires import default_questionnaire


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_russian_and_chinese_scale_labels_are_read(lang: str) -> None:
    q = default_questionnaire()
    scale_q = next(x for x in q.questions if x.type == "scale")
    for option in q.scales[scale_q.scale or ""].options:
        assert option.label.get(lang) != option.label.en
        assert _parse_value(q, scale_q, option.label.get(lang).upper()) == (option.value, None)


@pytest.mark.parametrize(("lang", "sep"), [("ru", "; "), ("zh", "；"), ("zh", "、"), ("zh", "\n")])
def test_russian_and_chinese_option_lists_are_read(lang: str, sep: str) -> None:
    q = default_questionnaire()
    multi = q.question("pol_framework_elements")
    options = multi.options or []
    # Labels holding the list's own separators: "IP编址，包括IPv6", "物联网设备、网络和服务的安全", "IP-адресация, ..."
    held = [o for o in options if any(mark in o.label.get(lang) for mark in "，、,")]
    assert len(held) >= 2
    typed = sep.join(o.label.get(lang) for o in held)
    assert _parse_value(q, multi, typed) == ([o.value for o in held], None)
    assert _parse_value(q, multi, "(нет)" if lang == "ru" else "（无）") == ([], None)


def test_yes_and_no_in_russian_and_chinese() -> None:
    assert [_flag(w) for w in ("Да", "да", "Истина", "是", "对", "真")] == [True] * 6
    assert [_flag(w) for w in ("Нет", "НЕТ", "ложь", "否", "错", "假")] == [False] * 6
    assert _flag("может быть") is None


@pytest.mark.parametrize(("typed", "iso3"), [
    ("Кения", "KEN"), ("肯尼亚", "KEN"), ("Сенегал", "SEN"), ("塞内加尔", "SEN"), ("Etiopía", "ETH")])
def test_the_country_by_its_russian_or_chinese_name(typed: str, iso3: str) -> None:
    from exchange import build_workbook, read_workbook
    from tests.compare.conftest import MINI
    from tests.exchange.helpers import edit, set_setting

    blank = build_workbook(MINI, "en", country="GHA", cycle=2025)
    assert read_workbook(MINI, edit(blank, set_setting("country", typed))).country == iso3
