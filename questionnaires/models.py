"""Pydantic models for the data-defined questionnaire.

The YAML files under ``questionnaires/<name>/`` are the single source of truth; these models
only describe and check them, so a broken file is rejected at load time, never at scoring time.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Lang = Literal["en", "fr"]
# The languages the questionnaire's YAML carries (``I18nText``'s fields, covered by the content hash). Every
# other language's content comes from its catalog ``i18n/content-<lang>.po`` as a run-time overlay
# (questionnaires/content_catalog.py: :func:`apply_translations`), which no dump and no hash sees.
LANGUAGES: tuple[Lang, ...] = ("en", "fr")
CLAUSE_SOURCE = "fr"  # the resolution's authentic text: every other language's clause text is unofficial


def unofficial_clause_text(lang: str) -> bool:
    """Whether the resolution's text shown in ``lang`` is an unofficial translation (all but the French)."""
    return lang != CLAUSE_SOURCE


class _Translated:
    """Texts in the languages the YAML does not carry, by language code, put there by the content overlay.

    A private attribute: left out of every dump, so of the content hash, and never validated from a file.
    """

    __pydantic_private__: dict[str, Any] | None

    def _texts_by_lang(self) -> dict[str, str]:
        # Straight from pydantic's slot: ``self._tr`` goes through BaseModel.__getattr__ (~10 µs, 40x a field).
        private = self.__pydantic_private__
        assert private is not None
        texts: dict[str, str] = private["_tr"]
        return texts

    def translated(self, lang: str) -> str | None:
        """The overlay's text in ``lang``, or None (the caller falls back to English)."""
        return self._texts_by_lang().get(lang)

    def translate(self, lang: str, text: str) -> None:
        self._texts_by_lang()[lang] = text
Score = Annotated[float, Field(ge=0.0, le=1.0)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class I18nText(_Translated, _Strict):
    """A text in English and French (a missing one is a load error), and in each language whose content
    catalog translates it (the run-time overlay; English where it does not)."""

    en: Annotated[str, Field(min_length=1)]
    fr: Annotated[str, Field(min_length=1)]
    _tr: dict[str, str] = PrivateAttr(default_factory=dict)

    def get(self, lang: str) -> str:
        """The text in ``lang``; French with a narrow no-break space before ``: ; ! ?`` (never at a line start).

        The shipped questionnaire writes these spaces itself (since 1.1.1); this covers any other one (a
        draft, a test fixture) without changing its content hash, which is computed on the fields.
        """
        if lang == "en":
            return self.en
        if lang == "fr":
            return french_spacing(self.fr)
        return self._texts_by_lang().get(lang) or self.en

    def texts(self) -> tuple[str, ...]:
        """Every language's text (English, French, then the overlay's): what a reader may type back."""
        return (self.en, self.fr, *self._texts_by_lang().values())


_FR_BEFORE = re.compile(r"[ \u00a0]([:;!?])(?=\s|$|[»)\]])")


def french_spacing(text: str) -> str:
    """``text`` with the space before ``: ; ! ?`` made a narrow no-break space (French typography).

    Only a space followed by the sign and then a space, the end or a closing mark: "http://", "10:30" and
    "a ?b" in code stay as they are.
    """
    return _FR_BEFORE.sub("\u202f\\1", text) if " " in text or "\u00a0" in text else text


class Option(_Strict):
    """One choice of a scale or of a multi-select question."""

    value: Identifier
    label: I18nText
    score: Score | None = None
    descriptor: I18nText | None = None


class Scale(_Strict):
    """A reusable answer scale (XLSForm choice list) shared by many questions."""

    id: Identifier
    kind: Literal["maturity", "choice"]
    options: Annotated[list[Option], Field(min_length=2)]

    @model_validator(mode="after")
    def _check(self) -> Scale:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError("option values must be unique")
        scores = [o.score for o in self.options]
        if any(s is None for s in scores):
            raise ValueError("every option of a scale needs a score")
        ordered = [float(s) for s in scores if s is not None]
        if ordered != sorted(ordered):
            raise ValueError("options must be listed from the lowest to the highest score")
        if ordered[0] != 0.0 or ordered[-1] != 1.0:
            raise ValueError("a scale must run from score 0 to score 1")
        if self.kind == "maturity" and any(o.descriptor is None for o in self.options):
            raise ValueError("every level of a maturity scale needs a descriptor")
        return self

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def score_of(self, value: str) -> float | None:
        opt = self.option(value)
        return None if opt is None or opt.score is None else float(opt.score)


class Threshold(_Strict):
    at: float
    score: Score


class NumericSpec(_Strict):
    """A numeric answer scored by thresholds: the score of the highest threshold the value reaches."""

    # The unit as a label ("contributions", "% of users"): English and French plural. Hashed, as shipped.
    unit: I18nText
    # A counted unit's singular, CLDR's "one" form in English and French ("contribution"): the value then takes
    # the form of its plural category in every language (:meth:`unit_for`), the other languages' forms coming
    # from their content catalogs (a gettext plural entry). Display-only: not in the content hash
    # (DISPLAY_ONLY_NUMERIC_FIELDS).
    unit_one: I18nText | None = None
    _forms: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)
    min: float
    max: float
    integer: bool = False
    # Empty only for a context indicator (``scored: false``), which is shown, never scored (Question checks it).
    thresholds: list[Threshold] = []

    @model_validator(mode="after")
    def _check(self) -> NumericSpec:
        if self.min >= self.max:
            raise ValueError("min must be below max")
        if not self.thresholds:
            return self
        if len(self.thresholds) < 2:
            raise ValueError("a scored numeric question needs at least two thresholds")
        ats = [t.at for t in self.thresholds]
        if ats != sorted(ats) or len(set(ats)) != len(ats):
            raise ValueError("thresholds must have strictly ascending `at`")
        scores = [t.score for t in self.thresholds]
        if scores != sorted(scores):
            raise ValueError("threshold scores must not decrease (a better value never scores less)")
        if ats[0] != self.min:
            raise ValueError("the first threshold must be at `min`")
        if ats[-1] > self.max:
            raise ValueError("thresholds must lie within [min, max]")
        if scores[0] != 0.0 or scores[-1] != 1.0:
            raise ValueError("thresholds must run from score 0 to score 1")
        return self

    @property
    def counted(self) -> bool:
        """Whether the unit takes a plural form by the value (a count of cities), not one text (a percentage)."""
        return self.unit_one is not None

    def unit_source(self, lang: str = "en") -> dict[str, str]:
        """The counted unit's forms in English or French by CLDR category ("one", "other")."""
        assert self.unit_one is not None
        return {"one": getattr(self.unit_one, lang), "other": getattr(self.unit, lang)}

    def translate_unit(self, lang: str, forms: dict[str, str]) -> None:
        """Lay a content catalog's forms of the counted unit (by CLDR category) over ``lang``; the label
        (:attr:`unit`) becomes the form a count of :data:`LABEL_COUNT` takes, its plain plural."""
        private = self.__pydantic_private__
        assert private is not None
        private["_forms"][lang] = dict(forms)
        from questionnaires.languages import plural_category

        label = forms.get(plural_category(LABEL_COUNT, lang)) or forms.get("other")
        if label:
            self.unit.translate(lang, label)

    def unit_for(self, value: float, lang: str) -> str:
        """The unit as it follows ``value`` in ``lang``: "1 contribution", "2 contributions", "5 вкладов".

        The category is CLDR's (Babel) for the number as written (six significant digits, as ``fmt_number``
        writes it: 1.5 is a decimal, 1.0 the integer 1). A language whose catalog lacks the unit reads English.
        """
        if self.unit_one is None or not math.isfinite(value):
            return self.unit.get(lang)
        from questionnaires.languages import REGISTRY, plural_category

        shown = float(f"{value:g}")
        if lang not in REGISTRY:
            lang = "en"
        if lang in LANGUAGES:
            return (self.unit_one if plural_category(shown, lang) == "one" else self.unit).get(lang)
        private = self.__pydantic_private__
        assert private is not None
        forms: dict[str, str] = private["_forms"].get(lang, {})
        return forms.get(plural_category(shown, lang)) or forms.get("other") or self.unit_for(value, "en")

    def score_of(self, value: float) -> float:
        result = 0.0
        for t in self.thresholds:
            if value >= t.at:
                result = t.score
        return result


class DependsOn(_Strict):
    """Skip logic (XLSForm ``relevant``): the question is shown only when the parent's answer is in ``in_``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: Identifier
    in_: Annotated[list[Identifier], Field(alias="in", min_length=1)]

    def relevant_expression(self) -> str:
        """The XLSForm ``relevant`` expression for this condition."""
        return " or ".join(f"${{{self.question}}} = '{v}'" for v in self.in_)


MATURITY_LEVELS = ("none", "planned", "developing", "adopted", "advanced")

# Why a question (or a recommendation) is there: ``clause`` when a cited clause actually says it, read
# aloud; ``practice`` when it comes from international practice that serves a cited clause's aim, which
# ``aim`` then names. Display-only: not part of the content hash (questionnaires/loader.py).
BasisKind = Literal["clause", "practice"]
DISPLAY_ONLY_QUESTION_FIELDS = frozenset({"basis", "aim"})
# A counted unit's singular is display-only too: its plural forms change no answer and no score, so 1.2.1's
# answers and hash stay as shipped (questionnaires/loader.py leaves ``numeric.unit_one`` out of the hash).
DISPLAY_ONLY_NUMERIC_FIELDS = frozenset({"unit_one"})
# A unit named without a value (a column, an axis, "from 0 to 100 (cities)") takes the form of this count: the
# plain plural in the six languages (English "cities", Arabic "مدن", Russian "городов").
LABEL_COUNT = 5


def _check_basis(basis: str | None, aim: I18nText | None) -> None:
    if basis == "practice" and aim is None:
        raise ValueError("a `practice` basis must name the clause's aim it serves (`aim`)")
    if basis != "practice" and aim is not None:
        raise ValueError("`aim` is only for a `practice` basis")


def _check_context(question: Question) -> None:
    """A context indicator (``scored: false``) is a figure that cannot weigh on any score, by construction."""
    if question.type != "numeric":
        raise ValueError("a context indicator (`scored: false`) must be a `numeric` question: a figure, not a level")
    if question.numeric is not None and question.numeric.thresholds:
        raise ValueError("a context indicator (`scored: false`) takes no `numeric.thresholds`: it is never scored")
    if "weight" in question.model_fields_set:
        raise ValueError("a context indicator (`scored: false`) takes no `weight`: it is never scored")
    if question.depends_on is not None:
        raise ValueError("a context indicator (`scored: false`) takes no `depends_on`: it is always asked")


class Question(_Strict):
    id: Identifier
    clauses: Annotated[list[str], Field(min_length=1)]
    type: Literal["scale", "numeric", "multi"]
    scale: Identifier | None = None
    numeric: NumericSpec | None = None
    options: list[Option] | None = None
    full_at: Annotated[int, Field(ge=1)] | None = None
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    allow_na: bool = False
    allow_dont_know: bool = True
    text: I18nText
    help: I18nText
    evidence_prompt: I18nText
    level_descriptors: dict[str, I18nText] | None = None
    depends_on: DependsOn | None = None
    basis: BasisKind = "clause"
    aim: I18nText | None = None
    # False: a context indicator (a figure such as IoT connections per 100 inhabitants), asked and shown
    # beside the scores but never scored: no weight, no thresholds, no skip logic, outside completeness and
    # the recommendations (docs/methodology.md, "Context indicators").
    scored: bool = True
    # A short name where a whole question is too long (a context figure in key figures, a table header);
    # display only, like Pillar.short: left out of every dump, so of the content hash.
    short: I18nText | None = Field(default=None, exclude=True)
    # Set by the loader from the file the question lives in.
    pillar: Identifier = "unset"

    @model_validator(mode="after")
    def _check_type(self) -> Question:
        if self.type == "scale":
            if self.scale is None:
                raise ValueError("a `scale` question must name its scale")
            if self.numeric or self.options:
                raise ValueError("a `scale` question takes no `numeric` or `options`")
        elif self.type == "numeric":
            if self.numeric is None:
                raise ValueError("a `numeric` question needs a `numeric` block")
            if self.scale or self.options:
                raise ValueError("a `numeric` question takes no `scale` or `options`")
        else:
            if not self.options or len(self.options) < 2:
                raise ValueError("a `multi` question needs at least two `options`")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
            if self.full_at is None or self.full_at > len(self.options):
                raise ValueError("a `multi` question needs `full_at` between 1 and its number of options")
            if self.scale or self.numeric:
                raise ValueError("a `multi` question takes no `scale` or `numeric`")
        if self.level_descriptors is not None and self.type != "scale":
            raise ValueError("`level_descriptors` only apply to scale questions")
        if self.scored:
            if self.numeric is not None and not self.numeric.thresholds:
                raise ValueError("a scored `numeric` question needs `numeric.thresholds` "
                                 "(or `scored: false` for a context indicator)")
        else:
            _check_context(self)
        _check_basis(self.basis, self.aim)
        return self

    @field_validator("clauses")
    @classmethod
    def _unique_clauses(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("clause ids must not repeat")
        return v


class Pillar(_Strict):
    id: Identifier
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    themes: list[str] = []
    name: I18nText
    description: I18nText
    # A short name for narrow places (heatmap column headers, radar axes), display only: it changes
    # nothing that is scored, so it is left out of every dump and so of the content hash, and the
    # assessments made before it was added stay valid.
    short: I18nText | None = Field(default=None, exclude=True)

    def short_name(self, lang: str) -> str:
        """The short name in ``lang`` (the full name when the questionnaire gives none)."""
        return (self.short or self.name).get(lang)


class Tier(_Strict):
    id: Identifier
    min_score: Annotated[float, Field(ge=0, le=100)]
    name: I18nText
    description: I18nText


class QuestionsFile(_Strict):
    type: Literal["questions"]
    pillar: Identifier
    questions: Annotated[list[Question], Field(min_length=1)]


class TriggerQuestion(_Strict):
    question: Identifier
    below: Annotated[float, Field(gt=0, le=1)]


class TriggerPillar(_Strict):
    pillar: Identifier
    below: Annotated[float, Field(gt=0, le=100)]


Horizon = Literal["quick_win", "medium_term", "long_term"]
HORIZONS: tuple[Horizon, ...] = ("quick_win", "medium_term", "long_term")


class Rule(_Strict):
    """A recommendation that fires when a question or a pillar scores below a threshold."""

    id: Identifier
    trigger: TriggerQuestion | TriggerPillar
    clause: str
    horizon: Horizon
    action: I18nText
    materials: Annotated[list[Annotated[str, Field(min_length=3)]], Field(min_length=1)]
    # Unset: the basis of the rule's question (a pillar rule: its clause).
    basis: BasisKind | None = None
    aim: I18nText | None = None

    @model_validator(mode="after")
    def _check(self) -> Rule:
        _check_basis(self.basis, self.aim)
        return self


class RecommendationsFile(_Strict):
    type: Literal["recommendations"]
    rules: Annotated[list[Rule], Field(min_length=1)]


class Condition(_Strict):
    """A question's answer scoring at least ``min_score`` (a scale or numeric question), or including
    ``includes`` (a multi-select question)."""

    question: Identifier
    min_score: Annotated[float, Field(ge=0, le=1)] | None = None
    includes: Identifier | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if (self.min_score is None) == (self.includes is None):
            raise ValueError("a condition takes exactly one of `min_score` or `includes`")
        return self


class ConsistencyRule(_Strict):
    """Answers that contradict each other: when ``if_`` holds and ``then`` does not, warn with ``message``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Identifier
    if_: Annotated[Condition, Field(alias="if")]
    then: Condition
    message: I18nText


class QuestionnaireFile(_Strict):
    """The top-level ``questionnaire.yaml``."""

    type: Literal["questionnaire"]
    id: Identifier
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    title: I18nText
    languages: list[Lang]
    clauses_file: str
    questions_dir: str
    recommendations_file: str
    tiers: Annotated[list[Tier], Field(min_length=2)]
    scales: Annotated[list[Scale], Field(min_length=1)]
    pillars: Annotated[list[Pillar], Field(min_length=1)]
    consistency: list[ConsistencyRule] = []

    @model_validator(mode="after")
    def _check(self) -> QuestionnaireFile:
        mins = [t.min_score for t in self.tiers]
        if mins != sorted(mins) or len(set(mins)) != len(mins) or mins[0] != 0:
            raise ValueError("tiers must be listed with strictly ascending `min_score`, the first at 0")
        for what, ids in (
            ("tier", [t.id for t in self.tiers]),
            ("scale", [s.id for s in self.scales]),
            ("pillar", [p.id for p in self.pillars]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{what} ids must be unique")
        return self


class Clause(_Translated, BaseModel):
    """One clause of the resolution, as the clause map gives it (extra fields kept, not checked)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    section: str
    label: str | None = None
    operative: bool = False
    text_en: str
    text_fr: str
    en_source: str | None = None
    themes: list[str] = []
    ms_readiness: list[str] | None = None
    _tr: dict[str, str] = PrivateAttr(default_factory=dict)

    def text(self, lang: str) -> str:
        """The French (the authentic text), or a translation of it: English, or the language's catalog's
        (English where the catalog lacks it); :func:`unofficial_clause_text` says when to say so."""
        if lang == "fr":
            return self.text_fr
        return self._texts_by_lang().get(lang) or self.text_en


class ClauseSection(_Translated, _Strict):
    """How one section of the resolution is cited in each language (``{label}`` stands for the item)."""

    section: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]
    fr: Annotated[str, Field(min_length=1)]
    _tr: dict[str, str] = PrivateAttr(default_factory=dict)

    def get(self, lang: str) -> str:
        if lang == "fr":
            return self.fr
        return self._texts_by_lang().get(lang) or self.en


class ClauseSectionsFile(_Strict):
    """``clause_sections.yaml``: kept apart from the clause map, which stays equal to the reference map."""

    type: Literal["clause_sections"]
    sections: Annotated[list[ClauseSection], Field(min_length=1)]

    @model_validator(mode="after")
    def _check(self) -> ClauseSectionsFile:
        names = [s.section for s in self.sections]
        if len(set(names)) != len(names):
            raise ValueError("each section is named once")
        return self


class Material(_Translated, _Strict):
    """An ITU publication or initiative a rule names; ``fr`` is None where ITU publishes no French title (the
    other languages' titles come from their content catalogs, the overlay)."""

    en: Annotated[str, Field(min_length=3)]
    fr: Annotated[str, Field(min_length=3)] | None = None
    _tr: dict[str, str] = PrivateAttr(default_factory=dict)


class MaterialsFile(_Strict):
    """``materials.yaml``: the French titles of the materials named in ``recommendations.yaml``."""

    type: Literal["materials"]
    materials: list[Material]

    @model_validator(mode="after")
    def _check(self) -> MaterialsFile:
        names = [m.en for m in self.materials]
        if len(set(names)) != len(names):
            raise ValueError("each material is listed once")
        return self
