"""The languages the tool knows: ITU's six, each with its own name, direction and CLDR locale.

A language is *known* here as soon as it is registered, and *offered* to readers when it is ``shipped`` and its
catalogs are complete (:func:`questionnaires.messages.languages`): en and fr today; ar, es, ru and zh are
registered so that their catalogs can be started and measured (``iotready i18n status``). Plural categories
come from CLDR through Babel, so a seventh language is one more row, not new rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.plural import PluralRule, to_gettext

Direction = Literal["ltr", "rtl"]
CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's order, also the PO files' msgstr[i] order


@dataclass(frozen=True)
class Language:
    """One language: ``code`` (ISO 639-1, the address's ``?lang=``), its own name, direction and CLDR locale."""

    code: str
    name: str  # the language's name in itself, as the language switch shows it
    direction: Direction
    locale: str  # the CLDR locale Babel formats numbers, dates and plurals with
    numbering: str = "latn"  # digits: Western (CLDR's default for all six, Arabic included)
    # French typography beyond CLDR: a narrow no-break space (U+202F) before : ; ! ? and %, where CLDR's
    # French percent has a no-break space (U+00A0); the Imprimerie nationale's rule, kept since issue 12.
    mark_space: str = ""
    shipped: bool = False  # offered to readers: its catalogs must be complete (`make test` and `i18n status` fail)


REGISTRY: dict[str, Language] = {lg.code: lg for lg in (
    Language("ar", "العربية", "rtl", "ar"),
    Language("en", "English", "ltr", "en", shipped=True),
    Language("es", "Español", "ltr", "es"),
    Language("fr", "Français", "ltr", "fr", mark_space="\u202f", shipped=True),
    Language("ru", "Русский", "ltr", "ru"),
    Language("zh", "中文", "ltr", "zh_Hans"),
)}
SOURCE = "en"  # the UI strings are written in English first; every other catalog translates them


def language(code: str) -> Language:
    """The registered language ``code`` (English for an unknown code, as the app falls back)."""
    return REGISTRY.get(code, REGISTRY[SOURCE])


@lru_cache(maxsize=16)
def _rule(code: str) -> PluralRule:
    return Locale.parse(language(code).locale).plural_form


def plural_categories(code: str) -> tuple[str, ...]:
    """The CLDR plural categories ``code`` uses, in CLDR order (English: one, other; Arabic: all six)."""
    tags = _rule(code).tags | {"other"}
    return tuple(c for c in CATEGORIES if c in tags)


def plural_category(n: float, code: str) -> str:
    """The CLDR category a count ``n`` takes in ``code``: French 0, 1 and 1.5 are "one", English only 1.

    A float with no fraction counts as the integer (1.0 -> 1): CLDR would read "1.0" as a visible decimal.
    """
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return str(_rule(code)(n))


def plural_forms_header(code: str) -> str:
    """The PO ``Plural-Forms`` header for ``code``, indexed like :func:`plural_categories` (CLDR's order).

    Babel writes CLDR's compact exponent ``e`` (French and Spanish "many" for 1 000 000), which C gettext tools
    do not know; counts here never have one, so it is written as 0.
    """
    return re.sub(r"\be\b", "0", to_gettext(_rule(code)))
