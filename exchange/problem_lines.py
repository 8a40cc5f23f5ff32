"""Problems with a workbook as one line each, in the reader's language, for the command line.

A workbook's reader edits cells, not ids: a problem is located by sheet, row and the question's number
("2.1", as on the Assess and Results pages and in the PDF). An answers document (JSON) is keyed by question
ids, so its problems keep the id the reader must find in the file (see ``iotready import``).
"""

from __future__ import annotations

from exchange.workbook import ImportProblem
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.references import question_number


def workbook_problem_line(questionnaire: Questionnaire, problem: ImportProblem, lang: str) -> str:
    """'sheet ipv6, row 5, question 2.1: Answer: must be a number' / 'feuille ipv6, ligne 5, question 2.1 : …'."""
    where = []
    if problem.sheet:
        where.append(t("problem.at_sheet", lang, sheet=problem.sheet))
    if problem.row:
        where.append(t("problem.at_row", lang, row=problem.row))
    if problem.question_id:
        known = questionnaire.has_question(problem.question_id)
        where.append(t("problem.at_question", lang,
                       number=question_number(questionnaire, problem.question_id) if known else problem.question_id))
    text = problem.text(lang)
    return f"{separator(',', lang).join(where)}{separator(':', lang)}{text}" if where else text
