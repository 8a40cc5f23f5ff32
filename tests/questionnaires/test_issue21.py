"""Questionnaire 1.2.0 (issue 21): one test per finding a test can hold, on the shipped content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from answers.document import Answer
from questionnaires import default_questionnaire
from questionnaires.messages import catalog
from questionnaires.models import Question
from questionnaires.weights import counted_clause_ids, derived_pillar_weight, operative_share
from scoring import score
from tests.strategies import document

ROOT = Path(__file__).resolve().parents[2]
Q = default_questionnaire()
EN_CATALOG = catalog("en")
FR_CATALOG = catalog("fr")

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
            "neuf": 9, "dix": 10}
_FULL = {"en": re.compile(r"\b(\w+)\s+[\w-]+(?:\s+[\w-]+)?\s+gives?\s+the\s+full\s+score", re.IGNORECASE),
         "fr": re.compile(r"\b(\w+)\s+[\w-]+(?:\s+[\w-]+)?\s+donnen?t\s+la\s+note\s+maximale", re.IGNORECASE)}


def _full_at(question: Question) -> float | None:
    """The count at which the question gives the full score: a multi's ``full_at``, a numeric's first 1.0."""
    if question.type == "multi":
        return float(question.full_at or 0)
    if question.type == "numeric" and question.numeric:
        return next(t.at for t in question.numeric.thresholds if t.score == 1.0)
    return None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_help_text_naming_the_count_for_the_full_score_agrees_with_the_thresholds(lang: str) -> None:
    # 1.1.1: coo_itu_contributions said "Ten contributions give the full score"; the thresholds gave it at four.
    named = {}
    for question in Q.questions:
        found = _FULL[lang].search(question.help.get(lang))
        if found:
            word = found.group(1).lower()
            named[question.id] = float(_NUMBERS.get(word, word) if not word.isdigit() else word)
    assert "coo_itu_contributions" in named and "ssc_kpi_cities" in named  # the pattern does find them
    wrong = {qid: (n, _full_at(Q.question(qid))) for qid, n in named.items() if n != _full_at(Q.question(qid))}
    assert wrong == {}


def test_no_clause_basis_rests_only_on_recalling_items_which_only_recall_another_texts_title() -> None:
    recalling = {c.id for c in Q.clauses if c.section == "recalling"}
    # recalling-j is the one item that states content (the SDGs), not only a title
    title_only = recalling - {"recalling-j"}
    wrong = [q.id for q in Q.questions if q.basis == "clause" and set(q.clauses) <= title_only]
    assert wrong == []


def test_every_practice_basis_names_the_aim_of_each_clause_it_cites_in_both_languages() -> None:
    wrong = [(q.id, c) for q in Q.questions if q.basis == "practice" for c in q.clauses
             if q.aim is None or c not in q.aim.en or c not in q.aim.fr]
    assert wrong == []


@pytest.mark.parametrize("question_id", [
    "trs_iot_security_baseline", "trs_security_measures", "trs_cybersecurity_strategy", "trs_cirt_iot",
    "trs_data_protection", "trs_emf_limits", "std_national_mirror", "std_interop_testing", "std_national_adoption",
    "ssc_kpi_cities", "ssc_inclusion", "cap_academic_curricula", "coo_vertical_adoption",
    "pol_cross_sector_coordination", "spc_spectrum_plan_iot", "spc_iot_technologies", "spc_srd_harmonization",
])
def test_questions_the_cited_text_does_not_state_are_practice(question_id: str) -> None:
    assert Q.question(question_id).basis == "practice"


def test_instructs_bdt_3_no_longer_lifts_the_trust_pillars_weight() -> None:
    # It names neither security nor data protection (finding 6): the trust pillar rests on practice only.
    assert operative_share(Q, "trust_security") == 0.0
    assert Q.pillar("trust_security").weight == 0.75


def test_participation_in_itu_r_studies_is_the_heaviest_connectivity_question() -> None:
    # invites-ms-3 asks Member States to support studies; the plan, technologies and SRD are practice (finding 7).
    spectrum = Q.questions_in("spectrum_connectivity")
    heaviest = max(q.weight for q in spectrum)
    assert Q.question("spc_itu_r_participation").weight == heaviest
    assert [q.id for q in spectrum if q.basis == "clause"] == ["spc_itu_r_participation"]


def test_open_standards_are_promoted_or_required_where_possible() -> None:
    question = Q.question("std_open_standards_policy")
    assert "promote, or require where possible" in question.text.en
    assert "dans la mesure du possible" in question.text.fr


def test_a_technology_neutral_framework_that_authorizes_iot_counts() -> None:
    question = Q.question("pol_iot_legal_framework")
    assert "technology-neutral framework counts" in question.help.en
    assert "cadre neutre sur le plan technologique est pris en compte" in question.help.fr
    assert "silent on IoT does not count" not in question.help.en


def _rule(rule_id: str):
    return next(r for r in Q.rules if r.id == rule_id)


def test_the_ipv6_action_asks_ipv6_on_ip_based_platforms_and_keeps_non_ip_technologies() -> None:
    action = _rule("rec_ipv6_for_iot").action
    assert "IP-based" in action.en and "non-IP technologies" in action.en and "natively" not in action.en
    assert "fondés sur IP" in action.fr and "non IP" in action.fr


def test_the_ipv6_pillar_action_promotes_adoption_rather_than_making_it_a_priority() -> None:
    action = _rule("rec_pillar_ipv6").action
    assert action.en.startswith("Promote IPv6 adoption") and "priority" not in action.en
    assert action.fr.startswith("Promouvoir l'adoption de l'IPv6") and "priorité" not in action.fr


def test_the_focal_point_action_sets_up_no_reporting_channel_to_itu() -> None:
    action = _rule("rec_res197_focal_point").action
    assert "notify ITU" not in action.en and "report its progress" not in action.en
    assert "informer l'UIT" not in action.fr and "rendre compte" not in action.fr


def test_connect_2030_targets_are_national_targets_aligned_with_the_agenda() -> None:
    texts = [Q.question("coo_connect2030_res85").text, _rule("rec_connect2030_res85").action]
    assert all("its Connect 2030 targets" not in t.en and "aligned with the Connect 2030 Agenda" in t.en for t in texts)
    assert all("alignées sur le Programme Connect 2030" in t.fr for t in texts)


def test_a_country_answering_adopted_everywhere_is_not_told_it_has_measurable_results() -> None:
    # "Adopted" on every maturity question; elsewhere answers averaging 0.75 (yes and partially in turn)
    answers = {}
    for i, q in enumerate(Q.questions):
        if q.type == "scale" and q.scale == "maturity5":
            answers[q.id] = Answer(value="adopted")
        elif q.type == "scale":
            answers[q.id] = Answer(value="yes" if i % 2 else "partial")
        elif q.type == "numeric" and q.numeric:
            answers[q.id] = Answer(value=next(t.at for t in q.numeric.thresholds if t.score == 0.75))
        else:
            answers[q.id] = Answer(value=[o.value for o in (q.options or [])][: round(0.75 * (q.full_at or 1))])
    result = score(Q, document(Q, answers))
    tier = Q.tier_for(result.overall or 0.0)
    assert 65 <= (result.overall or 0.0) < 85
    assert "measurable results" not in tier.description.en and "adopted" in tier.description.en
    assert "résultats mesurables" not in tier.description.fr


def test_the_weights_description_names_exactly_the_clauses_the_computation_counts() -> None:
    counted = counted_clause_ids(Q)
    assert counted == [c.id for c in Q.clauses if c.ms_readiness] and len(counted) == 16
    methodology = (ROOT / "docs/methodology.md").read_text(encoding="utf-8")
    paragraph = methodology.split("### Weights with a method", 1)[1].split("> pillar weight", 1)[0]
    assert re.findall(r"`([a-z-]+-\d)`", paragraph.split("16 clauses have one:", 1)[1].split(".", 1)[0]) == counted
    # 1.1.1 called them "addressed to Member States": eight address ITU officials or the Union
    to_members = ("Member States", "ITU Members")
    addressed = [c.id for c in Q.clauses
                 if c.ms_readiness and str((c.model_extra or {}).get("addressee")).startswith(to_members)]
    assert len(addressed) == 8
    for text in (EN_CATALOG["ui.method.weights_help"], (ROOT / "questionnaires/weights.py").read_text(),
                 (Q.source_dir / "questionnaire.yaml").read_text(encoding="utf-8")):
        assert "clause addressed to Member States states" not in text and "operative Member-State clause" not in text
    assert all(p.weight == derived_pillar_weight(Q, p.id) for p in Q.pillars)


def test_the_gci_is_credited_only_with_what_is_taken_from_it() -> None:
    assert "as the GCI sets its weights" not in EN_CATALOG["ui.method.panel_help"]
    assert "comme l'indice GCI fixe les siens" not in FR_CATALOG["ui.method.panel_help"]


def test_french_outputs_name_smart_sustainable_cities_and_communities_and_cite_as_the_resolution_does() -> None:
    for key in ("app.subtitle", "pdf.title", "pdf.subject"):
        assert "villes et communautés intelligentes et durables" in FR_CATALOG[key], key
        assert "smart sustainable cities and communities" in EN_CATALOG[key], key
    assert "charge le Directeur du BDT, 1) à 3)" in FR_CATALOG["ui.compare.intro"]
    clause_words = [k for k, v in FR_CATALOG.items()
                    if isinstance(v, str) and re.search(r"\b[Cc]lauses?\b", re.sub(r"\{[^}]*\}", "", v))]
    assert clause_words == []  # the French text says "dispositions"


def test_french_materials_name_u4ssc_and_itu_r_66_as_the_resolution_does() -> None:
    french = {m.en: m.fr for m in Q.materials.values()}
    assert french["United for Smart Sustainable Cities (U4SSC) initiative"] == (
        "Initiative «\u202fTous unis pour des villes intelligentes et durables\u202f» (U4SSC)")
    itu_r_66 = french["Resolution ITU-R 66 (studies on wireless systems and applications for IoT)"] or ""
    assert "Études relatives aux systèmes et applications sans fil pour le développement de l'Internet des objets" in (
        itu_r_66) and itu_r_66.split("«")[1].strip(" \u202f»") in Q.clause_map["recalling-c"].text_fr


def test_the_type_approval_aim_has_devices_reach_the_market_in_french() -> None:
    aim = Q.question("pol_type_approval").aim
    assert aim is not None and "accéder au marché" in aim.fr and "mettre sur le marché" not in aim.fr


@pytest.mark.parametrize("title", [
    "L.1031 (Guideline for the development of an e-waste management system and achieving the e-waste targets of the "
    "Connect 2030 Agenda)",
    "ITU-T Study Group 5 (Environment, EMF and circular economy, study period 2025-2028)",
    "Question 1/2 (Creating smart cities and society: employing information and communication technologies for "
    "sustainable social and economic development, study period 2022-2025)",
])
def test_itu_titles_are_the_current_ones(title: str) -> None:
    assert any(title in m for r in Q.rules for m in r.materials)
    assert any(title in m for m in Q.materials)


def test_m2m_numbering_and_extraterritorial_use_have_their_own_question() -> None:
    elements = {o.value for o in Q.question("pol_framework_elements").options or []}
    assert not {"numbering", "extraterritorial_use"} & elements
    numbering = Q.question("pol_m2m_numbering")
    assert "M2M" in numbering.text.en and "extraterritorial use of numbers" in numbering.text.en


def test_affordability_is_asked_by_more_than_one_composite_question() -> None:
    assert {"str_affordability", "spc_iot_connectivity_prices", "spc_infrastructure_sharing"} <= {
        q.id for q in Q.questions if "considering-h" in q.clauses}
