"""Large JSON exports read one assessment at a time: checked, planned and imported with bounded memory.

``iotready export -f json`` of every Member State over ten cycles is 28–35 MB, over the 20 MB a file is read
whole (:func:`exchange.upload.read_patches`). Such a file is streamed (:func:`answers.jsonstream.stream_export`):
each assessment is read, checked as an upload's are (the questionnaire version, the document's own problems,
twice in the file) and turned into its :class:`~exchange.patch.ImportPatch`, handed to the caller, then
forgotten. The caller reads the file twice: once to check and plan everything (nothing written), once to
apply every plan in one transaction, after checking the file did not change in between (its SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from answers.document import AnswersError, Problem, import_problems, parse_answers, reason
from answers.jsonread import JsonRefused
from answers.jsonstream import MAX_EXPORT_BYTES, stream_export
from exchange.export import EXPORT_FORMAT
from exchange.patch import ImportPatch, patch_from_document
from exchange.upload import ASSESSMENT_COLUMN, MAX_PROBLEMS_SHOWN, Located, Refused, _located, capped
from questionnaires.loader import Questionnaire


class _Hashing:
    """A binary file that hashes what is read, so the second reading can be checked against the first."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self.fh.read(n)
        self.sha.update(chunk)
        return chunk


def stream_patches(
    questionnaire: Questionnaire, path: Path, visit: Callable[[ImportPatch], None], *,
    max_bytes: int = MAX_EXPORT_BYTES, progress: Callable[[int], None] | None = None,
) -> str:
    """Call ``visit`` with each assessment of the JSON export at ``path``, checked; return the file's SHA-256.

    Raise :class:`~exchange.upload.Refused` with every problem located by assessment (at most
    :data:`~exchange.upload.MAX_PROBLEMS_SHOWN`, then a count): the caller has written nothing yet when
    it is raised at the first reading. Assessments already visited when a problem is found later stay unwritten,
    since the caller plans on the first reading and writes only on the second.
    """
    located: list[Located] = []
    total = 0
    seen: set[tuple[str, int, bool]] = set()

    def keep(where: str, problems: list[Problem]) -> None:
        nonlocal total
        total += len(problems)
        room = MAX_PROBLEMS_SHOWN - len(located)
        located.extend(_located(where, None, p.question_id or "", p) for p in problems[:max(room, 0)])

    def on_item(index: int, item: Any) -> None:
        where = f"#{index + 1}"
        if not isinstance(item, dict) or "answers" not in item:
            raise Refused("ui.exchange.bad_json", detail="`assessments` must be a list of {answers, scores} objects")
        try:
            doc = parse_answers(item["answers"]) if isinstance(item["answers"], dict) else parse_answers(b"[]")
        except AnswersError as exc:
            keep(where, exc.problems)
            return
        if (doc.questionnaire_id, doc.questionnaire_version) != (questionnaire.id, questionnaire.version):
            raise Refused("ui.exchange.version", file_form=doc.questionnaire_id or "?",
                          file_version=doc.questionnaire_version or "?", form_id=questionnaire.id,
                          version=questionnaire.version)
        where = f"{doc.country} {doc.cycle}"
        ident = (doc.country, doc.cycle, doc.illustrative)
        found = [Problem.of("document", reason("twice_in_file"))] if ident in seen else []
        seen.add(ident)
        found += import_problems(questionnaire, doc)
        if found:
            keep(where, found)
        elif not total:  # once the file has a problem it will be refused: nothing more to plan
            visit(patch_from_document(doc))

    try:
        with path.open("rb") as raw:
            fh = _Hashing(raw)
            stream = stream_export(fh, on_item, max_bytes=max_bytes, progress=progress)  # type: ignore[arg-type]
    except JsonRefused as exc:
        problem = [_located("", None, "", Problem.of("document", exc.reason))]
        raise Refused("ui.exchange.problems", problems=problem, n=1, where_key=ASSESSMENT_COLUMN) from None
    if stream.header.get("format") != EXPORT_FORMAT:
        raise Refused("ui.exchange.bad_json", detail=f"not an {EXPORT_FORMAT} file")
    if total:
        raise Refused("ui.exchange.problems", problems=capped(located, total), n=total, where_key=ASSESSMENT_COLUMN)
    if not stream.items:
        raise Refused("ui.exchange.empty")
    return fh.sha.hexdigest()
