"""Home: pick a Member State and a cycle, start or resume, list assessments."""

from __future__ import annotations

import pytest

from answers.document import Answer
from assessment import service
from assessment.filters import AssessmentFilter
from questionnaires.languages import REGISTRY
from questionnaires.loader import Questionnaire
from refdata import countries
from reports.background import get_task
from tests.localization import OTHER_LANGUAGES, html_tables
from tests.ui.conftest import Env, open_section, switch_language, texts


def test_empty_database_shows_guidance_and_a_link(env: Env) -> None:
    at = env.app().run()
    assert not at.exception
    assert any("No assessment yet" in i.value for i in at.info)
    assert len(at.get("page_link")) >= 1


def test_country_list_has_every_member_state_sorted_by_name_in_the_ui_language(env: Env) -> None:
    at = env.app().run()
    switch_language(at, "fr")
    box = at.selectbox(key="home.country")
    assert len(box.options) == len(countries()) == 194
    # Options are shown by localized name: Afrique du Sud before Albanie in French.
    assert box.options.index("Afrique du Sud") < box.options.index("Albanie")


def test_start_creates_an_assessment_and_opens_the_questionnaire(env: Env) -> None:
    at = env.app().run()
    at.selectbox(key="home.country").select("KEN")
    at.number_input(key="home.cycle").set_value(2025).run()
    at.button(key="home.start").click().run()
    assert not at.exception
    assert at.title[0].value == "Kenya 2025"
    assert at.query_params["assessment"]


def test_start_twice_resumes_the_same_assessment(env: Env) -> None:
    existing = env.create("KEN", 2025)
    at = env.app().run()
    at.selectbox(key="home.country").select("KEN")
    at.number_input(key="home.cycle").set_value(2025).run()
    at.button(key="home.start").click().run()
    assert at.query_params["assessment"] == existing


def test_table_lists_assessments_and_labels_illustrative_ones(env: Env) -> None:
    env.create("KEN", 2026)
    env.create("BRA", 2026, illustrative=True)
    at = env.app().run()
    table = html_tables(at)[0]
    assert set(table["Member State"]) == {"Kenya", "Brazil"}
    assert list(table.loc[table["Member State"] == "Brazil", "Data"]) == ["Illustrative (demo)"]
    assert "not official assessments" in texts(at)


def test_open_button_resumes_the_picked_assessment(env: Env) -> None:
    assessment_id = env.create("KEN", 2026)
    at = env.app().run()
    at.selectbox(key="home.pick").select(assessment_id)
    at.button(key="home.open").click().run()
    assert not at.exception
    assert at.title[0].value == "Kenya 2026"


def test_advisers_can_make_every_profile_of_a_cycle_as_a_zip(env: Env) -> None:
    env.create("KEN", 2025)
    env.create("SEN", 2025)
    at = open_section(env.app().run(), "home.bulk_open")  # drawn only while open (issue 26)
    at.button(key="home.bulk_make").click().run(timeout=120)
    assert not at.exception  # the click returns at once: the zip is made in the background
    task = get_task(at.session_state["home.bulk_task"])
    assert task is not None and task.wait(120) and task.state == "done"
    at.run()
    assert [b.proto.label for b in at.get("download_button")] == ["Download the zip"]


def test_country_search_finds_names_with_accents_when_typed_without(env: Env) -> None:
    """The picker matches typed letters against the label: "Senegal" must find "Sénégal"."""
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    box = at.selectbox(key="home.country")
    assert "Sénégal (Senegal)" in box.options
    assert "Kenya" in box.options  # a name without accents is shown as it is


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_no_member_state_name_is_followed_by_an_empty_bracket_in_any_language(lang: str) -> None:
    """Arabic, Chinese and Russian names are not Latin letters: stripped to ASCII they left "كينيا ()"."""
    from refdata import countries
    from ui.views.home import searchable_name

    labels = [searchable_name(c.iso3, lang) for c in countries()]
    assert len(labels) == 194 and not [x for x in labels if "()" in x or x.endswith("( )")]


def test_assessments_are_listed_by_name_in_the_readers_language(env: Env) -> None:
    # ISO3 order ARE < DEU < SEN; English names: Germany < Senegal < United Arab Emirates;
    # French: Allemagne < Émirats arabes unis (accent folded) < Sénégal.
    for code in ("SEN", "ARE", "DEU"):
        env.create(code, 2026)
    at = env.app().run()
    assert list(html_tables(at)[0]["Member State"]) == ["Germany", "Senegal", "United Arab Emirates"]
    assert at.selectbox(key="home.pick").options[0] == "Germany 2026"
    switch_language(at, "fr")
    assert list(html_tables(at)[0]["État Membre"]) == ["Allemagne", "Émirats arabes unis", "Sénégal"]


def test_pickers_relabel_when_the_language_changes(env: Env) -> None:
    env.create("DEU", 2026)
    at = env.app().run()
    switch_language(at, "fr")
    pick = at.selectbox(key="home.pick")
    assert pick.options == ["Allemagne 2026"]
    assert "Allemagne" in at.selectbox(key="home.country").options


def test_opening_another_assessment_starts_at_its_first_pillar_with_work_left(env: Env) -> None:
    first = env.create("KEN", 2026)
    second = env.create("SEN", 2026)
    # The second assessment has its first pillar done (pol_elements stays hidden while pol_framework is
    # "none"): it opens on the second pillar.
    env.answer(second, "pol_framework", Answer(value="none"))
    env.answer(second, "pol_city", Answer(value="yes"))
    at = env.app().run()
    at.selectbox(key="home.pick").select(first)
    at.button(key="home.open").click().run()
    assert at.subheader[0].value.startswith("1.")
    at.button(key="assess.next").click().run()
    assert at.subheader[0].value.startswith("2.")
    at.switch_page("ui/pages/home.py").run()
    at.selectbox(key="home.pick").select(second)
    at.button(key="home.open").click().run()
    assert not at.exception
    assert at.title[0].value == "Senegal 2026"
    assert at.subheader[0].value.startswith("2.")
    at.switch_page("ui/pages/home.py").run()
    at.selectbox(key="home.pick").select(first)
    at.button(key="home.open").click().run()
    assert at.subheader[0].value.startswith("1.")
def test_delete_asks_first_then_hides_the_assessment_which_stays_restorable(env: Env) -> None:
    from assessment import history

    keep = env.create("SEN", 2026)
    gone = env.create("KEN", 2026)
    at = env.app().run()
    at.selectbox(key="home.pick").select(gone).run()
    at.button(key="home.delete").click().run()
    assert not at.exception
    assert any("Delete the assessment" in m.value and "Kenya" in m.value for m in at.markdown)
    with env.session() as s:
        assert len(service.list_assessments(s, AssessmentFilter(questionnaire=env.questionnaire))) == 2  # nothing yet
    at.button(key="home.delete_confirm").click().run()
    assert not at.exception
    with env.session() as s:
        assert [r.id for r in service.list_assessments(s, AssessmentFilter(questionnaire=env.questionnaire))] == [keep]
        assert [d.id for d in history.list_deleted(s)] == [gone]
    assert any("iotready assessments restore" in m.value for m in at.success)


def test_deleting_a_handed_in_assessment_asks_for_the_reason_and_refuses_in_words_without_it(env: Env) -> None:
    from assessment import audit, history

    aid = env.create("KEN", 2026)
    with env.session() as s:
        service.submit_assessment(s, assessment_id=aid)
    at = env.app().run()
    at.selectbox(key="home.pick").select(aid).run()
    at.button(key="home.delete").click().run()
    at.button(key="home.delete_confirm").click().run()
    assert not at.exception
    assert any("say why you delete it" in e.value for e in at.error)
    with env.session() as s:
        assert history.list_deleted(s) == []
    at.text_area(key="home.delete_reason").input("Entered twice by mistake").run()
    at.button(key="home.delete_confirm").click().run()
    assert not at.exception
    with env.session() as s:
        assert [d.id for d in history.list_deleted(s)] == [aid]
        assert audit.events(s, event="delete")[0].detail["reason"] == "Entered twice by mistake"




def _on_version_1_0_0(env: Env, monkeypatch: pytest.MonkeyPatch, statuses: list[str]) -> Questionnaire:
    """Real (not illustrative) assessments on questionnaire 1.0.0, one per status; returns the current one."""
    from assessment.demo import demo_documents
    from questionnaires import default_questionnaire
    from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
    from questionnaires.versions import load_version

    new = default_questionnaire()
    old = load_version(new.id, "1.0.0", new)
    assert old is not None
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(DEFAULT_QUESTIONNAIRE_DIR))
    docs = demo_documents(old)
    with env.session() as s:
        for doc, status in zip(docs, statuses, strict=False):
            service.import_document(s, doc=doc.model_copy(update={"illustrative": False, "status": status}),
                                    questionnaire=old)
    return new


def test_an_assessment_made_on_an_earlier_version_is_upgraded_with_one_button(env, monkeypatch) -> None:
    new = _on_version_1_0_0(env, monkeypatch, ["draft"])
    at = env.app().run()
    assert not at.exception
    assert "earlier questionnaire version" in texts(at)
    at.button(key="home.upgrade").click().run()
    assert not at.exception
    assert any(f"upgraded from 1.0.0 to {new.version}" in m.value for m in at.success)
    with env.session() as s:
        (row,) = service.list_assessments(s, AssessmentFilter(questionnaire=new))
    assert row.questionnaire_version == new.version and not row.outdated


def test_a_submitted_assessment_on_an_earlier_version_is_left_as_it_is_and_home_says_why(env, monkeypatch) -> None:
    new = _on_version_1_0_0(env, monkeypatch, ["submitted"])
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "reste sur la version du questionnaire" in shown and "Rouvrir pour modification" in shown, shown
    assert not any(b.key == "home.upgrade" for b in at.button)  # nothing it could carry over
    with env.session() as s:
        (row,) = service.list_assessments(s, AssessmentFilter(questionnaire=new))
    assert row.questionnaire_version == "1.0.0"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_the_grid_writes_completeness_as_the_languages_percent_and_no_wrong_number(env: Env, lang: str) -> None:
    """Issue 12.1, then 24: Home's interactive table as displayed in each offered language: its percent ("33 %"
    in French), "–" for no score, no id, no wrong decimal mark, no English catalog text."""
    from answers.document import Answer
    from formatting.numbers import percent_suffix
    from questionnaires.messages import t
    from tests.localization import code_like_tokens, displayed, english_leaks, wrong_decimals

    answered = env.create("KEN", 2026)
    env.answer(answered, "pol_framework", Answer(value="developing"))
    env.create("BRA", 2026)
    at = env.app().run()
    switch_language(at, lang)
    at.toggle(key="home.grid").set_value(True).run()
    assert not at.exception
    table = displayed(at.dataframe[0])
    completeness = t("completeness", lang)
    assert all(v.endswith(percent_suffix(lang)) and "." not in v for v in table[completeness])
    assert at.dataframe[0].value[completeness].dtype.kind == "f"  # still numbers: the column sorts
    cells = "\n".join(str(v) for row in table.itertuples(index=False) for v in row)
    cells += "\n" + "\n".join(str(c) for c in table.columns)
    assert code_like_tokens(cells, env.questionnaire) == []
    assert wrong_decimals(cells, env.questionnaire, lang) == []
    assert english_leaks(cells, lang) == []
    assert "None" not in cells and "nan" not in cells
    if lang == "fr":
        assert all(v.endswith("\u202f%") for v in table["Complétude"])


def test_open_resumes_the_same_assessment_at_its_first_pillar_with_questions_left_in_french(env: Env) -> None:
    """Over several sittings "Ouvrir" brings the regulator back to the work left, not to the last pillar shown."""
    kenya = env.create("KEN", 2026)
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    at.selectbox(key="home.pick").select(kenya)
    assert at.button(key="home.open").label == "Ouvrir"
    at.button(key="home.open").click().run()
    assert at.subheader[0].value.startswith("1.")
    at.button(key="assess.next").click().run()  # looks at the second pillar, answers nothing there
    assert at.subheader[0].value.startswith("2.")
    at.switch_page("ui/pages/home.py").run()
    at.selectbox(key="home.pick").select(kenya)
    at.button(key="home.open").click().run()
    assert not at.exception
    assert at.title[0].value == "Kenya 2026"
    assert at.subheader[0].value.startswith("1.")  # the first pillar still has questions left


def test_a_home_rerun_asks_the_database_one_aggregate_query_only(env: Env) -> None:
    """Counts statements, not time: a rerun reads the data state once; the list and table come from caches."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    env.create("KEN", 2026)
    env.create("BRA", 2025)
    at = env.app().run()
    at.run()  # the caches are filled; the next rerun changes nothing
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        at.run()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert not at.exception
    assert set(html_tables(at)[0]["Member State"]) == {"Kenya", "Brazil"}
    assert len(statements) == 1, statements
    assert "count(" in statements[0].lower()


def test_many_handed_in_assessments_on_an_earlier_version_are_counted_in_one_line(env, monkeypatch) -> None:
    """A new version over a whole cycle: Home says how many keep their version, not one caption per country."""
    from ui.views.home import MAX_HELD_SHOWN

    n = MAX_HELD_SHOWN + 2
    _on_version_1_0_0(env, monkeypatch, ["submitted"] * n)
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception
    shown = texts(at)
    assert f"{n} évaluations sont remises et gardent leur version" in shown, shown
    assert "reste sur la version du questionnaire" not in shown  # no caption per country
    assert not any(b.key == "home.upgrade" for b in at.button)


# Issue 26: Home opens on a plain table (no data grid to load); the grid, every row, is one switch away.


def test_home_opens_on_a_plain_table_not_a_data_grid(env: Env) -> None:
    env.create("KEN", 2026)
    at = env.app().run()
    assert not at.exception
    assert not at.dataframe
    assert list(html_tables(at)[0]["Member State"]) == ["Kenya"]


def test_plain_table_shows_the_first_rows_and_says_how_many_there_are(env: Env, monkeypatch) -> None:
    monkeypatch.setattr("ui.views.home.FIRST_ROWS", 2)
    for code in ("SEN", "ARE", "DEU"):
        env.create(code, 2026)
    at = env.app().run()
    assert list(html_tables(at)[0]["Member State"]) == ["Germany", "Senegal"]
    assert "The first 2 of 3 assessments, by Member State." in texts(at)


def test_interactive_table_shows_every_row_when_turned_on(env: Env, monkeypatch) -> None:
    monkeypatch.setattr("ui.views.home.FIRST_ROWS", 2)
    for code in ("SEN", "ARE", "DEU"):
        env.create(code, 2026)
    at = env.app().run()
    at.toggle(key="home.grid").set_value(True).run()
    assert not at.exception
    assert list(at.dataframe[0].value["Member State"]) == ["Germany", "Senegal", "United Arab Emirates"]
    assert not html_tables(at)
    assert "The first 2 of" not in texts(at)


def test_plain_table_shows_what_the_interactive_one_shows(env: Env) -> None:
    """The same columns and the same cells as written in the grid (a French reader's percent, dash, score)."""
    from tests.localization import displayed

    answered = env.create("KEN", 2026)
    env.answer(answered, "pol_framework", Answer(value="developing"))
    env.create("BRA", 2026, illustrative=True)
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    plain = html_tables(at)[0]
    at.toggle(key="home.grid").set_value(True).run()
    grid = displayed(at.dataframe[0]).astype(str)
    assert list(plain.columns) == list(grid.columns)
    assert plain.values.tolist() == grid.values.tolist()
    assert "\u202f%" in plain.iloc[0]["Complétude"]


def test_plain_table_and_its_switch_are_in_french_for_a_french_reader(env: Env, monkeypatch) -> None:
    monkeypatch.setattr("ui.views.home.FIRST_ROWS", 2)
    for code in ("KEN", "BRA", "SEN"):
        env.create(code, 2026)
    at = env.app()
    at.query_params["lang"] = "fr"
    at.run()
    assert at.toggle(key="home.grid").label == "Tableau interactif"
    assert "Les 2 premières évaluations sur 3, par État Membre." in texts(at)
    assert html_tables(at)[0].columns[0] == "État Membre"
