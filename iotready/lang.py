"""The reading language of a command: ``--lang``, else ``IOTREADY_LANG``, else the POSIX locale, else English.

Kept per run (one command per process) so that messages raised deep in a command (a file check, a database
error) and :func:`iotready.cli.main`'s last-resort lines are in the same language as the command's own lines.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated

import typer

from questionnaires.messages import DEFAULT_LANG


class Lang(StrEnum):
    """The languages offered (``questionnaires.messages.languages()``, which a test holds this to)."""

    ar = "ar"
    en = "en"
    es = "es"
    fr = "fr"


LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", "-l", help="Language of the output (default: $IOTREADY_LANG, else the locale, else en)."),
]
LANG_ENV = "IOTREADY_LANG"
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides
_reader = {"lang": DEFAULT_LANG}


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language when no ``--lang`` is given: ``IOTREADY_LANG`` (an offered code: ar, es, fr...),
    else the locale's language (ar_EG -> ar, fr_CA -> fr), else en.

    A French desktop gets French without a flag; a script pins its language with ``IOTREADY_LANG``.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(LANG_ENV, "").strip().lower()
    if chosen in Lang.__members__:
        return chosen
    for name in LOCALE_ENVS:
        value = env.get(name, "").strip()
        if value:
            code = value.lower()[:2]
            return code if code in Lang.__members__ and value[2:3] in ("", "_", "-", ".", "@") else DEFAULT_LANG
    return DEFAULT_LANG


def use_lang(lang: Lang | None) -> str:
    """This run's reading language (``--lang``, else :func:`default_lang`), kept for the messages raised deeper."""
    _reader["lang"] = lang.value if lang is not None else default_lang()
    return _reader["lang"]


def reader_lang() -> str:
    """The language of this run's human output (file checks, database errors, :func:`main`'s last lines)."""
    return _reader["lang"]
