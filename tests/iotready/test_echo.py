"""Everything the CLI echoes from input is printed with control characters escaped (issue 10, point 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iotready.cli import UsageProblem, main
from iotready.echo import printable, shown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("over\rwrite", "over\\x0dwrite"),
        ("two\nlines", "two\\x0alines"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("\ud800", "\\ud800"),
        ("Côte d'Ivoire – ok", "Côte d'Ivoire – ok"),
    ],
)
def test_control_characters_become_visible_escapes(raw: str, expected: str) -> None:
    assert printable(raw) == expected


def test_markup_in_input_is_printed_as_is() -> None:
    assert shown("[red]x[/red]") == "\\[red]x\\[/red]"


def test_usage_problems_are_escaped_when_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def boom() -> None:
        clipboard = "\x1b]52;c;cGF5bG9hZA==\x07"  # OSC 52: write the clipboard
        raise UsageProblem("Bad \x1b[2J title [bold]x[/bold]:", [f"question `{clipboard}`: no such question"])

    monkeypatch.setattr("iotready.cli.app", lambda **_: boom())
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as info:
        main()
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b[2J" in err and "[bold]x[/bold]" in err and "\\x1b]52;c;" in err


def test_problem_lists_are_capped_with_a_count(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def boom() -> None:
        raise UsageProblem("Many:", [f"problem {i}" for i in range(1_200_000)])

    monkeypatch.setattr("iotready.cli.app", lambda **_: boom())
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path))
    with pytest.raises(SystemExit):
        main()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 + 100 + 1
    assert lines[-1].strip() == "... and 1,199,900 more"
