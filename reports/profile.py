"""The country readiness profile as a PDF: cover, summary, charts, pillars, roadmap, annexes.

Pure: the same questionnaire, answers, options and ``generated_on`` always give the same bytes
(the creation date is derived from ``generated_on``; charts are salted SVG). Every piece of user text
goes through :mod:`reports.text` and is drawn with ``multi_cell`` as plain text, so nothing a user
types can be read as markup or break the layout around it.

One module of about 600 lines on purpose: it is the profile's page order, read top to bottom as the reader
turns the pages; the drawing primitives are in :mod:`reports.layout`, the long annexes in :mod:`reports.annexes`,
and what is left here is one short method per section of the one builder that holds the page state.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, cast

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from answers.consistency import inconsistencies
from answers.document import Answer, AnswersDocument
from formatting.context import context_name, context_value
from formatting.numbers import fmt_number
from formatting.scripts import script_of
from questionnaires.basis import aim_text
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import HORIZONS, Question, unofficial_clause_text
from questionnaires.references import materials_text, question_number
from recommendations.engine import Recommendation, recommend, to_answer
from refdata import country_name
from reports import charts
from reports.annexes import AnnexWriter, annexes_for
from reports.layout import (
    BLUE,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
    TINT,
    PageContext,
    ProfilePDF,
    Writer,
    rgb,
    section_title_styles,
)
from reports.naming import profile_filename
from reports.replay import Recording, prepick
from reports.status import format_date, workflow_text
from reports.text import clause_quote, one_line
from scoring.engine import score
from scoring.results import PillarResult, QuestionResult, ScoreResult

if TYPE_CHECKING:  # the services (SQL, pandas) are not imported to draw a profile
    from assessment.service import WorkflowStamp

LANGS = ("ar", "en", "es", "fr", "ru", "zh")  # the offered languages (messages.languages(); a test holds them equal)
RADAR_RATIO = charts.RADAR_SIZE[1] / charts.RADAR_SIZE[0]


class _Builder(Writer):
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
        annexes: Recording | None = None,
        replay_annexes: bool = True,
        workflow: WorkflowStamp | None = None,
        documents: Sequence[tuple[str, Sequence[EvidenceLine]]] = (),
    ) -> None:
        self.queries = list(queries)
        self.documents = list(documents)
        self.workflow = workflow
        self.doc = doc
        self.result = result
        # Medians of an empty group arrive as NaN (pandas): they are left out, not printed as "nan".
        self.peers = {k: float(v) for k, v in (peer_medians or {}).items() if v is not None and math.isfinite(v)}
        self.peer_label = one_line(peer_label, script=script_of(lang).code) if peer_label else t("pdf.peer_default",
                                                                                                     lang)
        self.generated_on = generated_on
        self.recs = recommend(questionnaire, result, doc)
        try:
            self.country = country_name(doc.country, lang)
        except KeyError:
            self.country = doc.country
        self.draft = doc.status != "submitted"
        ctx = PageContext(
            lang=lang,
            header_text=t("pdf.header", lang, country=self.country, cycle=doc.cycle),
            footer_text=t("pdf.questionnaire", lang, version=questionnaire.version),
            draft_mark=t("pdf.draft_mark", lang) if self.draft else None,
            illustrative_mark=t("pdf.illustrative", lang) if doc.illustrative else None,
            page_label=lambda n: t("pdf.page", lang, n=n, total="{nb}"),
        )
        super().__init__(ProfilePDF(ctx), questionnaire, lang)
        self._section_no = 0
        # The annexes' glyphs are numbered first, as in the recording, whether they are then replayed or
        # drawn (``replay_annexes=False`` is how tests prove the two give the same bytes).
        self.annexes = annexes
        self.replay_annexes = replay_annexes
        if annexes is not None:
            prepick(self.pdf, annexes)

    def numbered(self, title: str) -> str:
        self._section_no += 1
        return f"{self._section_no}. {title}"

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
                figure = float(str(value).replace(",", "."))
            except ValueError:
                return f"{one_line(str(value))} {question.numeric.unit.get(self.lang)}"
            return f"{fmt_number(figure, self.lang)} {question.numeric.unit_for(figure, self.lang)}"
        selected = value if isinstance(value, list) else []
        labels = {o.value: o.label.get(self.lang) for o in question.options or []}
        return "; ".join(labels.get(v, one_line(v)) for v in selected) or t("pdf.none_selected", self.lang)

    def trigger_text(self, rec: Recommendation) -> str:
        trig = rec.trigger
        if trig.question_id:
            # The answer as the reader gave it: "scores 0,00 (below 0,75)" told a minister nothing.
            answer = self.answer_text(self.q.question(trig.question_id), self.result.question(trig.question_id))
            return t("pdf.trigger_question", self.lang, question=question_number(self.q, trig.question_id),
                     answer=answer)
        return t("pdf.trigger_pillar", self.lang, score=self.num(trig.score),
                 threshold=fmt_number(trig.threshold, self.lang))

    def status_text(self) -> str:
        """The workflow state in words (:func:`reports.status.workflow_text`)."""
        return workflow_text(self.workflow, self.lang, draft=self.draft)

    # ------------------------------------------------------------------ parts
    def cover(self) -> None:
        pdf, lang, doc = self.pdf, self.lang, self.doc
        pdf.add_page()
        with pdf.local_context(fill_color=BLUE):
            pdf.rect(0, 0, pdf.w, 74, style="F")
        self.font(9, "B", (255, 255, 255))
        pdf.set_xy(MARGIN_X, 20)
        pdf.cell(0, 5, t("pdf.series", lang).upper(), align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(32)
        self.para(t("pdf.title", lang), size=21, style="B", colour=(255, 255, 255), h=9.5, w=pdf.epw - 10)
        pdf.set_y(92)
        self.para(self.country, size=30, style="B", colour=BLUE, h=13, after=2)
        self.para(t("pdf.cycle", lang, cycle=doc.cycle), size=14, colour=INK, h=7, after=10)
        with pdf.local_context(draw_color=BLUE, line_width=0.6):
            pdf.mline(MARGIN_X, pdf.get_y(), MARGIN_X + 30, pdf.get_y())
        pdf.ln(6)
        for line in (
            t("pdf.generated_on", lang, date=format_date(self.generated_on, lang)),
            t("pdf.questionnaire", lang, version=self.q.version),
            t("pdf.status", lang, status=self.status_text()),
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
        if unofficial_clause_text(lang):  # every profile but the French quotes the resolution in a translation
            self.para(t("unofficial_translation", lang), size=7.5, colour=MUTED, h=3.8)
        pdf.set_auto_page_break(True, MARGIN_BOTTOM)

    def toc(self) -> None:
        entries = 5 + len(self.q.pillars) + len(HORIZONS) + 2
        self.pdf.add_page()  # the placeholder starts on the current page
        self.pdf.insert_toc_placeholder(self._render_toc, pages=1 + (entries - 1) // 30)

    def _render_toc(self, pdf: FPDF, outline: list[OutlineSection]) -> None:
        assert isinstance(pdf, ProfilePDF)  # fpdf2 passes the document back: this profile's own
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
            # A long pillar name wraps (cut with "…" it read "communautés intelli…"); leaders and page number
            # follow its last line.
            lines = cast(list[str], pdf.multi_cell(avail - 4, 6.2, section.name, dry_run=True,
                                                   output=MethodReturnValue.LINES))  # LINES: one string per line
            for line in lines[:-1]:
                pdf.set_x(pdf.mx(MARGIN_X + indent, avail))
                pdf.cell(avail, 5.2, line, link=link, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            name = lines[-1] if lines else ""
            y = pdf.get_y()
            pdf.set_x(pdf.mx(MARGIN_X + indent, avail))
            pdf.cell(avail, 6.2, name, link=link, align=pdf.start)
            name_w = min(pdf.get_string_width(name), avail)
            with pdf.local_context(draw_color=(170, 170, 170), line_width=0.25):
                pdf.set_dash_pattern(dash=0.4, gap=1.2)
                pdf.mline(MARGIN_X + indent + name_w + 2, y + 4.6, pdf.w - MARGIN_X - num_w, y + 4.6)
                pdf.set_dash_pattern()
            pdf.set_xy(pdf.mx(pdf.w - MARGIN_X - num_w, num_w), y)
            pdf.cell(num_w, 6.2, str(section.page_number), align=pdf.end, link=link,
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def summary(self) -> None:
        pdf, lang, res = self.pdf, self.lang, self.result
        self.section(self.numbered(t("pdf.summary", lang)), new_page=False)  # the contents page broke already
        pdf.ln(2)
        top = pdf.get_y()
        box_w, box_h = 58.0, 46.0
        with pdf.local_context(fill_color=TINT):
            pdf.rect(pdf.mx(MARGIN_X, box_w), top, box_w, box_h, style="F")
        pdf.set_xy(MARGIN_X + 4, top + 4)
        self.para(t("pdf.overall_score", lang), size=9, style="B", colour=MUTED, h=5, x=MARGIN_X + 4, w=box_w - 8)
        pdf.set_x(pdf.mx(MARGIN_X + 4, box_w - 8))
        self.font(30, "B", BLUE)
        pdf.cell(box_w - 8, 14, self.num(res.overall), align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.para(t("pdf.out_of", lang), size=8.5, colour=MUTED, h=4.5, x=MARGIN_X + 4, w=box_w - 8)
        pdf.set_xy(pdf.mx(MARGIN_X + 4, box_w - 8), top + box_h - 13)
        fill, ink = self.tier_colours(res.overall_tier)
        self.font(10, "B", ink)
        with pdf.local_context(fill_color=fill):
            pdf.cell(box_w - 8, 8, self.tier_name(res.overall_tier), align=Align.C, fill=True)

        # Key figures beside the box.
        scored = [p for p in res.pillars if p.score is not None]
        strongest = max(scored, key=lambda p: p.score or 0.0) if scored else None
        weakest = min(scored, key=lambda p: p.score or 0.0) if scored else None

        def pillar_line(p: PillarResult | None) -> str:
            if p is None:
                return "–"
            comma = separator(",", lang)
            return f"{self.pillar_name(p.pillar_id)} ({self.num(p.score)}{comma}{self.tier_name(p.tier)})"

        target = t("pdf.no_target", lang)
        if res.target is not None:
            target = f"{self.num(res.target)} ({t('gap', lang).lower()} {self.num(res.gap)})"
        rows = [
            (t("pdf.status_label", lang), self.status_text()),
            (t("completeness", lang), self.share(res.completeness)),
            (t("evidence_coverage", lang), self.share(res.evidence_coverage)),
            (t("target", lang), target),
            (t("pdf.strongest", lang), pillar_line(strongest)),
            (t("pdf.weakest", lang), pillar_line(weakest)),
        ]
        if "overall" in self.peers:
            rows.append((self.peer_label, self.num(self.peers["overall"])))
        for q in self.q.context:  # a figure read beside the scores, said to be in none of them
            value = context_value(q, self.doc.answers.get(q.id), lang)
            rows.append((context_name(q, lang), f"{value} ({t('context.label', lang).lower()})"))
        x0 = MARGIN_X + box_w + 6
        pdf.set_xy(x0, top)
        self.para(t("pdf.key_figures", lang), size=10, style="B", colour=BLUE, h=5.5, x=x0, w=pdf.epw - box_w - 6)
        for label, value in rows:
            y = pdf.get_y()
            self.font(8.5, "B", MUTED)
            pdf.set_xy(pdf.mx(x0, 38), y + 0.6)
            pdf.multi_cell(38, 4.3, label, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                           wrapmode=self.wrapmode(label))
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
            self.para(f"⚠ {rule.message.get(lang)}", size=9, colour=rgb("#D55E00"), h=4.6, after=1)
        with self.table(widths, align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT")) as tbl:
            for cells in actions:
                row = tbl.row()
                for text in cells:
                    row.cell(text)
        self.para(t("pdf.gain_help", lang), size=7.8, colour=MUTED, h=4)

    def _points(self) -> list[charts.PillarPoint]:
        return [
            charts.PillarPoint(
                # Short names: the full ones took three or four lines and ran into each other on the bar chart and
                # over the radar's ring; they are in the table of the executive summary and each pillar's section.
                label=self.q.pillar(p.pillar_id).short_name(self.lang),
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
        radar = charts.radar_svg(points, **labels, lang=lang)  # type: ignore[arg-type]
        # Start on the page the summary left, when the radar fits there at no less than 80 % of its width:
        # a forced page break left half of the five-actions page empty.
        width = pdf.epw - 12
        room = pdf.page_break_trigger - pdf.get_y() - 30  # the section heading and the caption
        same_page = room >= 0.8 * width * RADAR_RATIO
        self.section(self.numbered(t("pdf.charts", lang)), new_page=not same_page)
        if same_page:
            width = min(width, (pdf.page_break_trigger - pdf.get_y() - 12) / RADAR_RATIO)
        pdf.image(io.BytesIO(radar), x=MARGIN_X + (pdf.epw - width) / 2, w=width)
        against = any(p.target is not None for p in points)  # no "against the target" when none is set
        self.para(t("pdf.radar_caption" if against else "pdf.radar_caption_plain", lang), size=8, style="I",
                  colour=MUTED, h=4, after=3)
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
            self.para(f"{t('basis.practice', lang)}{separator(':', lang)}{aim}", size=7.6, style="I", colour=MUTED,
                      h=3.8, after=0.8)
        y = pdf.get_y()
        points = ""
        if qr.score is not None:
            points = t("pdf.points", lang, points=self.num(qr.points), max=self.num(qr.max_points))
        self.font(8.5, "B", MUTED)
        pdf.set_xy(pdf.mx(MARGIN_X + 6, 34), y)
        pdf.cell(34, 4.6, t("pdf.answer", lang), align=pdf.start)
        if points:
            self.font(8, "", MUTED)
            pdf.set_xy(pdf.mx(pdf.w - MARGIN_X - 48, 48), y)
            pdf.cell(48, 4.6, points, align=pdf.end)
        self.font(9, "", INK)
        answer_w = pdf.epw - 40 - 48
        pdf.set_xy(pdf.mx(MARGIN_X + 40, answer_w), y)
        text = self.answer_text(question, qr)
        pdf.multi_cell(answer_w, 4.6, text, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                       wrapmode=self.wrapmode(text))
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
            self.para(f"⚑ {t('pdf.for_review', lang)}", size=8, style="B", colour=rgb("#D55E00"), h=4,
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
                    self.para(clause_quote(clause.text(lang), lang, 260),
                              size=8, style="I", colour=MUTED, h=4, x=indent, w=w)
                materials = materials_text(self.q, rec.materials, lang)
                self.para(t("pdf.materials", lang, materials=materials), size=8.2, h=4.2, x=indent, w=w)
                self.para(self.trigger_text(rec), size=8, colour=MUTED, h=4, x=indent, w=w, after=2)

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
        section_title_styles(pdf)
        self.cover()
        self.toc()
        self.summary()
        self.charts()
        self.pillars()
        self.roadmap()
        AnnexWriter(pdf, self.q, lang).draw(self.annexes if self.replay_annexes else None)
        if self.queries:
            self.annex_queries()
        if self.documents:
            self.annex_documents()
        return bytes(pdf.output())

    def annex_documents(self) -> None:
        """The evidence documents attached to each answer (issue 25): title, reference, SHA-256 prefix, date.

        The hash prefix lets a reader holding a copy check it is the very file the answer rests on.
        """
        lang = self.lang
        self.section(t("pdf.annex_documents", lang))
        self.para(t("pdf.documents_help", lang), size=9.3, h=4.8, after=1)
        for question, lines in self.documents:
            self.need(16)
            self.pdf.ln(2)
            self.para(question, size=10.5, style="B", colour=BLUE, h=5.2, user=True, after=1)
            for line in lines:
                ref = t("pdf.document_reference", lang, reference=line.reference) if line.reference else ""
                self.para(t("pdf.document_line", lang, title=line.title, reference=ref, sha=line.sha256[:12],
                            date=format_date(line.added, lang)), size=9, h=4.6, user=True, after=0.8)

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
    annexes: Recording | None = None,
    workflow: WorkflowStamp | None = None,
    documents: Sequence[tuple[str, Sequence[EvidenceLine]]] = (),
) -> bytes:
    """The readiness profile of ``doc`` as PDF bytes.

    ``documents`` (question text, its evidence documents) gives the profile an annex listing each
    answer's documents: title, page or article reference, SHA-256 prefix and the date it was attached.

    ``queries`` (question text, its comments) are an adviser's open queries: given, the draft profile
    ends with a "queries" annex, so a returned assessment carries them on paper too.

    ``result`` defaults to ``scoring.score(questionnaire, doc)`` (which raises ``ScoringError`` for a
    document that does not fit); ``peer_medians`` maps pillar ids (and optionally "overall") to the
    peer group's median score, drawn beside the country's; ``generated_on`` defaults to today and
    fixes the printed date and the PDF creation date, so a fixed date gives identical bytes.

    ``annexes`` is the methodology and traceability annexes drawn once for this questionnaire and
    language (``reports.annexes.annexes_for``); by default the one this process keeps is used, or made.

    ``workflow`` (``assessment.service.workflow_stamp``) is where the assessment stands in the validation
    workflow: given, the cover and the summary print the state, who validated it and when, and the
    publication date; without it only "draft" or "submitted" can be told from the document.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    if result is None:
        result = score(questionnaire, doc)
    if annexes is None:
        annexes = annexes_for(questionnaire, lang)
    builder = _Builder(
        questionnaire, doc, result, lang, peer_medians, peer_label, generated_on or date.today(), queries, annexes,
        workflow=workflow, documents=documents,
    )
    return builder.build()


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence document as the profile's annex lists it."""

    title: str
    reference: str | None
    sha256: str
    added: date


__all__ = ["LANGS", "EvidenceLine", "format_date", "profile_filename", "render_profile"]
