"""Random but valid answers documents, fast enough to make 10,000 of them for a benchmark."""

from __future__ import annotations

import random

from answers.document import Answer, AnswersDocument
from questionnaires.loader import Questionnaire
from refdata import countries


def random_documents(questionnaire: Questionnaire, n: int, seed: int = 197) -> list[AnswersDocument]:
    rng = random.Random(seed)
    codes = [c.iso3 for c in countries()]
    docs = []
    for i in range(n):
        answers: dict[str, Answer] = {}
        for q in questionnaire.questions:
            r = rng.random()
            if r < 0.08:
                continue
            if r < 0.12 and q.allow_dont_know:
                answers[q.id] = Answer(dont_know=True)
                continue
            if r < 0.15 and q.allow_na:
                answers[q.id] = Answer(not_applicable=True, justification="Not a national competence")
                continue
            value: str | float | list[str]
            if q.type == "scale":
                value = rng.choice(questionnaire.scales[q.scale or ""].options).value
            elif q.type == "numeric":
                assert q.numeric is not None
                value = round(rng.uniform(q.numeric.min, q.numeric.max), 1)
                if q.numeric.integer:
                    value = float(int(value))
            else:
                opts = [o.value for o in q.options or []]
                value = rng.sample(opts, rng.randint(0, len(opts)))
            answers[q.id] = Answer(value=value, evidence="Report 2025" if rng.random() < 0.6 else None)
        docs.append(
            AnswersDocument(
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                country=codes[i % len(codes)],
                cycle=2020 + i // len(codes) % 10,
                answers=answers,
            )
        )
    return docs
