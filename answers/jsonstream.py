"""Reading a JSON export one assessment at a time, with today's limits per assessment.

An export of every Member State over ten cycles is 28–35 MB, more than :func:`answers.jsonread.load_json`
takes whole (20 MB): parsed whole it would also be a few hundred MB of Python objects. :func:`stream_export`
parses it with ijson (yajl in C), builds one item of ``assessments`` at a time and hands it over, so memory is
one assessment, whatever the file size. Each assessment is held to the limits a whole file has today (size,
objects and arrays, members, nesting depth, number length, duplicate keys, control characters in keys),
and the file as a whole to :data:`MAX_EXPORT_BYTES`, far above the largest export the tool can write.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import ijson

from answers.document import MAX_COMMENT, MAX_EVIDENCE, MAX_JUSTIFICATION
from answers.jsonread import (
    CONTROL_CHARS,
    MAX_CONTAINERS,
    MAX_DEPTH,
    MAX_JSON_BYTES,
    MAX_MEMBERS,
    MAX_NUMBER_CHARS,
    JsonRefused,
    _reason,
    count_text,
)

# 194 Member States x 10 cycles x 63 questions x the longest answer texts (12,500 characters), each character
# 4 bytes of UTF-8 at worst: about 6.1 GB. The limit is well above, so whatever the tool exports, it imports.
LONGEST_ANSWER_CHARS = MAX_JUSTIFICATION + MAX_EVIDENCE + MAX_COMMENT
MAX_EXPORT_BYTES = 16 * 1024**3
ITEM_KEY = "assessments"


class _Counting:
    """A binary file that counts the bytes read (the overall limit, and progress for a bar)."""

    def __init__(self, fh: IO[bytes], limit: int) -> None:
        self.fh, self.limit, self.read_bytes = fh, limit, 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.fh.read(n)
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise JsonRefused(_reason("json_too_big", size=f"{self.read_bytes / 1_048_576:.1f}",
                                      limit=self.limit // 1_048_576))
        return chunk


@dataclass
class _Budget:
    """What one assessment may hold: today's limits of a whole file."""

    containers: int = 0
    members: int = 0
    chars: int = 0

    def container(self) -> None:
        self.containers += 1
        if self.containers > MAX_CONTAINERS:
            raise JsonRefused(_reason("json_too_many", n=count_text(self.containers),
                                      limit=count_text(MAX_CONTAINERS)))

    def member(self, key: str) -> None:
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise JsonRefused(_reason("json_too_many", n=count_text(self.members), limit=count_text(MAX_MEMBERS)))
        self.text(key)

    def text(self, s: str) -> None:
        self.chars += len(s)
        if self.chars > MAX_JSON_BYTES:
            raise JsonRefused(_reason("json_too_big", size=f"{self.chars / 1_048_576:.1f}",
                                      limit=MAX_JSON_BYTES // 1_048_576))


def _number(value: Any) -> int | float:
    """ijson's int or Decimal as load_json would give it; refused when longer than a number may be."""
    text = str(value)
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused(_reason("json_long_number", n=count_text(len(text)), limit=MAX_NUMBER_CHARS))
    if isinstance(value, Decimal):
        number = float(value)
        if not math.isfinite(number):  # 1e999: no answer, cycle or score; refused as load_json refuses it
            raise JsonRefused(_reason("not_finite"))
        return number
    return int(value)


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    key: str | None = None  # the pending key of a map


@dataclass
class ExportStream:
    """The header of a streamed export (every top-level key but ``assessments``), known once read to the end."""

    header: dict[str, Any] = field(default_factory=dict)
    items: int = 0
    bytes_read: int = 0
    saw_items: bool = False


def stream_export(
    fh: IO[bytes], on_item: Callable[[int, Any], None], *, max_bytes: int = MAX_EXPORT_BYTES,
    progress: Callable[[int], None] | None = None,
) -> ExportStream:
    """Parse ``fh`` (a JSON object) and call ``on_item(index, value)`` for each item of its ``assessments`` list.

    Raise :class:`JsonRefused` naming the first limit or rule broken. The other top-level keys are returned
    (small values: format, questionnaire, filters); the caller checks them once the file is read, so nothing
    depends on the order of keys.
    """
    counted = _Counting(fh, max_bytes)
    result = ExportStream()
    stack: list[_Frame] = []
    budget = _Budget()
    in_items = False  # inside the top-level "assessments" list
    top_key: str | None = None

    def put(value: Any) -> None:
        nonlocal top_key
        frame = stack[-1] if stack else None
        if frame is None:
            raise JsonRefused(_reason("json_syntax_near", at=count_text(counted.read_bytes), what=_hint("other")))
        if isinstance(frame.value, list):
            frame.value.append(value)
        else:
            assert frame.key is not None
            frame.value[frame.key] = value
            frame.key = None

    events: Iterator[tuple[str, Any]] = ijson.basic_parse(counted, use_float=False)
    try:
        for event, value in events:
            depth = len(stack)
            if depth == 0:
                if event != "start_map":
                    raise JsonRefused(_reason("json_syntax_near", at=1, what=_hint("expecting_key")))
                stack.append(_Frame({}))
                continue
            if depth == 1 and event == "map_key":
                _check_key(value, stack[0].value)
                top_key = value
                stack[0].key = value
                continue
            if depth == 1 and event == "start_array" and top_key == ITEM_KEY and not result.saw_items:
                result.saw_items = in_items = True
                stack.append(_Frame([]))
                continue
            if depth == 2 and in_items and event == "end_array":  # the list was handed over item by item
                stack.pop()
                in_items = False
                assert isinstance(stack[0].value, dict)
                stack[0].value[ITEM_KEY] = result.items
                stack[0].key = None
                continue
            if event in ("start_map", "start_array"):
                if depth >= MAX_DEPTH:
                    raise JsonRefused(_reason("json_too_deep", limit=MAX_DEPTH))
                budget.container()
                stack.append(_Frame({} if event == "start_map" else []))
            elif event == "map_key":
                budget.member(value)
                frame = stack[-1]
                assert isinstance(frame.value, dict)
                _check_key(value, frame.value)
                frame.key = value
            elif event in ("end_map", "end_array"):
                done = stack.pop()
                if len(stack) == 0:
                    result.header = done.value if isinstance(done.value, dict) else {}
                    continue
                if in_items and len(stack) == 2:  # one assessment read whole: hand it over, forget it
                    on_item(result.items, done.value)
                    result.items += 1
                    budget = _Budget()
                    if progress is not None:
                        progress(counted.read_bytes)
                    continue
                put(done.value)
            else:
                if event == "number":
                    value = _number(value)
                elif event == "string":
                    budget.text(value)
                if in_items and len(stack) == 2:  # a bare value in the list: handed over as it is
                    on_item(result.items, value)
                    result.items += 1
                    continue
                put(value)
    except UnicodeDecodeError:
        raise JsonRefused(_reason("json_not_utf8", at=count_text(counted.read_bytes))) from None
    except ijson.JSONError as exc:  # yajl says no line or column: the bytes read so far locate it
        raise JsonRefused(_reason("json_syntax_near", at=count_text(counted.read_bytes),
                                  what=_hint(_ijson_hint(str(exc))))) from None
    if stack:
        raise JsonRefused(_reason("json_syntax_near", at=count_text(counted.read_bytes),
                                  what=_hint("expecting_value")))
    result.bytes_read = counted.read_bytes
    return result


def _check_key(key: str, into: dict[str, Any] | list[Any]) -> None:
    bad = CONTROL_CHARS.search(key)
    if bad:
        raise JsonRefused(_reason("json_control_key", char=f"U+{ord(bad.group()):04X}"))
    if isinstance(into, dict) and key in into:
        raise JsonRefused(_reason("json_duplicate_key", field=key))


def _ijson_hint(message: str) -> str:
    """yajl's English message as one of load_json's hint keys."""
    m = message.lower()
    if "invalid string" in m or "control" in m:
        return "control_in_string"
    if "premature eof" in m or "incomplete" in m:
        return "expecting_value"
    if "trailing garbage" in m or "additional data" in m:
        return "extra_data"
    if "invalid char" in m or "lexical error" in m:
        return "expecting_value"
    return "other"


def _hint(key: str) -> dict[str, str]:
    from questionnaires.messages import languages, t

    return {lang: t(f"json_hint.{key}", lang) for lang in languages()}
