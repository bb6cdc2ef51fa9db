"""One row per customer for exports (CLI `export customers`, the Segments screen): retention figures
plus loyalty points, tier and referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from shopkeep import money
from shopkeep.customer_ref import reference
from shopkeep.loyalty import CustomerLoyalty, summary_for_all
from shopkeep.retention import CustomerMetrics, Retention
from shopkeep.store import Store

CUSTOMER_COLUMNS = (
    "customer",
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
    "points",
    "tier",
    "referrals",
)


def customer_row(m: CustomerMetrics, loyalty: CustomerLoyalty | None) -> tuple:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return (
        reference(m.id, m.external_id),  # the platform's id (leading zeros kept), else #N
        m.name,
        m.email,
        m.phone,
        m.orders,
        day(m.first_order),
        day(m.last_order),
        money.plain(m.revenue, m.currency),
        m.currency,
        money.plain(m.aov, m.currency),
        m.recency_days,
        m.r_score,
        m.f_score,
        m.m_score,
        m.segment,
        ";".join(m.groups),
        f"{m.churn_risk:.2f}",
        day(m.expected_next_order),
        money.plain(m.ltv, m.currency),
        money.plain(m.ltv_predicted, m.currency),
        loyalty.points if loyalty else 0,
        loyalty.tier if loyalty else None,
        loyalty.referrals if loyalty else 0,
    )


def customer_rows(store: Store, retention: Retention, members: Iterable[CustomerMetrics]) -> Iterator[tuple]:
    loyalty = summary_for_all(store, retention.as_of)
    for m in members:
        yield customer_row(m, loyalty.get(m.id))
