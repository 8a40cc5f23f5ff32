"""Draw a run of pages once, then put the same drawing into many documents without laying it out again.

A profile's annexes (methodology, traceability) are the same for every country in a language, yet fpdf2's
table layout makes them ~15 % of each profile. fpdf2 writes a page as a content stream whose text is in the
*document's* glyph numbering (the order glyphs were first used), so finished pages cannot be copied
between documents, and merging PDFs would embed a second copy of each font. Instead:

* :class:`Recorder` (mixed into the profile's FPDF class) draws the run in a scratch document and keeps
  the bytes it writes to page contents and the fonts each page uses. The calls that belong to the target
  document -- a new page (its running header and footer, its page number) and a bookmark (its outline and
  page number) -- are kept as events with fpdf2's state before and after them, and replayed live.
* :func:`prepick` gives a target document the scratch document's glyph numbering before it draws anything,
  so the kept bytes mean the same text in it.
* :func:`replay` writes the kept bytes into the target, calls its own ``add_page``/``start_section`` where
  the recording did, and leaves fpdf2's state exactly as drawing the run would have left it.

A run that used anything else with a document-specific name (an image, a link, a transparency) cannot be
replayed: recording raises :class:`NotReplayable` and the caller draws the run itself. Tests prove replayed
documents byte-identical to documents that drew the run themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.fonts import Glyph, TTFFont
from fpdf.graphics_state import GraphicsState

# A glyph of a recording: its code point, or a shaped glyph whole (glyph id, its cluster's code points, name, width).
GlyphKey = int | tuple[int, tuple[int, ...], str, int]
_RESERVED = (0x00, 0x20)  # fpdf2's subset numbers .notdef and the space by themselves

# fpdf2's position and graphics-state stack, each state's font named by key ("dejavub") so it pickles
# without the font itself. A page break inside a table pushes a temporary state around ``add_page``.
Fields = tuple[tuple[str, Any], ...]
State = tuple[tuple[float, ...], tuple[Fields, ...]]
_POSITION = ("x", "y", "c_margin", "l_margin", "r_margin", "t_margin")  # what a table changes and a header reads
_STACK = "_GraphicsStateMixin__statestack"  # fpdf2 keeps it name-mangled; there is no public accessor


class NotReplayable(Exception):
    """The recorded run used something named per document; draw it live instead."""


@dataclass(frozen=True)
class Out:
    """Bytes written to the current page's content stream (lines joined by newlines)."""

    data: bytes


@dataclass(frozen=True)
class Font:
    """A font the current page's resources must list."""

    index: int


@dataclass(frozen=True)
class Live:
    """A call made on the target itself: ``add_page`` or ``start_section``, with fpdf2's state around it."""

    method: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    before: State
    after: State


Event = Out | Font | Live


@dataclass(frozen=True)
class Recording:
    """A drawn run: the glyph numbering it assumes (per font key, code points in order), its events, its end state."""

    glyphs: tuple[tuple[str, tuple[GlyphKey, ...]], ...]
    events: tuple[Event, ...]
    end: State


def _fields(gs: GraphicsState) -> Fields:
    values = []
    for f in fields(gs):
        value = getattr(gs, f.name)
        if f.name == "current_font":
            value = None if value is None else value.fontkey
        elif isinstance(value, dict):  # the dash pattern, text shaping: kept immutable in the recording
            value = tuple(sorted(value.items()))
        values.append((f.name, value))
    return tuple(values)


def _state(pdf: FPDF) -> State:
    return tuple(getattr(pdf, name) for name in _POSITION), tuple(_fields(gs) for gs in getattr(pdf, _STACK))


def _restore(pdf: FPDF, state: State) -> None:
    position, stack = state
    states = []
    for values in stack:
        kwargs: dict[str, Any] = dict(values)
        key = kwargs["current_font"]
        kwargs["current_font"] = None if key is None else pdf.fonts[key]
        kwargs["dash_pattern"] = dict(kwargs["dash_pattern"])
        kwargs["text_shaping"] = None if kwargs["text_shaping"] is None else dict(kwargs["text_shaping"])
        states.append(GraphicsState(**kwargs))
    getattr(pdf, _STACK)[:] = states
    for name, value in zip(_POSITION, position, strict=True):
        setattr(pdf, name, value)


_RESOURCE_NAMES = {"X_OBJECT": "an image", "EXT_G_STATE": "a transparency", "PATTERN": "a pattern",
                   "SHADING": "a gradient"}


class _CatalogSpy:
    """Wraps fpdf2's resource catalog: fonts are recorded, any other resource makes the run not replayable."""

    def __init__(self, catalog: Any, recorder: Recorder) -> None:
        self._catalog = catalog
        self._recorder = recorder

    def add(self, resource_type: PDFResourceType, resource: Any, page_number: int | None) -> Any:
        if self._recorder.recording:
            if resource_type is not PDFResourceType.FONT:
                what = _RESOURCE_NAMES.get(resource_type.name, resource_type.name.lower())
                raise NotReplayable(f"the run uses {what}, named per document")
            self._recorder.events.append(Font(int(resource)))
        return self._catalog.add(resource_type, resource, page_number)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)


class Recorder(FPDF):
    """An FPDF that can record what a run of drawing calls writes (use with the document's own FPDF subclass)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events: list[Event] = []
        self.recording = False
        self._live_marks: Counter[tuple[int, str]] = Counter()
        self._catalog_spy = _CatalogSpy(self._resource_catalog, self)
        self._resource_catalog = self._catalog_spy  # type: ignore[assignment]

    def record(self, draw: Callable[[], object]) -> Recording:
        """Run ``draw`` and return what it wrote.

        The recording numbers every glyph this document used, in its order, drawn during the run or not:
        what it drew before only adds glyphs to each target's font subset, so draw as little as possible.
        """
        before = self._marks()
        self.events, self._live_marks, self.recording = [], Counter(), True
        try:
            draw()
            self.recording = False
            if self._marks() - before - self._live_marks:  # the target's live calls make their own
                raise NotReplayable("the run made a link, an annotation or a page-total substitution")
            return Recording(glyphs=self._glyph_order(), events=tuple(_merged(self.events)), end=_state(self))
        except (AttributeError, TypeError) as exc:  # another fpdf2 than the one this was written against
            raise NotReplayable(f"fpdf2's internals differ: {exc}") from exc
        finally:
            self.recording = False

    def _marks(self) -> Counter[tuple[int, str]]:
        """Links and annotations, and page-total (``{nb}``) substitutions, counted per page."""
        marks: Counter[tuple[int, str]] = Counter()
        for n, page in self.pages.items():
            marks[n, "annotation"] = len(page.annots or [])
            marks[n, "page total"] = len(page.get_text_substitutions())
        return marks

    def _fonts(self) -> list[TTFFont]:
        return [font for font in self.fonts.values() if isinstance(font, TTFFont)]

    def _glyph_order(self) -> tuple[tuple[str, tuple[GlyphKey, ...]], ...]:
        """Every font's glyphs in the order this document numbered them: code points, and shaped glyphs whole.

        A shaped glyph (Arabic's joining forms, a mark placed on its letter) is numbered by the glyph, not by a
        code point: it is kept with its glyph id, the characters of its cluster, its name and width, so a target
        numbers the very same glyph.
        """
        order = []
        for font in self._fonts():
            picked = sorted((char_id, glyph) for glyph, char_id in font.subset.items() if glyph is not None)
            glyphs: list[GlyphKey] = []
            for char_id, glyph in picked:
                if char_id in _RESERVED:  # .notdef and the space, numbered alike in every subset
                    continue
                code = glyph.unicode
                if isinstance(code, tuple) and len(code) == 1 and font.subset.get_glyph(unicode=code[0]) == glyph:
                    glyphs.append(code[0])
                else:
                    glyphs.append((glyph.glyph_id, tuple(code) if isinstance(code, tuple) else (code,),
                                   glyph.glyph_name, glyph.glyph_width))
            order.append((font.fontkey, tuple(glyphs)))
        return tuple(order)

    def _out(self, s: str | bytes) -> None:
        super()._out(s)
        if self.recording:
            self.events.append(Out(s if isinstance(s, bytes) else str(s).encode("latin1")))

    def _live(self, method: str, call: Callable[[], Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if not self.recording:
            return call()
        before = _state(self)
        self.recording = False  # what the target's own call writes is not part of the run
        marks = self._marks()
        try:
            result = call()
        finally:
            self.recording = True
        self._live_marks += self._marks() - marks  # a footer's page total is the target's own
        self.events.append(Live(method, args, tuple(sorted(kwargs.items())), before, _state(self)))
        return result

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        self._live("add_page", lambda: super(Recorder, self).add_page(*args, **kwargs), args, kwargs)

    def start_section(self, *args: Any, **kwargs: Any) -> None:
        self._live("start_section", lambda: super(Recorder, self).start_section(*args, **kwargs), args, kwargs)


def _merged(events: list[Event]) -> list[Event]:
    """Between two live calls: the fonts the page gains (first use first), then all writes as one.

    ``_out`` ends each write with a newline, so writes joined by newlines are the same bytes; the page's
    font list does not depend on when a font joined it within the run of writes.
    """
    merged: list[Event] = []
    fonts: list[Event] = []
    chunk: list[bytes] = []

    def flush() -> None:
        merged.extend(fonts)
        if chunk:
            merged.append(Out(b"\n".join(chunk)))
        fonts.clear()
        chunk.clear()

    for event in events:
        if isinstance(event, Out):
            chunk.append(event.data)
        elif isinstance(event, Font):
            if event not in fonts:
                fonts.append(event)
        else:
            flush()
            merged.append(event)
    flush()
    return merged


def prepick(pdf: FPDF, recording: Recording) -> None:
    """Number the recording's glyphs in ``pdf`` as the recording did; call before ``pdf`` draws any text."""
    for key, codes in recording.glyphs:
        font = pdf.fonts[key]
        if not isinstance(font, TTFFont):
            raise NotReplayable(f"font {key} is not an embedded font")
        subset = font.subset
        if len(subset) > 2:
            raise NotReplayable(f"font {key} was used before its glyphs were numbered")
        for code in codes:
            if isinstance(code, int):
                subset.pick(code)
            else:
                subset.pick_glyph(Glyph(*code))


def replay(pdf: FPDF, recording: Recording) -> None:
    """Write the recorded run into ``pdf`` (prepared with :func:`prepick`) at its current state."""
    for event in recording.events:
        if isinstance(event, Out):
            pdf._out(event.data)
        elif isinstance(event, Font):
            pdf._resource_catalog.add(PDFResourceType.FONT, event.index, pdf.page)
        else:
            _restore(pdf, event.before)
            getattr(pdf, event.method)(*event.args, **dict(event.kwargs))
            _restore(pdf, event.after)
    _restore(pdf, recording.end)


__all__ = ["NotReplayable", "Recorder", "Recording", "prepick", "replay"]
