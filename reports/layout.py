"""The profile's page furniture and drawing helpers, shared by the profile and its annexes.

``ProfilePDF`` draws the running header, footer and draft watermark; ``Writer`` holds the text, table and
value helpers every part of the profile is written with, so the annexes (``reports.annexes``) can be drawn
in a scratch document without a country's answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import (
    Align,
    MethodReturnValue,
    TableBordersLayout,
    TableCellFillMode,
    TextEmphasis,
    WrapMode,
    XPos,
    YPos,
)
from fpdf.fonts import FontFace, TextStyle
from fpdf.table import Table

from formatting.numbers import fmt_score, fmt_share
from formatting.palette import text_on, tier_colour
from formatting.scripts import script_of
from questionnaires.loader import Questionnaire
from questionnaires.references import clause_reference
from reports import shaping
from reports.fonts import STYLES, fonts_for
from reports.text import clean, needs_shaping, starts_right_to_left, wrap_by_char

shaping.install()  # shaped widths measured once: an Arabic profile's CPU down by about 40 %

MARGIN_X = 22.0
MARGIN_TOP = 24.0
MARGIN_BOTTOM = 22.0
TITLE_LEADING_RTL = 1.35  # a right-to-left section title's line height, in font sizes
BLUE = (0, 114, 178)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
RULE = (200, 208, 216)
TINT = (232, 242, 249)
DRAFT_INK = (213, 94, 0)
RGB = tuple[int, int, int]


def rgb(hex_colour: str) -> RGB:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@dataclass
class PageContext:
    """Everything the page decorations need, fixed before the first page."""

    lang: str
    header_text: str
    footer_text: str
    draft_mark: str | None
    illustrative_mark: str | None
    page_label: Callable[[int], str] = field(default=lambda n: str(n))


class ProfilePDF(FPDF):
    """FPDF with the running header, footer and draft watermark of the profile, in its language's script.

    Right-to-left languages (Arabic) get the whole page mirrored: text starts at the right margin, tables run
    from the right, and every piece of text is shaped (HarfBuzz) and reordered (fpdf2's Unicode bidi), so the
    Latin words inside ("ITU-T Y.4904", "IPv6") read left to right in their place. Chinese breaks lines between
    any two characters.
    """

    def __init__(self, ctx: PageContext) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.ctx = ctx
        self.script = script_of(ctx.lang)
        self.rtl = self.script.rtl
        fonts = fonts_for(self.script)
        self.family = fonts.primary.family
        # A face with no italic (Noto Sans SC) is loaded in its two weights only: each load parses the whole
        # 10 MB file, and emphasis stays upright in Chinese anyway (see ``set_font``).
        self._upright = {face.family.lower() for face in fonts.faces if face.files["I"] == face.files[""]}
        for face in fonts.faces:
            for style in STYLES:
                if "I" not in style or face.family.lower() not in self._upright:
                    self.add_font(face.family, style, str(face.path(style)))
        if fonts.fallbacks:  # a symbol the script's face lacks (▸, ⚑) comes from DejaVu Sans, never a box
            self.set_fallback_fonts([face.family for face in fonts.fallbacks], exact_match=False)
        if self.rtl:
            self.set_text_shaping(True, direction="rtl")
            # The page total is drawn at the line's left end: flush right in its reserved width, beside "من".
            self.alias_nb_pages(align=Align.R)
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.c_margin = 1.2

    def set_font(self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0) -> None:
        """fpdf2's ``set_font``, with italic dropped for a face that has none (its regular or bold is used)."""
        if isinstance(style, str) and (family or self.font_family or "").lower() in getattr(self, "_upright", ()):
            style = style.replace("I", "")
        super().set_font(family, style, size)
        if self.page > 0 and self._fallback_font_ids and not self.current_font_is_set_on_page:
            # fpdf2 2.8.9 sets the font of a line that starts with a fallback glyph ("▸ ..." in Chinese) inside the
            # line's q...Q only, then takes it as set: the next line was drawn in the font before (the heading's
            # bold 11 pt) with this font's glyph numbers, other characters. Set on the page, it outlives the Q.
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))  # type: ignore[arg-type]

    def start_section(self, name: str, level: int = 0, strict: bool = True) -> None:
        """fpdf2's ``start_section``; a right-to-left title's lines are 1.35 font sizes apart, not 1: fpdf2 sets
        a title's lines one font size apart, and Arabic's marks above and below made two lines touch."""
        self._title_leading = TITLE_LEADING_RTL if self.rtl else 1.0
        try:
            super().start_section(name, level, strict)
        finally:
            self._title_leading = 1.0

    def multi_cell(self, w: float, h: float | None = None, *args: Any, **kwargs: Any) -> Any:
        """fpdf2's ``multi_cell``, with a section title's line height set by :meth:`start_section`."""
        if h is not None:
            h *= getattr(self, "_title_leading", 1.0)
        return super().multi_cell(w, h, *args, **kwargs)

    @property
    def start(self) -> Align:
        """Where a line of text begins: the left margin, or the right one in a right-to-left language."""
        return Align.R if self.rtl else Align.L

    @property
    def end(self) -> Align:
        return Align.L if self.rtl else Align.R

    def mx(self, x: float, w: float) -> float:
        """The left edge of the box ``x``..``x + w`` (laid out left to right), mirrored for a right-to-left page."""
        return self.w - x - w if self.rtl else x

    def mline(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A line given in left-to-right coordinates, mirrored for a right-to-left page."""
        if self.rtl:
            x1, x2 = self.w - x1, self.w - x2
        self.line(x1, y1, x2, y2)

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis so it fits ``width`` mm in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def header(self) -> None:
        if self.ctx.draft_mark:
            with self.local_context(fill_opacity=0.13, text_color=DRAFT_INK):
                self.set_font(self.family, "B", 96)
                width = self.get_string_width(self.ctx.draft_mark)
                with self.rotation(54, x=self.w / 2, y=self.h / 2):
                    if self.rtl:  # text() neither shapes nor reorders: "مسودة" came out as isolated "ةدوسم"
                        self.set_xy(self.w / 2 - width / 2, self.h / 2 + 12 - 24)
                        self.cell(width, 30, self.ctx.draft_mark, align=Align.C)
                    else:
                        self.text(self.w / 2 - width / 2, self.h / 2 + 12, self.ctx.draft_mark)
                self.set_font(self.family, "B", 8)
                with self.local_context(fill_opacity=1.0):
                    self.set_xy(self.mx(self.w - MARGIN_X - 40, 40), 8)
                    self.cell(40, 5, self.ctx.draft_mark, align=self.end)
        if self.page_no() == 1:
            return
        with self.local_context(text_color=MUTED, draw_color=BLUE, line_width=0.35):
            self.set_font(self.family, "", 8)
            self.set_xy(self.mx(MARGIN_X, self.epw - 42), 13)
            self.cell(self.epw - 42, 5, self.fit(self.ctx.header_text, self.epw - 44), align=self.start)
            self.line(MARGIN_X, 19, self.w - MARGIN_X, 19)
        self.set_xy(MARGIN_X, MARGIN_TOP)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        with self.local_context(text_color=MUTED, draw_color=RULE, line_width=0.2):
            self.set_font(self.family, "", 8)
            y = self.h - 14
            self.line(MARGIN_X, y - 1.5, self.w - MARGIN_X, y - 1.5)
            self.set_xy(self.mx(MARGIN_X, self.epw - 35), y)
            left = self.ctx.footer_text
            if self.ctx.illustrative_mark:
                left = f"{left} · {self.ctx.illustrative_mark}"
            self.cell(self.epw - 35, 5, self.fit(left, self.epw - 37), align=self.start)
            self.set_xy(self.mx(self.w - MARGIN_X - 35, 35), y)
            self.cell(35, 5, self.ctx.page_label(self.page_no()), align=self.end)


def section_title_styles(pdf: ProfilePDF) -> None:
    """Bookmarked section titles: blue, bold, 17 pt for parts and 13 pt for their subsections; right-aligned in RTL."""
    margin: float | Align = Align.R if pdf.rtl else 0
    pdf.set_section_title_styles(
        TextStyle(font_family=pdf.family, font_style="B", font_size_pt=17, color=BLUE, t_margin=2,
                  l_margin=margin, b_margin=4),
        TextStyle(font_family=pdf.family, font_style="B", font_size_pt=13, color=BLUE, t_margin=1,
                  l_margin=margin, b_margin=2.5),
    )


class _MirroredRow:
    """A row whose cells are kept, then given to fpdf2 last first: the first column is drawn on the right."""

    def __init__(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.args, self.kwargs = args, kwargs
        self.cells: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def cell(self, *args: Any, **kwargs: Any) -> None:
        self.cells.append((args, kwargs))


class _MirroredTable:
    """An fpdf2 table written column by column in reading order and drawn right to left."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.pending: _MirroredRow | None = None

    def row(self, *args: Any, **kwargs: Any) -> _MirroredRow:
        self.flush()
        self.pending = _MirroredRow(args, kwargs)
        return self.pending

    def flush(self) -> None:
        if self.pending is None:
            return
        row = self.table.row(*self.pending.args, **self.pending.kwargs)
        for args, kwargs in reversed(self.pending.cells):
            row.cell(*args, **kwargs)
        self.pending = None


_MIRRORED_ALIGN = {"LEFT": "RIGHT", "RIGHT": "LEFT", "L": "R", "R": "L"}


class Writer:
    """Text, table and value helpers over one profile document, in one language."""

    def __init__(self, pdf: ProfilePDF, questionnaire: Questionnaire, lang: str) -> None:
        self.pdf = pdf
        self.q = questionnaire
        self.lang = lang

    # ------------------------------------------------------------------ text helpers
    def font(self, size: float, style: str = "", colour: RGB = INK) -> None:
        self.pdf.set_font(self.pdf.family, style, size)
        self.pdf.set_text_color(*colour)

    def para(
        self, text: str, size: float = 9.5, style: str = "", colour: RGB = INK, h: float | None = None,
        x: float | None = None, w: float = 0, user: bool = False, after: float = 0.0,
    ) -> None:
        """A paragraph. ``user=True`` for text a person typed: cleaned, shaped when right-to-left."""
        pdf = self.pdf
        if user:
            text = clean(text, style, pdf.script.code)
        self.font(size, style, colour)
        if pdf.rtl:  # the box x..x+w (x+w: the right margin when w is 0) is drawn mirrored
            left = pdf.get_x() if x is None else x
            w = w or pdf.w - pdf.r_margin - left
            pdf.set_x(pdf.mx(left, w))
        elif x is not None:
            pdf.set_x(x)
        # A right-to-left document shapes every text already; a left-to-right one shapes a user's Arabic only.
        shaping = not pdf.rtl and user and needs_shaping(text)
        if shaping:
            pdf.set_text_shaping(True)
        try:
            pdf.multi_cell(
                w, h or size * 0.5, text,
                align=pdf.start if pdf.rtl else Align.R if shaping and starts_right_to_left(text) else Align.L,
                new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=self.wrapmode(text),
            )
        finally:
            if shaping:
                pdf.set_text_shaping(False)
        if after:
            pdf.ln(after)

    def wrapmode(self, text: str) -> WrapMode:
        """Chinese breaks between any two characters; other scripts at spaces, unless one token is too long."""
        return WrapMode.CHAR if self.pdf.script.break_anywhere or wrap_by_char(text) else WrapMode.WORD

    def labelled(self, label: str, text: str, *, user: bool = True, indent: float = 6.0) -> None:
        """'Label   text' with the text wrapping in its own column."""
        pdf = self.pdf
        label_w = 34.0
        self.need(10)
        y = pdf.get_y()
        self.font(8.5, "B", MUTED)
        pdf.set_xy(pdf.mx(MARGIN_X + indent, label_w), y)
        pdf.multi_cell(label_w, 4.4, label, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                       wrapmode=self.wrapmode(label))
        y_label, page = pdf.get_y(), pdf.page
        pdf.set_xy(MARGIN_X + indent + label_w, y)
        self.para(text, size=8.8, h=4.4, x=MARGIN_X + indent + label_w, w=pdf.epw - indent - label_w, user=user)
        if pdf.page == page and pdf.get_y() < y_label:  # a two-line label beside a one-line text
            pdf.set_y(y_label)

    def table_height(self, widths: tuple[float, ...], rows: list[list[str]], size: float = 8.5) -> float:
        """The height ``table`` will give these rows (header first), from fpdf2's own line breaking."""
        pdf, line_h, pad = self.pdf, size * 0.52, 1.3
        total = 0.0
        saved_margin, pdf.c_margin = pdf.c_margin, 0.4  # as in ``table``
        for n, cells in enumerate(rows):
            self.font(size - 1.5 if n == 0 else size, "B" if n == 0 else "")
            lines = 1
            for w, text in zip(widths, cells, strict=True):
                width = pdf.epw * w / sum(widths) - 2 * 1.2
                broken = pdf.multi_cell(width, line_h, text, dry_run=True, output=MethodReturnValue.LINES,
                                        wrapmode=WrapMode.CHAR if pdf.script.break_anywhere else WrapMode.WORD)
                lines = max(lines, len(broken) if isinstance(broken, list) else 1)
            total += lines * line_h + 2 * pad
        pdf.c_margin = saved_margin
        return total

    def need(self, height: float) -> None:
        """Start a new page when less than ``height`` mm remain, to keep a block together."""
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.pdf.add_page()

    def heading(
        self, text: str, size: float = 11.5, before: float = 3.0, after: float = 1.5, keep: float = 32.0
    ) -> None:
        self.need(keep)  # a heading never ends a page: keep room for the first lines under it
        self.pdf.ln(before)
        self.para(text, size=size, style="B", colour=BLUE, h=size * 0.5, after=after)

    def section(self, title: str, level: int = 0, new_page: bool = True) -> None:
        if new_page:
            self.pdf.add_page()
        else:
            self.need(30)
        self.pdf.start_section(title, level=level)

    def rule(self, colour: RGB = RULE, before: float = 1.5, after: float = 2.5) -> None:
        pdf = self.pdf
        pdf.ln(before)
        with pdf.local_context(draw_color=colour, line_width=0.2):
            pdf.line(MARGIN_X, pdf.get_y(), pdf.w - MARGIN_X, pdf.get_y())
        pdf.ln(after)

    @contextmanager
    def table(
        self, widths: tuple[float, ...], align: tuple[str, ...] | None = None, size: float = 8.5
    ) -> Iterator[Table]:
        """An fpdf2 table; in a right-to-left language its columns run from the right, text aligned mirrored."""
        pdf = self.pdf
        self.font(size)
        saved_margin, self.pdf.c_margin = self.pdf.c_margin, 0.4  # cell padding does the spacing
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE, size_pt=size - 1.5)
        aligns: str | tuple[str, ...] = align or "LEFT"
        if pdf.rtl:
            widths = tuple(reversed(widths))
            aligns = tuple(_MIRRORED_ALIGN.get(a, a) for a in reversed(align or ("LEFT",) * len(widths)))
        with self.pdf.table(
            col_widths=widths,
            text_align=aligns,
            wrapmode=WrapMode.CHAR if pdf.script.break_anywhere else WrapMode.WORD,
            headings_style=heading,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=(244, 248, 251),
            cell_fill_mode=TableCellFillMode.ROWS,
            line_height=size * 0.52,
            padding=(1.3, 1.2),
            width=self.pdf.epw,
        ) as tbl:
            if pdf.rtl:
                mirrored = _MirroredTable(tbl)
                yield cast(Table, mirrored)  # the same row()/cell() calls, replayed in mirrored order
                mirrored.flush()
            else:
                yield tbl
        self.pdf.c_margin = saved_margin
        self.pdf.ln(2)

    # ------------------------------------------------------------------ value helpers
    def num(self, value: float | None) -> str:
        """A score or points with the profile language's decimal mark (64,1 in French)."""
        return fmt_score(value, self.lang)

    def share(self, value: float | None) -> str:
        """A share (0-1) as a percentage in the profile language ('47 %' in French)."""
        return fmt_share(value, self.lang)

    def clause(self, clause_id: str) -> str:
        """The clause as the resolution cites it ('charge le Directeur du BDT, 3)'), never its id."""
        return clause_reference(self.q, clause_id, self.lang)

    def tier_name(self, tier_id: str | None) -> str:
        return "–" if tier_id is None else self.q.tier(tier_id).name.get(self.lang)

    def pillar_name(self, pillar_id: str) -> str:
        return self.q.pillar(pillar_id).name.get(self.lang)

    def tier_colours(self, tier_id: str | None) -> tuple[RGB, RGB]:
        """The tier's fill and the ink that reads on it (black or white by contrast)."""
        fill = tier_colour(tier_id)
        return rgb(fill), rgb(text_on(fill))

    def tier_style(self, tier_id: str | None) -> FontFace:
        fill, ink = self.tier_colours(tier_id)
        return FontFace(fill_color=fill, color=ink)

