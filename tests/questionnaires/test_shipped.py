"""The shipped Resolution 197 questionnaire: size, coverage, translations and generated docs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from formatting.markdown import traceability_markdown
from questionnaires import default_questionnaire

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_PATH = Path("shared") / "reference" / "res197_clauses.yaml"


def _find_reference(root: Path) -> Path:
    """The shared clause reference: ``../shared`` beside the checkout (CI clones the repository next to a copy of
    it), else in a folder further up (a git worktree nested one level deeper); the ``../shared`` path when none."""
    for folder in root.parents:
        if (folder / REFERENCE_PATH).is_file():
            return folder / REFERENCE_PATH
    return root.parent / REFERENCE_PATH


REFERENCE = _find_reference(ROOT)


def in_ci() -> bool:
    """CI services set CI=true: there a missing input is a failure, not a reason to skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


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
        message = f"shared reference not found at {REFERENCE} (expected ../shared beside the checkout)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    shipped = yaml.safe_load((q.source_dir / "clauses.yaml").read_text(encoding="utf-8"))
    assert shipped == yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


def test_the_clause_map_check_fails_in_ci_and_skips_elsewhere_when_the_reference_is_missing(
    q, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(f"{__name__}.REFERENCE", tmp_path / "absent.yaml")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="shared reference not found"):
        test_the_clause_map_is_the_shared_reference_unchanged(q)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        test_the_clause_map_is_the_shared_reference_unchanged(q)


def test_the_reference_is_found_in_shared_beside_a_clone_and_above_a_worktree(tmp_path: Path) -> None:
    reference = tmp_path / REFERENCE_PATH
    reference.parent.mkdir(parents=True)
    reference.write_text("clauses: []\n", encoding="utf-8")
    assert _find_reference(tmp_path / "clone") == reference  # CI: <dir>/clone and <dir>/shared
    assert _find_reference(tmp_path / "wt" / "branch") == reference  # a worktree one level deeper


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_traceability_doc_is_current(q, lang: str) -> None:
    doc = Path("docs") / ("traceability.md" if lang == "en" else "traceability.fr.md")
    assert doc.read_text(encoding="utf-8") == traceability_markdown(q, lang), (
        f"{doc} is stale: run `iotready questionnaire matrix --lang {lang} -o {doc}`"
    )


# --- Questionnaire 1.1.0: fidelity of the content (issue 12) -------------------------------------

def test_it_is_version_1_2_1(q) -> None:
    assert q.version == "1.2.1"  # issue 21: 1.2.0 (bases, weights, wording, three new questions), 1.2.1 (context)


@pytest.mark.parametrize(
    "question_id",
    ["ssc_ewaste", "spc_legacy_sunset", "pol_regulatory_sandbox", "pol_data_governance", "coo_res197_focal_point",
     "spc_lpwan_coverage", "v6_iot_addressing"],
)
def test_questions_the_text_does_not_state_are_practice_naming_the_aim(q, question_id: str) -> None:
    question = q.question(question_id)
    assert question.basis == "practice" and question.aim is not None
    for clause in question.clauses:  # the aim names the clauses it serves
        assert clause in question.aim.en and clause in question.aim.fr


def test_lpwan_coverage_is_no_longer_cited_to_itu_r_studies(q) -> None:
    assert not {"invites-ms-3", "instructs-br-1"} & set(q.question("spc_lpwan_coverage").clauses)


def test_every_recommendation_cites_a_clause_its_question_cites(q) -> None:
    wrong = [r.id for r in q.rules if hasattr(r.trigger, "question")
             and r.clause not in q.question(r.trigger.question).clauses]
    assert wrong == []


def test_practice_questions_weigh_at_most_2(q) -> None:
    assert [x.id for x in q.questions if x.basis == "practice" and x.weight > 2] == []


def test_pillar_weights_follow_the_documented_method(q) -> None:
    from questionnaires.weights import derived_pillar_weight

    assert {p.id: p.weight for p in q.pillars} == {p.id: derived_pillar_weight(q, p.id) for p in q.pillars}
    assert q.pillar("ipv6").weight == min(p.weight for p in q.pillars)  # preamble only ("peut-être")


def test_ipv6_is_worded_as_the_text_says_and_not_required_on_every_device(q) -> None:
    assert "driver" not in q.pillar("ipv6").description.en
    assert "may contribute" in q.pillar("ipv6").description.en
    assert "peut-être" in q.pillar("ipv6").description.fr
    addressing = q.question("v6_iot_addressing")
    assert "non-IP" in addressing.text.en and "non IP" in addressing.text.fr
    assert not q.has_question("v6_gov_websites")  # a general Internet measure that does not serve IoT


@pytest.mark.parametrize(
    ("theme", "clause"),
    [("ssc_emergency_public_safety", "considering-d"), ("ssc_rural_communities", "considering-d"),
     ("str_affordability", "considering-h"), ("coo_vertical_adoption", "recognizing-h"),
     ("coo_connect2030_res85", "recalling-a"), ("coo_connect2030_res85", "recalling-f")],
)
def test_themes_the_text_names_have_a_question(q, theme: str, clause: str) -> None:
    assert clause in q.question(theme).clauses


@pytest.mark.parametrize(
    ("question_id", "reachable_at"),
    [("v6_user_share", 50), ("spc_lpwan_coverage", 80), ("coo_itu_contributions", 4)],
)
def test_full_marks_are_within_reach_of_a_least_developed_country_doing_well(q, question_id, reachable_at) -> None:
    spec = q.question(question_id).numeric
    assert spec.score_of(reachable_at) == 1.0


def _all_texts(q, lang: str) -> list[str]:
    out = [q.meta.title.get(lang)]
    for x in q.questions:
        out += [x.text.get(lang), x.help.get(lang), x.evidence_prompt.get(lang)]
        out += [d.get(lang) for d in (x.level_descriptors or {}).values()]
    for p in q.pillars:
        out += [p.name.get(lang), p.description.get(lang)]
    out += [t.name.get(lang) for t in q.tiers] + [t.description.get(lang) for t in q.tiers]
    out += [r.action.get(lang) for r in q.rules]
    return out


def test_french_says_villes_et_communautes_intelligentes_et_durables(q) -> None:
    import re

    # The one exception is a proper name: the U4SSC initiative as the resolution names it (taking into account b).
    u4ssc = "Tous unis pour des villes intelligentes et durables"
    assert u4ssc in q.clause_map["taking-into-account-b"].text_fr
    bare = [s for s in _all_texts(q, "fr") if re.search(r"villes intelligentes", s.replace(u4ssc, ""), re.IGNORECASE)]
    assert bare == []
    assert "villes et communautés intelligentes et durables" in q.meta.title.fr


def test_english_is_spelled_with_ize_as_itu_does(q) -> None:
    import re

    ise = [s for s in _all_texts(q, "en") if re.search(r"\b\w+(?:is(?:e|es|ed|ing)|isations?)\b", s)
           and re.search(r"\b(?:organis|recognis|harmonis|authoris|prioritis|normalis|standardis)", s)]
    assert ise == []


def test_french_tier_names_read_naturally_and_in_order(q) -> None:
    # 1.1.x put "En consolidation" (tier 3) below "En progression" (tier 4), which reads inverted (issue 21, 12).
    assert [t.name.fr for t in q.tiers] == ["En construction", "En évolution", "En progression", "En consolidation",
                                             "Exemplaire"]
