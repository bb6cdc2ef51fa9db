"""The `shopkeep` command. Thin: each command parses options and calls the core."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

import click
import typer
import typer.main
from typer.core import TyperGroup

from shopkeep.cli.common import DbOption, handled, open_store
from shopkeep.paths import resource_path


class _LazyCommands(TyperGroup):
    """The commands' modules (and the core they import: pydantic, phonenumbers, rapidfuzz, retention)
    load on first use of a command or of --help: `shopkeep` alone opens the app without them."""

    _complete = False

    def _load(self) -> None:
        if not self._complete:
            _register()
            self.commands = typer.main.get_group(app).commands
            self._complete = True

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


app = typer.Typer(
    cls=_LazyCommands,
    name="shopkeep",
    help="Keep the customers your shop already won.",
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,  # never print locals (customer data) in a traceback
    rich_markup_mode=None,
)
export_app = typer.Typer(help="Export customers, segments or calls.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context, db: DbOption = None) -> None:
    """Without a command, open the app on your database."""
    if ctx.invoked_subcommand is None:
        _open_app(db)


@handled
def _open_app(db: Path | None) -> None:
    from shopkeep.tui import run_app

    store = open_store(db)
    path = store.path
    store.close()
    run_app(path)


@app.command()
@handled
def demo() -> None:
    """Open the app on a fresh temporary copy of the demo shop (the shipped file is never changed)."""
    from shopkeep.demo import copy_demo
    from shopkeep.tui import run_app

    with tempfile.TemporaryDirectory(prefix="shopkeep-demo-") as folder:  # the copy goes when the app closes
        target = copy_demo(resource_path("demo.db"), Path(folder) / "demo.db")
        run_app(target, demo=True)


def _register() -> None:
    """Commands that live in their own modules."""
    for module in (
        "admin_cmd",
        "points_cmd",
        "referrals_cmd",
        "calls_cmd",
        "import_cmd",
        "export_cmd",
        "report_cmd",
        "find_cmd",
        "privacy_cmd",
    ):
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
            f"error: internal error ({type(exc).__name__}); nothing more was written. "
            "Run with SHOPKEEP_DEBUG=1 to see the details.\n"
        )
        sys.exit(70)
