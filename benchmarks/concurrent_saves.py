"""Many users of many countries saving answers at once, through the service layer, on PostgreSQL.

8 processes share the users of 16 countries (3 contributors per country, two of them sharing one
pillar, so some answers are touched by two people and some never are). Every save goes through
``service.save_answer`` with the acting user (the permission check, the optimistic-concurrency check,
the change log). Then it checks that nothing was lost (each answer's version equals the number of
saves that succeeded on it, and the change log holds one row per successful save) and that conflicts
happened only on answers two people touched. The floor, in the same run and the same processes, is a
bare SQL insert-and-commit loop. Figures are ratios to it.

Run: ``python -m benchmarks.concurrent_saves [SAVES_PER_PROCESS] [PROCESSES]`` with
``BENCH_DATABASE_URL`` (or ``TEST_DATABASE_URL``) naming a PostgreSQL server; it works in a schema of
its own, dropped at the end.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, func, select

COUNTRIES = ("KEN", "FRA", "BRA", "IND", "SEN", "RWA", "FJI", "NPL", "CHL", "EGY", "DEU", "JPN", "MEX", "NGA",
             "PHL", "TUN")


def _schema_url(base: str, schema: str) -> str:
    from assessment import db

    url = make_url(db.normalise_url(base))
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def _users(pillars: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, country, pillars): per country, A and B share pillars[1]; C has the rest."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for c in COUNTRIES:
        out.append((f"a@{c.lower()}.example", c, (pillars[0], pillars[1])))
        out.append((f"b@{c.lower()}.example", c, (pillars[1], pillars[2])))
        out.append((f"c@{c.lower()}.example", c, tuple(pillars[3:])))
    return out


def _worker(args: tuple[str, int, int, int, dict[str, str]]) -> dict[str, Any]:
    url, index, processes, saves, assessment_ids = args
    from answers.document import Answer
    from assessment import db, service
    from assessment.access import Actor, Grant
    from questionnaires import default_questionnaire

    q = default_questionnaire()
    pillars = [p.id for p in q.pillars]
    mine = [u for i, u in enumerate(_users(pillars)) if i % processes == index]
    actors = {name: Actor(name, (Grant("contributor", c, frozenset(ps)),)) for name, c, ps in mine}
    questions = {name: [qq.id for p in ps for qq in q.questions_in(p)] for name, _, ps in mine}
    rng = random.Random(index)
    engine = db.make_engine(url)
    versions: dict[tuple[str, str], int] = {}
    latencies: list[float] = []
    ok: Counter[tuple[str, str]] = Counter()
    conflicts: Counter[tuple[str, str]] = Counter()
    touched: dict[tuple[str, str], set[str]] = defaultdict(set)
    floor: list[float] = []
    with Session(engine) as s:
        for i in range(saves):
            name, country, _ = mine[rng.randrange(len(mine))]
            qid = rng.choice(questions[name])
            key = (assessment_ids[country], qid)
            touched[key].add(name)
            start = time.perf_counter()
            try:
                versions[key] = service.save_answer(
                    s, assessment_id=key[0], questionnaire=q, question_id=qid,
                    answer=Answer(comment=f"{name} save {i}"), expected_version=versions.get(key, 0),
                    actor=actors[name],
                )
                ok[key] += 1
            except service.ConflictError as exc:
                conflicts[key] += 1
                versions[key] = exc.current_version  # seen now: the next save by this user goes through
            latencies.append(time.perf_counter() - start)
            # The floor, interleaved: one bare INSERT + COMMIT right after each save, under the same load
            # (the machine is shared; measured apart, the floor ran once the other workers had finished).
            start = time.perf_counter()
            s.execute(text("INSERT INTO bench_floor (worker, n, payload) VALUES (:w, :n, :p)"),
                      {"w": index, "n": i, "p": f"save {i}"})
            s.commit()
            floor.append(time.perf_counter() - start)
    engine.dispose()
    return {"latencies": latencies, "floor": floor, "ok": ok, "conflicts": conflicts,
            "touched": {k: sorted(v) for k, v in touched.items()}}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def main(saves: int = 400, processes: int = 8) -> dict[str, float]:
    from assessment import db, service
    from assessment.models import AnswerRecord, ChangeLog
    from questionnaires import default_questionnaire

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base or make_url(db.normalise_url(base)).get_backend_name() != "postgresql":
        raise SystemExit("set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL URL")
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _schema_url(base, schema)
    try:
        engine = db.connect(url)
        q = default_questionnaire()
        with Session(engine) as s:
            ids = {c: service.get_or_create_assessment(s, country=c, cycle=2026, questionnaire=q).id for c in COUNTRIES}
            s.execute(text("CREATE TABLE bench_floor (id serial PRIMARY KEY, worker int, n int, payload text)"))
            s.commit()
        started = time.perf_counter()
        with mp.get_context("spawn").Pool(processes) as pool:
            results = pool.map(_worker, [(url, i, processes, saves, ids) for i in range(processes)])
        wall = time.perf_counter() - started

        ok: Counter[tuple[str, str]] = Counter()
        conflicts: Counter[tuple[str, str]] = Counter()
        touched: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in results:
            ok.update(r["ok"])
            conflicts.update(r["conflicts"])
            for k, names in r["touched"].items():
                touched[k].update(names)
        with Session(engine) as s:
            stored = {(a.assessment_id, a.question_id): a.version for a in s.exec(select(AnswerRecord))}
            logged = s.exec(select(func.count()).select_from(ChangeLog).where(col(ChangeLog.field) == "comment")).one()
        lost = [k for k, n in ok.items() if stored.get(k) != n]
        lonely_conflicts = [k for k in conflicts if len(touched[k]) < 2]
        latencies = [x for r in results for x in r["latencies"]]
        floor = [x for r in results for x in r["floor"]]
        figures = {
            "saves": float(len(latencies)), "succeeded": float(sum(ok.values())),
            "conflicts": float(sum(conflicts.values())),
            "lost": float(len(lost)), "conflicts_on_untouched_by_two": float(len(lonely_conflicts)),
            "log_rows": float(logged), "save_p95_ms": _p95(latencies) * 1000, "floor_p95_ms": _p95(floor) * 1000,
            "save_mean_ms": statistics.fmean(latencies) * 1000, "floor_mean_ms": statistics.fmean(floor) * 1000,
            "p95_over_floor": _p95(latencies) / _p95(floor), "wall_s": wall,
            "throughput_per_s": len(latencies) / sum(latencies) * processes,
            "floor_throughput_per_s": len(floor) / sum(floor) * processes,
        }
        print(f"{processes} processes x {saves} saves, {len(COUNTRIES)} countries, {len(COUNTRIES) * 3} users")
        print(f"  saves: {int(figures['succeeded'])} succeeded, {int(figures['conflicts'])} conflicts "
              f"(all on answers two people touched: {not lonely_conflicts}), lost: {len(lost)}, "
              f"change-log rows {logged} (= successes: {logged == sum(ok.values())})")
        print(f"  save_answer: p95 {figures['save_p95_ms']:.1f} ms, mean {figures['save_mean_ms']:.1f} ms, "
              f"~{figures['throughput_per_s']:.0f} saves/s")
        print(f"  floor (bare INSERT + COMMIT): p95 {figures['floor_p95_ms']:.1f} ms, mean "
              f"{figures['floor_mean_ms']:.1f} ms, ~{figures['floor_throughput_per_s']:.0f} inserts/s")
        print(f"  p95 ratio save/floor: {figures['p95_over_floor']:.1f}x")
        if lost or lonely_conflicts or logged != sum(ok.values()):
            raise SystemExit("FAILED: lost saves, unexplained conflicts or missing log rows")
        engine.dispose()
        return figures
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
