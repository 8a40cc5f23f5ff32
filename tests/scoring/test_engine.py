"""Unit tests of the scoring rules on the small fixture questionnaire (tests/fixtures/mini)."""

from __future__ import annotations

import pytest

from answers.document import Answer
from questionnaires import load_questionnaire
from scoring import ScoringError, score
from tests.strategies import document

Q = load_questionnaire("tests/fixtures/mini")
NA = Answer(not_applicable=True, justification="Municipal matter")


def test_pillar_score_is_the_weighted_mean_of_question_scores() -> None:
    # pol_framework (w2) = developing (0.5); pol_elements (w3) = 1 of full_at 2 -> 0.5; pol_city (w1) = yes (1)
    doc = document(Q, {"pol_framework": Answer(value="developing"), "pol_elements": Answer(value=["licensing"]),
                       "pol_city": Answer(value="yes")})
    assert score(Q, doc).pillar("policy_regulation").score == pytest.approx(100 * (2 * 0.5 + 3 * 0.5 + 1) / 6)


def test_numeric_answer_scores_by_threshold() -> None:
    doc = document(Q, {"v6_users": Answer(value=49.9)})
    r = score(Q, doc)
    assert r.question("v6_users").score == 0.5


def test_overall_is_the_weighted_mean_of_pillars() -> None:
    doc = document(Q, {"v6_users": Answer(value=80), "v6_awareness": Answer(value="advanced")})
    r = score(Q, doc)
    assert r.pillar("ipv6").score == 100
    assert r.pillar("policy_regulation").score == 0
    assert r.overall == pytest.approx(100 * 1.0 / 2.5)  # ipv6 weight 1, policy 1.5


def test_not_applicable_leaves_the_denominator() -> None:
    with_na = document(Q, {"pol_framework": Answer(value="advanced"), "pol_elements": Answer(value=["a"][:0]),
                           "pol_city": NA})
    r = score(Q, with_na)
    assert r.question("pol_city").status == "not_applicable"
    assert r.pillar("policy_regulation").score == pytest.approx(100 * 2 / 5)


def test_dont_know_scores_zero_and_lowers_completeness() -> None:
    known = score(Q, document(Q, {"v6_awareness": Answer(value="none")}))
    unknown = score(Q, document(Q, {"v6_awareness": Answer(dont_know=True)}))
    assert unknown.pillar("ipv6").score == known.pillar("ipv6").score == 0
    assert unknown.pillar("ipv6").completeness < known.pillar("ipv6").completeness


def test_hidden_follow_up_is_not_asked_and_its_weight_stays_with_the_gate() -> None:
    r = score(Q, document(Q, {"pol_framework": Answer(value="none"), "pol_city": Answer(value="yes")}))
    assert r.question("pol_elements").status == "hidden"
    assert r.question("pol_framework").effective_weight == 2 + 3
    assert r.pillar("policy_regulation").score == pytest.approx(100 * 1 / 6)


def test_opening_a_gate_never_lowers_the_pillar_score() -> None:
    closed = score(Q, document(Q, {"pol_framework": Answer(value="none"), "pol_city": Answer(value="yes")}))
    opened = score(Q, document(Q, {"pol_framework": Answer(value="planned"), "pol_city": Answer(value="yes")}))
    assert opened.question("pol_elements").status == "unanswered"
    assert opened.pillar("policy_regulation").score >= closed.pillar("policy_regulation").score  # type: ignore[operator]


def test_completeness_counts_only_questions_that_are_asked() -> None:
    r = score(Q, document(Q, {"pol_framework": Answer(value="none"), "pol_city": NA}))
    assert r.pillar("policy_regulation").completeness == 1.0


def test_the_best_answer_to_every_question_gives_an_overall_of_100() -> None:
    # A pillar with nothing applicable (no score, leaves the overall) needs a questionnaire where every question
    # of a pillar allows "not applicable": tests/scoring/test_shapes.py, on tests/fixtures/shapes.
    doc = document(Q, {"v6_users": Answer(value=80), "pol_framework": Answer(value="advanced"),
                       "pol_elements": Answer(value=["licensing", "numbering"]), "pol_city": Answer(value="yes")})
    doc.answers["v6_awareness"] = Answer(value="advanced")
    assert score(Q, doc).overall == 100


def test_evidence_coverage_is_the_share_of_positive_answers_with_evidence() -> None:
    doc = document(Q, {"pol_framework": Answer(value="advanced", evidence="Decree 4/2023"),
                       "pol_city": Answer(value="yes"), "v6_users": Answer(value=0, evidence="")})
    assert score(Q, doc).evidence_coverage == 0.5


def test_target_tier_gives_gap_and_percent_to_target() -> None:
    doc = document(Q, {"v6_users": Answer(value=20)}, targets={"ipv6": "advancing", "overall": 50.0})
    r = score(Q, doc)
    ipv6 = r.pillar("ipv6")
    assert ipv6.target == 65
    assert ipv6.gap == pytest.approx(65 - ipv6.score)  # type: ignore[operator]
    assert ipv6.percent_to_target == pytest.approx(100 * ipv6.score / 65)  # type: ignore[operator]
    assert r.target == 50.0


def test_tiers_follow_the_thresholds_in_the_data() -> None:
    assert [Q.tier_for(s).id for s in (0, 24.9, 25, 45, 64.99, 65, 85, 100)] == [
        "building", "building", "evolving", "establishing", "establishing", "advancing", "role_modelling",
        "role_modelling"]


def test_scoring_refuses_answers_for_another_version() -> None:
    doc = document(Q, {}, questionnaire_version="0.0.9")
    with pytest.raises(ScoringError, match=r"version 0\.0\.9.*version 0\.1\.0"):
        score(Q, doc)


def test_scoring_refuses_out_of_range_values_naming_the_question() -> None:
    doc = document(Q, {"v6_users": Answer(value=140)})
    with pytest.raises(ScoringError, match="question `v6_users`: value: must be between 0 and 100"):
        score(Q, doc)


def test_a_refusal_reads_in_french_with_the_question_number_not_its_id() -> None:
    from questionnaires.references import question_number

    doc = document(Q, {"v6_users": Answer(value=140)})
    with pytest.raises(ScoringError) as info:
        score(Q, doc)
    (line,) = info.value.lines(Q, "fr")
    assert line.startswith(f"question {question_number(Q, 'v6_users')}\u202f: ") and "v6_users" not in line
    assert "entre 0 et 100" in line


def test_why_this_score_points_add_up_to_the_overall_score() -> None:
    doc = document(Q, {"pol_framework": Answer(value="adopted"), "v6_users": Answer(value=12)})
    r = score(Q, doc)
    assert sum(x.overall_points for x in r.questions) == pytest.approx(r.overall)
    assert sum(x.points for x in r.questions if x.pillar_id == "ipv6") == pytest.approx(r.pillar("ipv6").score)


# The wording of a refusal to score (issue 27, mutation testing): each problem in full, in English for logs and
# files, and in the reader's language with the question's number, or the document's own key when the
# questionnaire has no such question. Two problems: a value out of range, an answer to a question that does not exist.
BAD = {"v6_users": Answer(value=140), "nope": Answer(value=1)}


def test_a_refusal_to_score_lists_every_problem_in_english_under_one_heading() -> None:
    with pytest.raises(ScoringError) as info:
        score(Q, document(Q, BAD))
    assert str(info.value) == (
        "cannot score these answers:\n"
        "- question `v6_users`: value: must be between 0 and 100\n"
        "- question `nope`: id: no such question in this questionnaire"
    )
    assert info.value.problems == [
        "question `v6_users`: value: must be between 0 and 100",
        "question `nope`: id: no such question in this questionnaire",
    ]


def test_a_refusal_to_score_a_batch_names_each_problems_country_code_and_cycle_in_english() -> None:
    from scoring.batch import score_many

    with pytest.raises(ScoringError) as info:
        score_many(Q, [document(Q, {}), document(Q, BAD, country="RWA", cycle=2031)])
    assert info.value.problems == [
        "RWA 2031: question `v6_users`: value: must be between 0 and 100",
        "RWA 2031: question `nope`: id: no such question in this questionnaire",
    ]
    assert str(info.value).startswith("cannot score these answers:\n- RWA 2031: question `v6_users`: ")


def test_a_refusal_reads_each_question_by_number_and_an_unknown_one_by_its_key_in_english() -> None:
    from questionnaires.references import question_number

    with pytest.raises(ScoringError) as info:
        score(Q, document(Q, BAD))
    assert info.value.lines(Q, "en") == [
        f"question {question_number(Q, 'v6_users')}: must be between 0 and 100",
        "question `nope`: no such question in this questionnaire",
    ]


def test_a_refusal_of_a_batch_reads_with_the_countrys_name_and_cycle_first_in_french() -> None:
    from questionnaires.references import question_number
    from scoring.batch import score_many

    with pytest.raises(ScoringError) as info:
        score_many(Q, [document(Q, BAD, country="RWA", cycle=2031)])
    assert info.value.lines(Q, "fr") == [
        f"Rwanda 2031\u202f: question {question_number(Q, 'v6_users')}\u202f: doit être compris entre 0 et 100",
        "Rwanda 2031\u202f: question `nope`\u202f: cette question n'existe pas dans ce questionnaire",
    ]


def test_a_refusal_about_the_whole_document_reads_without_a_question() -> None:
    with pytest.raises(ScoringError) as info:
        score(Q, document(Q, {}, questionnaire_id="other"))
    assert info.value.lines(Q, "en") == ["answers are for `other`, this questionnaire is `mini`"]


# Mutation testing, score() (issue 27): each figure of a pillar and a question a reader sees, worked out by hand.
# ipv6 (w1): v6_users 20 % -> 0.5 (w2), v6_awareness "don't know" -> 0 (w1): 100 x (2 x 0.5) / 3 = 33.3 (evolving).
# policy (w1.5): framework "none" -> 0 carrying the hidden pol_elements (w2 + 3), city "yes" -> 1 (w1): 100 / 6.
MIXED = {"pol_framework": Answer(value="none"), "pol_city": Answer(value="yes", evidence="By-law 3"),
         "v6_users": Answer(value=20), "v6_awareness": Answer(dont_know=True)}


def test_each_pillar_counts_its_questions_by_status_hidden_ones_apart() -> None:
    r = score(Q, document(Q, {"pol_framework": Answer(value="none"), "pol_city": NA,
                               "v6_awareness": Answer(dont_know=True)}))
    counts = [(p.pillar_id, p.answered, p.not_applicable, p.dont_know, p.unanswered, p.hidden) for p in r.pillars]
    assert counts == [("policy_regulation", 1, 1, 0, 0, 1), ("ipv6", 0, 0, 1, 1, 0)]


def test_each_pillars_tier_is_the_tier_its_own_score_falls_in() -> None:
    r = score(Q, document(Q, MIXED))
    assert [(p.pillar_id, round(p.score or 0, 6), p.tier) for p in r.pillars] == [
        ("policy_regulation", round(100 / 6, 6), "building"), ("ipv6", round(100 / 3, 6), "evolving")]


def test_a_pillars_evidence_coverage_counts_only_its_answers_that_score_above_zero() -> None:
    # framework (0.5, evidence) and city (0.5, none) score above 0: 1 of 2. pol_elements, answered with nothing
    # chosen, scores 0 and has no evidence: counting it would give 1 of 3.
    r = score(Q, document(Q, {"pol_framework": Answer(value="developing", evidence="Decree 4/2023"),
                               "pol_elements": Answer(value=[]), "pol_city": Answer(value="partial")}))
    assert r.pillar("policy_regulation").evidence_coverage == 0.5


def test_a_pillar_with_no_answer_above_zero_has_no_evidence_coverage() -> None:
    r = score(Q, document(Q, {"v6_users": Answer(value=0, evidence="RIR statistics"),
                               "v6_awareness": Answer(dont_know=True)}))
    assert r.pillar("ipv6").evidence_coverage is None


def test_a_pillar_past_its_target_has_a_gap_of_zero() -> None:
    r = score(Q, document(Q, MIXED, targets={"ipv6": 10.0}))
    assert (r.pillar("ipv6").target, r.pillar("ipv6").gap) == (10.0, 0.0)


def test_a_multi_select_with_more_options_than_its_full_at_scores_one_not_more() -> None:
    # pol_elements is full at 2 options; 3 chosen is still 1, and the pillar stays at 100.
    r = score(Q, document(Q, {"pol_framework": Answer(value="advanced"), "pol_city": Answer(value="yes"),
                               "pol_elements": Answer(value=["licensing", "numbering", "security"])}))
    assert r.question("pol_elements").score == 1.0
    assert r.pillar("policy_regulation").score == 100


def test_a_closed_gate_carries_the_weight_of_every_one_of_its_follow_ups() -> None:
    # Only the shipped questionnaire has a gate with several direct follow-ups: the national strategy (w3) gates
    # four questions of weight 2; closed, it weighs 3 + 4 x 2 (the fixtures' gates have one follow-up each).
    from questionnaires import default_questionnaire

    shipped = default_questionnaire()
    r = score(shipped, document(shipped, {"str_national_strategy": Answer(value="none")}))
    assert [q.status for q in r.questions if q.question_id.startswith("str_strategy_")] == ["hidden"] * 4
    assert r.question("str_national_strategy").effective_weight == 3 + 4 * 2


def test_the_result_carries_the_documents_questionnaire_country_cycle_illustrative_flag_and_status() -> None:
    r = score(Q, document(Q, {}, country="SEN", cycle=2031, illustrative=True, status="submitted"))
    assert (r.questionnaire_id, r.questionnaire_version, r.country, r.cycle, r.illustrative, r.status) == (
        "mini", "0.1.0", "SEN", 2031, True, "submitted")


def test_each_questions_result_keeps_the_answer_it_was_scored_from() -> None:
    r = score(Q, document(Q, MIXED))
    assert [(q.question_id, q.value) for q in r.questions] == [
        ("pol_framework", "none"), ("pol_elements", None), ("pol_city", "yes"), ("v6_users", 20),
        ("v6_awareness", None)]


def test_each_questions_best_answer_is_worth_its_share_of_its_pillar_and_of_the_overall() -> None:
    # policy's share of the overall is 1.5 / 2.5 = 0.6, ipv6's 0.4.
    r = score(Q, document(Q, MIXED))
    worth = {q.question_id: (q.max_points, q.overall_max_points) for q in r.questions}
    assert worth["pol_city"] == pytest.approx((100 / 6, 0.6 * 100 / 6))
    assert worth["pol_framework"] == pytest.approx((500 / 6, 0.6 * 500 / 6))
    assert worth["v6_users"] == pytest.approx((200 / 3, 0.4 * 200 / 3))
    assert worth["pol_elements"] == (0, 0)  # hidden: its weight is the framework's


def test_a_question_alone_in_its_pillar_is_worth_all_of_its_pillars_points() -> None:
    from tests.scoring.test_shapes import STRONG_POLICY, S

    r = score(S, document(S, STRONG_POLICY))  # v6_users 10 % -> 0.5, the ipv6 pillar's only question
    v6 = r.question("v6_users")
    assert (v6.points, v6.max_points) == (50, 100)


def test_the_overall_tier_evidence_coverage_and_gap_are_those_of_the_whole_document() -> None:
    # overall = 0.6 x 16.7 + 0.4 x 33.3 = 23.3 (building); above 0: city (evidence) and v6_users (none): 1 of 2.
    r = score(Q, document(Q, MIXED, targets={"overall": 90.0}))
    assert (r.overall, r.overall_tier, r.evidence_coverage) == (pytest.approx(70 / 3), "building", 0.5)
    assert (r.target, r.gap) == (90.0, pytest.approx(90 - 70 / 3))


def test_the_overall_completeness_is_the_share_of_asked_questions_answered_or_not_applicable() -> None:
    # Asked: framework (answered), city (not applicable), v6_users (answered), v6_awareness (don't know): 3 of 4;
    # pol_elements is hidden and not asked.
    r = score(Q, document(Q, {**MIXED, "pol_city": NA}))
    assert r.completeness == 0.75


def test_a_document_with_no_answer_above_zero_has_no_overall_evidence_coverage() -> None:
    r = score(Q, document(Q, {"v6_users": Answer(value=0, evidence="RIR statistics")}))
    assert r.evidence_coverage is None


def test_an_overall_score_past_its_target_has_a_gap_of_zero() -> None:
    r = score(Q, document(Q, MIXED, targets={"overall": 20.0}))
    assert (r.target, r.gap) == (20.0, 0.0)


def test_a_target_given_to_score_as_a_tier_overrides_the_documents_own() -> None:
    r = score(Q, document(Q, MIXED, targets={"overall": 20.0, "ipv6": 10.0}),
              targets={"overall": "advancing", "ipv6": "evolving"})
    assert (r.target, r.pillar("ipv6").target) == (65, 25)


def test_a_document_where_no_pillar_scores_has_no_overall_score_tier_or_gap() -> None:
    # Only the shapes fixture's city pillar allows "not applicable" everywhere; the gates of the other two pillars
    # (pol_framework, v6_users) marked not applicable too, scored unchecked (score(check=False), as the
    # recommendations re-score), leave no pillar with an applicable question: nothing to average, so no tier.
    from tests.scoring.test_shapes import NA, S

    doc = document(S, dict.fromkeys(("pol_framework", "city_rules", "city_data", "v6_users"), NA),
                   targets={"overall": 50.0})
    r = score(S, doc, check=False)
    assert [p.score for p in r.pillars] == [None, None, None]
    assert (r.overall, r.overall_tier, r.target, r.gap) == (None, None, 50.0, None)
