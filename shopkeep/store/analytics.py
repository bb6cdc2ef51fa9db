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

import numpy as np

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

    Each customer's orders come as two lists in the same order: the days (YYYY-MM-DD) and one number
    per order, 8 * money + kind (see _KIND); days, counts, money, months and first purchases are
    then read and summed over all orders at once with numpy (cheaper than more SQL aggregates).
    (`+ordered_at` keeps SQLite from walking the date index: a plain scan is faster.)"""
    kept = "kind = 'order' AND status <> 'refunded'"  # cancelled and voided are filtered out below
    sql = f"""
        SELECT customer_id,
               group_concat(substr(ordered_at, 1, 10)),
               group_concat(iif({kept},
                                iif(currency = :cur, 8 * max(total - refunded, 0), 2)
                                + (discount > 0 OR coalesce(discount_code, '') <> ''),
                                iif(kind = 'credit' AND currency = :cur, 8 * total + 4, 5)))
        FROM orders
        WHERE +ordered_at < :end AND status NOT IN ('cancelled', 'voided')
        GROUP BY customer_id
    """
    rows = store.conn.execute(sql, {"cur": currency, "end": _day_after(as_of)}).fetchall()
    day_texts = [row[1] for row in rows]
    counts = (np.fromiter(map(len, day_texts), dtype=np.int64, count=len(rows)) + 1) // len("YYYY-MM-DD,")
    codes = np.fromstring(",".join([row[2] for row in rows]), dtype=np.int64, sep=",")
    kind, money = codes % 8, codes // 8
    all_days, day_of = _read_days(",".join(day_texts))
    owner = np.repeat(np.arange(len(rows)), counts)
    ends = np.cumsum(counts)
    starts = ends - counts

    def per_row(values: np.ndarray) -> list[int]:
        summed = np.concatenate(([0], np.cumsum(values)))
        return (summed[ends] - summed[starts]).tolist()

    is_kept, paid = kind <= _KIND["kept, other currency, discounted"], kind <= _KIND["kept, discounted"]
    orders, discounted = per_row(is_kept), per_row(is_kept & (kind % 2 == 1))
    credits = per_row(np.where(kind == _KIND["credit"], money, 0))
    revenue, kept_orders = per_row(np.where(paid, money, 0)), per_row(paid)
    firsts = _first_purchases(owner[paid], day_of[paid], money[paid], all_days)
    guest = np.array([row[0] is None for row in rows], dtype=bool)
    months = _month_totals(day_of[paid], guest[owner[paid]], money[paid], all_days)
    histories = list(
        map(
            OrderHistory,
            [row[0] for row in rows],
            orders,
            discounted,
            credits,
            revenue,
            kept_orders,
            map(firsts.get, range(len(rows))),
            _distinct_days(owner[is_kept], day_of[is_kept], all_days, len(rows)),
        )
    )
    return histories, months


def _read_days(text: str) -> tuple[list[str], np.ndarray]:
    """'YYYY-MM-DD,YYYY-MM-DD,...' -> (the distinct days, sorted; each day's index into them)."""
    data = (text + ",").encode() if text else b""
    cells = np.frombuffer(data, dtype=np.uint8).reshape(-1, len("YYYY-MM-DD,"))
    digits = cells[:, [0, 1, 2, 3, 5, 6, 8, 9]].astype(np.int64) - ord("0")
    year = digits[:, :4] @ np.array([1000, 100, 10, 1])
    month, day = digits[:, 4] * 10 + digits[:, 5], digits[:, 6] * 10 + digits[:, 7]
    well_formed = (
        np.all(cells[:, [4, 7]] == ord("-"))
        and np.all(cells[:, 10] == ord(","))
        and np.all((digits >= 0) & (digits <= 9))
        and np.all((month <= 12) & (day <= 31))
    )
    if not well_formed:
        raise ValueError("order dates must start YYYY-MM-DD")
    key = (year * 13 + month) * 32 + day  # in the order of the texts
    present = np.zeros(int(key.max(initial=0)) + 1, dtype=bool)
    present[key] = True
    year, rest = np.divmod(np.flatnonzero(present), 13 * 32)
    month, day = np.divmod(rest, 32)
    days = [f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(year.tolist(), month.tolist(), day.tolist(), strict=True)]
    return days, np.cumsum(present)[key] - 1


def _distinct_days(owner: np.ndarray, day: np.ndarray, days: list[str], rows: int) -> list[list[str]]:
    """Each row's distinct days (indexes into `days`), sorted: all rows' at once."""
    key = np.sort(owner * len(days) + day)  # (np.unique hashes: several times slower here)
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    row_of, day_of = np.divmod(key[first], max(1, len(days)))
    names = list(map(days.__getitem__, day_of.tolist()))
    counts = np.bincount(row_of, minlength=rows)
    ends = np.cumsum(counts)
    return [names[i:j] for i, j in zip((ends - counts).tolist(), ends.tolist(), strict=True)]


# The kind of each order in order_histories' numbers: number % 8 (money: number // 8).
_KIND = {
    "kept": 0,  # a kept order in the currency (money: its net)
    "kept, discounted": 1,
    "kept, other currency": 2,  # counts as an order, no money
    "kept, other currency, discounted": 3,
    "credit": 4,  # a credit note in the currency (money: its total, <= 0)
    "other": 5,  # refunded, or a credit note in another currency: nothing
}


def _first_purchases(
    owner: np.ndarray, day: np.ndarray, net: np.ndarray, days: list[str]
) -> dict[int, tuple[str, int]]:
    """Row -> (day, net) of its first order in the currency: the earliest day, then the least net
    as text (the order of the orders when they were packed as 'YYYY-MM-DD net' strings)."""
    key = owner * len(days) + day
    order = np.argsort(key, kind="stable")
    key, net = key[order], net[order]
    head = np.ones(len(key), dtype=bool)  # the first order of each row's earliest day
    head[1:] = owner[order][1:] != owner[order][:-1]
    shared = np.zeros(len(key), dtype=bool)  # another order on the same day follows
    shared[:-1] = key[1:] == key[:-1]
    heads = np.flatnonzero(head)
    rows, first_days = np.divmod(key[heads], len(days))
    amounts = net[heads].tolist()
    for k in np.flatnonzero(shared[heads]).tolist():  # several orders that day (rare): the least as text
        at = heads[k]
        amounts[k] = int(min(map(str, net[at : at + int(np.searchsorted(key[at:], key[at], side="right"))].tolist())))
    firsts = zip(map(days.__getitem__, first_days.tolist()), amounts, strict=True)
    return dict(zip(rows.tolist(), firsts, strict=True))


def _month_totals(day: np.ndarray, guest: np.ndarray, net: np.ndarray, days: list[str]) -> Months:
    """Net revenue per month (known customers, guests) of the orders in the currency."""
    labels = sorted({d[:7] for d in days})
    month_of_day = np.array([labels.index(d[:7]) for d in days], dtype=np.int64)
    month = month_of_day[day]
    totals = np.zeros((len(labels), 2), dtype=np.int64)
    np.add.at(totals, (month, guest.astype(np.int64)), net)
    seen = np.bincount(month, minlength=len(labels)) > 0
    return {labels[m]: (int(totals[m, 0]), int(totals[m, 1])) for m in np.flatnonzero(seen).tolist()}


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
