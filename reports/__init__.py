"""PDF readiness profiles: one country (``render_profile``) or many in parallel (``render_many``).

The names below are imported on first use (PEP 562): fpdf2 and matplotlib take ~0.6 s to import, and a
page or command that never makes a PDF should not pay for them at start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.bulk import ProfileJob, ProfileOutput, render_many, save_profiles, zip_profiles
    from reports.naming import profile_filename
    from reports.profile import LANGS, render_profile

_WHERE = {
    "ProfileJob": "reports.bulk",
    "ProfileOutput": "reports.bulk",
    "render_many": "reports.bulk",
    "save_profiles": "reports.bulk",
    "zip_profiles": "reports.bulk",
    "LANGS": "reports.profile",
    "profile_filename": "reports.naming",
    "render_profile": "reports.profile",
}

__all__ = [
    "LANGS",
    "ProfileJob",
    "ProfileOutput",
    "profile_filename",
    "render_many",
    "render_profile",
    "save_profiles",
    "zip_profiles",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
