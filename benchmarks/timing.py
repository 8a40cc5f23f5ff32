"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(app: Callable[[], object], floor: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median seconds of ``app`` and ``floor``, run alternately ``rounds`` times after one warm-up each."""
    app(), floor()
    a: list[float] = []
    f: list[float] = []
    for _ in range(rounds):
        for fn, out in ((app, a), (floor, f)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(f)


def timed_rerun(at: AppTest) -> float:
    """Seconds for ``at.run()`` (the widget change is already set); a failing script stops the benchmark."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the script failed: {at.exception}")
    return elapsed
