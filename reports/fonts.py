"""The fonts a profile is set in, per script, and the clear error when one is missing.

Latin, Cyrillic and Arabic use DejaVu Sans from matplotlib's wheel (as before: the English and French profiles
are unchanged). Arabic is DejaVu rather than Noto Sans Arabic because Noto draws a letter's dots as separate
glyphs, which fpdf2 2.8.9 gives no Unicode mapping: the PDF's text would not copy, search or extract. Chinese
uses Noto Sans SC vendored under ``reports/fonts/`` (SIL OFL 1.1, licence beside it, version and SHA-256 in
:data:`VENDORED`, see docs/pdf-profiles.md), with DejaVu Sans as the fallback for the symbols it lacks ("▸").
Whole fonts, not subsets: any character a user may type must be there. A font that is not on disk raises
:class:`FontMissing`, which says where to get it: never empty boxes, never a silent switch to another font.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib

from formatting.scripts import Script, script_of
from reports.vendored import BY_SCRIPT, VENDORED, VENDORED_DIR, Vendored

DEJAVU_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
STYLES = ("", "B", "I", "BI")


class FontMissing(RuntimeError):
    """A font file the profile needs is not on disk."""


@dataclass(frozen=True)
class Face:
    """One family: the file for each fpdf2 style ("", "B", "I", "BI")."""

    family: str
    files: dict[str, Path]

    def path(self, style: str) -> Path:
        path = self.files[style]
        if not path.is_file():
            raise FontMissing(_how_to_get(path))
        return path


@dataclass(frozen=True)
class FontSet:
    """The primary face of a script and the faces tried, in order, for a character it lacks."""

    primary: Face
    fallbacks: tuple[Face, ...] = ()

    @property
    def faces(self) -> tuple[Face, ...]:
        return (self.primary, *self.fallbacks)


DEJAVU = Face("DejaVuSans", {
    "": DEJAVU_DIR / "DejaVuSans.ttf",
    "B": DEJAVU_DIR / "DejaVuSans-Bold.ttf",
    "I": DEJAVU_DIR / "DejaVuSans-Oblique.ttf",
    "BI": DEJAVU_DIR / "DejaVuSans-BoldOblique.ttf",
})


# DejaVu Sans's obliques have no Arabic letter (its regular and bold have): an Arabic profile's emphasis stays
# upright, as Arabic typography has no italic, rather than losing every letter of an italic line.
DEJAVU_UPRIGHT = replace(DEJAVU, files={**DEJAVU.files, "I": DEJAVU.files[""], "BI": DEJAVU.files["B"]})


def _upright(family: str, stem: str) -> Face:
    """A face with regular and bold only: Arabic and Chinese have no italic; emphasis stays upright."""
    regular, bold = VENDORED_DIR / f"{stem}-Regular.ttf", VENDORED_DIR / f"{stem}-Bold.ttf"
    return Face(family, {"": regular, "B": bold, "I": regular, "BI": bold})


NOTO_SC = _upright("NotoSansSC", BY_SCRIPT["hans"])

_BY_SCRIPT: dict[str, FontSet] = {
    "hans": FontSet(NOTO_SC, (DEJAVU,)),
    "arab": FontSet(DEJAVU_UPRIGHT),
}


def fonts_for(script: Script | str) -> FontSet:
    """The font set a profile in ``script`` (or in the language ``script`` names) is drawn with."""
    if isinstance(script, str):
        script = script_of(script)
    return _BY_SCRIPT.get(script.code, FontSet(DEJAVU))


def _how_to_get(path: Path) -> str:
    vendored = VENDORED.get(path.name)
    if vendored is not None:
        return (f"The font {path.name} is missing from {path.parent}. It ships with IoT Readiness (reports/fonts/, "
                f"SIL OFL 1.1): reinstall the package, or take {path.name} from {vendored.source} "
                f"(version {vendored.version}, SHA-256 {vendored.sha256}) into {path.parent}.")
    return (f"The font {path.name} is missing from {path.parent}. It ships inside matplotlib's wheel: "
            f"reinstall matplotlib (pip install --force-reinstall matplotlib).")


__all__ = ["DEJAVU", "NOTO_SC", "VENDORED", "VENDORED_DIR", "Face", "FontMissing", "FontSet", "Vendored", "fonts_for"]
