"""`iotready import` of a full export (issue 23, points 1 and 2): one file, memory bounded, a summary line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from answers.document import Answer
from assessment import db, service
from tests.iotready.test_cli import run
from tests.strategies import document

MINI = "tests/fixtures/mini"


def _export_of(docs: list, tmp_path: Path, name: str = "export.json") -> Path:
    from exchange.export import export_json
    from questionnaires import default_questionnaire

    path = tmp_path / name
    path.write_bytes(export_json(default_questionnaire(), docs))
    return path


def _full_export(tmp_path: Path) -> tuple[Path, list]:
    """194 Member States x 10 cycles, every one submitted, as `iotready export -f json` writes them."""
    from benchmarks.scale import documents
    from questionnaires import default_questionnaire

    docs = [d.model_copy(update={"status": "submitted"}) for d in documents(default_questionnaire())]
    return _export_of(docs, tmp_path), docs


def _exported_back_equal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                         docs: list) -> None:
    """``iotready export -f json`` of the database gives back every document's answers, all 1,940."""
    again = tmp_path / "again.json"
    code, _, err = run(monkeypatch, capsys, "export", "-f", "json", "-o", str(again))
    assert code == 0, err
    back = json.loads(again.read_text(encoding="utf-8"))["assessments"]
    key = {(d.country, d.cycle): d.answers for d in docs}
    assert len(back) == 1940
    assert all({q: Answer.model_validate(a) for q, a in b["answers"]["answers"].items()}
               == key[(b["answers"]["country"], b["answers"]["cycle"])] for b in back)


@pytest.mark.slow
def test_a_full_export_of_194_member_states_over_10_cycles_imports_back_in_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, docs = _full_export(tmp_path)
    assert path.stat().st_size > 20 * 1024 * 1024  # over the limit of a file read whole: it is streamed
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 0, err
    assert "1,940 assessments written in one transaction (new: 1,940; changed: 0)" in out
    _exported_back_equal(monkeypatch, capsys, tmp_path, docs)


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.slow
def test_a_full_evidence_bundle_of_194_member_states_over_10_cycles_imports_back_with_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bundle's answers.json is the full export (about 30 MB, over the 20 MB read whole): streamed."""
    import hashlib

    from assessment import evidence
    from exchange.bundle import BundleEntry, member_name, write_bundle
    from questionnaires import default_questionnaire

    q = default_questionnaire()
    first, second = (x.id for x in q.all_questions[:2])
    path, docs = _full_export(tmp_path)
    notes = "Notes de la mission, été 2025\n".encode()
    files = [("KEN", 2025, first, PDF, "Telecom Act.pdf"), ("SEN", 2016, second, notes, "notes.txt"),
             ("KEN", 2016, second, notes, "notes.txt")]  # the same notes on two assessments: one member

    def entries() -> list[tuple[BundleEntry, list[bytes] | None]]:
        out: list[tuple[BundleEntry, list[bytes] | None]] = []
        for country, cycle, qid, data, name in files:
            sha = hashlib.sha256(data).hexdigest()
            out.append((BundleEntry(country=country, cycle=cycle, question_id=qid, title=f"{name} ({country})",
                                    reference=None, filename=name, size=len(data), sha256=sha,
                                    path=member_name(sha, name)), [data]))
        return out

    bundle = tmp_path / "full.zip"
    with bundle.open("wb") as fh:
        write_bundle(fh, path.read_bytes(), entries())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(bundle), "--yes")
    assert code == 0, err
    assert "1,940 assessments written in one transaction (new: 1,940; changed: 0)" in out
    assert "Kenya 2025: 1 evidence document attached" in out and "Senegal 2016: 1 evidence document attached" in out
    engine = db.connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with Session(engine) as s:
        attached = {(a.country, a.cycle, v.question_id, v.filename, v.sha256)
                    for a in service.list_assessments(s) for v in evidence.list_evidence(s, assessment_id=a.id)}
    engine.dispose()
    assert attached == {(c, y, qid, name, hashlib.sha256(data).hexdigest()) for c, y, qid, data, name in files}
    _exported_back_equal(monkeypatch, capsys, tmp_path, docs)

def _padded_export(tmp_path: Path, items: list[bytes]) -> Path:
    """An export over 20 MB (so it is streamed) whose assessments are ``items``, padded with spaces."""
    path = tmp_path / "big.json"
    head = b'{"format": "iotready-export", "assessments": [' + b" " * (21 * 1024 * 1024)
    path.write_bytes(head + b",".join(items) + b"]}")
    return path


def _item(**answers_doc: object) -> bytes:
    from questionnaires import default_questionnaire

    q = default_questionnaire()
    doc = {"questionnaire_id": q.id, "questionnaire_version": q.version, "country": "KEN", "cycle": 2024,
           "answers": {}} | answers_doc
    return json.dumps({"answers": doc}).encode()


@pytest.mark.parametrize(
    ("item", "says"),
    [
        (b'{"answers": {"country": "KEN", "country": "SEN"}}', "appears twice"),
        (b'{"answers": {"x": ' + b"[" * 40 + b"]" * 40 + b"}}", "levels deep"),
        (b'{"answers": {"cycle": ' + b"1" * 41 + b"}}", "a number of 41 characters"),
        (b'{"answers": {"k\\u001b": 1}}', "control character"),
    ],
    ids=["duplicate-key", "too-deep", "long-number", "control-in-key"],
)
def test_a_streamed_export_keeps_the_limits_of_a_file_read_whole(
    item: bytes, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _padded_export(tmp_path, [_item(), item])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 2 and says in err, err
    assert "written" not in out
    engine = db.connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with Session(engine) as s:
        assert service.list_assessments(s) == []  # all or nothing: the valid first assessment is not written
    engine.dispose()


def test_a_streamed_export_locates_an_invalid_assessment_by_country_and_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _item(country="SEN", answers={"pol_framework": {"value": "nonsense"}})
    path = _padded_export(tmp_path, [_item(), bad])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, _out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 2 and "SEN 2024" in err and "pol_framework" in err, err


def test_a_file_over_the_overall_limit_is_refused(tmp_path: Path) -> None:
    from answers.jsonread import JsonRefused
    from answers.jsonstream import stream_export

    path = _padded_export(tmp_path, [_item()])
    with path.open("rb") as fh, pytest.raises(JsonRefused, match="the limit for a JSON file is 1 MB"):
        stream_export(fh, lambda i, item: None, max_bytes=1024 * 1024)


def test_streaming_holds_one_assessment_at_a_time_not_the_file(tmp_path: Path) -> None:
    """The peak of Python allocations while streaming 40 MB stays a small fraction of the file."""
    import tracemalloc

    from answers.jsonstream import stream_export

    one = _item(answers={"pol_framework": {"value": "adopted", "comment": "é" * 9000}})
    path = tmp_path / "many.json"
    path.write_bytes(b'{"format": "iotready-export", "assessments": [' + b",".join([one] * 2000) + b"]}")
    assert path.stat().st_size > 35_000_000
    seen = []
    tracemalloc.start()
    try:
        with path.open("rb") as fh:
            stream_export(fh, lambda i, item: seen.append(i))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(seen) == 2000
    assert peak < 2_000_000, peak


def _stored_docs(n: int) -> list:
    from questionnaires import load_questionnaire

    q = load_questionnaire(MINI)
    countries = ["KEN", "SEN", "RWA", "GHA", "NGA", "FRA", "BRA"]
    return [document(q, {"v6_users": Answer(value=float(i))}, country=c) for i, c in enumerate(countries[:n])]


def _mini_export(tmp_path: Path, n: int) -> Path:
    from exchange.export import export_json
    from questionnaires import load_questionnaire

    path = tmp_path / "seven.json"
    path.write_bytes(export_json(load_questionnaire(MINI), _stored_docs(n)))
    return path


def test_importing_more_than_five_assessments_prints_one_line_each_and_the_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mini_export(tmp_path, 7)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "-q", MINI)
    assert code == 0, err
    assert "Kenya 2025: new, 1 answered question\n" in out and "Brazil 2025: new, 1 answered question\n" in out
    assert "7 assessments in the file. New: 7; to change: 0; unchanged: 0." in out
    assert "┃" not in out  # no table


def test_verbose_import_shows_every_plan_as_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mini_export(tmp_path, 7)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "-q", MINI, "--verbose")
    assert code == 0, err
    assert out.count("a new assessment with 1 change in 1 question") == 7 and out.count("┃") >= 7


def test_importing_again_says_unchanged_per_assessment_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mini_export(tmp_path, 6)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert run(monkeypatch, capsys, "import", str(path), "-q", MINI)[0] == 0
    code, out, err = run(monkeypatch, capsys, "import", str(path), "-q", MINI, "--lang", "fr")
    assert code == 0, err
    assert "Kenya 2025\u202f: inchangée\n" in out
    totals = "6 évaluations dans le fichier. Nouvelles\u202f: 0\u202f; à modifier\u202f: 0\u202f; inchangées\u202f: 6."
    assert totals in out


_IMPORT_THEN_LIST = """
import sys
from iotready.cli import main
sys.argv = ["iotready", "import", sys.argv[1], "--yes"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize("streamed", [False, True], ids=["read-whole", "streamed"])
def test_importing_a_json_file_never_imports_the_workbook_stack_nor_pandas(streamed: bool, tmp_path: Path) -> None:
    """openpyxl (about a second of start-up on a shared machine) is imported where a workbook is read or written,
    pandas where a frame is made."""
    import os
    import subprocess
    import sys

    from questionnaires import default_questionnaire

    path = _padded_export(tmp_path, [_item()]) if streamed else _export_of([document(default_questionnaire(), {})],
                                                                           tmp_path)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "IOTREADY_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", _IMPORT_THEN_LIST, str(path)], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "sqlmodel" in loaded  # the import ran
    assert "openpyxl" not in loaded
    assert "pandas" not in loaded  # nor pandas (half a second): scores are stored without a frame


# --- `import --yes` of a large file: one reading, written as planned, still all or nothing ------------------

FIRST_CHUNK = 101  # more than a chunk (exchange.bulk.CHUNK): the first hundred are written before the rest is read


def _cycles(n: int) -> list[bytes]:
    """``n`` new assessments of Kenya and Rwanda, cycles from 2000 up."""
    return [_item(country=("KEN", "RWA")[i % 2], cycle=2000 + i // 2,
                  answers={"pol_iot_legal_framework": {"dont_know": True}}) for i in range(n)]


def _stored(tmp_path: Path) -> list:
    engine = db.connect(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with Session(engine) as s:
        found = service.list_assessments(s)
    engine.dispose()
    return found


@pytest.mark.parametrize(("yes", "readings"), [(True, 1), (False, 2)], ids=["yes-once", "no-yes-twice"])
def test_a_large_file_is_read_once_when_the_yes_is_given_beforehand(
    yes: bool, readings: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from exchange import bulk

    calls: list[bool] = []
    real = bulk.stream_patches

    def counted(*args: object, **kwargs: object) -> str:
        calls.append(bool(kwargs.get("checked")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "stream_patches", counted)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, _out, err = run(monkeypatch, capsys, "import", str(_padded_export(tmp_path, _cycles(3))),
                         *(["--yes"] if yes else []))
    assert code == 0, err
    assert len(calls) == readings
    assert len(_stored(tmp_path)) == 3  # all new: no question asked either way, every one written


def test_with_the_yes_a_problem_after_the_first_written_chunk_leaves_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _item(country="SEN", answers={"pol_framework": {"value": "nonsense"}})
    path = _padded_export(tmp_path, [*_cycles(FIRST_CHUNK), bad])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 2 and "SEN 2024" in err, err
    assert "written in one transaction" not in out
    assert _stored(tmp_path) == []


def test_with_the_yes_a_refused_plan_after_the_first_written_chunk_leaves_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    handed_in = tmp_path / "handed-in.json"
    handed_in.write_bytes(b'{"format": "iotready-export", "assessments": [' + _item(cycle=2100, status="submitted")
                          + b"]}")
    assert run(monkeypatch, capsys, "import", str(handed_in), "--yes")[0] == 0
    before = _stored(tmp_path)
    assert [(a.cycle, a.status) for a in before] == [(2100, "submitted")]
    changed = _item(cycle=2100, answers={"pol_iot_legal_framework": {"dont_know": True}})  # a file never changes it
    path = _padded_export(tmp_path, [*_cycles(FIRST_CHUNK), changed])
    code, out, err = run(monkeypatch, capsys, "import", str(path), "--yes")
    assert code == 2 and "Kenya 2100" in err, (out, err)
    assert "written in one transaction" not in out
    assert [(a.id, a.version, a.status) for a in _stored(tmp_path)] == [(a.id, a.version, a.status) for a in before]
