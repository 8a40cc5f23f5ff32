"""Every Member State over ten cycles: 194 x 10 = 1,940 assessments (59 answers each), SQLite and PostgreSQL.

Each figure is a ratio against a floor measured in the same run, interleaved (app, floor, app, floor...),
median of the rounds, so the load of a shared machine hits both alike:

* Home list (``service.list_assessments``, stored scores) vs a Core SELECT of the same rows and columns;
* CLI export of one cycle (``service.export_documents`` filtered in SQL) vs a Core SELECT of its answer rows;
* Home page first render (a new session) and rerun (AppTest) vs a bare Streamlit script that reads the same
  rows from the same database with SQLAlchemy Core and draws the same widgets;
* batch scoring (``scoring.batch.score_many``) vs a floor that builds the dense matrices in one Python pass
  with precomputed lookups and applies the same skip logic in numpy (results checked equal);
* import through the service vs SQLAlchemy Core writing the same rows (assessment, answers, change log);
* app start to first rendered page (a fresh process) vs the bare script, and the RSS after Compare.

The 1,940 assessments are written once with Core bulk inserts and cached (SQLite: a file under the temp
folder; PostgreSQL: schema ``bench_scale`` of ``TEST_DATABASE_URL`` or ``BENCH_DATABASE_URL``). Every
benchmark that uses them has its own copy (:func:`database`'s ``name``) and holds its lock while it runs.
Run: ``python benchmarks/scale.py [rounds]`` (a few minutes on 2 cores).
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from answers.document import AnswersDocument  # noqa: E402
from assessment.filters import AssessmentFilter  # noqa: E402
from benchmarks.timing import interleaved  # noqa: E402
from questionnaires import Questionnaire, default_questionnaire  # noqa: E402

CYCLES = tuple(range(2016, 2026))
CACHE = Path(tempfile.gettempdir()) / "iotready-bench"
PG_SCHEMA = "bench_{name}"  # one schema per benchmark (database()'s name); scale.py's is bench_scale
_LOCKS: dict[str, IO[str]] = {}  # held until the process ends (the kernel releases them, even after a crash)
TARGETS = {"home_first": 2.0, "home_rerun": 1.5, "batch": 2.0, "start": 2.0, "import": 2.0}


# --- the data, once ---------------------------------------------------------------------------------------


def documents(q: Questionnaire) -> list[AnswersDocument]:
    """194 Member States x 10 cycles of random valid answers; 90 % submitted."""
    from benchmarks.generate import random_documents
    from refdata import countries

    codes = [c.iso3 for c in countries()]
    docs = random_documents(q, len(codes) * len(CYCLES))
    return [
        d.model_copy(update={"country": codes[i % len(codes)], "cycle": CYCLES[i // len(codes)],
                             "status": "draft" if i % 10 == 0 else "submitted",
                             "questionnaire_hash": q.content_hash})
        for i, d in enumerate(docs)
    ]


def _rows(q: Questionnaire, docs: list[AnswersDocument], *, log: bool) -> tuple[list[dict[str, Any]], ...]:
    """The assessment, answer and change-log rows of ``docs``, as the service would write them."""
    from answers.document import Answer
    from assessment.models import new_id
    from assessment.service import ANSWER_FIELDS, normalise_answer

    blank = Answer().model_dump(include=set(ANSWER_FIELDS))

    now = datetime.now(UTC)
    assessments, answers, changes = [], [], []
    for d in docs:
        aid = new_id()
        assessments.append({
            "id": aid, "country": d.country, "cycle": d.cycle, "questionnaire_id": q.id,
            "questionnaire_version": q.version, "questionnaire_hash": q.content_hash, "status": d.status,
            "illustrative": False, "targets": {}, "created_at": now, "updated_at": now, "created_by": "bench",
            "updated_by": "bench", "version": 1,
        })
        if log:
            changes.append({"assessment_id": aid, "question_id": None, "field": "created", "old": None,
                            "new": {"country": d.country, "cycle": d.cycle}, "at": now, "by": "bench"})
        for qid, a in d.answers.items():
            fields = normalise_answer(q.question(qid).type, a).model_dump(include=set(ANSWER_FIELDS))
            answers.append({"id": new_id(), "assessment_id": aid, "question_id": qid, **fields,
                            "updated_at": now, "updated_by": "bench", "version": 1})
            if log:
                changes.extend(
                    {"assessment_id": aid, "question_id": qid, "field": f, "old": None, "new": v, "at": now,
                     "by": "bench"}
                    for f, v in fields.items() if v != blank[f]
                )
        if log and d.status != "draft":
            changes.append({"assessment_id": aid, "question_id": None, "field": "status", "old": "draft",
                            "new": d.status, "at": now, "by": "bench"})
    return assessments, answers, changes


def _core_write(engine: Engine, q: Questionnaire, docs: list[AnswersDocument], *, per_document: bool) -> None:
    from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE, SQLModel

    log_table = SQLModel.metadata.tables["change_log"]
    batches = [[d] for d in docs] if per_document else [docs]
    for batch in batches:
        a_rows, ans_rows, log_rows = _rows(q, batch, log=per_document)
        with engine.begin() as conn:
            conn.execute(insert(ASSESSMENT_TABLE), a_rows)
            if ans_rows:
                conn.execute(insert(ANSWER_TABLE), ans_rows)
            if log_rows:
                conn.execute(insert(log_table), log_rows)


def _lock(name: str) -> None:
    """Hold ``name``'s lock until this process ends; another run of the same benchmark waits for it.

    Two runs on one copy would rewrite each other's data (a Compare run once read 2,125 assessments: an
    import benchmark's rows), and every write changes the data stamp the app's caches are keyed on.
    """
    if name in _LOCKS:
        return
    path = CACHE / f"{name}.lock"
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"  waiting for another run of the same benchmark (lock {path})", flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
    _LOCKS[name] = handle


def database(kind: str, q: Questionnaire, name: str = "scale") -> str | None:
    """The URL of benchmark ``name``'s cached 1,940-assessment database (built on first use), locked for
    this process; None without PostgreSQL.

    Each benchmark names its own copy (SQLite file ``<name>-<hash>.sqlite3``, PostgreSQL schema
    ``bench_<name>``), so benchmarks run at once never read each other's writes.
    """
    from assessment import db

    CACHE.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        _lock(f"{name}-sqlite")
        path = CACHE / f"{name}-{q.content_hash[:12]}.sqlite3"
        url = f"sqlite:///{path}"
    else:
        base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
        if not base:
            return None
        _lock(f"{name}-postgresql")
        schema = PG_SCHEMA.format(name=name)
        admin = db.make_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        admin.dispose()
        parsed = make_url(db.normalise_url(base))
        url = parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    engine = db.connect(url)
    with engine.connect() as conn:  # rebuilt when the questionnaire moved on (the SQLite file is named by its hash)
        count, current = conn.execute(text(
            "SELECT count(*), count(*) FILTER (WHERE questionnaire_version = :v) FROM assessment"
            if kind != "sqlite" else
            "SELECT count(*), sum(questionnaire_version = :v) FROM assessment"), {"v": q.version}).one()
    if count != len(CYCLES) * 194 or current != count:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM assessment"))
        start = time.perf_counter()
        _core_write(engine, q, documents(q), per_document=False)
        print(f"  [{kind}] wrote 1,940 assessments with Core in {time.perf_counter() - start:.1f} s "
              f"(cached for the {name} benchmark)")
    engine.dispose()
    return url


# --- measuring ----------------------------------------------------------------------------------------------


def _report(figures: dict[str, float], name: str, what: str, app_s: float, floor_s: float,
            target: float | None = None) -> None:
    ratio = app_s / floor_s
    figures[name] = ratio
    verdict = "" if target is None else (" OK" if ratio <= target else f" ABOVE TARGET {target}x")
    print(f"  {what:<44} app {1000 * app_s:8.1f} ms  floor {1000 * floor_s:8.1f} ms  {ratio:5.2f}x{verdict}")


def _scorer(q: Questionnaire, question: Any) -> Callable[[Any], float]:
    """A precomputed score lookup for one question (what the floor calls once per answer)."""
    if question.type == "scale":
        scale = q.scales[question.scale or ""]
        table = {o.value: scale.score_of(o.value) or 0.0 for o in scale.options}
        return lambda v: table.get(str(v), 0.0)
    if question.type == "numeric":
        spec = question.numeric
        return lambda v: float(spec.score_of(float(str(v).replace(",", "."))))
    full = float(question.full_at or 1)
    return lambda v: min(1.0, len(set(v)) / full)


def floor_scores(q: Questionnaire, docs: list[AnswersDocument]) -> np.ndarray:
    """Overall scores by one Python pass into dense matrices (precomputed lookups) and numpy skip logic."""
    qs = q.questions
    index = {question.id: j for j, question in enumerate(qs)}
    lookup: list[Callable[[Any], float]] = [_scorer(q, question) for question in qs]
    n, m = len(docs), len(qs)
    answered = np.zeros((n, m), dtype=bool)
    na = np.zeros((n, m), dtype=bool)
    scores = np.zeros((n, m))
    choice = np.full((n, m), "", dtype=object)
    for i, d in enumerate(docs):
        for qid, a in d.answers.items():
            j = index[qid]
            if a.not_applicable:
                na[i, j] = True
            elif not a.dont_know and a.value is not None:
                answered[i, j] = True
                scores[i, j] = lookup[j](a.value)
                choice[i, j] = str(a.value)
    shown = np.ones((n, m), dtype=bool)
    for j, question in enumerate(qs):
        dep = question.depends_on
        if dep is not None:
            p = index[dep.question]
            shown[:, j] = shown[:, p] & answered[:, p] & np.isin(choice[:, p].astype(str), list(dep.in_))
    weights = np.array([question.weight for question in qs])
    carried = np.zeros((n, m))
    for j in range(m - 1, -1, -1):
        dep = qs[j].depends_on
        if dep is not None:
            carried[:, index[dep.question]] += np.where(shown[:, j], 0.0, weights[j] + carried[:, j])
    eff = np.where(shown & ~na, weights + carried, 0.0)
    onehot = np.array([[question.pillar == p.id for p in q.pillars] for question in qs], dtype=float)
    denom, num = eff @ onehot, (eff * scores) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        pillar = np.where(denom > 0, 100.0 * num / np.where(denom > 0, denom, 1.0), np.nan)
    pw = np.array([p.weight for p in q.pillars])
    have = ~np.isnan(pillar)
    total = (have * pw).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nansum(pillar * pw, axis=1) / np.where(total > 0, total, 1.0), np.nan)


def _bare_home(url: str) -> str:
    """A bare Streamlit script: the Home page's rows read with Core from the same database, same widgets."""
    return f'''
import streamlit as st
from sqlalchemy import create_engine, text
from datetime import date

@st.cache_resource
def engine():
    return create_engine({url!r})

SQL = text("SELECT a.id, a.country, a.cycle, a.status, a.illustrative, a.updated_at, s.overall, s.overall_tier, "
           "s.completeness FROM assessment a LEFT JOIN assessment_score s ON s.assessment_id = a.id "
           "ORDER BY a.illustrative, a.country, a.cycle, a.id")
st.selectbox("Language / Langue", ["en", "fr"], key="lang")
st.title("IoT readiness self-assessment")
st.markdown("subtitle")
st.caption("intro")
with st.container(border=True):
    st.subheader("Start")
    left, right = st.columns([3, 1])
    left.selectbox("Member State", [f"C{{i}}" for i in range(194)], index=None, key="home.country")
    right.number_input("Cycle", min_value=2000, max_value=2100, value=date.today().year, step=1, key="home.cycle")
    st.button("Start", type="primary", disabled=True, key="home.start")
with engine().connect() as conn:
    rows = conn.execute(SQL).mappings().all()
st.subheader("Assessments")
import pandas as pd
table = pd.DataFrame([{{"Member State": r["country"], "Cycle": str(r["cycle"]), "Status": r["status"], "Data": "",
                       "Completeness": None if r["completeness"] is None else 100 * r["completeness"],
                       "Overall": "" if r["overall"] is None else f"{{r['overall']:.1f}}",
                       "Tier": r["overall_tier"] or "",
                       "Last change": str(r["updated_at"])[:16]}} for r in rows])
st.dataframe(table, hide_index=True, width="stretch",
             column_config={{"Completeness": st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                            format="%.0f%%")}})
labels = {{r["id"]: f"{{r['country']}} · {{r['cycle']}}" for r in rows}}
pick, open_, results = st.columns([3, 1, 1], vertical_alignment="bottom")
pick.selectbox("Open", list(labels), format_func=labels.__getitem__, key="home.pick")
open_.button("Open", key="home.open")
results.button("Results", key="home.results")
with st.expander("Profiles"):
    st.selectbox("Cycle", sorted({{r["cycle"] for r in rows}}, reverse=True), key="home.bulk_cycle")
    st.button("Make", key="home.bulk_make")
st.caption("Local mode")
'''


def home_pages(url: str, rounds: int, figures: dict[str, float], kind: str) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    bare_path = CACHE / f"bare_home_{kind}.py"
    bare_path.write_text(_bare_home(url), encoding="utf-8")

    def app_first() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        if at.exception:
            raise RuntimeError(at.exception)
        return at

    def bare_first() -> AppTest:
        at = AppTest.from_file(str(bare_path), default_timeout=300).run()
        if at.exception:
            raise RuntimeError(at.exception)
        return at

    first = interleaved(app_first, bare_first, rounds)
    _report(figures, f"{kind}_home_first", "Home first render (new session)", *first, TARGETS["home_first"])
    app, bare = app_first(), bare_first()
    rerun = interleaved(lambda: app.run(), lambda: bare.run(), rounds)
    _report(figures, f"{kind}_home_rerun", "Home rerun", *rerun, TARGETS["home_rerun"])


def start_and_memory(url: str, figures: dict[str, float], kind: str, rounds: int = 3) -> None:
    """Fresh processes: start to first rendered page (app vs bare script), and RSS after Compare."""
    env = {**os.environ, "DATABASE_URL": url}
    probe = (
        "import time, sys; t=time.perf_counter(); sys.path.insert(0, {root!r})\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file({script!r}, default_timeout=600).run()\n"
        "assert not at.exception, at.exception\n"
        "first = time.perf_counter() - t\n"
        "{more}\n"
        "rss = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')][0] / 1024\n"
        "print(first, rss)\n"
    )
    bare = CACHE / f"bare_home_{kind}.py"

    def run(script: str, more: str = "") -> tuple[float, float]:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", probe.format(root=str(ROOT), script=script, more=more)],
                             env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        wall = time.perf_counter() - start
        return wall, float(out.stdout.split()[1])

    app_t, bare_t = [], []
    for _ in range(rounds):
        app_t.append(run(str(ROOT / "app.py"))[0])
        bare_t.append(run(str(bare))[0])
    _report(figures, f"{kind}_start", "start -> first page (fresh process)", statistics.median(app_t),
            statistics.median(bare_t), TARGETS["start"])
    compare = ("at.switch_page('ui/pages/compare.py').run(); assert not at.exception, at.exception")
    _, rss_app = run(str(ROOT / "app.py"), compare)
    _, rss_bare = run(str(bare))
    figures[f"{kind}_rss_compare_mb"] = rss_app
    figures[f"{kind}_rss_bare_mb"] = rss_bare
    print(f"  {'RSS after Compare (one process)':<44} app {rss_app:8.0f} MB  bare {rss_bare:8.0f} MB")


def imports(url: str, q: Questionnaire, rounds: int, figures: dict[str, float], kind: str) -> None:
    """Import through the service vs Core writes of the same rows, each into cycles no one else uses."""
    from assessment import db, service
    from assessment.models import ASSESSMENT_TABLE

    engine = db.connect(url)
    pool = documents(q)[: 194]
    batch = 20
    counter = iter(range(10_000))

    def fresh(offset: int) -> list[AnswersDocument]:
        n = next(counter)
        return [d.model_copy(update={"cycle": 2050 + (n * 2 + offset) % 50}) for d in pool[:batch]]

    def app() -> None:
        docs = fresh(0)
        with Session(engine) as s:
            for d in docs:
                service.import_document(s, doc=d, questionnaire=q)

    def floor() -> None:
        _core_write(engine, q, fresh(1), per_document=True)

    try:
        app_s, floor_s = interleaved(app, floor, rounds)
        _report(figures, f"{kind}_import", f"import of {batch} assessments", app_s, floor_s, TARGETS["import"])
    finally:
        with engine.begin() as conn:
            conn.execute(ASSESSMENT_TABLE.delete().where(ASSESSMENT_TABLE.c.cycle >= 2050))
        engine.dispose()


def run_database(kind: str, q: Questionnaire, rounds: int, figures: dict[str, float]) -> None:
    from assessment import db, service
    from assessment.models import ANSWER_TABLE, ASSESSMENT_TABLE, SCORE_TABLE

    url = database(kind, q)
    if url is None:
        print(f"[{kind}] skipped: set TEST_DATABASE_URL or BENCH_DATABASE_URL")
        return
    print(f"[{kind}] 194 x 10 = 1,940 assessments")
    engine = db.connect(url)
    with Session(engine) as s:
        start = time.perf_counter()
        service.list_assessments(s, AssessmentFilter(questionnaire=q))  # the first read stores missing scores, in batch
        print(f"  first list (stores missing scores in batch): {time.perf_counter() - start:.2f} s")

        list_floor = select(*ASSESSMENT_TABLE.c, *SCORE_TABLE.c).select_from(
            ASSESSMENT_TABLE.outerjoin(SCORE_TABLE, SCORE_TABLE.c.assessment_id == ASSESSMENT_TABLE.c.id)
        ).order_by(ASSESSMENT_TABLE.c.illustrative, ASSESSMENT_TABLE.c.country, ASSESSMENT_TABLE.c.cycle)
        app_s, floor_s = interleaved(lambda: service.list_assessments(s, AssessmentFilter(questionnaire=q)),
                                     lambda: s.execute(list_floor).mappings().all(), rounds)
        _report(figures, f"{kind}_list", "Home list (1,940 rows, stored scores)", app_s, floor_s)

        cycle_floor = select(*ASSESSMENT_TABLE.c, *ANSWER_TABLE.c).select_from(
            ASSESSMENT_TABLE.join(ANSWER_TABLE, ANSWER_TABLE.c.assessment_id == ASSESSMENT_TABLE.c.id)
        ).where(ASSESSMENT_TABLE.c.cycle == 2025, ASSESSMENT_TABLE.c.status == "submitted")
        app_s, floor_s = interleaved(
            lambda: service.export_documents(
                s, AssessmentFilter(questionnaire=q, cycle=2025, status="submitted", illustrative=False)),
            lambda: s.execute(cycle_floor).mappings().all(), rounds)
        _report(figures, f"{kind}_export_cycle", "export --cycle 2025 (documents)", app_s, floor_s)

        app_s, floor_s = interleaved(lambda: service.export_documents(s, AssessmentFilter(questionnaire=q)),
                                     lambda: s.execute(select(*ANSWER_TABLE.c)).mappings().all(), max(3, rounds // 3))
        _report(figures, f"{kind}_export_all", "all 1,940 documents (Compare's exports)", app_s, floor_s)
        docs = service.export_documents(s, AssessmentFilter(questionnaire=q))
    engine.dispose()

    if kind == "sqlite":  # scoring does not touch the database: once is enough
        from scoring.batch import score_many

        ours = score_many(q, docs, check=False)["overall"].to_numpy(dtype=float)
        theirs = floor_scores(q, docs)
        diff = float(np.nanmax(np.abs(ours - theirs)))
        if diff > 1e-9 or not np.array_equal(np.isnan(ours), np.isnan(theirs)):
            raise RuntimeError(f"the scoring floor differs from score_many (max {diff})")
        app_s, floor_s = interleaved(lambda: score_many(q, docs, check=False), lambda: floor_scores(q, docs),
                                     max(3, rounds // 3))
        _report(figures, "batch_scoring", f"score_many of 1,940 (max diff {diff:.0e})", app_s, floor_s,
                TARGETS["batch"])

    home_pages(url, rounds, figures, kind)
    imports(url, q, max(3, rounds // 3), figures, kind)
    start_and_memory(url, figures, kind)


def main(rounds: int = 7) -> dict[str, float]:
    q = default_questionnaire()
    os.environ.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
    os.environ.setdefault("IOTREADY_LOG_DIR", str(CACHE))
    figures: dict[str, float] = {}
    for kind in ("sqlite", "postgresql"):
        run_database(kind, q, rounds, figures)
    print(json.dumps({k: round(v, 3) if not math.isnan(v) else None for k, v in figures.items()}))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
