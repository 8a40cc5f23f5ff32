"""Declared dependencies match what the code relies on (issue 10, point 11)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPENDENCIES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
NAMES = {re.split(r"[<>=\[ ;]", d, maxsplit=1)[0].lower() for d in DEPENDENCIES}


def test_defusedxml_is_declared_and_guards_the_workbook_reader() -> None:
    """openpyxl parses uploaded workbooks with defusedxml only when it is installed: so we declare it."""
    from openpyxl.xml import DEFUSEDXML

    assert "defusedxml" in NAMES
    assert DEFUSEDXML


def test_argon2_is_neither_declared_nor_imported() -> None:
    """argon2-cffi was declared for accounts that sign in through OIDC (st.login) instead: it is gone."""
    assert "argon2-cffi" not in NAMES
    sources = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts]
    imports = re.compile(r"^\s*(?:import|from)\s+argon2\b", re.M)
    assert not [p for p in sources if imports.search(p.read_text(encoding="utf-8"))]
