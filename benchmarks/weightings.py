"""The two readings of the pillar-weight method, on the demo countries (issue 21, point 2).

(A) what the questionnaire ships: clauses with a country-level counterpart (the clause map's ``ms_readiness``);
(B) the stricter reading the 1.1.x text claimed: only clauses addressed to Member States or ITU Members.
Prints the pillar weights under each and the demo countries' overall scores and ranks (latest cycle, the demo
generator's seed), as Markdown for docs/methodology.md. Run: `python -m benchmarks.weightings`.
"""

from __future__ import annotations

import dataclasses

from assessment.demo import demo_documents
from questionnaires import default_questionnaire
from questionnaires.loader import Questionnaire
from questionnaires.weights import addressed_share, derived_pillar_weight, operative_share, weight_from_share
from refdata.countries import country_name
from scoring import score


def with_weights(q: Questionnaire, weights: dict[str, float]) -> Questionnaire:
    """``q`` with other pillar weights (scored with ``check=False``: its hash is no shipped version's)."""
    pillars = [p.model_copy(update={"weight": weights[p.id]}) for p in q.meta.pillars]
    return dataclasses.replace(q, meta=q.meta.model_copy(update={"pillars": pillars}))


def _ranks(scores: dict[str, float]) -> dict[str, int]:
    order = sorted(scores, key=lambda iso: (-scores[iso], iso))
    return {iso: i + 1 for i, iso in enumerate(order)}


def main() -> str:
    q = default_questionnaire()
    a = {p.id: derived_pillar_weight(q, p.id) for p in q.pillars}
    b = {p.id: weight_from_share(addressed_share(q, p.id)) for p in q.pillars}
    qb = with_weights(q, b)
    docs = demo_documents(q)
    latest = max(d.cycle for d in docs)
    docs = [d for d in docs if d.cycle == latest]
    sa = {d.country: score(q, d, check=False).overall or 0.0 for d in docs}
    sb = {d.country: score(qb, d, check=False).overall or 0.0 for d in docs}
    ra, rb = _ranks(sa), _ranks(sb)
    lines = ["| Pillar | (A) share | (A) weight | (B) share | (B) weight |", "|---|---:|---:|---:|---:|"]
    for p in q.pillars:
        lines.append(f"| {p.short_name('en')} | {operative_share(q, p.id):.2f} | {a[p.id]:g} | "
                     f"{addressed_share(q, p.id):.2f} | {b[p.id]:g} |")
    lines += ["", f"Demo countries, cycle {latest} ({len(docs)} assessments, seed of `assessment/demo.py`):", "",
              "| Country | (A) overall | (A) rank | (B) overall | (B) rank | Places gained under (B) |",
              "|---|---:|---:|---:|---:|---:|"]
    for iso in sorted(sa, key=lambda i: ra[i]):
        moved = ra[iso] - rb[iso]
        lines.append(f"| {country_name(iso, 'en')} | {sa[iso]:.1f} | {ra[iso]} | {sb[iso]:.1f} | {rb[iso]} | "
                     f"{'+' if moved > 0 else ''}{moved if moved else '0'} |")
    changed = sum(1 for iso in sa if ra[iso] != rb[iso])
    biggest = max(abs(ra[i] - rb[i]) for i in sa)
    gap = max(abs(sa[i] - sb[i]) for i in sa)
    lines += ["", f"{changed} of {len(sa)} countries change rank; the largest move is {biggest} places; "
              f"overall scores differ by at most {gap:.1f} points."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
