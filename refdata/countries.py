"""The ITU Member States: the 193 UN members plus the Holy See, with regions and groups.

Sources and judgement calls are in ``data/SOURCES.md``. The files are checked at load (194 rows,
unique codes, known regions), so a bad edit fails loudly instead of skewing a comparison.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
FILES = ("member_states.csv", "itu_members_not_un_members.csv")
# The UN M49 developed regions (see data/SOURCES.md): every Member State not listed is "developing" in M49.
M49_DEVELOPED_FILE = "m49_developed.csv"
M49_DEVELOPED_COUNT = 49
EXPECTED_COUNT = 194
REGIONS: tuple[str, ...] = ("Africa", "Americas", "Arab States", "Asia & Pacific", "CIS", "Europe")
# Group id -> flag attribute. "developing" is the M49 developing countries *plus* the footnote's four
# groups ("Par pays en développement, on entend aussi ..."), not the four groups alone.
GROUPS: tuple[str, ...] = ("ldc", "lldc", "sids", "economy_in_transition", "developing")
INCOME_GROUPS = ("low", "lower_middle", "upper_middle", "high", "")


# ITU's name where CLDR's differs: the Member State is the Holy See, which CLDR names by its territory (the
# Vatican City). The UN's and ITU's names in each language (data/SOURCES.md).
ITU_NAMES: dict[str, dict[str, str]] = {
    "VAT": {"es": "Santa Sede", "ru": "Святейший Престол", "zh": "教廷", "ar": "الكرسي الرسولي"},
}
_CLDR_LOCALES = {"zh": "zh_Hans"}  # as questionnaires.languages registers it (refdata comes before it)


@cache
def cldr_names(lang: str) -> dict[str, str]:
    """CLDR's territory names in ``lang`` by ISO 3166 alpha-2 code; empty for a language CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(_CLDR_LOCALES.get(lang, lang)).territories)
    except (UnknownLocaleError, ValueError):
        return {}


class CountryDataError(ValueError):
    """The reference files are missing or inconsistent."""


class Country(BaseModel):
    model_config = ConfigDict(frozen=True)

    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    iso2: str = Field(pattern=r"^[A-Z]{2}$")
    m49: str = Field(pattern=r"^\d{3}$")
    name_en: str
    name_fr: str
    itu_region: str
    ldc: bool
    lldc: bool
    sids: bool
    economy_in_transition: bool
    income_group: str
    un_member: bool = True
    m49_developed: bool = False


    def name(self, lang: str) -> str:
        """The Member State's name in ``lang``: the data files' (UN M49, ITU) in English and French; CLDR's
        (through Babel) in the other languages, except where ITU's own differs (:data:`ITU_NAMES`)."""
        if lang == "fr":
            return self.name_fr
        if lang == "en":
            return self.name_en
        return ITU_NAMES.get(self.iso3, {}).get(lang) or cldr_names(lang).get(self.iso2) or self.name_en

    @property
    def developing(self) -> bool:
        """Resolution 197's developing countries: M49 developing, and *also* (its footnote) LDCs, SIDS,
        LLDCs and economies in transition, which adds the economies in transition of M49's developed Europe."""
        return not self.m49_developed or self.ldc or self.lldc or self.sids or self.economy_in_transition

    def in_group(self, group: str) -> bool:
        if group in REGIONS:
            return self.itu_region == group
        if group not in GROUPS:
            raise KeyError(group)
        return bool(getattr(self, group))


def _flag(value: str, path: Path, row: int, column: str) -> bool:
    if value not in ("true", "false"):
        raise CountryDataError(f"{path.name}: row {row}: {column}: expected true or false, got {value!r}")
    return value == "true"


def _m49_developed(data_dir: Path) -> set[str]:
    path = data_dir / M49_DEVELOPED_FILE
    if not path.exists():
        raise CountryDataError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        codes = [raw.get("iso3", "") for raw in csv.DictReader(fh)]
    if len(codes) != M49_DEVELOPED_COUNT or len(set(codes)) != len(codes):
        raise CountryDataError(
            f"{M49_DEVELOPED_FILE}: expected {M49_DEVELOPED_COUNT} unique ISO3 codes, found {len(set(codes))}"
        )
    return set(codes)


def load_countries(data_dir: Path = DATA_DIR) -> tuple[Country, ...]:
    developed = _m49_developed(data_dir)
    rows: list[Country] = []
    for fname in FILES:
        path = data_dir / fname
        if not path.exists():
            raise CountryDataError(f"{path}: file not found")
        with path.open(encoding="utf-8", newline="") as fh:
            for i, raw in enumerate(csv.DictReader(fh), start=2):
                region = raw.get("itu_region", "")
                if region not in REGIONS:
                    raise CountryDataError(f"{fname}: row {i}: itu_region: unknown region {region!r}")
                if raw.get("income_group", "") not in INCOME_GROUPS:
                    raise CountryDataError(f"{fname}: row {i}: income_group: unknown {raw.get('income_group')!r}")
                flags = {c: _flag(raw.get(c, ""), path, i, c) for c in ("ldc", "lldc", "sids", "economy_in_transition")}
                try:
                    rows.append(
                        Country(
                            iso3=raw["iso3"], iso2=raw["iso2"], m49=raw["m49"], name_en=raw["name_en"],
                            name_fr=raw["name_fr"], itu_region=region, income_group=raw.get("income_group", ""),
                            un_member=fname == FILES[0], m49_developed=raw.get("iso3") in developed, **flags,
                        )
                    )
                except (KeyError, ValueError) as exc:
                    raise CountryDataError(f"{fname}: row {i}: {exc}") from None
    if len(rows) != EXPECTED_COUNT:
        raise CountryDataError(f"expected {EXPECTED_COUNT} ITU Member States, found {len(rows)}")
    unknown = developed - {c.iso3 for c in rows}
    if unknown:
        raise CountryDataError(f"{M49_DEVELOPED_FILE}: not ITU Member States: {', '.join(sorted(unknown))}")
    for col in ("iso3", "iso2", "m49"):
        values = [getattr(c, col) for c in rows]
        if len(set(values)) != len(values):
            raise CountryDataError(f"{col}: codes are not unique")
    return tuple(sorted(rows, key=lambda c: c.iso3))


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """All 194 Member States, sorted by ISO3 code (loaded once per process)."""
    return load_countries()


@lru_cache(maxsize=1)
def _by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in countries()}


def country(iso3: str) -> Country:
    """The Member State with this ISO3 code; KeyError if it is not one."""
    return _by_iso3()[iso3.upper()]


def country_name(iso3: str, lang: str = "en") -> str:
    c = _by_iso3().get(iso3.upper())
    return c.name(lang) if c else iso3
