"""A context indicator in the app (issue 21, point 17): asked on Assess marked "not scored", a context line in
Results, and a table by country (with its chart) in Compare's distribution tab."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from answers.document import Answer
from assessment import service
from questionnaires import load_questionnaire
from questionnaires.messages import t
from tests.compare.conftest import leveled, make_doc
from tests.ui.conftest import MINI, Env, open_page, texts
from tests.ui.test_compare import open_tab

CTX = "v6_context"


@pytest.fixture
def ctx_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: Env) -> Env:
    folder = tmp_path / "with-context"
    shutil.copytree(MINI, folder)
    path = folder / "questions/ipv6.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"].append({
        "id": CTX, "clauses": ["recognizing-e"], "scored": False, "type": "numeric",
        "short": {"en": "IoT uptake", "fr": "Adoption de l'IoT"},
        "numeric": {"unit": {"en": "per 100 inhabitants", "fr": "pour 100 habitants"}, "min": 0, "max": 1000},
        "text": {"en": "How many IoT connections?", "fr": "Combien de connexions IoT ?"},
        "help": {"en": "Help.", "fr": "Aide."}, "evidence_prompt": {"en": "The source.", "fr": "La source."},
    })
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("IOTREADY_QUESTIONNAIRE_DIR", str(folder))
    q = load_questionnaire(folder)
    with env.session() as s:
        for country, figure in (("KEN", 12.5), ("ETH", 3.0), ("RWA", None)):
            answers = leveled(q, 0.5)
            answers[CTX] = Answer(value=figure) if figure is not None else Answer(dont_know=True)
            service.import_document(s, doc=make_doc(q, country, answers=answers), questionnaire=q)
    return Env(url=env.url, log_dir=env.log_dir, questionnaire=q)


def test_compare_lists_the_figure_by_country_marked_not_scored(ctx_env: Env) -> None:
    at = open_tab(open_page(ctx_env.app(), "compare"), "distribution")
    assert not at.exception and not at.error
    assert any(t("context.label", "en") in str(h.value) and "IoT uptake" in str(h.value) for h in at.subheader)
    table = at.dataframe[-1].value
    assert table.iloc[:, 0].tolist() == ["Kenya", "Ethiopia", "Rwanda"]  # largest figure first, none last
    assert table.iloc[:2, 1].tolist() == [12.5, 3.0]
    assert table.iloc[2, 2] == t("status.dont_know", "en")


def test_results_has_a_context_line_and_assess_a_not_scored_badge(ctx_env: Env) -> None:
    with ctx_env.session() as s:
        kenya = next(a.id for a in service.list_assessments(s) if a.country == "KEN")
    at = open_page(ctx_env.app(kenya), "results")
    assert not at.exception
    assert "IoT uptake: 12.5 per 100 inhabitants" in texts(at)
    draft = ctx_env.create("MUS", 2026)
    app = ctx_env.app(draft)
    app.query_params["pillar"] = "ipv6"
    at = open_page(app, "assess")
    assert not at.exception
    shown = texts(at)
    assert "How many IoT connections?" in shown and t("context.label", "en") in shown
