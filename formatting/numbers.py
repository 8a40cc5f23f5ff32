"""Numbers in the reader's language: one decimal for scores, a decimal comma in French.

French typography also puts a narrow no-break space (U+202F) before the percent sign ("47 %"): it keeps
the sign on the number's line and is what French style guides (Imprimerie nationale) prescribe.
"""

from __future__ import annotations

PERCENT_SPACE = {"fr": "\u202f"}  # narrow no-break space; English writes "47%"
MISSING = "–"  # shown for a value that does not exist (no target, no score): never "None" or "nan"


GROUP_SPACE = "\u202f"  # French groups thousands with a narrow no-break space: 1 940


def fmt_decimal(value: float, lang: str = "en", spec: str = ".1f") -> str:
    """A number with the language's decimal mark (French writes 64,1) and, for a "," spec, its thousands mark."""
    text = format(value, spec)
    return text.translate({ord(","): GROUP_SPACE, ord("."): ","}) if lang == "fr" else text


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
    return f"{fmt_decimal(value, lang, spec)}{PERCENT_SPACE.get(lang, '')}%"


def fmt_share(value: float | None, lang: str = "en") -> str:
    """A share (0-1) as a whole percentage: '47%' / '47 %'."""
    return MISSING if value is None else fmt_percent(100 * value, lang)
