"""The SQL that feeds the retention engine: a few grouped passes over the orders, as of a day.

Which orders count is shopkeep.store.sales: a sale (paid or partially refunded) is a *kept order*:
it counts as an order and its net (total - refunded) as revenue; a credit note that stands reduces
revenue and is not an order; pending, refunded, cancelled and voided orders add nothing.
Orders placed after the as-of day are ignored, as if not placed yet.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from shopkeep.clock import day_after
from shopkeep.errors import StoreError
from shopkeep.store import Store, _connect, configure, describe_error, sales


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


Months = dict[str, tuple[int, int]]  # YYYY-MM -> net revenue of kept orders (known customers, guests)


@dataclass(frozen=True)
class OrderColumns:
    """The OrderHistory figures of all customers as arrays: entry i of each is row i (a customer,
    or with `guest` all guest orders); order days as date ordinals, flat. Kept as arrays only (no Python
    object per customer: issue 19); `customer_ids` and `first_purchases` are the OrderHistory view of them."""

    ids: np.ndarray  # the row's customer id (0 on the guests' row)
    guest: np.ndarray  # bool: the guests' row
    orders: np.ndarray
    discounted: np.ndarray
    credits: np.ndarray
    revenue: np.ndarray
    kept_orders: np.ndarray
    first_day: np.ndarray  # date ordinal of the first kept order in the currency (0: none)
    first_net: np.ndarray  # its net (0: none)
    counts: np.ndarray  # distinct days with a kept order (any currency)
    days: np.ndarray  # those days as date ordinals, sorted: each row's after the previous row's
    elsewhere: bool = True  # any sale or credit note in another currency (True: not known)

    @functools.cached_property
    def customer_ids(self) -> list[int | None]:
        """Each row's customer id, None on the guests' row."""
        return [None if g else cid for cid, g in zip(self.ids.tolist(), self.guest.tolist(), strict=True)]

    @functools.cached_property
    def first_purchases(self) -> list[tuple[str, int] | None]:
        """(YYYY-MM-DD, net) of each row's first kept order in the currency, None when it has none."""
        return [
            (_iso(day), net) if day else None
            for day, net in zip(self.first_day.tolist(), self.first_net.tolist(), strict=True)
        ]

    @classmethod
    def of(cls, histories: Iterable[OrderHistory]) -> OrderColumns:
        rows = list(histories)
        ids, orders, discounted, credits, revenue, kept, firsts, days = (
            list(column) for column in (zip(*rows, strict=True) if rows else [()] * len(OrderHistory._fields))
        )
        ordinals = [dt.date.fromisoformat(day).toordinal() for row_days in days for day in row_days]
        return cls(
            np.array([cid or 0 for cid in ids], dtype=np.int64),
            np.array([cid is None for cid in ids], dtype=bool),
            np.array(orders, dtype=np.int64),
            np.array(discounted, dtype=np.int64),
            np.array(credits, dtype=np.int64),
            np.array(revenue, dtype=np.int64),
            np.array(kept, dtype=np.int64),
            np.array([dt.date.fromisoformat(p[0]).toordinal() if p else 0 for p in firsts], dtype=np.int64),
            np.array([p[1] if p else 0 for p in firsts], dtype=np.int64),
            np.array([len(row_days) for row_days in days], dtype=np.int64),
            np.array(ordinals, dtype=np.int64),
        )

    def select(self, rows: np.ndarray) -> OrderColumns:
        """Only the rows where `rows` (bool, one per row) is true."""
        return OrderColumns(
            self.ids[rows],
            self.guest[rows],
            self.orders[rows],
            self.discounted[rows],
            self.credits[rows],
            self.revenue[rows],
            self.kept_orders[rows],
            self.first_day[rows],
            self.first_net[rows],
            self.counts[rows],
            self.days[np.repeat(rows, self.counts)],
            self.elsewhere,
        )


def order_columns(store: Store, as_of: dt.date, currency: str) -> tuple[OrderColumns, Months]:
    """One pass over the orders, grouped by customer (guests first, then by id), and the revenue
    per month from the same pass.

    The orders come in table order as three lists: the customers (2 * id + 1, 0 for a guest), the
    days (YYYY-MM-DD) and one number per order, 8 * money + kind (see _KIND); they are grouped by
    customer and day, counted and summed with numpy (a plain scan of the table is several times
    cheaper than SQLite's GROUP BY, which walks the customer index and looks up every row).
    (`+ordered_at` keeps SQLite from walking the date index: a plain scan is faster.)"""
    kept, credit = sales.sale_sql(), sales.credit_sql()
    sql = f"""
        SELECT group_concat(iif(customer_id IS NULL, 0, 2 * customer_id + 1)),
               group_concat(substr(ordered_at, 1, 10)),
               group_concat(iif({kept},
                                iif(currency = :cur, 8 * max(total - refunded, 0), 2)
                                + (discount > 0 OR coalesce(discount_code, '') <> ''),
                                iif({credit}, iif(currency = :cur, 8 * total + 4, 6), 5)))
        FROM orders
        WHERE +ordered_at < :end AND status NOT IN ('cancelled', 'voided')
    """
    who, when, what = store.conn.execute(sql, {"cur": currency, "end": day_after(as_of)}).fetchone()
    keys, owner = _distinct(_numbers(who))
    all_days, ordinals, day_of = _read_days(when or "")
    order = np.argsort(owner * len(all_days) + day_of, kind="stable")  # each customer's orders by day
    owner, day_of, codes = owner[order], day_of[order], _numbers(what)[order]
    kind, money = codes % 8, codes // 8
    counts = np.bincount(owner, minlength=len(keys))
    ends = np.cumsum(counts)
    starts = ends - counts

    def per_row(values: np.ndarray) -> np.ndarray:
        summed = np.concatenate(([0], np.cumsum(values)))
        return summed[ends] - summed[starts]

    is_kept, paid = kind <= _KIND["kept, other currency, discounted"], kind <= _KIND["kept, discounted"]
    first_day, first_net = _first_purchases(owner[paid], day_of[paid], money[paid], ordinals, len(keys))
    day_counts, kept_days = _distinct_days(owner[is_kept], day_of[is_kept], len(all_days), len(keys))
    columns = OrderColumns(
        keys // 2,
        keys == 0,
        per_row(is_kept),
        per_row(is_kept & (kind % 2 == 1)),
        per_row(np.where(kind == _KIND["credit"], money, 0)),
        per_row(np.where(paid, money, 0)),
        per_row(paid),
        first_day,
        first_net,
        day_counts,
        ordinals[kept_days],
        bool(
            np.any(
                (kind == _KIND["kept, other currency"])
                | (kind == _KIND["kept, other currency, discounted"])
                | (kind == _KIND["credit, other currency"])
            )
        ),
    )
    return columns, _month_totals(day_of[paid], (keys == 0)[owner[paid]], money[paid], all_days)


def _numbers(text: str | None) -> np.ndarray:
    """'1,-2,3' -> [1, -2, 3]."""
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True); for small non-negative keys (customer ids are rowids)
    by marking them in an array, without np.unique's sort."""
    if not len(keys) or keys.min() < 0 or keys.max() > 4 * len(keys) + 1000:
        return np.unique(keys, return_inverse=True)
    present = np.zeros(int(keys.max()) + 1, dtype=bool)
    present[keys] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[keys]


def _read_days(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """'YYYY-MM-DD,YYYY-MM-DD,...' -> (the distinct days, sorted; their date ordinals; each day's
    index into them)."""
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
    dates = [dt.date(y, m, d) for y, m, d in zip(year.tolist(), month.tolist(), day.tolist(), strict=True)]
    ordinals = np.array([d.toordinal() for d in dates], dtype=np.int64)
    return [d.isoformat() for d in dates], ordinals, np.cumsum(present)[key] - 1


def _distinct_days(owner: np.ndarray, day: np.ndarray, days: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distinct days (indexes into the `days` sorted days): how many each row has, and
    the days of all rows, each row's after the previous row's. (owner, day) must come sorted."""
    key = owner * days + day
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    row_of, day_of = np.divmod(key[first], max(1, days))
    return np.bincount(row_of, minlength=rows), day_of


# The kind of each order in order_columns' numbers: number % 8 (money: number // 8).
_KIND = {
    "kept": 0,  # a kept order in the currency (money: its net)
    "kept, discounted": 1,
    "kept, other currency": 2,  # counts as an order, no money
    "kept, other currency, discounted": 3,
    "credit": 4,  # a credit note in the currency (money: its total, <= 0)
    "other": 5,  # refunded: nothing
    "credit, other currency": 6,  # nothing here (shopkeep.store.currencies counts it)
}


def _first_purchases(
    owner: np.ndarray, day: np.ndarray, net: np.ndarray, ordinals: np.ndarray, rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's first order in the currency: its day (date ordinal; 0 for a row without one) and net. The
    earliest day, then the least net as text (the order of the orders when they were packed as
    'YYYY-MM-DD net' strings). `day`: indexes into the sorted days' `ordinals`; (owner, day) must come sorted."""
    key = owner * len(ordinals) + day
    head = np.ones(len(key), dtype=bool)  # the first order of each row's earliest day
    head[1:] = owner[1:] != owner[:-1]
    shared = np.zeros(len(key), dtype=bool)  # another order on the same day follows
    shared[:-1] = key[1:] == key[:-1]
    heads = np.flatnonzero(head)
    amounts = net[heads]
    for k in np.flatnonzero(shared[heads]).tolist():  # several orders that day (rare): the least as text
        at = heads[k]
        amounts[k] = int(min(map(str, net[at : at + int(np.searchsorted(key[at:], key[at], side="right"))].tolist())))
    first_day, first_net = np.zeros(rows, dtype=np.int64), np.zeros(rows, dtype=np.int64)
    first_day[owner[heads]], first_net[owner[heads]] = ordinals[day[heads]], amounts
    return first_day, first_net


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
              WHERE {sales.sale_sql()} AND +ordered_at < ? GROUP BY currency"""
    return dict(store.conn.execute(sql, (day_after(as_of),)).fetchall())


def customers(store: Store) -> dict[int, CustomerRow]:
    return {cid: CustomerRow._make(row) for cid, row in _customer_rows(store.conn).items()}


# A customer's row as the figures read it later: CustomerRow's fields, as the plain tuple SQLite hands over
# (making 100k CustomerRow of them took ~0.07 s more, issue 19).
PersonRow = tuple[int, str | None, str | None, str | None, str | None, int]
_ROWS = "SELECT id, external_id, name, email, phone, forgotten_at IS NOT NULL FROM customers"


def _customer_rows(conn: sqlite3.Connection, ids: Collection[int] | None = None) -> dict[int, PersonRow]:
    """Every customer's row, or those of `ids`."""
    if ids is None:
        rows = conn.execute(_ROWS)
    else:
        rows = conn.execute(f"{_ROWS} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))
    return {row[0]: row for row in rows}


def customer_flags(store: Store) -> tuple[np.ndarray, np.ndarray]:
    """Every customer's id and whether they were forgotten, as two arrays: two rows of text read from indexes
    (customers_updated_at holds every id, customers_set_apart the forgotten: migration 0025), ~0.01 s at 100k
    customers, where `customers` reads their rows and makes objects of them in ~0.2 s."""
    ids = _numbers(store.scalar("SELECT group_concat(id) FROM customers"))
    forgotten = _numbers(store.scalar("SELECT group_concat(id) FROM customers WHERE forgotten_at IS NOT NULL"))
    return ids, np.isin(ids, forgotten)


def customers_later(store: Store) -> Callable[[Collection[int] | None], Mapping[int, PersonRow]]:
    """A reader of every customer's row (None) or of some customers' rows (their ids), read when called: on a
    connection of its own, opened for each read and closed after (by then the store may be closed, or belong to
    another thread). An in-memory store has no file to open again: it is read now, whole."""
    path = store.path
    if path is None:
        everyone = _customer_rows(store.conn)
        return lambda ids: everyone if ids is None else {cid: everyone[cid] for cid in ids if cid in everyone}

    def read(ids: Collection[int] | None) -> dict[int, PersonRow]:
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise StoreError(describe_error(exc, path)) from None
        try:
            return _customer_rows(conn, ids)
        finally:
            conn.close()

    return read


def referral_counts(store: Store, as_of: dt.date) -> dict[int, int]:
    """Customers each customer brought, not counting flagged (self/same phone...) referrals."""
    sql = "SELECT referrer_id, count(*) FROM referrals WHERE flag IS NULL AND created_at < ? GROUP BY referrer_id"
    return dict(store.conn.execute(sql, (day_after(as_of),)).fetchall())


def scheduled_callbacks(store: Store, as_of: dt.date) -> dict[int, dt.date]:
    """The earliest call-back after the as-of day the owner scheduled (in calls made by then)."""
    sql = """SELECT customer_id, min(callback_on) FROM calls
             WHERE callback_on > ? AND called_at < ?
               AND id NOT IN (SELECT target_id FROM undone WHERE kind = 'call') GROUP BY customer_id"""
    rows = store.conn.execute(sql, (as_of.isoformat(), day_after(as_of)))
    return {cid: dt.date.fromisoformat(day[:10]) for cid, day in rows}


def fingerprint(store: Store) -> tuple:
    """Cheap to read, and different after any change the retention figures depend on,
    whichever connection or process made it. (Every part is an index lookup or a short count:
    max(updated_at) of orders uses the index of migration 0008; ~20 ms at 1M orders.)"""
    sql = f"""SELECT (SELECT count(*) FROM orders), (SELECT max(id) FROM orders), (SELECT max(updated_at) FROM orders),
                    (SELECT count(*) FROM customers), (SELECT max(updated_at) FROM customers),
                    (SELECT count(*) FROM calls), (SELECT max(id) FROM calls), (SELECT count(*) FROM undone),
                    (SELECT count(*) FROM referrals), (SELECT max(id) FROM referrals),
                    (SELECT value FROM settings WHERE key = 'currency'), {_CHANGES}"""
    return tuple(store.conn.execute(sql).fetchone())


def change_marker(store: Store) -> tuple[int, int]:
    """Changes when any other connection commits (data_version) or this one writes (total_changes)."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes


# -- the kept columns (migrations/0019_retention_columns.sql) ---------------------------------------------

KEEP_WAIT_MS = 200  # a kept copy is not worth waiting for a writer (an import holds the lock for a file)
_ARRAYS = ("orders", "discounted", "credits", "revenue", "kept_orders", "counts", "days")


# Every import that commits adds a row to `imports` (its id only grows), and forgetting someone counts: a
# change's own stamp cannot be relied on alone (an import on an earlier --as-of, or in the same second,
# or after the clock went back, stamps a changed order before the newest stamp).
_CHANGES = "(SELECT coalesce(max(id), 0) FROM imports), (SELECT count(*) FROM customers WHERE forgotten_at IS NOT NULL)"


def orders_key(store: Store) -> str:
    """Changes whenever an order is added, removed or changed (index lookups: count, last id, last change,
    last import, forgotten customers)."""
    return orders_key_of(fingerprint(store))


def orders_key_of(fingerprint: tuple) -> str:
    """orders_key, from the fingerprint that holds its figures (read once: counting 1M orders takes ~15 ms)."""
    orders, last_id, last_change, *_rest, last_import, forgotten = fingerprint
    return json.dumps([orders, last_id, last_change, last_import, forgotten])


def kept_columns(
    store: Store, as_of: dt.date, currency: str, key: str | None = None
) -> tuple[OrderColumns, Months] | None:
    """The kept `order_columns(store, as_of, currency)`, if they still hold: the same orders, the same currency,
    and no order placed between the day they were read as of and `as_of` (nothing else tells the two apart).
    `key`: orders_key(store), when the caller read it in the same snapshot (it counts the orders: ~20 ms at 1M)."""
    try:
        row = store.conn.execute(
            "SELECT orders_key, as_of, months, data FROM retention_columns WHERE slot = 1 AND currency = ?", (currency,)
        ).fetchone()
    except sqlite3.OperationalError:  # a database from before migration 0019 opened read-only
        return None
    if row is None or row[0] != (key or orders_key(store)):
        return None
    kept_day = dt.date.fromisoformat(row[1])
    lo, hi = sorted((kept_day, as_of))
    between = "SELECT 1 FROM orders WHERE ordered_at >= ? AND ordered_at < ? LIMIT 1"
    if lo != hi and store.conn.execute(between, (day_after(lo), day_after(hi))).fetchone() is not None:
        return None
    return _unpack(row[3]), {month: (known, guest) for month, known, guest in json.loads(row[2])}


def keep_columns(store: Store, key: str, as_of: dt.date, currency: str, columns: OrderColumns, months: Months) -> bool:
    """Keep the columns read as of `as_of` from the orders that `key` (orders_key, read in the same snapshot)
    describes; on a connection of its own, so that a reader inside a snapshot can keep them too. Gives up at
    once when another process is writing or the file is read-only (False): a kept copy is only a shortcut."""
    if store.path is None:
        if store.conn.in_transaction:
            return False
        conn = store.conn
    else:
        try:
            conn = _connect(store.path)
        except sqlite3.Error:
            return False
    configured = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        if conn is not store.conn:
            configure(conn)
        conn.execute(f"PRAGMA busy_timeout = {KEEP_WAIT_MS}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT OR REPLACE INTO retention_columns (slot, orders_key, as_of, currency, months, built_at, data)"
                " VALUES (1, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    as_of.isoformat(),
                    currency,
                    json.dumps([[month, *totals] for month, totals in months.items()]),
                    store.clock.now_iso(),
                    _pack(columns),
                ),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return True
    except sqlite3.Error:
        return False
    finally:
        if conn is store.conn:
            conn.execute(f"PRAGMA busy_timeout = {configured}")
        else:
            conn.close()


def _pack(columns: OrderColumns) -> bytes:
    """The columns as numpy's .npz (plain arrays: read back with allow_pickle=False). The order days and the
    first purchases' days as int32 (date ordinals fit): half the bytes to read back (~14 MB at 1M orders)."""
    arrays = {name: getattr(columns, name) for name in _ARRAYS}
    arrays["days"] = columns.days.astype(np.int32)
    arrays["customer_ids"] = np.where(columns.guest, -1, columns.ids)
    arrays["first_day"] = columns.first_day.astype(np.int32)
    arrays["first_net"] = columns.first_net
    arrays["elsewhere"] = np.array([columns.elsewhere])
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _unpack(data: bytes) -> OrderColumns:
    with np.load(io.BytesIO(data), allow_pickle=False) as kept:
        arrays = {name: kept[name].astype(np.int64) if name != "elsewhere" else kept[name] for name in kept.files}
    ids = arrays["customer_ids"]
    return OrderColumns(
        ids=np.maximum(ids, 0),
        guest=ids < 0,
        orders=arrays["orders"],
        discounted=arrays["discounted"],
        credits=arrays["credits"],
        revenue=arrays["revenue"],
        kept_orders=arrays["kept_orders"],
        first_day=arrays["first_day"],
        first_net=arrays["first_net"],
        counts=arrays["counts"],
        days=arrays["days"],
        elsewhere=bool(arrays["elsewhere"][0]),
    )


@functools.lru_cache(maxsize=4096)
def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()
