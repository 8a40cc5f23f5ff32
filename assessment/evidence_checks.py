"""What an evidence file may be: its type decided by its content, its size, its name, its zip container.

Pure functions on a file already spooled to disk (:func:`inspect_file`), no database. An uploaded
document is a stranger's bytes that an adviser will later open on their own machine, so:

- the type comes from the bytes (magic numbers via ``puremagic``, then the zip's own members for the
  office formats), never from the name or the browser's claim; only :data:`KINDS` are kept, and HTML,
  SVG, XML, scripts and anything else are refused, whatever they are called;
- the stored name is rebuilt: the last path part only, no control or bidi characters, no leading
  dots or formula triggers, and the extension of the detected type (``run.ps1`` sent as text is kept
  as ``run.ps1.txt``);
- office files are zips: their declared and their actual uncompressed sizes, and the ratio, are
  bounded (a zip bomb is refused by counting while decompressing, never by trusting the header), and
  macro-enabled ones (``vbaProject.bin``) are refused;
- a PDF that carries JavaScript, a launch action or embedded files is refused (docs/security.md says why
  and what the raw scan cannot see).

The limits are read from the environment at each call (:func:`limits`), so tests and operators set them
without a restart of the process that imports this module.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import puremagic

from answers.document import Reason, reason

MB = 1024 * 1024
MAX_FILE_ENV = "IOTREADY_EVIDENCE_MAX_FILE_MB"
MAX_ASSESSMENT_ENV = "IOTREADY_EVIDENCE_MAX_ASSESSMENT_MB"
DEFAULT_MAX_FILE_MB = 20
DEFAULT_MAX_ASSESSMENT_MB = 500
ZIP_MAX_RATIO = 100  # uncompressed / compressed: office XML compresses ~10:1, a bomb ~1000:1
ZIP_MAX_MEMBERS = 10_000
ZIP_UNCOMPRESSED_FACTOR = 10  # a zip may unpack to at most ten times the per-file cap (200 MB by default)
TITLE_MAX = 200
REFERENCE_MAX = 120
NAME_MAX = 120
READ_SIZE = 1024 * 1024

# kind -> (media type, extension). The order is the one the UI lists.
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "txt": ("text/plain", "txt"),
    "csv": ("text/csv", "csv"),
}
EXTENSIONS: tuple[str, ...] = ("pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg", "txt", "csv")
_EXT_KIND = {"jpg": "jpeg", "jpeg": "jpeg", **{k: k for k in KINDS if k != "jpeg"}}

# Markup or code a browser, an office suite or a shell would act on: refused in any file taken as text.
_ACTIVE_TEXT = re.compile(rb"<\s*(?:script|html|svg|!doctype|\?xml|iframe|object|embed|body|head|meta|\?php)\b"
                          rb"|javascript:", re.I)
_REFUSED_MAGIC = {".html", ".htm", ".xhtml", ".svg", ".svgz", ".xml", ".js", ".php", ".sh", ".py", ".exe",
                  ".dll", ".elf", ".msi", ".jar", ".class", ".swf", ".hta", ".ps1", ".bat"}
# PDF names that run code or carry files (``/J#61vaScript`` is the same name: decoded before matching).
_PDF_ACTIVE = frozenset({b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia",
                         b"/XFA"})
_PDF_NAME = re.compile(rb"/(?:[A-Za-z]|#[0-9A-Fa-f]{2}){2,20}(?![A-Za-z0-9#])")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_FORMULA = "=+-@"
_OFFICE_MAIN = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_ODF_MIMETYPES = {b"application/vnd.oasis.opendocument.text": "odt",
                  b"application/vnd.oasis.opendocument.spreadsheet": "ods"}


class EvidenceRefused(ValueError):
    """The file is not kept; ``reason`` says why and what to do, in the reader's language."""

    def __init__(self, why: Reason) -> None:
        self.reason = why
        super().__init__(str(why))


@dataclass(frozen=True)
class Limits:
    """Size caps in bytes (environment: whole megabytes)."""

    file: int
    assessment: int

    @property
    def zip_uncompressed(self) -> int:
        return self.file * ZIP_UNCOMPRESSED_FACTOR


def _mb(env: str, default: int) -> int:
    raw = os.environ.get(env, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return (value if value > 0 else default) * MB


def limits() -> Limits:
    """The caps in force: ``IOTREADY_EVIDENCE_MAX_FILE_MB`` (20) and ``IOTREADY_EVIDENCE_MAX_ASSESSMENT_MB`` (500)."""
    return Limits(file=_mb(MAX_FILE_ENV, DEFAULT_MAX_FILE_MB), assessment=_mb(MAX_ASSESSMENT_ENV,
                                                                             DEFAULT_MAX_ASSESSMENT_MB))


def megabytes(n: int) -> str:
    """A size as people read it in messages (``20``, ``0.5``)."""
    value = n / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


# --- names and labels ---------------------------------------------------------------------------------


def _clean_chars(text: str) -> str:
    # Cc: control characters; Cf: format characters, among them the bidi overrides (U+202E) that make
    # "report.exe‮fdp" read as "...pdf"; Zl/Zp: line and paragraph separators.
    return "".join(ch for ch in unicodedata.normalize("NFC", text)
                   if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def safe_name(name: str | None, kind: str) -> str:
    """The name a file is stored and downloaded under: its last path part, cleaned, with ``kind``'s extension.

    No directory part (``../`` or ``..\\``), no control or bidi characters, no leading dots, spaces or
    formula triggers (``=cmd|`` in a spreadsheet listing), at most :data:`NAME_MAX` characters; an empty
    result becomes ``document``.
    """
    ext = KINDS[kind][1]
    base = _clean_chars(str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"\s+", " ", base).replace("..", ".")
    base = re.sub(r'[<>:"|?*;]', "_", base).strip(" .")
    stem, dot, old_ext = base.rpartition(".")
    if dot and _EXT_KIND.get(old_ext.lower()) == kind:  # "Law.PDF" -> "Law.pdf"; "run.ps1" -> "run.ps1.txt"
        base = stem
    base = base.lstrip(_FORMULA + " .\t").strip(" .")
    if not base:
        base = "document"
    base = base[: NAME_MAX - len(ext) - 1].rstrip(" .")
    return f"{base}.{ext}"


def clean_label(text: str | None, *, limit: int, required: bool, what: str) -> str | None:
    """A title or reference as typed, trimmed; refused with control characters, too long, or (``required``) empty."""
    value = (text or "").strip()
    if not value:
        if required:
            raise EvidenceRefused(reason("evidence_no_title"))
        return None
    if _clean_chars(value) != unicodedata.normalize("NFC", value):
        raise EvidenceRefused(reason("control_char"))
    if len(value) > limit:
        raise EvidenceRefused(reason(f"evidence_{what}_long", n=limit))
    return value


# --- content ------------------------------------------------------------------------------------------


def inspect_file(f: BinaryIO, size: int, name: str | None, lim: Limits | None = None) -> str:
    """The kind of the spooled file ``f`` (``size`` bytes), decided by its content; else :class:`EvidenceRefused`."""
    lim = lim or limits()
    if size == 0:
        raise EvidenceRefused(reason("evidence_empty"))
    if size > lim.file:
        raise EvidenceRefused(reason("evidence_too_big", max=megabytes(lim.file)))
    f.seek(0)
    head = f.read(8192)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        _check_pdf(f)
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(f, size, lim)
    if _magic_refused(head):
        raise EvidenceRefused(reason("evidence_active"))
    if b"\x00" not in head and not head.startswith(b"#!") and _is_text(f):
        return "csv" if str(name or "").lower().rstrip(" .").endswith(".csv") else "txt"
    raise EvidenceRefused(reason("evidence_type", kinds=", ".join(k.upper() for k in KINDS)))


def _magic_refused(head: bytes) -> bool:
    try:
        found = puremagic.magic_string(head)
    except puremagic.PureError:
        return False
    return any(m.extension.lower() in _REFUSED_MAGIC and m.confidence >= 0.5 for m in found[:3])


def _scan(f: BinaryIO, pattern: re.Pattern[bytes], overlap: int = 64) -> list[bytes]:
    """Every match of ``pattern`` in the file, reading it a megabyte at a time (a match across two reads too)."""
    f.seek(0)
    found: list[bytes] = []
    tail = b""
    while True:
        block = f.read(READ_SIZE)
        if not block:
            break
        window = tail + block
        found.extend(m.group(0) for m in pattern.finditer(window))
        tail = window[-overlap:]
    f.seek(0)
    return found


def _check_pdf(f: BinaryIO) -> None:
    for token in _scan(f, _PDF_NAME):
        name = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), token) if b"#" in token else token
        if name in _PDF_ACTIVE:
            raise EvidenceRefused(reason("evidence_pdf_active", what=name.decode("latin-1").lstrip("/")))


def _is_text(f: BinaryIO) -> bool:
    """Plain UTF-8 (or UTF-16 with its mark) text, no NUL, no markup a browser would run."""
    f.seek(0)
    head = f.read(4)
    f.seek(0)
    encoding = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    tail = ""
    try:
        while True:
            block = f.read(READ_SIZE)
            text = decoder.decode(block, final=not block)
            if "\x00" in text or any(unicodedata.category(c) == "Cc" and c not in "\t\r\n\f" for c in text):
                return False
            window = tail + text
            if _ACTIVE_TEXT.search(window.encode("utf-8", "replace")):
                raise EvidenceRefused(reason("evidence_active"))
            tail = window[-32:]
            if not block:
                return True
    except UnicodeDecodeError:
        return False
    finally:
        f.seek(0)


def _check_zip(f: BinaryIO, size: int, lim: Limits) -> str:
    """DOCX, XLSX, ODT or ODS, by their members; a bomb, a macro or anything else refused."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            infos = z.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise EvidenceRefused(reason("evidence_zip_bomb"))
            declared = sum(i.file_size for i in infos)
            if declared > lim.zip_uncompressed or declared > ZIP_MAX_RATIO * max(size, 1):
                raise EvidenceRefused(reason("evidence_zip_bomb"))
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise EvidenceRefused(reason("evidence_macro"))
            kind = _office_kind(z, names)
            # The header may lie: count what really comes out, and stop at the cap.
            total = 0
            for info in infos:
                with z.open(info) as member:
                    while True:
                        block = member.read(READ_SIZE)
                        if not block:
                            break
                        total += len(block)
                        if total > lim.zip_uncompressed or total > ZIP_MAX_RATIO * max(size, 1):
                            raise EvidenceRefused(reason("evidence_zip_bomb"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise EvidenceRefused(reason("evidence_type", kinds=", ".join(k.upper() for k in KINDS))) from None
    finally:
        f.seek(0)
    return kind


def _office_kind(z: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        mimetype = z.read("mimetype")[:100].strip()
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
    if "[Content_Types].xml" in names:
        for main, kind in _OFFICE_MAIN.items():
            if main in names:
                return kind
    raise EvidenceRefused(reason("evidence_type", kinds=", ".join(k.upper() for k in KINDS)))
