"""Reading JSON from users with limits: size, entries, nesting depth, number length, duplicate keys.

Python's ``json`` accepts more than is safe for a file anyone can upload: of two equal keys the last
wins silently (a second ``"country"`` switches the Member State), a number of 4,000 digits is parsed
and later crashes when turned into a float, 100,000 nested arrays raise ``RecursionError``, and an
18 MB file of tiny objects becomes gigabytes of Python objects. Every JSON file from a user (the CLI's
``import``/``score``/``report``, the app's upload) goes through :func:`load_json`, which refuses each
case with a :class:`~answers.document.Reason` naming it, before anything big is built: the entries
are counted on the raw bytes first, so memory stays a small multiple of the (capped) file size.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_JSON_BYTES = 20 * 1024 * 1024  # an export of every Member State over five cycles is about 13 MB
MAX_CONTAINERS = 250_000  # objects + arrays; such an export holds about 75,000
MAX_MEMBERS = 1_000_000  # object members; such an export holds about 500,000
MAX_DEPTH = 32  # an export nests 7 deep
MAX_NUMBER_CHARS = 40  # a number longer than this is no answer, a cycle or a score
_MEMBER = re.compile(rb'"\s*:')  # the end of a key (an upper bound: the same bytes inside a string count too)
# C0 controls but tab and line breaks, DEL, C1 controls, and lone UTF-16 surrogates (``"\ud800"``): text that
# PostgreSQL refuses (NUL), that cannot be encoded (surrogates), or that drives a terminal (ESC).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class JsonRefused(ValueError):
    """A JSON file refused before or while parsing; ``reason`` says why in any UI language."""

    def __init__(self, why: Any) -> None:
        self.reason = why
        super().__init__(str(why))


def _reason(code: str, /, **params: object) -> Any:
    from answers.document import reason  # the document module reads JSON through this one

    return reason(code, **params)


def count_text(n: int) -> dict[str, str]:
    """A count as each language writes it (1,199,950 / 1 199 950 / 1.199.950), CLDR's group mark."""
    from questionnaires.languages import REGISTRY, cldr

    return {code: f"{n:,}".replace(",", cldr(code)["group"]) for code in REGISTRY}


def size_text(n_bytes: int) -> dict[str, str]:
    """A size in megabytes with one decimal as each language writes it (1.5 / 1,5), CLDR's decimal mark."""
    from questionnaires.languages import REGISTRY, cldr

    return {code: f"{n_bytes / 1_048_576:.1f}".replace(".", cldr(code)["decimal"]) for code in REGISTRY}


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused(_reason("json_long_number", n=count_text(len(text)), limit=MAX_NUMBER_CHARS))
    if text.lstrip("-").isdigit():
        return int(text)
    number = float(text)
    if not math.isfinite(number):  # 1e999 overflows to inf: no answer, cycle or score is infinite
        raise JsonRefused(_reason("not_finite"))
    return number


def _constant(name: str) -> Any:
    raise JsonRefused(_reason("json_constant", name=name))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        bad = CONTROL_CHARS.search(key)
        if bad:  # the key itself is not repeated: it may hold terminal escapes
            raise JsonRefused(_reason("json_control_key", char=f"U+{ord(bad.group()):04X}"))
        if key in out:
            raise JsonRefused(_reason("json_duplicate_key", field=key))
        out[key] = value
    return out


# Python's parser explains a syntax error in English ("Expecting ',' delimiter"): each known message becomes
# a catalog key, so a French reader gets the line, the column and what is wrong in French, never English text.
_SYNTAX_HINTS = (
    ("Expecting value", "expecting_value"),
    ("Expecting property name", "expecting_key"),
    ("Expecting ',' delimiter", "expecting_comma"),
    ("Expecting ':' delimiter", "expecting_colon"),
    ("Unterminated string", "unterminated_string"),
    ("Invalid control character", "control_in_string"),
    ("Invalid \\escape", "bad_escape"),
    ("Invalid \\uXXXX escape", "bad_escape"),
    ("Extra data", "extra_data"),
    ("Illegal trailing comma", "trailing_comma"),  # Python 3.13+
)


def _syntax_hint(msg: str) -> dict[str, str]:
    """What Python's parser found wrong, in each UI language (a generic hint for a message not listed)."""
    from questionnaires.messages import languages, t

    key = next((k for prefix, k in _SYNTAX_HINTS if msg.startswith(prefix)), "other")
    return {lang: t(f"json_hint.{key}", lang) for lang in languages()}


def _depth(value: Any) -> int:
    """The nesting depth, without recursion (a parsed document is at most ~1,000 deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))
    return deepest


def load_json(raw: bytes | str, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse a user's JSON file; raise :class:`JsonRefused` naming the first limit or rule it breaks."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    if len(data) > max_bytes:
        raise JsonRefused(_reason("json_too_big", size=size_text(len(data)), limit=max_bytes // 1_048_576))
    containers = data.count(b"{") + data.count(b"[")
    if containers > MAX_CONTAINERS:
        raise JsonRefused(_reason("json_too_many", n=count_text(containers), limit=count_text(MAX_CONTAINERS)))
    members = _MEMBER.subn(b"", data)[1]
    if members > MAX_MEMBERS:
        raise JsonRefused(_reason("json_too_many", n=count_text(members), limit=count_text(MAX_MEMBERS)))
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Windows Notepad) is harmless
    except UnicodeDecodeError as exc:
        raise JsonRefused(_reason("json_not_utf8", at=count_text(exc.start))) from None
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_int=_number, parse_float=_number, parse_constant=_constant
        )
    except RecursionError:
        raise JsonRefused(_reason("json_too_deep", limit=MAX_DEPTH)) from None
    except json.JSONDecodeError as exc:
        what = _syntax_hint(exc.msg)
        raise JsonRefused(_reason("json_syntax", line=exc.lineno, column=exc.colno, what=what)) from None
    if _depth(value) > MAX_DEPTH:
        raise JsonRefused(_reason("json_too_deep", limit=MAX_DEPTH))
    return value
