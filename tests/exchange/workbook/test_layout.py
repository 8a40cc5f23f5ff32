"""The workbook's layout (exchange.workbook.layout): pillar sheet names within Excel's 31 characters."""

from __future__ import annotations

import pytest

from exchange.workbook import sheet_names
from exchange.workbook.layout import _cut
from questionnaires import default_questionnaire

# ---- names and French typography (sheet names within 31 characters; narrow no-break spaces)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pillar_sheets_use_the_short_name_when_the_name_does_not_fit(lang: str) -> None:
    q = default_questionnaire()
    names = sheet_names(q, lang)
    for p in q.pillars:
        full = p.name.get(lang)
        assert names[p.id] == (full if len(full) <= 31 else (p.short or p.name).get(lang))
    assert len({n.casefold() for n in names.values()}) == len(names)
    assert all(len(n) <= 31 for n in names.values())


def test_a_name_cut_at_31_characters_ends_on_a_whole_word_that_is_not_a_link_word() -> None:
    cut = {_cut(n) for n in ("Cadres politiques et réglementaires propices", "Stratégie nationale des TIC pour l'IoT",
                             "Capacity building and skills for everybody", "Renforcement des capacités et compétences")}
    assert cut == {"Cadres politiques", "Stratégie nationale des TIC", "Capacity building and skills",
                   "Renforcement des capacités"}
