"""What a new or unusual database needs said: how to import into an empty one, and that figures as of today
mislead when the newest order is years old (look as of the last order day instead)."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopkeep.retention import CustomerMetrics

STALE_DAYS = 180  # the newest order further back than this: the shop is probably looked at on the wrong day


def import_command(db_path: Path) -> str:
    """The exact command that imports an export file into this database."""
    return f"shopkeep --db {shlex.quote(str(db_path))} import orders.csv"


def empty_shop_text(db_path: Path) -> str:
    return (
        "No orders in this shop yet. Import your shop's order export (Shopify, WooCommerce, Etsy, Square, …;"
        " the layout is recognised from its header row), then open the app again:\n"
        f"    {import_command(db_path)}\n"
        "Try it first on the demo shop: shopkeep demo"
    )


def newest_order(metrics: Iterable[CustomerMetrics]) -> dt.date | None:
    """The latest `last_order` among customers' metrics."""
    return max((m.last_order for m in metrics if m.last_order is not None), default=None)


def stale_note(as_of: dt.date, newest: dt.date | None, db_path: Path) -> str | None:
    """None when the data reaches close enough to `as_of`; else what to say and the exact command."""
    if newest is None or (as_of - newest).days <= STALE_DAYS:
        return None
    days = (as_of - newest).days
    return (
        f"The newest order is from {newest.isoformat()}, {days:,} days before {as_of.isoformat()}: as of today"
        " everyone looks lapsed. To see the shop as of its last order day, press F9 or run:"
        f" shopkeep --db {shlex.quote(str(db_path))} --as-of {newest.isoformat()}"
    )
