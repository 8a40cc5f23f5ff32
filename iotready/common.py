"""What every command module of the ``iotready`` command line shares: the consoles, the usage problem (bad
input, listed, exit status 2), the ``--questionnaire`` option, reading input files under a size cap, checking
and writing output files safely, loading the questionnaire and an answers document, and opening the database.

:mod:`iotready.cli` holds the app and registers the commands; each command group lives in its own module
(``*_cli.py``) and imports from here, never from :mod:`iotready.cli` (which imports them).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console

from answers.document import (
    AnswersDocument,
    AnswersError,
    Problem,
    import_problems,
    parse_answers,
)
from answers.jsonread import MAX_JSON_BYTES, JsonRefused, load_json
from formatting.numbers import fmt_count, fmt_decimal
from iotready.lang import reader_lang
from questionnaires.loader import (
    DEFAULT_QUESTIONNAIRE_DIR,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
)
from questionnaires.messages import separator, t
from refdata import country as lookup_country

out = Console()


err = Console(stderr=True)


QuestionnaireOpt = Annotated[
    Path | None,
    typer.Option("--questionnaire", "-q", help="Questionnaire folder (default: the shipped Resolution 197 one)."),
]


class UsageProblem(Exception):
    """Bad input from the user: printed as a list, exit status 2."""

    def __init__(self, title: str, problems: list[str]) -> None:
        self.title = title
        self.problems = problems
        super().__init__(title)


MAX_INPUT_BYTES = MAX_JSON_BYTES  # answers documents, exports and workbooks alike (the app's upload limit)


_OS_REASONS = {errno.ENOENT: "cli.os.not_found", errno.EACCES: "cli.os.denied", errno.EPERM: "cli.os.denied",
               errno.EISDIR: "cli.os.is_folder", errno.ENOTDIR: "cli.os.not_folder", errno.ENOSPC: "cli.os.no_space",
               errno.EROFS: "cli.os.read_only", errno.EEXIST: "cli.os.exists"}


def os_reason(exc: OSError, lang: str) -> str:
    """Why the system refused, in the reader's language (the system's own text is English)."""
    key = _OS_REASONS.get(exc.errno or 0)
    return t(key, lang) if key else str(exc.strerror or exc)


def _read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, refused before reading when over ``limit``; a stream (/dev/zero) is cut at ``limit``."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            data = b"" if size > limit else fh.read(limit + 1)
    except OSError as exc:
        raise UsageProblem(t("cli.cannot_read", reader_lang(), path=path), [os_reason(exc, reader_lang())]) from None
    size = max(size, len(data))
    if size > limit:
        ln = reader_lang()
        key = "cli.too_big_size" if stat.S_ISREG(info.st_mode) else "cli.too_big_stream"
        raise UsageProblem(t("cli.too_big", ln, path=path), [
            t(key, ln, size=fmt_decimal(size / 1_048_576, ln), limit=fmt_count(limit // 1_048_576, ln))
        ])
    return data


def _destination_problems(path: Path, *, folder: bool) -> list[str]:
    ln = reader_lang()
    if not folder and path.is_dir():
        return [t("cli.dest_is_folder", ln, path=path)]
    if not folder and path.exists() and not path.is_file():
        return [t("cli.dest_not_regular", ln, path=path)]
    if folder and path.exists() and not path.is_dir():
        return [t("cli.dest_is_file", ln, path=path)]
    where = path if folder else path.parent
    while folder and not where.exists() and where != where.parent:
        where = where.parent  # the folder is created (with its parents) under the nearest existing one
    if not where.exists():
        return [t("cli.dest_no_folder", ln, path=where)]
    if not where.is_dir():
        return [t("cli.dest_not_folder", ln, path=where)]
    try:
        with tempfile.TemporaryFile(dir=where):
            pass
    except OSError as exc:
        return [t("cli.dest_cannot_create", ln, path=where, reason=os_reason(exc, ln))]
    if path.is_file() and not os.access(path, os.W_OK):
        return [t("cli.dest_read_only", ln, path=path)]
    return []


def _destination(path: Path, *, folder: bool = False) -> Path:
    """Check that ``path`` can be written before any work (a PDF takes seconds, --all minutes)."""
    problems = _destination_problems(path, folder=folder)
    if problems:
        raise UsageProblem(t("cli.cannot_write_nothing", reader_lang(), path=path), problems)
    return path


@contextmanager
def _atomic(path: Path, *, before_rename: Callable[[], None] = lambda: None) -> Iterator[IO[bytes]]:
    """A file to write ``path`` through: a temporary file in the same folder, synced, then renamed, so a failed
    write (or a ``before_rename`` that refuses by raising) leaves no torn file and nothing at ``path``."""
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as fh:
            tmp = Path(fh.name)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        before_rename()
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageProblem(t("cli.cannot_write", reader_lang(), path=path), [os_reason(exc, reader_lang())]) from None
    finally:
        if tmp is not None:  # renamed on success: only a failed write leaves it
            tmp.unlink(missing_ok=True)


def _write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` at once or not at all (:func:`_atomic`)."""
    with _atomic(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _write_stream(path: Path, chunks: Iterable[bytes], *, before_rename: Callable[[], None] = lambda: None) -> None:
    """:func:`_write` for a stream of chunks (a document of 20 MB is never whole in memory); ``before_rename``
    may refuse (raise) once every chunk is written, and then nothing is left at ``path``."""
    with _atomic(path, before_rename=before_rename) as fh:
        for chunk in chunks:
            fh.write(chunk)


def _load(path: Path | None) -> Questionnaire:
    try:
        return load_questionnaire(path or DEFAULT_QUESTIONNAIRE_DIR)
    except QuestionnaireError as exc:
        where = path or DEFAULT_QUESTIONNAIRE_DIR
        raise UsageProblem(t("cli.questionnaire_invalid", reader_lang(), path=where), exc.problems) from None


def ask_yes(question: str, lang: str) -> bool:
    """A yes/no question in the reader's language (click's confirm knows only y/n): no terminal, an empty answer
    or anything but a yes word is no, so nothing is changed without a yes."""
    if not sys.stdin.isatty():
        return False
    answer = typer.prompt(f"{question} [{t('cli.yes_no', lang)}]", default="", show_default=False, prompt_suffix=" ")
    return answer.strip().lower() in {w.strip() for w in t("cli.yes_words", lang).split(",")}


def problem_line(p: object, lang: str) -> str:
    """An answers document's problem in ``lang``: the question by its id (the document's key), the field, why."""
    if not hasattr(p, "text"):
        return str(p)
    qid, field = getattr(p, "question_id", None), getattr(p, "field", "")
    where = [t("cli.at_question_id", lang, id=qid)] if qid else []
    where += [field] if field else []
    return "".join(f"{w}{separator(':', lang)}" for w in where) + p.text(lang)


def _read_answers(path: Path, questionnaire: Questionnaire) -> AnswersDocument:
    """An answers document, or the one assessment of an ``iotready export -f json`` file (issue 20.9)."""
    from exchange.export_format import EXPORT_FORMAT, export_documents_of

    ln = reader_lang()
    raw = _read_input(path)
    try:
        try:
            data = load_json(raw)
        except JsonRefused as exc:
            raise AnswersError([Problem.of("document", exc.reason)]) from None
        if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
            try:
                docs = export_documents_of(data)
            except ValueError as exc:  # AnswersError is one: its problems are listed below
                if isinstance(exc, AnswersError):
                    raise
                raise UsageProblem(t("cli.answers_invalid", ln, path=path), [t("cli.export_malformed", ln)]) \
                    from None
            if len(docs) != 1:
                raise UsageProblem(t("cli.answers_invalid", ln, path=path),
                                   [t("cli.export_not_one", ln, n=fmt_count(len(docs), ln))])
            doc = docs[0]
        else:
            doc = parse_answers(data)
    except AnswersError as exc:
        raise UsageProblem(t("cli.answers_invalid", ln, path=path), [problem_line(p, ln) for p in exc.problems]) \
            from None
    problems = [problem_line(p, ln) for p in import_problems(questionnaire, doc)]
    if problems:
        raise UsageProblem(t("cli.answers_misfit", ln, path=path, version=questionnaire.version), problems)
    return doc


def _count(key: str, n: int, lang: str) -> str:
    """``key``'s plural phrase for ``n``, the number written as ``lang`` writes it ("1 940 questions")."""
    return t(key, lang, n=fmt_count(n, lang))


def _check_country(code: str, given: str) -> None:
    """Refuse a ``--country`` that names no ITU Member State."""
    try:
        lookup_country(code)
    except KeyError:
        ln = reader_lang()
        raise UsageProblem(t("cli.bad_country_title", ln), [t("cli.bad_country", ln, country=given)]) from None


def _engine():
    from assessment.db import DatabaseUnavailable, connect

    try:
        return connect()
    except DatabaseUnavailable as exc:
        ln = reader_lang()
        raise UsageProblem(t("cli.database_unusable", ln), [exc.text(ln)]) from None


def _service_problem(exc: Exception) -> UsageProblem:
    """A refusal of the services, in the reader's language where the service gave its reason as a catalog key."""
    ln = reader_lang()
    text = getattr(exc, "text", None)
    problems = [problem_line(p, ln) for p in getattr(exc, "problems", [])] or [
        text(ln) if callable(text) else str(exc)]
    return UsageProblem(t("cli.nothing_written", ln), problems)
