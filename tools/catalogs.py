"""The translation catalogs: extract, update, compile (`make catalogs`).

Two domains, read by shopkeep.i18n as one: `shopkeep_tui` holds the sentences of the screens
(shopkeep/tui/), `shopkeep` everything else in shopkeep/ (commands, core). Each has a template
(`shopkeep/locale/<domain>.pot`, a build product) and a catalog per language
(`shopkeep/locale/<lang>/LC_MESSAGES/<domain>.po`, edited by translators, committed). The compiled
`.mo` files are build products too: the wheel's build hook (hatch_build.py) compiles them.

    python tools/catalogs.py            # extract both templates, update every .po, compile every .mo
    python tools/catalogs.py extract    # only the templates
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "shopkeep"
LOCALE_DIR = PACKAGE / "locale"
LANGUAGES = ("ru", "pl")  # every language but the source (English)
# The marking functions of shopkeep.i18n, and where their message (and plural, and context) is.
KEYWORDS: dict[str, tuple | None] = {
    "_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
}
# domain -> (folder it is extracted from, relative to shopkeep/; sub-folders it leaves to another domain)
DOMAINS: dict[str, tuple[str, tuple[str, ...]]] = {
    "shopkeep_tui": ("tui", ()),
    "shopkeep": (".", ("tui",)),
}


def _ignored(path: str, skip: tuple[str, ...]) -> bool:
    return any(path == folder or path.startswith(folder + "/") for folder in skip)


def extract(domain: str) -> Catalog:
    """Every message marked in the domain's source, with where it is used."""
    folder, skip = DOMAINS[domain]
    catalog = Catalog(project="shopkeep", domain=domain, charset="utf-8")
    source = (PACKAGE / folder).resolve()
    for filename, lineno, message, comments, context in extract_from_dir(
        source,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        if _ignored(filename.replace("\\", "/"), skip):
            continue
        where = (Path("shopkeep") / folder / filename).as_posix().replace("/./", "/")
        catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read(language: str, domain: str) -> Catalog | None:
    path = po_path(language, domain)
    if not path.exists():
        return None
    with path.open("rb") as fp:
        return read_po(fp, locale=language, domain=domain)


def update(template: Catalog, language: str, domain: str) -> Catalog:
    """The language's catalog brought up to the template: new messages added empty, gone ones dropped.
    No fuzzy guesses: a changed sentence is translated again by a person, not matched by a machine."""
    catalog = read(language, domain) or Catalog(locale=language, domain=domain, project="shopkeep", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # the header: shopkeep's catalogs are translated by people, not drafted
    catalog.language_team = {"ru": "Russian", "pl": "Polish"}.get(language, language)
    catalog.last_translator = "shopkeep translators"
    return catalog


def write(catalog: Catalog, path: Path, *, mo: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fp:
        if mo:
            write_mo(fp, catalog)
        else:
            # No line numbers: a line moved in the source does not rewrite the catalogs (nor conflict in a merge).
            write_po(fp, catalog, width=120, sort_output=False, include_previous=False, include_lineno=False)


def compiled(language: str, domain: str) -> Iterator[tuple[Path, Catalog]]:
    """(where the .mo goes, the catalog) for a .po that exists."""
    catalog = read(language, domain)
    if catalog is not None:
        yield po_path(language, domain).with_suffix(".mo"), catalog


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    for domain in DOMAINS:
        template = extract(domain)
        write(template, LOCALE_DIR / f"{domain}.pot")
        print(f"{domain}.pot: {len(template)} messages")
        if what == "extract":
            continue
        for language in LANGUAGES:
            if not len(template) and read(language, domain) is None:
                continue  # nothing marked in this domain yet: no empty catalog to commit
            catalog = update(template, language, domain)
            write(catalog, po_path(language, domain))
            missing = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy or not all(m.string)))
            for path, built in compiled(language, domain):
                write(built, path, mo=True)
            print(f"  {language}/{domain}.po: {len(catalog)} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
