"""Reading a JSON export one assessment at a time, with today's limits per assessment.

An export of every Member State over ten cycles is 28–35 MB, more than :func:`answers.jsonread.load_json`
takes whole (20 MB): parsed whole it would also be a few hundred MB of Python objects. :func:`stream_export`
parses it with ijson (yajl in C), builds one item of ``assessments`` at a time and hands it over, so memory is
one assessment, whatever the file size. Each assessment is held to the limits a whole file has today (size,
objects and arrays, members, nesting depth, number length, duplicate keys, control characters in keys), on its
own; so is the header (every top-level key but ``assessments``, before and after the list together); and the
file as a whole to :data:`MAX_EXPORT_BYTES`, far above the largest export the tool can write.

Two readers give the same values and the same refusals. The exact one (:func:`_checked`) walks ijson's events
in Python and says which limit is broken where; it was the largest cost of importing a full export. The quick
one (:func:`_quick`) lets ijson's C builder make each assessment, refusing duplicate keys as it builds, and
checks what it built: nesting and counts by a walk over the containers, the size from the bytes read, numbers
and control characters in keys from the raw bytes (a long run of number characters, a three-digit exponent,
an escaped or raw control character anywhere). It never refuses: on anything it cannot vouch for (a hostile
file, or text that merely looks like one) the exact reader reads the file again from the start, handing
over only the assessments not yet handed over, and says what is wrong as it always did.
"""

from __future__ import annotations

import codecs
import json
import math
import re
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
    size_text,
)

# ijson's C backend, in its wheels for every platform Python 3.11 runs on: the quick reader's speed, and yajl's
# wording of a syntax error, which _ijson_hint reads. Named, so an install without it fails here rather than
# falling back silently to the pure-Python backend (other messages, and its JSONDecodeError is no JSONError).
# exchange.bulk reads an export again with it.
YAJL = ijson.get_backend("yajl2_c")

# 194 Member States x 10 cycles x 63 questions x the longest answer texts (12,500 characters), each character
# 4 bytes of UTF-8 at worst: about 6.1 GB. The limit is well above, so whatever the tool exports, it imports.
LONGEST_ANSWER_CHARS = MAX_JUSTIFICATION + MAX_EVIDENCE + MAX_COMMENT
MAX_EXPORT_BYTES = 16 * 1024**3
ITEM_KEY = "assessments"


class _Counting:
    """A binary file that counts the bytes read (the overall limit, and progress for a bar)."""

    def __init__(self, fh: IO[bytes], limit: int) -> None:
        self.fh, self.limit, self.read_bytes = fh, limit, 0
        self.tail = b""  # the last read and the 3 bytes before it: where a byte that is not UTF-8 was met

    def read(self, n: int = -1) -> bytes:
        chunk = self.fh.read(n)
        self.tail = self.tail[-3:] + chunk
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise JsonRefused(_reason("json_too_big", size=size_text(self.read_bytes),
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
            raise JsonRefused(_reason("json_too_big", size=size_text(self.chars),
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
    depends on the order of keys. A file that can be read again from its start (``seek``) is read by the quick
    reader first; the exact reader takes over when the quick one cannot vouch for what it read.
    """
    seekable = getattr(fh, "seekable", None)
    if seekable is None or not seekable():
        return _checked(fh, on_item, max_bytes=max_bytes, progress=progress)
    done = _quick(fh, on_item, max_bytes=max_bytes, progress=progress)
    if isinstance(done, ExportStream):
        return done
    fh.seek(0)
    return _checked(fh, on_item, max_bytes=max_bytes, progress=progress, skip=done)


# What the quick reader cannot vouch for, in the raw bytes: a number that may be longer than MAX_NUMBER_CHARS
# (its text as Python writes it is at most 7 characters longer than in the file: 1e-6 is 0.000001), an exponent
# that may overflow a float, a control character (escaped, or raw: DEL, C1 as UTF-8) or a lone surrogate.
# Plain searches over a translation (a run of number characters is a run of b"n"): a regex per byte was slower.
_CLASSES = bytes(
    ord("n") if chr(b) in "0123456789.eE+-" else ord("c") if (b < 0x20 and b not in (9, 10, 13)) or b == 0x7F
    else ord("x") for b in range(256)
)
_LONG_NUMBER = b"n" * (MAX_NUMBER_CHARS - 8)
_EXPONENT = re.compile(rb"[eE][+\-]?[0-9]{3}")  # quick; then as a number writes it (not in a hash: "2ec143")
_BIG_EXPONENT = re.compile(rb"[0-9][eE][+\-]?[0-9]{3,}(?![0-9A-Za-z])")
_SUSPECT = (
    re.compile(rb"\\(?:u00[0189]|u007[fF]|u[dD][89a-fA-F]|[bf])"),
    re.compile(rb"\xc2[\x80-\x9f]"),
    re.compile(rb"\xed[\xa0-\xbf]"),
)


def _suspect(data: bytes) -> bool:
    classes = data.translate(_CLASSES)
    return (b"c" in classes or _LONG_NUMBER in classes or any(p.search(data) for p in _SUSPECT)
            or (_EXPONENT.search(data) is not None and _BIG_EXPONENT.search(data) is not None))


_OVERLAP = 64  # bytes of the previous chunk searched again: a run cut between two reads is still found
_CHUNK = 64 * 1024  # as ijson's own reads


class _Unsure(Exception):
    """The quick reader cannot vouch for the file: the exact reader reads it."""


class _Map(dict[str, Any]):
    """What ijson's C builder makes each object with: a key met twice is not silently overwritten."""

    __slots__ = ()

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            raise _Unsure
        dict.__setitem__(self, key, value)


def _deepest(value: Any, level: int) -> int:
    """The deepest level of a container built by ijson (``value`` at ``level``), counted up to MAX_DEPTH."""
    deepest = level
    for child in value.values() if type(value) is not list else value:
        kind = type(child)
        if kind is _Map or kind is list:
            deepest = max(deepest, _deepest(child, level + 1))
            if deepest >= MAX_DEPTH:
                break
    return deepest


def _shape(value: Any) -> tuple[int, int]:
    """Containers and object members of a built value."""
    containers = members = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict | list):
            containers += 1
            members += len(v) if isinstance(v, dict) else 0
            stack.extend(v.values() if isinstance(v, dict) else v)
    return containers, members


# A container takes 2 bytes at least ("[]"), an object member 4 ('"":0'): a value of fewer bytes than this
# holds fewer than half the containers and members a file may (the quick reader vouches for half of each limit:
# room to spare, as the exact reader holds each item and the header to a whole file's). Larger values (an
# assessment with the longest texts) are counted.
_SMALL = min(MAX_CONTAINERS, 2 * MAX_MEMBERS)


def _fits(value: Any, level: int, span: int) -> bool:
    """Within every limit with room to spare; ``span``: at least the value's bytes (so its characters)."""
    if isinstance(value, dict | list) and _deepest(value, level) >= MAX_DEPTH:
        return False
    if span > _SMALL:
        containers, members = _shape(value)
        if containers > MAX_CONTAINERS // 2 or members > MAX_MEMBERS // 2:
            return False
    return span <= MAX_JSON_BYTES // 2


def _quick(
    fh: IO[bytes], on_item: Callable[[int, Any], None], *, max_bytes: int,
    progress: Callable[[int], None] | None,
) -> ExportStream | int:
    """The export read by ijson's C builder; the number of items handed over when it cannot vouch for the file.

    What ``on_item`` raises goes to the caller as it is (it is called outside the reader's own checks).
    """
    result = ExportStream()
    counted = _Counting(fh, max_bytes)
    header: dict[str, Any] | None = None
    for value in _built(counted, result):
        if isinstance(value, _Header):
            header = value.header
            break
        on_item(result.items, value)
        result.items += 1
        if progress is not None:
            progress(counted.read_bytes)
    if header is None:
        return result.items
    result.header = header
    if result.saw_items:
        result.header[ITEM_KEY] = result.items
    result.bytes_read = counted.read_bytes
    return result


@dataclass
class _Header:
    header: dict[str, Any]


def _built(counted: _Counting, result: ExportStream) -> Iterator[Any]:
    """Each item of ``assessments`` once built and checked, then the header; stops early when unsure.

    The top-level object is built with its ``assessments`` list, which is emptied after each read: the items
    before the last are complete (the builder only appends), so memory stays a read's worth of assessments.
    """
    top: list[_Map] = []
    items: list[list[Any]] = []

    class _Top(_Map):
        __slots__ = ()

        def __setitem__(self, key: str, value: Any) -> None:
            if key == ITEM_KEY:
                if not isinstance(value, list) or items:
                    raise _Unsure
                items.append(value)
            _Map.__setitem__(self, key, value)

    def new_map() -> _Map:
        m = _Map()
        if not top:
            m.__class__ = _Top
            top.append(m)
        return m

    built = ijson.sendable_list()
    coro = YAJL.items_coro(built, "", map_type=new_map, use_float=True)
    tail = b""
    start = 0  # no byte of the list's last item (the one being built) comes before this offset
    ready: list[Any] = []
    try:
        while True:
            before = counted.read_bytes
            chunk = counted.read(_CHUNK)
            if before == 0 and chunk.lstrip()[:1] != b"{":
                raise _Unsure
            if _suspect(tail + chunk):
                raise _Unsure
            tail = chunk[-_OVERLAP:]
            if not chunk:
                break
            coro.send(chunk)
            lst = items[0] if items else []
            if len(lst) > 1:
                ready = lst[:-1]
                del lst[:-1]
                for value in ready:
                    if not _fits(value, 3, counted.read_bytes - start):
                        raise _Unsure
                yield from ready
                ready = []
                start = before  # the last item began in this read
            elif not lst:
                start = counted.read_bytes
        coro.close()
        ready = items[0][:] if items else []
        for value in ready:
            if not _fits(value, 3, counted.read_bytes - start):
                raise _Unsure
        yield from ready
        if len(built) != 1 or not top or built[0] is not top[0]:
            raise _Unsure
        header = dict(top[0])
        header.pop(ITEM_KEY, None)
        if not _fits(header, 2, len(json.dumps(header, ensure_ascii=False))):  # its characters, at most
            raise _Unsure
    except (_Unsure, JsonRefused, ijson.JSONError, UnicodeDecodeError, ValueError, RecursionError):
        return
    result.saw_items = bool(items)
    yield _Header(header)


def _checked(
    fh: IO[bytes], on_item: Callable[[int, Any], None], *, max_bytes: int,
    progress: Callable[[int], None] | None, skip: int = 0,
) -> ExportStream:
    """The exact reader: every limit checked as the events come, the first one broken named.

    ``skip``: the items the quick reader has handed over already (read again, checked, not handed over twice).
    """
    counted = _Counting(fh, max_bytes)
    result = ExportStream()
    stack: list[_Frame] = []
    header = budget = _Budget()  # the header (every top-level key but the list) is held to a file's limits as one
    in_items = False  # inside the top-level "assessments" list
    top_key: str | None = None

    def put(value: Any) -> None:
        nonlocal top_key
        frame = stack[-1] if stack else None
        if frame is None:
            raise JsonRefused(_reason("json_syntax_near", n=count_text(counted.read_bytes), what=_hint("other")))
        if isinstance(frame.value, list):
            frame.value.append(value)
        else:
            assert frame.key is not None
            frame.value[frame.key] = value
            frame.key = None

    events: Iterator[tuple[str, Any]] = YAJL.basic_parse(counted, use_float=False)
    try:
        for event, value in events:
            depth = len(stack)
            if depth == 0:
                if event != "start_map":
                    raise JsonRefused(_reason("json_syntax_near", n=1, what=_hint("expecting_key")))
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
                budget = header
                assert isinstance(stack[0].value, dict)
                stack[0].value[ITEM_KEY] = result.items
                stack[0].key = None
                continue
            if depth == 2 and in_items:  # an item begins: it is held to a file's limits on its own
                budget = _Budget()
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
                    if result.items >= skip:
                        on_item(result.items, done.value)
                    result.items += 1
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
                    if result.items >= skip:
                        on_item(result.items, value)
                    result.items += 1
                    continue
                put(value)
    except UnicodeDecodeError:
        raise _not_utf8(counted) from None
    except ijson.JSONError as exc:  # yajl says no line or column: the bytes read so far locate it
        if "invalid bytes in utf8 string" in str(exc).lower():  # what a whole file is told (load_json)
            raise _not_utf8(counted) from None
        raise JsonRefused(_reason("json_syntax_near", n=count_text(counted.read_bytes),
                                  what=_hint(_ijson_hint(str(exc))))) from None
    if stack:
        raise JsonRefused(_reason("json_syntax_near", n=count_text(counted.read_bytes),
                                  what=_hint("expecting_value")))
    result.bytes_read = counted.read_bytes
    return result


def _not_utf8(counted: _Counting) -> JsonRefused:
    """The refusal of a file that is not UTF-8, at the first bad byte of the last read (0 the file's first byte).

    yajl stops in the read holding the bad byte, or in the next one when it ends a read as the start of a
    character; a character spans at most 4 bytes, so the 3 bytes before the read hold its start.
    """
    at = _first_bad_byte(counted.fh)  # the file read again: the first bad byte, as a whole file is told
    if at is None:  # a pipe: the bad byte is in the last read (or the 3 bytes before it) as far as yajl saw
        tail = counted.tail
        start = 0
        while start < min(3, len(tail)) and 0x80 <= tail[start] <= 0xBF:  # the end of a character begun before
            start += 1
        at = counted.read_bytes  # an upper bound, when the byte lies in a text begun reads before
        try:
            tail[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            at = counted.read_bytes - len(tail) + start + exc.start
    return JsonRefused(_reason("json_not_utf8", at=count_text(at)))


def _first_bad_byte(fh: IO[bytes]) -> int | None:
    """The position of the file's first byte that is not UTF-8, read again from its start; None when the file
    cannot be read again (a pipe: the caller then says the bytes read so far, an upper bound)."""
    seekable = getattr(fh, "seekable", None)  # a reader may have read() alone
    try:
        if seekable is None or not seekable():
            return None
        fh.seek(0)
    except (OSError, ValueError):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    while True:
        chunk = fh.read(_CHUNK)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            return done - pending + exc.start
        if not chunk:
            return None
        done += len(chunk)


def _check_key(key: str, into: dict[str, Any] | list[Any]) -> None:
    bad = CONTROL_CHARS.search(key)
    if bad:
        raise JsonRefused(_reason("json_control_key", char=f"U+{ord(bad.group()):04X}"))
    if isinstance(into, dict) and key in into:
        raise JsonRefused(_reason("json_duplicate_key", field=key))


def _ijson_hint(message: str) -> str:
    """yajl's English message (``YAJL``) as one of load_json's hint keys."""
    m = message.lower()
    if "occurs before a character which it may not" in m:  # "\q" inside a text
        return "bad_escape"
    if "invalid character inside string" in m:  # a raw control character inside a text
        return "control_in_string"
    if "separated by a colon" in m:
        return "expecting_colon"
    if "expect ',' or" in m:
        return "expecting_comma"
    if "invalid object key" in m:  # a comma before a closing brace, or a key without quotes
        return "expecting_key"
    if "trailing garbage" in m:
        return "extra_data"
    if "premature eof" in m or "lexical error" in m:  # the end came too soon; "tru", "@", "1.": not a value
        return "expecting_value"
    return "other"  # "unallowed token at this point" ("[1,]", "{"a": }"), yajl's other parse errors


def _hint(key: str) -> dict[str, str]:
    from questionnaires.messages import languages, t

    return {lang: t(f"json_hint.{key}", lang) for lang in languages()}
