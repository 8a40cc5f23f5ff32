"""The Streamlit server refuses uploads over the app's own limit before holding them (issue 10, point 3)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from exchange.upload import MAX_UPLOAD_MB

CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text("utf-8"))


def test_the_server_upload_limit_is_the_apps_limit() -> None:
    assert CONFIG["server"]["maxUploadSize"] == MAX_UPLOAD_MB
