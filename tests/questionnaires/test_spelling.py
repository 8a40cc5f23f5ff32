"""English is spelled one way, with -ize as ITU does (organization, recognize, prioritize, harmonize).

Every English text a user reads is scanned: the message catalog, the questionnaire (questions, scales,
pillars, tiers, recommendations, clauses, materials), the README and the English docs, and the string
literals of the code (CLI help, PDF and page strings). Words always spelled -ise in English (otherwise,
expertise, exercise, advise...) are on an explicit allow-list; anything else ending in -ise/-isation fails.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from questionnaires.loader import load_questionnaire
from questionnaires.messages import catalog

ROOT = Path(__file__).resolve().parents[2]

# Always -ise in English (not the British -ise/-ize alternation), plus -ise plurals of -is nouns.
ALWAYS_ISE = frozenset([
    "advise", "advised", "advises", "advising", "adviser", "advisers", "advertise", "advertised", "advertising",
    "apprise", "arise", "arises", "arising", "arisen", "chastise", "circumcise", "clockwise", "comprise",
    "comprised", "comprises", "comprising", "compromise", "compromised", "compromises", "concise", "crises",
    "despise", "devise", "devised", "disguise", "demise", "enterprise", "enterprises", "excise", "exercise",
    "exercised", "exercises", "exercising", "expertise", "franchise", "improvise", "incise", "likewise",
    "merchandise", "noise", "otherwise", "pairwise", "paradise", "poise", "praise", "precise", "premise",
    "premises", "promise", "promised", "promises", "raise", "raised", "raises", "raising", "reprise", "revise",
    "revised", "revises", "revising", "rise", "rises", "stepwise", "supervise", "supervised", "supervises",
    "supervising", "surmise", "surprise", "televise", "treatise", "wise",
])
ISE = re.compile(r"\b[A-Za-z]+(?:is(?:e|es|ed|ing|er|ers)|isations?)\b")


def _ise_words(text: str) -> list[str]:
    return [w for w in ISE.findall(text) if w.lower() not in ALWAYS_ISE]


def _english_leaves(node: Any) -> Iterator[str]:
    """Every English string of a dumped questionnaire: ``en`` values and ``*_en`` fields."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (key == "en" or key.endswith("_en")):
                yield value
            else:
                yield from _english_leaves(value)
    elif isinstance(node, list):
        for item in node:
            yield from _english_leaves(item)


def _python_strings(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _sources() -> Iterator[tuple[str, str]]:
    for key, text in catalog("en").items():
        yield f"i18n/en.yaml {key}", text
    # The current questionnaire only: an archived version is a frozen copy (its content hash must not move).
    for folder in [ROOT / "questionnaires" / "res197"]:
        q = load_questionnaire(folder)
        dumped = {"meta": q.meta.model_dump(mode="json"),
                  "questions": [x.model_dump(mode="json") for x in q.questions],
                  "rules": [r.model_dump(mode="json") for r in q.rules],
                  "clauses": [c.model_dump(mode="json") for c in q.clauses],
                  "materials": [m.model_dump(mode="json") for m in q.materials.values()]}
        for text in _english_leaves(dumped):
            yield f"questionnaire {folder.name}", text
    english_docs = [ROOT / "README.md", *(d for d in sorted((ROOT / "docs").glob("*.md")) if ".fr" not in d.suffixes)]
    for doc in english_docs:
        yield str(doc.relative_to(ROOT)), doc.read_text(encoding="utf-8")
    for package in ["iotready", "ui", "reports", "formatting", "exchange", "recommendations", "compare", "scoring",
                    "answers", "assessment", "questionnaires", "refdata"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            for text in _python_strings(path):
                yield str(path.relative_to(ROOT)), text
    yield "app.py", "\n".join(_python_strings(ROOT / "app.py"))


def test_the_ise_pattern_catches_british_spellings_and_spares_the_allow_list() -> None:
    assert _ise_words("Your organisation's harmonisation; we recognised and prioritise") == [
        "organisation", "harmonisation", "recognised", "prioritise"]
    assert _ise_words("Otherwise, exercise expertise; advise and revise the enterprise's promise") == []
    assert _ise_words("Your organization's harmonization; we recognized and prioritize") == []


def test_english_user_facing_texts_use_ize() -> None:
    found = [(where, word) for where, text in _sources() for word in _ise_words(text)]
    assert found == []
