"""The basis of a question as a reader sees it: clause ids in the ``aim`` become clause citations.

The YAML names clauses by id (``instructs-bdt-3``) so content editors and tests can check them; a
reader sees them as the resolution writes them, quoted as a clause ("Serves the clause “instructs the Director
of BDT, 3)”" / "Sert la disposition « charge le Directeur du BDT, 3) »": bare, the citation read as a verb,
"Sert charge le Directeur…").
"""

from __future__ import annotations

import re

from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import Question
from questionnaires.references import clause_reference

# Bounded by what cannot continue an id (ASCII letters, digits, "-", "_"), not by \b: Chinese writes an id
# directly against its characters (服务于instructs-bdt-3), which \b counts as word characters.
_ID = re.compile(r"(?<![A-Za-z0-9_-])[a-z]+(?:-[a-z]+)*-[a-z0-9]+(?![A-Za-z0-9_-])")


def aim_text(questionnaire: Questionnaire, question: Question, lang: str) -> str | None:
    """The question's ``aim`` in ``lang`` with every clause id replaced by its citation; None for a clause basis."""
    if question.aim is None:
        return None
    known = questionnaire.clause_map

    def cite(m: re.Match[str]) -> str:
        if m.group(0) not in known:
            return m.group(0)
        return t("basis.cited", lang, ref=clause_reference(questionnaire, m.group(0), lang))

    return _ID.sub(cite, question.aim.get(lang))


def practice_mark(questionnaire: Questionnaire, question_id: str) -> str:
    """" †" after a question whose basis is practice (the matrix's footnote explains the mark)."""
    return " †" if questionnaire.question(question_id).basis == "practice" else ""
