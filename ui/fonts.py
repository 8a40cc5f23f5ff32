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
"""

from __future__ import annotations

import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

from formatting.scripts import script_of
from reports.vendored import BY_SCRIPT, VENDORED_DIR

STATIC_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
URL = "/app/static/fonts/"
FAMILY = "Source Sans"  # Streamlit 1.67's body and heading font (its theme's ``sansSerif``)
# CJK radicals, symbols and punctuation, kana, bopomofo, strokes, enclosed letters, unified ideographs (with
# extension A), compatibility ideographs and forms, full-width forms, supplementary ideographs.
UNICODE_RANGE = ("U+2E80-2FDF, U+3000-33FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, "
                 "U+20000-2FA1F")
# A vendored file's weight -> CSS weights it answers for: Streamlit draws text at 400, labels at 600, headings 700.
_WEIGHTS = {"Regular": "100 500", "Bold": "600 900"}

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
    """The ``@font-face`` rules a page in ``lang`` needs (empty for every language but Chinese)."""
    return "".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{URL}{name}") format("truetype"); '
        f"font-weight: {weights}; font-style: normal; font-display: swap; unicode-range: {UNICODE_RANGE}; }}\n"
        for name, weights in served_faces(lang)
    )


__all__ = ["FAMILY", "STATIC_DIR", "UNICODE_RANGE", "URL", "font_css", "served_faces"]
