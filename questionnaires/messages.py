"""UI and message strings by key and language, from ``questionnaires/i18n/<lang>.yaml``.

No gettext.install(): the language is an argument (the app keeps it per session), never process-wide.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from questionnaires.yaml_io import safe_load

CATALOG_DIR = Path(__file__).resolve().parent / "i18n"
DEFAULT_LANG = "en"
NARROW_NBSP = "\u202f"  # French: before : ; ! ? (and %), so the mark never starts a line


def mark(sign: str, lang: str) -> str:
    """``sign`` (":", ";", "!", "?") as ``lang`` writes it: French puts a narrow no-break space before it.

    For text the code joins itself ("Global : **41,4**"); the French catalog writes the space in its strings.
    """
    return f"{NARROW_NBSP}{sign}" if lang == "fr" else sign


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    path = CATALOG_DIR / f"{lang}.yaml"
    if not path.exists():
        path = CATALOG_DIR / f"{DEFAULT_LANG}.yaml"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = safe_load(fh) or {}
    return {str(k): str(v) for k, v in data.items()}


def plural_form(n: float, lang: str) -> str:
    """"one" or "other": the grammatical number a count ``n`` takes in ``lang``.

    French (CLDR): 0 and 1 are singular ("0 question répondue"); English: only 1 ("0 questions").
    """
    if lang == "fr":
        return "one" if 0 <= abs(n) < 2 else "other"
    return "one" if n == 1 else "other"


def _count(n: Any) -> float | None:
    """``n`` as a number: a count may come formatted ("1 200", a :class:`Reason` keeps text), else None."""
    if isinstance(n, bool):
        return None
    if isinstance(n, int | float):
        return n
    if isinstance(n, str):
        digits = n.translate({ord(c): None for c in f" ,{NARROW_NBSP}\u00a0"})
        return int(digits) if digits.isdigit() else None
    return None


def _template(key: str, lang: str, n: Any) -> str | None:
    """``key`` in ``lang``: its plural form for ``n`` (``key.one`` / ``key.other``) when the catalog has one."""
    cat = catalog(lang)
    count = _count(n)
    if count is not None:
        form = cat.get(f"{key}.{plural_form(count, lang)}")
        if form:
            return form
    return cat.get(key)


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``kwargs``.

    Plurals: a catalog may give ``key.one`` and ``key.other`` instead of ``key``; the count is the
    ``n`` kwarg, and the form follows ``lang``'s rule (:func:`plural_form`).
    Only the catalog string is a format template; user text must be passed as a kwarg value,
    never concatenated into the template, so braces in user text are harmless.
    """
    n = kwargs.get("n")
    text = _template(key, lang, n) or _template(key, DEFAULT_LANG, n) or key
    return text.format(**kwargs) if kwargs else text


def languages() -> dict[str, str]:
    """Language code -> its own name, for the language switch."""
    return {"en": "English", "fr": "Français"}
