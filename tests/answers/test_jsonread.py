"""Reading users' JSON with limits (issue 10, points 3, 5, 6): each refusal names its reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from answers import jsonread
from answers.document import Answer, AnswersError, parse_answers, validation_reason
from answers.jsonread import JsonRefused, load_json

plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    | plain_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(plain_text.filter(lambda k: len(k) <= 8), inner,
                                                                max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_ordinary_json_reads_as_json_does(value: object) -> None:
    text = json.dumps(value)
    assert load_json(text) == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"country": "KEN", "country": "FRA"}', "json_duplicate_key"),
        (b'{"a": {"b": 1, "b": 2}}', "json_duplicate_key"),
        (b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),
        (b"[" * 33 + b"]" * 33, "json_too_deep"),
        (b'{"cycle": ' + b"9" * 4_000 + b"}", "json_long_number"),
        (b'{"x": 1' + b"0" * 5_000 + b".5}", "json_long_number"),
        (b'{"x": NaN}', "json_constant"),
        (b'{"x": -Infinity}', "json_constant"),
        (b'{"\\u0000": 1}', "json_control_key"),
        (b'{"x": "\xff"}', "json_not_utf8"),
        (b'{"x": ', "json_syntax"),
        (b"", "json_syntax"),
    ],
)
def test_hostile_json_is_refused_with_its_reason(raw: bytes, code: str) -> None:
    with pytest.raises(JsonRefused) as info:
        load_json(raw)
    assert info.value.reason.code == code
    assert info.value.reason.text("fr") != info.value.reason.text("en")


def test_limits_on_size_and_entries_come_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(JsonRefused, match="limit for a JSON file is 1 MB"):
        load_json(b" " * (1_048_576 + 1), max_bytes=1_048_576)
    monkeypatch.setattr(jsonread, "MAX_CONTAINERS", 10)
    with pytest.raises(JsonRefused, match="holds 11 entries"):
        load_json(b"[" + b",".join([b"{}"] * 10) + b"]")
    monkeypatch.setattr(jsonread, "MAX_CONTAINERS", 1_000)
    monkeypatch.setattr(jsonread, "MAX_MEMBERS", 3)
    with pytest.raises(JsonRefused, match="holds 4 entries"):
        load_json(b'{"a": 1, "b": 2, "c": 3, "d": 4}')


def test_a_byte_order_mark_is_accepted() -> None:
    assert load_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[31m", "a\x7fb", "\x85", "\ud800"])
@pytest.mark.parametrize("field", ["comment", "evidence", "justification"])
def test_control_characters_are_refused_in_answers(field: str, text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Answer.model_validate({"not_applicable": True, "justification": "x"} | {field: text})
    assert validation_reason(info.value.errors()[0]).code == "control_char"  # the page shows it in French too


@pytest.mark.parametrize("text", ["line 1\nline 2", "tab\there", "crlf\r\nend", "Côte d’Ivoire ✓"])
def test_line_breaks_and_tabs_are_ordinary_text(text: str) -> None:
    assert Answer(comment=text).comment == text


def test_a_control_character_in_a_file_is_one_problem_of_its_question() -> None:
    raw = b'{"questionnaire_id": "x", "questionnaire_version": "1", "country": "KEN", "cycle": 2025, '
    raw += b'"answers": {"q1": {"comment": "a\\u0000b"}, "q2": {"value": "\\u001b[31m"}}}'
    with pytest.raises(AnswersError) as info:
        parse_answers(raw)
    assert [(p.question_id, p.field, p.reason.code if p.reason else None) for p in info.value.problems] == [
        ("q1", "comment", "control_char"), ("q2", "value", "control_char"),
    ]


def test_more_answers_than_any_questionnaire_are_refused_before_each_is_checked() -> None:
    doc = {"questionnaire_id": "x", "questionnaire_version": "1", "country": "KEN", "cycle": 2025,
           "answers": {f"q{i}": {"value": None} for i in range(1_001)}}
    with pytest.raises(AnswersError) as info:
        parse_answers(json.dumps(doc))
    assert [str(p) for p in info.value.problems] == [
        "answers: holds 1,001 answers; at most 1,000 are accepted (a questionnaire has a few dozen questions)"
    ]


@pytest.mark.parametrize(
    "raw", [b'{"x": ', b"", b"{x: 1}", b'{"a" 1}', b"[1 2]", b'"abc', b'"a\x01"', b'"\\q"', b"1 2", b'{"a": 1,}']
)
def test_a_syntax_error_is_told_in_the_readers_language_without_pythons_english(raw: bytes) -> None:
    with pytest.raises(JsonRefused) as info:
        load_json(raw)
    french = info.value.reason.text("fr")
    assert french.startswith("JSON invalide à la ligne 1, colonne ")
    assert "\u202f:" in french
    for english in ("Expecting", "delimiter", "Unterminated", "Invalid", "Extra data", "line", "column"):
        assert english not in french
    assert "json_hint" not in french and "json_hint" not in info.value.reason.text("en")


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200b", "\u200e", "\u200f", "\u2060", "\ufeff", "\U000e0041"])
@pytest.mark.parametrize("field", ["comment", "evidence", "justification"])
def test_bidi_and_invisible_characters_are_removed_from_answer_text(char: str, field: str) -> None:
    extra: dict[str, object] = {"not_applicable": True} if field == "justification" else {"value": "yes"}
    answer = Answer.model_validate({**extra, field: f"in{char}visible"})
    assert getattr(answer, field) == "invisible"


def test_joiners_and_soft_hyphens_are_kept() -> None:
    """Arabic and Persian shaping and emoji sequences need U+200C/U+200D; a soft hyphen is harmless."""
    text = "می\u200cخواهم 👩\u200d💻 ré\u00adgu\u00adla\u00adtion"
    assert Answer(value="yes", comment=text).comment == text


@pytest.mark.parametrize("number", ["1e999", "-1e999", "1E400"])
def test_a_number_too_large_to_be_finite_is_refused_by_both_readers_with_the_same_reason(number: str) -> None:
    """``1e999`` overflows to infinity: refused as "numbers must be finite" whether the file is read whole or
    streamed (the streamed reader once called it a number "of 5 characters" too long)."""
    import io

    from answers.jsonstream import stream_export

    text = f'{{"assessments": [{{"cycle": {number}}}]}}'
    with pytest.raises(JsonRefused) as whole:
        load_json(text)
    with pytest.raises(JsonRefused) as streamed:
        stream_export(io.BytesIO(text.encode()), lambda i, item: None)
    assert str(whole.value) == str(streamed.value) == "numbers must be finite"


class _OneWay:
    """A file that cannot be read again from its start: only the exact (event by event) reader reads it."""

    def __init__(self, data: bytes) -> None:
        import io

        self._fh = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._fh.read(n)


def _streamed(data: bytes, exact: bool) -> tuple[list[tuple[int, object]], object]:
    """What each reader hands over, and what it returns or raises (as text)."""
    import io

    from answers.jsonstream import stream_export

    seen: list[tuple[int, object]] = []
    fh = _OneWay(data) if exact else io.BytesIO(data)
    try:
        done = stream_export(fh, lambda i, item: seen.append((i, item)))  # type: ignore[arg-type]
    except JsonRefused as exc:
        return seen, f"refused: {exc}"
    return seen, (done.header, done.items, done.saw_items, done.bytes_read)


_GOOD = b'{"answers": {"country": "KEN", "cycle": 2024, "answers": {"q": {"value": 12.5, "comment": "ok"}}}}'


@pytest.mark.parametrize(
    "data",
    [
        b'{"format": "x", "assessments": [' + _GOOD + b", " + _GOOD + b'], "n": 1.5e3}',
        b'{"assessments": [' + _GOOD + b', {"a": 1, "a": 2}]}',  # duplicate key in the second item
        b'{"assessments": [' + _GOOD + b', {"a": ' + b"[" * 40 + b"]" * 40 + b"}]}",  # too deep
        b'{"assessments": [' + _GOOD + b', {"a": ' + b"[" * 29 + b"]" * 29 + b"}]}",  # deep, within the limit
        b'{"assessments": [' + _GOOD + b', {"a": ' + b"1" * 41 + b"}]}",  # a number too long
        b'{"assessments": [' + _GOOD + b', {"a": 1' + b"0" * 30 + b"}]}",  # 31 digits: within the limit
        b'{"assessments": [' + _GOOD + b', {"a": 1.5e999}]}',  # not finite
        b'{"assessments": [' + _GOOD + b', {"a": 1.5e-999}]}',  # zero: accepted
        b'{"assessments": [' + _GOOD + b', {"k\\u001b": 1}]}',  # a control character in a key
        b'{"assessments": [' + _GOOD + b', {"k\xc2\x85": 1}]}',  # a C1 control character, raw
        b'{"assessments": [' + _GOOD + b', {"t": "a\\u001b and 12345678901234567890123456789012345"}]}',
        b'{"assessments": [' + _GOOD + b", " + _GOOD[:-5],  # cut short
        b'{"assessments": [' + _GOOD + b"]} trailing",
        b'{"assessments": [' + _GOOD + b"], \"assessments\": []}",  # the list twice
        b'{"assessments": {"a": 1}}',  # not a list
        b'[{"assessments": [' + _GOOD + b"]}]",  # not an object
        b'{"a": {"b": 1, "b": 2}, "assessments": [' + _GOOD + b"]}",  # a duplicate key in the header
        b'{"assessments": [1, "two", null, ' + _GOOD + b"]}",  # bare values
        b'{"assessments": [' + _GOOD + b'], "x": "\xff"}',  # not UTF-8
    ],
)
def test_the_quick_reader_hands_over_and_refuses_exactly_as_the_exact_one(data: bytes) -> None:
    """The quick reader (ijson's C builder) never refuses on its own: on anything it cannot vouch for, the exact
    reader reads the file again and names the problem; nothing is handed over twice."""
    assert _streamed(data, exact=False) == _streamed(data, exact=True)


def test_the_quick_reader_takes_a_large_export_without_the_exact_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many assessments over many reads (64 KiB each) come from the quick reader alone, as the exact one reads them."""
    from answers import jsonstream

    data = b'{"format": "x", "assessments": [' + b", ".join([_GOOD] * 3000) + b"]}"
    exact = _streamed(data, exact=True)

    def no_exact(*args: object, **kwargs: object) -> None:
        raise AssertionError("the exact reader was used")

    monkeypatch.setattr(jsonstream, "_checked", no_exact)
    assert _streamed(data, exact=False) == exact
    assert len(exact[0]) == 3000


_NNBSP = "\u202f"
_TOO_DEEP = (
    "the file nests lists or objects more than 32 levels deep; an answers file needs fewer than 10",
    f"le fichier imbrique des listes ou des objets sur plus de 32 niveaux{_NNBSP}; un fichier de réponses en demande"
    " moins de 10",
)
_NOT_UTF8 = (
    "the file is not UTF-8 text (invalid byte at position 7): save it again as UTF-8 JSON",
    f"le fichier n'est pas du texte UTF-8 (octet invalide à la position 7){_NNBSP}: enregistrez-le à nouveau en JSON"
    " UTF-8",
)


@pytest.mark.parametrize(
    ("raw", "en", "fr"),
    [
        (b'{"x": NaN}', "holds NaN, which is not a number in JSON", "contient NaN, qui n'est pas un nombre en JSON"),
        (b'{"a\\u001b": 1}', "a key contains a control character (U+001B): remove it",
         f"une clé contient un caractère de contrôle (U+001B){_NNBSP}: supprimez-le"),
        (b'{"cycle": 1, "cycle": 2}',
         "the key `cycle` appears twice in one object; each key must appear once (otherwise which one counts would be"
         " a guess)",
         f"la clé `cycle` figure deux fois dans un même objet{_NNBSP}; chaque clé doit figurer une seule fois (sinon,"
         " laquelle compte serait une devinette)"),
        (b'{"x": ' + b"1" * 41 + b"}", "holds a number of 41 characters; at most 40 are accepted",
         f"contient un nombre de 41 caractères{_NNBSP}; au plus 40 sont acceptés"),
        (b'{"x": "\xff"}', *_NOT_UTF8),
        ('{"x": "\ud800"}', *_NOT_UTF8),  # a lone surrogate given as text is a broken character, not a crash
        (b"[" * 100_000 + b"]" * 100_000, *_TOO_DEEP),
        (b'{"a":' * 33 + b"1" + b"}" * 33, *_TOO_DEEP),
        (b'{"a": 1,\n "b" 2}', "not valid JSON at line 2, column 6: a colon is missing between a key and its value",
         f"JSON invalide à la ligne 2, colonne 6{_NNBSP}: il manque un deux-points entre une clé et sa valeur"),
    ],
    ids=["constant", "control in a key", "duplicate key", "long number", "not utf-8", "lone surrogate",
         "too deep to parse", "objects too deep", "syntax"],
)
def test_each_refusal_names_what_it_found_and_the_limit_in_english_and_french(
    raw: bytes | str, en: str, fr: str
) -> None:
    with pytest.raises(JsonRefused) as info:
        load_json(raw)
    assert (info.value.reason.text("en"), info.value.reason.text("fr")) == (en, fr)


def test_a_file_exactly_at_each_limit_is_read() -> None:
    assert load_json(b"[" * 32 + b"]" * 32) is not None
    assert load_json(b'{"x": ' + b"1" * 40 + b"}") == {"x": int("1" * 40)}
    assert load_json(b'{"x": -' + b"1" * 39 + b"}") == {"x": -int("1" * 39)}
    assert load_json(b" " * 1_048_570 + b"[1]   ", max_bytes=1_048_576) == [1]


def test_the_size_refusal_says_the_files_size_and_the_limit_in_megabytes() -> None:
    with pytest.raises(JsonRefused) as info:
        load_json(b" " * 1_572_864, max_bytes=1_048_576)
    assert info.value.reason.text("en") == "the file is 1.5 MB; the limit for a JSON file is 1 MB"


def test_entries_are_counted_up_to_the_limit_and_a_count_over_it_reads_in_each_languages_digits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonread, "MAX_CONTAINERS", 1_000)
    assert len(load_json(b"[" + b",".join([b"[]"] * 999) + b"]")) == 999
    with pytest.raises(JsonRefused) as info:
        load_json(b"[" + b",".join([b"[]"] * 1_000) + b"]")
    assert (info.value.reason.text("en"), info.value.reason.text("fr")) == (
        "the file holds 1,001 entries; at most 1,000 are accepted",
        f"le fichier contient 1{_NNBSP}001 entrées{_NNBSP}; au plus 1{_NNBSP}000 sont acceptées",
    )
    monkeypatch.setattr(jsonread, "MAX_MEMBERS", 3)
    assert load_json(b'{"a": 1, "b": 2, "c": 3}') == {"a": 1, "b": 2, "c": 3}
    with pytest.raises(JsonRefused) as info:
        load_json(b'{"a": 1, "b": 2, "c": 3, "d": 4}')
    assert info.value.reason.text("en") == "the file holds 4 entries; at most 3 are accepted"


def test_a_file_over_the_limit_says_its_size_with_the_readers_decimal_mark() -> None:
    """French read "1.5 Mo" (issue 27's mutation run found it): the size now follows CLDR's decimal mark."""
    from answers.jsonread import JsonRefused, load_json

    with pytest.raises(JsonRefused) as info:
        load_json(b'{"a": "' + b"x" * 1_572_870 + b'"}', max_bytes=1_048_576)
    said = {lang: info.value.reason.text(lang) for lang in ("en", "fr", "es", "ru", "zh", "ar")}
    assert "1.5" in said["en"] and "1.5" in said["zh"] and "1.5" in said["ar"]
    assert all("1,5" in said[lang] and "1.5" not in said[lang] for lang in ("fr", "es", "ru"))


def test_counts_in_a_refusal_are_grouped_as_each_language_groups_them() -> None:
    from answers.jsonread import count_text

    assert count_text(1_199_950) == {"ar": "1,199,950", "en": "1,199,950", "es": "1.199.950",
                                     "fr": "1\u202f199\u202f950", "ru": "1\u00a0199\u00a0950", "zh": "1,199,950"}


def test_a_size_is_said_in_megabytes_of_1_048_576_bytes_rounded_to_a_tenth() -> None:
    from answers.jsonread import size_text

    # 1.15 MB is 1,205,862.4 bytes: one byte under reads 1.1, one byte over 1.2 (counted in 1,048,577-byte
    # megabytes, 1,205,863 bytes would still be under 1.15).
    assert (size_text(1_205_862)["en"], size_text(1_205_863)["en"]) == ("1.1", "1.2")


def test_the_position_of_a_byte_that_is_not_utf8_is_grouped_as_each_language_groups_it() -> None:
    with pytest.raises(JsonRefused) as info:
        load_json(b'{"a": "' + b"x" * 1_993 + b'\xff"}')
    assert (info.value.reason.text("en"), info.value.reason.text("fr")) == (
        "the file is not UTF-8 text (invalid byte at position 2,000): save it again as UTF-8 JSON",
        "le fichier n'est pas du texte UTF-8 (octet invalide à la position 2\u202f000)\u202f: enregistrez-le à"
        " nouveau en JSON UTF-8",
    )
