"""The pure comparison and exchange functions on 193 countries x 5 cycles (the Compare page's data work).

What a Compare page rerun recomputes (selection, medians, ranks, map data, distribution) is timed
apart from what it can cache per data version (the scores frame, rank stability, the assistance
table). Run: `python -m benchmarks.compare_analytics`.
"""

from __future__ import annotations

from benchmarks.generate import random_documents
from benchmarks.timing import best_of
from compare import (
    assistance_needs,
    change_since_last_cycle,
    distribution,
    group_medians,
    map_data,
    rank_stability,
    ranks,
    scores_frame,
    select,
    select_documents,
    trend,
)
from compare.priorities import assistance_priorities
from exchange import build_workbook, export_json, export_xlsx, read_workbook
from questionnaires import default_questionnaire
from refdata import countries
from scoring import score


def main() -> dict[str, float]:
    q = default_questionnaire()
    n_countries = len([c for c in countries() if c.un_member])  # 193
    docs = [
        d.model_copy(update={"status": "submitted", "cycle": 2021 + i // n_countries})
        for i, d in enumerate(random_documents(q, n_countries * 5))
    ]
    frame = scores_frame(q, docs)
    latest = select(frame, cycle=2025)
    latest_docs = select_documents(docs, cycle=2025)

    def rerun() -> None:
        part = select(frame, cycle=2025)
        group_medians(part, q)
        ranks(part)
        map_data(part, q)
        distribution(part, q)
        trend(frame, q, group="ldc")

    figures = {
        "scores_frame (965 docs)": best_of(lambda: scores_frame(q, docs), repeat=1),
        "page rerun work (select, medians, ranks, map, distribution, trend)": best_of(rerun),
        "rank_stability (193 countries, 1000 draws)": best_of(lambda: rank_stability(q, latest)),
        "rank_stability with question weights": best_of(
            lambda: rank_stability(q, latest, question_weights=True, docs=latest_docs), repeat=1
        ),
        "assistance_needs (193 countries)": best_of(lambda: assistance_needs(q, latest_docs), repeat=1),
        # Points at stake re-score every country (each recommendation's gain is a re-scored answer), so its
        # floor is scoring the same 193 documents once each, timed in the same run.
        "floor: score each of 193 documents once": best_of(lambda: [score(q, d) for d in latest_docs], repeat=1),
        "assistance_priorities (193 countries, points at stake)": best_of(
            lambda: assistance_priorities(q, latest_docs, lang="fr"), repeat=1),
        "change_since_last_cycle (one country)": best_of(lambda: change_since_last_cycle(q, docs, docs[0].country)),
        "export_json (965 docs)": best_of(lambda: export_json(q, docs), repeat=1),
        "export_xlsx (193 docs)": best_of(lambda: export_xlsx(q, latest_docs), repeat=1),
        "workbook build + read (one country)": best_of(lambda: read_workbook(q, build_workbook(q, "en", docs[0]))),
    }
    for name, seconds in figures.items():
        print(f"{name:70s} {seconds * 1000:8.1f} ms")
    ratio = figures["assistance_priorities (193 countries, points at stake)"] / figures[
        "floor: score each of 193 documents once"]
    print(f"{'assistance_priorities / floor':70s} {ratio:8.1f} x")
    return figures


if __name__ == "__main__":
    main()
