"""The command line in French: catalog text, each language's plural, French numbers and typography, no ids.

The language comes from --lang, else IOTREADY_LANG, else the locale (tests/iotready/conftest.py clears them).
"""

from __future__ import annotations

import io
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from answers.document import Answer
from iotready.cli import UsageProblem, main
from questionnaires import load_questionnaire
from tests.iotready.test_cli import run
from tests.localization import OTHER_LANGUAGES, code_like_tokens, english_leaks, wrong_decimals
from tests.strategies import document

MINI = "tests/fixtures/mini"
Q = load_questionnaire(MINI)
NNBSP = "\u202f"  # narrow no-break space: before ":" and ";" in French, and between thousands


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("IOTREADY_AS", raising=False)
    monkeypatch.setenv("IOTREADY_DATA_DIR", str(tmp_path / "data"))


def _file(tmp_path: Path, country: str, answers: dict[str, Answer], status: str = "submitted") -> str:
    path = tmp_path / f"{country}-{len(answers)}.json"
    path.write_text(document(Q, answers, country=country, status=status).model_dump_json(), encoding="utf-8")
    return str(path)


def _stored(monkeypatch, capsys, tmp_path: Path, *countries: str, status: str = "submitted") -> None:
    for iso3 in countries:
        path = _file(tmp_path, iso3, {"v6_users": Answer(value=20.0)}, status)
        assert run(monkeypatch, capsys, "import", path, "-q", MINI)[0] == 0


def _ids(text: str, tmp_path: Path) -> list[str]:
    """Id-shaped tokens in what a reader sees (the test's own folder name is snake_case, so it is left out)."""
    return code_like_tokens(text.replace(str(tmp_path), "<dir>"), Q)


def test_export_of_one_assessment_is_singular(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN")
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI, "--lang", "fr")
    assert code == 0 and out.strip() == f"fichier {dest} écrit{NNBSP}: 1 évaluation"


def test_export_of_several_assessments_is_plural(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN", "KEN", "RWA")
    dest = tmp_path / "out.csv"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-f", "csv", "-q", MINI, "--lang", "fr")
    assert code == 0 and out.strip() == f"fichier {dest} écrit{NNBSP}: 3 évaluations"
    assert _ids(out, tmp_path) == []


def test_export_counts_what_it_left_out_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    from assessment.demo import demo_documents
    from questionnaires.loader import DEFAULT_QUESTIONNAIRE_DIR
    from questionnaires.versions import ARCHIVE_DIR

    old_dir = ARCHIVE_DIR / "res197-1.0.0"
    for doc in demo_documents(load_questionnaire(old_dir))[:2]:
        src = tmp_path / f"{doc.country}.json"
        src.write_text(doc.model_copy(update={"illustrative": False}).model_dump_json(), encoding="utf-8")
        assert run(monkeypatch, capsys, "import", str(src), "-q", str(old_dir))[0] == 0
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", str(DEFAULT_QUESTIONNAIRE_DIR),
                       "--include-drafts", "--lang", "fr")
    assert code == 0 and f"fichier {dest} écrit{NNBSP}: 0 évaluation\n" in out  # French: 0 takes the singular
    assert "2 évaluations faites avec une autre version du questionnaire laissées de côté" in out


def test_import_says_how_many_changes_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN", status="draft")
    one = _file(tmp_path, "SEN", {"v6_users": Answer(value=25.0)}, "draft")
    code, out, _ = run(monkeypatch, capsys, "import", one, "--yes", "-q", MINI, "--lang", "fr")
    assert code == 0
    said = f"Sénégal 2025{NNBSP}: évaluation [0-9a-f]{{32}} mise à jour, 1 changement dans 1 question\n"
    assert re.search(said, out), out
    two = _file(tmp_path, "SEN", {"v6_users": Answer(value=30.0), "pol_framework": Answer(value="adopted")},
                "draft")
    code, out, _ = run(monkeypatch, capsys, "import", two, "--yes", "-q", MINI, "--lang", "fr")
    assert code == 0 and re.search(r"mise à jour, 2 changements dans 2 questions\n", out), out
    assert _ids(out, tmp_path) == []


def test_report_all_counts_its_profiles_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN")
    folder = tmp_path / "one"
    code, out, _ = run(monkeypatch, capsys, "report", "--all", "--cycle", "2025", "-o", str(folder), "-q", MINI,
                       "--workers", "1", "--lang", "fr")
    assert code == 0 and out.strip() == f"1 profil écrit dans {folder}"
    _stored(monkeypatch, capsys, tmp_path, "KEN")
    folder = tmp_path / "two"
    code, out, _ = run(monkeypatch, capsys, "report", "--all", "--cycle", "2025", "-o", str(folder), "-q", MINI,
                       "--workers", "1", "--lang", "fr")
    assert code == 0 and out.strip() == f"2 profils écrits dans {folder}"


def test_assessments_list_delete_and_restore_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--lang", "fr")
    assert code == 0 and out.strip() == "aucune évaluation"
    _stored(monkeypatch, capsys, tmp_path, "SEN", status="draft")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--lang", "fr")
    assert code == 0 and "pays" in out and "statut" in out and "Sénégal" in out and "Brouillon" in out
    assert "draft" not in out and _ids(out, tmp_path) == []
    [aid] = [w for w in out.split() if len(w) == 32]
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid, "--lang", "fr")  # no terminal: no yes
    assert code == 1 and out.startswith("Rien n'a été supprimé.")
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid, "--yes", "--lang", "fr")
    assert code == 0 and out.startswith(f"Sénégal 2025{NNBSP}: évaluation {aid} supprimée (restaurez-la avec")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--deleted", "--lang", "fr")
    assert code == 0 and "supprimée le" in out and aid in out
    code, out, _ = run(monkeypatch, capsys, "assessments", "restore", aid, "--lang", "fr")
    assert code == 0 and out.strip() == f"évaluation {aid} restaurée"


def test_users_in_french_with_plurals(monkeypatch, capsys, tmp_path: Path) -> None:
    email = "fp@ken.example"
    code, out, _ = run(monkeypatch, capsys, "users", "invite", email, "--role", "focal_point", "--country", "KEN",
                       "--lang", "fr")
    assert code == 0 and f"invitation enregistrée pour {email}{NNBSP}: Point focal · Kenya" in out
    assert f"\nObjet{NNBSP}: " in out and "focal_point" not in out
    code, out, _ = run(monkeypatch, capsys, "users", "grant", email, "--role", "viewer", "--country", "SEN",
                       "--lang", "fr")
    assert code == 0 and out.strip() == f"{email}{NNBSP}: 2 rôles actifs"
    code, out, _ = run(monkeypatch, capsys, "users", "revoke", email, "--role", "viewer", "--lang", "fr")
    assert code == 0 and out.strip() == f"1 rôle de {email} révoqué"
    run(monkeypatch, capsys, "users", "grant", email, "--role", "viewer", "--country", "SEN")
    code, out, _ = run(monkeypatch, capsys, "users", "revoke", email, "--lang", "fr")
    assert code == 0 and out.strip() == f"2 rôles de {email} révoqués"
    code, out, _ = run(monkeypatch, capsys, "users", "grant", email, "--role", "viewer", "--country", "SEN",
                       "--lang", "fr")
    assert code == 0 and out.strip() == f"{email}{NNBSP}: 1 rôle actif"


def test_users_list_and_audit_in_french_name_roles_and_events(monkeypatch, capsys, tmp_path: Path) -> None:
    run(monkeypatch, capsys, "users", "invite", "c@ken.example", "--role", "contributor", "--country", "KEN",
        "--pillar", "ipv6")
    code, out, _ = run(monkeypatch, capsys, "users", "list", "--lang", "fr")
    assert code == 0 and "Utilisateurs" in out and "pas encore" in out
    assert "Contributeur · Kenya (Adoption de l'IPv6)" in out  # the pillar by its name, not its id
    code, out, _ = run(monkeypatch, capsys, "users", "audit", "--lang", "fr")
    assert code == 0 and "Journal d'audit" in out and "Invitation" in out
    assert _ids(out, tmp_path) == [] and "contributor" not in out


def test_the_language_defaults_to_iotready_lang(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("IOTREADY_LANG", "fr")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list")
    assert code == 0 and out.strip() == "aucune évaluation"


def test_the_language_defaults_to_the_locale(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list")
    assert code == 0 and out.strip() == "aucune évaluation"


def test_lang_option_wins_over_the_environment(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("IOTREADY_LANG", "fr")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--lang", "en")
    assert code == 0 and out.strip() == "no assessment"


def test_export_says_how_many_drafts_it_left_out_and_how_to_include_them(monkeypatch, capsys, tmp_path: Path) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN")
    _stored(monkeypatch, capsys, tmp_path, "KEN", "RWA", status="draft")
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI, "--lang", "fr")
    assert code == 0 and out.splitlines() == [
        f"fichier {dest} écrit{NNBSP}: 1 évaluation",
        "2 brouillons laissés de côté (ajoutez --include-drafts pour exporter aussi les brouillons)",
    ]


def test_an_empty_export_beside_demo_data_says_how_to_export_the_demo_set(monkeypatch, capsys, tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    path.write_text(document(Q, {"v6_users": Answer(value=20.0)}, country="SEN", status="submitted")
                    .model_copy(update={"illustrative": True}).model_dump_json(), encoding="utf-8")
    assert run(monkeypatch, capsys, "import", str(path), "-q", MINI)[0] == 0
    dest = tmp_path / "out.json"
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI, "--lang", "fr")
    assert code == 0 and out.splitlines()[-1] == (
        f"la base contient aussi ici 1 évaluation illustrative (démonstration){NNBSP}: "
        "ajoutez --illustrative pour exporter les données de démonstration")
    code, out, _ = run(monkeypatch, capsys, "export", "-o", str(dest), "-q", MINI, "--illustrative", "--lang", "fr")
    assert code == 0 and out.strip() == f"fichier {dest} écrit{NNBSP}: 1 évaluation"


def test_a_missing_input_file_is_named_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "import", str(tmp_path / "absent.json"), "-q", MINI, "--lang", "fr")
    assert code == 2 and "fichier ou dossier introuvable" in err and "No such file" not in err


def test_errors_are_in_the_readers_language(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("IOTREADY_LANG", "fr")
    code, _, err = run(monkeypatch, capsys, "report", "-q", MINI)
    assert code == 2 and f"Options incorrectes{NNBSP}:" in err and "indiquez une seule source" in err
    missing = tmp_path / "nowhere" / "out.json"
    code, _, err = run(monkeypatch, capsys, "export", "-o", str(missing), "-q", MINI)
    assert code == 2 and f"le dossier {missing.parent} n'existe pas{NNBSP}: créez-le d'abord" in err


def test_an_oversized_stream_is_measured_with_a_decimal_comma(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, capsys, "score", "/dev/zero", "-q", MINI, "--lang", "fr")
    assert code == 2 and f"il fait plus de 20,0{NNBSP}Mo{NNBSP}; la limite est de 20{NNBSP}Mo" in err


def test_a_capped_problem_list_counts_the_rest_in_french_numbers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def boom() -> None:
        raise UsageProblem("Beaucoup :", [f"problème {i}" for i in range(1_200_000)])

    monkeypatch.setattr("iotready.cli.app", lambda **_: boom())
    monkeypatch.setenv("IOTREADY_LOG_DIR", str(tmp_path))
    monkeypatch.setenv("IOTREADY_LANG", "fr")
    with pytest.raises(SystemExit):
        main()
    assert capsys.readouterr().err.splitlines()[-1].strip() == f"... et 1{NNBSP}199{NNBSP}900 de plus"


def test_an_unreachable_database_is_explained_in_french(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://iot:topsecret@127.0.0.1:1/iotready")
    code, out, err = run(monkeypatch, capsys, "assessments", "list", "--lang", "fr")
    assert code != 0 and "Traceback" not in out + err and "topsecret" not in out + err
    err = re.sub(r" *\n *", " ", err)  # the terminal's line wrapping
    assert f"La base de données ne peut pas être utilisée{NNBSP}:" in err
    assert "Impossible d'ouvrir la base de données postgresql+psycopg://iot:***@127.0.0.1:1/iotready (" in err
    assert "retirez DATABASE_URL pour travailler dans un fichier SQLite local" in err
    assert "Cannot open" not in err and "Check that" not in err


class _Terminal(io.StringIO):
    """Standard input as a person typing at a terminal."""

    def isatty(self) -> bool:
        return True


def _deleted_in_the_database(tmp_path: Path, assessment_id: str) -> bool:
    """Read straight from the SQLite file the command line wrote (not through the command line itself)."""
    with closing(sqlite3.connect(tmp_path / "data" / "iotready.sqlite3")) as conn:
        [(deleted_at,)] = conn.execute("SELECT deleted_at FROM assessment WHERE id = ?", (assessment_id,))
    return deleted_at is not None


@pytest.mark.parametrize(("typed", "deleted"), [("oui", True), ("o", True), ("y", True), ("", False),
                                                ("non", False), ("n", False)])
def test_the_french_yes_no_question_deletes_on_a_yes_only(
    monkeypatch, capsys, tmp_path: Path, typed: str, deleted: bool
) -> None:
    _stored(monkeypatch, capsys, tmp_path, "SEN", status="draft")
    code, out, _ = run(monkeypatch, capsys, "assessments", "list", "--lang", "fr")
    [aid] = [w for w in out.split() if len(w) == 32]
    assert not _deleted_in_the_database(tmp_path, aid)
    monkeypatch.setattr("sys.stdin", _Terminal(typed + "\n"))
    code, out, _ = run(monkeypatch, capsys, "assessments", "delete", aid, "--lang", "fr")
    assert f"Supprimer l'évaluation Sénégal 2025{NNBSP}? [o/N] " in out
    assert (code == 0) is deleted and ("Rien n'a été supprimé." in out) is not deleted
    assert _deleted_in_the_database(tmp_path, aid) is deleted


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_the_everyday_commands_read_right_in_every_language(monkeypatch, capsys, tmp_path: Path, lang: str) -> None:
    """Issue 24: what import, export, list, users and audit print, in each offered language: no id, no wrong
    decimal mark, no English catalog phrase (the French wording itself is checked above)."""
    from questionnaires.messages import t

    said: list[str] = []
    for iso3 in ("SEN", "KEN"):
        path = _file(tmp_path, iso3, {"v6_users": Answer(value=20.5)}, "draft")
        code, out, err = run(monkeypatch, capsys, "import", path, "--yes", "-q", MINI, "--lang", lang)
        assert code == 0, err
        said.append(out + err)
    commands = [("export", "-o", str(tmp_path / "out.csv"), "-f", "csv", "-q", MINI, "--include-drafts"),
                ("assessments", "list"),
                ("users", "invite", "c@ken.example", "--role", "contributor", "--country", "KEN", "--pillar", "ipv6"),
                ("users", "list"), ("users", "audit"), ("score", _file(tmp_path, "RWA", {}, "draft"), "-q", MINI)]
    for command in commands:
        code, out, err = run(monkeypatch, capsys, *command, "--lang", lang)
        assert code == 0, (command, err)
        said.append(out + err)
    text = re.sub(r"[\s|\u2500-\u257f]+", " ", "\n".join(said).replace(str(tmp_path), "<dir>"))  # table rules
    assert t("ui.status.draft", lang) in text
    assert code_like_tokens(text, Q) == []
    assert [(n, line) for line in "\n".join(said).splitlines() for n in wrong_decimals(line, Q, lang)] == []
    assert english_leaks(text, lang) == []
