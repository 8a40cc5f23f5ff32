"""Carrying a 1.0.0 assessment to the current questionnaire: nothing lost (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from answers.document import Answer, AnswersDocument
from answers.upgrade import plan_upgrade
from assessment import service
from assessment.demo import demo_documents
from assessment.upgrade import outdated_assessments, upgrade_assessment
from questionnaires import default_questionnaire
from questionnaires.versions import archived_versions, load_version
from scoring import score

NEW = default_questionnaire()
OLD = load_version(NEW.id, "1.0.0", NEW)


def test_the_1_0_0_questionnaire_stays_loadable_with_its_shipped_hash() -> None:
    assert OLD is not None and (NEW.id, "1.0.0") in archived_versions()
    assert OLD.content_hash == "fc4e82549dc0c2a1a76d8df2cdc8dcebffd2c6c8ed09000a4171780328113701"


def test_the_plan_classifies_every_question_of_both_versions() -> None:
    assert OLD is not None
    plan = plan_upgrade(OLD, NEW)
    assert plan.of("removed") == ["v6_gov_websites"]
    assert set(plan.of("new")) == {"str_affordability", "ssc_emergency_public_safety", "ssc_rural_communities",
                                   "coo_vertical_adoption", "coo_connect2030_res85",  # 1.1.0
                                   "pol_m2m_numbering", "spc_iot_connectivity_prices",  # 1.2.0
                                   "spc_infrastructure_sharing", "spc_iot_connections"}  # 1.2.1: context
    assert {"v6_user_share", "spc_lpwan_coverage", "coo_itu_contributions", "v6_iot_addressing",
            "coo_res197_focal_point"} <= set(plan.of("changed"))
    assert "pol_framework_elements" in plan.of("changed")  # 1.2.0 moved two options to pol_m2m_numbering
    assert "pol_type_approval" in plan.of("unchanged")
    ids = [c.question_id for c in plan.changes]
    assert sorted(ids) == sorted({q.id for q in OLD.all_questions} | {q.id for q in NEW.all_questions})


def _old_assessment(session: Session) -> tuple[str, AnswersDocument]:
    assert OLD is not None
    doc = demo_documents(OLD)[0].model_copy(update={"illustrative": False, "status": "draft"})
    doc.answers["v6_gov_websites"] = Answer(value=42.0, evidence="https://gov.example/ipv6")
    service.import_document(session, doc=doc, questionnaire=OLD)
    found = [a for a in service.list_assessments(session) if a.country == doc.country]
    return found[0].id, doc


def test_upgrade_keeps_unchanged_answers_flags_changed_ones_and_keeps_removed_ones_in_history(
    session: Session,
) -> None:
    assessment_id, before = _old_assessment(session)
    assert outdated_assessments(session, NEW) == [assessment_id]
    report = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)

    view = service.get_assessment(session, assessment_id)
    assert (view.questionnaire_version, view.questionnaire_hash) == (NEW.version, NEW.content_hash)
    for qid in report.kept:
        assert view.answers[qid].value == before.answers[qid].value
        assert view.answers[qid].review == before.answers[qid].review
    for qid in report.to_review:
        if qid in view.answers:
            assert view.answers[qid].review
            assert view.answers[qid].value == before.answers[qid].value
    assert "v6_gov_websites" in report.moved_to_history and "v6_gov_websites" not in view.answers
    assert set(report.to_answer) >= {"str_affordability", "coo_connect2030_res85"}
    history = service.change_log(session, assessment_id=assessment_id, question_id="v6_gov_websites")
    moved = [e for e in history if e.field == "upgrade_moved_to_history"]
    from questionnaires.messages import t as text

    for lang in ("en", "fr"):  # the History dialog names the entry in words, never by its field id
        assert text("ui.history.field.upgrade_moved_to_history", lang) != "ui.history.field.upgrade_moved_to_history"
    assert moved and moved[-1].old["value"] == 42 and moved[-1].old["evidence"] == "https://gov.example/ipv6"
    # every answer stored before is either still there or in the history
    assert set(before.answers) <= set(view.answers) | set(report.moved_to_history)
    # it scores on the new version now, and can be edited again
    score(NEW, service.get_document(session, assessment_id))
    assert outdated_assessments(session, NEW) == []


def test_upgrading_twice_changes_nothing_the_second_time(session: Session) -> None:
    assessment_id, _ = _old_assessment(session)
    upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
    log_size = len(service.change_log(session, assessment_id=assessment_id))
    again = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
    assert again.kept == again.to_review == again.moved_to_history == []
    assert len(service.change_log(session, assessment_id=assessment_id)) == log_size


def test_an_unknown_version_is_refused_with_a_message(session: Session) -> None:
    assessment_id, _ = _old_assessment(session)
    from assessment.models import Assessment

    row = session.get(Assessment, assessment_id)
    assert row is not None
    row.questionnaire_version = "0.9.0"
    session.add(row)
    session.commit()
    with pytest.raises(service.ServiceError, match=r"0\.9\.0 is not known"):
        upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)


@pytest.mark.parametrize(("steps", "says"), [
    (("submit",), "Reopen for editing"),
    (("submit", "review"), "ask the adviser to return it"),
    (("submit", "review", "validate"), "next cycle"),
    (("submit", "review", "validate", "publish"), "next cycle"),
])
def test_a_handed_in_assessment_is_left_untouched_and_the_refusal_says_what_to_do(
    session: Session, steps: tuple[str, ...], says: str
) -> None:
    assessment_id, _ = _old_assessment(session)
    for action in steps:
        service.transition(session, assessment_id=assessment_id, action=action)  # type: ignore[arg-type]
    before = service.get_assessment(session, assessment_id)
    log = len(service.change_log(session, assessment_id=assessment_id))
    with pytest.raises(service.ServiceError) as info:
        upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
    assert says in info.value.text("en") and "Kenya" in info.value.text("en")
    assert info.value.text("fr").startswith("l'évaluation Kenya ")  # the reader's language, the country's name
    after = service.get_assessment(session, assessment_id)
    assert (after.questionnaire_version, after.answers, after.version) == (
        before.questionnaire_version, before.answers, before.version)
    assert len(service.change_log(session, assessment_id=assessment_id)) == log  # nothing written


def test_a_returned_assessment_is_upgraded(session: Session) -> None:
    assessment_id, _ = _old_assessment(session)
    for action in ("submit", "review", "return"):
        service.transition(session, assessment_id=assessment_id, action=action)
    report = upgrade_assessment(session, assessment_id=assessment_id, questionnaire=NEW)
    assert report.to_version == NEW.version
    view = service.get_assessment(session, assessment_id)
    assert (view.questionnaire_version, view.status) == (NEW.version, "returned")
