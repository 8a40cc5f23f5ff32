"""The guards the app's two patches of Streamlit internals share (:mod:`ui.signin_cache`, :mod:`ui.page_address`).

Each patch names the Streamlit versions it was checked against and the private function it wraps, with its
parameters; when either has changed, the patch stays off (Streamlit as shipped) and says why.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from types import ModuleType


def version_supported(supported: Sequence[str], version: str | None = None) -> bool:
    """Whether ``version`` (default: the installed Streamlit's) is one of ``supported`` (major.minor)."""
    if version is None:
        import streamlit

        version = streamlit.__version__
    return ".".join(version.split(".")[:2]) in supported


def signature_problem(module: ModuleType, name: str, signature: Sequence[str]) -> str | None:
    """Why ``module.name`` cannot be wrapped (gone, or other parameters than ``signature``), or None."""
    fn = getattr(module, name, None)
    if fn is None or not callable(fn):
        return f"{module.__name__}.{name} is gone"
    params = tuple(inspect.signature(getattr(fn, "__wrapped__", fn)).parameters)
    if params != tuple(signature):
        return f"{module.__name__}.{name} takes {params}, not {tuple(signature)}"
    return None
