"""SQL for loyalty points and tiers: the append-only ledger, the orders that earn, 12-month spend.

The ledger is never updated or deleted (triggers refuse it); a balance is the sum of deltas and
the database refuses an entry that would make it negative.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any, NamedTuple

from shopkeep.store import Store, dict_row, sales

# Net revenue of one order row `o` (see shopkeep.store.sales).
NET_REVENUE_SQL = sales.net_revenue_sql("o")

RULES_KEY = "loyalty_rules"


def insert_entry(
    conn: sqlite3.Connection,
    *,
    customer_id: int,
    delta: int,
    reason: str,
    created_at: str,
    reference: str | None = None,
    key: str | None = None,
    note: str | None = None,
) -> int | None:
    """Append one entry; None when an entry with the same idempotency key already exists."""
    cursor = conn.execute(
        "INSERT INTO loyalty_ledger (customer_id, delta, reason, reference, created_at, idempotency_key, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING",
        (customer_id, delta, reason, reference, created_at, key, note),
    )
    return cursor.lastrowid if cursor.rowcount == 1 else None


def insert_entries(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Append many entries whose idempotency keys are known to be new (same fields as insert_entry)."""
    conn.executemany(
        "INSERT INTO loyalty_ledger (customer_id, delta, reason, reference, created_at, idempotency_key, note)"
        " VALUES (:customer_id, :delta, :reason, :reference, :created_at, :key, :note)",
        rows,
    )


def key_exists(store: Store, key: str) -> bool:
    return store.scalar("SELECT 1 FROM loyalty_ledger WHERE idempotency_key = ?", (key,)) is not None


def balance(store: Store, customer_id: int) -> int:
    return store.scalar(
        "SELECT coalesce(sum(delta), 0) FROM loyalty_ledger WHERE customer_id = ?",
        (customer_id,),
    )


def entries(store: Store, customer_id: int) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT id, customer_id, delta, reason, reference, created_at, idempotency_key, note"
        " FROM loyalty_ledger WHERE customer_id = ? ORDER BY created_at, id",
        (customer_id,),
    )


CHUNK = 5_000  # rows read at a time by the upkeep: its memory does not grow with the history

_CANDIDATE_COLUMNS = (
    "SELECT o.id, o.customer_id, o.kind, o.status, o.total, o.refunded, o.currency, o.ordered_at, o.updated_at,"
    " e.id IS NOT NULL AS awarded,"
    " coalesce(e.delta, 0) AS earned,"
    " (SELECT coalesce(sum(r.delta), 0) FROM loyalty_ledger r WHERE r.idempotency_key >= 'order:' || o.id || ':r'"
    "   AND r.idempotency_key < 'order:' || o.id || ':s') AS reversed"
)


def purchase_candidates(store: Store, start: str, end_exclusive: str) -> Iterator[list[dict[str, Any]]]:
    """Orders that may need a purchase entry, in chunks of CHUNK rows: paid orders placed in
    [start, end_exclusive) without an award, credit notes placed then not yet counted, and (whenever
    placed) awarded orders since refunded, cancelled or voided, wholly or partly; with what the order
    earned and what was taken back so far (keys `order:<id>:earn`, `order:<id>:refund...`,
    `order:<id>:credit`, found through the unique index). The first part walks the date index from the
    start day, so a long history before it costs nothing; the second walks the awards (the ledger's
    `order:<id>:earn` keys), not the orders: only an order that earned can have points to take back."""
    new_orders = (
        _CANDIDATE_COLUMNS + " FROM orders o"
        " LEFT JOIN loyalty_ledger e ON e.idempotency_key = 'order:' || o.id || ':earn'"
        " LEFT JOIN loyalty_ledger c ON c.idempotency_key = 'order:' || o.id || ':credit'"
        " WHERE o.ordered_at >= :start AND o.ordered_at < :end AND o.customer_id IS NOT NULL AND ("
        f"  ({sales.sale_sql('o')} AND e.id IS NULL)"
        f"  OR ({sales.credit_sql('o')} AND c.id IS NULL AND o.total < 0))"
        " ORDER BY +o.ordered_at, o.id"  # sorted apart: every row is read before the first award is written
    )
    undone = (
        _CANDIDATE_COLUMNS + " FROM loyalty_ledger e"
        " JOIN orders o ON o.id = CAST(substr(e.idempotency_key, 7) AS INTEGER)"  # 'order:<id>:earn'
        " WHERE e.idempotency_key >= 'order:' AND e.idempotency_key < 'order;' AND e.idempotency_key GLOB '*:earn'"
        " AND o.kind = 'order' AND o.customer_id IS NOT NULL AND +o.ordered_at < :end"
        f" AND (o.status IN {sales.UNDONE_STATUSES_SQL} OR o.refunded > 0)"
        " ORDER BY +o.ordered_at, o.id"
    )
    params = {"start": start, "end": end_exclusive}
    for query in (new_orders, undone):
        cursor = store.conn.execute(query, params)
        cursor.row_factory = dict_row
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def earliest_purchase_award(store: Store) -> str | None:
    """The moment of the earliest purchase entry (dated with its order), None with none."""
    return store.scalar("SELECT min(created_at) FROM loyalty_ledger WHERE reason = 'purchase'")


def has_orders(store: Store) -> bool:
    return store.scalar("SELECT 1 FROM orders LIMIT 1") is not None


def balances_with_activity(store: Store, end_exclusive: str, customer_id: int | None = None) -> list[dict[str, Any]]:
    """Positive balances with the day of the customer's last order that brought money before
    `end_exclusive` (`last_order`) and of the last points they earned (`last_earned`)."""
    where = "" if customer_id is None else " WHERE l.customer_id = :cid"
    return store.rows(
        "SELECT l.customer_id, sum(l.delta) AS points,"
        " substr(max(CASE WHEN l.delta > 0 AND l.reason <> 'refund' AND l.created_at < :end"
        "  THEN l.created_at END), 1, 10) AS last_earned,"
        " substr((SELECT max(o.ordered_at) FROM orders o WHERE o.customer_id = l.customer_id"
        f"  AND {sales.sale_sql('o')} AND o.ordered_at < :end), 1, 10) AS last_order"
        f" FROM loyalty_ledger l{where} GROUP BY l.customer_id HAVING points > 0",
        {"end": end_exclusive, "cid": customer_id},
    )


def _spend_sql(customer_id: int | None = None) -> str:
    """customer_id, spend: net revenue (minor units of :cur) of each customer's orders in [:start, :end).
    Through the date index: a year of a long history is read in the order it was placed."""
    where = "" if customer_id is None else " AND o.customer_id = :cid"
    return (
        f"SELECT o.customer_id, sum({NET_REVENUE_SQL}) AS spend FROM orders o"
        " WHERE o.customer_id IS NOT NULL AND o.currency = :cur AND o.ordered_at >= :start"
        f" AND o.ordered_at < :end{where} GROUP BY o.customer_id"
    )


def spend_between(
    store: Store, start: str, end_exclusive: str, currency: str, customer_id: int | None = None
) -> dict[int, int]:
    """customer_id -> net revenue (minor units of `currency`) of orders in [start, end)."""
    params = {"cur": currency, "start": start, "end": end_exclusive, "cid": customer_id}
    return dict(store.conn.execute(_spend_sql(customer_id), params).fetchall())


def tier_moves(
    store: Store, start: str, end_exclusive: str, currency: str, ladder: list[tuple[int, str]]
) -> list[tuple[int, str | None, str]]:
    """(customer_id, tier last recorded or None, tier now) of every customer (not forgotten) whose tier by
    net spend in [start, end) differs from the last recorded one (none recorded: the first of the ladder).
    `ladder`: (threshold in minor units of `currency`, tier name), rising from 0; a spend below the first
    threshold (a credit note) is in the first tier. One query: the spend is summed by SQLite."""
    params: dict[str, object] = {"cur": currency, "start": start, "end": end_exclusive, "first": ladder[0][1]}
    steps = []
    for n, (threshold, name) in reversed(list(enumerate(ladder))):
        params[f"t{n}"], params[f"n{n}"] = threshold, name
        steps.append(f"WHEN coalesce(s.spend, 0) >= :t{n} THEN :n{n}")
    tier = f"CASE {' '.join(steps)} ELSE :first END"
    return store.conn.execute(
        f"SELECT id, before, tier FROM (SELECT c.id, t.to_tier AS before, {tier} AS tier FROM customers c"
        f" LEFT JOIN ({_spend_sql()}) s ON s.customer_id = c.id"
        " LEFT JOIN (SELECT customer_id, to_tier, max(id) FROM tier_changes GROUP BY customer_id) t"
        "  ON t.customer_id = c.id WHERE c.forgotten_at IS NULL)"
        " WHERE tier IS NOT coalesce(nullif(before, ''), :first) ORDER BY id",
        params,
    ).fetchall()


def insert_tier_change(
    conn: sqlite3.Connection, customer_id: int, from_tier: str | None, to_tier: str, at: str
) -> None:
    conn.execute(
        "INSERT INTO tier_changes (customer_id, from_tier, to_tier, changed_at) VALUES (?, ?, ?, ?)",
        (customer_id, from_tier, to_tier, at),
    )


class TierChangeRow(NamedTuple):
    customer_id: int
    from_tier: str | None
    to_tier: str
    changed_at: str


def insert_tier_changes(conn: sqlite3.Connection, rows: list[TierChangeRow]) -> None:
    conn.executemany(
        "INSERT INTO tier_changes (customer_id, from_tier, to_tier, changed_at)"
        " VALUES (:customer_id, :from_tier, :to_tier, :changed_at)",
        [row._asdict() for row in rows],
    )


class ExpiryRow(NamedTuple):
    customer_id: int
    delta: int  # negative: the points that expire
    created_at: str
    key: str  # the idempotency key: each expiry is written once


def insert_expiries(conn: sqlite3.Connection, rows: list[ExpiryRow]) -> int:
    """Expiry entries, each once: the points expired by those that were new."""
    expired = 0
    for row in rows:
        new = insert_entry(
            conn, customer_id=row.customer_id, delta=row.delta, reason="expiry", created_at=row.created_at, key=row.key
        )
        if new is not None:
            expired -= row.delta
    return expired


def summary_rows(store: Store, start: str, end_exclusive: str, currency: str) -> list[tuple[int, int, int, int]]:
    """One tuple per customer: (customer_id, points, spend in [start, end), referrals (unflagged)), in one
    query; the spend summed through the date index (spend_between)."""
    return store.conn.execute(
        "SELECT c.id AS customer_id, coalesce(p.points, 0) AS points, coalesce(s.spend, 0) AS spend,"
        " coalesce(r.referred, 0) AS referred FROM customers c"
        " LEFT JOIN (SELECT customer_id, sum(delta) AS points FROM loyalty_ledger GROUP BY customer_id) p"
        "  ON p.customer_id = c.id"
        f" LEFT JOIN ({_spend_sql()}) s ON s.customer_id = c.id"
        " LEFT JOIN (SELECT referrer_id, count(*) AS referred FROM referrals WHERE flag IS NULL"
        "  GROUP BY referrer_id) r ON r.referrer_id = c.id",
        {"cur": currency, "start": start, "end": end_exclusive},
    ).fetchall()


def entry_exists(store: Store, entry_id: int) -> bool:
    return store.scalar("SELECT 1 FROM loyalty_ledger WHERE id = ?", (entry_id,)) is not None
