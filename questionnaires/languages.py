"""The languages the tool knows: ITU's six, each with its own name, direction and CLDR locale.

A language is *known* here as soon as it is registered, and *offered* to readers when it is ``shipped`` and its
catalogs are complete (:func:`questionnaires.messages.languages`): all six, ar, en, es, fr, ru and zh, since
their catalogs are complete (issue 24; Arabic right to left). A registered language that is not shipped would be
known but not offered, its catalogs started and measured (``iotready i18n status``). Plural categories
come from CLDR through Babel, so a seventh language is one more row, not new rules.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from babel.plural import PluralRule

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
    # Punctuation the code joins that the script writes in its own form (Arabic: the comma "،", semicolon "؛",
    # question mark "؟"; Chinese: the full-width "：；，！？"), as (Latin sign, its form) pairs:
    # :func:`questionnaires.messages.mark` (and :func:`~questionnaires.messages.separator`, the space after it).
    marks: tuple[tuple[str, str], ...] = ()
    shipped: bool = False  # offered to readers: its catalogs must be complete (`make test` and `i18n status` fail)


REGISTRY: dict[str, Language] = {lg.code: lg for lg in (
    Language("ar", "العربية", "rtl", "ar", marks=((",", "\u060c"), (";", "\u061b"), ("?", "\u061f")), shipped=True),
    Language("en", "English", "ltr", "en", shipped=True),
    Language("es", "Español", "ltr", "es", shipped=True),
    Language("fr", "Français", "ltr", "fr", mark_space="\u202f", shipped=True),
    Language("ru", "Русский", "ltr", "ru", shipped=True),
    Language("zh", "中文", "ltr", "zh_Hans", shipped=True,
             marks=((":", "\uff1a"), (";", "\uff1b"), (",", "\uff0c"), ("!", "\uff01"), ("?", "\uff1f"))),
)}
SOURCE = "en"  # the UI strings are written in English first; every other catalog translates them


def language(code: str) -> Language:
    """The registered language ``code`` (English for an unknown code, as the app falls back)."""
    return REGISTRY.get(code, REGISTRY[SOURCE])


def cache_dir() -> Path:
    """Where compiled catalogs and CLDR facts are kept between runs (``IOTREADY_CACHE_DIR`` or the user cache)."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("IOTREADY_CACHE_DIR") or user_cache_dir("iotready")) / "i18n"


def cached_json(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept as ``name`` in :func:`cache_dir`; a cache that cannot be written costs only time."""
    path = cache_dir() / name
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        pass
    data = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as tmp:
            json.dump(data, tmp, ensure_ascii=False)
        os.replace(tmp.name, path)
    except OSError:
        pass
    return data


@lru_cache(maxsize=16)
def cldr(code: str) -> dict[str, Any]:
    """What the tool takes from CLDR for ``code``: plural rules, decimal and group marks, the percent's affixes.

    Read from Babel's locale data once (about 0.1 s a language) and cached on disk by Babel's version, so a
    process start costs a small JSON read, as the YAML catalogs did.
    """
    lg = language(code)

    def compute() -> dict[str, Any]:
        from babel import Locale
        from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

        loc = Locale.parse(lg.locale)
        percent = parse_pattern(loc.percent_formats[None].pattern)
        return {"plural": dict(loc.plural_form.rules),
                "decimal": get_decimal_symbol(loc, numbering_system=lg.numbering),
                "group": get_group_symbol(loc, numbering_system=lg.numbering),
                "percent": [percent.prefix[0], percent.suffix[0]]}

    import babel  # here, not at import: a command that prints no count or number never loads it

    facts: dict[str, Any] = cached_json(f"cldr-{babel.__version__}-{lg.locale}-{lg.numbering}.json", compute)
    return facts


@lru_cache(maxsize=16)
def _rule(code: str) -> PluralRule:
    from babel.plural import PluralRule

    return PluralRule(cldr(code)["plural"])


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
    from babel.plural import to_gettext

    return re.sub(r"\be\b", "0", to_gettext(_rule(code)))
