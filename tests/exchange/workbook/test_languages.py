"""The offline workbook in every language the tool offers, and read back whatever language wrote it (issue 24)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from answers.document import Answer
from exchange import build_workbook, read_workbook
from exchange.workbook import SETTINGS, SHEETS
from questionnaires import default_questionnaire
from questionnaires.languages import REGISTRY
from questionnaires.messages import catalog, languages, t
from refdata import country_name
from tests.compare.conftest import MINI
from tests.exchange.helpers import edit, set_cell, set_setting

OTHERS = [lang for lang in languages() if lang != "en"]
BLANK = build_workbook(MINI, "en", country="KEN", cycle=2025)


def _book(lang: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_workbook(default_questionnaire(), lang, country="KEN",
                                                            cycle=2026)))


@pytest.mark.parametrize("lang", languages())
def test_the_fixed_sheets_settings_and_headers_are_in_the_workbooks_language(lang: str) -> None:
    wb = _book(lang)
    assert wb.sheetnames[:2] == [t("wb.sheet.settings", lang), t("wb.sheet.instructions", lang)]
    assert wb.sheetnames[-1] == t("wb.sheet.choices", lang)
    settings = wb[t("wb.sheet.settings", lang)]
    assert [c.value for c in settings[1]] == [t("wb.settings_header.setting", lang), t("wb.settings_header.value",
                                                                                         lang)]
    names = [row[0] for row in settings.iter_rows(min_row=2, values_only=True)]
    assert t("wb.setting.country", lang) in names and t("wb.setting.cycle", lang) in names
    pillar = wb[wb.sheetnames[2]]
    headers = [c.value for c in pillar[1]]
    assert headers[:5] == ["question_id", *(t(f"wb.col.{k}", lang) for k in ("question", "help", "levels", "answer"))]
    instructions = [r[0] for r in wb[t("wb.sheet.instructions", lang)].iter_rows(values_only=True) if r[0]]
    assert instructions[2] == t("wb.instructions.1", lang, settings=t("wb.sheet.settings", lang))


@pytest.mark.parametrize("lang", OTHERS)
def test_a_workbook_in_another_language_carries_no_english_workbook_words(lang: str) -> None:
    """Every English ``wb.*`` sentence that the language translates differently is absent from every cell."""
    english = {k: v for k, v in catalog("en").items() if k.startswith("wb.") and isinstance(v, str)}
    mine = catalog(lang)
    wanted = {v for k, v in english.items() if mine.get(k) != v and len(v) >= 8 and "{" not in v}
    book = _book(lang)
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    lines = {line.strip() for cell in cells for line in cell.splitlines()}  # a cell of several lines, line by line
    assert not wanted & (cells | lines)
    pillars = default_questionnaire().pillars
    names = [n for p in pillars for n in (p.name.get(lang), p.short.get(lang) if p.short else "")]
    assert all(any(n and n.startswith(sheet) for n in names) for sheet in book.sheetnames[2:-1])  # cut at a word


@pytest.mark.parametrize("lang", OTHERS)
def test_the_workbook_sheets_and_cells_say_the_country_in_the_readers_language(lang: str) -> None:
    settings = _book(lang)[t("wb.sheet.settings", lang)]
    values = dict(settings.iter_rows(min_row=2, values_only=True))
    assert values[t("wb.setting.country", lang)] in (country_name("KEN", lang), "KEN")


@pytest.mark.parametrize("written", sorted(REGISTRY))
def test_yes_no_none_and_clear_are_read_in_every_language(written: str) -> None:
    """A reader types the words of their own language, whatever language the workbook was built in."""
    data = edit(build_workbook(MINI, "en", country="KEN", cycle=2025),
                set_cell(MINI, "v6_users", "review", t("wb.text.yes", written)),
                set_cell(MINI, "v6_users", "dont_know", t("wb.text.yes", written)),
                set_cell(MINI, "pol_framework", "not_applicable", t("wb.text.no", written)))
    doc = read_workbook(MINI, data)
    assert doc.answers["v6_users"] == Answer(dont_know=True, review=True)
    multi = next(q for q in MINI.questions if q.type == "multi")
    doc = read_workbook(MINI, edit(build_workbook(MINI, "fr", country="KEN", cycle=2025),
                                   set_cell(MINI, multi.id, "answer", t("wb.none", written))))
    assert doc.answers[multi.id].value == []


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_the_country_is_read_by_its_name_in_every_language(lang: str) -> None:
    data = edit(build_workbook(MINI, "en", country="KEN", cycle=2025),
                set_setting("country", country_name("SEN", lang)))
    assert read_workbook(MINI, data).country == "SEN"


def test_the_settings_sheet_is_found_by_its_name_in_every_language() -> None:
    for lang in languages():
        wb = openpyxl.load_workbook(io.BytesIO(build_workbook(MINI, "en", country="KEN", cycle=2025)))
        wb[SHEETS[SETTINGS]["en"]].title = SHEETS[SETTINGS][lang]
        buf = io.BytesIO()
        wb.save(buf)
        assert read_workbook(MINI, buf.getvalue()).country == "KEN", lang


@pytest.mark.parametrize("separator", ["; ", "؛ ", "；", "、", "，"])
def test_options_typed_with_an_arabic_or_chinese_separator_are_read(separator: str) -> None:
    multi = next(q for q in MINI.questions if q.type == "multi" and len(q.options or []) >= 2)
    first, second = (multi.options or [])[:2]
    typed = f"{first.label.get('en')}{separator}{second.label.get('en')}"
    doc = read_workbook(MINI, edit(BLANK, set_cell(MINI, multi.id, "answer", typed)))
    assert doc.answers[multi.id].value == [first.value, second.value]


@pytest.mark.parametrize("typed", ["（无）", "(无)", "(НИ ОДИН)"])
def test_none_of_these_is_read_with_full_width_brackets_and_any_case(typed: str) -> None:
    multi = next(q for q in MINI.questions if q.type == "multi")
    doc = read_workbook(MINI, edit(BLANK, set_cell(MINI, multi.id, "answer", typed)))
    assert doc.answers[multi.id].value == []


def test_an_unknown_target_names_overall_in_the_readers_language() -> None:
    from exchange.workbook.problems import ImportProblems

    data = edit(BLANK, lambda wb: wb[SHEETS[SETTINGS]["en"]].append([f"{t('wb.target_prefix', 'en')} Nowhere",
                                                                     "advancing"]))
    with pytest.raises(ImportProblems) as info:
        read_workbook(MINI, data)
    for lang in languages():
        assert any(p.text(lang).endswith(t("wb.overall", lang)) for p in info.value.problems), lang


def test_an_attached_documents_reference_follows_the_languages_comma() -> None:
    """The workbook's "Attached: …" line joined its reference with an ASCII ", " in Arabic too."""
    from dataclasses import dataclass

    @dataclass
    class Doc:
        title: str = "قانون الأمن السيبراني"
        filename: str = "law.pdf"
        reference: str | None = "art. 12"
        sha256: str = "ab" * 32

    question = MINI.questions[0]
    cells = {lang: {str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(build_workbook(
        MINI, lang, country="KEN", cycle=2025, documents={question.id: [Doc()]}))).worksheets
        for row in ws.iter_rows() for c in row if c.value} for lang in ("ar", "en")}
    assert any("law.pdf\u060c art. 12" in c for c in cells["ar"])
    assert any("law.pdf, art. 12" in c for c in cells["en"])
