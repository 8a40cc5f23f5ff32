"""Score 10,000 generated assessments through the single and the batch path.

The floor is a bare pandas group-by mean over the same answer table (what any scoring needs at
least), measured in the same run; figures are reported as ratios to it, never as absolute targets.
Run: `python -m benchmarks.scoring [N]`.
"""

from __future__ import annotations

import sys

from benchmarks.generate import random_documents
from benchmarks.timing import best_of
from questionnaires import default_questionnaire
from scoring import score
from scoring.batch import answer_table, score_many


def main(n: int = 10_000) -> dict[str, float]:
    q = default_questionnaire()
    docs = random_documents(q, n)
    table = answer_table(q, docs)

    floor = best_of(lambda: table.groupby(["doc", "pillar_id"])["score"].mean())
    single = best_of(lambda: [score(q, d, check=False) for d in docs], repeat=1)
    batch = best_of(lambda: score_many(q, docs, check=False))
    batch_checked = best_of(lambda: score_many(q, docs), repeat=1)

    figures = {
        "n": float(n),
        "floor_s": floor,
        "single_s": single,
        "batch_s": batch,
        "batch_checked_s": batch_checked,
        "single_over_floor": single / floor,
        "batch_over_floor": batch / floor,
        "single_over_batch": single / batch,
    }
    print(f"{n} assessments x {len(q.questions)} questions (same run)")
    print(f"  floor: pandas group-by mean over the answer table  {floor:8.3f} s   1.0x")
    print(f"  batch path (score_many)                            {batch:8.3f} s  {batch / floor:5.1f}x floor")
    print(f"  batch path with validation                         {batch_checked:8.3f} s  {batch_checked / floor:5.1f}x")
    print(f"  single path (score per document)                   {single:8.3f} s  {single / floor:5.1f}x floor")
    print(f"  single / batch: {single / batch:.1f}x")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
