"""The profile's two annexes (methodology, traceability to the resolution), drawn once per questionnaire and language.

They are the same in every country's profile, so a bulk run draws them once per language in a scratch
document (``record_annexes``) and every profile replays that drawing (``reports.replay``) instead of laying
out their tables again. ``annexes_for`` keeps the recordings of this process; ``reports.bulk`` makes them
before it starts its workers and hands them over.
"""

from __future__ import annotations

import threading

from formatting.numbers import fmt_number, fmt_percent
from questionnaires.basis import practice_mark
from questionnaires.loader import Questionnaire
from questionnaires.messages import t
from questionnaires.models import unofficial_clause_text
from questionnaires.references import question_number
from reports.layout import INK, MUTED, PageContext, ProfilePDF, Writer, section_title_styles
from reports.replay import NotReplayable, Recorder, Recording, replay
from reports.text import truncate

_KEPT = 8  # recordings kept per process: a few questionnaire versions in two languages


class AnnexWriter(Writer):
    """Draws the annexes into a profile, or replays their recording."""

    def settle(self) -> None:
        """The same fpdf2 state whatever the profile drew before, so the drawing that follows is the same."""
        pdf = self.pdf
        pdf.set_draw_color(0)
        pdf.set_fill_color(0)
        pdf.set_line_width(0.2)
        pdf.set_dash_pattern()
        self.font(9.5, "", INK)

    def draw(self, recording: Recording | None = None) -> None:
        """Both annexes, each from a new page: replayed from ``recording``, or laid out here without one."""
        self.settle()
        if recording is None:
            self.annexes()
        else:
            replay(self.pdf, recording)

    def annexes(self) -> None:
        self.methodology()
        self.traceability()

    def methodology(self) -> None:
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

    def traceability(self) -> None:
        lang = self.lang
        self.section(t("pdf.annex_trace", lang))
        self.para(t("pdf.trace_intro", lang), size=9.3, h=4.8, after=1)
        if unofficial_clause_text(lang):  # the French profile shows the French text, the authentic one
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


class _RecordingPDF(Recorder, ProfilePDF):
    """The scratch document: the profile's page furniture, with nothing in its header and footer."""


def record_annexes(questionnaire: Questionnaire, lang: str) -> Recording:
    """Draw both annexes once in a scratch document and return the recording every profile replays.

    Raises :class:`reports.replay.NotReplayable` if they use something that cannot be replayed.
    """
    ctx = PageContext(lang=lang, header_text="", footer_text="", draft_mark=None, illustrative_mark=None,
                      page_label=lambda n: "")
    pdf = _RecordingPDF(ctx)
    section_title_styles(pdf)
    pdf.add_page()  # like a profile's cover, the first page has no header or footer: the annexes start after it
    writer = AnnexWriter(pdf, questionnaire, lang)
    writer.settle()
    return pdf.record(writer.annexes)


_lock = threading.Lock()
_kept: dict[tuple[int, str], tuple[Questionnaire, Recording | None]] = {}


def annexes_for(questionnaire: Questionnaire, lang: str) -> Recording | None:
    """This process's recording of the annexes of ``questionnaire`` in ``lang`` (made on first use).

    ``None`` when they cannot be replayed: the profile then lays them out itself.
    """
    key = (id(questionnaire), lang)  # the questionnaire is kept with its recording, so its id is not reused
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] is questionnaire:
            return kept[1]
        try:
            recording: Recording | None = record_annexes(questionnaire, lang)
        except NotReplayable:
            recording = None
        while len(_kept) >= _KEPT:
            del _kept[next(iter(_kept))]
        _kept[key] = (questionnaire, recording)
        return recording


__all__ = ["AnnexWriter", "annexes_for", "record_annexes"]
