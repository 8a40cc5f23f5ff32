"""The core stays free of Streamlit so it can be tested and reused without a browser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "questionnaires", "scoring", "recommendations", "assessment", "reports", "compare", "exchange", "refdata",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", CORE)
def test_core_package_does_not_import_streamlit(package: str) -> None:
    files = list((ROOT / package).rglob("*.py"))
    offenders = [str(f.relative_to(ROOT)) for f in files if {"streamlit", "ui"} & _imports(f)]
    assert offenders == []
