"""`shopkeep export customers` and `shopkeep export segments`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopkeep import money
from shopkeep.cli import export_app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store, report_written
from shopkeep.customer_export import CUSTOMER_COLUMNS, customer_rows
from shopkeep.errors import ShopkeepError
from shopkeep.exporting import FORMATS, write_rows
from shopkeep.i18n import N_, _, ngettext
from shopkeep.outputs import Written, check_target
from shopkeep.retention import SEGMENTS, cached_compute

SEGMENT_COLUMNS = ("name", "customers", "revenue", "share")

FormatOption = Annotated[str, typer.Option("--format", help=N_("csv or json."), metavar="csv|json")]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help=N_("Write to this file (owner-only; complete or not at all) instead of the screen."),
        metavar="FILE",
    ),
]


def _segment_name(text: str) -> str:
    wanted = text.strip().casefold()
    for name in SEGMENTS:
        if name.casefold() == wanted:
            return name
    raise ShopkeepError(_("unknown segment {text!r}; segments: {names}").format(text=text, names=", ".join(SEGMENTS)))


def check_output(fmt: str, output: Path | None) -> None:
    """The format and the output file, checked before any work (and before the database is opened)."""
    if fmt not in FORMATS:
        raise ShopkeepError(_("unknown format {fmt!r} (use csv or json)").format(fmt=fmt))
    if output is not None:
        check_target(output)


@export_app.command("customers", help=N_("Every customer with their figures, as of a day."))
@handled
def export_customers(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "csv",
    output: OutputOption = None,
    segment: Annotated[
        str | None, typer.Option("--segment", help=N_("Only customers in this segment."), metavar="NAME")
    ] = None,
) -> None:
    check_output(fmt, output)
    wanted = _segment_name(segment) if segment else None
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
        members = (m for _, m in sorted(retention.customers.items()) if wanted is None or m.segment == wanted)
        rows = customer_rows(store, retention, members)
        count = write_rows(output, fmt, CUSTOMER_COLUMNS, rows, record=Written(store, "export", "customers"))
    report_written(ngettext("wrote {n} customer to {path}", "wrote {n} customers to {path}", count), count, output)


@export_app.command("segments", help=N_("Customers and revenue per RFM segment, as of a day."))
@handled
def export_segments(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "csv",
    output: OutputOption = None,
) -> None:
    check_output(fmt, output)
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
        rows = (
            (s.name, s.customers, money.plain(s.revenue, retention.currency), f"{s.share:.3f}")
            for s in retention.segments
        )
        count = write_rows(output, fmt, SEGMENT_COLUMNS, rows, record=Written(store, "export", "segments"))
    report_written(ngettext("wrote {n} segment to {path}", "wrote {n} segments to {path}", count), count, output)
