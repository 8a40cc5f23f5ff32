"""The audit trail's detail column, as the Admin page and ``iotready users audit`` both write it."""

from formatting.audit import audit_detail, role_text
from questionnaires import load_questionnaire
from questionnaires.messages import t

Q = load_questionnaire("tests/fixtures/mini")
NNBSP = "\u202f"


def test_a_validation_with_open_queries_reads_in_french() -> None:
    detail = {"from": "under_review", "to": "validated", "action": "validate", "open_queries": 2, "note": "vu"}
    assert audit_detail(Q, "status", detail, "fr") == \
        "En cours d'examen → Validée · validée avec 2 questions de revue ouvertes · vu"


def test_a_grant_names_the_role_and_pillars() -> None:
    detail = {"email": "c@ken.example", "role": "contributor", "pillars": ["policy_regulation"]}
    assert audit_detail(Q, "grant", detail, "fr") == \
        "c@ken.example · Contributeur (Cadre politique et réglementaire favorable)"


def test_an_export_names_the_countries_with_french_punctuation() -> None:
    assert audit_detail(Q, "export", {"what": "csv", "countries": ["KEN", "SEN"]}, "fr") == \
        f"CSV{NNBSP}: Kenya, Sénégal"


def test_a_role_shows_the_country_by_name() -> None:
    assert role_text(Q, "contributor", "KEN", ["policy_regulation"], "en") == \
        "Contributor · Kenya (Enabling policy and regulatory framework)"


def test_a_status_move_points_the_way_arabic_reads() -> None:
    """Unicode mirrors "≥" in right-to-left text but not arrows: Arabic gets "←", from the old status (right) on."""
    detail = {"from": "under_review", "to": "validated"}
    arabic = audit_detail(Q, "status", detail, "ar")
    assert arabic == f"{t('ui.status.under_review', 'ar')} \u2190 {t('ui.status.validated', 'ar')}"
    assert "\u2192" in audit_detail(Q, "status", detail, "en") and "\u2192" not in arabic
