"""Reading one cell of an uploaded workbook: blank or not, free text, yes/no in either language, a scale
level, a number or a multi-select's options typed by their label, as a person types them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from answers.document import AnswerValue, Reason, check_value, reason
from exchange.workbook.layout import NONE_TOKENS, NONE_WORD, TEXTS
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages
from questionnaires.models import Question

# yes/no as a reader types them, in any language (the catalog's wb.text.yes / wb.text.no), whatever language the
# workbook was written in, and the short or spreadsheet forms.
YES = {"yes", "oui", "sí", "si", "y", "o", "s", "true", "vrai", "verdadero", "x", "1", "д", "истина", "对", "真",
       *(w.casefold() for w in TEXTS["yes"].values())}
NO = {"no", "non", "n", "false", "faux", "falso", "0", "н", "ложь", "错", "假",
      *(w.casefold() for w in TEXTS["no"].values())}


# What separates the options of a multi-select cell, kept by the split (a label may hold a comma).
SEPARATORS = "([,;\n\u060c\u061b\uff0c\uff1b\u3001])"
# Chinese separates list items with 、 and writes ；，full width: no space is put back when pieces are rejoined.
_WIDE_SEPS = "\uff1b\uff0c\u3001"


def _fold(text: str) -> str:
    """A label or name as compared when typed: case, accents, spacing and dashes (-, –, —) do not matter."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = re.sub(r"\s*[-\u2010-\u2015\u2212]\s*", "-", " ".join(plain.split()))
    plain = re.sub("[\u2018\u2019\u02bc]", "'", plain)  # a typographic apostrophe, as word processors type it
    return re.sub(r"\s*:\s*", ":", plain).casefold()


_NONE_FOLDED = {_fold(w) for w in NONE_TOKENS}  # "(ninguno)", "（无）" typed with full-width brackets...


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str | None:
    """A free-text cell as a string (numbers and dates written out); None when blank."""
    if _is_blank(v):
        return None
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    return str(v).strip()


def _flag(v: Any) -> bool | None:
    """yes/no in either language (or TRUE/FALSE, 1/0); blank is no; None when unreadable."""
    if _is_blank(v):
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().casefold()
        if s in YES:
            return True
        if s in NO:
            return False
    return None


def _describe(v: Any) -> str:
    if isinstance(v, datetime | date | time | timedelta):
        return f"a date or time ({v})"
    return repr(v) if not isinstance(v, str) else f"“{v[:60]}”"


def _option_lookup(options: list[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """(value, its labels: English, French, then the content catalogs' (Spanish...)) -> value, keyed by
    :func:`_fold` (case, accents, dashes ignored).

    A label numbered like "3 – Adopted" is also found by its number alone ("3"), when that is unambiguous.
    """
    lookup: dict[str, str] = {}
    numbers: dict[str, set[str]] = {}
    for value, labels in options:
        for label in labels:
            head, sep, _ = label.partition(" – ")
            if sep and head.strip():
                numbers.setdefault(_fold(head), set()).add(value)
    for number, values in numbers.items():
        if len(values) == 1:
            lookup[number] = next(iter(values))
    for value, labels in options:
        for key in (*labels, value):  # values win over a label that happens to spell another value
            lookup[_fold(key)] = value
    return lookup


def _split_options(token: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    """The options named in a multi-select cell, and the pieces that name none.

    Options are separated by semicolons, commas or line breaks (also the Arabic and the full-width or
    ideographic ones an Arabic or Chinese keyboard types: ؛ ، ； ， 、), but a label may itself hold a comma
    ("Licensing, numbering"): at each place the longest run of pieces that names an option wins.
    """
    pieces = [p.strip() for p in re.split(SEPARATORS, token)]
    parts = pieces[0::2]
    seps = pieces[1::2]
    chosen: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(parts):
        if not parts[i]:
            i += 1
            continue
        for j in range(len(parts), i, -1):
            joined = parts[i]
            for k in range(i + 1, j):
                sep = seps[k - 1]
                joined += (sep if sep in _WIDE_SEPS else (sep if sep != "\n" else ",") + " ") + parts[k]
            if _fold(joined) in lookup:
                chosen.append(lookup[_fold(joined)])
                i = j
                break
        else:
            unknown.append(parts[i])
            i += 1
    return chosen, unknown


def _parse_value(questionnaire: Questionnaire, q: Question, raw: Any) -> tuple[AnswerValue, Reason | None]:
    """The answer value of a cell, or the reason it cannot be read."""
    if _is_blank(raw):
        return None, None
    if isinstance(raw, bool | datetime | date | time | timedelta):
        return None, reason("wb_wrong_type", got=_describe(raw))
    if q.type == "numeric":
        if isinstance(raw, int | float):
            number = float(raw)
        else:
            try:
                number = float(str(raw).replace(",", ".").strip())
            except ValueError:
                return None, reason("wb_not_number", got=_describe(raw))
        if not math.isfinite(number):
            return None, reason("not_finite")
        why = check_value(q, questionnaire, number)
        return (None, why) if why else (number, None)
    token = _text(raw) or ""
    if q.type == "scale":
        scale = questionnaire.scales[q.scale or ""]
        lookup = _option_lookup([(o.value, o.label.texts()) for o in scale.options])
        found = lookup.get(_fold(token))
        if found is None:
            labels = {lang: "; ".join(o.label.get(lang) for o in scale.options) for lang in languages()}
            return None, reason("wb_unknown_option", got=_describe(raw), allowed=labels)
        return found, None
    options = q.options or []
    if _fold(token) in _NONE_FOLDED:
        return [], None
    lookup = _option_lookup([(o.value, o.label.texts()) for o in options])
    found_values, unknown = _split_options(token, lookup)
    if unknown:
        allowed = {lang: "; ".join(o.label.get(lang) for o in options) for lang in languages()}
        return None, reason("wb_unknown_options", unknown="; ".join(unknown), allowed=allowed,
                            none={lang: NONE_WORD[lang] for lang in languages()})
    chosen = list(dict.fromkeys(found_values))  # repeats are harmless: keep one
    return chosen, None
