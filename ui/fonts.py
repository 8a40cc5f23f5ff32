"""The vendored Chinese font, served to the browser for Chinese pages only (issue 24).

A reader whose system has no CJK font (a fresh Linux, this project's own test machine) saw every Chinese
character as an empty box: Streamlit's "Source Sans" has none and the browser found no other. The PDF already
ships Noto Sans SC (``reports/fonts``, SIL OFL 1.1); the app serves those same files from its static folder
(``server.enableStaticServing``, ``/app/static/fonts/``) and a Chinese page declares them as more faces of
"Source Sans", limited by ``unicode-range`` to the CJK blocks: the browser keeps Streamlit's own face for
Latin letters and digits and asks for Noto Sans SC only when a Chinese character is on the page. Pages in
the other languages declare nothing, so no reader of them downloads the 10 MB files.

Streamlit serves only what is inside ``static/`` and refuses a symbolic link that leads out of it, so the files
are hard-linked there (copied where a link cannot be made) when the app starts, from the one copy in
``reports/fonts``: ``static/fonts/`` is not in git. Where neither can be written the page says nothing of a
font it cannot serve and the reader's own fonts are used, as before.

Every page, in every language, names the languages in their own names (``ui.nav.language_links``), "中文" among
them: on a page in another language, a reader with no CJK font saw two boxes there. Those characters (the
registry's names' characters in :data:`UNICODE_RANGE`, :func:`name_characters`) come from a subset of Noto Sans
SC Regular holding only them (``reports/fonts/NotoSansSC-LanguageNames.ttf``, 1.7 kB, made by
``python -m ui.fonts`` with fontTools' subsetter; a test checks it holds exactly them, drawn as in the whole
font), given inline as a ``data:`` URI under its own family (:data:`NAMES_FAMILY`), second in the links' font
list: it costs no request, and the browser uses it for those characters only.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import shutil
import sys
from functools import lru_cache
from pathlib import Path

from formatting.scripts import script_of
from questionnaires.languages import REGISTRY
from reports.vendored import BY_SCRIPT, NAMES_FONT, VENDORED_DIR

STATIC_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
URL = "/app/static/fonts/"
FAMILY = "Source Sans"  # Streamlit 1.67's body and heading font (its theme's ``sansSerif``)
# CJK radicals, symbols and punctuation, kana, bopomofo, strokes, enclosed letters, unified ideographs (with
# extension A), compatibility ideographs and forms, full-width forms, supplementary ideographs.
UNICODE_RANGE = ("U+2E80-2FDF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, "
                 "U+20000-2FA1F")
# A vendored file's weight -> CSS weights it answers for: Streamlit draws text at 400, labels at 600, headings 700.
_WEIGHTS = {"Regular": "100 500", "Bold": "600 900"}
# The subset for the language links' names, under a family of its own (Noto's licence: no "Source" in the name of
# a modified font); the links list it after Streamlit's font, so a Chinese page keeps its whole faces.
NAMES_FAMILY = "IoTReady Language Names"
_CODE_POINTS = tuple((int(low, 16), int(high or low, 16))
                     for low, high in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", UNICODE_RANGE))

log = logging.getLogger(__name__)


def _place(source: Path, target: Path) -> bool:
    """``target`` holds ``source``'s bytes: already, or hard-linked, or copied. False if it cannot be."""
    try:
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system, or links refused: a copy
            shutil.copyfile(source, target)
        return True
    except OSError as exc:
        log.warning("cannot serve the font %s to the browser (%s): pages use the reader's own fonts", source, exc)
        return False


@lru_cache(maxsize=8)
def served_faces(lang: str) -> tuple[tuple[str, str], ...]:
    """(file name, CSS weights) of each face a page in ``lang`` declares: none but for a vendored font (Chinese).

    The files are put in the static folder on the first call, once per process. Latin, Cyrillic and Arabic are
    drawn in the PDF with DejaVu Sans, and browsers have fonts for them: nothing is served for those.
    """
    stem = BY_SCRIPT.get(script_of(lang).code)
    if stem is None:
        return ()
    faces: list[tuple[str, str]] = []
    for weight, weights in _WEIGHTS.items():
        source = VENDORED_DIR / f"{stem}-{weight}.ttf"
        if not source.is_file() or not _place(source, STATIC_DIR / source.name):
            return ()  # a missing vendored file: the PDF says where to get it; the page uses the reader's fonts
        faces.append((source.name, weights))
    return tuple(faces)


def font_css(lang: str) -> str:
    """The ``@font-face`` rules a page in ``lang`` needs: the language names' subset on every page; for Chinese,
    the whole Noto Sans SC too (two files the browser downloads)."""
    return "".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{URL}{name}") format("truetype"); '
        f"font-weight: {weights}; font-style: normal; font-display: swap; unicode-range: {UNICODE_RANGE}; }}\n"
        for name, weights in served_faces(lang)
    ) + names_css()


def name_characters() -> str:
    """The characters of the languages' own names that only the vendored CJK font may draw (中文's two), sorted."""
    return "".join(sorted({c for lg in REGISTRY.values() for c in lg.name
                           if any(low <= ord(c) <= high for low, high in _CODE_POINTS)}))


@lru_cache(maxsize=1)
def names_css() -> str:
    """The subset of :func:`name_characters` as an inline face, and the language links' fonts (empty without it)."""
    try:
        data = base64.b64encode(NAMES_FONT.read_bytes()).decode("ascii")
    except OSError as exc:
        log.warning("cannot read %s (%s): the language links use the reader's own fonts", NAMES_FONT, exc)
        return ""
    ranges = ", ".join(f"U+{ord(c):X}" for c in name_characters())
    return (f'@font-face {{ font-family: "{NAMES_FAMILY}"; src: url("data:font/ttf;base64,{data}") '
            f'format("truetype"); font-weight: 100 900; font-style: normal; unicode-range: {ranges}; }}\n'
            f'.iot-languages a {{ font-family: "{FAMILY}", "{NAMES_FAMILY}", sans-serif; }}\n')


def make_names_font(text: str, source: Path = VENDORED_DIR / "NotoSansSC-Regular.ttf") -> bytes:
    """A TrueType subset of ``source`` holding ``text``'s characters only (fontTools), with its copyright and licence
    names kept (SIL OFL 1.1: IDs 0, 13, 14) and no hinting, layout tables or timestamp change: ``python -m ui.fonts``.

    It is named :data:`NAMES_FAMILY`, not Noto Sans SC: a modified font under a name of its own, and one that a
    font folder holding both (``tools/language_screenshots.py`` gives ``reports/fonts`` to fontconfig) cannot
    take for the whole font.
    """
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "BASE", "STAT", "gasp", "vhea", "vmtx", "VORG", "DSIG"]
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    postscript = NAMES_FAMILY.replace(" ", "")
    for record in font["name"].names:
        renamed = {1: NAMES_FAMILY, 4: NAMES_FAMILY, 3: f"{postscript}-subset-of-{record.toUnicode()}",
                   6: postscript}.get(record.nameID)
        if renamed is not None:
            record.string = renamed
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> None:
    """Write ``reports/fonts/NotoSansSC-LanguageNames.ttf`` for the registry's names; print its SHA-256 for
    ``reports.vendored.VENDORED``."""
    import hashlib

    data = make_names_font(name_characters())
    NAMES_FONT.write_bytes(data)
    sys.stdout.write(f"{NAMES_FONT.name}: {name_characters()}, {len(data)} bytes, "
                     f"sha256 {hashlib.sha256(data).hexdigest()}\n")


if __name__ == "__main__":
    main()


__all__ = ["FAMILY", "NAMES_FAMILY", "STATIC_DIR", "UNICODE_RANGE", "URL", "font_css", "make_names_font",
           "name_characters", "names_css", "served_faces"]
