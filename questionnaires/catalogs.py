"""The UI strings' translation catalogs: one gettext PO file per language, which Poedit and Weblate open.

The English source is ``i18n/en.yaml`` (key: text, what developers edit). Every other language is
``i18n/<lang>.po``: each entry's ``msgctxt`` is the stable key, its ``msgid`` the English text it translates
(``msgid_plural`` for a count), its ``msgstr`` the translation. ``i18n/messages.pot`` is the template
:func:`extract` writes from the English; :func:`update` carries every translation over, marked fuzzy when its
English changed (a translator confirms it), never silently kept. At run time a PO file is read once and kept
as a plain dict, cached on disk by the file's hash (:func:`compiled`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from questionnaires.languages import (
    CATEGORIES,
    REGISTRY,
    SOURCE,
    cached_json,
    plural_categories,
    plural_forms_header,
)
from questionnaires.yaml_io import safe_load

CATALOG_DIR = Path(__file__).resolve().parent / "i18n"
DOMAIN = "messages"  # the UI strings
CONTENT = "content"  # the questionnaire's texts (questionnaires/content_catalog.py)
DOMAINS = (DOMAIN, CONTENT)
FUZZY = "fuzzy"
_FORMAT = 2  # bump when the compiled cache's layout changes
Source = str | dict[str, str]  # a text, or a count's forms by CLDR category ("one", "other", ...)


def read_yaml(path: Path) -> dict[str, str]:
    """A YAML catalog (``key: text``) as strings; the English source, or a language still kept as YAML."""
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = safe_load(fh) or {}
    return {str(k): str(v) for k, v in data.items()}


def group(flat: Mapping[str, str], counts: Iterable[str] | None = None) -> dict[str, Source]:
    """Flat ``key.one`` / ``key.other`` entries folded into one entry per key with its forms by category.

    ``counts`` names the keys that take a count; by default those with both a ``one`` and an ``other`` form, as
    English writes every count (``json_hint.other`` alone is a plain key: the hint for any other error).
    """
    bases = set(counts) if counts is not None else {
        k.rsplit(".", 1)[0] for k in flat if k.endswith(".other") and f"{k[:-6]}.one" in flat}
    out: dict[str, Source] = {}
    for key, text in flat.items():
        base, _, cat = key.rpartition(".")
        if base in bases and cat in CATEGORIES:
            forms = out.setdefault(base, {})
            assert isinstance(forms, dict)
            forms[cat] = text
        else:
            out[key] = text
    return out


def source(directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> dict[str, Source]:
    """The source of a domain: every key with its English text (or its forms); for ``content``, every path of
    the current questionnaire with its English (the French for the resolution's clause texts)."""
    if domain == CONTENT:
        from questionnaires import default_questionnaire
        from questionnaires.content_catalog import content_entries

        return {path: texts[0] for path, texts in content_entries(default_questionnaire()).items()}
    return group(read_yaml(directory / f"{SOURCE}.yaml"))


def _msgid(text: Source) -> str | tuple[str, str]:
    """What a PO entry's msgid is: the English text, or its singular and plural forms."""
    if isinstance(text, dict):
        return (text.get("one", text["other"]), text["other"])
    return text


def po_path(lang: str, directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> Path:
    """``<lang>.po`` for the UI strings, ``content-<lang>.po`` for the questionnaire's texts."""
    return directory / (f"{lang}.po" if domain == DOMAIN else f"{domain}-{lang}.po")


def _new_catalog(lang: str | None, domain: str = DOMAIN) -> Any:
    from babel.messages.catalog import Catalog  # imported when catalogs are written, not at app start

    what = "the UI strings" if domain == DOMAIN else "the questionnaire's texts"
    cat = Catalog(locale=REGISTRY[lang].locale if lang else None, domain=domain, project="IoT Readiness",
                  version="1", fuzzy=False, charset="utf-8",
                  header_comment=(f"# {REGISTRY[lang].name if lang else 'Template'}: {what} of IoT Readiness.\n"
                                  "# msgctxt is the stable key; msgid the English source (French for the\n"
                                  "# resolution's clause texts). See docs/languages.md."))
    if lang:
        cat.mime_headers = [("Plural-Forms", plural_forms_header(lang))]
        cat.language_team = f"{REGISTRY[lang].name} <{lang}@iotready.invalid>"
    return cat


def _read(path: Path) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh)


def _write(cat: Any, path: Path) -> bool:
    """Write ``cat`` to ``path`` unless only its dates would change; True when the file changed."""
    from babel.messages.pofile import write_po

    old = path.read_bytes() if path.exists() else b""
    if old:
        previous = _read(path)
        cat.creation_date, cat.revision_date = previous.creation_date, previous.revision_date
    buf = io.BytesIO()
    write_po(buf, cat, width=0, include_previous=True, ignore_obsolete=False)
    if buf.getvalue() == old:
        return False
    path.write_bytes(buf.getvalue())
    return True


def extract(directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> Path:
    """Write the template ``<domain>.pot`` from the source; its path."""
    cat = _new_catalog(None, domain)
    for key, text in source(directory, domain).items():
        cat.add(_msgid(text), context=key)
    path = directory / f"{domain}.pot"
    _write(cat, path)
    return path


def _messages(cat: Any) -> dict[str, Any]:
    return {m.context: m for m in cat if m.id and m.context}


def update(lang: str, directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> bool:
    """Bring ``<lang>.po`` to the English source; a translation whose English changed is kept but fuzzy.

    Keys gone from the source are kept as obsolete entries (``#~``), so a translation comes back with its key.
    """
    path = po_path(lang, directory, domain)
    before = _read(path) if path.exists() else None
    old = _messages(before) if before is not None else {}
    gone = {m.context: m for m in before.obsolete.values() if m.context} if before is not None else {}
    cat = _new_catalog(lang, domain)
    n = len(plural_categories(lang))
    src = source(directory, domain)
    for key, text in src.items():
        msgid = _msgid(text)
        was = old.get(key) or gone.get(key)
        string: Any = ("",) * n if isinstance(msgid, tuple) else ""
        flags: set[str] = set()
        previous: Any = ()
        if was is not None and _filled(was.string):
            string = _reshape(was.string, msgid, n)
            if was.id != msgid or FUZZY in was.flags or key not in old:
                flags.add(FUZZY)
                previous = was.previous_id if FUZZY in was.flags and was.previous_id else was.id
        cat.add(msgid, string, context=key, flags=flags, previous_id=previous)
    for key, was in {**gone, **old}.items():
        if key not in src:
            cat.obsolete[(was.id, key)] = was
    return _write(cat, path)


def _filled(string: Any) -> bool:
    return any(string) if isinstance(string, tuple | list) else bool(string)


def _reshape(string: Any, msgid: Any, n: int) -> Any:
    """A kept translation in the shape the new source asks for (a text became a count, or the reverse)."""
    if isinstance(msgid, tuple):
        forms = tuple(string) if isinstance(string, tuple | list) else (string,) * n
        return (forms + ("",) * n)[:n]
    return string if isinstance(string, str) else next((s for s in string if s), "")


def import_yaml(lang: str, yaml_path: Path, directory: Path = CATALOG_DIR,
                base: Path | None = None) -> tuple[int, list[str]]:
    """Take ``lang``'s translations from a YAML catalog (``key: text``, ``key.one``/``key.other``) into its PO.

    Re-runnable: each key the YAML gives replaces the PO's translation, confirmed (not fuzzy) since the YAML
    was written against the same English. A count's CLDR form the YAML lacks (French "many", for a million)
    takes its "other" form. With ``base`` (the same YAML as it was before a branch changed it), only the keys
    the branch added or changed are taken, so merging a branch's YAML never reverts a translation made since.
    Returns the number of entries taken and the YAML keys the source does not have.
    """
    update(lang, directory)
    flat = read_yaml(yaml_path)
    if base is not None:
        before = read_yaml(base)
        flat = {k: v for k, v in flat.items() if before.get(k) != v}
    given = group(flat, counts=[k for k, v in source(directory).items() if isinstance(v, dict)])
    path = po_path(lang, directory)
    cat = _read(path)
    cat.mime_headers = [("Plural-Forms", plural_forms_header(lang))]
    cats = plural_categories(lang)
    entries = _messages(cat)
    taken = 0
    for key, text in given.items():
        msg = entries.get(key)
        if msg is None:
            continue
        if isinstance(msg.id, tuple | list):
            forms = text if isinstance(text, dict) else {"other": text}
            kept = tuple(msg.string) if isinstance(msg.string, tuple | list) else ()
            kept = kept if len(kept) == len(cats) and FUZZY not in msg.flags else ("",) * len(cats)
            # A form the YAML gives wins; a category YAML catalogs do not write (French "many") follows "other";
            # a form left out because it did not change (``base``) keeps its translation.
            msg.string = tuple(forms.get(c) or (forms.get("other") if c not in ("one", "other") else None)
                               or kept[i] or forms.get("other", "") for i, c in enumerate(cats))
        else:
            msg.string = text if isinstance(text, str) else text.get("other", "")
        msg.flags.discard(FUZZY)
        msg.previous_id = ()
        taken += 1
    _write(cat, path)
    return taken, sorted(set(given) - set(entries))


@dataclass
class Status:
    """How complete one language's catalog is against the English source."""

    lang: str
    total: int
    translated: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # fuzzy, or translated from an English text since changed

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not self.missing and not self.stale


def status(lang: str, directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> Status:
    """``lang``'s share translated and its missing and stale keys (the source language is complete, and so are
    the languages the questionnaire's YAML carries, for its content)."""
    src = source(directory, domain)
    result = Status(lang, len(src))
    if lang == SOURCE or (domain == CONTENT and lang in _yaml_content_languages()):
        result.translated = result.total
        return result
    path = po_path(lang, directory, domain)
    entries = _messages(_read(path)) if path.exists() else {}
    for key, text in src.items():
        msg = entries.get(key)
        if msg is None or not _complete(msg.string):
            result.missing.append(key)
        elif FUZZY in msg.flags or msg.id != _msgid(text):
            result.stale.append(key)
        else:
            result.translated += 1
    return result


def _complete(string: Any) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


def _flatten(cat: Any, lang: str) -> dict[str, str]:
    """A PO catalog as the runtime reads it: ``key`` -> text, a count's forms as ``key.<category>``.

    Fuzzy and empty entries are left out, so the reader sees English there rather than a stale text.
    """
    cats = plural_categories(lang)
    out: dict[str, str] = {}
    for msg in cat:
        if not msg.id or not msg.context or FUZZY in msg.flags:
            continue
        if isinstance(msg.string, tuple | list):
            out.update({f"{msg.context}.{c}": s for c, s in zip(cats, msg.string, strict=False) if s})
        elif msg.string:
            out[msg.context] = msg.string
    return out


def compiled(lang: str, directory: Path = CATALOG_DIR) -> dict[str, str]:
    """``<lang>.po`` as a dict, compiled once per file content and cached as JSON (a PO parse costs ~0.1 s).

    A cache that cannot be written (read-only home) only costs the parse at each start.
    """
    path = po_path(lang, directory)
    if not path.exists():
        return {}
    raw = path.read_bytes()
    digest = hashlib.sha256(raw + f"{_FORMAT}{lang}".encode()).hexdigest()[:24]

    def parse() -> dict[str, str]:
        from babel.messages.pofile import read_po

        return _flatten(read_po(io.BytesIO(raw)), lang)

    data: dict[str, str] = cached_json(f"{DOMAIN}-{lang}-{digest}.json", parse)
    return data


ContentEntry = tuple[str, str] | tuple[tuple[str, str], dict[str, str]]


def compiled_content(lang: str, directory: Path = CATALOG_DIR) -> dict[str, ContentEntry]:
    """``content-<lang>.po`` as path -> (source it translates, translation), read once per file content and
    cached as JSON like :func:`compiled`. Fuzzy, empty and obsolete entries are left out. A plural entry (a
    counted unit) is ((English singular, English plural), its forms by CLDR category), empty forms left out."""
    path = po_path(lang, directory, CONTENT)
    if not path.exists():
        return {}
    raw = path.read_bytes()
    digest = hashlib.sha256(raw + f"{_FORMAT}{lang}".encode()).hexdigest()[:24]
    cats = plural_categories(lang)

    def parse() -> dict[str, list[Any]]:
        from babel.messages.pofile import read_po

        out: dict[str, list[Any]] = {}
        for m in read_po(io.BytesIO(raw)):
            if not m.context or FUZZY in m.flags:
                continue
            if isinstance(m.id, str) and isinstance(m.string, str) and m.string:
                out[m.context] = [m.id, m.string]
            elif isinstance(m.id, tuple | list) and isinstance(m.string, tuple | list) and any(m.string):
                out[m.context] = [list(m.id), {c: s for c, s in zip(cats, m.string, strict=False) if s}]
        return out

    data: dict[str, list[Any]] = cached_json(f"{CONTENT}-{lang}-{digest}.json", parse)
    return {k: ((v[0][0], v[0][1]), v[1]) if isinstance(v[0], list) else (v[0], v[1]) for k, v in data.items()}


def _yaml_content_languages() -> tuple[str, ...]:
    from questionnaires.models import LANGUAGES

    return LANGUAGES


def languages_with_catalogs(directory: Path = CATALOG_DIR, domain: str = DOMAIN) -> Iterable[str]:
    """Registered languages that have a catalog: the source, and every PO file of the domain (for content, the
    languages the questionnaire's YAML carries too)."""
    carried = _yaml_content_languages() if domain == CONTENT else ()
    return [c for c in REGISTRY if c == SOURCE or c in carried or po_path(c, directory, domain).exists()]
