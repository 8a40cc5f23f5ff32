"""The PDF profile's executive summary, checked against figures worked out by hand (issue 27.1).

The same answers as tests/ui/test_results_headline.py, whose docstring works the arithmetic out: overall
(1.5 x 40 + 1 x 66.67) / 2.5 = 50.7 (Establishing); policy 40.0 (Evolving), IPv6 66.7 (Advancing); completeness
80 %, evidence coverage 67 %. The expectation is written out as the reader sees it, never taken from the engine.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from answers.document import Answer, AnswersDocument
from questionnaires import Questionnaire
from reports.profile import render_profile
from tests.reports.helpers import pages_text

NNBSP = "\u202f"  # French narrow no-break space before % (kept: the folding below leaves it alone)

SUMMARY = {
    "en": [
        "1. Executive summary Overall score 50.7 out of 100 Establishing",
        "Completeness 80%",
        "Evidence coverage 67%",
        "Strongest pillar IPv6 adoption (66.7, Advancing)",
        "Weakest pillar Enabling policy and regulatory framework (40.0, Evolving)",
        "Enabling policy and regulatory framework 40.0 Evolving 100% 50% –",
        "IPv6 adoption 66.7 Advancing 50% 100% –",
    ],
    "fr": [
        "1. Résumé analytique Score global 50,7 sur 100 En établissement",
        f"Complétude 80{NNBSP}%",
        f"Couverture par des justificatifs 67{NNBSP}%",
        "Pilier le plus solide Adoption de l'IPv6 (66,7, En progression)",
        "Pilier le plus faible Cadre politique et réglementaire favorable (40,0, En évolution)",
        f"Cadre politique et réglementaire favorable 40,0 En évolution 100{NNBSP}% 50{NNBSP}% –",
        f"Adoption de l'IPv6 66,7 En progression 50{NNBSP}% 100{NNBSP}% –",
    ],
}


def hand_worked(q: Questionnaire) -> AnswersDocument:
    return AnswersDocument(
        questionnaire_id=q.id, questionnaire_version=q.version, country="KEN", cycle=2026,
        answers={
            "pol_framework": Answer(value="planned", evidence="Decree 12/2025"),
            "pol_elements": Answer(value=["licensing"]),
            "pol_city": Answer(not_applicable=True, justification="Municipal matter"),
            "v6_users": Answer(value=50.0, evidence="RIPE Atlas, 2025"),
            "v6_awareness": Answer(dont_know=True),
        },
    )


def fold(text: str) -> str:
    """Line breaks and spaces folded to one space; a narrow no-break space stays what it is."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_executive_summary_shows_the_hand_worked_overall_tier_shares_and_pillar_rows(
    mini: Questionnaire, lang: str
) -> None:
    pdf = render_profile(mini, hand_worked(mini), lang=lang, generated_on=date(2026, 11, 29))
    first_pages = [fold(p) for p in pages_text(pdf)[:3]]
    summary = next(p for p in first_pages if SUMMARY[lang][0] in p)  # the summary is within the first 3 pages
    missing = [line for line in SUMMARY[lang] if line not in summary]
    assert missing == []
