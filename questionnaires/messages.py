"""UI and message strings by key and language: English from ``i18n/en.yaml``, the others from ``i18n/<lang>.po``.

No gettext.install(): the language is an argument (the app keeps it per session), never process-wide.
The PO files are the translators' (``questionnaires/catalogs.py``); here each is read once as a dict.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from questionnaires.catalogs import CATALOG_DIR, CONTENT, compiled, group, po_path, read_yaml
from questionnaires.languages import REGISTRY, SOURCE, language, plural_categories, plural_category
from questionnaires.models import LANGUAGES

DEFAULT_LANG = SOURCE
NARROW_NBSP = "\u202f"  # French: before : ; ! ? (and %), so the mark never starts a line


def mark(sign: str, lang: str) -> str:
    """``sign`` (":", ";", ",", "!", "?") as ``lang`` writes it: French puts a narrow no-break space before it,
    Arabic writes its own comma, semicolon and question mark ("،", "؛", "؟"), Chinese its full-width forms
    ("：", "；", "，", "！", "？").

    For text the code joins itself ("Global : **41,4**"); the catalogs write these signs in their strings.
    """
    lg = language(lang)
    space = lg.mark_space if sign in ":;!?" else ""  # French: no space before a comma
    return f"{space}{dict(lg.marks).get(sign, sign)}"


def separator(sign: str, lang: str) -> str:
    """:func:`mark` and the space after it ("名称：值"): none after a full-width mark, which holds its own."""
    sign = mark(sign, lang)
    return sign if unicodedata.east_asian_width(sign[-1]) in ("F", "W") else f"{sign} "


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    """Every string of ``lang`` by key (a count's forms as ``key.one``, ``key.other``...); English when unknown.

    Fuzzy and untranslated entries are absent: :func:`t` shows the English there.
    """
    if lang == SOURCE or lang not in REGISTRY:
        return read_yaml(CATALOG_DIR / f"{SOURCE}.yaml")
    return compiled(lang)


def plural_form(n: float, lang: str) -> str:
    """The CLDR plural category ("one", "few", "other"...) a count ``n`` takes in ``lang`` (Babel's rules).

    French: 0, 1 and 1.5 are singular ("0 question répondue"); English: only 1 ("0 questions").
    """
    return plural_category(n, lang if lang in REGISTRY else SOURCE)


def _count(n: Any) -> float | None:
    """``n`` as a number: a count may come formatted ("1 200", a :class:`Reason` keeps text), else None."""
    if isinstance(n, bool):
        return None
    if isinstance(n, int | float):
        return n
    if isinstance(n, str):
        # the thousands marks the shipped languages write: comma, space, no-break spaces, Spanish's point (1.200)
        digits = n.translate({ord(c): None for c in f" ,.{NARROW_NBSP}\u00a0"})
        return int(digits) if digits.isascii() and digits.isdecimal() else None  # "²".isdigit(), int("²") raises
    return None


def pick(cat: Mapping[str, str], key: str, lang: str, n: Any) -> str | None:
    """``key``'s template in the catalog ``cat`` of ``lang``: for a count ``n``, the form of its CLDR category.

    A category the catalog lacks takes the ``other`` form (French "many", 1 000 000, reads as the plural), and so
    does a count that cannot be read as a number ("²").
    """
    count = _count(n)
    if count is not None:
        form = cat.get(f"{key}.{plural_form(count, lang)}") or cat.get(f"{key}.other")
        if form:
            return form
    return cat.get(key) or (cat.get(f"{key}.other") if n is not None else None)


def _template(key: str, lang: str, n: Any) -> str | None:
    return pick(catalog(lang), key, lang, n)


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``kwargs``.

    Plurals: a catalog gives ``key.one``, ``key.other`` (and ``key.few``... as the language has them) instead of
    ``key``; the count is the ``n`` kwarg, and the form follows ``lang``'s CLDR rule (:func:`plural_form`).
    Only the catalog string is a format template; user text must be passed as a kwarg value,
    never concatenated into the template, so braces in user text are harmless.
    """
    n = kwargs.get("n")
    text = _template(key, lang, n) or _template(key, DEFAULT_LANG, n) or key
    return text.format(**kwargs) if kwargs else text


@lru_cache(maxsize=1)
def languages() -> dict[str, str]:
    """Language code -> its own name, for the language switch: the languages readers are offered.

    A registered language is offered when it is shipped, its UI catalog is complete (no missing or fuzzy entry)
    and the questionnaire's content is in it: carried by the YAML (``models.LANGUAGES``) or by its content
    catalog ``content-<lang>.po``, laid over the questionnaire at load time (whose completeness ``make test`` and
    ``iotready i18n status`` check for every shipped language); until then it is known but not shown.
    """
    return {code: lg.name for code, lg in sorted(REGISTRY.items())
            if lg.shipped and _has_content(code) and _complete(code)}


def _has_content(lang: str) -> bool:
    return lang in LANGUAGES or po_path(lang, CATALOG_DIR, CONTENT).exists()


def _complete(lang: str) -> bool:
    if lang == SOURCE:
        return True
    have = catalog(lang).keys()
    for key, text in group(catalog(SOURCE)).items():
        wanted = [f"{key}.{c}" for c in plural_categories(lang)] if isinstance(text, dict) else [key]
        if not all(w in have for w in wanted):
            return False
    return True
