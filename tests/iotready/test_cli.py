"""The iotready command line: results match the core, bad input exits 2 with every problem listed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from answers.document import Answer
from iotready.cli import main
from questionnaires import load_questionnaire
from scoring import score
from tests.localization import OTHER_LANGUAGES
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["iotready", *args])
    monkeypatch.setenv("COLUMNS", "200")
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    answers = {"pol_framework": Answer(value="adopted", evidence="Decree 7/2024"), "v6_users": Answer(value=30)}
    doc = document(Q, answers)
    path = tmp_path / "ken.json"
    path.write_text(doc.model_dump_json(), encoding="utf-8")
    return path


def test_validate_reports_the_questionnaire(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "validate", MINI)
    assert code == 0
    assert "5 questions in 2 pillars" in out


def test_validate_lists_problems_and_exits_2(monkeypatch, capsys, tmp_path: Path) -> None:
    (tmp_path / "questionnaire.yaml").write_text("type: questionnaire\nid: x\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "questionnaire", "validate", str(tmp_path))
    assert code == 2
    assert "questionnaire.yaml: version: Field required" in err
    assert "Traceback" not in err


def test_validate_refuses_a_gate_in_another_pillar_naming_the_file_and_entry(monkeypatch, capsys, tmp_path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    path = folder / "questions" / "ipv6.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][1]["depends_on"] = {"question": "pol_framework", "in": ["planned", "developing", "adopted",
                                                                            "advanced"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "questionnaire", "validate", str(folder))
    assert code == 2
    flat = " ".join(err.split())
    assert "ipv6.yaml: question `v6_awareness`: depends_on.question: `pol_framework` is in pillar" in flat
    assert "Traceback" not in err


def test_score_json_is_the_engine_result(monkeypatch, capsys, answers_file: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "score", str(answers_file), "-q", MINI, "--format", "json")
    assert code == 0
    expected = score(Q, document(Q, {"pol_framework": Answer(value="adopted", evidence="Decree 7/2024"),
                                     "v6_users": Answer(value=30)}))
    assert json.loads(out)["overall"] == expected.overall


def test_score_table_names_pillars_and_tiers_in_french(monkeypatch, capsys, answers_file: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "score", str(answers_file), "-q", MINI, "--lang", "fr")
    assert code == 0
    assert "Adoption de l'IPv6" in out and "En évolution" in out


def test_bad_document_exits_2_listing_every_question(monkeypatch, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    payload = {"questionnaire_id": "mini", "questionnaire_version": "0.1.0", "country": "KEN", "cycle": 2025,
               "answers": {"v6_users": {"value": 400}, "pol_framework": {"value": "superb"}}}
    bad.write_text(json.dumps(payload), encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "score", str(bad), "-q", MINI)
    assert code == 2
    assert "question `v6_users`: value: must be between 0 and 100" in err
    assert "question `pol_framework`: value: must be one of" in err


def test_unknown_country_exits_2(monkeypatch, capsys, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(document(Q, {}, country="ZZZ").model_dump_json(), encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "score", str(path), "-q", MINI)
    assert code == 2
    assert "`ZZZ` is not the ISO3 code of an ITU Member State" in err


def test_template_writes_a_blank_document_that_scores(monkeypatch, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "blank.json"
    code, _, _ = run(monkeypatch, capsys, "template", "-o", str(out_file), "-q", MINI, "--country", "sen")
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "score", str(out_file), "-q", MINI, "-f", "json")
    assert code == 0 and json.loads(out)["completeness"] == 0


def test_recommend_lists_ranked_actions_with_clauses(monkeypatch, capsys, answers_file: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "recommend", str(answers_file), "-q", MINI, "-f", "json")
    assert code == 0
    recs = json.loads(out)
    assert recs and all(r["clause"] for r in recs)
    assert [r["rank"] for r in recs] == list(range(1, len(recs) + 1))
    assert {r["trigger"]["question_id"] for r in recs} == {"v6_users"}  # answered and below its threshold


def test_recommend_plan_for_a_target_tier(monkeypatch, capsys, answers_file: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "recommend", str(answers_file), "-q", MINI, "--pillar", "ipv6",
                       "--tier", "role_modelling", "-f", "json")
    assert code == 0
    plan = json.loads(out)
    # v6_awareness is unanswered: to answer, not a gap, so the actions alone stop at 2/3 of the pillar.
    assert not plan["reachable"] and plan["projected_score"] == pytest.approx(200 / 3)
    assert plan["to_answer"] == ["v6_awareness"]


def test_recommend_rejects_an_unknown_tier(monkeypatch, capsys, answers_file: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "recommend", str(answers_file), "-q", MINI, "--pillar", "ipv6",
                       "--tier", "legendary")
    assert code == 2 and "unknown tier `legendary`" in err


def test_show_markdown_lists_every_question(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "show", "-q", MINI, "--format", "md", "--lang", "fr")
    assert code == 0
    assert all(f"`{x.id}`" in out for x in Q.questions)
    assert "Existe-t-il un cadre IoT\u202f?" in out


def test_show_json_carries_version_and_hash(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "show", "-q", MINI, "--format", "json")
    data = json.loads(out)
    assert (code, data["version"], data["content_hash"]) == (0, "0.1.0", Q.content_hash)


def test_unknown_command_is_a_usage_error_not_a_crash(monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, "frobnicate")
    assert code == 2 and "No such command" in err


@pytest.mark.parametrize(
    ("command", "fmt"), [("score", "table"), ("score", "md"), ("recommend", "md"), ("recommend", "table")]
)
@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_output_has_no_internal_id_no_wrong_number_and_no_english(monkeypatch, capsys, command: str, fmt: str,
                                                                  lang: str) -> None:
    """Issue 11.5, then 24 for every offered language: on the shipped questionnaire and an illustrative document
    with targets and low answers."""
    from questionnaires import default_questionnaire
    from questionnaires.messages import t
    from questionnaires.references import clause_reference
    from tests.localization import code_like_tokens, english_leaks, wrong_decimals

    q = default_questionnaire()
    code, out, _ = run(monkeypatch, capsys, command, "examples/illustrative-RWA-2025.json", "--format", fmt,
                       "--lang", lang)
    assert code == 0
    assert code_like_tokens(out, q) == []
    assert wrong_decimals(out, q, lang) == []
    assert english_leaks(re.sub(r"[\s|\u2500-\u257f]+", " ", out), lang, q) == []  # a phrase wrapped in a cell too
    assert "None" not in out
    if command == "recommend":
        assert clause_reference(q, "instructs-bdt-3", lang) in out
    if fmt == "table" and command == "score":
        assert t("pillar", lang) in out and t("overall", lang) in out and "Pillar" not in out
    if lang != "fr":
        return
    if fmt == "md" and command == "score":  # issue 12.4: French typography in the Markdown
        assert "Global\u202f: **" in out and "Complétude\u202f: " in out
        assert re.findall(r"[^\u202f][:;!?](?:\s|$)", out) == []
    if fmt == "md" and command == "recommend":  # what the code joins (the content's own text is its authors')
        assert "\u202f; +" in out and " ; +" not in out and "; +" not in out.replace("\u202f; +", "")
        assert f"{t('cli.materials', 'fr')}\u202f: " in out


def test_show_says_skip_logic_in_words_in_the_readers_language(monkeypatch, capsys) -> None:
    """No XLSForm expression (``${str_national_strategy} = 'planned'``) in the French reading view."""
    code, out, _ = run(monkeypatch, capsys, "questionnaire", "show", "--format", "md", "--lang", "fr")
    assert code == 0
    assert "relevant" not in out and "${" not in out
    assert "posée seulement si la question 2.1 vaut\u202f: 1 – Prévu" in out
