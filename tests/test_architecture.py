"""The core stays free of Streamlit so it can be tested and reused without a browser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "questionnaires", "refdata", "answers", "scoring", "recommendations", "compare", "formatting",
    "assessment", "exchange", "reports",
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


def test_core_imports_with_streamlit_unavailable() -> None:
    """Every core module imports in a Python where ``import streamlit`` fails."""
    modules = sorted(
        ".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in CORE
        for f in (ROOT / package).rglob("*.py")
        if "migrations" not in f.parts
    )
    script = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'streamlit' or name.startswith('streamlit.'):\n"
        "            raise ImportError('streamlit is unavailable in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "assert not any(k == 'streamlit' or k.startswith('streamlit.') for k in sys.modules)\n"
        "print(len(" f"{modules!r}" "))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(modules) > 30


def test_import_layers_hold() -> None:
    """The import-linter contracts in pyproject.toml (layers, and the two front ends independent) are kept.

    In a subprocess: import-linter configures logging globally, which would silence the app's loggers.
    """
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", "pyproject.toml", "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
