"""Assess: widgets by answer type, autosave, skip logic, inline errors, conflicts, resume."""

from __future__ import annotations

import re

from streamlit.proto.ButtonGroup_pb2 import ButtonGroup as ButtonGroupProto
from streamlit.testing.v1 import AppTest

from answers.document import Answer
from assessment import service
from tests.ui.conftest import Env, open_more, open_page, switch_language, texts


def assess(env: Env, assessment_id: str) -> AppTest:
    return open_page(env.app(assessment_id), "assess")


def test_without_an_assessment_the_page_points_to_home(env: Env) -> None:
    at = open_page(env.app(), "assess")
    assert not at.exception
    assert any("No assessment is open" in i.value for i in at.info)
    assert at.get("page_link")


def test_maturity_levels_show_every_descriptor(env: Env) -> None:
    at = assess(env, env.create())
    shown = list(at.radio(key="q.pol_framework.value").proto.captions)
    for level in env.questionnaire.scales["maturity5"].options:
        assert env.questionnaire.descriptor(env.questionnaire.question("pol_framework"), level.value, "en") in shown


def test_choosing_a_level_saves_it_at_once(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.radio(key="q.pol_framework.value").set_value("adopted").run()
    assert not at.exception
    assert env.saved(assessment_id, "pol_framework") == Answer(value="adopted")
    assert any("Saved at" in c.value for c in at.caption)


def test_follow_up_appears_only_when_its_gate_scores_above_zero(env: Env) -> None:
    at = assess(env, env.create())
    assert "q.pol_elements.value" not in _keys(at)
    at.radio(key="q.pol_framework.value").set_value("developing").run()
    assert "q.pol_elements.value" in _keys(at)
    at.radio(key="q.pol_framework.value").set_value("none").run()
    assert "q.pol_elements.value" not in _keys(at)


def _keys(at: AppTest) -> set[str]:
    return {str(getattr(w, "key", "")) for kind in ("button_group", "radio", "text_input") for w in at.get(kind)}


def test_multi_select_none_of_these_saves_an_empty_answer(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))
    at = assess(env, assessment_id)
    at.pills(key="q.pol_elements.value").select("__none__").run()
    assert env.saved(assessment_id, "pol_elements") == Answer(value=[])


def test_bad_number_is_reported_inline_and_the_saved_value_kept(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "v6_users", Answer(value=12.0))
    at = assess(env, assessment_id)
    at.pills(key="assess.jump").set_value("ipv6").run()
    at.text_input(key="q.v6_users.value").input("twelve").run()
    assert not at.exception
    assert any("is not a number" in e.value and "12" in e.value for e in at.error)
    assert env.saved(assessment_id, "v6_users") == Answer(value=12.0)


def test_number_out_of_range_is_refused(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.pills(key="assess.jump").set_value("ipv6").run()
    at.text_input(key="q.v6_users.value").input("140").run()
    assert any("between 0 and 100" in e.value for e in at.error)
    assert env.saved(assessment_id, "v6_users") is None


def test_decimal_comma_is_accepted(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.pills(key="assess.jump").set_value("ipv6").run()
    at.text_input(key="q.v6_users.value").input("12,5").run()
    assert env.saved(assessment_id, "v6_users") == Answer(value=12.5)


def test_malformed_url_in_evidence_is_refused_and_the_answer_kept(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="adopted", evidence="Law 12/2024"))
    at = open_more(assess(env, assessment_id), "pol_framework")
    at.text_input(key="q.pol_framework.evidence").input("https://exa mple").run()
    assert any("not a complete web address" in e.value for e in at.error)
    assert env.saved(assessment_id, "pol_framework") == Answer(value="adopted", evidence="Law 12/2024")


def test_over_long_comment_is_refused(env: Env) -> None:
    assessment_id = env.create()
    at = open_more(assess(env, assessment_id), "pol_framework")
    at.text_area(key="q.pol_framework.comment").input("x" * 10_001).run()
    assert any("too long" in e.value for e in at.error)
    assert env.saved(assessment_id, "pol_framework") is None


def test_not_applicable_needs_a_justification_before_it_is_saved(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_city", Answer(value="yes"))
    at = assess(env, assessment_id)
    at.checkbox(key="q.pol_city.na").check().run()
    # Ticking the box is not a mistake: no red error before the justification can be typed, only a
    # note that "not applicable" is saved with it, and that the saved answer stays until then.
    assert not at.error
    assert any("justification" in i.value and "Yes" in i.value for i in at.info)
    assert env.saved(assessment_id, "pol_city") == Answer(value="yes")
    at.text_input(key="q.pol_city.just").input("No municipal powers").run()
    assert env.saved(assessment_id, "pol_city") == Answer(not_applicable=True, justification="No municipal powers")
    assert not at.info


def test_an_empty_justification_sent_is_an_error(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.checkbox(key="q.pol_city.na").check().run()
    at.text_input(key="q.pol_city.just").input("x").run()
    at.text_input(key="q.pol_city.just").input("  ").run()
    assert any("justification" in e.value for e in at.error)
    assert env.saved(assessment_id, "pol_city") == Answer(not_applicable=True, justification="x")


def test_dont_know_clears_the_value(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="adopted"))
    at = assess(env, assessment_id)
    at.checkbox(key="q.pol_framework.dk").check().run()
    assert env.saved(assessment_id, "pol_framework") == Answer(dont_know=True)
    assert at.radio(key="q.pol_framework.value").value is None


def test_review_flag_and_comment_are_saved(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.checkbox(key="q.pol_framework.review").check().run()
    open_more(at, "pol_framework").text_area(key="q.pol_framework.comment").input("Check with the ministry").run()
    assert env.saved(assessment_id, "pol_framework") == Answer(review=True, comment="Check with the ministry")


def test_concurrent_change_is_not_overwritten_and_the_current_value_shown(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    env.answer(assessment_id, "pol_framework", Answer(value="advanced"))  # another tab, after this one loaded
    at.radio(key="q.pol_framework.value").set_value("planned").run()
    assert not at.exception
    assert env.saved(assessment_id, "pol_framework") == Answer(value="advanced")
    assert any("changed elsewhere" in w.value and "Implemented and reviewed" in w.value for w in at.warning)
    assert at.radio(key="q.pol_framework.value").value == "advanced"


def test_after_a_conflict_the_next_change_saves(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    env.answer(assessment_id, "pol_framework", Answer(value="advanced"))
    at.radio(key="q.pol_framework.value").set_value("planned").run()
    at.radio(key="q.pol_framework.value").set_value("developing").run()
    assert env.saved(assessment_id, "pol_framework") == Answer(value="developing")


def test_answers_survive_jumping_between_pillars(env: Env) -> None:
    at = assess(env, env.create())
    at.radio(key="q.pol_framework.value").set_value("adopted").run()
    at.button(key="assess.next").click().run()
    assert at.pills(key="assess.jump").value == "ipv6"
    at.button(key="assess.prev").click().run()
    assert at.radio(key="q.pol_framework.value").value == "adopted"


def test_a_new_session_resumes_the_saved_answers_and_pillar(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "v6_users", Answer(value=40.0))
    at = env.app(assessment_id)
    at.query_params["pillar"] = "ipv6"
    open_page(at, "assess")
    assert at.text_input(key="q.v6_users.value").value == "40"


def test_progress_counts_answered_questions(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "v6_users", Answer(value=40.0))
    at = assess(env, assessment_id)
    assert "1 of 4 questions answered" in at.get("progress")[0].proto.text


def test_progress_takes_the_french_plural(env: Env) -> None:
    """French: "0 question sur 4 répondue", "1 question …", "2 questions sur 4 répondues" (issue 13 leftover)."""
    assessment_id = env.create()
    at = assess(env, assessment_id)
    switch_language(at, "fr")
    assert at.get("progress")[0].proto.text.startswith("0 question sur 4 répondue ·")
    env.answer(assessment_id, "v6_users", Answer(value=40.0))
    env.answer(assessment_id, "pol_framework", Answer(value="adopted"))
    at = assess(env, assessment_id)  # a new session reads the saved answers
    switch_language(at, "fr")
    assert re.match(r"2 questions sur \d répondues ·", at.get("progress")[0].proto.text)  # a follow-up appears


def test_illustrative_assessment_is_labelled(env: Env) -> None:
    at = assess(env, env.create("BRA", illustrative=True))
    assert any("Illustrative" in w.value for w in at.warning)


def test_questions_and_levels_follow_the_language(env: Env) -> None:
    at = assess(env, env.create())
    switch_language(at, "fr")
    assert "Existe-t-il un cadre IoT\u202f?" in texts(at)
    assert "3 – Adopté" in at.radio(key="q.pol_framework.value").options


def test_a_language_switch_sends_the_chosen_level_again_and_saves_nothing(env: Env) -> None:
    """After a switch the browser gets each answer's value again (in the new words it is shown checked: checked in
    tests/e2e/test_browser.py); the session's value stays the saved one, and nothing is written."""
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="adopted"))
    at = assess(env, assessment_id)
    with env.session() as s:
        before = service.get_assessment(s, assessment_id).versions
    switch_language(at, "fr")
    assert not at.exception
    level = at.radio(key="q.pol_framework.value")
    assert level.value == "adopted" and level.format_func(level.value) == "3 – Adopté"
    with env.session() as s:
        assert service.get_assessment(s, assessment_id).versions == before
    assert env.saved(assessment_id, "pol_framework") == Answer(value="adopted")


def test_submitted_assessment_is_read_only_until_reopened(env: Env) -> None:
    assessment_id = env.create()
    at = assess(env, assessment_id)
    at.button(key="assess.submit").click().run()
    at.button(key="assess.confirm_submit").click().run()
    assert not at.exception
    assert any("submitted and read-only" in i.value for i in at.info)
    assert at.radio(key="q.pol_framework.value").disabled
    at.button(key="assess.reopen").click().run()
    at.radio(key="q.pol_framework.value").set_value("planned").run()
    assert env.saved(assessment_id, "pol_framework") == Answer(value="planned")


def test_select_all_keeps_the_options_and_drops_none_of_these(env: Env) -> None:
    """Every entry chosen at once (as the drop-down's "Select all" did), "None of these" included: the options win."""
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))
    at = assess(env, assessment_id)
    box = at.pills(key="q.pol_elements.value")
    box.set_value(["licensing", "numbering", "security", "__none__"]).run()
    assert env.saved(assessment_id, "pol_elements") == Answer(value=["licensing", "numbering", "security"])
    assert at.pills(key="q.pol_elements.value").value == ["licensing", "numbering", "security"]


def test_none_of_these_is_exclusive_both_ways(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))
    at = assess(env, assessment_id)
    at.pills(key="q.pol_elements.value").set_value(["licensing"]).run()
    # "None of these" added after an option replaces the options...
    at.pills(key="q.pol_elements.value").set_value(["licensing", "__none__"]).run()
    assert env.saved(assessment_id, "pol_elements") == Answer(value=[])
    assert at.pills(key="q.pol_elements.value").value == ["__none__"]
    # ... and an option added after "None of these" replaces it.
    at.pills(key="q.pol_elements.value").set_value(["__none__", "security"]).run()
    assert env.saved(assessment_id, "pol_elements") == Answer(value=["security"])
    assert at.pills(key="q.pol_elements.value").value == ["security"]


def test_submit_asks_first_and_shows_completeness_and_review_flags(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="none", review=True))
    env.answer(assessment_id, "v6_users", Answer(dont_know=True))
    at = assess(env, assessment_id)
    at.button(key="assess.submit").click().run()
    assert not at.exception
    # One click only opens the confirmation: nothing is submitted yet.
    with env.session() as s:
        assert service.get_assessment(s, assessment_id).status == "draft"
    shown = texts(at)
    # pol_elements is hidden ("none"): 4 questions asked, 1 answered; "don't know" counted apart.
    assert "**1 of 4** questions answered (25% complete)" in shown
    assert "3 questions have no answer yet, 1 of them" in shown
    assert "1 question is still marked for review" in shown
    assert "1.1 " in shown and "pol_framework" not in shown  # numbered as on the page, no internal id
    at.button(key="assess.confirm_cancel").click().run()
    with env.session() as s:
        assert service.get_assessment(s, assessment_id).status == "draft"
    at.button(key="assess.submit").click().run()
    at.button(key="assess.confirm_submit").click().run()
    assert not at.exception
    with env.session() as s:
        assert service.get_assessment(s, assessment_id).status == "submitted"
def test_a_question_history_shows_who_changed_what_and_restores_a_value(env: Env) -> None:
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="planned", evidence="Law 1"))
    env.answer(assessment_id, "pol_framework", Answer(value="adopted", evidence="Law 1"))
    at = assess(env, assessment_id)
    at.button(key="assess.history.pol_framework").click().run()
    assert not at.exception
    entries = [m.value for m in at.markdown if " → " in m.value]
    assert entries[0].endswith("**Answer**: 1 – Planned → 3 – Adopted") and "local" in entries[0]
    assert not any("pol_framework" in e for e in entries)  # labels, never ids
    restore = [b for b in at.button if b.key and b.key.startswith("assess.history.restore.")]
    planned = restore[-1]  # oldest first entry: (empty) → 1 – Planned
    planned.click().run()
    assert not at.exception
    saved = env.saved(assessment_id, "pol_framework")
    assert saved is not None and (saved.value, saved.evidence) == ("planned", "Law 1")
    assert at.radio(key="q.pol_framework.value").value == "planned"  # the widget follows




def test_contradicting_answers_show_a_warning(env, monkeypatch) -> None:
    from assessment import service
    from questionnaires import default_questionnaire
    from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR

    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(DEFAULT_QUESTIONNAIRE_DIR))
    q = default_questionnaire()
    with env.session() as s:
        view = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=q)
        for qid, value in (("pol_iot_legal_framework", "adopted"), ("pol_framework_elements", ["addressing"])):
            service.save_answer(s, assessment_id=view.id, questionnaire=q, question_id=qid,
                                answer=Answer(value=value), expected_version=0)
    at = open_page(env.app(view.id), "assess")
    assert not at.exception
    rule = next(r for r in q.meta.consistency if r.id == "framework_adopted_covers_data_protection")
    assert rule.message.en in [w.value for w in at.warning]


def test_each_question_shows_its_number_as_the_pdf_and_results_do(env: Env) -> None:
    """Issue 12.2: "1.3" on Assess is "question 1.3" of the PDF and the Results page, in either language."""
    from questionnaires.references import question_number

    at = assess(env, env.create())
    switch_language(at, "fr")
    shown = [m.value for m in at.markdown]
    q = env.questionnaire
    first = q.pillars[0]
    visible = [x for x in q.questions_in(first.id) if x.depends_on is None]
    for question in visible:
        assert any(m.startswith(f"**{question_number(q, question.id)}** {question.text.get('fr')}") for m in shown)


def test_a_questions_text_and_help_are_one_block_in_the_readers_language(env: Env) -> None:
    """Issue 26: the help, small and grey, in the question's own Markdown block (no caption element of its own)."""
    from ui.widgets import question_text

    at = assess(env, env.create())
    switch_language(at, "fr")
    q = env.questionnaire
    question = q.question("pol_framework")
    block = question_text("1.1", question.text.get("fr"), question.help.get("fr"))
    assert block in [m.value for m in at.markdown]
    assert block.endswith(f":small[:gray[{question.help.get('fr')}]]")
    assert question.help.get("fr") not in [c.value for c in at.caption]


def test_question_text_escapes_brackets_and_drops_an_empty_help() -> None:
    from ui.widgets import question_text

    assert question_text("2.1", "Q?", "See [a] b") == "**2.1** Q?\n\n:small[:gray[See \\[a\\] b]]"
    assert question_text("2.1", "Q?", "") == "**2.1** Q?"


def test_no_drop_down_on_the_assess_page(env: Env) -> None:
    """Issue 26: a selectbox or multiselect makes a fresh browser fetch the combo box's 20 script chunks. The pillar
    jump and a multiple choice are rows of toggle buttons (st.pills); the jump goes to the pillar chosen."""
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="planned"))  # its follow-up, a multiple choice, shows
    at = assess(env, assessment_id)
    assert not at.selectbox and not at.multiselect
    assert at.pills(key="q.pol_elements.value").proto.click_mode == ButtonGroupProto.ClickMode.MULTI_SELECT
    jump = at.pills(key="assess.jump")
    assert jump.proto.click_mode == ButtonGroupProto.ClickMode.SINGLE_SELECT
    assert jump.value == env.questionnaire.pillars[0].id
    jump.set_value("ipv6").run()
    assert at.pills(key="assess.jump").value == "ipv6"
    assert any(h.value.endswith(env.questionnaire.pillar("ipv6").name.get("en")) for h in at.subheader)
    # A click on the current pillar's button unselects it: the page stays on that pillar.
    at.pills(key="assess.jump").set_value(None).run()
    assert not at.exception
    assert at.pills(key="assess.jump").value == "ipv6"


def test_a_questions_flags_sit_in_one_row_not_three_columns(env: Env) -> None:
    """Don't know, not applicable and the review flag: one horizontal row per question (issue 26: st.columns drew
    four elements per question for them); the only columns left are Previous / Next."""
    at = assess(env, env.create())
    assert at.checkbox(key="q.pol_framework.review").label == "Mark for review"
    assert len(at.columns) == 2


def test_the_evidence_and_comment_boxes_are_sent_only_once_opened_and_keep_what_was_typed(env: Env) -> None:
    """Issue 26: folded, each question's two boxes were still sent (a fifth of the page's messages). Opened, they
    hold the saved texts; folded again and reopened, they still hold them (nothing is lost while folded)."""
    assessment_id = env.create()
    env.answer(assessment_id, "pol_framework", Answer(value="adopted", evidence="Law 12/2024"))
    at = assess(env, assessment_id)
    assert not [b for b in at.text_input if str(b.key).endswith(".evidence")] and not at.text_area
    open_more(at, "pol_framework")
    assert at.text_input(key="q.pol_framework.evidence").value == "Law 12/2024"
    at.text_area(key="q.pol_framework.comment").input("Ask the regulator").run()
    at.session_state["assess.more.pol_framework"] = False
    at.run()
    assert not at.text_area
    open_more(at, "pol_framework")
    assert at.text_area(key="q.pol_framework.comment").value == "Ask the regulator"
    assert env.saved(assessment_id, "pol_framework") == Answer(value="adopted", evidence="Law 12/2024",
                                                               comment="Ask the regulator")


def _handed_in(env: Env, answers: dict[str, Answer]) -> str:
    assessment_id = env.create()
    for question_id, answer in answers.items():
        env.answer(assessment_id, question_id, answer)
    with env.session() as s:
        service.submit_assessment(s, assessment_id=assessment_id)
    return assessment_id


def test_a_read_only_question_says_its_flags_in_words_and_draws_no_checkboxes(env: Env) -> None:
    """Issue 26: three greyed-out checkboxes per question said nothing a reader could act on, and were the page's
    most costly elements to draw. A handed-in assessment says the flags that are set, in the reader's language."""
    aid = _handed_in(env, {"pol_framework": Answer(dont_know=True, review=True),
                           "pol_city": Answer(not_applicable=True, justification="No city programme")})
    at = assess(env, aid)
    assert not at.exception
    assert not at.checkbox
    shown = [c.value for c in at.caption]
    assert "Don't know · Marked for review" in shown and "Not applicable" in shown
    assert at.text_input(key="q.pol_city.just").value == "No city programme"  # the reason, read-only, as before
    switch_language(at, "fr")
    assert "Ne sait pas · À revoir" in [c.value for c in at.caption]


def test_a_read_only_question_shows_only_the_sections_with_something_in_them(env: Env) -> None:
    """An empty "Evidence and comment" section or documents section offered a handed-in assessment's reader
    nothing to read or do; one with something in it is there, and the history too."""
    aid = _handed_in(env, {"pol_framework": Answer(value="adopted", evidence="Law 12/2024"),
                           "pol_city": Answer(value="no")})
    at = assess(env, aid)
    assert not at.exception
    assert [e.label for e in at.expander].count("Evidence and comment") == 1  # pol_framework's, not pol_city's
    open_more(at, "pol_framework")
    assert at.text_input(key="q.pol_framework.evidence").value == "Law 12/2024"
    assert not [e for e in at.expander if e.label == "Evidence documents"]
    assert {b.key for b in at.button} >= {"assess.history.pol_framework", "assess.history.pol_city"}


def test_a_draft_keeps_every_flag_and_section_to_fill_in(env: Env) -> None:
    at = assess(env, env.create())
    assert {c.key for c in at.checkbox} >= {"q.pol_framework.dk", "q.pol_framework.review", "q.pol_city.na"}
    assert [e.label for e in at.expander].count("Evidence and comment") == 2  # pol_elements is hidden: no level
    assert [e.label for e in at.expander].count("Evidence documents") == 2
