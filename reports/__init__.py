"""PDF readiness profiles: one country (``render_profile``) or many in parallel (``render_many``)."""

from reports.bulk import ProfileJob, ProfileOutput, render_many, save_profiles, zip_profiles
from reports.profile import LANGS, profile_filename, render_profile

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
