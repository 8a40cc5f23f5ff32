"""The questionnaire's content as a second gettext domain, ``content``: what the four new languages translate.

Every text of the current questionnaire (questions, help, level descriptors, options, units, pillars, tiers,
recommendations, aims, consistency messages, clause texts and citations, ITU material titles) becomes one
entry: ``msgctxt`` its stable path (``question.v6_users.text``, ``clause.instructs_bdt_3.text``), ``msgid`` its
English, except the resolution's clause texts, whose source is the French (the English is unofficial). A counted
unit (``numeric.unit_one`` in the YAML: "1 city", "2 cities") is a plural entry, one form per CLDR category. English
and French stay in the questionnaire's YAML (the content hash does not move); this is the catalog the other
languages are translated into, managed with the same update and status as the UI strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from questionnaires.catalogs import CATALOG_DIR, Source, compiled_content, po_path
from questionnaires.languages import REGISTRY, plural_category
from questionnaires.loader import Questionnaire
from questionnaires.models import LABEL_COUNT, LANGUAGES, Clause, ClauseSection, I18nText, Material, NumericSpec

CONTENT = "content"


@dataclass(frozen=True)
class CountedUnit:
    """A numeric question's counted unit as one catalog entry: a gettext plural entry (``msgid`` the English
    singular, ``msgid_plural`` the English plural, one ``msgstr[n]`` per CLDR category of the language).

    Reads like a text (``en``, ``fr``, ``get``: the unit as a label) where the catalog's tools list every text.
    """

    spec: NumericSpec

    @property
    def en(self) -> str:
        return self.spec.unit.en

    @property
    def fr(self) -> str:
        return self.spec.unit.fr

    def get(self, lang: str) -> str:
        return self.spec.unit.get(lang)


Text = I18nText | ClauseSection | CountedUnit


def _walk(node: Any, path: str) -> Iterator[tuple[str, Text]]:
    """(path, text) for every bilingual text under ``node``; ids name the steps, never list indexes."""
    if isinstance(node, I18nText | ClauseSection):
        yield path, node
    elif isinstance(node, NumericSpec) and node.counted:  # its unit and singular are one plural entry
        yield f"{path}.unit", CountedUnit(node)
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


def _texts(q: Questionnaire) -> Iterator[tuple[str, Text]]:
    """(path, text) for every bilingual text of the questionnaire, in catalog order (a path may come twice)."""
    meta = q.meta
    roots: list[tuple[str, Any]] = [
        ("questionnaire.title", meta.title), *((f"tier.{t.id}", t) for t in meta.tiers),
        *((f"scale.{x.id}", x) for x in meta.scales), *((f"pillar.{p.id}", p) for p in meta.pillars),
        *((f"consistency.{c.id}", c) for c in meta.consistency),
        *((f"question.{x.id}", x) for x in q.all_questions), *((f"rule.{r.id}", r) for r in q.rules),
        *((f"section.{k}", s) for k, s in q.clause_sections.items())]
    for prefix, node in roots:
        yield from _walk(node, prefix)


def content_entries(q: Questionnaire) -> dict[str, tuple[Source, Source]]:
    """Stable path -> (source text, its translation into the other of en/fr): the source is English, except
    clause texts (French); a counted unit's are its forms by CLDR category. A path met twice keeps its first."""
    out: dict[str, tuple[Source, Source]] = {}
    for path, text in _texts(q):
        if isinstance(text, CountedUnit):
            out.setdefault(path, (text.spec.unit_source("en"), text.spec.unit_source("fr")))
        out.setdefault(path, (text.en, text.fr))
    for c in q.clauses:
        out.setdefault(f"clause.{c.id}.text", (c.text_fr, c.text_en))
    for key, m in q.materials.items():
        out.setdefault(f"material.{key}", (m.en, m.fr or ""))
    return out


def overlay_languages(directory: Path = CATALOG_DIR) -> tuple[str, ...]:
    """The registered languages the YAML does not carry that have a content catalog."""
    return tuple(c for c in REGISTRY if c not in LANGUAGES and po_path(c, directory, CONTENT).exists())


def apply_translations(q: Questionnaire, directory: Path = CATALOG_DIR) -> Questionnaire:
    """Lay each overlay language's content catalog over ``q`` (in place; ``q`` is returned).

    An entry counts only when it translates the text the questionnaire has now (its ``msgid`` is the current
    source): a changed text shows English until a translator confirms it, as a fuzzy UI string does. An entry
    whose path the questionnaire no longer has (obsolete, or another questionnaire's) is ignored. Each PO file
    is read once (:func:`questionnaires.catalogs.compiled_content`, cached on disk by its content).
    """
    catalogs = {lang: compiled_content(lang, directory) for lang in overlay_languages(directory)}
    catalogs = {lang: cat for lang, cat in catalogs.items() if cat}
    if not catalogs:
        return q

    def lay(path: str, source: str, node: I18nText | ClauseSection | Clause | Material) -> None:
        for lang, cat in catalogs.items():
            entry = cat.get(path)
            if entry is None:
                continue
            if isinstance(entry[1], str) and entry[0] == source:
                node.translate(lang, entry[1])
            elif isinstance(entry[1], dict) and entry[0][1] == source:
                # An archived version's unit, not yet counted there, whose plural is now a counted unit's: the
                # unit as a label (the form of LABEL_COUNT), as that version read before.
                label = entry[1].get(plural_category(LABEL_COUNT, lang)) or entry[1].get("other")
                if label:
                    node.translate(lang, label)

    def lay_unit(path: str, unit: CountedUnit) -> None:
        source = unit.spec.unit_source("en")
        for lang, cat in catalogs.items():
            entry = cat.get(path)
            if entry is not None and entry[0] == (source["one"], source["other"]) and isinstance(entry[1], dict):
                unit.spec.translate_unit(lang, entry[1])

    for path, text in _texts(q):
        if isinstance(text, CountedUnit):
            lay_unit(path, text)
        else:
            lay(path, text.en, text)
    for c in q.clauses:
        lay(f"clause.{c.id}.text", c.text_fr, c)
    for key, m in q.materials.items():
        lay(f"material.{key}", m.en, m)
    return q


__all__ = ["CONTENT", "Clause", "CountedUnit", "Material", "apply_translations", "content_entries", "overlay_languages"]
