"""What a file says about an assessment, and only that: the input of an import plan.

An uploaded workbook or JSON document rarely speaks about everything. A blank cell, an omitted
question or an omitted field means "this file has no information here", never "delete": the saved
value stays. Clearing needs an explicit marker (:data:`CLEAR_TOKENS` in a workbook cell, ``null`` for
a field a JSON answer names). An :class:`ImportPatch` records exactly the fields a file speaks about;
:mod:`exchange.plan` merges it with what is saved and shows the plan before anything is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from answers.document import Answer, AnswersDocument, Reason, validation_reason
from questionnaires import references
from questionnaires.languages import REGISTRY
from questionnaires.loader import Questionnaire
from questionnaires.messages import t


def _folded(text: str) -> str:
    """A marker as typed: case and full-width forms ("（清除）") do not matter."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


# A cell that clears what is saved: the catalog's ``wb.clear`` in any language ("(clear)", "(effacer)"...).
CLEAR_TOKENS = tuple(dict.fromkeys(_folded(t("wb.clear", code)) for code in ("en", "fr", *REGISTRY)))
ANSWER_FIELDS: tuple[str, ...] = tuple(Answer.model_fields)
STATE_FIELDS = ("value", "not_applicable", "dont_know")  # the answer itself: set together, never half
_BLANK = Answer()  # what a question without a saved answer is merged onto (built once: merged runs per answer)


def question_number(questionnaire: Questionnaire, question_id: str) -> str:
    """The number a reader sees for a question ("2.3"), as the app numbers it; "?" for an id the file invented."""
    if not questionnaire.has_question(question_id):
        return "?"
    return references.question_number(questionnaire, question_id)


def is_clear(raw: Any) -> bool:
    """True for a cell holding the clear marker (either language, any case)."""
    return isinstance(raw, str) and _folded(raw) in CLEAR_TOKENS


@dataclass(frozen=True)
class QuestionPatch:
    """The fields of one answer a file speaks about (a subset of ``Answer``'s fields); None clears a field."""

    fields: Mapping[str, Any]
    sheet: str | None = None  # where the file says it, to locate problems
    row: int | None = None
    # The JSON document's own answer, already validated: merged onto no saved answer it is the merge.
    answer: Answer | None = field(default=None, compare=False)

    def merged(
        self, saved: Answer | None, *, trusted: bool = False
    ) -> tuple[Answer | None, list[tuple[str | None, Reason]]]:
        """``saved`` with this patch applied, or the reasons the result is not a valid answer.

        ``trusted``: the same merge was validated on an earlier reading of the same bytes (a bulk import's
        write pass, :mod:`exchange.bulk`), so it is built without validating again (a third of that pass).
        """
        if saved is None and self.answer is not None:
            return self.answer, []  # what validating its fields over a blank answer would build (a third of a plan)
        base = saved or _BLANK
        data = {f: getattr(base, f) for f in ANSWER_FIELDS} | dict(self.fields)
        for key in ("not_applicable", "dont_know", "review"):
            data[key] = bool(data[key])
        if trusted:
            return Answer.model_construct(**data), []
        try:
            return Answer.model_validate(data), []
        except ValidationError as exc:
            return None, [(".".join(str(x) for x in e["loc"]) or None, validation_reason(e)) for e in exc.errors()]


@dataclass(frozen=True)
class ImportPatch:
    """One assessment as a file describes it: identity, and only the values the file speaks about.

    ``status`` None: the file does not say; ``targets`` maps a pillar id (or "overall") to a score, a
    tier id, or None (clear that target); targets not named stay as saved.
    """

    questionnaire_id: str
    questionnaire_version: str
    country: str
    cycle: int
    illustrative: bool = False
    questionnaire_hash: str | None = None
    status: str | None = None
    targets: Mapping[str, float | str | None] = field(default_factory=dict)
    questions: Mapping[str, QuestionPatch] = field(default_factory=dict)
    # The file's whole document, as it stands, passed parse_answers and import_problems (a streamed export's
    # first reading): planned against no saved assessment, the merge is that document, so it is not checked again.
    checked: bool = field(default=False, compare=False)  # where the patch came from, not what it says

    @property
    def label(self) -> str:
        return f"{self.country} {self.cycle}"

    def document(self) -> AnswersDocument:
        """The patch applied to a blank assessment (what ``iotready workbook read`` shows and checks).

        Raises ``ValueError`` when an answer is not valid on its own (e.g. not applicable without a
        justification); the plan checks the same merged with what is saved.
        """
        answers: dict[str, Answer] = {}
        for qid, patch in self.questions.items():
            merged, why = patch.merged(None)
            if merged is None:
                raise ValueError(f"{qid}: {why[0][1]}")
            answers[qid] = merged
        status = self.status if self.status in ("draft", "submitted") else "draft"
        return AnswersDocument.model_validate({
            "questionnaire_id": self.questionnaire_id,
            "questionnaire_version": self.questionnaire_version,
            "questionnaire_hash": self.questionnaire_hash,
            "country": self.country,
            "cycle": self.cycle,
            "illustrative": self.illustrative,
            "status": status,
            "targets": {k: v for k, v in self.targets.items() if v is not None},
            "answers": answers,
        })


def patch_from_document(doc: AnswersDocument) -> ImportPatch:
    """What a JSON answers document speaks about: the questions it lists, and in each the fields it names.

    A question the document omits is left as saved; so is a field an answer omits (``"evidence": null``
    names the field, and clears it). Naming any of value / not applicable / don't know sets the answer
    itself (the other two then default), so a value never lands on a saved "don't know". Status and
    targets count only when the document names them.
    """
    questions: dict[str, QuestionPatch] = {}
    for qid, answer in doc.answers.items():
        named = set(answer.model_fields_set)
        if named & set(STATE_FIELDS):
            named |= set(STATE_FIELDS)
        questions[qid] = QuestionPatch({f: getattr(answer, f) for f in ANSWER_FIELDS if f in named}, answer=answer)
    named_doc = doc.model_fields_set
    return ImportPatch(
        questionnaire_id=doc.questionnaire_id,
        questionnaire_version=doc.questionnaire_version,
        questionnaire_hash=doc.questionnaire_hash,
        country=doc.country,
        cycle=doc.cycle,
        illustrative=doc.illustrative,
        status=doc.status if "status" in named_doc else None,
        targets=dict(doc.targets) if "targets" in named_doc else {},
        questions=questions,
    )
