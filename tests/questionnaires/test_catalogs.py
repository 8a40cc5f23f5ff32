"""The translators' PO catalogs: complete for every offered language, stale when the English changes (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iotready.cli import main
from questionnaires import catalogs
from questionnaires.languages import REGISTRY
from questionnaires.messages import languages


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOTREADY_CACHE_DIR", str(tmp_path / "cache"))


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["iotready", *args])
    monkeypatch.setenv("COLUMNS", "300")
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.mark.parametrize("lang", sorted(c for c, lg in REGISTRY.items() if lg.shipped))
def test_every_offered_language_has_no_missing_or_stale_entry(lang: str) -> None:
    """The gate of `make test`: a key added to en.yaml without its French, or English reworded, fails here."""
    s = catalogs.status(lang)
    assert (s.missing, s.stale) == ([], [])


@pytest.mark.parametrize("lang", sorted(c for c, lg in REGISTRY.items() if lg.shipped))
def test_every_offered_language_has_the_whole_questionnaire(lang: str) -> None:
    """Its content too: carried by the YAML (en, fr) or by a complete, current content catalog (es)."""
    s = catalogs.status(lang, domain=catalogs.CONTENT)
    assert (s.missing, s.stale) == ([], [])
    assert lang in languages()


def test_a_shipped_language_without_its_content_catalog_is_not_offered(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from questionnaires import messages

    assert "es" in messages.languages.__wrapped__()
    monkeypatch.setattr(messages, "CATALOG_DIR", tmp_path)
    assert "es" not in messages.languages.__wrapped__()


def test_the_shipped_catalogs_pass_the_status_command(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "status")
    assert code == 0
    assert "Français (fr, offered): translated: 100%; missing: 0; stale: 0" in out


def test_offered_languages_are_arabic_english_spanish_and_french_of_six_registered() -> None:
    assert sorted(REGISTRY) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert languages() == {"ar": "العربية", "en": "English", "es": "Español", "fr": "Français"}
    assert {c: (lg.name, lg.direction) for c, lg in REGISTRY.items() if c in ("ar", "zh")} == {
        "ar": ("العربية", "rtl"), "zh": ("中文", "ltr")}


def _project(tmp_path: Path, english: str, french: str) -> Path:
    (tmp_path / "en.yaml").write_text(english, encoding="utf-8")
    (tmp_path / "fr.yaml").write_text(french, encoding="utf-8")
    catalogs.import_yaml("fr", tmp_path / "fr.yaml", tmp_path)
    return tmp_path


def test_a_changed_english_text_marks_its_translation_fuzzy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    d = _project(tmp_path, 'save: "Save"\nn.one: "{n} file"\nn.other: "{n} files"\n',
                 'save: "Enregistrer"\nn.one: "{n} fichier"\nn.other: "{n} fichiers"\n')
    assert catalogs.status("fr", d).complete
    (d / "en.yaml").write_text('save: "Save the answer"\nn.one: "{n} file"\nn.other: "{n} files"\nnew: "New"\n',
                               encoding="utf-8")
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "update", "fr", "--dir", str(d))
    assert code == 0 and "updated; stale: 1" in out
    po = (d / "fr.po").read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "Save"\nmsgctxt "save"\nmsgid "Save the answer"\nmsgstr "Enregistrer"' \
        in po
    code, out, err = _cli(monkeypatch, capsys, "i18n", "status", "--dir", str(d))
    assert code == 1
    assert "missing: 1; stale: 1" in out and "  stale: save" in out and "  missing: new" in out
    assert "Français" in err
    assert "save" not in catalogs.compiled("fr", d)  # the reader sees the English until a translator confirms
    assert catalogs.compiled("fr", d)["n.many"] == "{n} fichiers"


def test_a_second_update_or_import_changes_nothing(tmp_path: Path) -> None:
    d = _project(tmp_path, 'a: "A"\n', 'a: "Un"\n')
    before = (d / "fr.po").read_bytes()
    assert catalogs.update("fr", d) is False
    catalogs.import_yaml("fr", d / "fr.yaml", d)
    assert (d / "fr.po").read_bytes() == before


def test_a_removed_key_is_kept_obsolete_and_comes_back_fuzzy(tmp_path: Path) -> None:
    d = _project(tmp_path, 'a: "A"\nb: "B"\n', 'a: "Un"\nb: "Deux"\n')
    (d / "en.yaml").write_text('a: "A"\n', encoding="utf-8")
    catalogs.update("fr", d)
    assert '#~ msgctxt "b"' in (d / "fr.po").read_text(encoding="utf-8")
    (d / "en.yaml").write_text('a: "A"\nb: "B"\n', encoding="utf-8")
    catalogs.update("fr", d)
    assert catalogs.status("fr", d).stale == ["b"]


def test_import_reports_keys_the_english_does_not_have(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "en.yaml").write_text('a: "A"\n', encoding="utf-8")
    (tmp_path / "ru.yaml").write_text('a: "Una"\nzz: "?"\n', encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, "i18n", "import-yaml", "ru", str(tmp_path / "ru.yaml"),
                          "--dir", str(tmp_path))
    assert code == 0 and "1 entry taken" in out and "zz" in err
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "status", "--dir", str(tmp_path))
    assert code == 0 and "Русский (ru, not offered yet): translated: 100%" in out  # ru is not shipped


def test_an_unknown_language_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(monkeypatch, capsys, "i18n", "update", "xx", "--dir", str(tmp_path))
    assert code == 2 and "`xx` is not a registered language" in err


def test_extract_writes_the_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "en.yaml").write_text('a: "A"\nn.one: "{n} file"\nn.other: "{n} files"\n', encoding="utf-8")
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "extract", "--lang", "fr", "--dir", str(tmp_path))
    assert code == 0 and "2 entrées" in out
    pot = (tmp_path / "messages.pot").read_text(encoding="utf-8")
    assert 'msgctxt "n"\nmsgid "{n} file"\nmsgid_plural "{n} files"' in pot


def test_the_runtime_reads_a_catalog_from_its_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = _project(tmp_path, 'a: "A"\n', 'a: "Un"\n')
    assert catalogs.compiled("fr", d) == {"a": "Un"}

    def no_parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr("babel.messages.pofile.read_po", no_parse)
    assert catalogs.compiled("fr", d) == {"a": "Un"}


def test_cldr_facts_are_read_from_babel_once_then_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from questionnaires import languages as lg

    lg.cldr.cache_clear()
    first = lg.cldr("ru")
    lg.cldr.cache_clear()
    monkeypatch.setattr("babel.Locale.parse", lambda *_a, **_k: (_ for _ in ()).throw(AssertionError("parsed")))
    assert lg.cldr("ru") == first and first["group"] == "\u00a0"
    lg.cldr.cache_clear()


def test_a_new_language_starts_both_domains_and_clause_texts_are_translated_from_french(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from questionnaires import default_questionnaire

    (tmp_path / "en.yaml").write_text('a: "A"\n', encoding="utf-8")
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "update", "ru", "--dir", str(tmp_path))
    assert code == 0 and "content-ru.po updated" in out
    from babel.messages.pofile import read_po

    with (tmp_path / "content-ru.po").open("rb") as fh:
        content = {m.context: m.id for m in read_po(fh) if m.id}
    q = default_questionnaire()
    question, clause = q.all_questions[0], q.clauses[0]
    assert content[f"question.{question.id}.text"] == question.text.en
    assert content[f"clause.{clause.id}.text"] == clause.text_fr  # the resolution's source is French
    assert len(content) > 600
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "status", "--dir", str(tmp_path))
    assert code == 0  # Russian is registered, not offered: incomplete is reported, not a failure
    assert "Русский (ru, not offered yet): translated: 0%" in out


def test_importing_a_branch_yaml_against_its_base_takes_only_what_the_branch_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The merge of a branch that still edits fr.yaml: a translation corrected since (in fr.po) is not reverted."""
    d = _project(tmp_path, 'a: "A"\nb: "B"\nn.one: "{n} file"\nn.other: "{n} files"\n',
                 'a: "Un"\nb: "Deux"\nn.one: "{n} fichier"\nn.other: "{n} fichiers"\n')
    base = d / "base.yaml"
    base.write_text((d / "fr.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    catalogs.import_yaml("fr", _yaml(d, "fixed.yaml", 'a: "Un (corrigé)"\n'), d)  # corrected on the main line
    (d / "en.yaml").write_text('a: "A"\nb: "B"\nn.one: "{n} file"\nn.other: "{n} files"\nc: "C"\n', encoding="utf-8")
    branch = _yaml(d, "branch.yaml", 'a: "Un"\nb: "Deux !"\nn.one: "{n} fichier"\nn.other: "{n} fichiers !"\n'
                   'c: "Trois"\n')
    code, out, _ = _cli(monkeypatch, capsys, "i18n", "import-yaml", "fr", str(branch), "--base", str(base),
                        "--dir", str(d))
    assert code == 0 and "3 entries taken" in out
    got = catalogs.compiled("fr", d)
    assert (got["a"], got["b"], got["c"]) == ("Un (corrigé)", "Deux !", "Trois")
    assert (got["n.one"], got["n.other"], got["n.many"]) == ("{n} fichier", "{n} fichiers !", "{n} fichiers !")
    assert catalogs.status("fr", d).complete


def _yaml(d: Path, name: str, text: str) -> Path:
    (d / name).write_text(text, encoding="utf-8")
    return d / name


def test_a_shipped_language_with_a_missing_entry_is_not_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    from questionnaires import messages

    holed = {k: v for k, v in messages.catalog("fr").items() if k != "tier"}
    read = messages.catalog.__wrapped__
    monkeypatch.setattr(messages, "catalog", lambda lang: holed if lang == "fr" else read(lang))
    assert messages.languages.__wrapped__() == {"ar": "العربية", "en": "English", "es": "Español"}
