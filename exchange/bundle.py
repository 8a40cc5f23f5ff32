"""The evidence bundle: a zip holding the answers JSON and the evidence files, with a manifest (issue 25.5).

``iotready export -f bundle`` writes ``manifest.json``, ``answers.json`` (byte for byte what ``-f json``
writes) and one ``files/<sha256>.<ext>`` member per distinct content; the manifest lists each attachment
(assessment, question, title, reference, file name, size, SHA-256). ``iotready import`` reads such a zip
back through :func:`read_bundle`, which trusts nothing in it:

- the archive's names are checked before a byte is unpacked: no ``..``, absolute path, drive letter,
  backslash, control or invisible character, duplicate (also by case), symbolic link, encryption, or
  member the manifest does not name;
- sizes: a member's declared size is capped (the per-file evidence cap, the JSON cap for the manifest, the
  streamed export's overall limit for the answers), its declared compression ratio is bounded, and its real
  size is counted while unpacking, never trusted from the header (a zip bomb stops at the cap);
- the answers are read whole up to the JSON cap, as a JSON file is; over it (194 Member States x 10 cycles is
  about 30 MB) they are unpacked to a temporary file and streamed one assessment at a time, as a large JSON
  export is (:mod:`exchange.bulk`), so memory stays bounded whatever their size;
- every file is spooled to a temporary file while hashed and must match the manifest's size and SHA-256,
  then passes the very checks of an upload (:func:`assessment.evidence_checks.inspect_file`: type by
  content, 0 bytes, active content, macros, nested bombs) and the title and reference checks.

Every problem is collected and located (the member or the manifest entry), so one reading lists them all;
any problem refuses the whole bundle. No database here: the import writes through
:mod:`assessment.evidence` in the same transaction as the answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from answers.document import Reason, reason, shown_value
from answers.jsonread import MAX_JSON_BYTES, JsonRefused, load_json, size_text
from answers.jsonstream import MAX_EXPORT_BYTES
from assessment.evidence_checks import (
    KINDS,
    REFERENCE_MAX,
    TITLE_MAX,
    ZIP_MAX_MEMBERS,
    ZIP_MAX_RATIO,
    EvidenceRefused,
    Limits,
    clean_label,
    inspect_file,
    limits,
    megabytes,
)
from questionnaires.messages import separator, t

BUNDLE_FORMAT = "iotready-bundle"
MANIFEST = "manifest.json"
ANSWERS = "answers.json"
FILES = "files/"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_RATIO_FLOOR = 1024 * 1024  # below a megabyte unpacked, a high ratio is only a repetitive small file
_READ = 1024 * 1024
MAX_ANSWERS_BYTES = MAX_EXPORT_BYTES  # the cap of answers.json: a streamed JSON export's


@dataclass(frozen=True)
class BundleEntry:
    """One attachment the manifest lists: where it goes (assessment, question) and what it is."""

    country: str
    cycle: int
    question_id: str
    title: str
    reference: str | None
    filename: str
    size: int
    sha256: str
    path: str
    assessment_id: str | None = None  # the source database's id: information only, never trusted on import

    def manifest(self) -> dict[str, Any]:
        return {"assessment": {"country": self.country, "cycle": self.cycle, "id": self.assessment_id},
                "question": self.question_id, "title": self.title, "reference": self.reference,
                "filename": self.filename, "size": self.size, "sha256": self.sha256, "path": self.path}


def member_name(sha256: str, filename: str) -> str:
    """The zip member of a content: named by its hash (one member per content, never a user's name)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    ext = ext if re.fullmatch(r"[a-z0-9]{1,5}", ext) else "bin"
    return f"{FILES}{sha256}.{ext}"


def write_bundle(out: IO[bytes], answers_json: bytes, files: Iterable[tuple[BundleEntry, Iterable[bytes] | None]],
                 ) -> int:
    """Write the bundle to ``out``: manifest, answers, then each content once (``None``: already written).

    The bytes are streamed into the zip a chunk at a time. Returns the number of documents (manifest entries).
    """
    entries: list[BundleEntry] = []
    written: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        z.writestr(ANSWERS, answers_json, compress_type=_answers_compression(answers_json))
        for entry, chunks in files:
            entries.append(entry)
            if entry.path in written or chunks is None:
                continue
            written.add(entry.path)
            # Already compressed formats (PDF, office zips, images) are stored as they are. Text is deflated up to
            # a megabyte only: past that a repetitive text could deflate over the reader's bound on the ratio (the
            # chunks are streamed once, so its ratio is not known before writing), and what the tool exports must
            # import.
            kind = entry.path.rsplit(".", 1)[-1]
            text = kind in ("txt", "csv") and entry.size <= _RATIO_FLOOR
            how = zipfile.ZIP_DEFLATED if text else zipfile.ZIP_STORED
            info = zipfile.ZipInfo(entry.path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = how
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            with z.open(info, "w", force_zip64=entry.size > 2**31) as member:
                for chunk in chunks:
                    member.write(chunk)
        manifest = {"format": BUNDLE_FORMAT, "format_version": 1, "answers": ANSWERS,
                    "answers_sha256": hashlib.sha256(answers_json).hexdigest(),
                    "files": [e.manifest() for e in entries]}
        z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return len(entries)


def _answers_compression(answers_json: bytes) -> int:
    """Deflated, unless that would put the member over the reader's bound on the ratio (an export where every
    answer is "don't know" deflates about 100 times): then stored, so whatever the tool exports, it imports."""
    if len(answers_json) <= _RATIO_FLOOR:
        return zipfile.ZIP_DEFLATED
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # what zipfile's deflate writes
    packed = len(packer.compress(answers_json)) + len(packer.flush())
    return zipfile.ZIP_DEFLATED if len(answers_json) <= ZIP_MAX_RATIO * packed else zipfile.ZIP_STORED


# --- reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleProblem:
    """Why the bundle is refused, and where: a zip member (``member``) or a manifest entry (``entry``, 1-based)."""

    why: Reason
    member: str | None = None
    entry: int | None = None
    question_id: str | None = None
    title: str | None = None

    def text(self, lang: str = "en") -> str:
        where = ""
        if self.entry is not None:
            where = t("bundle.at_entry", lang, n=self.entry, question=shown_value(self.question_id or "?"),
                      title=shown_value(self.title or "?"))
        elif self.member is not None:
            where = t("bundle.at_member", lang, name=shown_value(self.member))
        return f"{where}{separator(':', lang)}{self.why.text(lang)}" if where else self.why.text(lang)

    def __str__(self) -> str:
        return self.text("en")


class BundleRefused(ValueError):
    """The bundle is refused whole; ``problems`` lists every reason found, located."""

    def __init__(self, problems: list[BundleProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:3]))


@dataclass
class Spooled:
    """A file of the bundle, unpacked to a temporary file, hashed and checked: its detected kind."""

    file: BinaryIO
    size: int
    sha256: str
    kind: str


@dataclass
class Bundle:
    """A checked bundle: the answers JSON, the manifest's entries, and each content spooled once (by SHA-256).

    ``answers``: the answers JSON read whole, or None when it is over :data:`MAX_JSON_BYTES`: then it is at
    ``answers_path``, a temporary file (``answers_size`` bytes) to stream, removed by :meth:`close`.
    """

    answers: bytes | None
    entries: list[BundleEntry]
    files: dict[str, Spooled] = field(default_factory=dict)
    answers_path: Path | None = None
    answers_size: int = 0

    def close(self) -> None:
        for spooled in self.files.values():
            spooled.file.close()
        self.files.clear()
        if self.answers_path is not None:
            self.answers_path.unlink(missing_ok=True)
            self.answers_path = None

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_bundle(path: Path) -> bool:
    """A ``.zip`` file is read as a bundle (whatever it holds: the reader then says what is wrong)."""
    return path.suffix.lower() == ".zip"


def _name_problem(name: str) -> Reason | None:
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"} for ch in name):
        return reason("bundle_name_control")
    if "\\" in name:
        return reason("bundle_name_backslash")
    if name.startswith("/") or _DRIVE.match(name):
        return reason("bundle_name_absolute")
    if any(part in ("..", ".") for part in name.split("/")):
        return reason("bundle_name_traversal")
    return None


def _structure(z: zipfile.ZipFile, lim: Limits) -> tuple[list[BundleProblem], dict[str, zipfile.ZipInfo]]:
    """Every problem of the archive's directory, found before anything is unpacked."""
    infos = z.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        return [BundleProblem(reason("bundle_too_many", n=ZIP_MAX_MEMBERS))], {}
    problems: list[BundleProblem] = []
    seen: dict[str, str] = {}
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        # zipfile turns "\" into "/" on Windows only; the raw name is what an unzip tool would honour.
        raw = info.orig_filename
        bad = _name_problem(raw) or _name_problem(name)
        if bad is not None:
            problems.append(BundleProblem(bad, member=raw))
            continue
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            problems.append(BundleProblem(reason("bundle_name_duplicate"), member=name))
            continue
        seen[folded] = name
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(BundleProblem(reason("bundle_symlink"), member=name))
            continue
        if info.flag_bits & 0x1:
            problems.append(BundleProblem(reason("bundle_encrypted"), member=name))
            continue
        if info.is_dir():
            continue
        cap = {MANIFEST: MAX_JSON_BYTES, ANSWERS: MAX_ANSWERS_BYTES}.get(name, lim.file)
        if info.file_size > cap:  # the JSON members are told a JSON file's limit, not a document's advice
            why = (reason("json_too_big", size=size_text(info.file_size), limit=cap // 1_048_576)
                   if name in (MANIFEST, ANSWERS) else reason("evidence_too_big", max=megabytes(cap)))
            problems.append(BundleProblem(why, member=name))
            continue
        if info.file_size > _RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            problems.append(BundleProblem(reason("bundle_bomb", ratio=info.file_size // max(info.compress_size, 1)),
                                          member=name))
            continue
        members[name] = info
    return problems, members


def _unpack(z: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes]) -> tuple[int, str] | Reason:
    """Copy a member to ``out``, hashing it; its real size may not pass its declared one (a lying header)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with z.open(info) as member:
            while True:
                block = member.read(_READ)
                if not block:
                    break
                size += len(block)
                if size > info.file_size:
                    return reason("bundle_size_lies", size=info.file_size)
                digest.update(block)
                out.write(block)
    except zipfile.BadZipFile:  # zipfile checks the CRC at the end: a damaged or forged member
        return reason("bundle_damaged")
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return reason("bundle_damaged")
    return size, digest.hexdigest()


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | Reason:
    with tempfile.SpooledTemporaryFile(max_size=MAX_JSON_BYTES) as buf:
        got = _unpack(z, info, buf)
        if isinstance(got, Reason):
            return got
        buf.seek(0)
        return buf.read()


def _answers(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | Path, int, str] | Reason:
    """The answers member, its size and SHA-256: its bytes up to :data:`MAX_JSON_BYTES`, else the temporary file
    it is unpacked to (a path, so it can be streamed twice; the caller removes it)."""
    if info.file_size <= MAX_JSON_BYTES:  # the real size may not pass the declared one (_unpack)
        with tempfile.SpooledTemporaryFile(max_size=MAX_JSON_BYTES) as buf:
            got = _unpack(z, info, buf)
            if isinstance(got, Reason):
                return got
            buf.seek(0)
            return buf.read(), *got
    fd, name = tempfile.mkstemp(prefix="iotready-bundle-", suffix=".json")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            got = _unpack(z, info, out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if isinstance(got, Reason):
        path.unlink(missing_ok=True)
        return got
    return path, *got


def _entry(i: int, item: Any) -> BundleEntry | BundleProblem:
    """One manifest entry, its fields typed; else the problem, located by the entry's number."""
    if not isinstance(item, dict):
        return BundleProblem(reason("bundle_manifest_field", field="files"), entry=i)
    where = item.get("assessment")
    qid, title = item.get("question"), item.get("title")

    def problem(why: Reason) -> BundleProblem:
        return BundleProblem(why, entry=i, question_id=qid if isinstance(qid, str) else None,
                             title=title if isinstance(title, str) else None)

    checks = {
        "assessment": isinstance(where, dict) and isinstance(where.get("country"), str)
        and isinstance(where.get("cycle"), int) and not isinstance(where.get("cycle"), bool)
        and (where.get("id") is None or isinstance(where.get("id"), str)),
        "question": isinstance(qid, str) and bool(qid),
        "title": isinstance(title, str),
        "reference": item.get("reference") is None or isinstance(item.get("reference"), str),
        "filename": isinstance(item.get("filename"), str),
        "size": isinstance(item.get("size"), int) and not isinstance(item.get("size"), bool),
        "sha256": isinstance(item.get("sha256"), str) and bool(_SHA.match(item.get("sha256", ""))),
        "path": isinstance(item.get("path"), str),
    }
    for name, ok in checks.items():
        if not ok:
            return problem(reason("bundle_manifest_field", field=name))
    try:
        clean_title = clean_label(title, limit=TITLE_MAX, required=True, what="title")
        reference = clean_label(item.get("reference"), limit=REFERENCE_MAX, required=False, what="reference")
    except EvidenceRefused as refused:
        return problem(refused.reason)
    filename = item["filename"]
    if _name_problem(filename) is not None or "/" in filename:
        return problem(reason("bundle_filename"))
    assert isinstance(where, dict)
    return BundleEntry(country=where["country"], cycle=where["cycle"], question_id=str(qid), title=str(clean_title),
                       reference=reference, filename=filename, size=item["size"], sha256=item["sha256"],
                       path=item["path"], assessment_id=where.get("id"))


def _manifest(z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
              ) -> tuple[dict[str, Any] | None, list[BundleEntry], list[BundleProblem]]:
    if MANIFEST not in members:
        return None, [], [BundleProblem(reason("bundle_no_manifest"))]
    raw = _read_member(z, members[MANIFEST])
    if isinstance(raw, Reason):
        return None, [], [BundleProblem(raw, member=MANIFEST)]
    try:
        data = load_json(raw)
    except JsonRefused as exc:
        return None, [], [BundleProblem(exc.reason, member=MANIFEST)]
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        return None, [], [BundleProblem(reason("bundle_manifest_format"), member=MANIFEST)]
    if data.get("format_version") != 1:
        return None, [], [BundleProblem(reason("bundle_manifest_version", version=shown_value(
            data.get("format_version"))), member=MANIFEST)]
    files = data.get("files")
    if not isinstance(files, list) or not isinstance(data.get("answers_sha256"), str):
        return None, [], [BundleProblem(reason("bundle_manifest_field", field="files"), member=MANIFEST)]
    entries: list[BundleEntry] = []
    problems: list[BundleProblem] = []
    for i, item in enumerate(files, start=1):
        got = _entry(i, item)
        if isinstance(got, BundleProblem):
            problems.append(got)
        else:
            entries.append(got)
    return data, entries, problems


def read_bundle(path: Path, lim: Limits | None = None) -> Bundle:
    """The checked bundle at ``path`` (its files spooled to temporary files: close it); else :class:`BundleRefused`."""
    lim = lim or limits()
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BundleRefused([BundleProblem(reason("bundle_not_zip"))]) from None
    with z:
        problems, members = _structure(z, lim)
        if problems:  # nothing is unpacked from an archive whose directory is already hostile
            raise BundleRefused(problems)
        manifest, entries, problems = _manifest(z, members)
        if manifest is None:
            raise BundleRefused(problems)
        answers_name = manifest.get("answers", ANSWERS)
        named = {answers_name, MANIFEST, *(e.path for e in entries)}
        for name in members:
            if name not in named and not members[name].is_dir():
                problems.append(BundleProblem(reason("bundle_unexpected"), member=name))
        if answers_name not in members:
            problems.append(BundleProblem(reason("bundle_missing", path=shown_value(answers_name)), member=MANIFEST))
            raise BundleRefused(problems)
        got = _answers(z, members[answers_name])
        if isinstance(got, Reason):
            problems.append(BundleProblem(got, member=answers_name))
            raise BundleRefused(problems)
        answers, size, sha = got
        bundle = (Bundle(answers=answers, entries=entries) if isinstance(answers, bytes)
                  else Bundle(answers=None, entries=entries, answers_path=answers, answers_size=size))
        try:
            _check(z, members, manifest, answers_name, sha, bundle, lim, problems)
        except BaseException:
            bundle.close()
            raise
        return bundle


def _check(z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], manifest: dict[str, Any], answers_name: str,
           sha: str, bundle: Bundle, lim: Limits, problems: list[BundleProblem]) -> None:
    """The answers' hash, the documents' total, then each document: raise :class:`BundleRefused` on any problem."""
    entries = bundle.entries
    if sha != manifest["answers_sha256"]:
        problems.append(BundleProblem(reason("bundle_hash", actual=sha[:12],
                                             expected=shown_value(manifest["answers_sha256"][:12])),
                                      member=answers_name))
    declared = sum(members[p].file_size for p in {e.path for e in entries} if p in members)
    places = max(len({(e.country, e.cycle) for e in entries}), 1)
    if declared > lim.assessment * places:
        problems.append(BundleProblem(reason("bundle_total", size=megabytes(declared),
                                             max=megabytes(lim.assessment * places))))
        raise BundleRefused(problems)
    problems += _files(z, members, entries, bundle, lim)
    if problems:
        raise BundleRefused(problems)


def _files(z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], entries: list[BundleEntry], bundle: Bundle,
           lim: Limits) -> list[BundleProblem]:
    """Unpack, hash and check each content once; every entry is held to its member's size, hash and type."""
    problems: list[BundleProblem] = []
    checked: dict[str, Spooled | Reason] = {}  # by member path
    for i, entry in enumerate(entries, start=1):
        def problem(why: Reason, entry: BundleEntry = entry, i: int = i) -> BundleProblem:
            return BundleProblem(why, entry=i, question_id=entry.question_id, title=entry.title)

        if entry.path not in members:
            problems.append(problem(reason("bundle_missing", path=shown_value(entry.path))))
            continue
        if entry.path not in checked:
            checked[entry.path] = _spool(z, members[entry.path], entry.filename, lim)
        got = checked[entry.path]
        if isinstance(got, Reason):
            problems.append(problem(got))
            continue
        if got.size != entry.size:
            problems.append(problem(reason("bundle_size", actual=got.size, expected=entry.size)))
        elif got.sha256 != entry.sha256:
            problems.append(problem(reason("bundle_hash", actual=got.sha256[:12], expected=entry.sha256[:12])))
        else:
            bundle.files.setdefault(got.sha256, got)
    for got in checked.values():  # contents no entry could use are not kept
        if isinstance(got, Spooled) and bundle.files.get(got.sha256) is not got:
            got.file.close()
    return problems


def _spool(z: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, lim: Limits) -> Spooled | Reason:
    out = tempfile.TemporaryFile()  # noqa: SIM115 (kept open in the Bundle, closed by Bundle.close)
    try:
        got = _unpack(z, info, out)
        if isinstance(got, Reason):
            out.close()
            return got
        size, sha = got
        out.seek(0)
        try:
            kind = inspect_file(out, size, filename, lim)
        except EvidenceRefused as refused:
            out.close()
            return refused.reason
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return Spooled(file=out, size=size, sha256=sha, kind=kind)


def chunks_of(f: BinaryIO) -> Iterator[bytes]:
    """A spooled file's bytes a megabyte at a time, from its start."""
    f.seek(0)
    while block := f.read(_READ):
        yield block


__all__ = ["ANSWERS", "BUNDLE_FORMAT", "KINDS", "MANIFEST", "Bundle", "BundleEntry", "BundleProblem",
           "BundleRefused", "Spooled", "chunks_of", "is_bundle", "member_name", "read_bundle", "write_bundle"]
