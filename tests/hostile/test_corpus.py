"""The hostile-input corpus (``cases.yaml``): each case through the CLI and the upload path, on every database.

Asserts the exit status and message, that nothing was written unless the case says so (rows before
and after), that nothing the terminal would obey is echoed, and, for the size cases, that peak
memory stays bounded: the CLI in a subprocess against a floor (the same CLI importing a tiny valid
file, measured in the same run), the upload path with ``tracemalloc``. Each outcome is also written
to ``test-artifacts/hostile-corpus.md``, the table quoted in the issue's closing note.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, select

from answers.document import Answer
from assessment import db, service
from assessment.models import AnswerRecord, Assessment
from exchange.upload import Outcome, check_and_import, read_upload
from iotready.cli import main
from questionnaires import Questionnaire, load_questionnaire
from questionnaires.messages import t

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
ARTIFACT = ROOT / "test-artifacts" / "hostile-corpus.md"
HEAD = '{"country": "KEN", "questionnaire_id": "mini", "questionnaire_version": "0.1.0", "cycle": 2025, "answers": '
RESULTS: dict[tuple[str, str], dict[str, Any]] = {}

# A subprocess that runs the CLI and reports its own peak resident memory (kB) on the last line of stdout.
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so it would report pytest's size.
MEASURED_CLI = """
import sys
from iotready.cli import main
sys.argv = ["iotready", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = int(exc.code or 0)
sys.stdout.flush()
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("PEAK_KB", hwm.split()[1])
sys.exit(code)
"""


# --- generated cases (too big or too repetitive to keep as files) --------------------------------------


def _ids(n: int) -> bytes:
    return (HEAD + "{" + ", ".join(f'"q{i:07d}": {{}}' for i in range(n)) + "}}\n").encode()


GENERATORS: dict[str, Callable[[Path], Path]] = {}


def generator(func: Callable[[Path], bytes | None]) -> Callable[[Path], bytes | None]:
    def make(path: Path) -> Path:
        data = func(path)
        if data is not None:
            path.write_bytes(data)
        return path

    GENERATORS[func.__name__] = make
    return func


@generator
def deep_nesting(_: Path) -> bytes:
    return (HEAD + "[" * 100_000 + "]" * 100_000 + "}\n").encode()


@generator
def unknown_ids_1000(_: Path) -> bytes:
    return _ids(1_000)


@generator
def answers_1001(_: Path) -> bytes:
    return _ids(1_001)


@generator
def unknown_ids_200k(_: Path) -> bytes:
    return _ids(200_000)


@generator
def unknown_ids_1200k(_: Path) -> bytes:
    data = _ids(1_200_000)
    assert 17_000_000 < len(data) < 20 * 1_048_576  # about 18 MB: under the size limit, over the entries limit
    return data


@generator
def padded_21mb(_: Path) -> bytes:
    valid = (HERE / "cases" / "valid.json").read_bytes()
    return valid + b" " * (21 * 1_048_576 - len(valid))


@generator
def sparse_200mb(path: Path) -> None:
    with path.open("wb") as fh:  # 200 MB that take no disk: the CLI streams JSON and refuses at its first bytes
        fh.truncate(200 * 1_048_576)


# --- running ----------------------------------------------------------------------------------------------


def _case_file(case: dict[str, Any], tmp: Path) -> Path | None:
    name = case.get("name") or case.get("file") or (f"{case['generate']}.json" if case.get("generate") else None)
    if name is None:
        return None
    path = tmp / name
    if case.get("generate"):
        return GENERATORS[case["generate"]](path)
    path.write_bytes((HERE / "cases" / case["file"]).read_bytes())
    return path


def _args(case: dict[str, Any], file: Path | None, tmp: Path) -> list[str]:
    args = case.get("args") or ["import", "{file}"]
    return [a.replace("{file}", str(file)).replace("{tmp}", str(tmp)) for a in args] + ["-q", str(MINI)]


def _run_inline(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["iotready", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _run_measured(args: list[str], env: dict[str, str]) -> tuple[int, str, int]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
        errors="surrogateescape",
    )
    out_lines = done.stdout.splitlines()
    peak_kb = int(out_lines[-1].split()[1])
    return done.returncode, "\n".join(out_lines[:-1]) + done.stderr, peak_kb


@pytest.fixture(scope="module")
def floor_kb(tmp_path_factory: pytest.TempPathFactory) -> int:
    """Peak memory of the CLI importing a tiny valid file (imports, database, rendering): the floor."""
    tmp = tmp_path_factory.mktemp("floor")
    file = tmp / "valid.json"
    file.write_bytes((HERE / "cases" / "valid.json").read_bytes())
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp / 'floor.sqlite3'}", "COLUMNS": "200"}
    code, _, peak = _run_measured(["import", str(file), "-q", str(MINI)], env)
    assert code == 0
    return peak


@pytest.fixture(scope="module", autouse=True)
def _write_table() -> Iterator[None]:
    yield
    if not RESULTS:
        return
    lines = ["| case | point | db | exit | message (CLI, first line) | rows before → after | peak MB over floor |",
             "|---|---|---|---|---|---|---|"]
    for (case_id, backend), r in sorted(RESULTS.items()):
        lines.append(f"| {case_id} | {r['point']} | {backend} | {r['exit']} | {r['message']} | "
                     f"{r['rows_before']} → {r['rows_after']} | {'' if r['peak_mb'] is None else r['peak_mb']} |")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(url: str) -> tuple[int, int]:
    engine = db.connect(url)
    try:
        with Session(engine) as s:
            return (s.exec(select(func.count()).select_from(Assessment)).one(),
                    s.exec(select(func.count()).select_from(AnswerRecord)).one())
    finally:
        engine.dispose()


def _check_stored(case: dict[str, Any], url: str) -> None:
    """``stored``: the saved fields per question (invisible characters removed, issue 10 point 9)."""
    for question_id, fields in case.get("stored", {}).items():
        engine = db.connect(url)
        try:
            with Session(engine) as s:
                record = s.exec(select(AnswerRecord).where(AnswerRecord.question_id == question_id)).one()
                assert {k: getattr(record, k) for k in fields} == fields
        finally:
            engine.dispose()


def _outcome_text(outcome: Outcome) -> str:
    parts = [t(outcome.message_key, "en", name=outcome.name, **outcome.message_args)] if outcome.message_key else []
    parts += [p.text("en") for p in outcome.problems] + [outcome.detail or ""]
    return "\n".join(parts)


@contextmanager
def _opener(url: str) -> Iterator[Callable[[], Any]]:
    engine = db.connect(url)
    try:
        yield lambda: Session(engine)
    finally:
        engine.dispose()


def _setup(case: dict[str, Any], url: str, mini: Questionnaire) -> None:
    if case.get("setup") == "submit_ken":
        with _opener(url) as opener, opener() as s:
            made = service.get_or_create_assessment(s, country="KEN", cycle=2025, questionnaire=mini)
            service.save_answer(s, assessment_id=made.id, questionnaire=mini, question_id="pol_city",
                                answer=Answer(value="yes"), expected_version=0)
            service.submit_assessment(s, assessment_id=made.id)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_cli(
    case: dict[str, Any], db_url: str, tmp_path: Path, mini: Questionnaire, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest,
) -> None:
    url = case.get("env", {}).get("DATABASE_URL", db_url)
    _setup(case, db_url, mini)
    before = _rows(db_url)
    file = _case_file(case, tmp_path)
    args = _args(case, file, tmp_path)
    # The messages checked are the English ones, whatever the locale of the machine running the tests.
    env = {"DATABASE_URL": url, "COLUMNS": "200", "IOTREADY_LOG_DIR": str(tmp_path / "logs"), "IOTREADY_LANG": "en"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    peak_mb = None
    if case.get("max_mb"):
        code, output, peak_kb = _run_measured(args, os.environ | env)
        floor = request.getfixturevalue("floor_kb")
        peak_mb = round(max(0, peak_kb - floor) / 1024, 1)
    else:
        code, output = _run_inline(args, capsys, monkeypatch)
    after = _rows(db_url)
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    lines = [line.strip() for line in output.replace(str(tmp_path), "…").splitlines() if line.strip()]
    said = next((line for line in lines if line.startswith("- ")), lines[0] if lines else "")
    RESULTS[(case["id"], backend)] = {
        "point": case["point"], "exit": code, "message": said.replace("|", "\\|")[:120],
        "rows_before": f"{before[0]}/{before[1]}", "rows_after": f"{after[0]}/{after[1]}", "peak_mb": peak_mb,
    }
    assert code == case["exit"], output
    assert case["message"] in output
    assert "Traceback" not in output and "Something went wrong" not in output
    if case.get("absent"):
        assert case["absent"] not in output
    if case.get("rows", "same") == "same":
        assert after == before
    else:
        assert after[0] == case["rows"]
    if peak_mb is not None:
        assert peak_mb < case["max_mb"], f"peak {peak_mb} MB over the floor"
    _check_stored(case, db_url)


UPLOAD_CASES = [c for c in CASES if "upload" in c]


@pytest.mark.parametrize("case", UPLOAD_CASES, ids=[c["id"] for c in UPLOAD_CASES])
def test_upload(case: dict[str, Any], db_url: str, tmp_path: Path, mini: Questionnaire) -> None:
    _setup(case, db_url, mini)
    before = _rows(db_url)
    file = _case_file(case, tmp_path)
    assert file is not None
    payload = file.read_bytes()
    name = file.name if file.suffix == ".json" else "upload.json"
    with _opener(db_url) as opener:
        outcome = check_and_import(mini, name, payload, opener)
    after = _rows(db_url)
    text = _outcome_text(outcome)
    assert case["upload"] in text
    assert outcome.failed == (case["exit"] != 0), text
    assert len(outcome.problems) <= 101  # the session keeps at most 100 problems and a count of the rest
    if case.get("rows", "same") == "same":
        assert after == before
    _check_stored(case, db_url)
    if case.get("setup") == "submit_ken":
        assert outcome.not_reached == [("BRA", 2025)]
    assert all(p.text("fr") for p in outcome.problems)  # every problem in French too
    json.dumps(outcome.message_args)  # plain values only: the outcome is kept in the session


MEASURED_UPLOADS = [c for c in UPLOAD_CASES if c.get("max_mb")]


@pytest.mark.parametrize("case", MEASURED_UPLOADS, ids=[c["id"] for c in MEASURED_UPLOADS])
def test_upload_memory_is_bounded(case: dict[str, Any], tmp_path: Path) -> None:
    """Reading and checking a hostile upload allocates a bounded amount (the old reader took 2.2 GB)."""
    file = _case_file(case, tmp_path)
    assert file is not None
    payload = file.read_bytes()
    mini = load_questionnaire(MINI)
    tracemalloc.start()
    try:
        with pytest.raises(Exception) as info:
            read_upload(mini, "upload.json", payload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(info.value).__name__ == "Refused"
    assert peak / 1_048_576 < case["max_mb"], f"{peak / 1_048_576:.0f} MB"
