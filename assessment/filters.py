"""Which assessments a list, a count, an export or a score frame covers: one value, one SQL translation.

Before, ``list_assessments``, ``count_assessments`` and ``export_documents`` each took the same nine keywords
and forwarded them to the same query builder; a new filter meant editing four signatures and every
forwarding call. An :class:`AssessmentFilter` is built once by the caller (page, command, benchmark) and
passed through unchanged; :meth:`AssessmentFilter.select` turns it into WHERE clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as core_select

from assessment.models import ASSESSMENT_TABLE
from questionnaires.loader import Questionnaire


@dataclass(frozen=True)
class AssessmentFilter:
    """The assessments wanted; every field left at its default means "no restriction".

    ``questionnaire`` keeps that questionnaire's assessments (and, for lists, scores them against it);
    ``include_illustrative=False`` drops the illustrative (demo) ones, ``illustrative`` picks one set;
    ``countries`` and ``group`` (a :mod:`compare.filters` group id) are ``country IN (...)``.
    """

    questionnaire: Questionnaire | None = None
    include_illustrative: bool = True
    illustrative: bool | None = None
    cycle: int | None = None
    status: str | None = None
    country: str | None = None
    countries: Sequence[str] | None = None
    group: str | None = None

    def select(self, columns: Sequence[Any], *, where: Any = None) -> Any:
        """A Core SELECT of ``columns`` over the live assessments matching the filter, in list order.

        Every filter is a WHERE clause (countries and groups as ``country IN (...)``), so a cycle or a group
        of 194 x 10 assessments never loads the other 90 %. Soft-deleted assessments (see assessment.history)
        are left out here, once for every reader; ``where`` is the acting user's visibility
        (:func:`access.visible_filter`), so a country's user never loads another country's rows.
        """
        a = ASSESSMENT_TABLE.c
        stmt = core_select(*columns).select_from(ASSESSMENT_TABLE).where(a.deleted_at.is_(None))
        if where is not None:
            stmt = stmt.where(where)
        if self.questionnaire is not None:
            stmt = stmt.where(a.questionnaire_id == self.questionnaire.id)
        if self.illustrative is not None:
            stmt = stmt.where(a.illustrative == self.illustrative)
        elif not self.include_illustrative:
            stmt = stmt.where(a.illustrative == False)  # noqa: E712  (SQL expression)
        if self.cycle is not None:
            stmt = stmt.where(a.cycle == self.cycle)
        if self.status is not None:
            stmt = stmt.where(a.status == self.status)
        if self.country is not None:
            stmt = stmt.where(a.country == self.country.upper())
        if self.countries is not None:
            stmt = stmt.where(a.country.in_(sorted({c.upper() for c in self.countries})))
        if self.group is not None:
            from compare.filters import group_members  # the compare package loads pandas: only when a group is asked

            stmt = stmt.where(a.country.in_(sorted(group_members(self.group))))
        return stmt.order_by(a.illustrative, a.country, a.cycle, a.id)


EVERYTHING = AssessmentFilter()
