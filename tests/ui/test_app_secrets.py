"""The app's database error page, which every visitor sees, never shows a password (issue 10, point 8)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, texts


@pytest.mark.parametrize(
    "url", ["postgresql//user:hunter2@db/x", "postgresql+psycopg://u:hunter2@127.0.0.1:1/d?sslpassword=hunter3"]
)
def test_a_bad_database_url_is_shown_without_its_secrets(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    shown = texts(at)
    assert not at.exception
    assert "***" in shown and "hunter" not in shown
