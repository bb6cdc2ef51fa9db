"""`shopkeep backup` and `shopkeep doctor`."""

from __future__ import annotations

from typing import Annotated

import typer

from shopkeep import maintenance
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, as_of_for, db_path, handled, open_store
from shopkeep.i18n import N_, _, format_number
from shopkeep.outputs import shown

# What doctor counts (the tables), as people read them.
COUNTED = {
    "customers": N_("customers"),
    "orders": N_("orders"),
    "order_lines": N_("order lines"),
    "imports": N_("imports"),
    "calls": N_("calls"),
    "notes": N_("notes"),
    "loyalty_ledger": N_("points entries"),
    "referrals": N_("referrals"),
}


@app.command(help=N_("Write a consistent copy of the database, safe while the app is open."))
@handled
def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            help=N_(
                "Where to write the copy: a file name, or a folder (an existing one, or any path ending in /,"
                " created if missing) to hold a timestamped copy. Default: the backups folder beside the database."
            ),
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    with open_store(db, create=False) as store:
        target = maintenance.backup(store, path)
    typer.echo(_("wrote a backup to {path}").format(path=shown(target)))


@app.command(help=N_("Check the database: integrity, schema version, its tables (rows, indexes), where it lives."))
@handled
def doctor(db: DbOption = None) -> None:
    path = db_path(db)
    with open_store(db, create=False, heal=False) as store:  # the doctor heals, and reports it below
        report = maintenance.doctor(store, lambda: as_of_for(store, None))
    integrity = _("ok") if report.integrity == ["ok"] else "; ".join(report.integrity[:5])
    rows = [
        (_("database:"), str(path)),
        (_("size:"), _("{kib} KiB").format(kib=format_number(report.size_bytes / 1024))),
        (
            _("schema:"),
            _("version {version} (this shopkeep knows {latest})").format(
                version=report.schema_version, latest=report.latest_version
            ),
        ),
        (_("integrity:"), integrity),
        (_("upkeep:"), report.upkeep),
    ]
    width = max(len(label) for label, _value in rows) + 1
    for label, value in rows:
        typer.echo(f"{label:<{width}}{value}")
    if report.tables:
        typer.echo(_("tables (rows, named indexes), as sqlite-utils reads them:"))
        for table in report.tables:
            typer.echo(f"  {table.name:<22} {format_number(table.rows):>9}  {', '.join(table.indexes) or '-'}")
    else:  # a damaged file: what could still be counted
        labels = {name: _(COUNTED[name]) if name in COUNTED else name for name in report.counts}
        first = max([15, *(len(label) for label in labels.values())])
        for name, count in report.counts.items():
            typer.echo(f"  {labels[name]:<{first}} {format_number(count):>9}")
    for warning in report.warnings:
        typer.echo(_("warning: {warning}").format(warning=warning))
    if not report.ok:
        raise typer.Exit(1)
