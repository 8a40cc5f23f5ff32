"""Open data of published results: a Frictionless Data Package (``datapackage.json`` and CSV files).

What a statistician at a regulator or at ITU loads into their own tools: ``scores.csv`` has one row per
*published* assessment (validated by an adviser, then published; never a draft, never illustrative data)
with the overall and pillar scores and tiers; ``pillars.csv`` and ``tiers.csv`` are the codebook, in every
language the tool ships; ``datapackage.json`` describes each file's columns (a Table Schema with types,
ranges, the tier codes and the keys), the licence, the sources and the questionnaire (id, version and
content hash) the scores come from. ``frictionless validate datapackage.json`` accepts it.

Callers select the documents (:func:`assessment.service.export_documents` with ``status="published"``)
and audit the disclosure (:func:`assessment.audit.log_export`); this module only writes files.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from answers.document import AnswersDocument
from compare.frame import scores_frame
from questionnaires.loader import Questionnaire
from questionnaires.messages import languages
from refdata import country_name

PACKAGE_NAME = "iot-readiness-published-scores"
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
}
SCORE_FILE, PILLAR_FILE, TIER_FILE = "scores.csv", "pillars.csv", "tiers.csv"


def _score(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 2)


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """RFC 4180 CSV in UTF-8, an empty cell for a missing value."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buf.getvalue().encode("utf-8")


def _tier_field(name: str, title: str, questionnaire: Questionnaire) -> dict[str, Any]:
    return {"name": name, "type": "string", "title": title,
            "description": f"Tier of the {title.lower()} (codes in {TIER_FILE}); empty when not scored.",
            "constraints": {"enum": [t.id for t in questionnaire.tiers]}}


def _score_field(name: str, title: str) -> dict[str, Any]:
    return {"name": name, "type": "number", "title": title,
            "description": f"{title}, 0 to 100; empty when no question of it was answered.",
            "constraints": {"minimum": 0, "maximum": 100}}


def _scores(questionnaire: Questionnaire, docs: Sequence[AnswersDocument]) -> tuple[list[dict[str, Any]], bytes]:
    langs = list(languages())
    fields: list[dict[str, Any]] = [
        {"name": "country", "type": "string", "title": "Member State (ISO 3166-1 alpha-3)",
         "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
        *({"name": f"country_name_{lang}", "type": "string", "title": f"Member State's name ({lang})"}
          for lang in langs),
        {"name": "cycle", "type": "integer", "title": "Assessment cycle (year)", "constraints": {"required": True}},
        {"name": "questionnaire_version", "type": "string", "title": "Questionnaire version"},
        _score_field("overall_score", "Overall score"),
        _tier_field("overall_tier", "Overall tier", questionnaire),
        {"name": "completeness", "type": "number", "title": "Share of questions answered",
         "description": "0 to 1: answered questions over the questions that apply.",
         "constraints": {"minimum": 0, "maximum": 1}},
    ]
    for p in questionnaire.pillars:
        fields.append(_score_field(f"{p.id}_score", f"Score of the pillar {p.name.get('en')}"))
        fields.append(_tier_field(f"{p.id}_tier", f"Tier of the pillar {p.name.get('en')}", questionnaire))
    rows: list[list[Any]] = []
    if docs:
        frame = scores_frame(questionnaire, docs)
        for _, r in frame.sort_values(["country", "cycle"]).iterrows():
            row: list[Any] = [r["country"], *(country_name(r["country"], lang) for lang in langs), int(r["cycle"]),
                              questionnaire.version, _score(r["overall"]), r["overall_tier"] or None,
                              round(float(r["completeness"]), 4)]
            for p in questionnaire.pillars:
                row += [_score(r[f"score_{p.id}"]), r[f"tier_{p.id}"] or None]
            rows.append(row)
    return fields, _csv([f["name"] for f in fields], rows)


def _codebooks(questionnaire: Questionnaire) -> tuple[dict[str, tuple[list[dict[str, Any]], bytes]], int]:
    langs = list(languages())
    texts = [f"{kind}_{lang}" for kind in ("name", "description") for lang in langs]
    text_fields = [{"name": n, "type": "string", "title": f"{n.split('_')[0].capitalize()} ({n.split('_')[1]})"}
                   for n in texts]
    pillar_fields: list[dict[str, Any]] = [
                     {"name": "pillar", "type": "string", "title": "Pillar code (prefix of the score columns)",
                      "constraints": {"required": True, "unique": True}},
                     {"name": "weight", "type": "number", "title": "Weight in the overall score"}, *text_fields]
    pillar_rows = [[p.id, p.weight, *(getattr(p, k.split("_")[0]).get(k.split("_")[1]) for k in texts)]
                   for p in questionnaire.pillars]
    tiers = list(questionnaire.tiers)
    tier_fields: list[dict[str, Any]] = [
                   {"name": "tier", "type": "string", "title": "Tier code",
                    "constraints": {"required": True, "unique": True}},
                   {"name": "min_score", "type": "number", "title": "Lowest score of the tier (included)"},
                   {"name": "max_score", "type": "number",
                    "title": "Highest score of the tier (excluded; 100 included)"},
                   *text_fields]
    tier_rows = [[t.id, t.min_score, tiers[i + 1].min_score if i + 1 < len(tiers) else 100,
                  *(getattr(t, k.split("_")[0]).get(k.split("_")[1]) for k in texts)] for i, t in enumerate(tiers)]
    return {
        PILLAR_FILE: (pillar_fields, _csv([f["name"] for f in pillar_fields], pillar_rows)),
        TIER_FILE: (tier_fields, _csv([f["name"] for f in tier_fields], tier_rows)),
    }, len(tiers)


def _resource(name: str, path: str, title: str, fields: list[dict[str, Any]], **schema: Any) -> dict[str, Any]:
    return {"name": name, "path": path, "title": title, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": {"fields": fields, **schema}}


def open_data_package(
    questionnaire: Questionnaire, docs: Sequence[AnswersDocument], *, licence: str = "CC-BY-4.0",
    cycle: int | None = None, now: datetime | None = None,
) -> dict[str, bytes]:
    """The files of the package (name -> bytes). ``docs`` must be published, real assessments: refused otherwise."""
    if any(d.illustrative for d in docs):
        raise ValueError("illustrative assessments are never open data")
    if any(d.status != "submitted" for d in docs):  # a published one is "submitted" as a document
        raise ValueError("only published assessments are open data")
    score_fields, score_csv = _scores(questionnaire, docs)
    codebooks, _ = _codebooks(questionnaire)
    tier_key = [{"fields": [f["name"]], "reference": {"resource": "tiers", "fields": ["tier"]}}
                for f in score_fields if f["name"].endswith("_tier")]
    title, url = LICENCES[licence]
    package = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "IoT and smart sustainable cities readiness: published self-assessment scores",
        "description": (
            "Overall and pillar scores and tiers of the IoT and smart sustainable cities readiness self-assessments "
            "(ITU Plenipotentiary Resolution 197) that Member States' focal points completed, ITU advisers "
            "validated and the secretariat published. One row per Member State and cycle. Drafts, assessments "
            "under review and illustrative (demo) data are never included."
            + (f" Cycle {cycle} only." if cycle is not None else "")
        ),
        "created": (now or datetime.now(UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [{"name": licence, "title": title, "path": url}],
        "sources": [{"title": "IoT Readiness self-assessments of ITU Member States (published), scored with the "
                              f"questionnaire {questionnaire.id} {questionnaire.version}"}],
        "keywords": ["IoT", "smart sustainable cities", "ITU", "Resolution 197", "readiness"],
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version,
                          "hash": questionnaire.content_hash},
        "resources": [
            _resource("scores", SCORE_FILE, "Scores and tiers, one row per published assessment", score_fields,
                      primaryKey=["country", "cycle"], foreignKeys=tier_key, missingValues=[""]),
            _resource("pillars", PILLAR_FILE, "Codebook: the pillars", codebooks[PILLAR_FILE][0],
                      primaryKey=["pillar"]),
            _resource("tiers", TIER_FILE, "Codebook: the tiers and their score ranges", codebooks[TIER_FILE][0],
                      primaryKey=["tier"]),
        ],
    }
    return {
        "datapackage.json": (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        SCORE_FILE: score_csv,
        PILLAR_FILE: codebooks[PILLAR_FILE][1],
        TIER_FILE: codebooks[TIER_FILE][1],
    }
