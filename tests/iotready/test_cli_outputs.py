"""Output paths are checked before any work (issue 10, point 7): a read-only folder, a failed write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iotready import common
from tests.iotready.test_cli import run

MINI = "tests/fixtures/mini"
ROOT = Path(__file__).resolve().parents[2]


def _without_root_powers() -> list[str]:
    """A command prefix under which root obeys file permissions (root ignores a folder's mode otherwise)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made read-only for root")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_a_read_only_folder_is_refused_before_the_pdf_is_rendered(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    answers = ROOT / "tests" / "hostile" / "cases" / "valid.json"
    try:
        done = subprocess.run(
            [*_without_root_powers(), sys.executable, "-m", "iotready.cli", "report", str(answers),
             "-o", str(folder / "p.pdf"), "-q", MINI],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env=os.environ | {"COLUMNS": "200", "IOTREADY_LOG_DIR": str(tmp_path / "logs")},
        )
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "cannot create files in" in done.stderr and "read-only" in done.stderr
    assert list(folder.iterdir()) == []


def test_the_check_comes_before_the_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import reports

    def never(*_: object, **__: object) -> bytes:
        raise AssertionError("rendered before the destination was checked")

    monkeypatch.setattr(reports, "render_profile", never)
    answers = ROOT / "tests" / "hostile" / "cases" / "valid.json"
    code, _, err = run(monkeypatch, capsys, "report", str(answers), "-o", str(tmp_path / "no" / "p.pdf"), "-q", MINI)
    assert code == 2 and "does not exist" in err


def test_a_failed_write_leaves_no_file_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("the previous export", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(common.UsageProblem) as info:
        common._write(target, b"new")
    assert info.value.problems == ["the disk is full"]  # the reason in the reader's words (English here)
    assert target.read_text(encoding="utf-8") == "the previous export"  # not truncated
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left
