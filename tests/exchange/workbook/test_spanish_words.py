"""A workbook is written in English or French; a Spanish reader may type Spanish back (issue 24): the options'
labels from the content catalog, sí/no and (ninguno)."""

from __future__ import annotations

from exchange.workbook.cells import _flag, _parse_value
from questionnaires import default_questionnaire


def test_spanish_labels_yes_no_and_none_are_read() -> None:
    q = default_questionnaire()
    scale_q = next(x for x in q.questions if x.type == "scale")
    top = q.scales[scale_q.scale or ""].options[-1]
    assert top.label.get("es") != top.label.en
    assert _parse_value(q, scale_q, top.label.get("es").upper()) == (top.value, None)
    multi = next(x for x in q.questions if x.type == "multi")
    first, second = (multi.options or [])[:2]
    typed = f"{first.label.get('es')}; {second.label.get('es')}"
    assert _parse_value(q, multi, typed) == ([first.value, second.value], None)
    assert _parse_value(q, multi, "(ninguno)") == ([], None)
    assert (_flag("Sí"), _flag("si"), _flag("No"), _flag("falso")) == (True, True, False, False)
