"""The questionnaire's content as a second gettext domain, ``content``: what the four new languages translate.

Every text of the current questionnaire (questions, help, level descriptors, options, units, pillars, tiers,
recommendations, aims, consistency messages, clause texts and citations, ITU material titles) becomes one
entry: ``msgctxt`` its stable path (``question.v6_users.text``, ``clause.instructs_bdt_3.text``), ``msgid`` its
English, except the resolution's clause texts, whose source is the French (the English is unofficial). English
and French stay in the questionnaire's YAML (the content hash does not move); this is the catalog the other
languages are translated into, managed with the same update and status as the UI strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from questionnaires.loader import Questionnaire
from questionnaires.models import Clause, ClauseSection, I18nText, Material

CONTENT = "content"


def _walk(node: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, English, French) for every bilingual text under ``node``; ids name the steps, never list indexes."""
    if isinstance(node, I18nText | ClauseSection):
        yield path, node.en, node.fr
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if value is not None:
                yield from _walk(value, f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}.{getattr(value, 'id', None) or getattr(value, 'value', None) or i}")


def content_entries(q: Questionnaire) -> dict[str, tuple[str, str]]:
    """Stable path -> (source text, its translation into the other of en/fr): the source is English, except
    clause texts (French). A path met twice keeps its first text."""
    out: dict[str, tuple[str, str]] = {}
    meta = q.meta
    roots: list[tuple[str, Any]] = [
        ("questionnaire.title", meta.title), *((f"tier.{t.id}", t) for t in meta.tiers),
        *((f"scale.{x.id}", x) for x in meta.scales), *((f"pillar.{p.id}", p) for p in meta.pillars),
        *((f"consistency.{c.id}", c) for c in meta.consistency),
        *((f"question.{x.id}", x) for x in q.all_questions), *((f"rule.{r.id}", r) for r in q.rules),
        *((f"section.{k}", s) for k, s in q.clause_sections.items())]
    for prefix, node in roots:
        for path, en, fr in _walk(node, prefix):
            out.setdefault(path, (en, fr))
    for c in q.clauses:
        out.setdefault(f"clause.{c.id}.text", (c.text_fr, c.text_en))
    for key, m in q.materials.items():
        out.setdefault(f"material.{key}", (m.en, m.fr or ""))
    return out


__all__ = ["CONTENT", "Clause", "Material", "content_entries"]
