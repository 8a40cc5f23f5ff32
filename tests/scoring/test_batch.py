"""The batch path gives exactly the single path's results."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire, default_questionnaire, load_questionnaire
from scoring import ScoringError, score
from scoring.batch import score_many, score_records
from tests.strategies import all_answers, document, documents

MINI = load_questionnaire("tests/fixtures/mini")


def _load(name: str) -> Questionnaire:
    return MINI if name == "mini" else default_questionnaire()


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or a == b


@pytest.mark.parametrize("name", ["mini", "shipped"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_batch_equals_single_path(name: str, data: st.DataObject) -> None:
    q = _load(name)
    docs = data.draw(st.lists(documents(q), min_size=1, max_size=12))
    frame = score_many(q, docs)
    for i, doc in enumerate(docs):
        single = score(q, doc)
        row = frame.iloc[i]
        assert _same(single.overall, row["overall"])
        assert single.overall_tier == row["overall_tier"]
        assert single.completeness == row["completeness"]
        assert single.evidence_coverage == row["evidence_coverage"]
        for p in single.pillars:
            assert _same(p.score, row[f"score_{p.pillar_id}"])
            assert p.tier == row[f"tier_{p.pillar_id}"]


def test_batch_refuses_a_document_for_another_version() -> None:
    doc = all_answers(MINI, "best").model_copy(update={"questionnaire_version": "9.9.9"})
    with pytest.raises(ScoringError, match=r"version 9\.9\.9"):
        score_many(MINI, [doc])


def test_a_batch_refusal_names_the_assessment_by_country_in_french() -> None:
    doc = all_answers(MINI, "best").model_copy(update={"questionnaire_version": "9.9.9", "country": "SEN"})
    with pytest.raises(ScoringError) as info:
        score_many(MINI, [doc])
    (line,) = info.value.lines(MINI, "fr")
    assert line.startswith(f"Sénégal {doc.cycle}\u202f: ") and "9.9.9" in line and "SEN " not in line


def test_batch_of_no_documents_is_an_empty_frame() -> None:
    frame = score_many(MINI, [])
    assert len(frame) == 0
    assert "score_ipv6" in frame.columns


def test_a_batch_row_carries_each_documents_country_cycle_illustrative_flag_and_status_in_order() -> None:
    # The single path's equality test above compares scores only; these columns identify the row.
    docs = [
        all_answers(MINI, "best").model_copy(update={"country": "RWA", "cycle": 2031, "illustrative": True}),
        all_answers(MINI, "worst").model_copy(update={"country": "SEN", "cycle": 2025, "status": "submitted"}),
    ]
    frame = score_many(MINI, docs)
    assert frame[["country", "cycle", "illustrative", "status"]].to_dict("records") == [
        {"country": "RWA", "cycle": 2031, "illustrative": True, "status": "draft"},
        {"country": "SEN", "cycle": 2025, "illustrative": False, "status": "submitted"},
    ]
    assert list(frame.columns) == [
        "country", "cycle", "illustrative", "status", "overall", "overall_tier", "completeness", "evidence_coverage",
        "score_policy_regulation", "tier_policy_regulation", "score_ipv6", "tier_ipv6",
    ]


def test_the_answer_table_has_one_row_per_document_and_question_with_status_score_evidence_and_choice() -> None:
    # answer_table is used by benchmarks/scoring.py only; the expectation is written out by hand from the fixture's
    # scales (developing = 0.5, yes = 1) and thresholds (49.9 users -> 0.5); status codes 0 answered, 1 not
    # applicable, 2 don't know, 3 unanswered; a scale answer's choice is its value, anything else has none.
    from answers.document import Answer
    from scoring.batch import answer_table
    from tests.strategies import document

    first = document(MINI, {"pol_framework": Answer(value="developing", evidence="Decree 4/2023"),
                            "pol_city": Answer(not_applicable=True, justification="Municipal matter"),
                            "v6_users": Answer(value=49.9), "v6_awareness": Answer(dont_know=True)})
    second = document(MINI, {"pol_elements": Answer(value=["licensing"]), "pol_city": Answer(value="yes")})
    table = answer_table(MINI, [first, second])
    rows = [(*row[:-1], None if pd.isna(row[-1]) else row[-1]) for row in table.itertuples(index=False)]
    assert rows == [
        (0, "pol_framework", "policy_regulation", 0, 0.5, True, "developing"),
        (0, "pol_elements", "policy_regulation", 3, 0.0, False, None),
        (0, "pol_city", "policy_regulation", 1, 0.0, False, None),
        (0, "v6_users", "ipv6", 0, 0.5, False, None),
        (0, "v6_awareness", "ipv6", 2, 0.0, False, None),
        (1, "pol_framework", "policy_regulation", 3, 0.0, False, None),
        (1, "pol_elements", "policy_regulation", 0, 0.5, False, None),
        (1, "pol_city", "policy_regulation", 0, 1.0, False, "yes"),
        (1, "v6_users", "ipv6", 3, 0.0, False, None),
        (1, "v6_awareness", "ipv6", 3, 0.0, False, None),
    ]
    assert list(table.columns) == ["doc", "question_id", "pillar_id", "status", "score", "evidence", "choice"]


def test_the_batch_path_leaves_a_pillar_with_nothing_applicable_out_of_the_overall() -> None:
    # Neither questionnaire of the equality test above can produce such a pillar; tests/fixtures/shapes can (its
    # city pillar, between the two others). policy = 75, ipv6 = 50, city none: overall (2 x 75 + 1 x 50) / 3.
    from pathlib import Path

    from answers.document import Answer
    from tests.strategies import document

    shapes = load_questionnaire(Path(__file__).resolve().parents[1] / "fixtures" / "shapes")
    na = Answer(not_applicable=True, justification="No municipal powers")
    doc = document(shapes, {"pol_framework": Answer(value="advanced"), "pol_law": Answer(value="advanced"),
                            "pol_elements": Answer(value=["licensing"]), "v6_users": Answer(value=10),
                            "city_rules": na, "city_data": na})
    row = score_many(shapes, [doc]).iloc[0]
    assert math.isnan(row["score_city"]) and row["tier_city"] is None
    assert row["overall"] == pytest.approx(200 / 3) == score(shapes, doc).overall


def _shapes_with_not_applicable(*question_ids: str, **answers: float) -> tuple[Questionnaire, AnswersDocument]:
    """The shapes questionnaire and a document marking ``question_ids`` not applicable, scored unchecked: only the
    city pillar allows "not applicable" everywhere, and these tests need whole pillars without a score."""
    from pathlib import Path

    from answers.document import Answer
    from tests.strategies import document

    shapes = load_questionnaire(Path(__file__).resolve().parents[1] / "fixtures" / "shapes")
    na = Answer(not_applicable=True, justification="Not a national matter")
    given = {qid: na for qid in question_ids} | {qid: Answer(value=v) for qid, v in answers.items()}
    return shapes, document(shapes, given)


def test_the_batch_path_gives_no_overall_when_no_pillar_scores() -> None:
    shapes, doc = _shapes_with_not_applicable("pol_framework", "city_rules", "city_data", "v6_users")
    row = score_many(shapes, [doc], check=False).iloc[0]
    assert score(shapes, doc, check=False).overall is None
    assert math.isnan(row["overall"]) and row["overall_tier"] is None


def test_the_batch_overall_of_one_scored_pillar_of_weight_one_is_that_pillars_score() -> None:
    # ipv6 (weight 1) alone scores: 10 % of users -> 50; the scored weights add up to exactly 1.
    shapes, doc = _shapes_with_not_applicable("pol_framework", "city_rules", "city_data", v6_users=10)
    row = score_many(shapes, [doc], check=False).iloc[0]
    assert row["overall"] == pytest.approx(50) == score(shapes, doc, check=False).overall


def _two_documents() -> list[AnswersDocument]:
    return [
        document(MINI, {"v6_users": Answer(value=20)}),
        document(MINI, {"pol_framework": Answer(value="adopted"),
                        "pol_city": Answer(not_applicable=True, justification="No cities.")}, country="FRA"),
    ]


def test_score_records_are_the_batch_rows_as_dicts_and_score_as_one_by_one() -> None:
    docs = _two_documents()
    records = score_records(MINI, docs)
    assert records == score_many(MINI, docs).to_dict("records")
    assert [(r["country"], r["overall"]) for r in records] == [
        (d.country, pytest.approx(score(MINI, d).overall)) for d in docs
    ]


def test_score_records_refuse_a_document_that_does_not_fit_unless_told_not_to_check() -> None:
    bad = document(MINI, {"ghost": Answer(value="yes"), "v6_users": Answer(value=20)})
    with pytest.raises(ScoringError):
        score_records(MINI, [bad])
    assert [r["country"] for r in score_records(MINI, [bad], check=False)] == ["KEN"]


def test_a_batch_scored_unchecked_skips_an_answer_to_a_question_the_questionnaire_does_not_have() -> None:
    # "ghost" comes first and is skipped, the answers after it still count: ipv6 = 100 x (2 x 1 + 1 x 1) / 3 = 100
    # (50 % of users and awareness "advanced"); policy has nothing answered: 0. Overall = 1 x 100 / (1.5 + 1) = 40.
    doc = document(MINI, {"ghost": Answer(value="yes"), "v6_users": Answer(value=50),
                          "v6_awareness": Answer(value="advanced")})
    (record,) = score_records(MINI, [doc], check=False)
    assert (record["score_ipv6"], record["score_policy_regulation"], record["overall"]) == (100, 0, 40)


def test_a_batch_scored_unchecked_scores_a_scale_answer_no_option_has_as_zero_as_the_single_path_does() -> None:
    # v6_awareness "legendary" is no option of its scale: it scores 0, so ipv6 = 100 x (2 x 1 + 1 x 0) / 3.
    doc = document(MINI, {"v6_users": Answer(value=50), "v6_awareness": Answer(value="legendary")})
    (record,) = score_records(MINI, [doc], check=False)
    assert record["score_ipv6"] == pytest.approx(200 / 3) == score(MINI, doc, check=False).pillar("ipv6").score


def test_an_answer_whose_only_evidence_is_one_attached_document_counts_as_evidence_in_a_batch() -> None:
    # Two answers score above 0 (framework "advanced", 50 % of users); only the framework has evidence, one
    # attached document and no reference typed: coverage 1 of 2.
    doc = document(MINI, {"pol_framework": Answer(value="advanced").with_documents(1), "v6_users": Answer(value=50)})
    (record,) = score_records(MINI, [doc])
    assert record["evidence_coverage"] == 0.5 == score(MINI, doc).evidence_coverage


def test_a_batch_score_exactly_at_a_tiers_minimum_is_in_that_tier() -> None:
    # ipv6 = 100 x (2 x 0 + 1 x 0.75) / 3 = 25, the minimum of "evolving" (awareness "adopted", users unanswered).
    (record,) = score_records(MINI, [document(MINI, {"v6_awareness": Answer(value="adopted")})])
    assert (record["score_ipv6"], record["tier_ipv6"]) == (25, "evolving")


def test_a_batch_score_less_than_a_point_under_a_tiers_minimum_is_in_the_tier_below() -> None:
    # policy = 100 x (2 x 0.75 + 3 x 0) / 5 = 30 (framework "adopted", its follow-up unanswered, city not
    # applicable); ipv6 = 100 x 0.5 / 3 = 16.67; overall = (1.5 x 30 + 16.67) / 2.5 = 24.67, under "evolving" (25).
    doc = document(MINI, {"pol_framework": Answer(value="adopted"),
                          "pol_city": Answer(not_applicable=True, justification="No cities."),
                          "v6_awareness": Answer(value="developing")})
    (record,) = score_records(MINI, [doc])
    assert (record["overall"], record["overall_tier"]) == (pytest.approx(74 / 3), "building")


def test_an_answer_with_evidence_but_no_value_is_unanswered_in_a_batch_and_its_evidence_not_counted() -> None:
    # Asked: framework (evidence typed, no value: unanswered, so its follow-up stays hidden), city, users (50 %),
    # awareness: 1 answered of 4. The one answer above 0 (users) has no evidence: coverage 0 of 1.
    doc = document(MINI, {"pol_framework": Answer(evidence="Draft law 3/2026"), "v6_users": Answer(value=50)})
    (record,) = score_records(MINI, [doc])
    assert (record["completeness"], record["evidence_coverage"]) == (0.25, 0.0)


def test_the_batch_path_hides_a_follow_up_of_a_hidden_follow_up_although_its_own_parent_answer_would_show_it() -> None:
    # shapes: pol_framework "none" (0) hides pol_law, whose earlier "advanced" would show pol_elements; both stay
    # hidden, the framework carries the chain's weight (1 + 2 + 3) and scores 0: policy 0. Had pol_elements been
    # shown (2 options of full_at 2: 1), policy would be 100 x 3 / (3 + 3) = 50.
    shapes, _ = _shapes_with_not_applicable()
    doc = document(shapes, {"pol_framework": Answer(value="none"), "pol_law": Answer(value="advanced"),
                            "pol_elements": Answer(value=["licensing", "numbering"]), "v6_users": Answer(value=10)})
    (record,) = score_records(shapes, [doc])
    assert (record["score_policy_regulation"], record["score_ipv6"]) == (0, 50)
    assert record["score_policy_regulation"] == score(shapes, doc).pillar("policy_regulation").score


def test_a_closed_gate_carries_the_weight_of_the_last_question_of_all_when_it_is_a_follow_up(tmp_path: Path) -> None:
    # mini with a follow-up v6_plans (weight 3) added after v6_awareness, so that it is the last question of all:
    # awareness "none" hides it and carries its weight (1 + 3); 50 % of users (weight 2) scores 1:
    # ipv6 = 100 x 2 / (2 + 4) = 33.33, as the single path gives (not 2 / 3, nor 2 / (2 + 1 + 2 x 3)).
    shutil.copytree("tests/fixtures/mini", tmp_path / "mini")
    with (tmp_path / "mini" / "questions" / "ipv6.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - id: v6_plans\n    clauses: [recognizing-f]\n    type: scale\n    scale: yes_partial_no\n"
            "    weight: 3\n    depends_on: {question: v6_awareness, in: [planned, developing, adopted, advanced]}\n"
            '    text: {en: "IPv6 plans?", fr: "Plans IPv6 ?"}\n    help: {en: Help., fr: Aide.}\n'
            "    evidence_prompt: {en: The plan., fr: Le plan.}\n"
        )
    q = load_questionnaire(tmp_path / "mini")
    assert q.questions[-1].id == "v6_plans"
    doc = document(q, {"v6_users": Answer(value=50), "v6_awareness": Answer(value="none")})
    (record,) = score_records(q, [doc])
    assert record["score_ipv6"] == pytest.approx(100 / 3) == score(q, doc).pillar("ipv6").score


def test_a_pillar_whose_applicable_weights_add_up_to_less_than_one_scores_as_the_single_path(tmp_path: Path) -> None:
    # mini with the ipv6 weights 2 and 1 made 0.5 and 0.25: 50 % of users (1) and awareness "none" (0) give
    # ipv6 = 100 x 0.5 / 0.75 = 66.67 (divided by 1 instead of 0.75 it would be 50).
    shutil.copytree("tests/fixtures/mini", tmp_path / "mini")
    path = tmp_path / "mini" / "questions" / "ipv6.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 2\n", "weight: 0.5\n")
                    .replace("weight: 1\n", "weight: 0.25\n"), encoding="utf-8")
    q = load_questionnaire(tmp_path / "mini")
    assert [x.weight for x in q.questions_in("ipv6")] == [0.5, 0.25]
    doc = document(q, {"v6_users": Answer(value=50), "v6_awareness": Answer(value="none")})
    (record,) = score_records(q, [doc])
    assert record["score_ipv6"] == pytest.approx(200 / 3) == score(q, doc).pillar("ipv6").score


def test_the_batch_frames_score_and_completeness_columns_are_numbers_not_objects() -> None:
    frame = score_many(MINI, [all_answers(MINI, "best"), all_answers(MINI, "worst")])
    numeric = ["overall", "completeness", "score_policy_regulation", "score_ipv6"]
    assert {c: str(frame[c].dtype) for c in numeric} == dict.fromkeys(numeric, "float64")


def test_a_closed_gate_in_a_batch_carries_the_weight_of_its_follow_up() -> None:
    # framework "none" (0) hides pol_elements and carries its weight: policy = 100 x 1 / (2 + 3 + 1) for city "yes".
    doc = document(MINI, {"pol_framework": Answer(value="none"), "pol_city": Answer(value="yes")})
    (record,) = score_records(MINI, [doc])
    assert record["score_policy_regulation"] == pytest.approx(100 / 6)


def _one_pillar_of_a_gate_and_its_follow_up(tmp_path: Path) -> Questionnaire:
    """mini cut down to its policy pillar without pol_city: pol_framework and its follow-up pol_elements alone."""
    import yaml

    root = tmp_path / "mini"
    shutil.copytree("tests/fixtures/mini", root)

    def edit(name: str, key: str, keep: Callable[[dict[str, Any]], bool]) -> None:
        data = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        data[key] = [item for item in data[key] if keep(item)]
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    (root / "questions" / "ipv6.yaml").unlink()
    edit("questionnaire.yaml", "pillars", lambda p: p["id"] == "policy_regulation")
    edit("questions/policy_regulation.yaml", "questions", lambda q: q["id"] != "pol_city")
    edit("recommendations.yaml", "rules", lambda r: r["id"] in ("rec_framework", "rec_elements"))
    return load_questionnaire(root)


def test_a_document_shown_a_single_question_is_complete_exactly_when_that_question_is_answered(tmp_path: Path) -> None:
    # With the gate unanswered or "none", its follow-up is hidden and the gate is the one question shown:
    # completeness 0 of 1, then 1 of 1.
    q = _one_pillar_of_a_gate_and_its_follow_up(tmp_path)
    assert [x.id for x in q.questions] == ["pol_framework", "pol_elements"]
    docs = [document(q, {}), document(q, {"pol_framework": Answer(value="none")})]
    assert [r["completeness"] for r in score_records(q, docs)] == [0.0, 1.0] == [score(q, d).completeness for d in docs]
