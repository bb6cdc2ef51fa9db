"""The language people read shopkeep in: English, Russian or Polish, from gettext catalogs.

Every sentence a person reads (screens, keys, help, messages, summaries, errors) goes through `_`
(or `ngettext` when it holds a count, so that Polish and Russian get their plural forms:
1 klient / 2 klientów / 5 klientów). Catalogs live in `shopkeep/locale/<lang>/LC_MESSAGES/`, managed
with Babel (`make catalogs`: extract, update, compile), in two domains read as one: `shopkeep_tui.po`
(the screens, shopkeep/tui/) and `shopkeep.po` (the commands and the core). English is the source.

Strings defined at import time (tables, labels) are marked with `N_` and translated where they are
shown, so that switching the language while the program runs changes them too.

The language is one process-wide choice (`set_language`), like the terminal's own locale: chosen once
at start (shop settings, else $LC_ALL/$LC_MESSAGES/$LANG, else English) and switched on request. Call
scripts keep their own language, chosen per call (`shopkeep.scripts`); this module does not touch them.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import os
import threading
from collections.abc import Mapping
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "pl": "Polski"}
SOURCE_LANGUAGE = "en"
# Looked up in this order: a screen's sentence first, then the commands' and core's.
DOMAINS = ("shopkeep_tui", "shopkeep")
LOCALE_DIR = Path(__file__).parent / "locale"

_lock = threading.Lock()
_current = SOURCE_LANGUAGE
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def _load(language: str) -> _gettext.NullTranslations:
    """The catalogs of `language`, one domain falling back to the next, and nothing (English) for the
    source language."""
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    first: _gettext.NullTranslations | None = None
    for domain in DOMAINS:
        catalog = _load_domain(language, domain)
        if first is None:
            first = catalog
        else:
            first.add_fallback(catalog)
    return first or _gettext.NullTranslations()


def _load_domain(language: str, domain: str) -> _gettext.NullTranslations:
    """One compiled catalog; compiled from its .po when the .mo is not built or is older (a source
    checkout: a pull or a rebase touches the .po). The compiled catalog is then kept as the .mo, when the
    folder can be written, so that only the first start after a change pays for compiling (~0.3 s)."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo = folder / f"{domain}.mo"
    po = folder / f"{domain}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return _gettext.GNUTranslations(fp)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fp:
            catalog = read_po(fp, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        _keep(mo, buffer.getvalue())
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


def _keep(mo: Path, data: bytes) -> None:
    """Write a compiled catalog beside its .po (complete or not at all); nothing when it cannot be written."""
    spare = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        spare.write_bytes(data)
        os.replace(spare, mo)
    except OSError:
        spare.unlink(missing_ok=True)


def set_language(language: str | None) -> str:
    """Show everything in `language` ('en', 'ru', 'pl'; a locale such as 'pl_PL.UTF-8' is reduced to
    its language; anything else is English). Returns the language now in use."""
    global _current, _translations
    code = normalize(language) or SOURCE_LANGUAGE
    with _lock:
        if code != _current:
            _translations = _load(code)
            _current = code
    return _current


def language() -> str:
    """The language in use ('en', 'ru' or 'pl')."""
    return _current


def normalize(value: str | None) -> str | None:
    """'pl_PL.UTF-8' -> 'pl'; None for a language shopkeep does not speak (or C/POSIX)."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for, the way gettext reads it: $LANGUAGE's first known entry,
    then $LC_ALL, $LC_MESSAGES, $LANG (the first one set wins, even if shopkeep does not speak it)."""
    env = os.environ if environ is None else environ
    for entry in (env.get("LANGUAGE") or "").split(":"):
        if normalize(entry):
            return normalize(entry)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return normalize(env[name])
    return None


def _(message: str) -> str:
    """`message` in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence holding the count `n` that the language uses for it ("{n} customers")."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`, for short words that mean different things in different places."""
    return _translations.pgettext(context, message)


def babel_locale() -> str:
    """The Babel locale that numbers, money and dates are laid out in for the language in use."""
    return _current


def format_date(day: dt.date) -> str:
    """A day as the language writes it in short: 2026-12-05 (English: ISO, unambiguous), 05.12.2026
    (Russian), 5.12.2026 (Polish). Files (CSV, JSON) keep ISO dates: do not use this for them."""
    if _current == SOURCE_LANGUAGE:
        return day.isoformat()
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, "short", locale=babel_locale())


def format_number(value: float, *, digits: int = 0) -> str:
    """A count or figure for people: 1,299 (English), 1 299 (Russian, Polish); `digits` decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=babel_locale())


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it now (translate it with `_` where shown)."""
    return message
