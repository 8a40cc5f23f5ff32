"""Numbers in the reader's language: one decimal for scores, a decimal comma in French."""

from __future__ import annotations


def fmt_decimal(value: float, lang: str = "en", spec: str = ".1f") -> str:
    """A number with the language's decimal mark (French writes 64,1)."""
    text = format(value, spec)
    return text.replace(".", ",") if lang == "fr" else text


def fmt_score(value: float | None, lang: str = "en") -> str:
    """Scores are shown with one decimal everywhere (app, CLI, PDF) so they can be compared by eye."""
    return "–" if value is None else fmt_decimal(value, lang)


def fmt_share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"
