"""Illustrative demo data: plausible, clearly labelled assessments of about 40 Member States over two cycles.

The answers are invented (``illustrative=True`` on every document, and the app says so): they exist to
show comparisons, trends and reports before any real data is entered. They are generated from the
questionnaire alone (its scales, thresholds, options and skip logic, never hard-coded question ids),
so they stay valid when the questionnaire changes, and from ``random.Random(seed)`` alone (no clock),
so the same seed always gives the same documents.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from itertools import pairwise

from sqlmodel import Session

from answers.consistency import inconsistencies
from answers.document import Answer, AnswersDocument, TargetValue, reason
from assessment.access import ActorLike, as_actor
from assessment.service import Forbidden, import_document, list_assessments
from questionnaires.loader import Questionnaire
from questionnaires.models import NumericSpec, Question
from refdata import countries, country

DEMO_SEED = 197
CYCLES: tuple[int, int] = (2024, 2025)
DEMO_ACTOR = "demo"
log = logging.getLogger("iotready.demo")

# About 40 Member States across the six ITU regions, with LDCs, SIDS and LLDCs among them.
DEMO_COUNTRIES: tuple[str, ...] = (
    # Africa
    "KEN", "NGA", "ZAF", "RWA", "MOZ", "MUS", "ETH", "MWI", "NER",
    # Americas
    "BRA", "MEX", "CHL", "JAM", "HTI", "BOL", "CAN",
    # Arab States
    "EGY", "ARE", "MAR", "SAU", "SDN", "BHR",
    # Asia & Pacific
    "IND", "IDN", "JPN", "KOR", "BGD", "FJI", "NPL", "VNM",
    # CIS
    "KAZ", "UZB", "ARM", "KGZ",
    # Europe
    "DEU", "FRA", "EST", "POL", "SRB", "MDA",
)

# Starting readiness by income group (0-1): richer administrations tend to have more in place.
_BASE_BY_INCOME = {"high": 0.68, "upper_middle": 0.5, "lower_middle": 0.37, "low": 0.24, "": 0.36}
_DRAFTS_IN_LATEST_CYCLE = 6

_BODIES = (
    "Ministry of ICT", "National regulatory authority", "National statistics office", "Office of the Prime Minister",
    "National CERT", "Ministry of Finance", "National standards body", "Smart city unit of the capital",
)
_DOCUMENTS = (
    "policy document", "annual report", "decree", "regulatory decision", "public consultation report",
    "national survey", "strategy implementation report", "budget law",
)
_NA_REASONS = (
    "No such arrangement exists in our legal system.",
    "Not relevant: this is handled at regional level.",
    "Does not apply to the national context (small island state).",
    "Covered by another question's framework; not separately applicable.",
)
_COMMENTS = (
    "Figures to be confirmed with the regulator before the next cycle.",
    "Under review by the inter-ministerial committee.",
    "A revised version is expected next year.",
    "Information gathered from several ministries; partial.",
    "Discussed at the national IoT stakeholder workshop.",
)


@dataclass(frozen=True)
class _Profile:
    iso3: str
    readiness: float
    pillar_offsets: dict[str, float]


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def _profile(rng: random.Random, questionnaire: Questionnaire, iso3: str) -> _Profile:
    c = country(iso3)
    base = _BASE_BY_INCOME.get(c.income_group, 0.36) - (0.04 if c.ldc else 0.0) - (0.02 if c.lldc else 0.0)
    readiness = _clamp(base + rng.gauss(0, 0.07), 0.05, 0.92)
    offsets = {p.id: rng.gauss(0, 0.1) for p in questionnaire.pillars}
    return _Profile(iso3=iso3, readiness=readiness, pillar_offsets=offsets)


def _numeric(rng: random.Random, spec: NumericSpec, level: float) -> float:
    """A value whose threshold score is about ``level``: interpolate between the thresholds."""
    points = [(t.score, t.at) for t in spec.thresholds]
    value = points[-1][1]
    if level >= points[-1][0]:
        top = min(spec.max, points[-1][1] * 1.5 if points[-1][1] > 0 else spec.max)
        value = points[-1][1] + rng.random() * (top - points[-1][1])
    else:
        for (s0, a0), (s1, a1) in pairwise(points):
            if s0 <= level < s1:
                value = a0 + (level - s0) / (s1 - s0) * (a1 - a0)
                break
    value = _clamp(value, spec.min, spec.max)
    return float(round(value)) if spec.integer else round(value, 1)


def _value(rng: random.Random, questionnaire: Questionnaire, q: Question, level: float) -> str | float | list[str]:
    if q.type == "scale":
        options = questionnaire.scales[q.scale or ""].options
        return min(options, key=lambda o: abs(float(o.score or 0.0) - level)).value
    if q.type == "numeric":
        assert q.numeric is not None
        return _numeric(rng, q.numeric, level)
    options = list(q.options or [])
    k = round(level * float(q.full_at or 1) + rng.gauss(0, 0.7))
    k = max(0, min(len(options), k))
    chosen = {o.value for o in rng.sample(options, k)}
    return [o.value for o in options if o.value in chosen]


def _improve(
    rng: random.Random, questionnaire: Questionnaire, q: Question, value: str | float | list[str], step: int
) -> str | float | list[str]:
    """``value`` moved ``step`` levels up (or down when negative), staying valid."""
    if q.type == "scale":
        options = [o.value for o in questionnaire.scales[q.scale or ""].options]
        i = options.index(str(value))
        return options[max(0, min(len(options) - 1, i + step))]
    if q.type == "numeric":
        assert q.numeric is not None and isinstance(value, float)
        spec = q.numeric
        span = spec.thresholds[-1].at - spec.thresholds[0].at
        moved = value + step * (0.1 + 0.15 * rng.random()) * span
        moved = _clamp(moved, spec.min, spec.max)
        return float(round(moved)) if spec.integer else round(moved, 1)
    assert isinstance(value, list)
    options = [o.value for o in q.options or []]
    chosen = set(value)
    if step > 0:
        missing = [o for o in options if o not in chosen]
        if missing:
            chosen.add(rng.choice(missing))
    elif chosen:
        chosen.discard(rng.choice([o for o in options if o in chosen]))
    return [o for o in options if o in chosen]


def _value_score(questionnaire: Questionnaire, q: Question, value: str | float | list[str]) -> float:
    if q.type == "scale":
        return questionnaire.scales[q.scale or ""].score_of(str(value)) or 0.0
    if q.type == "numeric":
        assert q.numeric is not None and isinstance(value, float)
        return q.numeric.score_of(value)
    assert isinstance(value, list)
    return min(1.0, len(value) / float(q.full_at or 1))


def _evidence(rng: random.Random, year: int) -> str:
    return f"{rng.choice(_BODIES)}, {rng.choice(_DOCUMENTS)} ({year - rng.randint(0, 4)}) [illustrative]"


def _visible(q: Question, answers: dict[str, Answer]) -> bool:
    if q.depends_on is None:
        return True
    parent = answers.get(q.depends_on.question)
    return parent is not None and parent.status == "answered" and str(parent.value) in q.depends_on.in_


def _fresh_answer(
    rng: random.Random, questionnaire: Questionnaire, q: Question, profile: _Profile, year: int, lift: float
) -> Answer:
    level = _clamp(profile.readiness + profile.pillar_offsets.get(q.pillar, 0.0) + lift + rng.gauss(0, 0.15))
    roll = rng.random()
    if q.allow_dont_know and roll < 0.07 * (1.0 - profile.readiness):
        return Answer(dont_know=True)
    if q.allow_na and roll > 0.92:
        return Answer(not_applicable=True, justification=rng.choice(_NA_REASONS))
    value = _value(rng, questionnaire, q, level)
    evidence = None
    if _value_score(questionnaire, q, value) > 0 and rng.random() < 0.3 + 0.5 * profile.readiness:
        evidence = _evidence(rng, year)
    comment = rng.choice(_COMMENTS) if rng.random() < 0.1 else None
    return Answer(value=value, evidence=evidence, comment=comment)


def _first_cycle(
    rng: random.Random, questionnaire: Questionnaire, profile: _Profile, year: int
) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for q in questionnaire.questions:
        if _visible(q, answers):
            answers[q.id] = _fresh_answer(rng, questionnaire, q, profile, year, lift=0.0)
    return answers


def _next_cycle(
    rng: random.Random, questionnaire: Questionnaire, profile: _Profile, year: int, before: dict[str, Answer]
) -> dict[str, Answer]:
    """Mostly better than ``before``: some answers move up a level, a few down, some don't-knows get answered."""
    answers: dict[str, Answer] = {}
    for q in questionnaire.questions:
        if not _visible(q, answers):
            continue
        prev = before.get(q.id)
        if prev is None or prev.status == "unanswered" or (prev.dont_know and rng.random() < 0.5):
            answers[q.id] = _fresh_answer(rng, questionnaire, q, profile, year, lift=0.08)
            continue
        if prev.status != "answered" or prev.value is None:
            answers[q.id] = prev
            continue
        roll = rng.random()
        step = 1 if roll < 0.4 else -1 if roll > 0.96 else 0
        value = _improve(rng, questionnaire, q, prev.value, step) if step else prev.value
        evidence = prev.evidence
        if evidence is None and _value_score(questionnaire, q, value) > 0 and rng.random() < 0.35:
            evidence = _evidence(rng, year)
        answers[q.id] = prev.model_copy(update={"value": value, "evidence": evidence})
    return answers


def _as_draft(rng: random.Random, answers: dict[str, Answer]) -> dict[str, Answer]:
    """A draft still being filled in: the later questions mostly unanswered, a few flagged for review."""
    ids = list(answers)
    cut = int(len(ids) * (0.45 + 0.4 * rng.random()))
    kept: dict[str, Answer] = {}
    for qid in ids[:cut]:
        a = answers[qid]
        kept[qid] = a.model_copy(update={"review": True}) if rng.random() < 0.05 else a
    return kept


def _targets(rng: random.Random, questionnaire: Questionnaire, profile: _Profile) -> dict[str, TargetValue]:
    tiers = questionnaire.tiers
    current = questionnaire.tier_for(100 * profile.readiness)
    index = next(i for i, t in enumerate(tiers) if t.id == current.id)
    targets: dict[str, TargetValue] = {"overall": tiers[min(len(tiers) - 1, index + 1)].id}
    pillar = rng.choice(questionnaire.pillars)
    targets[pillar.id] = float(min(100, round(100 * profile.readiness) + 20))
    return targets


def _coherent(questionnaire: Questionnaire, answers: dict[str, Answer]) -> dict[str, Answer]:
    """The answers with every consistency rule respected: a broken rule's ``then`` answer is raised to the
    least that satisfies it (no randomness, so the seed still decides everything else)."""
    fixed = dict(answers)
    for _ in range(len(questionnaire.meta.consistency) + 1):
        broken = inconsistencies(questionnaire, fixed)
        if not broken:
            break
        for rule in broken:
            cond = rule.then
            q = questionnaire.question(cond.question)
            old = fixed[cond.question]
            value: str | float | list[str]
            if cond.includes is not None:
                value = [*(old.value if isinstance(old.value, list) else []), cond.includes]
            elif q.numeric is not None:
                value = next(t.at for t in q.numeric.thresholds if t.score >= (cond.min_score or 0))
            else:
                value = next(o.value for o in questionnaire.scales[q.scale or ""].options
                             if (o.score or 0) >= (cond.min_score or 0))
            fixed[cond.question] = old.model_copy(update={"value": value})
    return fixed


def _context_figure(rng: random.Random, spec: NumericSpec, readiness: float) -> float:
    """A plausible context figure on a log scale: about 0.3 at the lowest readiness, 100 at the highest.

    Shaped on IoT connections per 100 inhabitants (a few in low-income countries, tens in high-income
    ones); any other context indicator gets the same shape clamped to its own range.
    """
    value = 10 ** (-0.7 + 3.0 * readiness + rng.gauss(0, 0.2))
    value = _clamp(value, spec.min, spec.max)
    return float(round(value)) if spec.integer else round(value, 1)


def _context_answers(
    seed: int, questionnaire: Questionnaire, profile: _Profile, kept: dict[str, Answer], draft: bool
) -> tuple[dict[str, Answer], dict[str, Answer]]:
    """The context indicators' answers for both cycles (the second grows 5-35 %).

    Drawn from a random generator of their own (seeded by the seed and the country), so adding a context
    indicator leaves every scored demo answer, hence every demo score, as it was. A draft has them only
    where it already answers some of the indicator's pillar; about one regulator in ten, more in less
    ready countries, does not collect the figure ("don't know").
    """
    rng = random.Random(f"{seed}:{profile.iso3}:context")
    first: dict[str, Answer] = {}
    second: dict[str, Answer] = {}
    for q in questionnaire.context:
        assert q.numeric is not None
        if rng.random() < 0.2 * (1.0 - profile.readiness):
            first[q.id] = second[q.id] = Answer(dont_know=True)
            continue
        value = _context_figure(rng, q.numeric, profile.readiness)
        grown = _clamp(value * (1.05 + 0.3 * rng.random()), q.numeric.min, q.numeric.max)
        later = float(round(grown)) if q.numeric.integer else round(grown, 1)
        evidence = f"National regulatory authority, market statistics ({CYCLES[0] - 1}) [illustrative]"
        first[q.id] = Answer(value=value, evidence=evidence)
        if not draft or any(other.pillar == q.pillar and other.id in kept for other in questionnaire.questions):
            second[q.id] = Answer(value=later, evidence=evidence.replace(str(CYCLES[0] - 1), str(CYCLES[1] - 1)))
    return first, second


def demo_documents(questionnaire: Questionnaire, seed: int = DEMO_SEED) -> list[AnswersDocument]:
    """Illustrative answers documents for about 40 Member States and two cycles (same seed, same documents)."""
    rng = random.Random(seed)
    known = {c.iso3 for c in countries()}
    isos = [iso for iso in DEMO_COUNTRIES if iso in known]
    drafts = set(rng.sample(isos, min(_DRAFTS_IN_LATEST_CYCLE, len(isos))))
    docs: list[AnswersDocument] = []
    for iso3 in isos:
        profile = _profile(rng, questionnaire, iso3)
        first = _coherent(questionnaire, _first_cycle(rng, questionnaire, profile, CYCLES[0]))
        second = _coherent(questionnaire, _next_cycle(rng, questionnaire, profile, CYCLES[1], first))
        is_draft = iso3 in drafts
        latest = _as_draft(rng, second) if is_draft else second
        context_first, context_latest = _context_answers(seed, questionnaire, profile, latest, is_draft)
        first, latest = {**first, **context_first}, {**latest, **context_latest}
        with_targets = rng.random() < 0.5
        for cycle, answers, status in (
            (CYCLES[0], first, "submitted"),
            (CYCLES[1], latest, "draft" if is_draft else "submitted"),
        ):
            docs.append(
                AnswersDocument(
                    questionnaire_id=questionnaire.id,
                    questionnaire_version=questionnaire.version,
                    questionnaire_hash=questionnaire.content_hash,
                    country=iso3,
                    cycle=cycle,
                    illustrative=True,
                    status="draft" if status == "draft" else "submitted",
                    targets=_targets(rng, questionnaire, profile) if with_targets and cycle == CYCLES[1] else {},
                    answers=answers,
                )
            )
    return docs


def load_demo(
    session: Session, questionnaire: Questionnaire, seed: int = DEMO_SEED, *, actor: ActorLike = DEMO_ACTOR
) -> int:
    """Import the demo documents (idempotent); return how many assessments were created or changed.

    ``actor``: who loads them (``iotready --as``): an administrator only, since they span every country;
    anyone else is refused before anything is written.

    A demo assessment already stored for another questionnaire version is left as it is (an assessment
    keeps the version it was made with), so loading the demo after an upgrade never fails ``make run``;
    the Compare page leaves such assessments out and says how many.
    """
    if actor != DEMO_ACTOR and "admin" not in as_actor(actor).roles():
        raise Forbidden(reason("svc_forbidden"))
    stale = {
        (a.country, a.cycle)
        for a in list_assessments(session)
        if a.illustrative and a.questionnaire_id == questionnaire.id
        and a.questionnaire_version != questionnaire.version
    }
    if stale:
        log.warning("%d demo assessments of another questionnaire version were kept as they are", len(stale))
    touched = 0
    for doc in demo_documents(questionnaire, seed):
        if (doc.country, doc.cycle) in stale:
            continue
        result = import_document(session, doc=doc, questionnaire=questionnaire, actor=actor)
        touched += int(result.created or result.changed > 0)
    return touched
