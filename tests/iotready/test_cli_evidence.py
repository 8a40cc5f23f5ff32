"""Evidence documents on the command line (issue 25.5): `export -f bundle` / `import` of the zip, the hostile
bundles refused whole, and `iotready evidence list|add|get|remove|purge` under the same access as the app.

The databases are SQLite and, with ``TEST_DATABASE_URL``, PostgreSQL (``db_url``, marker postgres).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import struct
import warnings
import zipfile
from collections.abc import Collection, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from answers.document import Answer
from assessment import db, evidence, service
from assessment.evidence_models import EVIDENCE_BLOB_TABLE, EVIDENCE_FILE_TABLE
from assessment.models import utcnow
from questionnaires import load_questionnaire
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NNBSP = "\u202f"


def _fill(url: str) -> dict[str, str]:
    """Kenya (a draft) and Senegal (handed in) with documents on two answers; the same notes file on both."""
    q = load_questionnaire(MINI)
    engine = db.connect(url)
    ids: dict[str, str] = {}
    with Session(engine) as s:
        for country in ("KEN", "SEN"):
            service.import_documents(s, docs=[document(q, {"pol_framework": Answer(value="adopted"),
                                                           "v6_users": Answer(value=42.5)}, country=country)],
                                     questionnaire=q)
        for a in service.list_assessments(s):
            ids[a.country] = a.id
            evidence.add_evidence(s, assessment_id=a.id, questionnaire=q, question_id="v6_users",
                                  data=io.BytesIO(PDF + a.country.encode()), filename="Telecom Act.pdf",
                                  title=f"Telecommunications Act ({a.country})", reference="art. 12, p. 34")
            evidence.add_evidence(s, assessment_id=a.id, questionnaire=q, question_id="pol_framework",
                                  data=io.BytesIO("Notes de la mission, été 2025\n".encode()), filename="notes.txt",
                                  title="Mission notes")
        sen = document(q, {"pol_framework": Answer(value="adopted"), "v6_users": Answer(value=42.5)}, country="SEN",
                       status="submitted")
        service.import_documents(s, docs=[sen], questionnaire=q)
    engine.dispose()
    return ids


def _contents(url: str) -> dict[tuple[str, str, str], bytes]:
    """Every live document by (country, question, SHA-256): its bytes as the service serves them."""
    engine = db.connect(url)
    got: dict[tuple[str, str, str], bytes] = {}
    with Session(engine) as s:
        for a in service.list_assessments(s):
            for v in evidence.list_evidence(s, assessment_id=a.id):
                data = evidence.open_evidence(s, assessment_id=a.id, evidence_id=v.id).read()
                assert hashlib.sha256(data).hexdigest() == v.sha256
                got[(a.country, v.question_id, v.sha256)] = data
    engine.dispose()
    return got


def _counts(url: str) -> tuple[int, int, int]:
    engine = db.connect(url)
    with Session(engine) as s:
        out = (len(service.list_assessments(s)),
               s.execute(select(func.count()).select_from(EVIDENCE_FILE_TABLE)).scalar_one(),
               s.execute(select(func.count()).select_from(EVIDENCE_BLOB_TABLE)).scalar_one())
    engine.dispose()
    return out


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A bundle exported from a SQLite database holding two assessments and four documents."""
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    _fill(source)
    path = tmp_path / "bundle.zip"
    monkeypatch.setenv("DATABASE_URL", source)
    code, out, err = run(monkeypatch, capsys, "export", "-f", "bundle", "--include-drafts", "-o", str(path), "-q", MINI)
    assert code == 0, err
    assert "2 assessments and 4 evidence documents" in out
    return path


def test_a_bundle_round_trip_into_an_empty_database_gives_the_same_files_byte_for_byte(
    db_url: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        # answers.json is the very document `export -f json` writes
        json_export = tmp_path / "answers.json"
        run(monkeypatch, capsys, "export", "-f", "json", "--include-drafts", "-o", str(json_export), "-q", MINI)
        assert z.read("answers.json") == json_export.read_bytes()
    assert {tuple(sorted(e)) for e in manifest["files"]} == {
        ("assessment", "filename", "path", "question", "reference", "sha256", "size", "title")}
    assert len({e["path"] for e in manifest["files"]}) == 3  # the shared notes are in the zip once
    source = _contents(f"sqlite:///{tmp_path / 'source.sqlite3'}")

    monkeypatch.setenv("DATABASE_URL", db_url)
    code, out, err = run(monkeypatch, capsys, "import", str(bundle), "-q", MINI)
    assert code == 0, err
    assert "Kenya 2025: 2 evidence documents to attach (0 already attached)" in out
    assert "Senegal 2025: 2 evidence documents attached" in out
    assert _contents(db_url) == source  # same answers, same questions, same bytes, same SHA-256
    engine = db.connect(db_url)
    with Session(engine) as s:
        views = [v for a in service.list_assessments(s) for v in evidence.list_evidence(s, assessment_id=a.id)]
        assert {(v.title, v.reference, v.filename) for v in views} >= {
            ("Telecommunications Act (SEN)", "art. 12, p. 34", "Telecom Act.pdf"), ("Mission notes", None, "notes.txt")}
        sen = next(a for a in service.list_assessments(s) if a.country == "SEN")
        assert sen.status == "submitted"  # handed in, as the file said, with its documents
        frame, _ = service.score_frame(s, questionnaire=load_questionnaire(MINI))
        assert list(frame["evidence_coverage"]) == [1.0, 1.0]  # the stored scores count the documents as evidence
    engine.dispose()

    code, out, _ = run(monkeypatch, capsys, "import", str(bundle), "-q", MINI)  # again: nothing doubled
    assert code == 0 and "0 evidence documents to attach (2 already attached)" in out
    assert _counts(db_url) == (2, 4, 3)


def _rewrite(src: Path, dst: Path, *, drop: Collection[str] = frozenset(),
             add: Sequence[tuple[zipfile.ZipInfo | str, bytes]] = (),
             manifest: object = None, entry: dict[str, object] | None = None) -> Path:
    """A copy of the bundle with members dropped or added, and the manifest changed (or one entry added)."""
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    man = json.loads(members.pop("manifest.json"))
    if entry is not None:
        man["files"].append(entry)
    if callable(manifest):
        manifest(man)
    with warnings.catch_warnings(), zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name it is asked to write: that is the point
        for name, data in members.items():
            if name not in drop:
                z.writestr(name, data)
        for info, data in add:
            z.writestr(info, data)
        z.writestr("manifest.json", json.dumps(man))
    return dst


def _entry(data: bytes, path: str, filename: str, *, sha: str | None = None, size: int | None = None
           ) -> dict[str, object]:
    return {"assessment": {"country": "KEN", "cycle": 2025, "id": None}, "question": "v6_users",
            "title": "Law", "reference": None, "filename": filename, "size": len(data) if size is None else size,
            "sha256": sha or hashlib.sha256(data).hexdigest(), "path": path}


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("files/link.pdf")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
BOMB = b"\x00" * (12 * 1024 * 1024)  # 12 MB of zeros: a few kilobytes deflated, a ratio far over 100
BIG = b"a" * (21 * 1024 * 1024)  # over the 20 MB a document may be
NOTES = b"Article 12. " * 25_000


def _hostile(kind: str, bundle: Path, tmp_path: Path) -> tuple[Path, str]:
    """A hostile variant of ``bundle`` and the words its refusal must say (located)."""
    dst = tmp_path / f"{kind}.zip"
    with zipfile.ZipFile(bundle) as z:
        first = json.loads(z.read("manifest.json"))["files"][0]
    cases: dict[str, tuple[dict[str, object], str]] = {
        "traversal": ({"add": [("../x", b"x")]}, "member “../x”: the name climbs out of the archive"),
        "absolute": ({"add": [("/etc/cron.d/x", b"x")]}, "member “/etc/cron.d/x”: the name is an absolute path"),
        "drive": ({"add": [("C:/Windows/x.pdf", PDF)]}, "member “C:/Windows/x.pdf”: the name is an absolute path"),
        "backslash": ({"add": [("files\\..\\x.pdf", PDF)]}, "the name holds a backslash"),
        "control": ({"add": [("files/a\x1b[31m.pdf", PDF)]}, "member “files/a\\x1b[31m.pdf”: the name holds control"),
        "symlink": ({"add": [(_symlink(), b"/etc/passwd")]}, "member “files/link.pdf”: it is a symbolic link"),
        "duplicate": ({"add": [(first["path"].upper().replace("FILES/", "files/"), PDF)]},
                      "another member has the same name"),
        "bomb": ({"add": [("files/bomb.txt", BOMB)], "entry": _entry(BOMB, "files/bomb.txt", "bomb.txt")},
                 "a compression bomb"),
        "html renamed pdf": ({"add": [("files/law.pdf", HTML)], "entry": _entry(HTML, "files/law.pdf", "law.pdf")},
                             "manifest entry 5 (question v6_users, “Law”): the file holds a web page"),
        "empty": ({"add": [("files/empty.pdf", b"")], "entry": _entry(b"", "files/empty.pdf", "empty.pdf")},
                  "manifest entry 5 (question v6_users, “Law”): the file is empty (0 bytes)"),
        "hash mismatch": ({"add": [("files/law.pdf", PDF)],
                           "entry": _entry(PDF, "files/law.pdf", "law.pdf", sha="0" * 64)},
                          "its SHA-256 is " + hashlib.sha256(PDF).hexdigest()[:12]),
        "missing file": ({"drop": {first["path"]}}, f"manifest names “{first['path']}”, which is not in the archive"),
        "unlisted member": ({"add": [("files/extra.pdf", PDF)]}, "member “files/extra.pdf”: the manifest does not "
                                                                   "name it"),
        "over the file cap": ({"add": [("files/big.txt", BIG)], "entry": _entry(BIG, "files/big.txt", "big.txt")},
                              "member “files/big.txt”: the file is larger than 20 MB"),
        "lying header": ({"add": [("files/notes2.txt", NOTES)], "entry": _entry(NOTES, "files/notes2.txt", "n.txt")},
                         "manifest entry 5 (question v6_users, “Law”): it cannot be unpacked"),
    }
    how, words = cases[kind]
    path = _rewrite(bundle, dst, **how)  # type: ignore[arg-type]
    if kind == "lying header":  # the directory says 1,000 bytes; the member unpacks to 300,000
        _declare(path, "files/notes2.txt", 1000)
    return path, words


def _declare(path: Path, name: str, size: int) -> None:
    """Forge the uncompressed size a member's central directory entry declares."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))


HOSTILE = ["traversal", "absolute", "drive", "backslash", "control", "symlink", "duplicate", "bomb",
           "html renamed pdf", "empty", "hash mismatch", "missing file", "unlisted member", "over the file cap",
           "lying header"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_bundle_is_refused_whole_with_a_located_reason(
    kind: str, db_url: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hostile, words = _hostile(kind, bundle, tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    code, out, err = run(monkeypatch, capsys, "import", str(hostile), "--yes", "-q", MINI)
    assert code == 2, out + err
    assert "was refused, so nothing of it was written" in err
    assert words in " ".join(err.split()), err
    assert _counts(db_url) == (0, 0, 0)  # all or nothing: not one assessment, attachment or byte


def test_a_hostile_bundle_is_refused_in_french(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile, _ = _hostile("traversal", bundle, tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fr.sqlite3'}")
    code, _, err = run(monkeypatch, capsys, "import", str(hostile), "--lang", "fr", "-q", MINI)
    assert code == 2
    assert f"élément «{NNBSP}../x{NNBSP}»{NNBSP}: le nom sort de l'archive" in err
    hostile, _ = _hostile("html renamed pdf", bundle, tmp_path)
    code, _, err = run(monkeypatch, capsys, "import", str(hostile), "--lang", "fr", "-q", MINI)
    assert code == 2 and f"entrée 5 du manifeste (question v6_users, «{NNBSP}Law{NNBSP}»)" in err


def test_a_bundle_adds_documents_to_an_existing_draft_only_after_a_yes_and_keeps_what_is_saved(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'dest.sqlite3'}"
    q = load_questionnaire(MINI)
    engine = db.connect(url)
    with Session(engine) as s:  # Kenya exists already with another document on the same answer
        service.import_documents(s, docs=[document(q, {"v6_users": Answer(value=42.5),
                                                       "pol_framework": Answer(value="adopted")}, country="KEN")],
                                 questionnaire=q)
        ken = service.list_assessments(s)[0].id
        evidence.add_evidence(s, assessment_id=ken, questionnaire=q, question_id="v6_users",
                              data=io.BytesIO(PDF + b"local"), filename="local.pdf", title="Local copy")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, _ = run(monkeypatch, capsys, "import", str(bundle), "-q", MINI)  # no terminal: no yes
    assert code == 1 and "Kenya 2025: 2 evidence documents to attach (0 already attached)" in out
    assert _counts(url) == (1, 1, 1)
    code, out, err = run(monkeypatch, capsys, "import", str(bundle), "--yes", "-q", MINI)
    assert code == 0, err
    assert _counts(url) == (2, 5, 4)  # the local document kept, the bundle's four added


def test_a_bundle_for_a_country_the_user_may_not_import_is_refused(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dest.sqlite3'}")
    run(monkeypatch, capsys, "users", "invite", "fp@rwa.example", "--role", "focal_point", "--country", "RWA")
    code, _, err = run(monkeypatch, capsys, "--as", "fp@rwa.example", "import", str(bundle), "--yes", "-q", MINI)
    assert code == 2 and "you may not import for Kenya" in err, err
    assert _counts(f"sqlite:///{tmp_path / 'dest.sqlite3'}")[1:] == (0, 0)


# --- a bundle whose answers.json is over the JSON cap: spooled to disk and streamed (issue 23.1) ------------


def _between_caps(bundle: Path) -> int:
    """A JSON cap over the manifest's size and under the answers': the fixture's answers.json is then streamed."""
    with zipfile.ZipFile(bundle) as z:
        return (z.getinfo("manifest.json").file_size + z.getinfo("answers.json").file_size) // 2


def _spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the import unpacks to, so a test can see it is left empty."""
    import tempfile

    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("yes", [[], ["--yes"]], ids=["asked", "yes"])
def test_a_bundle_whose_answers_are_over_the_json_cap_imports_streamed_as_a_small_one_does(
    yes: list[str], db_url: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same lines and the same documents, on the right assessments, as the bundle read whole; with the yes
    given beforehand too (a large JSON file is then written as it is planned, which would leave no room to plan
    the documents first)."""
    from exchange import bulk
    from exchange import bundle as bundle_module

    whole_url = f"sqlite:///{tmp_path / 'whole.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", whole_url)
    code, whole_out, err = run(monkeypatch, capsys, "import", str(bundle), "-q", MINI, *yes)
    assert code == 0, err

    readings: list[bool] = []
    real = bulk.stream_patches

    def counted(*args: object, **kwargs: object) -> str:
        readings.append(bool(kwargs.get("checked")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "stream_patches", counted)
    monkeypatch.setattr(bundle_module, "MAX_JSON_BYTES", _between_caps(bundle))
    spool = _spool_dir(tmp_path, monkeypatch)
    monkeypatch.setenv("DATABASE_URL", db_url)
    code, out, err = run(monkeypatch, capsys, "import", str(bundle), "-q", MINI, *yes)
    assert code == 0, err
    assert readings == [False, True]  # streamed: planned on the first reading, written on the second
    assert re.sub("[0-9a-f]{32}", "ID", out) == re.sub("[0-9a-f]{32}", "ID", whole_out)  # but the new ids
    assert "Kenya 2025: 2 evidence documents to attach (0 already attached)" in out
    assert _contents(db_url) == _contents(whole_url) == _contents(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    assert list(spool.iterdir()) == []  # the unpacked answers are removed


def _bad_answers(bundle: Path, country: str) -> bytes:
    """The bundle's answers.json with ``country``'s framework answer out of its choices."""
    with zipfile.ZipFile(bundle) as z:
        data = json.loads(z.read("answers.json"))
    for item in data["assessments"]:
        if item["answers"]["country"] == country:
            item["answers"]["answers"]["pol_framework"]["value"] = "nonsense"
    return json.dumps(data, indent=1).encode()


def test_a_streamed_bundle_with_one_bad_assessment_writes_nothing_and_locates_it(
    db_url: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from exchange import bundle as bundle_module

    bad = _bad_answers(bundle, "SEN")  # the second assessment: Kenya's is planned before it is read
    hostile = _rewrite(bundle, tmp_path / "bad.zip", drop={"answers.json"}, add=[("answers.json", bad)],
                       manifest=lambda m: m.update(answers_sha256=hashlib.sha256(bad).hexdigest()))
    monkeypatch.setattr(bundle_module, "MAX_JSON_BYTES", _between_caps(bundle))
    spool = _spool_dir(tmp_path, monkeypatch)
    monkeypatch.setenv("DATABASE_URL", db_url)
    code, out, err = run(monkeypatch, capsys, "import", str(hostile), "--yes", "-q", MINI, "--lang", "fr")
    assert code == 2, out + err
    assert "SEN 2025" in err and "pol_framework" in err, err
    assert "value\u202f: doit être l'une des valeurs" in err  # in the reader's language
    assert _counts(db_url) == (0, 0, 0)  # all or nothing: not Kenya's answers, nor a document
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize("kind", ["over the overall cap", "bomb", "hash mismatch"])
def test_a_streamed_answers_member_keeps_the_bundle_guards_and_leaves_no_temporary_file(
    kind: str, bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from exchange import bundle as bundle_module

    cap = _between_caps(bundle)
    monkeypatch.setattr(bundle_module, "MAX_JSON_BYTES", cap)
    path, words = bundle, ""
    if kind == "over the overall cap":  # refused before a byte is unpacked, with a JSON file's words
        monkeypatch.setattr(bundle_module, "MAX_ANSWERS_BYTES", 1024 * 1024)
        path = tmp_path / "big.zip"
        with path.open("wb") as fh:
            bundle_module.write_bundle(fh, _random_export(120), [])
        words = "member “answers.json”: the file is 1.1 MB; the limit for a JSON file is 1 MB"
    elif kind == "bomb":  # valid JSON, 2 MB of spaces deflated to a few kilobytes
        with zipfile.ZipFile(bundle) as z:
            padded = z.read("answers.json").replace(b"[", b"[" + b" " * 2 * 1024 * 1024, 1)
        path = _rewrite(bundle, tmp_path / "bomb.zip", drop={"answers.json"}, add=[("answers.json", padded)],
                        manifest=lambda m: m.update(answers_sha256=hashlib.sha256(padded).hexdigest()))
        words = "member “answers.json”: it declares 760 times its compressed size (a compression bomb"
    else:
        bad = _bad_answers(bundle, "SEN")
        path = _rewrite(bundle, tmp_path / "hash.zip", drop={"answers.json"}, add=[("answers.json", bad)])
        words = f"member “answers.json”: its SHA-256 is {hashlib.sha256(bad).hexdigest()[:12]}"
    spool = _spool_dir(tmp_path, monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dest.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--yes", "-q", MINI)
    assert code == 2, out + err
    assert words in " ".join(err.split()), err
    assert _counts(f"sqlite:///{tmp_path / 'dest.sqlite3'}") == (0, 0, 0)
    assert list(spool.iterdir()) == []


_SOME = ("KEN", "SEN", "RWA", "GHA", "NGA", "FRA", "BRA", "IND", "CHN", "USA",
         "ZAF", "EGY", "MAR", "TUN", "DZA", "ETH", "UGA", "TZA", "ZMB", "ZWE")


def _random_export(n: int) -> bytes:
    """An export of ``n`` assessments with comments of random text (a zip does not shrink it 100 times)."""
    import base64
    import os

    from exchange.export_format import EXPORT_FORMAT

    q = load_questionnaire(MINI)
    items = [json.dumps({"answers": {"questionnaire_id": q.id, "questionnaire_version": q.version,
                                     "country": _SOME[i % 20], "cycle": 2000 + i // 20, "answers": {"pol_framework": {
                                         "value": "adopted", "comment": base64.b64encode(os.urandom(7000)).decode()}}}})
             for i in range(n)]
    return (f'{{"format": "{EXPORT_FORMAT}", "assessments": ['.encode() + ",".join(items).encode() + b"]}")


def test_an_export_that_deflates_over_the_bomb_ratio_is_written_so_that_its_bundle_imports(tmp_path: Path) -> None:
    """Every answer "don't know", with the same comment, in every assessment: deflated, answers.json would read
    as a compression bomb."""
    import zlib

    from exchange import bundle as bundle_module

    q = load_questionnaire(MINI)
    same = {qid.id: {"dont_know": True, "comment": "The ministry has not answered yet. " * 50}
            for qid in q.all_questions}
    items = [json.dumps({"answers": {"questionnaire_id": q.id, "questionnaire_version": q.version,
                                     "country": _SOME[i % 20], "cycle": 2000 + i // 20, "answers": same}})
             for i in range(2000)]
    answers = b'{"format": "iotready-export", "assessments": [' + ",\n".join(items).encode() + b"]}"
    assert len(answers) > 100 * len(zlib.compress(answers))  # over the reader's bound, were it deflated
    repetitive, ordinary = tmp_path / "repetitive.zip", tmp_path / "ordinary.zip"
    for path, data in ((repetitive, answers), (ordinary, _random_export(120))):
        with path.open("wb") as fh:
            bundle_module.write_bundle(fh, data, [])
    with bundle_module.read_bundle(repetitive) as got:
        assert got.answers == answers
    with zipfile.ZipFile(ordinary) as z:  # an export as the tool's usually are is still deflated
        assert z.getinfo("answers.json").compress_type == zipfile.ZIP_DEFLATED

def test_a_repetitive_text_document_over_a_megabyte_is_written_so_that_its_bundle_imports(tmp_path: Path) -> None:
    """A 2 MB log of one line repeated deflates about 1000 times: deflated, the reader would refuse it as a
    compression bomb. A small text is still deflated."""
    import hashlib

    from exchange import bundle as bundle_module

    def entry(data: bytes, name: str) -> tuple[bundle_module.BundleEntry, list[bytes]]:
        sha = hashlib.sha256(data).hexdigest()
        return (bundle_module.BundleEntry(country="KEN", cycle=2025, question_id="v6_users", title=name,
                                          reference=None, filename=name, size=len(data), sha256=sha,
                                          path=bundle_module.member_name(sha, name)), [data])

    log, notes = entry(b"2025-01-01 link up\n" * 110_000, "log.txt"), entry(b"Notes de la mission\n" * 20, "notes.txt")
    path = tmp_path / "docs.zip"
    with path.open("wb") as fh:
        bundle_module.write_bundle(fh, _random_export(2), [log, notes])
    with bundle_module.read_bundle(path):  # refused (BundleRefused) were the log deflated
        pass
    with zipfile.ZipFile(path) as z:
        kinds = [z.getinfo(e.path).compress_type for e, _ in (log, notes)]
    assert kinds == [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]


def test_reading_a_streamed_bundle_holds_one_assessment_at_a_time_not_the_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The peak of Python allocations while unpacking and planning 19 MB of answers stays a few read blocks of a
    megabyte (zipfile's and ours), whatever their size; read whole, they were at least their size."""
    import tracemalloc

    from exchange import bundle as bundle_module
    from exchange.bulk import stream_patches

    answers = _random_export(2000)
    assert len(answers) > 19_000_000
    path = tmp_path / "big.zip"
    with path.open("wb") as out:
        bundle_module.write_bundle(out, answers, [])
    monkeypatch.setattr(bundle_module, "MAX_JSON_BYTES", 1024 * 1024)
    seen: list[tuple[str, int]] = []
    q = load_questionnaire(MINI)
    tracemalloc.start()
    try:
        with bundle_module.read_bundle(path) as got:
            assert got.answers is None and got.answers_path is not None
            digest = stream_patches(q, got.answers_path, lambda p: seen.append((p.country, p.cycle)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digest == hashlib.sha256(answers).hexdigest()
    assert seen == [(_SOME[i % 20], 2000 + i // 20) for i in range(2000)]
    assert peak < 6_000_000, peak


# --- iotready evidence ---------------------------------------------------------------------------------------


def test_evidence_add_list_get_remove_purge_as_a_script_would(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _fill(db_url)
    monkeypatch.setenv("DATABASE_URL", db_url)
    law = tmp_path / "Cyber Act.pdf"
    law.write_bytes(PDF + b"cyber")
    code, out, err = run(monkeypatch, capsys, "evidence", "add", str(law), "-a", ids["KEN"], "--question", "v6_users",
                         "--title", "Cybersecurity Act 2021", "--reference", "art. 3", "-q", MINI)
    assert code == 0, err
    assert "attached “Cybersecurity Act 2021” to question 2.1: Cyber Act.pdf" in " ".join(out.split())
    evidence_id = out.rsplit("(id ", 1)[1].split(")")[0]

    code, out, _ = run(monkeypatch, capsys, "evidence", "list", "-a", ids["KEN"], "--question", "2.1", "-q", MINI)
    assert code == 0 and evidence_id in out and "Cybersecurity Act 2021" in out
    assert hashlib.sha256(PDF + b"cyber").hexdigest()[:12] in out
    assert "2.1" in out and "v6_users" not in out  # the question by its number, as the reader knows it

    target = tmp_path / "out"
    target.mkdir()
    code, out, err = run(monkeypatch, capsys, "evidence", "get", evidence_id, "-a", ids["KEN"], "-o", str(target))
    assert code == 0, err
    assert (target / "Cyber Act.pdf").read_bytes() == PDF + b"cyber"
    assert "SHA-256 checked" in out

    code, out, _ = run(monkeypatch, capsys, "evidence", "remove", evidence_id, "-a", ids["KEN"], "-q", MINI)
    assert code == 0 and "stays in the history until an administrator purges it" in " ".join(out.split())
    code, out, _ = run(monkeypatch, capsys, "evidence", "list", "-a", ids["KEN"], "--question", "v6_users", "-q", MINI)
    assert evidence_id not in out
    code, out, _ = run(monkeypatch, capsys, "evidence", "list", "-a", ids["KEN"], "--removed")
    assert evidence_id in out

    code, out, _ = run(monkeypatch, capsys, "evidence", "purge")  # removed a moment ago: within retention
    assert code == 0 and "No removed document older than 90 days." in out
    engine = db.connect(db_url)
    with Session(engine) as s:  # removed 100 days ago
        s.execute(update(EVIDENCE_FILE_TABLE).where(EVIDENCE_FILE_TABLE.c.id == evidence_id).values(
            removed_at=utcnow() - timedelta(days=100)))
        s.commit()
    engine.dispose()
    code, out, _ = run(monkeypatch, capsys, "evidence", "purge", "-q", MINI)  # dry run by default
    assert code == 0 and "1 removed document older than 90 days would be purged (nothing was" in " ".join(out.split())
    assert "Kenya 2025, question 2.1: “Cybersecurity Act 2021”" in " ".join(out.split())
    assert _counts(db_url)[1] == 5
    code, out, _ = run(monkeypatch, capsys, "evidence", "purge", "--apply")
    assert code == 0 and "1 removed document purged" in out
    assert _counts(db_url)[1:] == (4, 3)


def test_evidence_add_refuses_a_question_number_the_questionnaire_does_not_have(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _fill(db_url)
    monkeypatch.setenv("DATABASE_URL", db_url)
    law = tmp_path / "law.pdf"
    law.write_bytes(PDF + b"law")
    before = _counts(db_url)
    code, _, err = run(monkeypatch, capsys, "evidence", "add", str(law), "--lang", "fr", "-a", ids["KEN"],
                       "--question", "9.9", "--title", "Loi", "-q", MINI)
    assert code == 2
    assert "aucune question ne porte le numéro 9.9 dans ce questionnaire" in " ".join(err.split())
    assert f"questionnaire{NNBSP}:" in err
    assert _counts(db_url) == before  # nothing attached


def test_evidence_commands_obey_the_same_access_as_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'access.sqlite3'}"
    ids = _fill(url)
    monkeypatch.setenv("DATABASE_URL", url)
    run(monkeypatch, capsys, "users", "invite", "c@ken.example", "--role", "contributor", "--country", "KEN",
        "--pillar", "ipv6")
    run(monkeypatch, capsys, "users", "invite", "v@sen.example", "--role", "viewer", "--country", "SEN")
    law = tmp_path / "law.pdf"
    law.write_bytes(PDF + b"x")
    as_contributor = ("--as", "c@ken.example", "evidence", "add", str(law), "-a", ids["KEN"], "--title", "Law",
                      "-q", MINI)
    code, _, err = run(monkeypatch, capsys, *as_contributor, "--question", "pol_framework")  # not their pillar
    assert code == 2 and "pillar" in err
    code, _, err = run(monkeypatch, capsys, *as_contributor, "--question", "v6_users")
    assert code == 0, err
    # Another country's viewer: the assessment is "not found", its documents and their names never shown.
    code, out, err = run(monkeypatch, capsys, "--as", "v@sen.example", "evidence", "list", "-a", ids["KEN"])
    assert code == 2 and "Telecommunications" not in out + err and "do not have access" in err
    code, out, _ = run(monkeypatch, capsys, "--as", "v@sen.example", "evidence", "list", "-a", ids["SEN"])
    assert code == 0 and "Telecommunications Act (SEN)" in out
    code, _, err = run(monkeypatch, capsys, "--as", "v@sen.example", "evidence", "purge", "--apply")
    assert code == 2  # an administrator's act


@pytest.mark.parametrize(("content", "words"), [
    (HTML, "the file holds a web page"),
    (b"", "the file is empty (0 bytes)"),
])
def test_evidence_add_refuses_what_an_upload_refuses(
    content: bytes, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'refuse.sqlite3'}"
    ids = _fill(url)
    monkeypatch.setenv("DATABASE_URL", url)
    bad = tmp_path / "law.pdf"
    bad.write_bytes(content)
    code, _, err = run(monkeypatch, capsys, "evidence", "add", str(bad), "-a", ids["KEN"], "--question", "v6_users",
                       "--title", "Law", "-q", MINI)
    assert code == 2 and words in " ".join(err.split())
    assert _counts(url)[1] == 4


def test_the_offline_workbook_names_the_documents_attached_and_those_to_attach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    url = f"sqlite:///{tmp_path / 'wb.sqlite3'}"
    ids = _fill(url)
    monkeypatch.setenv("DATABASE_URL", url)
    for lang, header, attached, to_attach in (
        ("en", "Evidence documents (attached, or to attach)", "Attached: “Telecommunications Act (KEN)”, "
         "Telecom Act.pdf, art. 12, p. 34, SHA-256 ", "To attach: "),
        ("fr", "Documents justificatifs (joints ou à joindre)", f"Joint{NNBSP}: «{NNBSP}Telecommunications Act "
         f"(KEN){NNBSP}», Telecom Act.pdf, art. 12, p. 34, SHA-256 ", f"À joindre{NNBSP}: "),
    ):
        path = tmp_path / f"ken-{lang}.xlsx"
        code, _, err = run(monkeypatch, capsys, "workbook", "build", "-o", str(path), "--assessment", ids["KEN"],
                           "--lang", lang, "-q", MINI)
        assert code == 0, err
        cells: dict[str, str | None] = {}
        for ws in load_workbook(path).worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if rows and header in rows[0]:
                col = rows[0].index(header)
                cells.update({r[0]: r[col] for r in rows[1:]})
        assert str(cells["v6_users"]).startswith(attached), cells
        assert str(cells["pol_elements"]).startswith(to_attach)  # not answered yet: the document it would need
        code, _, err = run(monkeypatch, capsys, "workbook", "read", str(path), "-q", MINI)
        assert code == 0, err  # the column is never read back


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_score_and_profiles_count_and_list_the_documents_as_the_app_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'score.sqlite3'}"
    ids = _fill(url)  # no answer cites evidence in words: only the attached documents
    monkeypatch.setenv("DATABASE_URL", url)
    code, out, err = run(monkeypatch, capsys, "score", "--assessment", ids["KEN"], "-f", "json", "-q", MINI)
    assert code == 0, err
    assert json.loads(out)["evidence_coverage"] == 1.0
    exported = tmp_path / "ken.json"
    run(monkeypatch, capsys, "export", "-f", "json", "--country", "KEN", "--include-drafts", "-o", str(exported),
        "-q", MINI)
    code, out, _ = run(monkeypatch, capsys, "score", str(exported), "-f", "json", "-q", MINI)
    assert code == 0 and json.loads(out)["evidence_coverage"] == 0.0  # a file carries no documents
    code, _, err = run(monkeypatch, capsys, "score", str(exported), "--assessment", ids["KEN"], "-q", MINI)
    assert code == 2 and "give one of" in err

    single = tmp_path / "ken.pdf"
    code, _, err = run(monkeypatch, capsys, "report", "--assessment", ids["KEN"], "-o", str(single), "-q", MINI)
    assert code == 0, err
    folder = tmp_path / "profiles"
    code, _, err = run(monkeypatch, capsys, "report", "--all", "--cycle", "2025", "-o", str(folder), "--workers", "1",
                       "-q", MINI)
    assert code == 0, err
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 2
    for path in [single, *pdfs]:
        text = _pdf_text(path)
        assert "Annex: evidence documents" in text, path.name
        assert "Mission notes" in text and "Telecommunications Act (" in text and "art. 12, p. 34" in text
