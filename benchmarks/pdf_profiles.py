"""Seconds per PDF profile and for a whole cycle (193 profiles), on 1 worker and on every core.

The floor is a document made directly with fpdf2 + matplotlib in the same run: as many pages as the
profile, each holding the same text as the profile's page in one plain ``multi_cell``, with the same
fonts embedded and the same two charts (matplotlib SVG). Figures are reported as ratios to it.
One profile is also timed with its annexes laid out in it, as every profile did before they were
recorded once per language and replayed (interleaved with the replaying profile and the floor).
Run: ``python -m benchmarks.pdf_profiles [N]`` (N profiles for the bulk part, default 193).
"""

from __future__ import annotations

import io
import logging
import sys
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from fpdf import FPDF
from pypdf import PdfReader

from benchmarks.generate import random_documents
from benchmarks.timing import best_of, interleaved
from questionnaires import default_questionnaire
from reports.annexes import annexes_for
from reports.bulk import ProfileJob, available_cores, render_many
from reports.profile import _Builder, render_profile
from reports.text import FONT_DIR, FONT_FAMILY, FONT_FILES
from scoring.engine import score

DAY = date(2026, 11, 29)


def _chart(kind: str, values: list[float]) -> bytes:
    fig = plt.figure(figsize=(6.4, 4.3))
    if kind == "radar":
        ax = fig.add_subplot(projection="polar")
        angles = np.linspace(0, 2 * np.pi, len(values), endpoint=False)
        ax.plot(np.append(angles, angles[0]), [*values, values[0]])
    else:
        ax = fig.add_subplot()
        ax.barh(range(len(values)), values)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def floor_document(page_texts: list[str], values: list[float]) -> bytes:
    """The least any profile with these pages and two charts costs with the same libraries."""
    pdf = FPDF(format="A4")
    for style, filename in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / filename))
    pdf.set_font(FONT_FAMILY, "", 9)
    for i, text in enumerate(page_texts):
        pdf.add_page()
        pdf.multi_cell(0, 4.5, text[:6000])
        if i == 3:
            pdf.image(io.BytesIO(_chart("radar", values)), w=150)
            pdf.image(io.BytesIO(_chart("bars", values)), w=150)
    return bytes(pdf.output())


def main(n: int = 193) -> dict[str, float]:
    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)  # the floor's raw SVG has <metadata>
    q = default_questionnaire()
    docs = random_documents(q, max(n, 1))
    sample = docs[0]
    profile = render_profile(q, sample, generated_on=DAY)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(profile)).pages]
    values = [float(10 + 9 * i) for i in range(len(q.pillars))]

    result = score(q, sample)
    annexes_for(q, "en")  # this process's recording, as a bulk run makes it before its workers start

    def drawn_in_it() -> bytes:  # the annexes laid out in the profile (no recording): each profile before
        return _Builder(q, sample, result, "en", None, None, DAY, annexes=None).build()

    single, floor = interleaved(lambda: render_profile(q, sample, result=result, generated_on=DAY),
                                lambda: floor_document(pages, values), rounds=5)
    before, floor_b = interleaved(drawn_in_it, lambda: floor_document(pages, values), rounds=5)
    jobs = [ProfileJob(d, generated_on=DAY) for d in docs[:n]]
    cores = available_cores()
    one = best_of(lambda: render_many(jobs, workers=1), repeat=1)
    allc = best_of(lambda: render_many(jobs, workers=cores), repeat=1)

    figures = {
        "n": float(n),
        "pages": float(len(pages)),
        "cores": float(cores),
        "floor_s": floor,
        "profile_s": single,
        "profile_over_floor": single / floor,
        "annexes_drawn_s": before,
        "annexes_drawn_over_floor": before / floor_b,
        "replay_saving": 1 - single / floor / (before / floor_b),
        "bulk_1_worker_s": one,
        "bulk_all_cores_s": allc,
        "bulk_over_floor": allc / (floor * n / cores),
        "speedup": one / allc,
        "efficiency": one / allc / cores,
    }
    print(f"PDF profiles: shipped questionnaire, {len(pages)} pages, 2 charts (same run)")
    print(f"  floor: same pages and charts straight with fpdf2 + matplotlib   {floor:7.3f} s   1.0x")
    print(f"  one profile (render_profile, annexes replayed)                 {single:7.3f} s   {single / floor:.2f}x")
    print(f"  one profile with its annexes laid out in it (before)           {before:7.3f} s   "
          f"{before / floor_b:.2f}x (its floor {floor_b:.3f} s)")
    print(f"  replaying the annexes saves {1 - single / floor / (before / floor_b):.0%} of a profile's time")
    print(f"  {n} profiles, 1 worker (in process)                          {one:7.1f} s   "
          f"{one / (floor * n):.1f}x floor ({one / n:.2f} s each)")
    print(f"  {n} profiles, {cores} workers (process pool)                      {allc:7.1f} s   "
          f"{allc / (floor * n / cores):.1f}x floor spread over {cores} cores ({allc / n:.2f} s each)")
    print(f"  scaling: {one / allc:.2f}x faster on {cores} cores (efficiency {one / allc / cores:.0%})")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 193)
