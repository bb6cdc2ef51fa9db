"""`shopkeep export customers` and `shopkeep export segments`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopkeep.cli import export_app
from shopkeep.cli.common import AsOfOption, DbOption, as_of_for, handled, open_store
from shopkeep.errors import ShopkeepError
from shopkeep.exporting import write_rows
from shopkeep.retention import SEGMENTS, CustomerMetrics, cached_compute, format_money

CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "email",
    "phone",
    "orders",
    "first_order",
    "last_order",
    "revenue",
    "currency",
    "aov",
    "recency_days",
    "r_score",
    "f_score",
    "m_score",
    "segment",
    "groups",
    "churn_risk",
    "expected_next_order",
    "ltv",
    "ltv_predicted",
)
SEGMENT_COLUMNS = ("name", "customers", "revenue", "share")
INTERNAL_ID_PREFIX = "shopkeep:"  # customers imported without a platform id: shopkeep's own id

FormatOption = Annotated[str, typer.Option("--format", help="csv or json.")]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file (owner-only) instead of the screen.")
]


def export_id(m: CustomerMetrics) -> str:
    """The platform's customer id as imported; shopkeep's own as 'shopkeep:<id>' if there is none."""
    return m.external_id if m.external_id else f"{INTERNAL_ID_PREFIX}{m.id}"


def customer_row(m: CustomerMetrics) -> tuple:
    def day(value):
        return value.isoformat() if value else None

    return (
        export_id(m),
        m.name,
        m.email,
        m.phone,
        m.orders,
        day(m.first_order),
        day(m.last_order),
        format_money(m.revenue, m.currency),
        m.currency,
        format_money(m.aov, m.currency),
        m.recency_days,
        m.r_score,
        m.f_score,
        m.m_score,
        m.segment,
        ";".join(m.groups),
        f"{m.churn_risk:.2f}",
        day(m.expected_next_order),
        format_money(m.ltv, m.currency),
        format_money(m.ltv_predicted, m.currency),
    )


def _segment_name(text: str) -> str:
    wanted = text.strip().casefold()
    for name in SEGMENTS:
        if name.casefold() == wanted:
            return name
    raise ShopkeepError(f"unknown segment {text!r}; segments: {', '.join(SEGMENTS)}")


def _report_count(count: int, what: str, output: Path | None) -> None:
    if output is not None:
        typer.echo(f"wrote {count} {what} to {output}", err=True)


@export_app.command("customers")
@handled
def export_customers(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "csv",
    output: OutputOption = None,
    segment: Annotated[str | None, typer.Option("--segment", help="Only customers in this segment.")] = None,
) -> None:
    """Every customer with their figures, as of a day."""
    wanted = _segment_name(segment) if segment else None
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
    rows = (customer_row(m) for _, m in sorted(retention.customers.items()) if wanted is None or m.segment == wanted)
    count = write_rows(output, fmt, CUSTOMER_COLUMNS, rows)
    _report_count(count, "customers", output)


@export_app.command("segments")
@handled
def export_segments(
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = "csv",
    output: OutputOption = None,
) -> None:
    """Customers and revenue per RFM segment, as of a day."""
    with open_store(db, create=False) as store:
        retention = cached_compute(store, as_of_for(store, as_of))
    rows = (
        (s.name, s.customers, format_money(s.revenue, retention.currency), f"{s.share:.3f}") for s in retention.segments
    )
    count = write_rows(output, fmt, SEGMENT_COLUMNS, rows)
    _report_count(count, "segments", output)
