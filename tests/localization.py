"""Checks that text a reader sees holds no internal id, no number with the wrong decimal mark, and no English.

Shared by the tests that read every page, the PDF profile and the command line in each offered language
(issue 24). The wrong decimal mark is the one that is not CLDR's for the language (``languages.cldr``: a point in
French, Spanish and Russian, a comma in English and Chinese); a number grouped with that mark where it is the
group separator (Spanish "12.345", English "12,345") is right. With a point, the allowed dotted numbers are
question numbers and section numbers (1.2), in the places those are written: at the start of a line, after
"question(s)", or in a comma-separated list of them; and version numbers (1.0.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow as pa

from questionnaires import Questionnaire
from questionnaires.languages import SOURCE, cldr
from questionnaires.messages import catalog, languages

# The languages a reader is offered besides English (``messages.languages()``): every reading test runs in each.
OTHER_LANGUAGES = [lang for lang in languages() if lang != SOURCE]

# Shapes of internal ids: question and rule ids are snake_case, clause ids are '<section>-<item>'.
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CLAUSE_ID = re.compile(
    r"\b(?:recalling|taking-into-account|considering|recognizing|bearing-in-mind|resolves|instructs|invites)"
    r"-[a-z0-9-]+\b"
)
DOTTED = re.compile(r"(?<![\w.,])\d+\.\d+(?![\w.])")
COLOUR = re.compile(r"\b(?:rgba?|hsla?)\([^)]*\)")
VERSION = re.compile(r"\b\d+\.\d+\.\d+\b")
# Where a question or section number is written: line start (a Markdown list item "- 1.2", bold "**1.2**"),
# after the language's word for a question ("question 1.2", "preguntas 1.2"), a list "1.2, 1.3", a terminal table's
# cell "│ 1.2", or a table cell that text extraction glues to the end of the cell before it ("...résolution; 9.3").
NUMBERING = r"(?m)(?:^(?:- |\*\*)?|(?i:\b(?:{words})\w* )|, |[;:\"»…│|] )(\d+\.\d+)(?=[\s,;:)]|$|\*\*)"


@lru_cache(maxsize=16)
def numbering(lang: str) -> re.Pattern[str]:
    """:data:`NUMBERING` with ``lang``'s words for a question: those its catalog writes before a question's
    number ("question {number}", "pregunta {question}"), English's too; a plural or a case ending may follow."""
    words = {"question"}
    for code in (SOURCE, lang):
        for text in catalog(code).values():
            words |= {w.lower() for w in re.findall(r"(\w+) \{(?:number|question)\}", text)}
    return re.compile(NUMBERING.replace("{words}", "|".join(sorted(map(re.escape, words)))))


def code_like_tokens(text: str, questionnaire: Questionnaire) -> list[str]:
    """Every internal id, or token shaped like one, found in ``text``."""
    ids = {q.id for q in questionnaire.questions} | {r.id for r in questionnaire.rules}
    ids |= {c.id for c in questionnaire.clauses} | {questionnaire.id}
    found = SNAKE_CASE.findall(text) + CLAUSE_ID.findall(text)
    found += [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    return sorted(set(found))


def allowed_numbers(questionnaire: Questionnaire) -> set[str]:
    """Question numbers (pillar.question, context indicators included) and section numbers a document may print
    with a dot."""
    numbers = {f"{p}.{q}" for p in range(1, 10) for q in range(1, 10)}
    for p, pillar in enumerate(questionnaire.pillars, start=1):
        numbers |= {f"{p}.{q}" for q in range(1, len(questionnaire.form_questions_in(pillar.id)) + 1)}
    return numbers


def _numbered_away(text: str, questionnaire: Questionnaire, lang: str) -> str:
    """``text`` with its versions and its question and section numbers written with a point taken out."""
    allowed = allowed_numbers(questionnaire)
    text = VERSION.sub("<version>", text)
    # A list "1.2, 1.3, 1.4": one substitution cannot overlap, so run it until nothing changes.
    while True:
        again = numbering(lang).sub(
            lambda m: m.group(0).replace(m.group(1), "<n>") if m.group(1) in allowed else m.group(0), text
        )
        if again == text:
            return text
        text = again


def wrong_decimals(text: str, questionnaire: Questionnaire, lang: str) -> list[str]:
    """Numbers ``lang`` would not write: a fraction after a mark that is not CLDR's decimal symbol for ``lang``.

    French "47.7" and English "47,7" are wrong; English "47.7", French "47,7", Spanish "12.345" (the point is its
    group separator) and question numbers "1.2" in every language are right.
    """
    facts = cldr(lang)
    text = COLOUR.sub("<colour>", text)  # a chart's "rgba(0,0,0,0)" is no number a reader reads
    found: list[str] = []
    for mark in {".", ","} - {facts["decimal"]}:
        scanned = _numbered_away(text, questionnaire, lang) if mark == "." else text
        m = re.escape(mark)
        grouped = re.compile(rf"\d{{1,3}}(?:{m}\d{{3}})+")
        for number in re.findall(rf"(?<![\w.,])\d+(?:{m}\d+)+(?![\w.]|,\d)", scanned):
            if not (mark == facts["group"] and grouped.fullmatch(number)):
                found.append(number)
    return found


def decimal_points(text: str, questionnaire: Questionnaire) -> list[str]:
    """Numbers written with a decimal point where French writes a comma (:func:`wrong_decimals` in French)."""
    return wrong_decimals(text, questionnaire, "fr")


# What is not prose in a catalog string: placeholders, Markdown marks, line breaks; what is left between them is
# searched for as English text.
_NOT_PROSE = re.compile(r"\{[^}]*\}|\*\*|\*|`|\n+|\\|\[|\]\([^)]*\)|\]|^#+ |^- ", re.M)
LEAK_MIN_CHARS = 12
LEAK_MIN_WORDS = 2


def _pieces(english: str, kept: str, min_chars: int, min_words: int) -> Iterator[str]:
    for piece in _NOT_PROSE.split(english):
        piece = piece.strip(" .,:;!?\"'–-")
        if len(piece) >= min_chars and len(piece.split()) >= min_words and piece not in kept:
            yield piece


@lru_cache(maxsize=16)
def _english_phrases(lang: str) -> dict[str, str]:
    """The English catalog's phrases (phrase -> key) a page in ``lang`` must not show.

    A phrase is a piece of an English string between placeholders and Markdown marks, at least two words and 12
    characters long; a phrase the language's own catalog also writes (a name, "ITU-T Y.4904", "IPv6") is left
    out, since the translator kept it.
    """
    theirs = catalog(lang)
    kept = "\n".join(theirs.values())
    phrases: dict[str, str] = {}
    for key, english in catalog(SOURCE).items():
        if theirs.get(key) != english:
            for piece in _pieces(english, kept, LEAK_MIN_CHARS, LEAK_MIN_WORDS):
                phrases.setdefault(piece, key)
    return phrases


def _content_phrases(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """The questionnaire's English texts (phrase -> "content:<path>"): questions, help, options, levels, pillars,
    tiers, recommendations; at least three words and 20 characters, since content quotes more names."""
    from questionnaires.content_catalog import _texts  # every bilingual text of the questionnaire, by path

    texts = list(_texts(questionnaire))
    kept = "\n".join(text.get(lang) for _, text in texts)
    phrases: dict[str, str] = {}
    for path, text in texts:
        if text.en and text.get(lang) != text.en:
            for piece in _pieces(text.en, kept, 20, 3):
                phrases.setdefault(piece, f"content:{path}")
    return phrases


def english_leaks(text: str, lang: str, questionnaire: Questionnaire | None = None) -> list[tuple[str, str]]:
    """(catalog key, English phrase) for every phrase of the English UI catalog ``text`` shows, in ``lang``; with
    ``questionnaire``, its English content too (key "content:<path>"), for a questionnaire translated into
    ``lang`` (the shipped one)."""
    if lang == SOURCE:
        return []
    phrases = dict(_english_phrases(lang))
    if questionnaire is not None:
        phrases.update(_content_phrases(questionnaire, lang))
    found = [(key, phrase) for phrase, key in phrases.items()
             if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]
    return sorted(set(found))


def displayed(element: Any) -> pd.DataFrame:
    """What an AppTest ``st.dataframe`` shows: the Styler's display strings when it has them, else the data."""
    styler = element.proto.arrow_data.styler
    if styler.display_values:
        return pa.ipc.open_stream(styler.display_values).read_pandas()
    return element.value


def table_cells(html: str) -> list[list[list[str]]]:
    """The tables of an HTML text: for each, its rows, each row its cells' text (headers included)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1][-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed(html)
    return parser.tables


def html_tables(at: Any) -> list[pd.DataFrame]:
    """The plain HTML tables a page shows through ``st.html`` (``ui.static_charts.html_table``), as their text:
    one frame per table, its columns the headers, its cells the strings the reader sees."""
    found: list[pd.DataFrame] = []
    for element in at.get("html"):
        found += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in table_cells(element.proto.body) if rows]
    return found


def pictures(at: Any) -> list[tuple[str, str]]:
    """The server-drawn pictures a page shows through ``st.html`` (``ui.static_charts.picture_html``), in order:
    each one's SVG (decoded from its data address) and its alt text."""
    import base64
    from html.parser import HTMLParser

    class Images(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            given = dict(attrs)
            if tag == "img" and "iot-picture" in (given.get("class") or "").split():
                head, _, body = (given.get("src") or "").partition(",")
                assert head == "data:image/svg+xml;base64", head
                self.found.append((base64.b64decode(body).decode(), given.get("alt") or ""))

    shown: list[tuple[str, str]] = []
    for element in at.get("html"):
        parser = Images()
        parser.feed(element.proto.body)
        shown += parser.found
    return shown


def headline(at: Any) -> dict[str, str]:
    """The Results page's headline figures (a ``<dl>`` sent through ``st.html``), as the reader sees them:
    each term's text and its value's text."""
    from html.parser import HTMLParser

    class Terms(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.pairs: list[list[str]] = []
            self.into: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("dt", "dd"):
                self.into = tag
                if tag == "dt":
                    self.pairs.append(["", ""])

        def handle_endtag(self, tag: str) -> None:
            self.into = None

        def handle_data(self, data: str) -> None:
            if self.into and self.pairs:
                self.pairs[-1][self.into == "dd"] += data

    found: dict[str, str] = {}
    for element in at.get("html"):
        if "iot-headline" in element.proto.body:
            parser = Terms()
            parser.feed(element.proto.body)
            found.update({term: value for term, value in parser.pairs})
    return found
