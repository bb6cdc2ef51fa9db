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


Months = dict[str, tuple[int, int]]  # YYYY-MM -> net revenue of kept orders (known customers, guests)


def order_histories(store: Store, as_of: dt.date, currency: str) -> tuple[list[OrderHistory], Months]:
    """One pass over the orders, grouped by customer, and the revenue per month from the same pass.

    Each kept order comes packed in one string per customer as 'YYYY-MM-DD' plus ' <net>' when it
    is in the currency; Python sums those (cheaper than more aggregates and a second pass).
    (`+ordered_at` keeps SQLite from walking the date index: a plain scan is several times faster.)"""
    kept = "kind = 'order' AND status <> 'refunded'"  # cancelled and voided are filtered out below
    sql = f"""
        SELECT customer_id,
               sum({kept}),
               sum({kept} AND (discount > 0 OR coalesce(discount_code, '') <> '')),
               sum(iif(kind = 'credit' AND currency = :cur, total, 0)),
               group_concat(iif({kept}, substr(ordered_at, 1, 10)
                                        || iif(currency = :cur, ' ' || max(total - refunded, 0), ''), NULL))
        FROM orders
        WHERE +ordered_at < :end AND status NOT IN ('cancelled', 'voided')
        GROUP BY customer_id
    """
    histories = []
    months: dict[str, list[int]] = {}
    for cid, orders, discounted, credits, packed in store.conn.execute(
        sql, {"cur": currency, "end": _day_after(as_of)}
    ):
        revenue = kept_orders = 0
        first_purchase = None
        days: list[str] = []
        if packed:
            slot = 1 if cid is None else 0
            last = None
            for order in sorted(packed.split(",")):  # by day, then (as text) by net
                day = order[:10]
                if day != last:
                    days.append(day)
                    last = day
                if len(order) > 10:
                    net = int(order[11:])
                    revenue += net
                    kept_orders += 1
                    if first_purchase is None:
                        first_purchase = (day, net)
                    month = months.get(day[:7])
                    if month is None:
                        month = months[day[:7]] = [0, 0]
                    month[slot] += net
        histories.append(OrderHistory(cid, orders, discounted, credits, revenue, kept_orders, first_purchase, days))
    return histories, {month: (known, guests) for month, (known, guests) in months.items()}


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
    whichever connection or process made it. (Every part is an index lookup or a short count:
    max(updated_at) of orders uses the index of migration 0008; ~20 ms at 1M orders.)"""
    sql = """SELECT (SELECT count(*) FROM orders), (SELECT max(id) FROM orders), (SELECT max(updated_at) FROM orders),
                    (SELECT count(*) FROM customers), (SELECT max(updated_at) FROM customers),
                    (SELECT count(*) FROM calls), (SELECT max(id) FROM calls),
                    (SELECT count(*) FROM referrals), (SELECT max(id) FROM referrals),
                    (SELECT value FROM settings WHERE key = 'currency')"""
    return tuple(store.conn.execute(sql).fetchone())


def change_marker(store: Store) -> tuple[int, int]:
    """Changes when any other connection commits (data_version) or this one writes (total_changes)."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes
