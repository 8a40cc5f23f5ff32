"""Issue 20: every role's journey in multi-user mode, page by page (AppTest seeds the identity with ``at.user``).

Each test walks in French, the language the issue was walked in, and proves one of the journey's fixes: the
Review page opens the assessment its address names, empties the note after each move, says when data is
illustrative; pages offer only what the role may do and say why they are read-only; Admin names roles in words.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assessment import audit, service, users
from assessment.access import Role
from tests.ui.conftest import Env, open_section, texts
from tests.ui.test_auth import _app

NNBSP = "\u202f"


@pytest.fixture
def multi(env: Env, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.setenv("IOTREADY_MULTI_USER", "1")
    return env


def _invite(env: Env, email: str, role: str, country: str | None = None, pillars: list[str] | None = None) -> None:
    with env.session() as s:
        users.invite(s, email=email, role=role, country=country, pillars=pillars)


def _french(env: Env, email: str, page: str, *, assessment: str | None = None, sub: str | None = None) -> AppTest:
    """``email``'s app in French, on ``ui/pages/<page>.py`` (with ``?assessment=`` when given)."""
    at = _app(env, email=email, sub=sub or f"sub-{email}")
    at.query_params["lang"] = "fr"
    if assessment is not None:
        at.query_params["assessment"] = assessment
    at.run()
    at.switch_page(f"ui/pages/{page}.py")
    if assessment is not None:
        at.query_params["assessment"] = assessment
    return at.run()


def _picker(at: AppTest) -> Any:
    """The Review page's assessment picker (its key carries the labels, so it is found by its prefix)."""
    return next(b for b in at.selectbox if str(b.key).startswith("review.pick."))


def _submitted(env: Env, *countries: str, illustrative: bool = False) -> list[str]:
    ids = [env.create(c, illustrative=illustrative) for c in countries]
    with env.session() as s:
        for i in ids:
            service.submit_assessment(s, assessment_id=i)
    return ids


# --- Point 2: the address decides, the country stays named ------------------------------------------------------


def test_review_opens_the_assessment_the_address_names_not_the_first_in_the_picker(multi: Env) -> None:
    """Ethiopia sorts before Kenya: /review?assessment=<Kenya> opened Ethiopia, and queries went there."""
    eth, ken = _submitted(multi, "ETH", "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    assert not at.exception
    assert at.title[0].value == f"Examen et validation{NNBSP}: Kenya 2026"
    assert at.button(key="review.add.v6_users").label == "Ajouter la question pour Kenya"
    at.text_area(key="review.new.v6_users").set_value("Quelle enquête ?")
    at.button(key="review.add.v6_users").click().run()
    with multi.session() as s:
        from assessment import review

        assert [th.question_id for th in review.threads(s, assessment_id=ken)] == ["v6_users"]
        assert review.threads(s, assessment_id=eth) == []


def test_review_keeps_the_pick_in_the_address_so_a_reload_opens_the_same_country(multi: Env) -> None:
    eth, ken = _submitted(multi, "ETH", "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review")
    assert "Éthiopie" in at.title[0].value
    _picker(at).set_value(ken).run()
    assert at.query_params["assessment"] in ([ken], ken)
    assert "Kenya" in at.title[0].value
    assert eth


# --- Point 4: each move starts with an empty note ------------------------------------------------------------------


def test_the_review_note_is_emptied_after_each_move_so_publish_never_carries_the_validate_note(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    at.button(key="review.do.review").click().run()
    assert at.text_input(key="review.note").value == ""
    at.text_input(key="review.note").set_value("chiffres vérifiés")
    at.button(key="review.do.validate").click().run()
    assert not at.exception
    assert at.text_input(key="review.note").value == ""
    at.button(key="review.do.publish").click().run()
    with multi.session() as s:
        notes = [e.detail.get("note") for e in audit.events(s, event="status")]
        assert service.get_assessment(s, ken).status == "published"
    assert sorted(n or "" for n in notes[:2]) == ["", "chiffres vérifiés"], notes


# --- Point 7 (the Review half): illustrative data is said to be illustrative --------------------------------------


def test_review_says_an_illustrative_assessment_is_illustrative(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN", illustrative=True)
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    assert not at.exception
    assert any("Données illustratives" in w.value for w in at.warning), texts(at)
    assert "illustrati" in _picker(at).format_func(ken).lower()


def test_review_offers_no_publish_for_illustrative_data_and_says_why(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN", illustrative=True)
    _invite(multi, "adv@itu.example", "adviser")
    with multi.session() as s:
        for action in ("review", "validate"):
            service.transition(s, assessment_id=ken, action=action)
    at = _french(multi, "adv@itu.example", "review", assessment=ken)
    assert not at.exception
    assert at.button(key="review.do.publish").disabled
    assert any("jamais publiées" in c.value for c in at.caption), texts(at)


# --- Point 5: only what the role may do is offered ----------------------------------------------------------------


def test_a_focal_point_may_start_assessments_for_their_own_country_only_already_chosen(multi: Env) -> None:
    _invite(multi, "fp@ken.example", "focal_point", "KEN")
    at = _french(multi, "fp@ken.example", "home")
    assert not at.exception
    country = at.selectbox(key="home.country")
    assert country.options == ["Kenya"] and country.value == "KEN"
    assert not at.button(key="home.start").disabled


@pytest.mark.parametrize("role", ["viewer", "contributor", "adviser"])
def test_a_role_that_starts_nothing_is_offered_no_start_and_reads_why(multi: Env, role: str) -> None:
    _invite(multi, "x@example.org", role, None if role == "adviser" else "KEN")
    at = _french(multi, "x@example.org", "home")
    assert not at.exception
    assert not [b for b in at.button if b.key == "home.start"]
    assert any("Votre rôle ne permet pas de commencer une évaluation" in i.value for i in at.info), texts(at)
    assert "Chaque réponse est enregistrée" not in texts(at)


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_targets_are_shown_disabled_with_the_reason_to_who_may_not_set_them(multi: Env, role: str) -> None:
    ken = multi.create("KEN")
    from answers.document import Answer

    multi.answer(ken, "v6_users", Answer(value=12.5))
    _invite(multi, "x@example.org", role, "KEN")
    at = _french(multi, "x@example.org", "results", assessment=ken)
    assert not at.exception, texts(at)
    at = open_section(at, "results.targets.open")  # drawn only while open (issue 26)
    targets = [b for b in at.selectbox if str(b.key).startswith("results.target.")]
    assert targets and all(b.disabled for b in targets)
    assert any("Les objectifs sont en lecture seule pour vous" in i.value for i in at.info), texts(at)
    assert "enregistrés immédiatement" not in texts(at)


# --- Point 11: read-only pages say why, and promise no saving -------------------------------------------------------


def test_a_viewer_reads_why_assess_is_read_only_and_no_every_change_is_saved(multi: Env) -> None:
    ken = multi.create("KEN")
    _invite(multi, "v@ken.example", "viewer", "KEN")
    at = _french(multi, "v@ken.example", "assess", assessment=ken)
    assert not at.exception
    assert any("Votre rôle est celui de lecteur (Kenya)" in i.value for i in at.info), texts(at)
    assert "Chaque modification est enregistrée" not in texts(at)


def test_a_contributor_reads_why_another_pillar_is_read_only(multi: Env) -> None:
    ken = multi.create("KEN")
    q = multi.questionnaire
    mine, other = q.pillars[1].id, q.pillars[0].id
    _invite(multi, "c@ken.example", "contributor", "KEN", pillars=[mine])
    at = _french(multi, "c@ken.example", "assess", assessment=ken)
    assert not at.exception
    at.pills(key="assess.jump").set_value(other).run()
    assert any("Ce pilier est en lecture seule pour vous" in i.value and q.pillar(mine).name.get("fr") in i.value
               for i in at.info), texts(at)
    assert "Chaque modification est enregistrée" in texts(at)  # their own pillar is editable: the promise holds


def test_an_adviser_on_assess_reads_that_the_focal_point_withdraws_not_reopen_yourself(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "assess", assessment=ken)
    assert not at.exception
    assert any("le point focal du pays peut retirer la soumission" in i.value for i in at.info), texts(at)
    assert "Chaque modification est enregistrée" not in texts(at)


def test_a_viewer_of_a_returned_assessment_reads_why_it_is_read_only(multi: Env) -> None:
    (ken,) = _submitted(multi, "KEN")
    with multi.session() as s:
        service.transition(s, assessment_id=ken, action="review")
        service.transition(s, assessment_id=ken, action="return")
    _invite(multi, "v@ken.example", "viewer", "KEN")
    at = _french(multi, "v@ken.example", "assess", assessment=ken)
    assert any("Votre rôle est celui de lecteur" in i.value for i in at.info), texts(at)
    assert "Chaque modification est enregistrée" not in texts(at)


# --- Point 12: Admin ------------------------------------------------------------------------------------------------


def test_admin_preselects_the_focal_points_only_country(multi: Env) -> None:
    _invite(multi, "fp@ken.example", "focal_point", "KEN")
    at = _french(multi, "fp@ken.example", "admin")
    assert not at.exception
    assert at.selectbox(key="admin.country").value == "KEN"
    assert at.selectbox(key="admin.country").options == ["Kenya"]


def test_admin_errors_name_roles_in_words_not_ids(multi: Env) -> None:
    _invite(multi, "admin@itu.example", "admin")
    at = _french(multi, "admin@itu.example", "admin")
    at.text_input(key="admin.email").set_value("new@ken.example")
    at.selectbox(key="admin.role").set_value("focal_point")
    at.button(key="FormSubmitter:admin.invite-Inviter").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "«\u202fPoint focal\u202f»" in error and "focal_point" not in error, error


def test_admin_revoke_picker_picks_no_grant_until_the_reader_does(multi: Env) -> None:
    _invite(multi, "admin@itu.example", "admin")
    _invite(multi, "v@ken.example", "viewer", "KEN")
    at = _french(multi, "admin@itu.example", "admin")
    assert at.selectbox(key="admin.revoke_pick").value is None
    assert at.button(key="admin.revoke").disabled


def test_a_viewer_is_not_told_to_change_answers_to_meet_open_queries(multi: Env) -> None:
    """The queries box said "change the answers on this page… then submit again" to a viewer who may not."""
    (ken,) = _submitted(multi, "KEN")
    with multi.session() as s:
        from assessment import review

        service.transition(s, assessment_id=ken, action="review")
        review.add_comment(s, assessment_id=ken, question_id="v6_users", body="Source ?")
        service.transition(s, assessment_id=ken, action="return")
    _invite(multi, "v@ken.example", "viewer", "KEN")
    at = _french(multi, "v@ken.example", "assess", assessment=ken)
    assert "Source ?" in texts(at)
    assert "Modifiez les réponses sur cette page" not in texts(at)


@pytest.mark.parametrize("role", ["viewer", "adviser"])
def test_a_role_that_imports_nothing_gets_no_upload_box_and_reads_why(multi: Env, role: str) -> None:
    """A viewer could upload a workbook, only to be refused once it was checked."""
    _invite(multi, "x@example.org", role, None if role == "adviser" else "KEN")
    at = _french(multi, "x@example.org", "exchange")
    assert not at.exception
    assert any("Votre rôle ne permet pas d'importer des réponses par fichier" in i.value for i in at.info), texts(at)
    assert not at.get("file_uploader")


def test_a_contributor_keeps_the_upload_box(multi: Env) -> None:
    _invite(multi, "c@ken.example", "contributor", "KEN", pillars=["ipv6"])
    at = _french(multi, "c@ken.example", "exchange")
    assert at.get("file_uploader") and "Votre rôle ne permet pas d'importer" not in texts(at)


# --- Point 6 on the page: Results says where the assessment stands -------------------------------------------------


def test_results_say_validated_by_whom_and_published_in_french(multi: Env) -> None:
    from assessment.access import Actor, Grant

    (ken,) = _submitted(multi, "KEN")
    adviser = Actor(name="adv@itu.example", grants=(Grant("adviser"),))
    with multi.session() as s:
        for action in ("review", "validate", "publish"):
            service.transition(s, assessment_id=ken, action=action, actor=adviser)
    _invite(multi, "v@ken.example", "viewer", "KEN")
    at = _french(multi, "v@ken.example", "results", assessment=ken)
    assert not at.exception
    shown = texts(at).replace("\u202f", " ")
    assert "Statut : publié le" in shown and "validé par adv@itu.example le" in shown, shown


# --- Point 5 (the menu): Review is offered as "Review" only to who may review --------------------------------------


@pytest.mark.parametrize(("role", "entry"), [
    ("adviser", "Examen"), ("admin", "Examen"), ("focal_point", "Soumission et questions"),
    ("contributor", "Questions du conseiller"), ("viewer", None),
])
def test_the_menu_says_review_only_to_who_may_review(multi: Env, role: Role, entry: str | None) -> None:
    """A contributor and a viewer saw « Examen » in the menu, though the matrix gives them no review."""
    from assessment.access import Actor, Grant
    from questionnaires.messages import t
    from ui.pages import PAGES, REVIEW, visible_pages

    country = None if role in ("adviser", "admin") else "KEN"
    actor = Actor(name="x", grants=(Grant(role, country),))
    shown = [p for p in visible_pages(PAGES, actor, True) if p.url_path == REVIEW.url_path]
    assert [t(p.title_key, "fr") for p in shown] == ([entry] if entry else [])
    assert ([t(p.title_key, "en") for p in shown] == ["Review"]) == (role in ("adviser", "admin"))


@pytest.mark.parametrize(("role", "says"), [
    ("contributor", "vous lisez les questions du conseiller et y répondez"),
    ("focal_point", "vous soumettez l'évaluation de votre pays"),
])
def test_review_by_address_says_in_french_that_this_role_cannot_review(multi: Env, role: str, says: str) -> None:
    (ken,) = _submitted(multi, "KEN")
    _invite(multi, "x@ken.example", role, "KEN")
    at = _french(multi, "x@ken.example", "review", assessment=ken)
    assert not at.exception and not at.error, texts(at)
    notes = [i.value for i in at.info]
    assert any("Votre rôle ne permet pas d'examiner" in n and says in n for n in notes), texts(at)
    assert not [b for b in at.button if str(b.key).startswith("review.do.review")]



# --- Point 5 (Home's zip): worded for what the reader gets, and holding only that ----------------------------------


@pytest.mark.parametrize(("email", "role", "country"), [
    ("v@ken.example", "viewer", "KEN"), ("fp@rwa.example", "focal_point", "RWA"),
])
def test_home_zip_is_worded_for_the_assessments_this_reader_can_read_and_holds_only_those(
    multi: Env, email: str, role: str, country: str
) -> None:
    """A viewer and Rwanda's focal point were offered "every assessment of a cycle", the advisers' wording."""
    _submitted(multi, "KEN", "RWA", "ETH")
    _invite(multi, email, role, country)
    at = _french(multi, email, "home")
    assert not at.exception
    titles = [e.label for e in at.expander if "Profils PDF" in e.label]
    assert titles == ["Profils PDF des évaluations que vous pouvez lire, pour un cycle (zip)"], texts(at)
    open_section(at, "home.bulk_open").button(key="home.bulk_make").click().run(timeout=120)
    assert at.session_state["home.bulk_countries"] == [country]


def test_home_zip_keeps_every_assessment_of_a_cycle_for_an_adviser(multi: Env) -> None:
    _submitted(multi, "KEN", "RWA")
    _invite(multi, "adv@itu.example", "adviser")
    at = _french(multi, "adv@itu.example", "home")
    assert [e.label for e in at.expander if "Profils PDF" in e.label] == [
        "Profils PDF de toutes les évaluations d'un cycle (zip)"]


# --- Admin's audit trail at 1280 px: no sideways scroll, the detail read in full --------------------------------


@pytest.mark.parametrize(("lang", "pick", "detail"), [("fr", "Lire une entrée en entier", "Détail"),
                                                     ("en", "Read one entry in full", "Detail")])
def test_admin_audit_fits_1280_px_and_shows_the_picked_entrys_detail_in_full(
    multi: Env, lang: str, pick: str, detail: str
) -> None:
    """The "Détail" column ran past the edge at 1280 px and read "Validé…": the table's columns now have widths
    that fit the wide layout, and the whole detail of an entry is written out below it, wrapped."""
    ken = multi.create("KEN")
    note = "chiffres vérifiés avec le ministère, enquête 2025 sur les ménages, tableau 4, colonne IPv6, ligne des FAI"
    with multi.session() as s:
        users.invite(s, email="admin@itu.example", role="admin")
        service.transition(s, assessment_id=ken, action="submit", note=note)
    at = _app(multi, email="admin@itu.example")
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("ui/pages/admin.py").run()
    assert not at.exception
    config = json.loads(at.dataframe[-1].proto.columns)
    widths = {name: c.get("width") for name, c in config.items() if not name.startswith("_")}
    assert len(widths) == 5 and all(isinstance(w, int) for w in widths.values()), config
    assert sum(widths.values()) <= 700, widths  # the page's 704 px column at 1280 px (the walk's screenshot)
    box = at.selectbox(key="admin.audit_pick")
    assert box.label == pick and box.value == 0  # the latest entry (the sign-in) until the reader picks another
    step = next(i for i, o in enumerate(box.options) if "admin@itu.example" not in o)  # the submission
    box.set_value(step).run()
    shown = " ".join(m.value for m in at.markdown)
    assert note in shown and f"{detail}{NNBSP if lang == 'fr' else ''}:" in shown, texts(at)
