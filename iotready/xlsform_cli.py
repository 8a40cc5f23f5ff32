"""``iotready questionnaire xlsform``: the questionnaire as an XLSForm for KoboToolbox and ODK.

The submissions those platforms export (CSV or JSON) come back through ``iotready import``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iotready.lang import LangOpt, use_lang
from questionnaires.messages import t


def xlsform_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="XLSForm file to write (.xlsx).")] = Path("form.xlsx"),
    lang: LangOpt = None,
    questionnaire: Annotated[
        Path | None,
        typer.Option("--questionnaire", "-q", help="Questionnaire folder (default: the shipped Resolution 197 one)."),
    ] = None,
) -> None:
    """Write the questionnaire as an XLSForm (survey, choices, settings) for KoboToolbox or ODK."""
    from exchange.xlsform import build_xlsform, form_id
    from iotready.common import _destination, _load, _write, out
    from iotready.echo import shown

    ln = use_lang(lang)
    _destination(output)
    q = _load(questionnaire)
    _write(output, build_xlsform(q))
    out.print(shown(t("cli.xlsform_written", ln, path=output, form=form_id(q), version=q.version)))
