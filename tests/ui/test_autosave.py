"""Input checks of the Assess page that never reach the database (numbers, web addresses)."""

from __future__ import annotations

import pytest

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
    ],
)
def test_references_and_valid_addresses_are_accepted(text: str) -> None:
    assert evidence_problem(text, "en") is None


@pytest.mark.parametrize(
    "text", ["https://exa mple", "http:/example.org", "https://", "www.", "https://bad_host.org"]
)
def test_malformed_addresses_are_refused(text: str) -> None:
    assert evidence_problem(text, "en")


def test_over_long_evidence_is_refused() -> None:
    assert evidence_problem("x" * 2001, "en")
