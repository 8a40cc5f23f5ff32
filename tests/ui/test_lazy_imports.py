"""The app starts without the PDF, workbook and migration stacks: they are imported when first used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("fpdf", "matplotlib", "openpyxl", "alembic")


def _loaded_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint(' '.join(sorted(set(k.split('.')[0] for k in sys.modules))))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("view", ["home", "compare", "results", "assess", "methodology"])
def test_a_page_imports_no_heavy_stack(view: str) -> None:
    loaded = _loaded_after(f"import ui.views.{view}")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_lazy_names_still_resolve() -> None:
    loaded = _loaded_after("from reports import render_profile, profile_filename\nfrom exchange import frames_to_xlsx")
    assert {"fpdf", "matplotlib", "openpyxl"} <= loaded


def test_naming_a_profile_needs_no_pdf_stack() -> None:
    assert not {"fpdf", "matplotlib"} & _loaded_after("from reports import profile_filename")
