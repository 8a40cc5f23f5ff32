"""``iotready weights``: the expert panel's weights workbook (``template``), and the median of the experts'
workbooks into a new questionnaire version (``combine``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iotready.common import (
    QuestionnaireOpt,
    UsageProblem,
    _count,
    _load,
    os_reason,
    out,
)
from iotready.echo import shown
from iotready.lang import LangOpt, use_lang
from questionnaires.loader import (
    QuestionnaireError,
)
from questionnaires.messages import t

weights_app = typer.Typer(help="Weights from an expert panel (median of the experts' workbooks).", no_args_is_help=True)


@weights_app.command("template")
def weights_template(
    output: Annotated[Path, typer.Option("--output", "-o", help="The weights workbook to write (CSV).")],
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the weights workbook an expert fills (one row per pillar and question, current weight given)."""
    from questionnaires.panel import write_template

    ln = use_lang(lang)
    q = _load(questionnaire)
    write_template(q, output, ln)
    out.print(shown(t("cli.weights_template_written", ln, path=output,
                      pillars=_count("cli.n_pillars", len(q.pillars), ln),
                      questions=_count("cli.n_questions", len(q.questions), ln))))


@weights_app.command("combine")
def weights_combine(
    files: Annotated[list[Path], typer.Argument(help="The experts' filled workbooks (CSV).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder of the new questionnaire version.")],
    version: Annotated[str, typer.Option(help="The new version number, e.g. 1.2.0.")],
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Median of the experts' weights into a new questionnaire version, with the spread in weights_panel.csv."""
    from questionnaires.panel import combine, read_workbook, write_panel, write_version

    ln = use_lang(lang)
    q = _load(questionnaire)
    experts, problems = [], []
    for path in files:
        try:
            weights, found = read_workbook(path, q)
        except OSError as exc:
            raise UsageProblem(t("cli.cannot_read", ln, path=path), [os_reason(exc, ln)]) from None
        experts.append(weights)
        problems += [p.text(ln) for p in found]
    if problems:
        raise UsageProblem(t("cli.weights_problems", ln), problems)
    panel = combine(experts)
    try:
        new = write_version(q.source_dir, output, panel, version)
    except QuestionnaireError as exc:
        raise UsageProblem(t("cli.nothing_usable", ln), exc.problems) from None
    write_panel(output, panel)
    out.print(shown(t("cli.weights_written", ln, version=new.version, path=output,
                      weights=_count("cli.n_weights", len(panel), ln),
                      experts=_count("cli.n_experts", len(files), ln))))
