"""A problem found in an uploaded workbook, located by sheet, row, question and column; and the error
that carries every problem of one upload (nothing was written)."""

from __future__ import annotations

from dataclasses import dataclass

from answers.document import Reason
from exchange.workbook.layout import COLUMNS
from questionnaires.messages import separator


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an uploaded workbook, located as precisely as possible."""

    message: str
    sheet: str | None = None
    row: int | None = None
    question_id: str | None = None
    reason: Reason | None = None  # the message in any language
    column: str | None = None  # the pillar-sheet column (or answer field) the problem is in

    @classmethod
    def of(cls, why: Reason, *, column: str | None = None, sheet: str | None = None, row: int | None = None,
           question_id: str | None = None) -> ImportProblem:
        message = f"{column}: {why}" if column else str(why)
        return cls(message, sheet=sheet, row=row, question_id=question_id, reason=why, column=column)

    def text(self, lang: str = "en") -> str:
        """The problem (without its location) in ``lang``; the column by its header in that language."""
        if self.reason is None:
            return self.message
        if not self.column:
            return self.reason.text(lang)
        header = COLUMNS.get(self.column, {}).get(lang, self.column)
        return f"{header}{separator(':', lang)}{self.reason.text(lang)}"

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet `{self.sheet}`")
        if self.row:
            where.append(f"row {self.row}")
        if self.question_id:
            where.append(f"question `{self.question_id}`")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportProblems(ValueError):
    """An upload that cannot be used; ``problems`` lists every problem found (nothing was written)."""

    def __init__(self, problems: list[ImportProblem], *, made_for: tuple[str, str] | None = None) -> None:
        self.problems = problems
        self.made_for = made_for  # (questionnaire id, version) the settings sheet names, when it is another
        super().__init__("the workbook cannot be imported:\n" + "\n".join(f"- {p}" for p in problems))
