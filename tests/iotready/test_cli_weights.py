"""The expert-panel weights: a template per expert, the median into a new questionnaire version."""

from __future__ import annotations

import csv
from pathlib import Path

from questionnaires import load_questionnaire
from tests.iotready.test_cli import run

MINI = "tests/fixtures/mini"


def _fill(template: Path, dest: Path, weights: dict[str, str]) -> Path:
    with template.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["your_weight"] = weights.get(row["id"], "")
    with dest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dest


def test_template_then_combine_takes_the_median_into_a_new_version(monkeypatch, capsys, tmp_path: Path) -> None:
    template = tmp_path / "weights.csv"
    code, out, _ = run(monkeypatch, capsys, "weights", "template", "-o", str(template), "-q", MINI)
    assert code == 0 and template.exists()
    experts = [
        _fill(template, tmp_path / "a.csv", {"ipv6": "1", "v6_users": "1"}),
        _fill(template, tmp_path / "b.csv", {"ipv6": "2", "v6_users": "3"}),
        _fill(template, tmp_path / "c.csv", {"ipv6": "4", "v6_users": "2,5"}),
    ]
    target = tmp_path / "panel"
    code, out, err = run(monkeypatch, capsys, "weights", "combine", *map(str, experts), "-o", str(target),
                       "--version", "0.2.0", "-q", MINI)
    assert code == 0, err + out
    new = load_questionnaire(target)
    assert new.version == "0.2.0"
    assert new.pillar("ipv6").weight == 2 and new.question("v6_users").weight == 2.5
    old = load_questionnaire(MINI)
    assert new.pillar("policy_regulation").weight == old.pillar("policy_regulation").weight  # nobody weighed it
    with (target / "weights_panel.csv").open(encoding="utf-8") as fh:
        spread = {r["id"]: r for r in csv.DictReader(fh)}
    assert (spread["ipv6"]["low"], spread["ipv6"]["high"], spread["ipv6"]["experts"]) == ("1", "4", "3")


def test_a_bad_weight_writes_nothing(monkeypatch, capsys, tmp_path: Path) -> None:
    template = tmp_path / "weights.csv"
    run(monkeypatch, capsys, "weights", "template", "-o", str(template), "-q", MINI)
    bad = _fill(template, tmp_path / "bad.csv", {"ipv6": "-1", "v6_users": "lots"})
    target = tmp_path / "panel"
    code, _, err = run(monkeypatch, capsys, "weights", "combine", str(bad), "-o", str(target), "--version", "0.2.0",
                       "-q", MINI)
    assert code == 2 and not target.exists()
    assert "above 0" in err and "not a number" in err


def test_the_template_names_pillars_and_questions_in_the_experts_language(monkeypatch, capsys, tmp_path) -> None:
    template = tmp_path / "poids.csv"
    assert run(monkeypatch, capsys, "weights", "template", "-o", str(template), "-q", MINI, "--lang", "fr")[0] == 0
    with template.open(encoding="utf-8-sig", newline="") as fh:
        names = {r["id"]: r["name"] for r in csv.DictReader(fh)}
    q = load_questionnaire(MINI)
    assert names["policy_regulation"] == q.pillar("policy_regulation").name.get("fr")
    assert names["v6_users"] == q.question("v6_users").text.get("fr")


def test_bad_weights_are_explained_in_french_by_file_and_row(monkeypatch, capsys, tmp_path: Path) -> None:
    template = tmp_path / "weights.csv"
    run(monkeypatch, capsys, "weights", "template", "-o", str(template), "-q", MINI)
    bad = _fill(template, tmp_path / "expert.csv", {"ipv6": "-1", "v6_users": "beaucoup"})
    code, _, err = run(monkeypatch, capsys, "weights", "combine", str(bad), "-o", str(tmp_path / "panel"),
                       "--version", "0.2.0", "-q", MINI, "--lang", "fr")
    assert code == 2
    err = " ".join(line.strip() for line in err.splitlines())
    assert "expert.csv\u202f: ligne" in err and "un poids doit être supérieur à 0 et au plus égal à 10" in err
    assert "`beaucoup` n'est pas un nombre" in err and "row" not in err
