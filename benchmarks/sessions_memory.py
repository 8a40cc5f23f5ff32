"""Memory of one app process serving several sessions at 194 x 10, against the bare script.

Each sample is a fresh process that opens N sessions (AppTest, one per adviser's tab), each visiting
Home then Compare, and reports its resident memory (VmRSS) after the last one; the floor is the same
process running N sessions of the bare Home script of ``benchmarks/scale.py`` (the same rows read with
SQLAlchemy Core). The per-session increment is the slope from N=1 to N=5: what each extra session costs.
A dataset duplicated per session would show as a slope of the dataset's size (tens of MB); shared
caches (``st.cache_resource``/``st.cache_data`` per database state) keep it to the session's own state.
Run: ``python benchmarks/sessions_memory.py [sqlite|postgresql]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SESSIONS = (1, 3, 5)
PROBE = """
import gc, sys
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
kept = []
for _ in range({n}):
    at = AppTest.from_file({script!r}, default_timeout=600).run()
    assert not at.exception, at.exception
    if {compare}:
        at.switch_page("ui/pages/compare.py").run()
        assert not at.exception, at.exception
    kept.append(at)  # every session stays open, as tabs do
gc.collect()
print([int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")][0] / 1024)
"""


def rss(script: Path, n: int, *, compare: bool, url: str) -> float:
    """MB resident in a fresh process after ``n`` sessions of ``script``."""
    code = PROBE.format(root=str(ROOT), n=n, script=str(script), compare=compare)
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.split()[-1])


def main(kind: str = "sqlite") -> dict[str, float]:
    from benchmarks import scale
    from questionnaires import default_questionnaire

    q = default_questionnaire()
    os.environ.pop("IOTREADY_QUESTIONNAIRE_DIR", None)
    os.environ.setdefault("IOTREADY_LOG_DIR", str(scale.CACHE))
    url = scale.database(kind, q, name="sessions")
    if url is None:
        raise SystemExit("set TEST_DATABASE_URL or BENCH_DATABASE_URL for PostgreSQL")
    bare = scale.CACHE / f"bare_home_{kind}_sessions.py"
    bare.write_text(scale._bare_home(url), encoding="utf-8")
    figures: dict[str, float] = {}
    print(f"[{kind}] RSS of one process, N sessions each on Home then Compare (app) / the bare Home script:")
    for n in SESSIONS:
        app_mb = rss(ROOT / "app.py", n, compare=True, url=url)
        bare_mb = rss(bare, n, compare=False, url=url)
        figures[f"app_{n}"], figures[f"bare_{n}"] = app_mb, bare_mb
        print(f"  N={n}: app {app_mb:6.0f} MB   bare {bare_mb:6.0f} MB")
    lo, hi = SESSIONS[0], SESSIONS[-1]
    for who in ("app", "bare"):
        figures[f"{who}_per_session"] = (figures[f"{who}_{hi}"] - figures[f"{who}_{lo}"]) / (hi - lo)
    print(f"  per extra session: app {figures['app_per_session']:.1f} MB, bare {figures['bare_per_session']:.1f} MB")
    return figures


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
