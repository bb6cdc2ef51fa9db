"""The SQL that feeds the retention engine: a few grouped passes over the orders, as of a day.

Which orders count:
- kind 'order' with status paid, pending or partially_refunded is a *kept order*: it counts as an
  order and its net (total - refunded) as revenue;
- status refunded adds nothing (net 0, not an order); cancelled and voided are ignored;
- kind 'credit' (a cancellation invoice, negative total) reduces revenue and is not an order.
Orders placed after the as-of day are ignored, as if not placed yet.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from shopkeep.store import Store

KEPT = "('paid', 'pending', 'partially_refunded')"


class OrderHistory(NamedTuple):
    """One customer's orders (or, with customer_id None, all guest orders) up to the as-of day.

    Money is in one currency (the shop's); kept orders in other currencies only count as orders."""

    customer_id: int | None
    orders: int  # kept orders, any currency
    discounted: int  # kept orders with a discount or a discount code
    credits: int  # credit notes in the currency (<= 0)
    revenue: int  # net of kept orders in the currency
    kept_orders: int  # kept orders in the currency
    first_purchase: tuple[str, int] | None  # (YYYY-MM-DD, net) of the first kept order in the currency
    days: list[str]  # distinct days with a kept order (any currency), sorted


class CustomerRow(NamedTuple):
    id: int
    external_id: str | None
    name: str | None
    email: str | None
    phone: str | None
    forgotten: int  # 1 once `shopkeep forget` erased the personal fields


def _day_after(as_of: dt.date) -> str:
    return (as_of + dt.timedelta(days=1)).isoformat()


def order_histories(store: Store, as_of: dt.date, currency: str) -> list[OrderHistory]:
    """One pass over the orders, grouped by customer; the order days come packed in one string.

    (`+ordered_at` keeps SQLite from walking the date index: a plain scan is several times faster.)"""
    kept = "kind = 'order' AND status <> 'refunded'"  # cancelled and voided are filtered out below
    sql = f"""
        SELECT customer_id,
               sum({kept}),
               sum({kept} AND (discount > 0 OR coalesce(discount_code, '') <> '')),
               sum(iif(kind = 'credit' AND currency = :cur, total, 0)),
               sum(iif({kept} AND currency = :cur, max(total - refunded, 0), 0)),
               sum({kept} AND currency = :cur),
               min(iif({kept} AND currency = :cur, substr(ordered_at, 1, 10) || max(total - refunded, 0), NULL)),
               group_concat(iif({kept}, substr(ordered_at, 1, 10), NULL))
        FROM orders
        WHERE +ordered_at < :end AND status NOT IN ('cancelled', 'voided')
        GROUP BY customer_id
    """
    histories = []
    for cid, orders, discounted, credits, revenue, kept_orders, first, days in store.conn.execute(
        sql, {"cur": currency, "end": _day_after(as_of)}
    ):
        first_purchase = (first[:10], int(first[10:])) if first else None
        day_list = sorted(set(days.split(","))) if days else []
        histories.append(OrderHistory(cid, orders, discounted, credits, revenue, kept_orders, first_purchase, day_list))
    return histories


def month_revenue(store: Store, as_of: dt.date, currency: str) -> dict[str, tuple[int, int]]:
    """Net revenue of kept orders per month (YYYY-MM): (known customers, guests)."""
    sql = f"""
        SELECT substr(ordered_at, 1, 7),
               sum(iif(customer_id IS NULL, 0, max(total - refunded, 0))),
               sum(iif(customer_id IS NULL, max(total - refunded, 0), 0))
        FROM orders
        WHERE +ordered_at < ? AND kind = 'order' AND status IN {KEPT} AND currency = ?
        GROUP BY 1
    """
    rows = store.conn.execute(sql, (_day_after(as_of), currency))
    return {month: (known, guests) for month, known, guests in rows}


CURRENCY_SAMPLE = 5000  # latest orders that suggest the shop currency before the full pass


def likely_currency(store: Store) -> str | None:
    """The most common currency of the latest orders: a cheap first guess at the shop currency."""
    sql = """SELECT currency FROM (SELECT currency FROM orders WHERE kind = 'order' ORDER BY id DESC LIMIT ?)
             GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1"""
    return store.scalar(sql, (CURRENCY_SAMPLE,))


def currency_counts(store: Store, as_of: dt.date) -> dict[str, int]:
    """Kept orders per currency up to the as-of day (a full pass: only when the guess was unsure)."""
    sql = f"""SELECT currency, count(*) FROM orders
              WHERE kind = 'order' AND status IN {KEPT} AND +ordered_at < ? GROUP BY currency"""
    return dict(store.conn.execute(sql, (_day_after(as_of),)).fetchall())


def customers(store: Store) -> dict[int, CustomerRow]:
    rows = store.conn.execute("SELECT id, external_id, name, email, phone, forgotten_at IS NOT NULL FROM customers")
    return {row[0]: CustomerRow._make(row) for row in rows}


def referral_counts(store: Store, as_of: dt.date) -> dict[int, int]:
    """Customers each customer brought, not counting flagged (self/same phone...) referrals."""
    sql = "SELECT referrer_id, count(*) FROM referrals WHERE flag IS NULL AND created_at < ? GROUP BY referrer_id"
    return dict(store.conn.execute(sql, (_day_after(as_of),)).fetchall())


def scheduled_callbacks(store: Store, as_of: dt.date) -> dict[int, dt.date]:
    """The earliest call-back after the as-of day the owner scheduled (in calls made by then)."""
    sql = """SELECT customer_id, min(callback_on) FROM calls
             WHERE callback_on > ? AND called_at < ? GROUP BY customer_id"""
    rows = store.conn.execute(sql, (as_of.isoformat(), _day_after(as_of)))
    return {cid: dt.date.fromisoformat(day[:10]) for cid, day in rows}


def fingerprint(store: Store) -> tuple:
    """Cheap to read, and different after any change the retention figures depend on,
    whichever connection or process made it."""
    sql = """SELECT (SELECT count(*) FROM orders), (SELECT max(id) FROM orders), (SELECT max(updated_at) FROM orders),
                    (SELECT count(*) FROM customers), (SELECT max(updated_at) FROM customers),
                    (SELECT count(*) FROM calls), (SELECT max(id) FROM calls),
                    (SELECT count(*) FROM referrals), (SELECT max(id) FROM referrals),
                    (SELECT value FROM settings WHERE key = 'currency')"""
    return tuple(store.conn.execute(sql).fetchone())


def change_marker(store: Store) -> tuple[int, int]:
    """Changes when any other connection commits (data_version) or this one writes (total_changes)."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes
