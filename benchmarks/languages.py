"""Does a language cost time? Each offered language against English, in the same run (issue 24).

For every offered language, interleaved with English, median of the rounds:

* **one PDF profile** (the illustrative Rwanda example, annexes replayed as every profile after the first);
* **Home** and **Assess** reruns under Streamlit's AppTest, on the illustrative demo data in a temporary SQLite
  file: Home after the new assessment's cycle changes, Assess after one answer is saved (the autosave included).

Figures are ratios to English measured in the same rounds, so machine load hits both sides alike. English's
own ratios against their floors are in docs/performance.md (profiles: ``benchmarks.pdf_profiles``; Assess:
``benchmarks.app_rerun``); a language within ~1.1x of English keeps them. A benchmark, not a test: nothing
here asserts a time. Run: ``python -m benchmarks.languages [ROUNDS]`` (default 5).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from answers.document import AnswersDocument
from questionnaires import default_questionnaire
from questionnaires.messages import languages
from reports.profile import render_profile

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 12, 7)


def _pairs(run: Callable[[str], object], langs: list[str], rounds: int) -> dict[str, float]:
    """Median seconds of ``run(lang)`` per language, English and each language alternating, after a warm-up."""
    for lang in langs:
        run(lang)
    times: dict[str, list[float]] = {lang: [] for lang in langs}
    for _ in range(rounds):
        for lang in langs:
            start = time.perf_counter()
            run(lang)
            times[lang].append(time.perf_counter() - start)
    return {lang: statistics.median(ts) for lang, ts in times.items()}


def _app(lang: str, page: str, assessment_id: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    at.query_params["assessment"] = assessment_id
    at.run()
    if page != "home":
        at.switch_page(f"ui/pages/{page}.py").run()
    if at.exception:
        raise RuntimeError(f"{page} in {lang}: {at.exception}")
    return at


def main(rounds: int = 5) -> None:
    from assessment import db, demo, service
    from assessment.filters import AssessmentFilter

    q = default_questionnaire()
    langs = ["en", *(lang for lang in languages() if lang != "en")]
    doc = AnswersDocument.model_validate_json((ROOT / "examples" / "illustrative-RWA-2025.json").read_text())
    print(f"languages against English, {rounds} rounds, same run; load average {os.getloadavg()[0]:.1f}")

    profiles = _pairs(lambda lang: render_profile(q, doc, lang=lang, generated_on=DAY), langs, rounds)

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        with Session(db.connect(url)) as s:
            demo.load_demo(s, q)
            rows = service.list_assessments(s, AssessmentFilter(questionnaire=q))
            first = next(r.id for r in rows if r.status == "draft")  # editable: Assess saves the answer
        homes = {lang: _app(lang, "home", first) for lang in langs}
        assess = {lang: _app(lang, "assess", first) for lang in langs}
        turn = {lang: 0 for lang in langs}

        def home(lang: str) -> None:  # the new assessment's cycle moves: the whole page reruns, list and all
            turn[lang] += 1
            homes[lang].number_input(key="home.cycle").set_value(2025 + turn[lang] % 2).run()
            if homes[lang].exception:
                raise RuntimeError(f"home in {lang}: {homes[lang].exception}")

        def answer(lang: str) -> None:
            turn[lang] += 1
            radio = assess[lang].radio[0]
            radio.set_value(radio.options[turn[lang] % 2 + 1]).run()
            if assess[lang].exception:
                raise RuntimeError(f"assess in {lang}: {assess[lang].exception}")

        home_times = _pairs(home, langs, rounds)
        assess_times = _pairs(answer, langs, rounds)

    print(f"{'language':10}{'PDF profile':>16}{'Home rerun':>16}{'Assess rerun':>16}")
    for lang in langs:
        cells = [f"{d[lang]:.2f}s {d[lang] / d['en']:.2f}x" for d in (profiles, home_times, assess_times)]
        print(f"{lang:10}" + "".join(f"{c:>16}" for c in cells))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
