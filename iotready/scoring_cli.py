"""``iotready score`` and ``iotready recommend``: an answers document's scores, tiers and completeness, and
the ranked recommendations (or the plan to reach a tier in one pillar).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from answers.document import (
    AnswersDocument,
)
from formatting.markdown import result_markdown, tier_name
from formatting.numbers import fmt_score, fmt_share
from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _load,
    _read_answers,
    out,
)
from iotready.lang import LangOpt, reader_lang, use_lang
from questionnaires.loader import (
    Questionnaire,
)
from questionnaires.messages import t
from questionnaires.references import clause_reference
from recommendations.engine import plan_for_target, recommend
from refdata import country_name
from scoring.engine import ScoringError, score
from scoring.results import ScoreResult


class ScoreFormat(StrEnum):
    json = "json"
    md = "md"
    table = "table"


def _score_doc(q: Questionnaire, doc: AnswersDocument) -> ScoreResult:
    try:
        return score(q, doc)
    except ScoringError as exc:
        ln = reader_lang()
        raise UsageProblem(t("cli.cannot_score", ln), exc.lines(q, ln)) from None


def score_cmd(
    file: Annotated[Path | None, typer.Argument(help="Answers document (JSON).")] = None,
    assessment: Annotated[str | None, typer.Option(
        "--assessment", help="Id of a stored assessment instead (its evidence documents count as evidence).")]
    = None,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.table,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Score an answers document, or a stored assessment: overall and pillar scores, tiers, completeness,
    evidence coverage (a file's answers count a reference as evidence; a stored one's also count documents)."""
    ln = use_lang(lang)
    q = _load(questionnaire)
    if (file is None) == (assessment is None):
        raise UsageProblem(t("cli.bad_options", ln), [t("cli.score_one_source", ln)])
    doc = _read_answers(file, q) if file is not None else _stored(assessment or "", ln)
    result = _score_doc(q, doc)
    if format is ScoreFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, None, ln))
    else:  # every header and number in the reader's language (issue 11.5)
        table = Table(title=f"{country_name(doc.country, ln)} {doc.cycle} – {t('cli.version', ln)} {q.version}")
        for key in ("pillar", "score", "tier", "completeness", "evidence_coverage"):
            table.add_column(t(key, ln), justify="left" if key in ("pillar", "tier") else "right")
        for pr in result.pillars:
            table.add_row(
                q.pillar(pr.pillar_id).name.get(ln),
                fmt_score(pr.score, ln),
                tier_name(q, pr.tier, ln),
                fmt_share(pr.completeness, ln),
                fmt_share(pr.evidence_coverage, ln),
            )
        table.add_row(
            f"[bold]{t('overall', ln)}[/bold]",
            f"[bold]{fmt_score(result.overall, ln)}[/bold]",
            tier_name(q, result.overall_tier, ln),
            fmt_share(result.completeness, ln),
            fmt_share(result.evidence_coverage, ln),
        )
        out.print(table)
        if doc.illustrative:
            out.print(f"[yellow]{t('illustrative', ln)}[/yellow]")


def _stored(assessment_id: str, ln: str) -> AnswersDocument:
    """A stored assessment as the acting user may read it, its attached documents counted (as the app does)."""
    from sqlmodel import Session

    from assessment.documents import with_documents
    from assessment.service import Forbidden, NotFound, get_document
    from iotready.common import _engine
    from iotready.users_cli import acting_user

    with Session(_engine()) as session:
        try:
            doc = get_document(session, assessment_id, actor=acting_user(session))
        except (NotFound, Forbidden):  # another country's id is no assessment to this user
            raise UsageProblem(t("cli.unknown_assessment_title", ln),
                               [t("cli.unknown_assessment", ln, id=assessment_id)]) from None
        return with_documents(session, assessment_id, doc)


def recommend_cmd(
    file: Annotated[Path, typer.Argument(help="Answers document (JSON).")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.md,
    lang: LangOpt = None,
    pillar: Annotated[str | None, typer.Option(help="With --tier: the plan to reach that tier in this pillar.")] = None,
    tier: Annotated[str | None, typer.Option(help="Target tier id, e.g. advancing.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many recommendations.")] = 50,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Ranked recommendations (weakest pillars first, gains re-scored), or the plan to reach a tier in one pillar."""
    ln = use_lang(lang)
    q = _load(questionnaire)
    doc = _read_answers(file, q)
    result = _score_doc(q, doc)
    if (pillar is None) != (tier is None):
        raise UsageProblem(t("cli.bad_options", ln), [t("cli.pillar_tier_together", ln)])
    if pillar is not None and tier is not None:
        problems = []
        if pillar not in {p.id for p in q.pillars}:  # the ids are what the option takes
            problems.append(t("cli.unknown_pillar", ln, pillar=pillar, known=", ".join(p.id for p in q.pillars)))
        if tier not in {x.id for x in q.tiers}:
            problems.append(t("cli.unknown_tier", ln, tier=tier, known=", ".join(x.id for x in q.tiers)))
        if problems:
            raise UsageProblem(t("cli.bad_options", ln), problems)
        plan = plan_for_target(q, result, pillar, tier, doc)
        if format is ScoreFormat.json:
            sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
            return
        recs = plan.steps
        out.print(t(
            "cli.plan_line", ln, pillar=q.pillar(pillar).name.get(ln),
            current=fmt_score(plan.current_score, ln), projected=fmt_score(plan.projected_score, ln),
            target=fmt_score(plan.target_score, ln),
            outcome=t("cli.plan_reachable" if plan.reachable else "cli.plan_unreachable", ln),
        ))
    else:
        recs = recommend(q, result, doc)[:limit]
    if format is ScoreFormat.json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in recs], ensure_ascii=False, indent=2) + "\n")
    elif format is ScoreFormat.md:
        sys.stdout.write(result_markdown(q, result, recs, ln))
    else:
        table = Table(title=t("cli.recommendations", ln))
        for col in ("#", t("pdf.gain", ln), t("cli.horizon", ln), t("cli.clause", ln), t("pdf.action", ln)):
            table.add_column(col)
        for r in recs:
            table.add_row(str(r.rank), f"+{fmt_score(r.expected_gain, ln)}", t(f"horizon.{r.horizon}", ln),
                          clause_reference(q, r.clause, ln), r.action.get(ln))
        out.print(table)
