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

from shopkeep.i18n import _, format_date, format_number, ngettext

STALE_DAYS = 180  # the newest order further back than this: the shop is probably looked at on the wrong day


def import_command(db_path: Path) -> str:
    """The exact command that imports an export file into this database."""
    return f"shopkeep --db {shlex.quote(str(db_path))} import orders.csv"


def empty_shop_text(db_path: Path, key: str | None = None) -> str:
    """How to fill an empty shop; `key`: the app's key that imports a file from inside it."""
    if key is None:
        return (
            _(
                "No orders in this shop yet. Import your shop's order export (Shopify, WooCommerce, Etsy, Square, …;"
                " the layout is recognised from its header row), then open the app again:"
            )
            + f"\n    {import_command(db_path)}\n"
            + _("Try it first on the demo shop: shopkeep demo")
        )
    return _(
        "Press {key} to import your shop's order export here (Shopify, WooCommerce, Etsy, Square, …; the layout"
        " is recognised from its header row), or from a terminal:\n    {command}\nTry it first on the demo shop:"
        " shopkeep demo"
    ).format(key=key, command=import_command(db_path))


def newest_order(metrics: Iterable[CustomerMetrics]) -> dt.date | None:
    """The latest `last_order` among customers' metrics."""
    return max((m.last_order for m in metrics if m.last_order is not None), default=None)


def stale_note(as_of: dt.date, newest: dt.date | None, db_path: Path) -> str | None:
    """None when the data reaches close enough to `as_of`; else what to say and the exact command."""
    if newest is None or (as_of - newest).days <= STALE_DAYS:
        return None
    days = (as_of - newest).days
    return ngettext(
        "The newest order is from {newest}, {n} day before {today}: as of today everyone looks lapsed."
        " To see the shop as of its last order day, press F9 or run: {command}",
        "The newest order is from {newest}, {n} days before {today}: as of today everyone looks lapsed."
        " To see the shop as of its last order day, press F9 or run: {command}",
        days,
    ).format(
        newest=format_date(newest),
        n=format_number(days),
        today=format_date(as_of),
        command=f"shopkeep --db {shlex.quote(str(db_path))} --as-of {newest.isoformat()}",
    )
