"""Plain-text renderings of questionnaires and results (Markdown), shared by the CLI and the docs."""

from __future__ import annotations

import re

from formatting.numbers import fmt_number, fmt_score, fmt_share
from formatting.scripts import forward
from questionnaires.basis import aim_text, practice_mark
from questionnaires.loader import Questionnaire
from questionnaires.messages import separator, t
from questionnaires.models import Question, unofficial_clause_text
from questionnaires.references import clause_reference, materials_text, question_number
from recommendations.engine import Recommendation
from refdata import country_name
from scoring.results import ScoreResult


def md_escape(text: str) -> str:
    """Keep user or content text from breaking a Markdown table."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


# What Markdown (and Streamlit's extensions: $math$, :red[colour], :material/icon:) would read as markup.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]{}<>#|~!$:&])")
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # line breaks and spaces; no-break spaces stay (French « ? »)


def fold_spaces(text: str) -> str:
    """One line: runs of spaces and line breaks become one space; no-break spaces are kept inside the text (French
    « ? »), not at its ends, where Markdown drops them anyway."""
    return _BREAKING_SPACE.sub(" ", text).strip()


def inline_escape(text: str) -> str:
    """Typed text shown inside a Markdown line as typed: no image, emphasis, heading, maths, colour, or link
    text that hides its address (a bare web address stays visible as typed; Streamlit may make it clickable)."""
    return _INLINE_MARKUP.sub(r"\\\1", fold_spaces(text))


def tier_name(questionnaire: Questionnaire, tier_id: str | None, lang: str) -> str:
    return "–" if tier_id is None else questionnaire.tier(tier_id).name.get(lang)


def answer_label(questionnaire: Questionnaire, question: Question, value: object, lang: str) -> str:
    """An answer as the reader knows it: the option's label, a number in their language, never a stored code."""
    if question.type == "scale":
        opt = questionnaire.scales[question.scale or ""].option(str(value))
        return opt.label.get(lang) if opt else str(value)
    if question.type == "numeric" and question.numeric is not None:
        try:
            figure = float(str(value).replace(",", "."))
        except ValueError:
            return f"{value} {question.numeric.unit.get(lang)}"
        return f"{fmt_number(figure, lang)} {question.numeric.unit_for(figure, lang)}"
    labels = {o.value: o.label.get(lang) for o in question.options or []}
    chosen = value if isinstance(value, list) else []
    return separator(";", lang).join(labels.get(str(v), str(v)) for v in chosen) or "–"


def answer_options(questionnaire: Questionnaire, question: Question, lang: str, *, codes: bool = True) -> list[str]:
    """Human description of the allowed answers, for the Markdown questionnaire.

    ``codes`` shows each option's stored value, which an answers document needs; the app leaves it out.
    """
    if question.type == "scale":
        out = []
        for o in questionnaire.scales[question.scale or ""].options:
            desc = questionnaire.descriptor(question, o.value, lang)
            code = f"`{o.value}` – " if codes else ""
            out.append(f"{code}{o.label.get(lang)}" + (f"{separator(':', lang)}{desc}" if desc else ""))
        return out
    if question.type == "numeric":
        spec = question.numeric
        assert spec is not None
        steps = ", ".join(f"≥ {fmt_number(th.at, lang)} {forward(lang)} {fmt_number(th.score, lang)}"
                          for th in spec.thresholds)
        low, high = fmt_number(spec.min, lang), fmt_number(spec.max, lang)
        scoring = f" ({steps})" if steps else ""  # a context indicator has no thresholds: it is never scored
        return [f"{t('cli.number', lang)} {low}–{high} {spec.unit_for(spec.max, lang)}{scoring}"]
    return [(f"`{o.value}` – " if codes else "") + o.label.get(lang) for o in question.options or []] + [
        t("cli.multi_full", lang, n=question.full_at)
    ]


def questionnaire_markdown(questionnaire: Questionnaire, lang: str = "en") -> str:
    lines = [
        f"# {questionnaire.meta.title.get(lang)}",
        "",
        f"{t('cli.questionnaire_id', lang)}{separator(':', lang)}`{questionnaire.id}` · {t('cli.version', lang)} "
        f"{questionnaire.version} · {t('cli.content_hash', lang)} `{questionnaire.content_hash[:12]}`",
        "",
    ]
    for p in questionnaire.pillars:
        lines += [
            f"## {p.name.get(lang)} ({t('cli.weight', lang)} {fmt_number(p.weight, lang)})", "",
            p.description.get(lang), "",
        ]
        for q in questionnaire.form_questions_in(p.id):
            # The id stays beside the number: it is the key an answers document uses for this question.
            lines.append(f"### {question_number(questionnaire, q.id)} `{q.id}` – {q.text.get(lang)}")
            lines.append("")
            lines.append(f"*{q.help.get(lang)}*")
            lines.append("")
            clauses = separator(";", lang).join(clause_reference(questionnaire, c, lang) for c in q.clauses)
            weighs = f"{t('cli.weight', lang)} {fmt_number(q.weight, lang)}"
            meta = [
                weighs if q.scored else f"**{t('context.label', lang)}**",
                f"{t('cli.clauses', lang)}{separator(':', lang)}{clauses}",
            ]
            if q.allow_na:
                meta.append(t("status.not_applicable", lang))
            if q.allow_dont_know:
                meta.append(t("status.dont_know", lang))
            if q.depends_on:  # in words: the XLSForm expression (``relevant``) is for form tools, not readers
                parent = questionnaire.question(q.depends_on.question)
                options = questionnaire.scales[parent.scale].options if parent.scale else parent.options or []
                labels = [o.label.get(lang) for o in options if o.value in q.depends_on.in_]
                meta.append(t("cli.shown_if", lang, number=question_number(questionnaire, parent.id),
                              values=separator(";", lang).join(labels)))
            lines.append(" · ".join(meta))
            lines.append("")
            lines += [f"- {o}" for o in answer_options(questionnaire, q, lang)]
            lines += ["", f"{t('cli.evidence', lang)}{separator(':', lang)}{q.evidence_prompt.get(lang)}", ""]
    return "\n".join(lines)


def traceability_markdown(questionnaire: Questionnaire, lang: str = "en") -> str:
    """The clause -> questions matrix, generated from the data (docs/traceability.md is this output)."""
    matrix = questionnaire.traceability()
    required = set(questionnaire.required_clause_ids())
    lines = [
        f"# {t('cli.traceability_title', lang)}",
        "",
        f"<!-- generated by `iotready questionnaire matrix --lang {lang}`: do not edit by hand -->",
        "",
        f"{questionnaire.meta.title.get(lang)}, {t('cli.version', lang)} {questionnaire.version}. "
        + t("cli.traceability_intro", lang),
        "",
        # Every language but French quotes the resolution in an unofficial translation.
        *([f"> {t('unofficial_translation', lang)}", ""] if unofficial_clause_text(lang) else []),
        f"| {t('cli.clause', lang)} | {t('cli.required', lang)} | {t('cli.text', lang)} | {t('cli.questions', lang)} |",
        "|---|---|---|---|",
    ]
    for clause in questionnaire.clauses:
        qids = matrix.get(clause.id, [])
        text = clause.text(lang)
        short = text if len(text) <= 140 else text[:137] + "…"
        cited = md_escape(clause_reference(questionnaire, clause.id, lang))
        numbers = ", ".join(question_number(questionnaire, x) + practice_mark(questionnaire, x) for x in qids) or "–"
        lines.append(f"| {cited} | {'✔' if clause.id in required else ''} | {md_escape(short)} | {numbers} |")
    return "\n".join([*lines, *basis_markdown(questionnaire, lang)]) + "\n"


def basis_markdown(questionnaire: Questionnaire, lang: str = "en") -> list[str]:
    """The basis of every question: what a cited clause says (clause) or the aim a practice serves (†)."""
    lines = ["", f"## {t('cli.basis_title', lang)}", "", t("cli.basis_intro", lang), "",
             f"| {t('cli.question', lang)} | {t('cli.basis', lang)} | {t('cli.clause', lang)} | {t('cli.aim', lang)} |",
             "|---|---|---|---|"]
    for q in questionnaire.all_questions:  # a context indicator too: it cites clauses, so it says why
        aim = md_escape(aim_text(questionnaire, q, lang) or "–")
        clauses = "; ".join(md_escape(clause_reference(questionnaire, c, lang)) for c in q.clauses)
        number = question_number(questionnaire, q.id) + ("" if q.scored else f" ({t('context.label', lang)})")
        lines.append(f"| {number} | {t('basis.' + q.basis, lang)} | {clauses} | {aim} |")
    return lines


def result_markdown(
    questionnaire: Questionnaire, result: ScoreResult, recs: list[Recommendation] | None, lang: str = "en"
) -> str:
    name = country_name(result.country, lang)
    lines = [f"# {name} – {result.cycle}", ""]
    if result.illustrative:
        lines += [f"> **{t('illustrative', lang)}**", ""]
    if result.status != "submitted":
        lines += [f"> **{t('draft', lang)}**", ""]
    lines += [
        f"- {t('overall', lang)}{separator(':', lang)}**{fmt_score(result.overall, lang)}** "
        f"({tier_name(questionnaire, result.overall_tier, lang)})",
        f"- {t('completeness', lang)}{separator(':', lang)}{fmt_share(result.completeness, lang)}",
        f"- {t('evidence_coverage', lang)}{separator(':', lang)}{fmt_share(result.evidence_coverage, lang)}",
        "",
        f"| {t('pillar', lang)} | {t('score', lang)} | {t('tier', lang)} | {t('completeness', lang)} | "
        f"{t('target', lang)} | {t('gap', lang)} |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for pr in result.pillars:
        p = questionnaire.pillar(pr.pillar_id)
        lines.append(
            f"| {p.name.get(lang)} | {fmt_score(pr.score, lang)} | {tier_name(questionnaire, pr.tier, lang)} | "
            f"{fmt_share(pr.completeness, lang)} | {fmt_score(pr.target, lang)} | {fmt_score(pr.gap, lang)} |"
        )
    if recs is not None:
        lines += ["", f"## {t('cli.recommendations', lang)}", ""]
        if not recs:
            lines.append(t("cli.no_recommendations", lang))
        for r in recs:
            if r.trigger.question_id:
                status = r.trigger.status or "unanswered"
                question = questionnaire.question(r.trigger.question_id)
                shown = (answer_label(questionnaire, question, r.trigger.value, lang) if status == "answered"
                         else t("status." + status, lang))
                why = f"{t('ui.col.question', lang)} {question_number(questionnaire, question.id)} = {md_escape(shown)}"
            else:
                why = (f"{t('pillar', lang)} {fmt_score(r.trigger.score, lang)} < "
                       f"{fmt_number(r.trigger.threshold, lang)}")
            semi, colon = separator(";", lang), separator(":", lang)  # "; " / "\u202f; " in French, "；" in Chinese
            lines.append(
                f"{r.rank}. **{md_escape(r.action.get(lang))}** ({t('horizon.' + r.horizon, lang)}{semi}"
                f"{md_escape(clause_reference(questionnaire, r.clause, lang))}{semi}"
                f"+{fmt_score(r.expected_gain, lang)} {t('cli.points', lang)}{semi}{why}). "
                f"{t('cli.materials', lang)}{colon}{md_escape(materials_text(questionnaire, r.materials, lang))}"
            )
    return "\n".join(lines) + "\n"
