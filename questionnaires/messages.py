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


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``kwargs``.

    Only the catalog string is a format template; user text must be passed as a kwarg value,
    never concatenated into the template, so braces in user text are harmless.
    """
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**kwargs) if kwargs else text


def languages() -> dict[str, str]:
    """Language code -> its own name, for the language switch."""
    return {"en": "English", "fr": "Français"}
