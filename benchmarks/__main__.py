"""Run every benchmark script in turn: `python -m benchmarks`."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

SKIP = {"generate", "timing", "__main__"}

if __name__ == "__main__":
    for mod in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if mod in SKIP:
            continue
        print(f"== benchmarks.{mod}")
        module = importlib.import_module(f"benchmarks.{mod}")
        main = getattr(module, "main", None)
        if callable(main):
            main()
