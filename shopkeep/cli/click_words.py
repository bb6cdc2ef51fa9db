"""Click's and Typer's own words that a person reads around shopkeep's help and errors, marked for the
catalog (shopkeep.cli makes click and Typer look them up in shopkeep's catalogs). Written exactly as
click 8 and Typer write them: a word that changes upstream shows in English until it is marked again.
Typer's own copy of click writes its usage errors with f-strings: `translated_error` reads them back."""

from __future__ import annotations

import re

from shopkeep.i18n import N_, _, ngettext

WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("default: {default}"),
    N_("required"),
    N_("Aborted!"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("file"),
    N_("directory"),
    N_("path"),
)


def _plurals(n: int) -> tuple[str, ...]:
    """Click's sentences with a count (never called: marks them for the catalog)."""
    return (
        ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
        ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
    )


# What Typer's own copy of click writes with f-strings (no gettext): each message read back by its pattern and
# said again from the catalog. One not listed here stays in English, whole.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<options>.+)\))?"),
        N_("No such option: {name}"),
    ),
    (re.compile(r"Missing argument (?P<name>.+)\."), N_("Missing argument {name}.")),
    (re.compile(r"Missing option (?P<name>.+)\."), N_("Missing option {name}.")),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.+)\)"), N_("Unexpected extra arguments ({args})")),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<reason>.+)"), N_("Invalid value for {name}: {reason}")),
    (re.compile(r"Option (?P<name>\S+) requires an argument\."), N_("Option {name} requires a value.")),
)


def translated_error(message: str) -> str:
    """A usage error of Typer's click, in the language in use (the parts it names are kept as they are)."""
    for pattern, sentence in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is not None:
            parts = {key: value for key, value in found.groupdict().items() if key != "options"}
            text = _(sentence).format(**parts)
            if found.groupdict().get("options"):
                text += " " + _("(Possible options: {options})").format(options=found["options"])
            return text
    return message


def try_help(command: str, option: str) -> str:
    return _("Try '{command} {option}' for help.").format(command=command, option=option)


def error_line(message: str) -> str:
    return _("Error: {message}").format(message=translated_error(message))
