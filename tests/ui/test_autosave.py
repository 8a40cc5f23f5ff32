"""Input checks of the Assess page that never reach the database (numbers, web addresses)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionnaires import load_questionnaire
from ui.autosave import evidence_problem, parse_number

Q = load_questionnaire("tests/fixtures/mini")
USERS = Q.question("v6_users")


@pytest.mark.parametrize(
    ("raw", "expected"), [("12", 12.0), ("12,5", 12.5), (" 7.25 ", 7.25), ("0", 0.0), ("100", 100.0), ("", None)]
)
def test_numbers_are_read_with_either_decimal_mark(raw: str, expected: float | None) -> None:
    assert parse_number(USERS, raw, "en") == (expected, None)


@pytest.mark.parametrize("raw", ["abc", "1e999", "nan", "-1", "100.5", "12..5"])
def test_bad_numbers_are_refused_with_a_reason(raw: str) -> None:
    value, problem = parse_number(USERS, raw, "en")
    assert value is None and problem


@pytest.mark.parametrize(
    "text",
    [
        "Law 12/2024, article 3",
        "https://example.org/iot-strategy.pdf",
        "See www.itu.int/en/ITU-D and the 2024 decree",
        "http://ministry.gov.xx/page?id=3#s2",
        "",
        # Free text: a reference that does not start like a link is never checked as one.
        "doi:10.1234/iot.2024", "Decree 2024:12/3", "C:/archives/decree.pdf", "ISBN 978-92-61", "ref:a/b",
    ],
)
def test_references_and_valid_addresses_are_accepted(text: str) -> None:
    assert evidence_problem(text, "en") is None


@pytest.mark.parametrize(
    "text",
    [
        "https://exa mple", "http:/example.org", "https://", "www.", "https://bad_host.org",
        # One rule for anything that starts like a link (a scheme, then ":/"): "htp:/bad" is refused like
        # "htp://bad", not let through as free text.
        "htp:/bad", "htp://bad", "see htps://itu.int", "file:///C:/decree.pdf",
    ],
)
def test_malformed_addresses_are_refused(text: str) -> None:
    assert evidence_problem(text, "en")


def test_over_long_evidence_is_refused_with_the_limit_grouped_as_the_language_writes_it() -> None:
    assert evidence_problem("x" * 2001, "en") == "The text is too long (at most 2,000 characters)."
    assert "2\u202f000" in str(evidence_problem("x" * 2001, "fr"))


ENTRIES = ["a", "b", "c", "__none__"]


@given(
    before=st.one_of(st.none(), st.just([]), st.lists(st.sampled_from(ENTRIES[:3]), unique=True)),
    chosen=st.lists(st.sampled_from(ENTRIES), unique=True),
)
def test_no_multi_select_action_gives_a_contradictory_answer(before: list[str] | None, chosen: list[str]) -> None:
    """Whatever the picker sends, the answer is unanswered, "none of these" ([]) or options only."""
    from ui.autosave import multi_choice

    answer = multi_choice(chosen, before)
    if not chosen:
        assert answer is None
    else:
        assert answer is not None
        assert "__none__" not in answer
        assert set(answer) <= set(chosen)
        shown_before = ["__none__"] if before == [] else (before or [])
        added = [v for v in chosen if v not in shown_before]
        # Options are dropped only when "None of these" is the one entry just added.
        assert (answer == [] and chosen != ["__none__"]) == (added == ["__none__"] and len(chosen) > 1)
