"""The content overlay's cost (issue 24): loading the questionnaire with the four content catalogs laid over it,
and the Home and Assess reruns with that questionnaire against the same reruns with the questionnaire as it
was loaded before the overlay (``translations=False``), interleaved in the same run so that noise hits both.

The overlay is laid once per load (the app keeps the loaded questionnaire, ``ui.data``), so a rerun should cost
the same: target at most 1.1x. Run: ``python benchmarks/content_overlay.py [rounds] [lang]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.timing import best_of, timed_rerun  # noqa: E402
from questionnaires import Questionnaire, load_questionnaire  # noqa: E402

TARGET_RATIO = 1.1


def main(rounds: int = 20, lang: str = "en") -> dict[str, float]:
    import ui.data
    from assessment import db, service

    load_with = best_of(load_questionnaire, 3)
    load_without = best_of(lambda: load_questionnaire(translations=False), 3)
    print(f"questionnaire load: {1000 * load_with:.0f} ms with the overlay, {1000 * load_without:.0f} ms without "
          "(once per process)")
    with_it, without = load_questionnaire(), load_questionnaire(translations=False)
    chosen: dict[str, Questionnaire] = {"q": with_it}
    ui.data._questionnaire = lambda directory: chosen["q"]  # type: ignore[assignment]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["DATABASE_URL"] = url
        os.environ["IOTREADY_LOG_DIR"] = tmp
        with Session(db.connect(url)) as s:
            assessment_id = service.get_or_create_assessment(s, country="KEN", cycle=2026, questionnaire=with_it).id
        for page in ("home", "assess"):
            app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            app.query_params["lang"] = lang
            app.query_params["assessment"] = assessment_id
            app.run()
            if page != "home":
                app.switch_page(f"ui/pages/{page}.py").run()
            times: dict[str, list[float]] = {"with": [], "without": []}
            for i in range(rounds + 3):  # the first 3 rounds warm up both
                for name, q in (("with", with_it), ("without", without)):
                    chosen["q"] = q
                    elapsed = timed_rerun(app)
                    if i >= 3:
                        times[name].append(elapsed)
            a, b = statistics.median(times["with"]), statistics.median(times["without"])
            out[page] = a / b
            print(f"{page} rerun ({lang}, {rounds} rounds, median): {1000 * a:.1f} ms with the overlay, "
                  f"{1000 * b:.1f} ms without: {a / b:.2f}x (target <= {TARGET_RATIO}x)")
    started = time.perf_counter()
    texts = [x.text for x in with_it.all_questions] * 50
    for t in texts:
        t.get(lang)
    print(f"I18nText.get: {1e6 * (time.perf_counter() - started) / len(texts):.2f} µs a text")
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, sys.argv[2] if len(sys.argv) > 2 else "en")
