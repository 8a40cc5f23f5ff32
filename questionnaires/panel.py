"""Weights from an expert panel (the GCI also asks experts, but does not take a median): each expert fills a
weights workbook, the panel's median becomes the weight of a new questionnaire version, and the spread is kept
beside it.

``template_rows`` is the workbook (one row per pillar and per question, with the current weight);
``combine`` takes the experts' filled copies and returns, per weight, the median, the lowest and highest
answer and how many experts gave one; ``write_version`` copies a questionnaire folder with those medians
as weights and a new version number (comments and layout of the YAML files kept); ``write_panel`` puts the
spread beside it (``weights_panel.csv`` in the version's folder) and ``load_panel`` reads it back, so the
Methodology page and the rank-stability view can show how much the ranking depends on that spread.
"""

from __future__ import annotations

import csv
import re
import shutil
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from questionnaires.loader import Questionnaire, QuestionnaireError, load_questionnaire
from questionnaires.messages import separator, t

FIELDS = ["kind", "id", "pillar", "name", "current_weight", "your_weight"]
PANEL_FILE = "weights_panel.csv"
PANEL_FIELDS = ["kind", "id", "median", "low", "high", "experts"]
MAX_WEIGHT = 10.0
_TOLERANCE = 1e-3  # a median as written into the YAML (``%g``) against the one in the panel file


@dataclass(frozen=True)
class PanelWeight:
    kind: str  # pillar | question
    id: str
    median: float
    low: float
    high: float
    n: int


def template_rows(questionnaire: Questionnaire, lang: str = "en") -> list[dict[str, str]]:
    """One row per pillar and per question, named in the expert's language; they fill ``your_weight`` (blank keeps
    no opinion). ``kind``, ``id`` and ``pillar`` are the keys the panel is read back by."""
    rows = [{"kind": "pillar", "id": p.id, "pillar": p.id, "name": p.name.get(lang),
             "current_weight": f"{p.weight:g}", "your_weight": ""} for p in questionnaire.pillars]
    rows += [{"kind": "question", "id": q.id, "pillar": q.pillar, "name": q.text.get(lang),
              "current_weight": f"{q.weight:g}", "your_weight": ""} for q in questionnaire.questions]
    return rows


def write_template(questionnaire: Questionnaire, path: Path, lang: str = "en") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(template_rows(questionnaire, lang))


@dataclass(frozen=True)
class PanelProblem:
    """One thing wrong in an expert's workbook: the file, the row, why (``problem.panel_<code>``)."""

    file: str
    row: int
    code: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str = "en") -> str:
        why = t(f"problem.panel_{self.code}", lang, **dict(self.values))
        return f"{self.file}{separator(':', lang)}{t('problem.at_row', lang, row=self.row)}{separator(':', lang)}{why}"

    def __str__(self) -> str:
        return self.text("en")


def read_workbook(
    path: Path, questionnaire: Questionnaire
) -> tuple[dict[tuple[str, str], float], list[PanelProblem]]:
    """One expert's weights by (kind, id), and every problem (file, row) found."""
    known = {("pillar", p.id) for p in questionnaire.pillars} | {("question", q.id) for q in questionnaire.questions}
    weights: dict[tuple[str, str], float] = {}
    problems: list[PanelProblem] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            key = (row.get("kind", ""), row.get("id", ""))
            raw = (row.get("your_weight") or "").strip().replace(",", ".")
            if not raw:
                continue
            if key not in known:
                problems.append(PanelProblem(path.name, i, "unknown", (("id", key[1]),)))
                continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(PanelProblem(path.name, i, "not_number", (("value", raw),)))
                continue
            if not 0 < value <= MAX_WEIGHT:
                problems.append(PanelProblem(path.name, i, "out_of_range", (("max", f"{MAX_WEIGHT:g}"),)))
                continue
            weights[key] = value
    return weights, problems


def combine(experts: Sequence[dict[tuple[str, str], float]]) -> list[PanelWeight]:
    """Median, lowest and highest answer and count per weight that at least one expert gave."""
    keys = sorted({k for e in experts for k in e})
    out = []
    for kind, ident in keys:
        values = [e[(kind, ident)] for e in experts if (kind, ident) in e]
        out.append(PanelWeight(kind, ident, round(statistics.median(values), 4), min(values), max(values), len(values)))
    return out


def _set_weight(text: str, ident: str, weight: float) -> str:
    # Any list indentation ("  - id:" or "- id:"), the weight a few lines below the id.
    pattern = re.compile(r"(^( *)- id: " + re.escape(ident) + r"\n(?:\2  (?!weight:).*\n)*?\2  weight: )[\d.]+", re.M)
    new, count = pattern.subn(lambda m: m.group(1) + f"{weight:g}", text, count=1)
    if count != 1:
        raise QuestionnaireError([f"no `weight:` line found for `{ident}`"])
    return new


def write_version(source: Path, target: Path, weights: Iterable[PanelWeight], version: str) -> Questionnaire:
    """Copy ``source`` to ``target`` with the panel's medians as weights and ``version``; load it to check it."""
    if target.exists():
        raise QuestionnaireError([f"{target} already exists: choose a new folder"])
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    meta = target / "questionnaire.yaml"
    text = re.sub(r"^version: .*$", f"version: {version}", meta.read_text(encoding="utf-8"), count=1, flags=re.M)
    files = {p: p.read_text(encoding="utf-8") for p in sorted((target / "questions").glob("*.yaml"))}
    for w in weights:
        if w.kind == "pillar":
            text = _set_weight(text, w.id, w.median)
            continue
        path = next((p for p, body in files.items() if re.search(r"^ *- id: " + re.escape(w.id) + r"$", body, re.M)),
                    None)
        if path is None:
            raise QuestionnaireError([f"question `{w.id}` not found in {target / 'questions'}"])
        files[path] = _set_weight(files[path], w.id, w.median)
    meta.write_text(text, encoding="utf-8")
    for path, body in files.items():
        path.write_text(body, encoding="utf-8")
    return load_questionnaire(target)


def write_panel(target: Path, weights: Iterable[PanelWeight]) -> Path:
    """The panel's spread beside the new version (``<target>/weights_panel.csv``)."""
    path = target / PANEL_FILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PANEL_FIELDS)
        writer.writerows([w.kind, w.id, f"{w.median:g}", f"{w.low:g}", f"{w.high:g}", w.n] for w in weights)
    return path


def _weight_of(questionnaire: Questionnaire, kind: str, ident: str) -> float | None:
    if kind == "pillar":
        return next((p.weight for p in questionnaire.pillars if p.id == ident), None)
    if kind == "question" and questionnaire.has_question(ident):
        return questionnaire.question(ident).weight
    return None


def load_panel(questionnaire: Questionnaire) -> list[PanelWeight] | None:
    """The panel spread shipped with this questionnaire version, or None when no panel weighed it.

    Checked like the rest of the content (problems name the file and row): every row names a pillar or
    question of this version, low <= median <= high, and the median is the version's weight, so the
    spread shown and drawn from is around the weights actually scored.
    """
    path = questionnaire.source_dir / PANEL_FILE
    if not path.exists():
        return None
    out: list[PanelWeight] = []
    problems: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            kind, ident = row.get("kind") or "", row.get("id") or ""
            where = f"{path.name}: row {i}"
            weight = _weight_of(questionnaire, kind, ident)
            if weight is None:
                problems.append(f"{where}: unknown {kind or 'kind'} `{ident}`")
                continue
            try:
                median, low, high = (float(row.get(k) or "") for k in ("median", "low", "high"))
                n = int(row.get("experts") or "")
            except ValueError:
                problems.append(f"{where}: median, low, high and experts must be numbers")
                continue
            if not 0 < low <= median <= high or n < 1:
                problems.append(f"{where}: needs 0 < low <= median <= high and at least one expert")
                continue
            if abs(median - weight) > _TOLERANCE:
                problems.append(f"{where}: the median {median:g} is not this version's weight {weight:g}")
                continue
            out.append(PanelWeight(kind, ident, median, low, high, n))
    if problems:
        raise QuestionnaireError(problems)
    return out
