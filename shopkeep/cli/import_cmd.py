"""`shopkeep import FILE...`: a thin wrapper around shopkeep.importing.load.import_file."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from shopkeep.cli import app
from shopkeep.cli.common import IMPORT_PATIENCE_SECONDS, DbOption, as_of_for, db_path, handled, help_with, open_store
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import N_, _, format_number
from shopkeep.importing.load import import_file
from shopkeep.importing.model import CANONICAL_FIELDS
from shopkeep.importing.parse import ImportOptions
from shopkeep.importing.presets import FORMATS
from shopkeep.importing.report import check_file, error_lines, follow_up, summary
from shopkeep.importing.values import resolve_date_format
from shopkeep.outputs import check_target
from shopkeep.paths import is_database_file, remove_new_database
from shopkeep.store import Store
from shopkeep.upkeep import after_import


@app.command("import", help=N_("Import order exports. Again and again: nothing is added twice."))
@handled
def import_command(
    files: Annotated[
        list[Path], typer.Argument(help=N_("Order export files (CSV)."), metavar="FILE...", show_default=False)
    ],
    db: DbOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help=help_with(N_("File layout: {layouts}."), layouts=", ".join(FORMATS)), metavar="LAYOUT"
        ),
    ] = "auto",
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help=N_("Read FIELD from the column HEADER; FIELD= reads it from no column (repeatable)."),
            show_default=False,
            metavar="FIELD=HEADER",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format",
            help=N_("How dates are written: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD."),
            show_default=False,
            metavar="FORMAT",
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help=N_("Currency when the file has none (e.g. EUR)."), show_default=False, metavar="CODE"
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help=N_("Country of phones written without +code (e.g. PL)."),
            show_default=False,
            metavar="CODE",
        ),
    ] = None,
    minor_units: Annotated[
        bool, typer.Option("--minor-units", help=N_("Amounts are whole cents (1199 = 11.99), not 11.99."))
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help=N_(
                "Text encoding of a file that is not UTF-8 (e.g. cp1252, cp1251, cp1250); detected when not given."
            ),
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Show what would be imported; write nothing."))] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help=N_("Import the good rows; write the bad ones to --rejects."))
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help=N_("Where --skip-bad writes the rows left out."), show_default=False),
    ] = None,
) -> None:
    if fmt not in FORMATS:
        raise ShopkeepError(
            _("unknown --format {fmt!r}; choose one of {names}").format(fmt=fmt, names=", ".join(FORMATS))
        )
    if skip_bad != (rejects is not None):
        raise ShopkeepError(_("--skip-bad and --rejects FILE go together"))
    _check_paths(files, rejects, db_path(db))  # before the database is opened: a failed run creates no database
    if date_format:
        resolve_date_format(date_format)
    options = ImportOptions(
        format=fmt,
        overrides=_overrides(mapping or []),
        date_format=date_format,
        currency=currency.upper() if currency else None,
        country=country.upper() if country else None,
        minor_units=minor_units,
        encoding=encoding,
    )
    # A second import waits for the one running (it holds the write lock for its whole file), and says so.
    new_database = not dry_run and not db_path(db).exists()
    store = (
        _dry_run_store(db)
        if dry_run
        else open_store(db, patience=IMPORT_PATIENCE_SECONDS, waiting_for=N_("the other import"), heal=True)
    )
    failed = imported = False
    try:
        for path in files:
            ok = _one_file(store, path, options, dry_run, rejects, several=len(files) > 1)
            failed |= not ok
            imported |= ok
        if imported and not dry_run:
            for line in after_import(store, as_of_for(store, None)).lines():
                typer.echo(line)
    finally:
        # A failed first import leaves no empty shop behind (unless another shopkeep put something in it).
        discard = new_database and not imported and store.path is not None and store.holds_nothing()
        store.close()
        if discard and store.path is not None:
            remove_new_database(store.path)
    if failed:
        raise typer.Exit(1)


def _check_paths(files: list[Path], rejects: Path | None, database: Path) -> None:
    for path in files:
        check_file(path)
    if rejects is not None:
        if is_database_file(rejects, database):
            raise ShopkeepError(
                _("--rejects {path} is the shop's database (or one of its files): choose another name").format(
                    path=rejects
                )
            )
        if not rejects.expanduser().parent.is_dir():
            raise ShopkeepError(
                _("the folder for the rejects file does not exist: {folder}").format(folder=rejects.expanduser().parent)
            )
        check_target(rejects)


def _dry_run_store(db: Path | None) -> Store:
    """A dry run reads the database if there is one and never creates it: with none, an empty one in memory."""
    path = db_path(db)
    return open_store(db, create=False) if path.exists() else Store.memory()


def _overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        field = field.strip()
        if not sep or not field:
            raise ShopkeepError(
                _("--map {text!r}: write it as FIELD=HEADER (or FIELD= for no column)").format(text=field or pair)
            )
        if field not in CANONICAL_FIELDS:
            raise ShopkeepError(
                _("--map: unknown field {field!r}; fields are {names}").format(
                    field=field, names=", ".join(CANONICAL_FIELDS)
                )
            )
        overrides[field] = header.strip()
    return overrides


def _one_file(store, path: Path, options, dry_run: bool, rejects: Path | None, *, several: bool) -> bool:
    """Import one file, print its summary or its errors; True when it went in (or would)."""
    if rejects is not None and several:
        rejects = rejects.with_name(f"{rejects.stem}.{path.stem}{rejects.suffix or '.csv'}")
    progress = _Progress(path.name) if sys.stderr.isatty() else None
    try:
        result = import_file(
            store,
            path,
            options,
            dry_run=dry_run,
            skip_bad=rejects is not None,
            rejects_path=rejects,
            progress=progress,
        )
    except ShopkeepError as exc:
        message = str(exc)
        typer.echo(
            _("error: {message}").format(message=message if path.name in message else f"{path.name}: {message}"),
            err=True,
        )
        return False
    finally:
        if progress is not None:
            progress.done()
    if not result.ok:
        for line in error_lines(result):
            typer.echo(line, err=True)
        return False
    typer.echo(summary(result))
    for line in follow_up(result):
        typer.echo(line)
    return True


class _Progress:
    """A one-line progress counter with rows per second, on a terminal only."""

    def __init__(self, name: str):
        self.name = name
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, rows: int) -> None:
        rate = rows / max(time.monotonic() - self.started, 1e-6)
        line = _("{file}: {rows} rows, {rate} rows/s").format(
            file=self.name, rows=format_number(rows), rate=format_number(rate)
        )
        typer.echo(f"\r{line}", err=True, nl=False)
        self.shown = True

    def done(self) -> None:
        if self.shown:
            typer.echo("", err=True)
