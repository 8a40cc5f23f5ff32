"""A full export (194 Member States x 10 cycles) imported back in one file: time and peak memory.

* ``iotready import FILE --yes`` end to end, in its own process (start, stream the 28 MB file twice, plan and
  write 1,940 assessments in one transaction), vs SQLAlchemy Core writing the same rows (assessments,
  answers, change log) in one transaction, into a fresh SQLite file each, interleaved, median of the rounds.
  Target: within 2x. The CPU time of each side is printed too (the child's own, and Core's process time):
  on a shared machine the wall clock is mostly waiting for a core.
* the import's peak memory (the process's maximum resident set, ``wait4``) against the file's size: the
  file is streamed one assessment at a time, so the peak does not grow with the file.

Run: ``python benchmarks/bulk_import.py [rounds] [--postgres] [--bundle]`` (several minutes on 2 cores); prints
the figures for docs/performance.md. ``--postgres``: both sides write to a fresh schema each (``BENCH_DATABASE_URL``
or ``TEST_DATABASE_URL``, a PostgreSQL server), dropped afterwards. ``--bundle``: the import is of the evidence
bundle whose ``answers.json`` is that export (``iotready export -f bundle``; unpacked to a temporary file, then
streamed, and read twice: its documents are planned before anything is written).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, make_url, text  # noqa: E402

from benchmarks.scale import CACHE, _rows, documents  # noqa: E402
from questionnaires import Questionnaire, default_questionnaire  # noqa: E402

TARGET = 2.0


def export_file(q: Questionnaire) -> Path:
    """The JSON export of 194 x 10 assessments, made once and cached."""
    from exchange.export import export_json

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"export-194x10-{q.version}.json"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(export_json(q, documents(q)))
        tmp.replace(path)
    return path


def bundle_file(q: Questionnaire) -> Path:
    """The evidence bundle of the same export (no documents: what is measured is its answers), made once and cached."""
    from exchange.bundle import write_bundle

    path = export_file(q).with_suffix(".zip")
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            write_bundle(fh, export_file(q).read_bytes(), [])
        tmp.replace(path)
    return path


def fresh_database(folder: Path, name: str) -> str:
    """An empty, migrated SQLite file (migrating is not what is timed)."""
    from assessment import db

    url = f"sqlite:///{folder / name}"
    db.connect(url).dispose()
    return url


_SCHEMAS: list[str] = []


def fresh_schema(base: str) -> str:
    """An empty, migrated PostgreSQL schema of its own on the server ``base`` names (dropped at the end)."""
    from assessment import db

    schema = f"bench_import_{uuid.uuid4().hex[:10]}"
    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    _SCHEMAS.append(schema)
    url = make_url(db.normalise_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    db.connect(rendered).dispose()
    return rendered


@contextmanager
def schemas_dropped(base: str | None) -> Iterator[None]:
    try:
        yield
    finally:
        if base and _SCHEMAS:
            from assessment import db

            admin = db.make_engine(base)
            with admin.begin() as conn:
                for schema in _SCHEMAS:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


# The child reports its own peak (VmHWM of its address space): the rusage of a child started with vfork/exec
# counts the parent's pages too (this process holds the 1,940 documents), which read as a 600 MB import.
_RUN = """
import sys
from iotready.cli import main
sys.argv = ["iotready", "import", sys.argv[1], "--yes"]
try:
    main()
finally:
    import os
    peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
    cpu = os.times()
    print(cpu.user + cpu.system, int(peak.split()[1]), file=sys.stderr)
"""


def cli_import(path: Path, url: str) -> tuple[float, float, int]:
    """Seconds (wall, CPU) and peak resident memory (KiB) of ``iotready import path --yes`` in a fresh process."""
    env = {**os.environ, "DATABASE_URL": url, "IOTREADY_LANG": "en"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, str(path)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr}")
    cpu, peak = done.stderr.strip().splitlines()[-1].split()
    return elapsed, float(cpu), int(peak)


def core_write(q: Questionnaire, url: str) -> tuple[float, float]:
    """Seconds (wall, CPU) for SQLAlchemy Core to write the same rows, change log included, in one transaction."""
    from assessment import db
    from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE, SQLModel

    docs = documents(q)
    engine = db.make_engine(url)
    start, cpu = time.perf_counter(), time.process_time()
    a_rows, ans_rows, log_rows = _rows(q, docs, log=True)
    with engine.begin() as conn:
        conn.execute(insert(ASSESSMENT_TABLE), a_rows)
        conn.execute(insert(ANSWER_TABLE), ans_rows)
        conn.execute(insert(SQLModel.metadata.tables["change_log"]), log_rows)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    return elapsed, cpu


def main(rounds: int = 3, postgres: bool = False, bundle: bool = False) -> dict[str, float]:
    base = (os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")) if postgres else None
    if postgres and not base:
        raise SystemExit("--postgres: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL URL")
    q = default_questionnaire()
    path = bundle_file(q) if bundle else export_file(q)
    app: list[float] = []
    floor: list[float] = []
    peaks: list[int] = []
    app_cpu: list[float] = []
    floor_cpu: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, schemas_dropped(base):
        folder = Path(tmp)

        def fresh(name: str) -> str:
            return fresh_schema(base) if base else fresh_database(folder, name)

        for i in range(rounds):
            seconds, cpu, peak = cli_import(path, fresh(f"cli{i}.sqlite"))
            app.append(seconds)
            app_cpu.append(cpu)
            peaks.append(peak)
            wall, cpu = core_write(q, fresh(f"core{i}.sqlite"))
            floor.append(wall)
            floor_cpu.append(cpu)
            print(f"  round {i + 1}: import {seconds:6.1f} s, CPU {app_cpu[-1]:6.1f} s (peak {peak / 1024:5.0f} MiB)  "
                  f"core {wall:6.1f} s, CPU {cpu:6.1f} s  load {os.getloadavg()[0]:.1f}")
    app_s, floor_s = statistics.median(app), statistics.median(floor)
    cpu_ratio = statistics.median(app_cpu) / statistics.median(floor_cpu)
    figures = {"import_s": app_s, "core_s": floor_s, "ratio": app_s / floor_s, "cpu_ratio": cpu_ratio,
               "peak_mib": max(peaks) / 1024, "file_mb": export_file(q).stat().st_size / 1e6,
               "zip_mb": path.stat().st_size / 1e6 if bundle else 0.0}
    verdict = "OK" if figures["ratio"] <= TARGET else f"ABOVE TARGET {TARGET}x"
    machine = f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, " + (
        "PostgreSQL" if base else "SQLite")
    print(f"  {datetime.now(UTC):%Y-%m-%d} {machine}")
    what = f"bundle ({figures['zip_mb']:.1f} MB zip) import" if bundle else "import"
    print(f"  {what} of 1,940 assessments ({figures['file_mb']:.1f} MB): {app_s:.1f} s; Core {floor_s:.1f} s; "
          f"{figures['ratio']:.2f}x {verdict}; CPU {cpu_ratio:.2f}x; peak memory {figures['peak_mib']:.0f} MiB")
    return figures


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--postgres", "--bundle")]
    main(int(args[0]) if args else 3, postgres="--postgres" in sys.argv[1:], bundle="--bundle" in sys.argv[1:])
