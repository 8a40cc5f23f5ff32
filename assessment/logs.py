"""Logging to a file, so tracebacks are kept for support but never shown to the user."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    base = os.environ.get("IOTREADY_LOG_DIR") or platformdirs.user_log_dir("iotready")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path / "iotready.log"


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``iotready`` loggers to the log file once; return its path (None if it cannot be opened)."""
    root = logging.getLogger("iotready")
    if any(getattr(h, "_iotready", False) for h in root.handlers):
        return log_file()
    try:
        path = log_file()
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._iotready = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return path
