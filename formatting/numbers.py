"""Numbers and dates in the reader's language, with CLDR's symbols (Babel): one decimal for scores, 64,1 in French.

The symbols (decimal and group marks, the percent sign's place) are read from CLDR once per language and
applied to Python's own formatting, so a page's hundreds of numbers cost no more than before. French typography
also puts a narrow no-break space (U+202F) before the percent sign ("47 %"), where CLDR has a no-break space:
it is what French style guides (Imprimerie nationale) prescribe (``Language.mark_space``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from questionnaires.languages import cldr, language

MISSING = "–"  # shown for a value that does not exist (no target, no score): never "None" or "nan"


@lru_cache(maxsize=16)
def _symbols(lang: str) -> tuple[str, str, str, str]:
    """``lang``'s decimal mark, group mark, and what comes before and after a percentage's digits (CLDR)."""
    lg, facts = language(lang), cldr(lang)
    prefix, suffix = facts["percent"]
    if lg.mark_space:
        prefix, suffix = (p.replace("\u00a0", lg.mark_space) for p in (prefix, suffix))
    return facts["decimal"], facts["group"], prefix, suffix


def fmt_decimal(value: float, lang: str = "en", spec: str = ".1f") -> str:
    """A number with the language's decimal mark (French writes 64,1) and, for a "," spec, its group mark."""
    text = format(value, spec)
    decimal, group, _, _ = _symbols(lang)
    if (decimal, group) == (".", ","):
        return text
    return text.translate({ord(","): group, ord("."): decimal})


def fmt_count(value: int, lang: str = "en") -> str:
    """A count with its thousands grouped as the language writes them: 1,940 / 1 940 (narrow no-break space)."""
    return fmt_decimal(value, lang, ",d")


def fmt_number(value: float | None, lang: str = "en") -> str:
    """A weight, threshold or answer as short as it goes (1.5 / 1,5; 2 not 2.0)."""
    return MISSING if value is None else fmt_decimal(value, lang, "g")


def fmt_score(value: float | None, lang: str = "en") -> str:
    """Scores are shown with one decimal everywhere (app, CLI, PDF) so they can be compared by eye."""
    return MISSING if value is None else fmt_decimal(value, lang)


def fmt_percent(value: float | None, lang: str = "en", spec: str = ".0f") -> str:
    """A value already in percent (0-100), with the language's percent sign: '47%' / '47 %'."""
    if value is None:
        return MISSING
    _, _, prefix, suffix = _symbols(lang)
    return f"{prefix}{fmt_decimal(value, lang, spec)}{suffix}"


def percent_suffix(lang: str = "en") -> str:
    """What follows a percentage's digits in ``lang`` ("%" / narrow no-break space and "%"): a chart's tick suffix."""
    return _symbols(lang)[3]


def fmt_share(value: float | None, lang: str = "en") -> str:
    """A share (0-1) as a whole percentage: '47%' / '47 %'.

    A share short of whole never reads "100%" (632 of 633 translated, an assessment one answer short), nor a
    share above nothing "0%": rounding stops at 99 and 1.
    """
    if value is None:
        return MISSING
    percent = 100 * value
    if 0 < value < 1:
        percent = min(max(percent, 1.0), 99.0)
    return fmt_percent(percent, lang)


# ITU's English documents date as British English does ("7 December 2026", as the PDF always wrote it), not as
# CLDR's "en" (US: "December 7, 2026"); only dates: numbers keep "en" (1,940.5 in both).
_DATE_LOCALES = {"en": "en_GB"}


def fmt_date(value: dt.date, lang: str = "en", form: str = "long") -> str:
    """A date as ``lang`` writes it in prose (CLDR): "7 December 2026" / "7 décembre 2026".

    Tables and audit lines keep ISO dates (2026-12-07), which sort and read the same in every language.
    """
    from babel.dates import format_date

    return format_date(value, form, locale=_DATE_LOCALES.get(lang) or language(lang).locale)
