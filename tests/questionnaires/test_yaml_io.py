"""The C YAML loader, when PyYAML has it, reads the shipped content exactly as the pure-Python one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from questionnaires import yaml_io
from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
from questionnaires.messages import CATALOG_DIR

FILES = sorted([*DEFAULT_QUESTIONNAIRE_DIR.rglob("*.yaml"), *CATALOG_DIR.glob("*.yaml")])


def test_the_fast_loader_is_used_when_available() -> None:
    expected = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    assert yaml_io.SafeLoader is expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_data_as_the_pure_python_loader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml_io.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)


def test_it_stays_a_safe_loader() -> None:
    with pytest.raises(yaml.YAMLError):
        yaml_io.safe_load("!!python/object/apply:os.system ['true']")
