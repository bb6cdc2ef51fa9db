"""Every sentence marked in the source is translated, in Russian and Polish, in both catalog domains
(the screens' shopkeep_tui and the commands' and core's shopkeep): a new `_("...")` without its
translations fails here, as do a fuzzy or empty translation and one whose {placeholders} differ."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402  (tools/catalogs.py: the extraction `make catalogs` runs)

PLURAL_FORMS = {"ru": 3, "pl": 3}
_templates: dict[str, object] = {}


def template(domain: str):
    if domain not in _templates:
        _templates[domain] = catalogs.extract(domain)
    return _templates[domain]


def placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:  # an unbalanced brace
        return {f"<broken: {exc}>"}


def key(message) -> tuple:
    return (message.id, message.context)


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
@pytest.mark.parametrize("domain", list(catalogs.DOMAINS))
def test_catalog_translates_every_message(domain, language):
    source = template(domain)
    wanted = [m for m in source if m.id]
    if not wanted:
        return  # nothing marked in this domain yet
    catalog = catalogs.read(language, domain)
    assert catalog is not None, f"{catalogs.po_path(language, domain)} is missing: run `make catalogs`, translate it"
    problems = []
    for message in wanted:
        found = catalog.get(message.id, context=message.context)
        where = f"{message.locations[0][0]}:{message.locations[0][1]}" if message.locations else "?"
        name = message.id[0] if isinstance(message.id, tuple) else message.id
        if found is None:
            problems.append(f"missing: {name!r} ({where})")
            continue
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        if found.fuzzy or not all(forms):
            problems.append(f"{'fuzzy' if found.fuzzy else 'empty'}: {name!r} ({where})")
            continue
        if isinstance(message.id, tuple):
            if len(forms) != PLURAL_FORMS[language]:
                problems.append(f"{len(forms)} plural forms, not {PLURAL_FORMS[language]}: {name!r}")
            wanted_names = placeholders(message.id[0]) | placeholders(message.id[1])
            used = set().union(*(placeholders(form) for form in forms))
            # every form may drop the count (Polish 'jeden'), none may bring a name the source does not give
            if not used <= wanted_names or not (wanted_names - {"n", "count"}) <= used:
                problems.append(f"placeholders {sorted(used)} != {sorted(wanted_names)}: {name!r}")
        elif placeholders(forms[0]) != placeholders(message.id):
            problems.append(
                f"placeholders {sorted(placeholders(forms[0]))} != {sorted(placeholders(message.id))}: {name!r}"
            )
    assert not problems, f"{language}/{domain}.po: {len(problems)} problems:\n" + "\n".join(problems[:40])


def test_the_commands_and_core_have_their_messages_marked():
    """Not vacuous: the command and core domain holds the commands' help and messages."""
    ids = {m.id for m in template("shopkeep") if m.id}
    assert len(ids) > 300
    assert "Keep the customers your shop already won." in ids


def test_no_formatted_string_is_marked():
    """`_(f"...")` would look up the finished sentence, which no catalog holds: `.format` after `_`."""
    marked_f = re.compile(r"\b(?:_|N_|ngettext|pgettext)\(\s*f[\"']")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "shopkeep").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marked_f.search(line)
    ]
    assert not offenders
