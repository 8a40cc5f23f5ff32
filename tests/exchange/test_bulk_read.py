"""The second reading of a large export (exchange.bulk._read_again) parses with the first reading's backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ijson
import pytest

from exchange.bulk import _read_again


def test_the_second_reading_parses_with_yajl2_c_not_ijsons_default_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def default_backend(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("ijson's default backend was used")

    monkeypatch.setattr(ijson, "items", default_backend)
    path = tmp_path / "export.json"
    path.write_bytes(b'{"format": "x", "assessments": [{"a": 1}, {"b": 2.5}]}')
    seen: list[tuple[int, Any]] = []
    _read_again(path, lambda i, item: seen.append((i, item)), None)
    assert seen == [(0, {"a": 1}), (1, {"b": 2.5})]
