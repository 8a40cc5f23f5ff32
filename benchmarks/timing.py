"""Shared by the app benchmarks: time one AppTest rerun after a widget change."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest


def timed_rerun(at: AppTest) -> float:
    """Seconds for ``at.run()`` (the widget change is already set); a failing script stops the benchmark."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the script failed: {at.exception}")
    return elapsed
