"""Hand-made inputs for the call list: metrics shaped like retention's CustomerMetrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopkeep.calls import Contact, OrderRecord

AS_OF = dt.date(2026, 11, 23)


@dataclass
class Metrics:
    id: int
    orders: int = 9
    revenue: int = 124_000
    currency: str = "EUR"
    recency_days: int | None = 61
    usual_gap_days: float | None = 24.0
    churn_risk: float = 0.8


def day(days_ago: int, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days_ago), dt.time(hour))


def contact(cid: int, phone: str | None = "+48600100200", *, do_not_call: bool = False) -> Contact:
    return Contact(cid, f"Customer {cid}", phone, do_not_call)


def order(cid: int, days_ago: int, total: int = 10_000, **kw) -> OrderRecord:
    return OrderRecord(customer_id=cid, ordered_at=day(days_ago), currency="EUR", total=total, **kw)
