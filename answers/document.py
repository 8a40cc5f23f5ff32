"""The answers document: what a country answered, in a file or in the database.

Pure pydantic (no database): the CLI reads it from JSON, the app builds it from stored rows, the
scoring engine reads it. ``check_answers`` checks it against a questionnaire and lists every problem
by question id, so a regulator can fix a file in one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from answers.invisible import visible, visible_any
from answers.jsonread import CONTROL_CHARS, JsonRefused, count_text, load_json
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import Question
from refdata import country as member_state

FORMAT = "iotready-answers"
MAX_EVIDENCE = 2_000
MAX_COMMENT = 10_000
MAX_JUSTIFICATION = 500
MAX_ANSWERS = 1_000  # answers in one document; a questionnaire has a few dozen questions
# "None of these" on a multi-choice question is the empty list ([]). The app's picker offers it as this
# entry; it is exclusive, so a value naming it beside an option contradicts itself and is refused. Alone, it
# contradicts nothing: a file holding ["__none__"] is refused as naming an option the question does not have,
# with the ones it has (a file says "none of these" with []).
NONE_OF_THESE = "__none__"

AnswerValue = str | float | list[str] | None
CYCLE_MIN, CYCLE_MAX = 2000, 2100  # the years an assessment's cycle may be


def _no_control(text: Any) -> Any:
    """Refuse control characters (NUL, ESC, ...) and broken characters: same answer on every database.

    PostgreSQL refuses NUL in text where SQLite stores it, so a file imported on one failed on the other;
    ESC sequences would drive the terminal that prints them. Tabs and line breaks are ordinary text.
    """
    texts = text if isinstance(text, list) else [text]
    if any(isinstance(x, str) and CONTROL_CHARS.search(x) for x in texts):
        raise _Refusal(reason("control_char"))
    return text
Status = Literal["answered", "not_applicable", "dont_know", "unanswered"]


_NUMBER = (int, float)


class Answer(BaseModel):
    """One answer. Exactly one of: a value, ``not_applicable`` (with a justification), ``dont_know``."""

    model_config = ConfigDict(extra="forbid")

    value: str | float | list[str] | None = None
    not_applicable: bool = False
    dont_know: bool = False
    justification: Annotated[str, Field(max_length=MAX_JUSTIFICATION)] | None = None
    evidence: Annotated[str, Field(max_length=MAX_EVIDENCE)] | None = None
    comment: Annotated[str, Field(max_length=MAX_COMMENT)] | None = None
    review: bool = False

    @field_validator("value", "justification", "evidence", "comment", mode="after")
    @classmethod
    def _plain_text(cls, v: Any) -> Any:
        if v is None:  # most fields of most answers: nothing to look at (it runs four times per answer)
            return v
        if isinstance(v, str):  # _no_control and visible_any below, for one text
            if CONTROL_CHARS.search(v):
                raise _Refusal(reason("control_char"))
            return visible(v)
        return visible_any(_no_control(v))  # bidi overrides, zero-width spaces: removed (answers.invisible)

    @field_validator("value", mode="before")
    @classmethod
    def _no_bool(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError(str(reason("bool_value")))
        if isinstance(v, _NUMBER):  # a tuple: no union built per call
            try:
                number = float(v)
            except OverflowError:  # a whole number past a float's range (10**400): pydantic would raise it too
                raise _Refusal(reason("number_too_large")) from None
            if not math.isfinite(number):
                raise ValueError(str(reason("not_finite")))
        # Checked before the union, which would list one problem per kind of value under a path naming it
        # ("value.str: must be text", "value.float: must be a number", "value.list[str].0: must be text").
        if isinstance(v, list) and not all(isinstance(x, str) for x in v):
            raise _Refusal(reason("option_list"))
        if v is not None and not isinstance(v, str | int | float | list):
            raise _Refusal(reason("value_type"))
        return v

    @model_validator(mode="after")
    def _one_state(self) -> Answer:
        states = [self.value is not None, self.not_applicable, self.dont_know]
        if sum(states) > 1:
            raise ValueError(str(reason("one_state")))
        if self.not_applicable and not (self.justification and self.justification.strip()):
            raise ValueError(str(reason("na_justification")))
        return self

    @property
    def status(self) -> Status:
        if self.not_applicable:
            return "not_applicable"
        if self.dont_know:
            return "dont_know"
        if self.value is None:
            return "unanswered"  # an empty multi-select ([]) is an answer: "none of these"
        return "answered"

    @property
    def documents(self) -> int:
        """How many evidence documents are attached (0 for an answer read from a file)."""
        return 0

    def with_documents(self, n: int) -> Answer:
        """A copy that knows ``n`` documents are attached (it then has evidence, as a reference would give it)."""
        copy = AttachedAnswer.model_construct(_fields_set=self.model_fields_set, **dict(self))
        copy._documents = n
        return copy

    @property
    def has_evidence(self) -> bool:
        """A reference typed in the evidence field, or an evidence document attached."""
        return bool(self.evidence and self.evidence.strip()) or self.documents > 0


class AttachedAnswer(Answer):
    """An answer with evidence documents attached (issue 25), as the database reader gives it
    (:func:`assessment.documents.with_documents`); never part of a file: not exported, not imported.

    A subclass rather than a private attribute of every answer: pydantic sets up private attributes on each
    instance, a tenth of the time a large import spends building its 230,000 answers.
    """

    _documents: int = PrivateAttr(default=0)

    @property
    def documents(self) -> int:
        return self._documents


TARGET_MIN, TARGET_MAX = 0, 100  # a target given as a score


def _target_in_range(v: Any) -> Any:
    """A target that is neither a score from 0 to 100 nor text refused as one problem under its pillar.

    Checked before the union: pydantic would report the number branch's English ("Input should be less than or
    equal to 100") and, beside it, "must be text" from the tier branch, both under a path naming the branches.
    A tier id is checked against the questionnaire by :func:`check_answers`.
    """
    if isinstance(v, bool) or not isinstance(v, str | int | float):  # JSON true was taken as a score of 1
        raise _Refusal(reason("target_type", min=str(TARGET_MIN), max=str(TARGET_MAX)))
    if not isinstance(v, str) and not TARGET_MIN <= v <= TARGET_MAX:
        raise _Refusal(reason("between", min=str(TARGET_MIN), max=str(TARGET_MAX)))
    return v


TargetValue = Annotated[float | str, BeforeValidator(_target_in_range)]


class AnswersDocument(BaseModel):
    """A country's answers for one cycle, against one questionnaire version."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["iotready-answers"] = "iotready-answers"
    format_version: Literal[1] = 1
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    cycle: Annotated[int, Field(ge=CYCLE_MIN, le=CYCLE_MAX)]
    illustrative: bool = False
    status: Literal["draft", "submitted"] = "draft"
    targets: dict[str, TargetValue] = {}
    answers: dict[str, Answer] = {}

    @field_validator("country", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("questionnaire_id", "questionnaire_version", "questionnaire_hash", mode="after")
    @classmethod
    def _plain_text(cls, v: Any) -> Any:
        return _no_control(v)

    @field_validator("targets", mode="after")
    @classmethod
    def _plain_targets(cls, v: dict[str, Any]) -> dict[str, Any]:
        _no_control([*v, *(x for x in v.values() if isinstance(x, str))])
        return v

    @field_validator("answers", mode="before")
    @classmethod
    def _not_too_many(cls, v: Any) -> Any:
        # Checked before each answer is validated: a million unknown ids would otherwise cost gigabytes.
        if isinstance(v, Mapping) and len(v) > MAX_ANSWERS:
            raise _Refusal(reason("too_many_answers", n=count_text(len(v)), limit=count_text(MAX_ANSWERS)))
        return v

    def answer(self, question_id: str) -> Answer:
        return self.answers.get(question_id) or Answer()


Localized = dict[str, str]  # a value that itself depends on the language, e.g. option labels


@dataclass(frozen=True)
class Reason:
    """Why something is wrong, as a message code (``problem.<code>`` in the UI catalog) and its values.

    ``str()`` is the English text (files, the command line, logs); :meth:`text` gives any language, so
    the app can show a French regulator what is wrong with their upload in French.
    """

    code: str
    params: tuple[tuple[str, str | Localized], ...] = ()

    def text(self, lang: str = "en") -> str:
        values = {k: v.get(lang, v.get("en", "")) if isinstance(v, dict) else v for k, v in self.params}
        return t(f"problem.{self.code}", lang, **values)

    def __str__(self) -> str:
        return self.text("en")


def reason(code: str, /, **params: object) -> Reason:
    """A :class:`Reason`; values are shown as they are (dicts by language are picked per language)."""
    return Reason(code, tuple((k, v if isinstance(v, dict) else str(v)) for k, v in params.items()))


def shown_value(value: object) -> str:
    """A value the user gave, as a message quotes it: control characters escaped as ``repr`` does, but no
    quotes of its own (``repr``'s straight ones read wrong in French); the catalog quotes per language.

    A text holding both kinds of quote has its ``'`` escaped by ``repr`` (the quote it delimits with): shown as
    typed. Every ``'`` of such a ``repr`` is escaped, and a backslash of the text is doubled, so each ``\\'`` is one.
    """
    text = str(value)
    shown = repr(text)[1:-1]
    return shown.replace("\\'", "'") if "'" in text and '"' in text else shown


class _Refusal(ValueError):
    """A validator's refusal that keeps its :class:`Reason` (pydantic passes it on in the error's context)."""

    def __init__(self, why: Reason) -> None:
        self.reason = why
        super().__init__(str(why))


_PYDANTIC_CODES = {
    "missing": "field_required", "extra_forbidden": "field_unknown", "literal_error": "field_literal",
    "int_type": "whole", "int_parsing": "whole", "int_from_float": "whole", "float_type": "number",
    "float_parsing": "number", "string_type": "field_text", "bool_type": "field_yes_no", "bool_parsing": "field_yes_no",
    "dict_type": "field_object", "model_type": "field_object", "list_type": "field_list",
}
_VALIDATOR_CODES = ("bool_value", "not_finite", "one_state", "na_justification", "control_char")


def validation_reason(err: Mapping[str, Any]) -> Reason:
    """A pydantic error as a :class:`Reason` (our validators' messages and text limits; others as they are)."""
    if err.get("type") == "string_unicode":  # a lone surrogate ("\ud800" in JSON): a broken character
        return reason("control_char")
    if err.get("type") == "string_too_long":
        limit = (err.get("ctx") or {}).get("max_length")
        return reason("too_long", n=count_text(limit) if isinstance(limit, int) else "?")
    where = tuple(err.get("loc") or ())
    if where == ("country",) and err.get("type") == "string_pattern_mismatch":  # pydantic's English, regex and all
        return reason("not_member_state", code=visible(str(err.get("input", "")))[:20])
    if where == ("cycle",) and err.get("type") in ("greater_than_equal", "less_than_equal", "int_parsing_size"):
        return reason("between", min=str(CYCLE_MIN), max=str(CYCLE_MAX))  # int_parsing_size: 1e30, 5,000 digits
    kind = str(err.get("type", ""))
    if kind in _PYDANTIC_CODES:  # pydantic's own English, said in the reader's language
        expected = str((err.get("ctx") or {}).get("expected", ""))
        allowed = re.findall(r"'([^']*)'", expected)
        if kind == "literal_error" and len(allowed) > 1:  # "'draft' or 'submitted'": its "or" is English
            return reason("scale_option", allowed=", ".join(f"`{a}`" for a in allowed))
        return reason(_PYDANTIC_CODES[kind], expected=re.sub(r"'([^']*)'", r"`\1`", expected))
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    ctx_error = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_error, _Refusal):
        return ctx_error.reason
    for code in _VALIDATOR_CODES:
        if msg == str(reason(code)):
            return reason(code)
    return reason("as_is", text=msg)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an answers document; ``question_id`` is None for document-level fields."""

    field: str
    message: str
    question_id: str | None = None
    reason: Reason | None = None  # the message in any language, when it comes from the catalog

    @classmethod
    def of(cls, field: str, why: Reason, question_id: str | None = None) -> Problem:
        return cls(field, str(why), question_id, why)

    def text(self, lang: str = "en") -> str:
        """The message alone (no field or question) in ``lang``."""
        return self.reason.text(lang) if self.reason else self.message

    def __str__(self) -> str:
        where = f"question `{self.question_id}`: " if self.question_id else ""
        return f"{where}{self.field}: {self.message}"


class AnswersError(ValueError):
    """An answers document that cannot be used; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("invalid answers document:\n" + "\n".join(f"- {p}" for p in problems))


def _problems_from_validation(exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        msg = err["msg"].removeprefix("Value error, ")
        why = validation_reason(err)
        if len(loc) >= 2 and loc[0] == "answers":
            out.append(Problem(field=".".join(loc[2:]) or "answer", message=msg, question_id=loc[1], reason=why))
        else:
            out.append(Problem(field=".".join(loc) or "document", message=msg, reason=why))
    return out


def parse_answers(raw: str | bytes | dict[str, Any]) -> AnswersDocument:
    """Parse JSON text (through :func:`~answers.jsonread.load_json`'s limits) or a dict.

    Raise :class:`AnswersError` with every problem found.
    """
    data: Any = raw
    if isinstance(raw, str | bytes):
        try:
            data = load_json(raw)
        except JsonRefused as exc:
            raise AnswersError([Problem.of("document", exc.reason)]) from None
    if not isinstance(data, dict):
        raise AnswersError([Problem.of("document", reason("field_object"))])
    try:
        return AnswersDocument.model_validate(data)
    except ValidationError as exc:
        raise AnswersError(_problems_from_validation(exc)) from None


def check_value(question: Question, questionnaire: Questionnaire, value: AnswerValue) -> Reason | None:
    """Why ``value`` is not a valid answer to ``question`` (None when it is)."""
    if value is None:
        return None
    if question.type == "scale":
        scale = questionnaire.scales[question.scale or ""]
        if not isinstance(value, str) or scale.option(value) is None:
            return reason("scale_option", allowed=", ".join(o.value for o in scale.options))
    elif question.type == "numeric":
        spec = question.numeric
        assert spec is not None
        if isinstance(value, str):
            try:
                value = float(value.replace(",", ".").strip())
            except ValueError:
                return reason("number")
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return reason("number")
        if not spec.min <= value <= spec.max:
            return reason("between", min=f"{spec.min:g}", max=f"{spec.max:g}")
        if spec.integer and float(value) != int(value):
            return reason("whole")
    else:
        opts = {o.value for o in question.options or []}
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return reason("option_list")
        if NONE_OF_THESE in value and len(value) > 1:
            return reason("none_with_options")
        unknown = [v for v in value if v not in opts]
        if unknown:
            return reason("unknown_options", unknown=unknown, allowed=", ".join(sorted(opts)))
        if len(set(value)) != len(value):
            return reason("repeated_options")
    return None


def check_answers(questionnaire: Questionnaire, doc: AnswersDocument) -> list[Problem]:
    """Every way ``doc`` does not fit ``questionnaire`` (empty when it can be scored)."""
    problems: list[Problem] = []
    if doc.questionnaire_id != questionnaire.id:
        problems.append(Problem.of(
            "questionnaire_id", reason("other_questionnaire", theirs=doc.questionnaire_id, ours=questionnaire.id)
        ))
    if doc.questionnaire_version != questionnaire.version:
        problems.append(Problem.of(
            "questionnaire_version",
            reason("other_version", theirs=doc.questionnaire_version, ours=questionnaire.version),
        ))
    elif doc.questionnaire_hash and doc.questionnaire_hash != questionnaire.content_hash:
        problems.append(Problem.of("questionnaire_hash", reason("other_content")))
    pillar_ids = {p.id for p in questionnaire.pillars}
    tier_ids = {t.id for t in questionnaire.tiers}
    for pid, target in doc.targets.items():
        if pid not in pillar_ids and pid != "overall":
            problems.append(Problem.of(f"targets.{pid}", reason("unknown_pillar", known=", ".join(sorted(pillar_ids)))))
        if isinstance(target, str) and target not in tier_ids:
            known = ", ".join(t.id for t in questionnaire.tiers)  # lowest to highest, the same on every run
            problems.append(Problem.of(f"targets.{pid}", reason("unknown_tier", tier=target, known=known)))
    for qid, answer in doc.answers.items():
        if not questionnaire.has_question(qid):
            problems.append(Problem.of("id", reason("no_question"), qid))
            continue
        q = questionnaire.question(qid)
        if answer.not_applicable and not q.allow_na:
            problems.append(Problem.of("not_applicable", reason("no_na"), qid))
        if answer.dont_know and not q.allow_dont_know:
            problems.append(Problem.of("dont_know", reason("no_dk"), qid))
        why = check_value(q, questionnaire, answer.value)
        if why:
            problems.append(Problem.of("value", why, qid))
    return problems


def import_problems(questionnaire: Questionnaire, doc: AnswersDocument) -> list[Problem]:
    """What stops ``doc`` from being stored: it must fit the questionnaire and name an ITU Member State.

    The one check behind ``iotready import``, the app's upload and the service's import.
    """
    problems = check_answers(questionnaire, doc)
    try:
        member_state(doc.country)
    except KeyError:
        problems.insert(0, Problem.of("country", reason("not_member_state", code=doc.country)))
    return problems


def numeric_value(value: AnswerValue) -> float:
    """A numeric answer as float (documents may carry "12,5" from spreadsheets)."""
    if isinstance(value, str):
        return float(value.replace(",", ".").strip())
    assert isinstance(value, int | float)
    return float(value)


def blank_document(questionnaire: Questionnaire, country: str, cycle: int) -> AnswersDocument:
    """An answers document with every question present and unanswered, for offline filling."""
    return AnswersDocument(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_hash=questionnaire.content_hash,
        country=country,
        cycle=cycle,
        answers={q.id: Answer() for q in questionnaire.questions},
    )
