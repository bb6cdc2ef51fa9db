"""`shopkeep backup` and `shopkeep doctor`."""

from __future__ import annotations

from typing import Annotated

import typer

from shopkeep import maintenance
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, as_of_for, db_path, handled, open_store
from shopkeep.outputs import shown


@app.command()
@handled
def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            help="Where to write the copy: a file name, or a folder (an existing one, or any path ending in /,"
            " created if missing) to hold a timestamped copy. Default: the backups folder beside the database.",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the database, safe while the app is open."""
    with open_store(db, create=False) as store:
        target = maintenance.backup(store, path)
    typer.echo(f"wrote a backup to {shown(target)}")


@app.command()
@handled
def doctor(db: DbOption = None) -> None:
    """Check the database: integrity, schema version, counts, where it lives."""
    path = db_path(db)
    with open_store(db, create=False, heal=False) as store:  # the doctor heals, and reports it below
        report = maintenance.doctor(store, lambda: as_of_for(store, None))
    typer.echo(f"database:  {path}")
    typer.echo(f"size:      {report.size_bytes / 1024:.0f} KiB")
    typer.echo(f"schema:    version {report.schema_version} (this shopkeep knows {report.latest_version})")
    typer.echo(f"integrity: {'ok' if report.integrity == ['ok'] else '; '.join(report.integrity[:5])}")
    typer.echo(f"upkeep:    {report.upkeep}")
    for name, count in report.counts.items():
        typer.echo(f"  {name:<15} {count:>9,}")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}")
    if not report.ok:
        raise typer.Exit(1)
