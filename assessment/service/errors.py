"""The service layer's refusals, in a module of their own: every service module raises them and callers catch them."""

from __future__ import annotations

from collections.abc import Sequence

from answers.document import (
    Answer,
    Problem,
    Reason,
)


class ServiceError(Exception):
    """A request the service refuses; the message says why and what to do (safe to show a user).

    Raised with a :class:`Reason`, the message is English and :meth:`text` gives it in any UI language.
    """

    def __init__(self, message: str | Reason) -> None:
        self.reason = message if isinstance(message, Reason) else None
        super().__init__(str(message))

    def text(self, lang: str = "en") -> str:
        return self.reason.text(lang) if self.reason else str(self)


class NotFound(ServiceError):
    """No assessment with this id."""


class Forbidden(ServiceError):
    """The acting user may not do this (the permission matrix in :mod:`assessment.access`)."""


class InvalidAnswer(ServiceError):
    """An answer or document that does not fit the questionnaire; ``problems`` lists each issue."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class ConflictError(ServiceError):
    """Someone else saved since the caller last read: ``current`` is what is stored now (nothing overwritten).

    ``current_version`` is the stored row version (0 when there is no row); for an assessment-level
    conflict ``question_id`` is None, ``current`` is None and the version is the assessment's.
    """

    def __init__(
        self, message: str | Reason, *, current: Answer | None, current_version: int, question_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.current = current
        self.current_version = current_version
        self.question_id = question_id


class OpenQueries(ServiceError):
    """Validation refused: ``count`` review queries are still open (the adviser may confirm and force it)."""

    def __init__(self, count: int, why: Reason) -> None:
        super().__init__(why)
        self.count = count


class StatusChanged(ServiceError):
    """The assessment stopped being a draft between the service's check and its write: nothing was written.

    Not a :class:`ConflictError` (no one else's answer to show): the caller should reload the assessment.
    """
