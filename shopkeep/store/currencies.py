"""Customers' money in the currencies other than the shop's (the retention figures hold only the shop's)."""

from __future__ import annotations

import datetime as dt

from shopkeep.clock import day_after
from shopkeep.store import Store, sales


def other_currency_revenue(
    store: Store, as_of: dt.date, currency: str, customer_id: int | None = None
) -> dict[int, dict[str, tuple[int, int]]]:
    """customer_id -> {currency: (net revenue, sales)} of their orders up to `as_of` in currencies other
    than `currency`, counted as the shop currency's are (shopkeep.store.sales): sales less refunds,
    less credit notes. With `customer_id`, that customer's only (one index lookup: the card)."""
    who = "customer_id = :cid" if customer_id is not None else "customer_id IS NOT NULL"
    sql = f"""
        SELECT customer_id, currency, sum({sales.net_revenue_sql()}), sum({sales.sale_sql()})
        FROM orders
        WHERE {who} AND currency <> :cur AND +ordered_at < :end
          AND ({sales.sale_sql()} OR {sales.credit_sql()})
        GROUP BY customer_id, currency
    """
    end = day_after(as_of)
    found: dict[int, dict[str, tuple[int, int]]] = {}
    for cid, code, net, orders in store.conn.execute(sql, {"cur": currency, "end": end, "cid": customer_id}):
        found.setdefault(cid, {})[code] = (net, orders)
    return found
