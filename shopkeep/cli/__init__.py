"""The `shopkeep` command. Thin: each command parses options and calls the core."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import get_args, get_origin

import click
import typer
import typer.main
from typer.core import TyperGroup

from shopkeep import i18n
from shopkeep.cli.common import HELP_VALUES, AsOfOption, DbOption, fail, handled, open_store
from shopkeep.i18n import N_, _
from shopkeep.paths import resource_path

# The modules each command lives in: running one imports only those (and the core it needs), not
# every command's (numpy, retention, phonenumbers ...). --help and an unknown name load them all;
# tests/cli/test_lazy_commands.py checks this table against what the modules register.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "backup": ("admin_cmd",),
    "doctor": ("admin_cmd",),
    "points": ("points_cmd",),
    "referrals": ("referrals_cmd",),
    "calls": ("calls_cmd",),
    "import": ("import_cmd",),
    "export": ("export_cmd", "calls_cmd"),  # `export calls` lives with the calls
    "report": ("report_cmd",),
    "find": ("find_cmd",),
    "forget": ("privacy_cmd",),
    "settings": ("settings_cmd",),
    "serve": ("serve_cmd",),
}


class _LazyCommands(TyperGroup):
    """The commands' modules (and the core they import: pydantic, phonenumbers, rapidfuzz, retention)
    load on first use of a command, that command's alone, or all of them for --help:
    `shopkeep` alone opens the app without them."""

    _complete = False

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra):
        # The language of everything said before a database is open (--help, a wrong option): the
        # environment's. A command that opens the shop's database switches to the shop's setting (open_store).
        i18n.set_language(i18n.language_from_environment())
        translate_help(self, recurse=self._complete)
        return super().make_context(info_name, args, parent, **extra)

    def _load(self) -> None:
        if not self._complete:
            _register()
            self.commands = typer.main.get_group(app).commands
            for command in self.commands.values():
                tidy_help(command)
            tidy_help(self, recurse=False)
            translate_help(self)
            self._complete = True

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        built: set[str] = self.__dict__.setdefault("_built", set())
        if not self._complete and cmd_name not in built:
            modules = COMMAND_MODULES.get(cmd_name)
            command = _build(cmd_name, modules) if modules is not None else None
            if command is None:
                self._load()
            else:  # built after its modules registered everything (a group may be here, still empty)
                tidy_help(command)
                translate_help(command)
                self.commands[cmd_name] = command  # type: ignore[assignment]  # Typer vendors its own click
                built.add(cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


def _build(name: str, modules: tuple[str, ...]) -> click.Command | None:
    """The command `name` alone, from its modules (None if they do not register it)."""
    for module in modules:
        importlib.import_module(f"shopkeep.cli.{module}")
    for info in app.registered_commands:
        if info.callback is not None and (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
            )
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands,
            )
    return None


app = typer.Typer(
    cls=_LazyCommands,
    name="shopkeep",
    help=N_("Keep the customers your shop already won."),
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,  # never print locals (customer data) in a traceback
    rich_markup_mode=None,
)
export_app = typer.Typer(help=N_("Export customers, segments or calls."), no_args_is_help=True)
app.add_typer(export_app, name="export")


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context, db: DbOption = None, as_of: AsOfOption = None) -> None:
    """Without a command, open the app on your database (as of --as-of DAY, like the commands)."""
    if ctx.invoked_subcommand is None:
        _open_app(db, as_of)
        return
    if as_of is not None:
        raise fail(
            _("put --as-of after the command: shopkeep {command} --as-of {day}").format(
                command=ctx.invoked_subcommand, day=as_of
            )
        )
    command = ctx.command.get_command(ctx, ctx.invoked_subcommand)  # type: ignore[attr-defined]
    if db is not None and command is not None and not _takes_db(command):
        raise fail(
            _("`shopkeep {command}` does not use a database file; leave out --db").format(
                command=ctx.invoked_subcommand
            )
        )


def _takes_db(command: click.Command) -> bool:
    """Whether --db means something to `command` (a group: to every command in it)."""
    if any(param.name == "db" for param in command.params):
        return True
    subcommands = getattr(command, "commands", None)  # a group
    return bool(subcommands) and all(_takes_db(sub) for sub in subcommands.values())


@handled
def _open_app(db: Path | None, as_of: str | None = None) -> None:
    from shopkeep.clock import parse_day
    from shopkeep.tui import run_app

    day = parse_day(as_of) if as_of is not None else None  # a bad day is refused before anything opens
    store = open_store(db)
    path = store.path
    store.close()
    run_app(path, as_of=day)


@app.command(help=N_("Open the app on a fresh temporary copy of the demo shop (the shipped file is never changed)."))
@handled
def demo() -> None:
    from shopkeep.demo import copy_demo
    from shopkeep.tui import run_app

    with removed_on_exit(Path(tempfile.mkdtemp(prefix="shopkeep-demo-"))) as folder:
        target = copy_demo(resource_path("demo.db"), folder / "demo.db")
        run_app(target, demo=True)


@contextmanager
def removed_on_exit(folder: Path) -> Iterator[Path]:
    """`folder`, removed when the block ends, also when the process is told to stop: a hang-up (the terminal
    closed) or a SIGTERM. Such a signal removes the folder at once (the app may not unwind cleanly once its
    terminal is gone), then ends the app through SystemExit, or the process after UNWIND_SECONDS if the app
    does not get there; a second signal ends the process immediately."""
    import asyncio  # only the demo needs it here (the app brings it anyway)

    def stop(signum: int, _frame: object) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signum, signal.SIG_DFL)
        try:  # the app's event loop: end it between two of its callbacks, not inside one
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(_exit, 128 + signum)
        # With its terminal gone the app may never finish unwinding (seen under load): it gets a few seconds,
        # then the process ends anyway. The copy is already removed; nothing else of the demo is kept.
        watchdog = threading.Timer(UNWIND_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    wanted = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield folder
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        shutil.rmtree(folder, ignore_errors=True)


UNWIND_SECONDS = 5.0


def _exit(code: int) -> None:
    raise SystemExit(code)


def translate_help(command: click.Command, *, recurse: bool = True) -> None:
    """The help of `command` (its text, its options' and arguments', and its commands') in the language in
    use. The help strings are written in English, marked with N_, and translated here when help is shown:
    the commands' modules are imported before the language is known (and once for every language a test
    switches to). The English source is kept on each object, so translating again starts from it."""
    for thing in (command, *command.params):
        for name in ("help", "short_help", "epilog"):
            if not hasattr(thing, name):
                continue
            sources = thing.__dict__.setdefault("_shopkeep_source_help", {})
            source = sources.setdefault(name, getattr(thing, name))
            if isinstance(source, str) and source:
                setattr(thing, name, _translated_help(source))
    if recurse:
        for sub in getattr(command, "commands", {}).values():
            translate_help(sub)


def _translated_help(text: str) -> str:
    for source, values in HELP_VALUES.items():  # a help with values in it: translate the source, then fill in
        if text == source.format(**values):
            return _(source).format(**values)
    return _(text)


def _click_speaks_our_language() -> None:
    """Click's and Typer's own words around our help and errors ("Usage:", "Options", "Error: ...") come
    from the same catalogs (shopkeep/cli/click_words.py marks the ones people see): they call the standard
    gettext, which reads no catalog of ours."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types
    import typer.core

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
        typer.core,
    ):
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    # Typer's own copy of click (typer._click, recent versions) writes two of them without gettext.
    try:
        from typer._click import core as vendored_core
        from typer._click import formatting as vendored_formatting
    except ImportError:
        return
    write_usage = vendored_formatting.HelpFormatter.write_usage
    get_help_option = vendored_core.Command.get_help_option

    def usage_in_our_language(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage:") + " " if prefix is None else prefix)

    def help_option_in_our_language(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    vendored_formatting.HelpFormatter.write_usage = usage_in_our_language  # type: ignore[method-assign]
    vendored_core.Command.get_help_option = help_option_in_our_language  # type: ignore[method-assign]

    from typer._click import exceptions as vendored_exceptions
    from typer._click.utils import echo

    from shopkeep.cli.click_words import error_line, try_help

    def usage_error_in_our_language(self, file=None) -> None:  # UsageError.show, in our words
        file = file or vendored_exceptions.get_text_stderr()
        hint = ""
        if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
            hint = try_help(self.ctx.command_path, self.ctx.help_option_names[0]) + "\n"
        if self.ctx is not None:
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=self.ctx.color)
        echo(error_line(self.format_message()), file=file, color=getattr(self.ctx, "color", None))

    def error_in_our_language(self, file=None) -> None:  # ClickException.show
        echo(
            error_line(self.format_message()), file=file or vendored_exceptions.get_text_stderr(), color=self.show_color
        )

    vendored_exceptions.UsageError.show = usage_error_in_our_language  # type: ignore[method-assign]
    vendored_exceptions.ClickException.show = error_in_our_language  # type: ignore[method-assign]


_click_speaks_our_language()


def tidy_help(command: click.Command, *, recurse: bool = True) -> None:
    """Plain placeholders in --help and usage lines (FILE, N, TEXT, CUSTOMER, a|b), never Typer's type names
    (`<list[Path]>`, `<int range>`). A command's own metavar is kept; this fills in the rest.
    Duck-typed: Typer brings its own copy of click in some versions."""
    for param in command.params:
        if param.param_type_name == "argument":
            _tidy_argument(param)
        elif param.param_type_name == "option" and not getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = _placeholder(param)
    if recurse:
        for sub in getattr(command, "commands", {}).values():
            tidy_help(sub)


def _placeholder(param: click.Parameter) -> str:
    """FILE, N, NUMBER, TEXT or the choices a|b, from the parameter's type (Typer's own description of it
    in recent versions, click's type in older ones)."""
    described = getattr(param, "type_descriptor", None)
    kind = getattr(param, "type", None)
    choices = getattr(described, "choices", None) or getattr(kind, "choices", None)
    if choices:
        return "|".join(str(getattr(choice, "value", choice)) for choice in choices)
    annotation = getattr(described, "annotation", None)
    while get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    name = getattr(kind, "name", "") if described is None else ""
    if name == "path" or (isinstance(annotation, type) and issubclass(annotation, PurePath)):
        return "FILE"
    if name.startswith("integer") or annotation is int:
        return "N"
    if name.startswith("float") or annotation is float:
        return "NUMBER"
    return "TEXT"


def _tidy_argument(param: click.Parameter) -> None:
    name = param.metavar or (param.name or "value").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    param.metavar = name
    own_record = param.get_help_record

    def help_record(ctx: click.Context) -> tuple[str, str] | None:
        record = own_record(ctx)
        return None if record is None else (name, record[1])

    param.get_help_record = help_record  # type: ignore[method-assign]
    param.get_usage_pieces = lambda ctx: [name if param.required else f"[{name}]"]  # type: ignore[method-assign]


def _register() -> None:
    """Commands that live in their own modules."""
    for module in dict.fromkeys(module for modules in COMMAND_MODULES.values() for module in modules):
        importlib.import_module(f"shopkeep.cli.{module}")


def main() -> None:
    os.umask(0o077)  # everything shopkeep writes (database, WAL, backups, exports) is owner-only
    try:
        app()
    except Exception as exc:
        # A traceback can carry customer data (names in locals, rows in messages): print only the type.
        if os.environ.get("SHOPKEEP_DEBUG"):
            raise
        sys.stderr.write(
            _(
                "error: internal error ({kind}); nothing more was written."
                " Run with SHOPKEEP_DEBUG=1 to see the details."
            ).format(kind=type(exc).__name__)
            + "\n"
        )
        sys.exit(70)
