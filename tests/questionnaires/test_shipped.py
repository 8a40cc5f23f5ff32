"""The shipped Resolution 197 questionnaire: size, coverage, translations and generated docs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from formatting.markdown import traceability_markdown
from questionnaires import default_questionnaire

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "res197_clauses.yaml"


@pytest.fixture(scope="module")
def q():
    return default_questionnaire()


def test_it_has_between_40_and_80_questions(q) -> None:
    assert 40 <= len(q.questions) <= 80


def test_every_required_clause_is_cited(q) -> None:
    matrix = q.traceability()
    assert [c for c in q.required_clause_ids() if not matrix[c]] == []


def test_required_clauses_are_the_16_operative_ones_and_the_two_ipv6_recognitions(q) -> None:
    required = q.required_clause_ids()
    assert len(required) == 18
    assert {"recognizing-e", "recognizing-f", "instructs-bdt-3", "invites-ms-3"} <= set(required)


def test_the_four_bdt_pillars_exist(q) -> None:
    assert {"policy_regulation", "strategy", "capacity", "ipv6"} <= {p.id for p in q.pillars}


def test_every_answer_type_is_used(q) -> None:
    kinds = {x.type for x in q.questions} | {q.scales[x.scale].kind for x in q.questions if x.scale}
    assert kinds >= {"scale", "numeric", "multi", "maturity", "choice"}


def test_french_differs_from_english_in_every_question(q) -> None:
    untranslated = [x.id for x in q.questions if x.text.fr.strip() == x.text.en.strip()]
    assert untranslated == []


def test_the_clause_map_is_the_shared_reference_unchanged(q) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"shared reference not found at {REFERENCE}")
    shipped = yaml.safe_load((q.source_dir / "clauses.yaml").read_text(encoding="utf-8"))
    assert shipped == yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_traceability_doc_is_current(q, lang: str) -> None:
    doc = Path("docs") / ("traceability.md" if lang == "en" else "traceability.fr.md")
    assert doc.read_text(encoding="utf-8") == traceability_markdown(q, lang), (
        f"{doc} is stale: run `iotready questionnaire matrix --lang {lang} -o {doc}`"
    )
