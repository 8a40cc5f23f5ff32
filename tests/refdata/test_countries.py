"""The Member State reference data: complete, consistent, and refused loudly when broken."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from refdata import REGIONS, CountryDataError, countries, country, country_name
from refdata.countries import DATA_DIR, FILES, ITU_NAMES, M49_DEVELOPED_FILE, load_countries


def test_there_are_194_member_states() -> None:
    assert len(countries()) == 194


@pytest.mark.parametrize("column", ["iso3", "iso2", "m49"])
def test_codes_are_unique(column: str) -> None:
    values = [getattr(c, column) for c in countries()]
    assert len(set(values)) == len(values)


def test_every_region_is_a_known_itu_d_region() -> None:
    assert {c.itu_region for c in countries()} == set(REGIONS)


def test_region_counts_match_sources_md() -> None:
    counts = Counter(c.itu_region for c in countries())
    assert counts == {"Africa": 44, "Americas": 35, "Arab States": 21, "Asia & Pacific": 39, "CIS": 9, "Europe": 46}


def test_holy_see_is_a_member_but_not_a_un_member() -> None:
    vat = country("VAT")
    assert vat.name("fr") == "Saint-Siège"
    assert not vat.un_member


@pytest.mark.parametrize(
    ("group", "count"), [("ldc", 44), ("lldc", 32), ("sids", 38), ("economy_in_transition", 17)]
)
def test_group_counts(group: str, count: int) -> None:
    assert sum(c.in_group(group) for c in countries()) == count


DEVELOPING = ["BRA", "IND", "NGA", "EGY", "KEN", "ZAF", "CHN", "IDN", "MEX", "VNM", "ARG", "SAU", "KOR", "TUR", "ISR"]
DEVELOPED = ["FRA", "DEU", "GBR", "USA", "CAN", "JPN", "AUS", "NZL", "CHE", "POL", "VAT"]


@pytest.mark.parametrize("iso3", DEVELOPING)
def test_m49_developing_countries_are_developing_though_in_none_of_the_four_groups(iso3: str) -> None:
    c = country(iso3)
    assert c.in_group("developing") and not c.m49_developed


@pytest.mark.parametrize("iso3", DEVELOPED)
def test_m49_developed_countries_outside_the_four_groups_are_not_developing(iso3: str) -> None:
    assert not country(iso3).in_group("developing")


@pytest.mark.parametrize("iso3", ["RUS", "UKR", "SRB", "ALB"])
def test_the_footnote_adds_the_economies_in_transition_of_developed_europe(iso3: str) -> None:
    c = country(iso3)
    assert c.m49_developed and c.economy_in_transition and c.in_group("developing")


def test_developing_is_m49_developing_plus_the_four_groups() -> None:
    four = {c.iso3 for c in countries() if c.ldc or c.lldc or c.sids or c.economy_in_transition}
    m49 = {c.iso3 for c in countries() if not c.m49_developed}
    developing = {c.iso3 for c in countries() if c.in_group("developing")}
    assert developing == four | m49
    assert four < developing  # the footnote adds to the developing countries, it does not define them
    assert (len(m49), len(developing)) == (145, 154)


def test_country_lookup_is_case_insensitive() -> None:
    assert country("ken").iso3 == "KEN"


def test_unknown_code_has_its_code_as_name() -> None:
    assert country_name("XXX") == "XXX"


def _copy(tmp_path: Path) -> Path:
    for f in (*FILES, M49_DEVELOPED_FILE):
        shutil.copy(DATA_DIR / f, tmp_path / f)
    return tmp_path


def test_a_missing_row_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    lines = (d / FILES[0]).read_text(encoding="utf-8").splitlines(keepends=True)
    (d / FILES[0]).write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(CountryDataError, match="expected 194"):
        load_countries(d)


def test_an_unknown_region_names_file_and_row(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / FILES[0]).read_text(encoding="utf-8").replace(",Africa,", ",Afrika,", 1)
    (d / FILES[0]).write_text(text, encoding="utf-8")
    with pytest.raises(CountryDataError, match=r"member_states.csv: row \d+: itu_region: unknown region 'Afrika'"):
        load_countries(d)


def test_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    lines = (d / FILES[0]).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[1]  # row 3 repeats row 2: still 194 rows
    (d / FILES[0]).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CountryDataError, match="not unique"):
        load_countries(d)


def test_a_bad_flag_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / FILES[1]).read_text(encoding="utf-8").replace(",false,", ",maybe,", 1)
    (d / FILES[1]).write_text(text, encoding="utf-8")
    with pytest.raises(CountryDataError, match="expected true or false"):
        load_countries(d)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / FILES[0]).write_text("", encoding="utf-8")
    with pytest.raises(CountryDataError, match="file not found"):
        load_countries(tmp_path)


def test_an_unknown_code_in_the_m49_developed_list_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / M49_DEVELOPED_FILE).read_text(encoding="utf-8").replace("FRA,", "FRX,", 1)
    (d / M49_DEVELOPED_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(CountryDataError, match="not ITU Member States: FRX"):
        load_countries(d)


@pytest.mark.parametrize("lang", ["ar", "es", "ru", "zh"])
def test_every_member_state_has_a_cldr_name_in_the_other_languages(lang: str) -> None:
    """No Member State falls back to its English name in a language the data files do not record."""
    from refdata.countries import cldr_names

    missing = [c.iso3 for c in countries() if c.iso2 not in cldr_names(lang) and c.iso3 not in ITU_NAMES]
    assert not missing
    assert country_name("KEN", lang) == cldr_names(lang)["KE"] != "Kenya"


@pytest.mark.parametrize(("lang", "name"), [("es", "Santa Sede"), ("ru", "Святейший Престол"), ("zh", "教廷"),
                                            ("ar", "الكرسي الرسولي"), ("en", "Holy See"), ("fr", "Saint-Siège")])
def test_the_holy_see_keeps_itus_name_not_cldrs_vatican_city(lang: str, name: str) -> None:
    assert country_name("VAT", lang) == name


def test_spanish_names_come_from_cldr() -> None:
    assert (country_name("DEU", "es"), country_name("CIV", "es")) == ("Alemania", "Côte d’Ivoire")
