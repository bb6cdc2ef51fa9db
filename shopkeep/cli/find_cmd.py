"""`shopkeep find`: the app's instant customer lookup, on the command line."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated

import typer

from shopkeep import lookup
from shopkeep.cli import app
from shopkeep.cli.common import DbOption, handled, open_store
from shopkeep.customer_ref import reference
from shopkeep.exporting import csv_cell
from shopkeep.i18n import N_, _
from shopkeep.lookup import Match

COLUMNS = ("customer", "name", "email", "phone", "matched_on", "score")  # the csv's header
# The table's header, in the language in use.
TITLES = (N_("customer"), N_("name"), N_("email"), N_("phone"), N_("matched_on"), N_("score"))
MAX_WIDTH = 40  # table cells longer than this are cut with "…"


class Format(StrEnum):
    table = "table"
    csv = "csv"


def _cell(value: object) -> str:
    """Plain, one-line, printable text: customer data can carry newlines or terminal escape codes."""
    text = "-" if value is None or value == "" else str(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def _fields(match: Match) -> tuple:
    """Every column: the customer's reference (their platform id, else #N), then what was found."""
    ref = reference(match.customer_id, match.external_id)
    return (ref, match.name, match.email, match.phone, match.matched_on, f"{match.score:.1f}")


def _table(matches: list[Match]) -> list[str]:
    rows = [tuple(_(title) for title in TITLES), *(tuple(_cell(v) for v in _fields(m)) for m in matches)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _csv(matches: list[Match]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for match in matches:
        writer.writerow([csv_cell(value) for value in _fields(match)])
    return buffer.getvalue().rstrip("\n")


@app.command(help=N_("Find customers by name, email, phone or id, best match first."))
@handled
def find(
    query: Annotated[str, typer.Argument(help=N_("Any part of a name, email, phone or customer id; typos are fine."))],
    limit: Annotated[int, typer.Option("--limit", min=1, help=N_("Show at most this many."))] = 20,
    fmt: Annotated[Format, typer.Option("--format", help=N_("table or csv."))] = Format.table,
    db: DbOption = None,
) -> None:
    with open_store(db, create=False) as store:
        matches = lookup.find(store, query, limit=limit)
    if fmt is Format.csv:
        typer.echo(_csv(matches))
        if not matches:
            typer.echo(_("no customer matches"), err=True)
    elif matches:
        for line in _table(matches):
            typer.echo(line)
    else:
        typer.echo(_("no customer matches"))
