"""One row per customer for exports (CLI `export customers`, the Segments screen): retention figures
plus loyalty points, tier and referrals.

The retention figures are in the shop currency. A customer who bought in another currency is shown
in it, never as a silent 0.00: their money columns are in their own currency when they bought
nothing in the shop's, and `other_currencies` lists what they spent in any other ("120.00 USD")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from shopkeep import money
from shopkeep.customer_ref import reference
from shopkeep.loyalty import CustomerLoyalty, summary_for_all
from shopkeep.retention import CustomerMetrics, Retention
from shopkeep.store import Store
from shopkeep.store.currencies import other_currency_revenue

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
    "other_currencies",
)


Elsewhere = Mapping[str, tuple[int, int]]  # currency -> (net revenue, kept orders), the shop currency's excepted


def other_currencies(store: Store, retention: Retention) -> Mapping[int, Elsewhere]:
    """Every customer's money in currencies other than the shop's, by customer id (most have none). Not looked
    for when the figures saw no sale or credit note in another currency (a pass over every order saved)."""
    if not retention.elsewhere:
        return {}
    return other_currency_revenue(store, retention.as_of, retention.currency)


def revenue_by_currency(m: CustomerMetrics, elsewhere: Elsewhere | None) -> list[tuple[str, int, int]]:
    """(currency, net revenue, kept orders) of a customer, their main currency first: the shop's when they
    bought anything in it (or nothing at all), else the one they bought most in."""
    others = [(code, net, orders) for code, (net, orders) in sorted((elsewhere or {}).items())]
    in_shop = m.orders - sum(orders for _, _, orders in others)
    if others and in_shop <= 0 and m.revenue == 0:
        return sorted(others, key=lambda row: (-row[2], -row[1], row[0]))
    return [(m.currency, m.revenue, in_shop), *others]


def customer_row(m: CustomerMetrics, loyalty: CustomerLoyalty | None, elsewhere: Elsewhere | None = None) -> tuple:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    [(currency, revenue, orders), *others] = revenue_by_currency(m, elsewhere)
    if currency == m.currency:
        aov, ltv, predicted = m.aov, m.ltv, m.ltv_predicted
    else:  # the model predicts in the shop currency only
        aov, ltv, predicted = round(revenue / max(orders, 1)), revenue, None

    return (
        reference(m.id, m.external_id),  # the platform's id (leading zeros kept), else #N
        m.name,
        m.email,
        m.phone,
        m.orders,
        day(m.first_order),
        day(m.last_order),
        money.plain(revenue, currency),
        currency,
        money.plain(aov, currency),
        m.recency_days,
        m.r_score,
        m.f_score,
        m.m_score,
        m.segment,
        ";".join(m.groups),
        f"{m.churn_risk:.2f}",
        day(m.expected_next_order),
        money.plain(ltv, currency),
        None if predicted is None else money.plain(predicted, currency),
        loyalty.points if loyalty else 0,
        loyalty.tier if loyalty else None,
        loyalty.referrals if loyalty else 0,
        "; ".join(f"{money.plain(net, code)} {code}" for code, net, _ in others) or None,
    )


def customer_rows(store: Store, retention: Retention, members: Iterable[CustomerMetrics]) -> Iterator[tuple]:
    loyalty = summary_for_all(store, retention.as_of)
    elsewhere = other_currencies(store, retention)
    for m in members:
        yield customer_row(m, loyalty.get(m.id), elsewhere.get(m.id))
