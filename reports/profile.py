"""The country readiness profile as a PDF: cover, summary, charts, pillars, roadmap, annexes.

Pure: the same questionnaire, answers, options and ``generated_on`` always give the same bytes
(the creation date is derived from ``generated_on``; charts are salted SVG). Every piece of user text
goes through :mod:`reports.text` and is drawn with ``multi_cell`` as plain text, so nothing a user
types can be read as markup or break the layout around it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace, TextStyle
from fpdf.outline import OutlineSection
from fpdf.table import Table

from answers.consistency import inconsistencies
from answers.document import Answer, AnswersDocument
from formatting.numbers import fmt_decimal, fmt_number, fmt_percent, fmt_score, fmt_share
from formatting.palette import tier_colour
from questionnaires.basis import aim_text, practice_mark
from questionnaires.loader import Questionnaire
from questionnaires.messages import mark, t
from questionnaires.models import HORIZONS, Question
from questionnaires.references import clause_reference, materials_text, question_number
from recommendations.engine import Recommendation, recommend, to_answer
from refdata import country_name
from reports import charts
from reports.naming import profile_filename
from reports.text import (
    FONT_DIR,
    FONT_FAMILY,
    FONT_FILES,
    clean,
    needs_shaping,
    one_line,
    starts_right_to_left,
    truncate,
    wrap_by_char,
)
from scoring.engine import score
from scoring.results import PillarResult, QuestionResult, ScoreResult

LANGS = ("en", "fr")
MARGIN_X = 22.0
MARGIN_TOP = 24.0
MARGIN_BOTTOM = 22.0
BLUE = (0, 114, 178)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
RULE = (200, 208, 216)
TINT = (232, 242, 249)
DRAFT_INK = (213, 94, 0)
RGB = tuple[int, int, int]
RADAR_RATIO = charts.RADAR_SIZE[1] / charts.RADAR_SIZE[0]


def _rgb(hex_colour: str) -> RGB:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def format_date(day: date, lang: str) -> str:
    """'29 November 2026' / '29 novembre 2026'."""
    months = t("pdf.months", lang).split(",")
    return f"{day.day} {months[day.month - 1]} {day.year}"


@dataclass
class _Context:
    """Everything the page decorations need, fixed before the first page."""

    lang: str
    header_text: str
    footer_text: str
    draft_mark: str | None
    illustrative_mark: str | None
    page_label: Callable[[int], str] = field(default=lambda n: str(n))


class _ProfilePDF(FPDF):
    """FPDF with the running header, footer and draft watermark of the profile."""

    def __init__(self, ctx: _Context) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.ctx = ctx
        for style, filename in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style, str(FONT_DIR / filename))
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.c_margin = 1.2

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
                self.set_font(FONT_FAMILY, "B", 96)
                width = self.get_string_width(self.ctx.draft_mark)
                with self.rotation(54, x=self.w / 2, y=self.h / 2):
                    self.text(self.w / 2 - width / 2, self.h / 2 + 12, self.ctx.draft_mark)
                self.set_font(FONT_FAMILY, "B", 8)
                with self.local_context(fill_opacity=1.0):
                    self.set_xy(self.w - MARGIN_X - 40, 8)
                    self.cell(40, 5, self.ctx.draft_mark, align=Align.R)
        if self.page_no() == 1:
            return
        with self.local_context(text_color=MUTED, draw_color=BLUE, line_width=0.35):
            self.set_font(FONT_FAMILY, "", 8)
            self.set_xy(MARGIN_X, 13)
            self.cell(self.epw - 42, 5, self.fit(self.ctx.header_text, self.epw - 44))
            self.line(MARGIN_X, 19, self.w - MARGIN_X, 19)
        self.set_xy(MARGIN_X, MARGIN_TOP)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        with self.local_context(text_color=MUTED, draw_color=RULE, line_width=0.2):
            self.set_font(FONT_FAMILY, "", 8)
            y = self.h - 14
            self.line(MARGIN_X, y - 1.5, self.w - MARGIN_X, y - 1.5)
            self.set_xy(MARGIN_X, y)
            left = self.ctx.footer_text
            if self.ctx.illustrative_mark:
                left = f"{left} · {self.ctx.illustrative_mark}"
            self.cell(self.epw - 35, 5, self.fit(left, self.epw - 37))
            self.set_xy(self.w - MARGIN_X - 35, y)
            self.cell(35, 5, self.ctx.page_label(self.page_no()), align=Align.R)


class _Builder:
    """Writes one profile; one method per part of the document."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        doc: AnswersDocument,
        result: ScoreResult,
        lang: str,
        peer_medians: Mapping[str, float] | None,
        peer_label: str | None,
        generated_on: date,
        queries: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> None:
        self.queries = list(queries)
        self.q = questionnaire
        self.doc = doc
        self.result = result
        self.lang = lang
        # Medians of an empty group arrive as NaN (pandas): they are left out, not printed as "nan".
        self.peers = {k: float(v) for k, v in (peer_medians or {}).items() if v is not None and math.isfinite(v)}
        self.peer_label = one_line(peer_label) if peer_label else t("pdf.peer_default", lang)
        self.generated_on = generated_on
        self.recs = recommend(questionnaire, result, doc)
        try:
            self.country = country_name(doc.country, lang)
        except KeyError:
            self.country = doc.country
        self.draft = doc.status != "submitted"
        ctx = _Context(
            lang=lang,
            header_text=t("pdf.header", lang, country=self.country, cycle=doc.cycle),
            footer_text=t("pdf.questionnaire", lang, version=questionnaire.version),
            draft_mark=t("pdf.draft_mark", lang) if self.draft else None,
            illustrative_mark=t("pdf.illustrative", lang) if doc.illustrative else None,
            page_label=lambda n: t("pdf.page", lang, n=n, total="{nb}"),
        )
        self.pdf = _ProfilePDF(ctx)
        self._section_no = 0

    # ------------------------------------------------------------------ text helpers
    def font(self, size: float, style: str = "", colour: RGB = INK) -> None:
        self.pdf.set_font(FONT_FAMILY, style, size)
        self.pdf.set_text_color(*colour)

    def para(
        self, text: str, size: float = 9.5, style: str = "", colour: RGB = INK, h: float | None = None,
        x: float | None = None, w: float = 0, user: bool = False, after: float = 0.0,
    ) -> None:
        """A paragraph. ``user=True`` for text a person typed: cleaned, shaped when right-to-left."""
        pdf = self.pdf
        if user:
            text = clean(text, style)
        self.font(size, style, colour)
        if x is not None:
            pdf.set_x(x)
        shaping = user and needs_shaping(text)
        if shaping:
            pdf.set_text_shaping(True)
        try:
            pdf.multi_cell(
                w, h or size * 0.5, text, align=Align.R if shaping and starts_right_to_left(text) else Align.L,
                new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                wrapmode=WrapMode.CHAR if wrap_by_char(text) else WrapMode.WORD,
            )
        finally:
            if shaping:
                pdf.set_text_shaping(False)
        if after:
            pdf.ln(after)

    def labelled(self, label: str, text: str, *, user: bool = True, indent: float = 6.0) -> None:
        """'Label   text' with the text wrapping in its own column."""
        pdf = self.pdf
        label_w = 34.0
        self.need(10)
        y = pdf.get_y()
        self.font(8.5, "B", MUTED)
        pdf.set_xy(MARGIN_X + indent, y)
        pdf.multi_cell(label_w, 4.4, label, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
                broken = pdf.multi_cell(width, line_h, text, dry_run=True, output=MethodReturnValue.LINES)
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

    def numbered(self, title: str) -> str:
        self._section_no += 1
        return f"{self._section_no}. {title}"

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
        self.font(size)
        saved_margin, self.pdf.c_margin = self.pdf.c_margin, 0.4  # cell padding does the spacing
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=BLUE, size_pt=size - 1.5)
        with self.pdf.table(
            col_widths=widths,
            text_align=align or "LEFT",
            headings_style=heading,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=(244, 248, 251),
            cell_fill_mode=TableCellFillMode.ROWS,
            line_height=size * 0.52,
            padding=(1.3, 1.2),
            width=self.pdf.epw,
        ) as tbl:
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

    def tier_style(self, tier_id: str | None) -> FontFace:
        return FontFace(fill_color=_rgb(tier_colour(tier_id)), color=INK)

    def answer_text(self, question: Question, qr: QuestionResult) -> str:
        if qr.status != "answered":
            return t("status." + qr.status, self.lang)
        value = qr.value
        if question.type == "scale":
            opt = self.q.scales[question.scale or ""].option(str(value))
            return opt.label.get(self.lang) if opt else one_line(str(value))
        if question.type == "numeric":
            assert question.numeric is not None
            try:
                number = fmt_number(float(str(value).replace(",", ".")), self.lang)
            except ValueError:
                number = one_line(str(value))
            return f"{number} {question.numeric.unit.get(self.lang)}"
        selected = value if isinstance(value, list) else []
        labels = {o.value: o.label.get(self.lang) for o in question.options or []}
        return "; ".join(labels.get(v, one_line(v)) for v in selected) or t("pdf.none_selected", self.lang)

    def trigger_text(self, rec: Recommendation) -> str:
        trig = rec.trigger
        if trig.question_id:
            return t(
                "pdf.trigger_question", self.lang, question=question_number(self.q, trig.question_id),
                score=fmt_decimal(trig.score or 0, self.lang, ".2f"), threshold=fmt_number(trig.threshold, self.lang),
            )
        return t("pdf.trigger_pillar", self.lang, score=self.num(trig.score),
                 threshold=fmt_number(trig.threshold, self.lang))

    # ------------------------------------------------------------------ parts
    def cover(self) -> None:
        pdf, lang, doc = self.pdf, self.lang, self.doc
        pdf.add_page()
        with pdf.local_context(fill_color=BLUE):
            pdf.rect(0, 0, pdf.w, 74, style="F")
        self.font(9, "B", (255, 255, 255))
        pdf.set_xy(MARGIN_X, 20)
        pdf.cell(0, 5, t("pdf.series", lang).upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(32)
        self.para(t("pdf.title", lang), size=21, style="B", colour=(255, 255, 255), h=9.5, w=pdf.epw - 10)
        pdf.set_y(92)
        self.para(self.country, size=30, style="B", colour=BLUE, h=13, after=2)
        self.para(t("pdf.cycle", lang, cycle=doc.cycle), size=14, colour=INK, h=7, after=10)
        with pdf.local_context(draw_color=BLUE, line_width=0.6):
            pdf.line(MARGIN_X, pdf.get_y(), MARGIN_X + 30, pdf.get_y())
        pdf.ln(6)
        status = t("pdf.status_draft" if self.draft else "pdf.status_submitted", lang)
        for line in (
            t("pdf.generated_on", lang, date=format_date(self.generated_on, lang)),
            t("pdf.questionnaire", lang, version=self.q.version),
            t("pdf.status", lang, status=status),
        ):
            self.para(line, size=10.5, colour=MUTED, h=6)
        if doc.illustrative:
            pdf.ln(10)
            y = pdf.get_y()
            with pdf.local_context(fill_color=(253, 240, 214), draw_color=(230, 159, 0), line_width=0.5):
                pdf.rect(MARGIN_X, y, pdf.epw, 24, style="DF")
            pdf.set_xy(MARGIN_X + 5, y + 4)
            self.para(t("pdf.illustrative", lang).upper(), size=12, style="B", colour=(140, 90, 0), h=6,
                      x=MARGIN_X + 5, w=pdf.epw - 10)
            self.para(t("pdf.illustrative_note", lang), size=9, colour=INK, h=4.6, x=MARGIN_X + 5, w=pdf.epw - 10)
        pdf.set_auto_page_break(False)
        pdf.set_y(pdf.h - 42)
        with pdf.local_context(draw_color=RULE, line_width=0.2):
            pdf.line(MARGIN_X, pdf.get_y(), pdf.w - MARGIN_X, pdf.get_y())
        pdf.ln(3)
        self.para(t("pdf.subject", lang), size=8, colour=MUTED, h=4)
        if lang == "en":  # only the English profile quotes the resolution in a translation
            self.para(t("unofficial_translation", lang), size=7.5, colour=MUTED, h=3.8)
        pdf.set_auto_page_break(True, MARGIN_BOTTOM)

    def toc(self) -> None:
        entries = 5 + len(self.q.pillars) + len(HORIZONS) + 2
        self.pdf.add_page()  # the placeholder starts on the current page
        self.pdf.insert_toc_placeholder(self._render_toc, pages=1 + (entries - 1) // 30)

    def _render_toc(self, pdf: FPDF, outline: list[OutlineSection]) -> None:
        pdf.set_y(MARGIN_TOP + 4)
        self.para(t("pdf.toc", self.lang), size=18, style="B", colour=BLUE, h=9, after=6)
        for section in outline:
            indent = 8.0 * section.level
            size = 10.5 if section.level == 0 else 9.5
            style = "B" if section.level == 0 else ""
            if section.level == 0:
                pdf.ln(1.5)
            self.font(size, style, INK)
            link = pdf.add_link(page=section.page_number)
            num_w = 14.0
            avail = pdf.epw - indent - num_w
            name = self.pdf.fit(section.name, avail - 4)
            y = pdf.get_y()
            pdf.set_x(MARGIN_X + indent)
            pdf.cell(avail, 6.2, name, link=link)
            name_w = min(pdf.get_string_width(name), avail)
            with pdf.local_context(draw_color=(170, 170, 170), line_width=0.25):
                pdf.set_dash_pattern(dash=0.4, gap=1.2)
                pdf.line(MARGIN_X + indent + name_w + 2, y + 4.6, pdf.w - MARGIN_X - num_w, y + 4.6)
                pdf.set_dash_pattern()
            pdf.set_xy(pdf.w - MARGIN_X - num_w, y)
            pdf.cell(num_w, 6.2, str(section.page_number), align=Align.R, link=link,
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def summary(self) -> None:
        pdf, lang, res = self.pdf, self.lang, self.result
        self.section(self.numbered(t("pdf.summary", lang)), new_page=False)  # the contents page broke already
        pdf.ln(2)
        top = pdf.get_y()
        box_w, box_h = 58.0, 46.0
        with pdf.local_context(fill_color=TINT):
            pdf.rect(MARGIN_X, top, box_w, box_h, style="F")
        pdf.set_xy(MARGIN_X + 4, top + 4)
        self.para(t("pdf.overall_score", lang), size=9, style="B", colour=MUTED, h=5, x=MARGIN_X + 4, w=box_w - 8)
        pdf.set_x(MARGIN_X + 4)
        self.font(30, "B", BLUE)
        pdf.cell(box_w - 8, 14, self.num(res.overall), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.para(t("pdf.out_of", lang), size=8.5, colour=MUTED, h=4.5, x=MARGIN_X + 4, w=box_w - 8)
        pdf.set_xy(MARGIN_X + 4, top + box_h - 13)
        self.font(10, "B", INK)
        with pdf.local_context(fill_color=_rgb(tier_colour(res.overall_tier))):
            pdf.cell(box_w - 8, 8, self.tier_name(res.overall_tier), align=Align.C, fill=True)

        # Key figures beside the box.
        scored = [p for p in res.pillars if p.score is not None]
        strongest = max(scored, key=lambda p: p.score or 0.0) if scored else None
        weakest = min(scored, key=lambda p: p.score or 0.0) if scored else None

        def pillar_line(p: PillarResult | None) -> str:
            if p is None:
                return "–"
            return f"{self.pillar_name(p.pillar_id)} ({self.num(p.score)}, {self.tier_name(p.tier)})"

        target = t("pdf.no_target", lang)
        if res.target is not None:
            target = f"{self.num(res.target)} ({t('gap', lang).lower()} {self.num(res.gap)})"
        rows = [
            (t("completeness", lang), self.share(res.completeness)),
            (t("evidence_coverage", lang), self.share(res.evidence_coverage)),
            (t("target", lang), target),
            (t("pdf.strongest", lang), pillar_line(strongest)),
            (t("pdf.weakest", lang), pillar_line(weakest)),
        ]
        if "overall" in self.peers:
            rows.append((self.peer_label, self.num(self.peers["overall"])))
        x0 = MARGIN_X + box_w + 6
        pdf.set_xy(x0, top)
        self.para(t("pdf.key_figures", lang), size=10, style="B", colour=BLUE, h=5.5, x=x0, w=pdf.epw - box_w - 6)
        for label, value in rows:
            y = pdf.get_y()
            self.font(8.5, "B", MUTED)
            pdf.set_xy(x0, y + 0.6)
            pdf.multi_cell(38, 4.3, label, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            y_label = pdf.get_y()
            pdf.set_xy(x0 + 38, y + 0.6)
            self.para(value, size=8.8, h=4.3, x=x0 + 38, w=pdf.epw - box_w - 6 - 38)
            pdf.set_y(max(pdf.get_y(), y_label))
        pdf.set_y(max(pdf.get_y(), top + box_h) + 4)
        if res.overall_tier:
            self.para(self.q.tier(res.overall_tier).description.get(lang), size=9.5, style="I", colour=MUTED, h=5)

        self.heading(t("pdf.pillar_table", lang))
        peer = bool(self.peers)
        head = [t("pillar", lang), t("score", lang), t("tier", lang), t("completeness", lang),
                t("evidence_coverage", lang), t("target", lang)]
        widths: tuple[float, ...] = (52, 13, 30, 25, 26, 20)
        if peer:
            head.append(self.peer_label)
            widths = (38, 12, 29, 25, 22, 17, 23)
        with self.table(widths, align=("LEFT", "RIGHT", "CENTER") + ("RIGHT",) * (len(head) - 3)) as tbl:
            row = tbl.row()
            for h in head:
                row.cell(h)
            for p in res.pillars:
                row = tbl.row()
                row.cell(self.pillar_name(p.pillar_id))
                row.cell(self.num(p.score))
                row.cell(self.tier_name(p.tier), style=self.tier_style(p.tier))
                row.cell(self.share(p.completeness))
                row.cell(self.share(p.evidence_coverage))
                row.cell(self.num(p.target))
                if peer:
                    row.cell(self.num(self.peers.get(p.pillar_id)))

        top5 = self.recs[:5]
        if not top5:
            self.heading(t("pdf.top_recs", lang), keep=50)
            if to_answer(self.result):
                self.para(t("pdf.to_answer", lang, n=len(to_answer(self.result))), size=9, h=4.6, after=1)
            self.para(t("pdf.no_recs", lang), size=9.5)
            return
        widths = (5, 56, 28, 30, 11)
        head = ["#", t("pdf.action", lang), t("pillar", lang), t("cli.clause", lang), t("pdf.gain", lang)]
        actions: list[list[str]] = [head] + [
            [str(r.rank), r.action.get(lang), self.pillar_name(r.pillar_id), self.clause(r.clause),
             f"+{self.num(r.expected_gain)}"]
            for r in top5
        ]
        # The five actions are read as one list: never split over two pages (the heading and note included).
        pending = to_answer(self.result)
        warnings = inconsistencies(self.q, self.doc.answers)
        self.need(self.table_height(widths, actions) + 25 + (10 if pending else 0) + 10 * len(warnings))
        self.heading(t("pdf.top_recs", lang), keep=0)
        if pending:
            self.para(t("pdf.to_answer", lang, n=len(pending)), size=9, h=4.6, after=1)
        for rule in warnings:
            self.para(f"⚠ {rule.message.get(lang)}", size=9, colour=_rgb("#D55E00"), h=4.6, after=1)
        with self.table(widths, align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT")) as tbl:
            for cells in actions:
                row = tbl.row()
                for text in cells:
                    row.cell(text)
        self.para(t("pdf.gain_help", lang), size=7.8, colour=MUTED, h=4)

    def _points(self) -> list[charts.PillarPoint]:
        return [
            charts.PillarPoint(
                label=self.pillar_name(p.pillar_id),
                score=p.score,
                tier_id=p.tier,
                tier_label=self.tier_name(p.tier),
                target=p.target,
                peer=self.peers.get(p.pillar_id),
            )
            for p in self.result.pillars
        ]

    def charts(self) -> None:
        pdf, lang = self.pdf, self.lang
        bands = [charts.TierBand(tr.name.get(lang), tr.min_score, tr.id) for tr in self.q.tiers]
        points = self._points()
        labels = {
            "country_label": self.country,
            "target_label": t("target", lang),
            "peer_label": self.peer_label if self.peers else None,
            "tiers": bands,
        }
        radar = charts.radar_svg(points, **labels)  # type: ignore[arg-type]
        # Start on the page the summary left, when the radar fits there at no less than 80 % of its width:
        # a forced page break left half of the five-actions page empty.
        width = pdf.epw - 12
        room = pdf.page_break_trigger - pdf.get_y() - 30  # the section heading and the caption
        same_page = room >= 0.8 * width * RADAR_RATIO
        self.section(self.numbered(t("pdf.charts", lang)), new_page=not same_page)
        if same_page:
            width = min(width, (pdf.page_break_trigger - pdf.get_y() - 12) / RADAR_RATIO)
        pdf.image(io.BytesIO(radar), x=MARGIN_X + (pdf.epw - width) / 2, w=width)
        self.para(t("pdf.radar_caption", lang), size=8, style="I", colour=MUTED, h=4, after=3)
        bars = charts.bars_svg(points, **labels, lang=lang)  # type: ignore[arg-type]
        self.need(95)
        pdf.image(io.BytesIO(bars), x=MARGIN_X, w=pdf.epw)
        self.para(t("pdf.bars_caption", lang), size=8, style="I", colour=MUTED, h=4)
        if self.peers:
            self.para(t("pdf.peer_note", lang, label=self.peer_label), size=8, colour=MUTED, h=4)

    def pillars(self) -> None:
        lang = self.lang
        self.section(self.numbered(t("pdf.pillars", lang)), new_page=True)
        for i, p in enumerate(self.result.pillars, start=1):
            if i > 1:
                self.pdf.add_page()
            # Named by the pillar's own number, the first part of its question numbers (question 1.2 is in pillar 1).
            self.pillar(t("pdf.pillar_title", lang, n=i, name=self.pillar_name(p.pillar_id)), p)

    def pillar(self, title: str, pr: PillarResult) -> None:
        pdf, lang = self.pdf, self.lang
        pdf.start_section(title, level=1)
        pillar = self.q.pillar(pr.pillar_id)
        self.para(pillar.description.get(lang), size=9, colour=MUTED, h=4.6, after=2)
        head = [t("score", lang), t("tier", lang), t("completeness", lang), t("evidence_coverage", lang),
                t("target", lang), t("gap", lang)]
        with self.table((12, 18, 14, 14, 11, 11), align=("CENTER",) * 6) as tbl:
            row = tbl.row()
            for h in head:
                row.cell(h)
            row = tbl.row()
            row.cell(self.num(pr.score), style=FontFace(emphasis="BOLD"))
            row.cell(self.tier_name(pr.tier), style=self.tier_style(pr.tier))
            row.cell(self.share(pr.completeness))
            row.cell(self.share(pr.evidence_coverage))
            row.cell(self.num(pr.target))
            row.cell(self.num(pr.gap))
        pdf.ln(1)
        for question in self.q.questions_in(pr.pillar_id):
            self.question(question, self.result.question(question.id), self.doc.answer(question.id))
        self.heading(t("pdf.gaps", lang), size=11)
        recs = [r for r in self.recs if r.pillar_id == pr.pillar_id]
        if not recs:
            self.para(t("pdf.no_gaps", lang), size=9)
        for rec in recs:
            self.need(16)
            self.para(f"▸ {rec.action.get(lang)}", size=9.2, h=4.7)
            meta = " · ".join(
                (t("horizon." + rec.horizon, lang), t("pdf.serves", lang, clause=self.clause(rec.clause)),
                 f"+{self.num(rec.expected_gain)} {t('cli.points', lang)}")
            )
            self.para(meta, size=8, colour=BLUE, h=4, x=MARGIN_X + 4, w=pdf.epw - 4)
            self.para(self.trigger_text(rec), size=8, colour=MUTED, h=4, x=MARGIN_X + 4, w=pdf.epw - 4, after=1.5)

    def question(self, question: Question, qr: QuestionResult, answer: Answer) -> None:
        pdf, lang = self.pdf, self.lang
        self.need(24)
        self.rule(before=1.5, after=2)
        self.para(f"{question_number(self.q, question.id)}  {question.text.get(lang)}", size=9.5, style="B", h=4.9,
                  after=0.8)
        aim = aim_text(self.q, question, lang)
        if aim is not None:
            self.para(f"{t('basis.practice', lang)}{mark(':', lang)} {aim}", size=7.6, style="I", colour=MUTED, h=3.8,
                      after=0.8)
        y = pdf.get_y()
        points = ""
        if qr.score is not None:
            points = t("pdf.points", lang, points=self.num(qr.points), max=self.num(qr.max_points))
        self.font(8.5, "B", MUTED)
        pdf.set_xy(MARGIN_X + 6, y)
        pdf.cell(34, 4.6, t("pdf.answer", lang))
        if points:
            self.font(8, "", MUTED)
            pdf.set_xy(pdf.w - MARGIN_X - 48, y)
            pdf.cell(48, 4.6, points, align=Align.R)
        self.font(9, "", INK)
        pdf.set_xy(MARGIN_X + 40, y)
        pdf.multi_cell(pdf.epw - 40 - 48, 4.6, self.answer_text(question, qr), align=Align.L,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if qr.status == "answered" and question.type == "scale":
            desc = self.q.descriptor(question, str(qr.value), lang)
            if desc:
                self.para(desc, size=8, style="I", colour=MUTED, h=4, x=MARGIN_X + 40, w=pdf.epw - 40)
        if qr.status == "hidden":
            return
        if answer.not_applicable and answer.justification:
            self.labelled(t("pdf.justification", lang), answer.justification)
        if answer.evidence and answer.evidence.strip():
            self.labelled(t("pdf.evidence", lang), answer.evidence)
        if answer.comment and answer.comment.strip():
            self.labelled(t("pdf.comment", lang), answer.comment)
        if answer.review:
            self.para(f"⚑ {t('pdf.for_review', lang)}", size=8, style="B", colour=_rgb("#D55E00"), h=4,
                      x=MARGIN_X + 6, w=pdf.epw - 6)

    def roadmap(self) -> None:
        pdf, lang = self.pdf, self.lang
        number = self._section_no + 1
        self.section(self.numbered(t("pdf.roadmap", lang)))
        self.para(t("pdf.roadmap_intro", lang), size=9.5, h=5, after=2)
        groups = {h: sorted((r for r in self.recs if r.horizon == h), key=lambda r: r.rank) for h in HORIZONS}
        for i, horizon in enumerate(HORIZONS, start=1):
            self.need(30)
            pdf.ln(2)
            pdf.start_section(f"{number}.{i} {t('horizon.' + horizon, lang)}", level=1)
            recs = groups[horizon]
            if not recs:
                self.para(t("pdf.horizon_empty", lang), size=9, colour=MUTED)
            for rec in recs:
                self.need(26)
                self.para(f"{rec.rank}. {rec.action.get(lang)}", size=9.4, style="B", h=4.8)
                indent = MARGIN_X + 5
                w = pdf.epw - 5
                meta = " · ".join(
                    (self.pillar_name(rec.pillar_id), t("pdf.serves", lang, clause=self.clause(rec.clause)),
                     f"+{self.num(rec.expected_gain)} {t('cli.points', lang)}")
                )
                self.para(meta, size=8.2, colour=BLUE, h=4.2, x=indent, w=w)
                for folded in rec.includes:
                    self.para(t("pdf.programme", lang, action=folded.text(lang)), size=8.2, h=4.2, x=indent, w=w)
                clause = self.q.clause_map.get(rec.clause)
                if clause is not None:
                    self.para(f"« {truncate(clause.text(lang), 260)} »" if lang == "fr"
                              else f"“{truncate(clause.text(lang), 260)}”",
                              size=8, style="I", colour=MUTED, h=4, x=indent, w=w)
                materials = materials_text(self.q, rec.materials, lang)
                self.para(t("pdf.materials", lang, materials=materials), size=8.2, h=4.2, x=indent, w=w)
                self.para(self.trigger_text(rec), size=8, colour=MUTED, h=4, x=indent, w=w, after=2)

    def annex_methodology(self) -> None:
        lang = self.lang
        self.section(t("pdf.annex_method", lang))
        self.para(t("pdf.method_scores", lang), size=9.3, h=4.8, after=1)
        self.heading(t("pdf.method_tiers", lang), size=10.5)
        self.para(t("pdf.method_tiers_help", lang), size=9, h=4.6, after=1)
        with self.table((22, 12, 66), align=("LEFT", "RIGHT", "LEFT")) as tbl:
            row = tbl.row()
            for h in (t("tier", lang), t("pdf.tier_from", lang), t("pdf.description", lang)):
                row.cell(h)
            for tier in self.q.tiers:
                row = tbl.row()
                row.cell(tier.name.get(lang), style=self.tier_style(tier.id))
                row.cell(fmt_number(tier.min_score, lang))
                row.cell(tier.description.get(lang))
        self.heading(t("pdf.method_missing", lang), size=10.5)
        zero, lowers = t("pdf.missing_zero", lang), t("pdf.missing_lowers", lang)
        missing = [
            (t("status.answered", lang), t("pdf.missing_answered", lang), t("pdf.missing_counts", lang)),
            (t("status.not_applicable", lang), t("pdf.missing_na", lang), t("pdf.missing_counts", lang)),
            (t("status.dont_know", lang), zero, lowers),
            (t("status.unanswered", lang), zero, lowers),
            (t("status.hidden", lang), t("pdf.missing_hidden", lang), t("pdf.missing_not_counted", lang)),
        ]
        with self.table((30, 40, 30)) as tbl:
            row = tbl.row()
            for h in (t("pdf.missing_col_answer", lang), t("pdf.missing_col_pillar", lang),
                      t("pdf.missing_col_complete", lang)):
                row.cell(h)
            for cells in missing:
                row = tbl.row()
                for c in cells:
                    row.cell(c)
        self.para(t("pdf.method_coverage", lang), size=9, h=4.6, after=1)
        self.heading(t("pdf.method_weights", lang), size=10.5)
        total = sum(p.weight for p in self.q.pillars)
        with self.table((60, 12, 16, 12), align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as tbl:
            row = tbl.row()
            for h in (t("pillar", lang), t("pdf.weight", lang), t("pdf.share", lang), t("pdf.n_questions", lang)):
                row.cell(h)
            for p in self.q.pillars:
                row = tbl.row()
                row.cell(p.name.get(lang))
                row.cell(fmt_number(p.weight, lang))
                row.cell(fmt_percent(100 * p.weight / total, lang, ".1f"))
                row.cell(str(len(self.q.questions_in(p.id))))
        self.para(t("pdf.method_recs", lang), size=9, h=4.6)

    def annex_traceability(self) -> None:
        lang = self.lang
        self.section(t("pdf.annex_trace", lang))
        self.para(t("pdf.trace_intro", lang), size=9.3, h=4.8, after=1)
        if lang == "en":  # the French profile shows the French text, the only one there is
            self.para(t("unofficial_translation", lang), size=8.5, style="I", colour=MUTED, h=4.4, after=2)
        matrix = self.q.traceability()
        with self.table((21, 50, 29), size=7.4) as tbl:
            row = tbl.row()
            for h in (t("cli.clause", lang), t("cli.text", lang), t("cli.questions", lang)):
                row.cell(h)
            for clause in self.q.clauses:
                row = tbl.row()
                row.cell(self.clause(clause.id))
                row.cell(truncate(clause.text(lang), 160))
                row.cell(", ".join(question_number(self.q, qid) + practice_mark(self.q, qid)
                                   for qid in matrix.get(clause.id, [])) or "–")
        self.para(t("cli.basis_intro", lang), size=8, colour=MUTED, h=4, after=1)

    # ------------------------------------------------------------------ document
    def build(self) -> bytes:
        pdf, lang = self.pdf, self.lang
        pdf.set_title(t("pdf.doc_title", lang, country=self.country, cycle=self.doc.cycle))
        pdf.set_subject(t("pdf.subject", lang))
        pdf.set_author(t("pdf.author", lang))
        pdf.set_creator(t("pdf.author", lang))
        pdf.set_keywords(f"IoT, smart sustainable cities, ITU, Resolution 197, {self.doc.country}, {self.doc.cycle}")
        pdf.set_lang(lang)
        pdf.set_creation_date(datetime.combine(self.generated_on, time(0, 0), tzinfo=UTC))
        pdf.page_mode = "USE_OUTLINES"
        pdf.set_section_title_styles(
            TextStyle(font_family=FONT_FAMILY, font_style="B", font_size_pt=17, color=BLUE, t_margin=2,
                      l_margin=0, b_margin=4),
            TextStyle(font_family=FONT_FAMILY, font_style="B", font_size_pt=13, color=BLUE, t_margin=1,
                      l_margin=0, b_margin=2.5),
        )
        self.cover()
        self.toc()
        self.summary()
        self.charts()
        self.pillars()
        self.roadmap()
        self.annex_methodology()
        self.annex_traceability()
        if self.queries:
            self.annex_queries()
        return bytes(pdf.output())

    def annex_queries(self) -> None:
        """The adviser's open queries on a returned assessment, question by question (user text as typed)."""
        lang = self.lang
        self.section(t("pdf.annex_queries", lang))
        self.para(t("pdf.queries_help", lang), size=9.3, h=4.8, after=1)
        for question, comments in self.queries:
            self.need(20)
            self.pdf.ln(2)
            self.para(question, size=10.5, style="B", colour=BLUE, h=5.2, user=True, after=1)
            for comment in comments:
                self.para(comment, size=9, h=4.6, user=True, after=0.8)


def render_profile(
    questionnaire: Questionnaire,
    doc: AnswersDocument,
    *,
    lang: str = "en",
    result: ScoreResult | None = None,
    peer_medians: dict[str, float] | None = None,
    peer_label: str | None = None,
    generated_on: date | None = None,
    queries: Sequence[tuple[str, Sequence[str]]] = (),
) -> bytes:
    """The readiness profile of ``doc`` as PDF bytes.

    ``queries`` (question text, its comments) are an adviser's open queries: given, the draft profile
    ends with a "queries" annex, so a returned assessment carries them on paper too.

    ``result`` defaults to ``scoring.score(questionnaire, doc)`` (which raises ``ScoringError`` for a
    document that does not fit); ``peer_medians`` maps pillar ids (and optionally "overall") to the
    peer group's median score, drawn beside the country's; ``generated_on`` defaults to today and
    fixes the printed date and the PDF creation date, so a fixed date gives identical bytes.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    if result is None:
        result = score(questionnaire, doc)
    builder = _Builder(
        questionnaire, doc, result, lang, peer_medians, peer_label, generated_on or date.today(), queries
    )
    return builder.build()


__all__ = ["LANGS", "format_date", "profile_filename", "render_profile"]
