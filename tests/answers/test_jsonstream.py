"""A streamed export holds each assessment to a whole file's limits (the exact reader counts them).

The limits are lowered for the tests; the quick reader vouches for small values from the real limits (its
``_SMALL``), so a file it cannot read again from the start makes the exact reader read it, as a pipe would.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from answers import jsonstream
from answers.jsonread import JsonRefused


class _OneWay:
    """A file that cannot be read again from its start: only the exact (event by event) reader reads it."""

    def __init__(self, data: bytes) -> None:
        self._fh = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._fh.read(n)


def _file(data: bytes, one_way: bool) -> Any:
    return _OneWay(data) if one_way else io.BytesIO(data)


def _export(*items: bytes) -> bytes:
    return b'{"format": "x", "assessments": [' + b", ".join(items) + b"]}"


def _stream(data: bytes) -> list[object]:
    seen: list[object] = []
    jsonstream.stream_export(_OneWay(data), lambda i, item: seen.append(item))  # type: ignore[arg-type]
    return seen


def test_each_assessment_may_hold_as_many_objects_and_lists_as_a_file_counted_afresh(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_CONTAINERS", 3)
    at_limit = b'{"a": {}, "b": []}'  # 3: the assessment itself and its two values
    assert _stream(_export(b"{}", at_limit, at_limit)) == [{}] + [{"a": {}, "b": []}] * 2
    with pytest.raises(JsonRefused) as info:
        _stream(_export(b"{}", at_limit, b'{"a": {}, "b": [[]]}'))
    assert info.value.reason.text("en") == "the file holds 4 entries; at most 3 are accepted"
    assert info.value.reason.text("fr") == "le fichier contient 4 entrées\u202f; au plus 3 sont acceptées"


def test_each_assessment_may_hold_as_many_members_as_a_file_counted_afresh(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_MEMBERS", 3)
    at_limit = b'{"a": 1, "b": 2, "c": 3}'
    assert _stream(_export(b"{}", at_limit, at_limit)) == [{}] + [{"a": 1, "b": 2, "c": 3}] * 2
    with pytest.raises(JsonRefused) as info:
        _stream(_export(b"{}", at_limit, b'{"a": 1, "b": 2, "c": 3, "d": 4}'))
    assert info.value.reason.text("en") == "the file holds 4 entries; at most 3 are accepted"


def test_each_assessment_may_hold_as_much_text_as_a_file_counting_keys_and_values(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_JSON_BYTES", 1_048_576)
    at_limit = b'{"abc": "' + b"x" * (1_048_576 - 3) + b'"}'
    assert len(_stream(_export(b"{}", at_limit, at_limit))) == 3
    with pytest.raises(JsonRefused) as info:
        _stream(_export(b"{}", b'{"abcd": "' + b"x" * 1_572_860 + b'"}'))
    assert info.value.reason.text("en") == "the file is 1.5 MB; the limit for a JSON file is 1 MB"


_VALUE_EXPECTED = "a value is expected here (a text in double quotes, a number, true, false, null, a list or an object)"


@pytest.mark.parametrize(
    ("data", "en"),
    [
        (b'{"assessments": []} x',
         "not valid JSON within its first 21 bytes: there is more after the end of the document"),
        (b'{"assessments": [{"a": 1', f"not valid JSON within its first 24 bytes: {_VALUE_EXPECTED}"),
        (b'{"assessments": [@]}', f"not valid JSON within its first 20 bytes: {_VALUE_EXPECTED}"),
        (b'{"assessments": [1.]}', f"not valid JSON within its first 21 bytes: {_VALUE_EXPECTED}"),
        (b'{"assessments": [1 2]}',
         "not valid JSON within its first 22 bytes: a comma is missing between two entries"),
    ],
    ids=["text after the end", "cut short", "a stray character", "a broken number", "a missing comma"],
)
def test_a_broken_export_says_how_far_it_was_read_and_what_is_wrong_there(data: bytes, en: str) -> None:
    with pytest.raises(JsonRefused) as info:
        _stream(data)
    assert info.value.reason.text("en") == en


def test_a_broken_export_says_what_is_wrong_in_french_too() -> None:
    with pytest.raises(JsonRefused) as info:
        _stream(b'{"assessments": []} x')
    assert info.value.reason.text("fr") == (
        "JSON invalide dans ses 21 premiers octets\u202f: il reste du texte après la fin du document"
    )


@pytest.mark.parametrize(
    ("item", "en"),
    [
        (b'{"cycle": 1, "cycle": 2}',
         "the key `cycle` appears twice in one object; each key must appear once (otherwise which one counts would be"
         " a guess)"),
        (b'{"a\\u001b": 1}', "a key contains a control character (U+001B): remove it"),
        (b'{"x": ' + b"1" * 41 + b"}", "holds a number of 41 characters; at most 40 are accepted"),
        (b'{"x": 1.' + b"5" * 40 + b"}", "holds a number of 42 characters; at most 40 are accepted"),
        (b'{"x": 1e999}', "numbers must be finite"),
    ],
    ids=["duplicate key", "control in a key", "long whole number", "long decimal", "infinite"],
)
def test_an_assessment_in_a_streamed_export_is_refused_as_a_whole_file_would_be(item: bytes, en: str) -> None:
    with pytest.raises(JsonRefused) as info:
        _stream(_export(b"{}", item))
    assert info.value.reason.text("en") == en


def test_numbers_in_a_streamed_assessment_read_as_in_a_whole_file() -> None:
    item = b'{"cycle": 2024, "x": -' + b"1" * 39 + b', "y": 12.5, "z": 1e3}'
    assert _stream(_export(b"{}", item)) == [{}, {"cycle": 2024, "x": -int("1" * 39), "y": 12.5, "z": 1000.0}]


@pytest.mark.parametrize(("bad", "hint"), [
    (b'{"a": "x\x01y"}', "control_in_string"),
    (b'{"a": tru}', "expecting_value"),
    (b'{"a": "\\q"}', "bad_escape"),
    (b'{"a": @}', "expecting_value"),
    (b'{"a": 1', "expecting_value"),
    (b'{"a": 1} x', "extra_data"),
    (b'{"a" 1}', "expecting_colon"),
    (b'{"a": 1 "b": 2}', "expecting_comma"),
    (b'{"a": 1,}', "expecting_key"),
    (b'{"a": 1.}', "expecting_value"),  # yajl: "lexical error: malformed number"
    (b'{"a": [1,]}', "other"),  # yajl: "parse error: unallowed token at this point in JSON text"
])
def test_each_syntax_error_of_the_streaming_parser_gets_its_own_hint(bad: bytes, hint: str) -> None:
    """The hint is read from yajl's own message: a control character, "tru" and a bad escape got each other's."""
    import ijson

    from answers.jsonstream import YAJL, _ijson_hint

    with pytest.raises(ijson.JSONError) as info:
        for _ in YAJL.basic_parse(bad):
            pass
    assert _ijson_hint(str(info.value)) == hint



@pytest.mark.parametrize(("limit", "at"), [("MAX_CONTAINERS", 3), ("MAX_MEMBERS", 3), ("MAX_JSON_BYTES", 6)])
def test_the_header_before_the_list_does_not_count_against_the_first_assessments_limits(
    monkeypatch: pytest.MonkeyPatch, limit: str, at: int
) -> None:
    """The exact reader counted the header's objects, lists, members and text with the first assessment's."""
    monkeypatch.setattr(jsonstream, limit, at)
    header = b'"format": {"x": [], "yy": "zzz"}'  # 2 objects and lists, 2 members, 6 characters (top-level keys free)
    item = b'{"a": {}, "b": []}'  # 3 objects and lists (itself and its two values), 2 members, 2 characters
    assert _stream(b"{" + header + b', "assessments": [' + item + b"]}") == [{"a": {}, "b": []}]


def test_the_header_before_and_after_the_list_is_held_to_a_files_limits_as_a_whole(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_CONTAINERS", 3)
    assert _stream(b'{"format": {"x": []}, "assessments": [{}], "filters": {}}') == [{}]
    with pytest.raises(JsonRefused) as info:
        _stream(b'{"format": {"x": []}, "assessments": [{}], "filters": {"y": []}}')
    assert info.value.reason.text("en") == "the file holds 4 entries; at most 3 are accepted"


def test_a_bare_text_in_the_list_is_an_item_of_its_own_and_counts_against_no_assessment(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_JSON_BYTES", 6)
    assert _stream(_export(b'"abcdef"', b'{"ab": "cdef"}')) == ["abcdef", {"ab": "cdef"}]


def _sized(n: int) -> bytes:
    """A valid export of exactly ``n`` bytes (its header's text fills it)."""
    head = b'{"assessments": [], "x": "'
    return head + b"a" * (n - len(head) - 2) + b'"}'


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_a_file_of_exactly_max_bytes_is_read_and_one_byte_more_is_refused_saying_its_size_and_the_limit(
    one_way: bool
) -> None:
    limit = 2_097_153  # 2 MiB and a byte: the file's last read (64 KiB each) holds the one byte too many
    read = jsonstream.stream_export(_file(_sized(limit), one_way), lambda i, item: None, max_bytes=limit)
    assert read.bytes_read == limit
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(_file(_sized(limit + 1), one_way), lambda i, item: None, max_bytes=limit)
    assert info.value.reason.text("en") == "the file is 2.0 MB; the limit for a JSON file is 2 MB"


def test_an_assessments_text_is_the_sum_of_its_keys_and_values_each_under_the_limit(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_JSON_BYTES", 6)
    assert _stream(_export(b'{"ab": "cd", "e": "f"}')) == [{"ab": "cd", "e": "f"}]  # 6 characters
    with pytest.raises(JsonRefused):
        _stream(_export(b'{"ab": "cd", "ef": "g"}'))  # 7 characters, none of its texts over 6


def _read_quick(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], bool]:
    """The items a seekable file hands over, and whether the exact reader had to read it again."""
    exact = jsonstream._checked
    used: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(True)
        return exact(*args, **kwargs)

    monkeypatch.setattr(jsonstream, "_checked", spy)
    seen: list[object] = []
    jsonstream.stream_export(io.BytesIO(data), lambda i, item: seen.append(item))
    return seen, bool(used)


_LARGE = b'{"t": "' + b"x" * 300_000 + b'", "l": [[], {}], "m": {"a": 1}}'  # 5 objects and lists, 4 members


@pytest.mark.parametrize(("limit", "at", "exact"), [
    ("MAX_CONTAINERS", 10, False), ("MAX_CONTAINERS", 9, True), ("MAX_MEMBERS", 8, False), ("MAX_MEMBERS", 7, True),
])
def test_the_quick_reader_vouches_for_a_large_assessment_holding_at_most_half_of_each_limit(
    monkeypatch: pytest.MonkeyPatch, limit: str, at: int, exact: bool
) -> None:
    """Over 250,000 bytes an assessment's objects, lists and members are counted; past half of a limit the exact
    reader reads the file again (and hands over the same)."""
    monkeypatch.setattr(jsonstream, limit, at)
    seen, used = _read_quick(_export(b"{}", _LARGE), monkeypatch)
    assert (len(seen), used) == (2, exact)
    assert seen[1] == {"t": "x" * 300_000, "l": [[], {}], "m": {"a": 1}}


@pytest.mark.parametrize(("one_way", "item"), [
    (True, b'{"b": 2}'), (False, b'{"b": 2}'), (False, b'{"b": "\\b"}'),
], ids=["exact reader", "quick reader", "quick reader, then the exact one"])  # "\b": the quick one cannot vouch
def test_progress_is_told_the_bytes_read_after_each_assessment_by_either_reader(one_way: bool, item: bytes) -> None:
    data = _export(b'{"a": 1}', item)
    told: list[tuple[int, int]] = []
    index: list[int] = []
    read = jsonstream.stream_export(_file(data, one_way), lambda i, item: index.append(i),
                                    progress=lambda n: told.append((len(index), n)))
    assert told == [(1, len(data)), (2, len(data))]  # one read (64 KiB) holds the whole file
    assert (index, read.items, read.bytes_read) == ([0, 1], 2, len(data))


_DEEP_31 = b'{"a": ' + b"[" * 28 + b"]" * 28 + b"}"
_ITEM = b'{"country": "KEN", "cycle": 2024, "answers": {"q": {"value": 12.5, "comment": "ok"}}}'  # 85 bytes


@pytest.mark.parametrize(("data", "text_limit"), [
    # 3,000 assessments over five reads (64 KiB each), the file over half the text limit: each assessment's
    # bytes are counted from the read where it began, not from the file's start
    (_export(*[_ITEM] * 3000), 300_000),  # 261,032 bytes; a span of two reads is 131,072
    (_export(_DEEP_31), None),  # 31 levels deep (the file, its list, the item, 28 lists)
    (b'{"format": ' + b"[" * 29 + b"]" * 29 + b', "assessments": []}', None),  # a header 30 levels deep
    (_export(b'{"t": "' + b"x" * (50_000 - 43) + b'"}'), 100_000),  # a file of exactly half the text limit
    (_export(b'{"t": "see123"}'), None),  # an "e" and three digits in a text: no number with a large exponent
    (b"\n" + _export(_ITEM), None),  # a line break before the object
    (b'{"format": "' + b"x" * 70_000 + b'", "assessments": [' + _ITEM + b"]}", None),  # the list after one read
    (_export(*[_ITEM] * 1000, _DEEP_31, *[_ITEM] * 1000), None),  # a deep one handed over between two reads
], ids=["many reads", "an assessment 31 levels deep", "a header 30 levels deep", "half the text limit",
        "e123 in a text", "a line break first", "a header longer than a read", "31 levels among many reads"])
def test_the_quick_reader_alone_reads_a_file_within_its_margins(
    monkeypatch: pytest.MonkeyPatch, data: bytes, text_limit: int | None
) -> None:
    if text_limit is not None:
        monkeypatch.setattr(jsonstream, "MAX_JSON_BYTES", text_limit)
    if text_limit == 100_000:
        assert len(data) == 50_000
    exact = _stream(data)
    assert _read_quick(data, monkeypatch) == (exact, False)


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
@pytest.mark.parametrize(("data", "header", "items", "saw"), [
    (b'{"format": "x", "n": [1, {"a": null}], "assessments": [{}, 2, "t"], "after": {"b": [true]}}',
     {"format": "x", "n": [1, {"a": None}], "assessments": 3, "after": {"b": [True]}}, [{}, 2, "t"], True),
    (b'{"format": "x", "assessments": {"a": [1]}}', {"format": "x", "assessments": {"a": [1]}}, [], False),
    (b'{"format": "x"}', {"format": "x"}, [], False),
], ids=["a list", "not a list", "no list"])
def test_the_header_is_every_top_level_key_with_the_count_of_assessments_in_place_of_the_list(
    one_way: bool, data: bytes, header: dict[str, object], items: list[object], saw: bool
) -> None:
    seen: list[tuple[int, object]] = []
    read = jsonstream.stream_export(_file(data, one_way), lambda i, item: seen.append((i, item)))
    assert (read.header, read.items, read.saw_items, seen) == (header, len(items), saw, list(enumerate(items)))


def test_an_export_that_is_not_an_object_is_refused_at_its_first_byte() -> None:
    with pytest.raises(JsonRefused) as info:
        _stream(b'[{"assessments": []}]')
    assert info.value.reason.text("en") == (
        "not valid JSON within its first 1 byte: a key in double quotes is expected here (a comma before a closing"
        " brace is not allowed)"
    )


@pytest.mark.parametrize(("size", "limit"), [(50_001, 100_000), (150_000, 200_000)],
                         ids=["in one read", "over three reads"])
def test_the_quick_reader_hands_a_file_over_half_the_text_limit_to_the_exact_one(
    monkeypatch: pytest.MonkeyPatch, size: int, limit: int
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_JSON_BYTES", limit)
    data = _export(b'{"t": "' + b"x" * (size - 43) + b'"}')
    assert len(data) == size
    assert _read_quick(data, monkeypatch) == (_stream(data), True)


@pytest.mark.parametrize(("item", "n"), [(_ITEM, 3000), (b'{"t": "' + b"x" * 40_000 + b'"}', 3)],
                         ids=["many in a read", "one and a part in the first read"])
def test_the_quick_reader_hands_each_assessment_over_once_the_read_after_it_is_done(item: bytes, n: int) -> None:
    """Memory is a read's worth of assessments: the first ones come after the first read (64 KiB), not the file."""
    data = _export(*[item] * n)
    told: list[int] = []
    jsonstream.stream_export(io.BytesIO(data), lambda i, item: None, progress=told.append)
    assert (told[0], told[-1], len(told)) == (65_536, len(data), n)


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
@pytest.mark.parametrize("data", [
    b'{"format": ' + b"[" * 40 + b"]" * 40 + b', "assessments": []}',
    _export(*[_ITEM] * 1000, b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}", *[_ITEM] * 1000),
], ids=["the header", "an assessment among many reads"])
def test_nesting_too_deep_is_refused_by_either_reader(one_way: bool, data: bytes) -> None:
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(_file(data, one_way), lambda i, item: None)
    assert info.value.reason.text("en").startswith("the file nests lists or objects more than 32 levels deep")


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_a_raw_delete_character_in_a_key_is_refused_by_either_reader(one_way: bool) -> None:
    """yajl takes a raw DEL (0x7F) in a text: the quick reader must not vouch for it, the exact one refuses it."""
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(_file(_export(b'{"k\x7f": 1}'), one_way), lambda i, item: None)
    assert info.value.reason.text("en") == "a key contains a control character (U+007F): remove it"


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_an_assessment_32_levels_deep_is_read_and_33_refused_by_either_reader(one_way: bool) -> None:
    """The file, its list and the assessment are three levels: 29 lists inside make 32, 30 make 33."""
    deep = b'{"a": ' + b"[" * 29 + b"]" * 29 + b"}"
    assert len(_seen(_export(deep), one_way)) == 1
    with pytest.raises(JsonRefused) as info:
        _seen(_export(b'{"a": ' + b"[" * 30 + b"]" * 30 + b"}"), one_way)
    assert info.value.reason.text("en") == (
        "the file nests lists or objects more than 32 levels deep; an answers file needs fewer than 10"
    )


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_a_top_level_key_given_twice_is_refused_by_either_reader(one_way: bool) -> None:
    with pytest.raises(JsonRefused) as info:
        _seen(b'{"format": "x", "format": "y", "assessments": []}', one_way)
    assert info.value.reason.text("en").startswith("the key `format` appears twice in one object")


def _seen(data: bytes, one_way: bool) -> list[object]:
    seen: list[object] = []
    jsonstream.stream_export(_file(data, one_way), lambda i, item: seen.append(item))
    return seen


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_text_after_the_end_is_refused_when_the_end_is_the_last_byte_of_a_read(one_way: bool) -> None:
    with pytest.raises(JsonRefused) as info:
        _seen(_sized(65_536) + b" x", one_way)  # the object ends the first read (64 KiB), " x" comes in the next
    assert info.value.reason.text("en") == (
        "not valid JSON within its first 65,538 bytes: there is more after the end of the document"
    )


@pytest.mark.parametrize(("data", "en", "fr"), [
    (b"[", "not valid JSON within its first 1 byte", "JSON invalide dès l’octet 1"),
    (b"{]", "not valid JSON within its first 2 bytes", "JSON invalide dans ses 2 premiers octets"),
], ids=["1 byte", "2 bytes"])
def test_a_syntax_refusal_says_byte_for_one_and_bytes_for_two_in_english_and_french(
    data: bytes, en: str, fr: str
) -> None:
    with pytest.raises(JsonRefused) as info:
        _stream(data)
    assert (info.value.reason.text("en").split(":")[0], info.value.reason.text("fr").split("\u202f:")[0]) == (en, fr)


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
@pytest.mark.parametrize(("data", "at"), [
    (b'{"format": "\xff"}', "12"),
    (b'{"\xff": 1}', "2"),
    (_export(b'{"a": "\xe9t\xe9"}'), "39"),
    (_export(b'{"a": "' + b"a" * 65_496 + b'\xe9t"}'), "65,535"),
    (_export(b'{"a": "' + b"a" * 65_497 + b'\xe9t"}'), "65,536"),
    (_export(b'{"a": "' + b"a" * 65_493 + "\u20bf".encode() + b"abbbbb\xff\"}"), "65,541"),
    (_export(b'{"a": "' + b"a" * 65_494 + b'\xf0\x9f\x98x"}'), "65,533"),
    (_export(b'{"a": "' + b"a" * 65_493 + "\U0001f600".encode() + b'\x80"}'), "65,536"),
    (b'{"format": "\xed\xa0\x80"}', "12"),
    (b'{"format": "\xc0\xaf"}', "12"),
    (b'{"format": "\xf4\x90\x80\x80"}', "12"),
    (_export(b'{"a": "' + b"a" * 65_494 + b'\xc0\xafaaaaa"}'), "65,533"),
], ids=["header", "key", "assessment", "last byte of a read", "first byte of a read",
        "a read ends inside a character (U+20BF) before it",
        "a read ends with a character's start that the next breaks",
        "a stray continuation byte after a read ending with a whole character", "a surrogate", "an overlong form",
        "over U+10FFFF", "an overlong form in the last 3 bytes of a read, its text ended in the next read"])
def test_an_export_that_is_not_utf8_is_refused_as_a_whole_file_is_with_the_bad_bytes_position(
    one_way: bool, data: bytes, at: str
) -> None:
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(_file(data, one_way), lambda i, item: None)
    assert info.value.reason.text("en") == (
        f"the file is not UTF-8 text (invalid byte at position {at}): save it again as UTF-8 JSON"
    )


@pytest.mark.parametrize("one_way", [True, False], ids=["exact reader", "quick reader"])
def test_an_overlong_form_in_a_text_that_ends_reads_later_is_refused_as_not_utf8(one_way: bool) -> None:
    data = _export(b'{"a": "\xc0\xaf' + b"a" * 70_000 + b'"}')  # Python's decoding refuses the text once it ends
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(_file(data, one_way), lambda i, item: None)
    text = info.value.reason.text("en")
    assert text.startswith("the file is not UTF-8 text (invalid byte at position ")
    assert text.endswith("): save it again as UTF-8 JSON")


def test_a_bad_byte_in_a_text_begun_reads_before_is_told_at_its_own_position_when_the_file_can_be_read_again() -> None:
    # 32 bytes of header, then '{"a": "' (7): the overlong form's first byte is the file's 40th (position 39).
    data = _export(b'{"a": "\xc0\xaf' + b"a" * 70_000 + b'"}')
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(io.BytesIO(data), lambda i, item: None)
    assert info.value.reason.text("en") == (
        "the file is not UTF-8 text (invalid byte at position 39): save it again as UTF-8 JSON"
    )
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-8")
    assert whole.value.start == 39  # what Python's own decoding says of the whole file


def test_the_byte_counter_keeps_only_the_last_read_and_the_three_bytes_before_it_whatever_the_files_size() -> None:
    # Memory stays bounded however large the export (issue 23), and 3 bytes are what a character begun in the read
    # before can hold (a character spans at most 4 bytes): where a byte that is not UTF-8 is looked for.
    data = bytes(range(256)) * 1_000  # 256,000 bytes, read in 4 pieces
    counted = jsonstream._Counting(io.BytesIO(data), limit=len(data))
    for _ in range(4):
        counted.read(64_000)
    assert (counted.read_bytes, counted.tail) == (256_000, data[192_000 - 3:])


def test_a_bad_byte_read_again_three_chunks_into_the_file_is_told_at_its_own_position() -> None:
    # The file is read again 64 KiB at a time: the overlong form sits in the third piece, in a text that ends two
    # pieces later, so the counting must go on past the first piece and add up every piece before it.
    at = 150_000
    head = _export(b'{"a": "')
    data = _export(b'{"a": "' + b"a" * (at - len(head) + 2) + b"\xc0\xaf" + b"a" * 200_000 + b'"}')
    assert data.index(b"\xc0") == at
    with pytest.raises(JsonRefused) as info:
        jsonstream.stream_export(io.BytesIO(data), lambda i, item: None)
    assert info.value.reason.text("en") == (
        "the file is not UTF-8 text (invalid byte at position 150,000): save it again as UTF-8 JSON"
    )
