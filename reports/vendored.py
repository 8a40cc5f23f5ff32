"""The font files shipped in the repository (``reports/fonts``), without the PDF stack: the app serves them too.

``reports.fonts`` draws profiles with them; ``ui.fonts`` serves them to the browser. Kept apart so a page can name
them without importing matplotlib (``tests/ui/test_lazy_imports.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VENDORED_DIR = Path(__file__).resolve().parent / "fonts"
# The characters of the languages' own names that need Noto Sans SC (中文), for the browser's language links: a
# subset of NotoSansSC-Regular.ttf made by ``python -m ui.fonts`` (fontTools), under the same licence.
NAMES_FONT = VENDORED_DIR / "NotoSansSC-LanguageNames.ttf"


@dataclass(frozen=True)
class Vendored:
    """A font file shipped in the repository: where it came from, its version and its hash."""

    source: str
    version: str
    sha256: str
    licence: str


# npm @expo-google-fonts/* repackage the Google Fonts builds unchanged (tarball SHA-256 in docs/pdf-profiles.md).
VENDORED: dict[str, Vendored] = {
    "NotoSansSC-Regular.ttf": Vendored(
        "npm @expo-google-fonts/noto-sans-sc@0.4.3 (400Regular)", "2.004",
        "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16", "OFL-NotoSansSC.txt"),
    "NotoSansSC-Bold.ttf": Vendored(
        "npm @expo-google-fonts/noto-sans-sc@0.4.3 (700Bold)", "2.004",
        "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96", "OFL-NotoSansSC.txt"),
    NAMES_FONT.name: Vendored(
        "subset of NotoSansSC-Regular.ttf (python -m ui.fonts, fontTools 4.69.1)", "2.004",
        "55b7be64c52b630a037a984e3f0062adab7bf75e88601c1052548d8c3997cd08", "OFL-NotoSansSC.txt"),
}

# A script's vendored family: its files are ``<stem>-Regular.ttf`` and ``<stem>-Bold.ttf`` (no italic).
BY_SCRIPT: dict[str, str] = {"hans": "NotoSansSC"}

__all__ = ["BY_SCRIPT", "NAMES_FONT", "VENDORED", "VENDORED_DIR", "Vendored"]
