"""``iotready i18n``: the translators' catalogs (gettext PO, one per language) kept in step with the English.

``extract`` writes the template, ``update`` brings each language's PO to the English (a changed source marks its
translation fuzzy), ``status`` says how complete each language is and fails when an offered one is not,
``import-yaml`` takes a language's translations from a ``key: text`` YAML catalog (the format before PO).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from formatting.numbers import fmt_share
from iotready.common import UsageProblem, _count, err, out
from iotready.echo import shown
from iotready.lang import LangOpt, use_lang
from questionnaires import catalogs
from questionnaires.languages import REGISTRY, SOURCE
from questionnaires.messages import separator, t
from questionnaires.models import LANGUAGES

i18n_app = typer.Typer(help="Translation catalogs (gettext PO): extract, update, status, import-yaml.",
                       no_args_is_help=True)
DirOpt = Annotated[Path, typer.Option("--dir", help="Catalog folder (default: the shipped questionnaires/i18n).")]
LanguagesArg = Annotated[list[str] | None, typer.Argument(
    help="Language codes (ar, es, fr, ru, zh); default: every language that has a PO file.", show_default=False)]


def _codes(codes: list[str] | None, directory: Path, ln: str) -> list[str]:
    wanted = codes or [c for c in catalogs.languages_with_catalogs(directory) if c != SOURCE]
    unknown = [c for c in wanted if c not in REGISTRY or c == SOURCE]
    if unknown:
        problems = [t("cli.i18n.unknown_language", ln, code=c) for c in unknown]
        raise UsageProblem(t("cli.i18n.bad_language", ln), problems)
    return wanted


@i18n_app.command("extract")
def extract_cmd(directory: DirOpt = catalogs.CATALOG_DIR, lang: LangOpt = None) -> None:
    """Write the templates: messages.pot (UI strings, from i18n/en.yaml) and content.pot (the questionnaire)."""
    ln = use_lang(lang)
    for domain in catalogs.DOMAINS:
        path = catalogs.extract(directory, domain)
        out.print(shown(t("cli.i18n.template_written", ln, path=path,
                          entries=_count("cli.i18n.n_entries", len(catalogs.source(directory, domain)), ln))))


@i18n_app.command("update")
def update_cmd(languages: LanguagesArg = None, directory: DirOpt = catalogs.CATALOG_DIR,
               lang: LangOpt = None) -> None:
    """Bring each language's PO file to the English source: new keys empty, changed ones fuzzy, gone ones obsolete."""
    ln = use_lang(lang)
    for code in _codes(languages, directory, ln):
        for domain in catalogs.DOMAINS:
            if domain == catalogs.CONTENT and code in LANGUAGES:
                continue  # English and French content is the questionnaire's YAML
            changed = catalogs.update(code, directory, domain)
            path = catalogs.po_path(code, directory, domain)
            key = "cli.i18n.updated" if changed else "cli.i18n.unchanged"
            out.print(shown(t(key, ln, language=REGISTRY[code].name, path=path,
                              stale=len(catalogs.status(code, directory, domain).stale))))


@i18n_app.command("status")
def status_cmd(directory: DirOpt = catalogs.CATALOG_DIR, lang: LangOpt = None) -> None:
    """Per language: the share translated and each missing or stale entry; exit 1 when an offered one has any."""
    ln = use_lang(lang)
    failing = []
    for domain in catalogs.DOMAINS:
        out.print(shown(t(f"cli.i18n.domain_{domain}", ln)))
        for code in catalogs.languages_with_catalogs(directory, domain):
            s, lg = catalogs.status(code, directory, domain), REGISTRY[code]
            offered = t("cli.i18n.shipped" if lg.shipped else "cli.i18n.not_offered", ln)
            out.print(shown(t("cli.i18n.status_line", ln, language=lg.name, code=code, offered=offered,
                              share=fmt_share(s.share, ln), missing=len(s.missing), stale=len(s.stale))))
            for label, keys in (("cli.i18n.missing_key", s.missing), ("cli.i18n.stale_key", s.stale)):
                for key in keys:
                    out.print(shown(f"  {t(label, ln)}{separator(':', ln)}{key}"))
            if lg.shipped and not s.complete and lg.name not in failing:
                failing.append(lg.name)
    if failing:
        err.print(shown(t("cli.i18n.incomplete", ln, languages=", ".join(failing))))
        sys.exit(1)


@i18n_app.command("import-yaml")
def import_yaml_cmd(
    language: Annotated[str, typer.Argument(help="The language the YAML is in (fr, ar, es, ru, zh).")],
    path: Annotated[Path, typer.Argument(help="A YAML catalog: `key: text`, a count as `key.one` / `key.other`.")],
    base: Annotated[Path | None, typer.Option(
        "--base", help="The same YAML before the branch changed it: take only the keys it added or changed.")] = None,
    directory: DirOpt = catalogs.CATALOG_DIR,
    lang: LangOpt = None,
) -> None:
    """Take a language's translations from a YAML catalog into its PO file (re-runnable; the YAML's text wins)."""
    ln = use_lang(lang)
    code = _codes([language], directory, ln)[0]
    taken, unknown = catalogs.import_yaml(code, path, directory, base)
    out.print(shown(t("cli.i18n.imported", ln, language=REGISTRY[code].name, path=path,
                      po=catalogs.po_path(code, directory), entries=_count("cli.i18n.n_entries", taken, ln))))
    if unknown:
        err.print(shown(t("cli.i18n.unknown_keys", ln)))
        for key in unknown:
            err.print(shown(f"  {key}"))
