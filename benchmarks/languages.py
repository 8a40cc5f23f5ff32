"""Does a language cost time? Each offered language against English, in the same run (issue 24).

For every offered language, interleaved with English, median of the rounds:

* **one PDF profile** (the illustrative Rwanda example, annexes replayed as every profile after the first), also
  against its own plain-fpdf2 floor measured in the same rounds: the profile's page texts in one ``multi_cell`` per
  page, in the language's fonts (shaped right to left for Arabic, broken at any character for Chinese) with the
  same two charts (``benchmarks.pdf_profiles`` does this for English: 1.58x in docs/performance.md);
* **the bulk zip** (Home's "all profiles" zip, ``iotready report --all``): ``BULK`` generated countries'
  profiles on every core through ``reports.bulk.render_many`` and zipped (``zip_profiles``), as the app's
  background task makes it; the rounds after the first start their workers with the shaped widths the earlier
  pools measured (``reports.shaping``), as a server's later zips do; the first zip is printed on its own;
* **Home** and **Assess** reruns under Streamlit's AppTest, on the illustrative demo data in a temporary SQLite
  file: Home after the new assessment's cycle changes, Assess after one answer is saved (the autosave included).

Figures are ratios to English measured in the same rounds, so machine load hits both sides alike. English's
own ratios against their floors are in docs/performance.md (profiles: ``benchmarks.pdf_profiles``; Assess:
``benchmarks.app_rerun``); a language within ~1.1x of English keeps them. A benchmark, not a test: nothing
here asserts a time. Run: ``python -m benchmarks.languages [ROUNDS]`` (default 5).
"""

from __future__ import annotations

import io
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import TypeVar

from fpdf import FPDF
from fpdf.enums import WrapMode
from pypdf import PdfReader
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from answers.document import AnswersDocument
from benchmarks.generate import random_documents
from benchmarks.pdf_profiles import _chart
from formatting.scripts import script_of
from questionnaires import default_questionnaire
from questionnaires.messages import languages
from reports.bulk import ProfileJob, available_cores, render_many, zip_profiles
from reports.fonts import STYLES, fonts_for
from reports.profile import render_profile

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 12, 7)
BULK = 8  # profiles in one bulk zip
K = TypeVar("K", bound=Hashable)


def floor_document(lang: str, page_texts: list[str], values: list[float]) -> bytes:
    """The least a profile with these pages and two charts costs with fpdf2 in ``lang``'s fonts and shaping."""
    script = script_of(lang)
    fonts = fonts_for(script)
    pdf = FPDF(format="A4")
    for face in fonts.faces:
        for style in STYLES:
            if style in ("", "B") or face.files["I"] != face.files[""]:
                pdf.add_font(face.family, style, str(face.path(style)))
    if fonts.fallbacks:
        pdf.set_fallback_fonts([face.family for face in fonts.fallbacks], exact_match=False)
    if script.rtl:
        pdf.set_text_shaping(True, direction="rtl")
    pdf.set_font(fonts.primary.family, "", 9)
    wrap = WrapMode.CHAR if script.break_anywhere else WrapMode.WORD
    for i, text in enumerate(page_texts):
        pdf.add_page()
        pdf.multi_cell(0, 4.5, text[:6000], wrapmode=wrap)
        if i == 3:
            pdf.image(io.BytesIO(_chart("radar", values)), w=150)
            pdf.image(io.BytesIO(_chart("bars", values)), w=150)
    return bytes(pdf.output())


def _bulk(jobs: list[ProfileJob], workers: int) -> bytes:
    """The zip of every job's profile, made as the app's background task makes it."""
    return zip_profiles(render_many(jobs, workers=workers))


def _pairs(run: Callable[[K], object], langs: list[K], rounds: int,
           first: dict[K, float] | None = None) -> dict[K, float]:
    """Median seconds of ``run(lang)`` per language, English and each language alternating, after a warm-up
    (whose seconds go into ``first``, if given)."""
    for lang in langs:
        start = time.perf_counter()
        run(lang)
        if first is not None:
            first[lang] = time.perf_counter() - start
    times: dict[K, list[float]] = {lang: [] for lang in langs}
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

    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # the floor's raw SVG has <metadata>
    values = [float(10 + 9 * i) for i in range(len(q.pillars))]
    pages = {lang: [p.extract_text() or "" for p in PdfReader(io.BytesIO(
        render_profile(q, doc, lang=lang, generated_on=DAY))).pages] for lang in langs}
    sides = [(lang, side) for lang in langs for side in ("profile", "floor")]

    def one(pair: tuple[str, str]) -> object:
        lang, side = pair
        if side == "floor":
            return floor_document(lang, pages[lang], values)
        return render_profile(q, doc, lang=lang, generated_on=DAY)

    timed = _pairs(one, sides, rounds)
    profiles = {lang: timed[lang, "profile"] for lang in langs}
    floors = {lang: timed[lang, "floor"] for lang in langs}

    cores = available_cores()
    docs = random_documents(q, BULK)
    jobs = {lang: [ProfileJob(d, lang=lang, generated_on=DAY) for d in docs] for lang in langs}
    first_bulk: dict[str, float] = {}  # the first zip of this process: its workers measure the shaped widths
    bulk = _pairs(lambda lang: _bulk(jobs[lang], cores), langs, rounds, first_bulk)

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

    print(f"{'language':10}{'PDF profile':>16}{'its floor':>18}{f'bulk zip ({BULK})':>18}"
          f"{'Home rerun':>16}{'Assess rerun':>16}")
    for lang in langs:
        cells = [f"{d[lang]:.2f}s {d[lang] / d['en']:.2f}x" for d in (profiles, bulk, home_times, assess_times)]
        floor = f"{floors[lang]:.2f}s {profiles[lang] / floors[lang]:.2f}x"
        print(f"{lang:10}{cells[0]:>16}{floor:>18}{cells[1]:>18}" + "".join(f"{c:>16}" for c in cells[2:]))
    print(f"(ratios to English in the same rounds; 'its floor': the profile over its own plain-fpdf2 floor; "
          f"bulk zip on {cores} worker processes)")
    print("first bulk zip of the process (one run, before the workers' shaped widths are kept): "
          + ", ".join(f"{lang} {first_bulk[lang]:.1f}s {first_bulk[lang] / first_bulk['en']:.2f}x" for lang in langs))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
