"""Load a questionnaire folder into one validated, immutable :class:`Questionnaire`.

Every problem is reported with the file, the entry (question or rule id) and the field, so a
content editor can fix a YAML file without reading Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from questionnaires.models import (
    DISPLAY_ONLY_NUMERIC_FIELDS,
    DISPLAY_ONLY_QUESTION_FIELDS,
    Clause,
    ClauseSection,
    ClauseSectionsFile,
    Material,
    MaterialsFile,
    Pillar,
    Question,
    QuestionnaireFile,
    QuestionsFile,
    RecommendationsFile,
    Rule,
    Scale,
    Tier,
    TriggerPillar,
    TriggerQuestion,
)
from questionnaires.yaml_io import YAMLError, safe_load

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_QUESTIONNAIRE_DIR = PACKAGE_DIR / "res197"
# Beside the clause map and the rules; fixed names, so questionnaire.yaml (and the content hash) stay as they are.
CLAUSE_SECTIONS_FILE = "clause_sections.yaml"
MATERIALS_FILE = "materials.yaml"


class QuestionnaireError(ValueError):
    """A questionnaire folder that cannot be used; ``problems`` lists every issue found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid questionnaire:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Questionnaire:
    """The whole questionnaire: metadata, pillars, scales, questions, rules and the clause map.

    ``questions`` are the scored questions (everything that weighs, counts toward completeness or triggers a
    recommendation walks them); ``context`` the context indicators (``scored: false``), asked and shown
    beside the scores but never scored. :meth:`question` and :meth:`has_question` know both, so an answer to
    either is checked, stored, exported and carried over alike; :meth:`form_questions_in` is what a form shows.
    """

    meta: QuestionnaireFile
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    clauses: tuple[Clause, ...]
    source_dir: Path
    context: tuple[Question, ...] = ()
    # How each section is cited (clause_sections.yaml) and the materials' French titles (materials.yaml).
    clause_sections: dict[str, ClauseSection] = field(default_factory=dict, repr=False, compare=False)
    materials: dict[str, Material] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in (*self.questions, *self.context)})

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @cached_property
    def pillars(self) -> list[Pillar]:
        return list(self.meta.pillars)

    @property
    def tiers(self) -> list[Tier]:
        return list(self.meta.tiers)

    @cached_property
    def scales(self) -> dict[str, Scale]:
        return {s.id: s for s in self.meta.scales}

    @cached_property
    def clause_map(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def pillar(self, pillar_id: str) -> Pillar:
        return next(p for p in self.meta.pillars if p.id == pillar_id)

    def questions_in(self, pillar_id: str) -> list[Question]:
        """The pillar's scored questions."""
        return [q for q in self.questions if q.pillar == pillar_id]

    def context_in(self, pillar_id: str) -> list[Question]:
        """The pillar's context indicators (never scored)."""
        return [q for q in self.context if q.pillar == pillar_id]

    def form_questions_in(self, pillar_id: str) -> list[Question]:
        """What a form asks in the pillar: its scored questions, then its context indicators."""
        return self.questions_in(pillar_id) + self.context_in(pillar_id)

    @cached_property
    def all_questions(self) -> tuple[Question, ...]:
        """Every question a form asks (scored and context), pillar by pillar in form order."""
        return tuple(q for p in self.meta.pillars for q in self.form_questions_in(p.id))

    def is_context(self, question_id: str) -> bool:
        """Whether ``question_id`` is a context indicator (shown, never scored)."""
        return question_id in self._by_id and not self._by_id[question_id].scored

    def tier_for(self, score: float) -> Tier:
        """The highest tier whose threshold the score (0-100) reaches."""
        chosen = self.meta.tiers[0]
        for t in self.meta.tiers:
            if score >= t.min_score - 1e-9:
                chosen = t
        return chosen

    def tier(self, tier_id: str) -> Tier:
        return next(t for t in self.meta.tiers if t.id == tier_id)

    def descriptor(self, question: Question, value: str, lang: str) -> str | None:
        """The descriptor of one level, the question's own when it has one, else the scale's."""
        if question.level_descriptors and value in question.level_descriptors:
            return question.level_descriptors[value].get(lang)
        if question.scale:
            opt = self.scales[question.scale].option(value)
            if opt and opt.descriptor:
                return opt.descriptor.get(lang)
        return None

    def dependents(self, question_id: str) -> list[Question]:
        return [q for q in self.questions if q.depends_on and q.depends_on.question == question_id]

    def traceability(self) -> dict[str, list[str]]:
        """Clause id -> ids of the questions that cite it, in clause-map order (uncited clauses too)."""
        matrix: dict[str, list[str]] = {c.id: [] for c in self.clauses}
        for q in self.questions:
            for cid in q.clauses:
                matrix.setdefault(cid, []).append(q.id)
        return matrix

    def required_clause_ids(self) -> list[str]:
        """Clauses every version must cover: those with a country-level counterpart, and the IPv6 ones."""
        required = [c.id for c in self.clauses if c.ms_readiness]
        required += [c for c in ("recognizing-e", "recognizing-f") if c in self.clause_map]
        return required

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the content answered (metadata, scales, pillars, questions, context indicators).

        Not of rules or clauses, nor of display-only fields (a question's basis and aim, a counted unit's
        singular: :data:`DISPLAY_ONLY_NUMERIC_FIELDS`). ``scored`` is left out of each dump and the context
        indicators are listed under their own key only when there are any, so the versions shipped before context
        indicators existed (1.2.0 and older, archived) keep the hash they shipped with.
        """
        exclude: dict[str, Any] = dict.fromkeys((*DISPLAY_ONLY_QUESTION_FIELDS, "scored"), True)
        exclude["numeric"] = dict.fromkeys(DISPLAY_ONLY_NUMERIC_FIELDS, True)  # a counted unit's singular
        payload: dict[str, Any] = {
            # Consistency rules only warn: like `basis`/`aim`, they are not scored content.
            "meta": self.meta.model_dump(mode="json", exclude={"consistency"}),
            "questions": [q.model_dump(mode="json", by_alias=True, exclude=exclude) for q in self.questions],
        }
        if self.context:
            payload["context"] = [q.model_dump(mode="json", by_alias=True, exclude=exclude) for q in self.context]
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _format_loc(loc: Iterable[Any], data: Any) -> str:
    """Turn a pydantic error location into 'question `x` > field' using the ids found in the data."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and 0 <= item < len(node):
            node = node[item]
            ident = node.get("id") if isinstance(node, dict) else None
            parts.append(f"entry `{ident}`" if ident else f"entry #{item + 1}")
            continue
        node = node[item] if isinstance(node, dict) and item in node else None
        parts.append(str(item))
    return " > ".join(parts) or "(top level)"


def _validate(model: type[BaseModel], data: Any, path: Path, problems: list[str]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(f"{path.name}: {_format_loc(err['loc'], data)}: {err['msg']}")
        return None


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return safe_load(fh)
    except FileNotFoundError:
        problems.append(f"{path}: file not found")
    except YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML: {exc}")
    return None


def _check_cross_references(
    meta: QuestionnaireFile,
    questions: list[tuple[Path, Question]],
    rules: list[Rule],
    clauses: list[Clause],
    rules_path: Path,
    problems: list[str],
) -> None:
    clause_ids = {c.id for c in clauses}
    scales = {s.id: s for s in meta.scales}
    pillar_ids = {p.id for p in meta.pillars}
    seen: dict[str, Question] = {}
    for path, q in questions:
        where = f"{path.name}: question `{q.id}`"
        if q.id in seen:
            problems.append(f"{where}: id: duplicate question id")
        for cid in q.clauses:
            if cid not in clause_ids:
                problems.append(f"{where}: clauses: unknown clause id `{cid}`")
        if q.type == "scale":
            scale = scales.get(q.scale or "")
            if scale is None:
                problems.append(f"{where}: scale: unknown scale `{q.scale}`")
            elif q.level_descriptors is not None:
                expected = {o.value for o in scale.options}
                if set(q.level_descriptors) != expected:
                    problems.append(
                        f"{where}: level_descriptors: must give exactly the levels {sorted(expected)}"
                    )
        if q.depends_on:
            parent = seen.get(q.depends_on.question)
            if parent is None:
                problems.append(
                    f"{where}: depends_on.question: `{q.depends_on.question}` is not a question defined earlier"
                )
            elif parent.pillar != q.pillar:
                # The hidden follow-up's weight moves to its gate within the gate's pillar, and the pillars are
                # averaged with their own weights: across pillars, opening the follow-up moves weight from one
                # pillar to another, and a better answer to the gate can lower the overall score.
                problems.append(
                    f"{where}: depends_on.question: `{parent.id}` is in pillar `{parent.pillar}`, not `{q.pillar}`: "
                    "a gate and its follow-ups must be in the same pillar, else a better answer to the gate can "
                    "lower the overall score (docs/methodology.md)"
                )
            elif parent.type != "scale" or parent.scale not in scales:
                problems.append(f"{where}: depends_on.question: the parent must be a scale question")
            else:
                scale = scales[parent.scale]
                unknown = [v for v in q.depends_on.in_ if scale.option(v) is None]
                if unknown:
                    problems.append(f"{where}: depends_on.in: unknown values {unknown} for `{parent.scale}`")
                else:
                    needed = {o.value for o in scale.options if (o.score or 0.0) > 0}
                    if set(q.depends_on.in_) != needed:
                        problems.append(
                            f"{where}: depends_on.in: must list exactly the parent's values that score above 0 "
                            f"({sorted(needed)}): a follow-up is hidden only when the parent scores 0, so a "
                            "better answer to the parent can never lower a score (docs/methodology.md)"
                        )
        seen[q.id] = q
    for rule in meta.consistency:
        for cond in (rule.if_, rule.then):
            target = seen.get(cond.question)
            if target is None:
                problems.append(f"questionnaire.yaml: consistency `{rule.id}`: unknown question `{cond.question}`")
            elif cond.includes is not None and (
                target.type != "multi" or cond.includes not in {o.value for o in target.options or []}
            ):
                problems.append(f"questionnaire.yaml: consistency `{rule.id}`: `{cond.question}` has no option "
                                f"`{cond.includes}`")
            elif cond.min_score is not None and target.type == "multi":
                problems.append(f"questionnaire.yaml: consistency `{rule.id}`: use `includes` for `{cond.question}`")
            elif not target.scored:
                problems.append(f"questionnaire.yaml: consistency `{rule.id}`: `{cond.question}` is a context "
                                "indicator (`scored: false`), which has no score to compare")
    for p in pillar_ids:
        if not any(q.pillar == p and q.scored for _, q in questions):
            problems.append(f"questionnaire.yaml: pillars: pillar `{p}` has no scored questions")
    rule_ids: set[str] = set()
    for r in rules:
        where = f"{rules_path.name}: rule `{r.id}`"
        if r.id in rule_ids:
            problems.append(f"{where}: id: duplicate rule id")
        rule_ids.add(r.id)
        if r.clause not in clause_ids:
            problems.append(f"{where}: clause: unknown clause id `{r.clause}`")
        if isinstance(r.trigger, TriggerQuestion) and r.trigger.question not in seen:
            problems.append(f"{where}: trigger.question: unknown question `{r.trigger.question}`")
        elif isinstance(r.trigger, TriggerQuestion) and not seen[r.trigger.question].scored:
            problems.append(f"{where}: trigger.question: `{r.trigger.question}` is a context indicator "
                            "(`scored: false`): it has no score, so no gap, and no recommendation fires on it")
        if isinstance(r.trigger, TriggerPillar) and r.trigger.pillar not in pillar_ids:
            problems.append(f"{where}: trigger.pillar: unknown pillar `{r.trigger.pillar}`")


def _load_clause_sections(path: Path, clauses: list[Clause], problems: list[str]) -> dict[str, ClauseSection]:
    """How each section is cited; every section of the clause map needs its citation in both languages."""
    data = _read_yaml(path, problems)
    sfile: ClauseSectionsFile | None = None if data is None else _validate(ClauseSectionsFile, data, path, problems)
    if sfile is None:
        return {}
    sections = {s.section: s for s in sfile.sections}
    for name in dict.fromkeys(c.section for c in clauses):
        if name not in sections:
            problems.append(f"{path.name}: sections: no citation for the clause map's section `{name}`")
    return sections


def _load_materials(path: Path, problems: list[str]) -> dict[str, Material]:
    """The materials' French titles; optional, a material it lacks is shown with its English title."""
    if not path.exists():
        return {}
    data = _read_yaml(path, problems)
    mfile: MaterialsFile | None = None if data is None else _validate(MaterialsFile, data, path, problems)
    return {} if mfile is None else {m.en: m for m in mfile.materials}


def load_questionnaire(
    directory: str | Path = DEFAULT_QUESTIONNAIRE_DIR, *, translations: bool = True
) -> Questionnaire:
    """Read and validate a questionnaire folder; raise :class:`QuestionnaireError` listing every problem.

    With ``translations`` (the default), the content catalogs of the languages the YAML does not carry are
    laid over its texts (:func:`questionnaires.content_catalog.apply_translations`): display only, the content
    hash and the scores are the same without them.
    """
    root = Path(directory)
    if root.is_file():
        root = root.parent
    problems: list[str] = []
    meta_path = root / "questionnaire.yaml"
    meta_data = _read_yaml(meta_path, problems)
    meta: QuestionnaireFile | None = None
    if meta_data is not None:
        meta = _validate(QuestionnaireFile, meta_data, meta_path, problems)
    if meta is None:
        raise QuestionnaireError(problems or [f"{meta_path}: empty file"])

    clauses_path = root / meta.clauses_file
    clause_data = _read_yaml(clauses_path, problems) or {}
    clauses: list[Clause] = []
    for i, raw in enumerate(clause_data.get("clauses", []) if isinstance(clause_data, dict) else []):
        c = _validate(Clause, raw, clauses_path, problems)
        if c is None:
            problems[-1] = problems[-1].replace(f"{clauses_path.name}:", f"{clauses_path.name}: entry #{i + 1}:")
        else:
            clauses.append(c)
    if not clauses:
        problems.append(f"{clauses_path.name}: clauses: no clauses found")

    questions: list[tuple[Path, Question]] = []
    qdir = root / meta.questions_dir
    order = {p.id: i for i, p in enumerate(meta.pillars)}
    files = sorted(qdir.glob("*.yaml"), key=lambda p: (order.get(p.stem, len(order)), p.name))
    if not files:
        problems.append(f"{qdir}: no question files (*.yaml)")
    for path in files:
        data = _read_yaml(path, problems)
        if data is None:
            continue
        qfile: QuestionsFile | None = _validate(QuestionsFile, data, path, problems)
        if qfile is None:
            continue
        if qfile.pillar not in order:
            problems.append(f"{path.name}: pillar: unknown pillar `{qfile.pillar}`")
            continue
        for q in qfile.questions:
            questions.append((path, q.model_copy(update={"pillar": qfile.pillar})))
    questions.sort(key=lambda pq: order.get(pq[1].pillar, 0))

    rules_path = root / meta.recommendations_file
    rules: list[Rule] = []
    rules_data = _read_yaml(rules_path, problems)
    if rules_data is not None:
        rfile: RecommendationsFile | None = _validate(RecommendationsFile, rules_data, rules_path, problems)
        if rfile is not None:
            rules = list(rfile.rules)

    _check_cross_references(meta, questions, rules, clauses, rules_path, problems)
    sections = _load_clause_sections(root / CLAUSE_SECTIONS_FILE, clauses, problems)
    materials = _load_materials(root / MATERIALS_FILE, problems)
    if problems:
        raise QuestionnaireError(problems)
    loaded = Questionnaire(
        meta=meta,
        questions=tuple(q for _, q in questions if q.scored),
        context=tuple(q for _, q in questions if not q.scored),
        rules=tuple(rules),
        clauses=tuple(clauses),
        source_dir=root,
        clause_sections=sections,
        materials=materials,
    )
    if translations:
        from questionnaires.content_catalog import apply_translations  # it walks a Questionnaire: imports this

        apply_translations(loaded)
    return loaded


@lru_cache(maxsize=8)
def default_questionnaire() -> Questionnaire:
    """The shipped questionnaire, loaded once per process (it is immutable)."""
    return load_questionnaire(DEFAULT_QUESTIONNAIRE_DIR)
