"""Every questionnaire version an assessment may have been answered on: the current one and the archive.

An assessment stores the questionnaire id and version it was answered against. When the content moves
on (1.0.0 -> 1.1.0), the old version stays loadable from ``questionnaires/archive/<id>-<version>/``
(a frozen copy, same content hash as when it shipped), so a stored assessment can be read, scored on
its own version and carried over (:mod:`answers.upgrade`).
"""

from __future__ import annotations

from functools import lru_cache

from questionnaires.loader import PACKAGE_DIR, Questionnaire, load_questionnaire

ARCHIVE_DIR = PACKAGE_DIR / "archive"


@lru_cache(maxsize=8)
def _archived(questionnaire_id: str, version: str) -> Questionnaire | None:
    for path in sorted(ARCHIVE_DIR.glob("*/questionnaire.yaml")):
        q = load_questionnaire(path.parent)
        if q.id == questionnaire_id and q.version == version:
            return q
    return None


def load_version(questionnaire_id: str, version: str, current: Questionnaire) -> Questionnaire | None:
    """The questionnaire ``questionnaire_id`` at ``version``: ``current`` if it is that one, else the archive."""
    if current.id == questionnaire_id and current.version == version:
        return current
    return _archived(questionnaire_id, version)


def archived_versions() -> list[tuple[str, str]]:
    """(id, version) of every archived questionnaire."""
    found = (load_questionnaire(p.parent) for p in sorted(ARCHIVE_DIR.glob("*/questionnaire.yaml")))
    return [(q.id, q.version) for q in found]
