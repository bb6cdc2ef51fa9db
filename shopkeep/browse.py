"""Browsing every customer without typing a search: the customers with a paid order (the retention figures),
sorted by value, last order, churn risk or name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopkeep.retention import CustomerMetrics

from shopkeep.i18n import N_, _

# The ways the customer list sorts (the keys; shown translated: `_(sort)`).
SORTS = (N_("value"), N_("last order"), N_("risk"), N_("name"))


def sort_customers(metrics: Iterable[CustomerMetrics], by: str) -> list[CustomerMetrics]:
    """Customers' metrics in the order `by` names: the most valuable, the latest order, the highest churn risk
    first; names A to Z (without a name last). Ties go by customer id, so the order is stable."""
    items = list(metrics)
    if by == "value":
        items.sort(key=lambda m: (-m.revenue, m.id))
    elif by == "last order":
        items.sort(key=lambda m: (-(m.last_order or dt.date.min).toordinal(), m.id))
    elif by == "risk":
        items.sort(key=lambda m: (-m.churn_risk, m.id))
    elif by == "name":
        items.sort(key=lambda m: (not (m.name or "").strip(), (m.name or "").casefold(), m.id))
    else:
        raise ValueError(_("unknown sort {by!r}; use one of: {names}").format(by=by, names=", ".join(SORTS)))
    return items
