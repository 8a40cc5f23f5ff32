"""The questionnaire's French texts follow French typography (issue 12.5): a narrow no-break space (U+202F)
before ? ! ; :, as the message catalog does. The resolution's own French text (the clause map) is quoted as
published and is not checked; nor are reference titles (some are English publications)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from questionnaires import default_questionnaire

# Not sentence punctuation: a web address, a time or ratio, code, a format placeholder.
_NOT_PUNCTUATION = re.compile(r"https?:|\d:\d|`[^`]*`|\{[^}]*\}")


def _french(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                yield where, value
            else:
                yield from _french(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _french(item, f"{where}[{i}]")


def _texts() -> Iterator[tuple[str, str]]:
    q = default_questionnaire()
    yield from _french(q.meta.model_dump(mode="json"), "questionnaire.yaml")
    for question in q.questions:
        yield from _french(question.model_dump(mode="json"), f"question {question.id}")
    for rule in q.rules:
        yield from _french(rule.model_dump(mode="json"), f"recommendation {rule.id}")


def test_french_questionnaire_texts_put_a_narrow_no_break_space_before_double_punctuation() -> None:
    texts = list(_texts())
    assert len(texts) > 400
    bad = [(where, text) for where, text in texts
           if re.search(r"(?<!\u202f)[:;!?]", _NOT_PUNCTUATION.sub("", text))]
    assert bad == []
