"""What carrying answers from one questionnaire version to the next does, question by question (pure).

* **unchanged** (same id, same answer format and same wording in English, up to the kind of space, so a
  typography-only patch such as 1.1.0 -> 1.1.1 changes nothing): the answer carries over;
* **changed** (same id, but its scale, thresholds, options, skip logic, wording or help changed): the answer
  carries over when it is still a valid answer, and is marked "to review"; a multi-select answer that ticked
  options the new version no longer lists keeps the options that remain (the full answer is written to the
  history first; 1.2.0 moved M2M numbering out of the framework elements into a question of its own); any
  other answer that no longer fits is moved to the history and the question is "to review";
* **new**: "to review" (to answer);
* **removed**: the answer is kept in the history (the change log), not in the new version.

Nothing is silently lost: every answer either carries over or is written to the history.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from answers.document import Answer, check_value
from questionnaires.loader import Questionnaire
from questionnaires.models import DISPLAY_ONLY_NUMERIC_FIELDS, Question

# What an answer means: if any of these change, the answer is to review.
_MEANING = ("type", "scale", "numeric", "options", "full_at", "depends_on", "allow_na", "allow_dont_know",
            "scored")


class QuestionChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    kind: str  # unchanged | changed | new | removed
    what: tuple[str, ...] = ()  # for "changed": the fields that changed (text, scale, numeric, ...)


class UpgradePlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    questionnaire_id: str
    from_version: str
    to_version: str
    changes: tuple[QuestionChange, ...]

    def of(self, kind: str) -> list[str]:
        return [c.question_id for c in self.changes if c.kind == kind]


def _scale_of(q: Questionnaire, question: Question) -> object:
    """The scale as far as an answer's meaning goes: its values and their scores (not its wording)."""
    return [(o.value, o.score) for o in q.scales[question.scale].options] if question.scale else None


_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def wording(text: str) -> str:
    """A text as far as its meaning goes: any run of spaces (ordinary, no-break, narrow no-break) is one space.

    So a typography-only edit (French puts a narrow no-break space before ? ! ; :) is not a change of
    wording, and an answer is not sent back "to review" for it.
    """
    return _SPACES.sub(" ", text).strip()


def _descriptors(question: Question) -> dict[str, tuple[str, str]]:
    return {k: (wording(d.en), wording(d.fr)) for k, d in (question.level_descriptors or {}).items()}


def _meaning(question: Question, name: str) -> object:
    """A field as far as an answer's meaning goes: a numeric spec without its display-only fields (a counted
    unit's singular, added in 1.2.1 without a new version, sends no answer back "to review")."""
    value = getattr(question, name)
    if name == "numeric" and value is not None:
        return value.model_dump(exclude=set(DISPLAY_ONLY_NUMERIC_FIELDS))
    return value


def _differences(old: Questionnaire, new: Questionnaire, a: Question, b: Question) -> tuple[str, ...]:
    what = [f for f in _MEANING if _meaning(a, f) != _meaning(b, f)]
    if a.scale and b.scale and _scale_of(old, a) != _scale_of(new, b) and "scale" not in what:
        what.append("scale")
    if wording(a.text.en) != wording(b.text.en) or _descriptors(a) != _descriptors(b):
        what.append("text")
    if wording(a.help.en) != wording(b.help.en):
        # The help says how to answer (what to count, when full marks are reached: 1.2.0 moved the
        # contributions that give full marks from ten to four): an answer given on the old help may not fit it.
        what.append("help")
    return tuple(what)


def plan_upgrade(old: Questionnaire, new: Questionnaire) -> UpgradePlan:
    """Each question of either version, classified (new-version order first, then the removed ones).

    Context indicators (``scored: false``) are questions here like any other: their answers carry over too.
    """
    changes: list[QuestionChange] = []
    for b in new.all_questions:
        if not old.has_question(b.id):
            changes.append(QuestionChange(question_id=b.id, kind="new"))
            continue
        what = _differences(old, new, old.question(b.id), b)
        changes.append(QuestionChange(question_id=b.id, kind="changed" if what else "unchanged", what=what))
    changes += [QuestionChange(question_id=a.id, kind="removed") for a in old.all_questions
                if not new.has_question(a.id)]
    return UpgradePlan(questionnaire_id=new.id, from_version=old.version, to_version=new.version,
                       changes=tuple(changes))


def without_removed_options(new: Questionnaire, question_id: str, answer: Answer) -> Answer:
    """``answer`` without the ticked options the new version of a multi-select question no longer lists.

    Any other answer is returned as it is; the caller writes the full answer to the history when it differs.
    """
    question = new.question(question_id)
    if question.type != "multi" or not isinstance(answer.value, list):
        return answer
    listed = {o.value for o in question.options or []}
    kept = [v for v in answer.value if v in listed]
    return answer if kept == answer.value else answer.model_copy(update={"value": kept})


def carries_over(new: Questionnaire, question_id: str, answer: Answer) -> bool:
    """Whether ``answer`` is still a valid answer to the new version of the question."""
    question = new.question(question_id)
    if answer.not_applicable and not question.allow_na:
        return False
    if answer.dont_know and not question.allow_dont_know:
        return False
    if answer.value is None:
        return True
    return check_value(question, new, answer.value) is None
