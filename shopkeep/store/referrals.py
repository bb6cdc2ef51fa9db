"""SQL for referrals: customers' own codes, who sent whom, rewards, the leaderboard and chains."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from typing import Any

from shopkeep.store import Store, sales
from shopkeep.store.loyalty import NET_REVENUE_SQL

SALT_KEY = "referral_salt"


def ids_without_code(store: Store) -> list[int]:
    """Customers (not forgotten) without a referral code, by id."""
    rows = store.conn.execute(
        "SELECT id FROM customers WHERE referral_code IS NULL AND forgotten_at IS NULL ORDER BY id"
    ).fetchall()
    return [r[0] for r in rows]


def codes_in_use(store: Store, codes: Collection[str]) -> set[str]:
    """Which of `codes` some customer already has (one query, through the codes' unique index)."""
    rows = store.conn.execute(
        "SELECT referral_code FROM customers WHERE referral_code IN (SELECT value FROM json_each(?))",
        (json.dumps(list(codes)),),
    ).fetchall()
    return {r[0] for r in rows}


def set_code(conn: sqlite3.Connection, customer_id: int, code: str) -> None:
    conn.execute("UPDATE customers SET referral_code = ? WHERE id = ?", (code, customer_id))


def set_codes(conn: sqlite3.Connection, customer_ids: list[int], codes: list[str]) -> None:
    """Give each customer of `customer_ids` the code at the same place in `codes`, in one statement."""
    pairs = json.dumps(list(zip(customer_ids, codes, strict=True)))
    conn.execute(
        "UPDATE customers SET referral_code = given.code FROM (SELECT json_extract(value, '$[0]') AS id,"
        " json_extract(value, '$[1]') AS code FROM json_each(?)) AS given WHERE customers.id = given.id",
        (pairs,),
    )


def customer_with_code(store: Store, code: str) -> int | None:
    """The owner of a code (codes are stored in capitals; `code` must be too)."""
    return store.scalar("SELECT id FROM customers WHERE referral_code = ?", (code,))


def unlinked_first_orders_with_code(store: Store) -> list[dict[str, Any]]:
    """Customers without a referrer whose first order carries a referral code. The orders with a code are
    found through their partial index (migrations/0024; `+` keeps the date index from being walked instead)."""
    return store.rows(
        "SELECT o.customer_id, upper(trim(o.referral_code)) AS code, o.ordered_at FROM orders o"
        " WHERE o.customer_id IS NOT NULL AND o.referral_code IS NOT NULL AND trim(o.referral_code) <> ''"
        "  AND o.id = (SELECT f.id FROM orders f WHERE f.customer_id = o.customer_id"
        "   ORDER BY f.ordered_at, f.id LIMIT 1)"
        "  AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.referred_id = o.customer_id)"
        " ORDER BY +o.ordered_at, o.id"
    )


def referrer_of(store: Store, referred_id: int) -> int | None:
    return store.scalar("SELECT referrer_id FROM referrals WHERE referred_id = ?", (referred_id,))


def insert_referral(
    conn: sqlite3.Connection,
    *,
    referrer_id: int,
    referred_id: int,
    source: str,
    code: str | None,
    created_at: str,
    flag: str | None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO referrals (referrer_id, referred_id, source, code, created_at, flag) VALUES (?, ?, ?, ?, ?, ?)",
        (referrer_id, referred_id, source, code, created_at, flag),
    )
    return cursor.lastrowid


def referral(store: Store, referral_id: int) -> dict[str, Any] | None:
    return store.one(
        "SELECT id, referrer_id, referred_id, source, code, created_at, flag, rewarded_at FROM referrals WHERE id = ?",
        (referral_id,),
    )


def due_rewards(store: Store, end_exclusive: str) -> list[dict[str, Any]]:
    """Unflagged, unrewarded referrals whose friend has a paid order before `end_exclusive`."""
    return store.rows(
        "SELECT id, referrer_id, referred_id, paid_at FROM ("
        " SELECT r.id, r.referrer_id, r.referred_id, (SELECT min(o.ordered_at) FROM orders o"
        f"  WHERE o.customer_id = r.referred_id AND {sales.sale_sql('o')}"
        "  AND o.ordered_at < :end) AS paid_at"
        " FROM referrals r WHERE r.flag IS NULL AND r.rewarded_at IS NULL"
        ") WHERE paid_at IS NOT NULL ORDER BY paid_at, id",
        {"end": end_exclusive},
    )


def mark_rewarded(conn: sqlite3.Connection, referral_id: int, at: str) -> None:
    conn.execute("UPDATE referrals SET rewarded_at = ? WHERE id = ? AND rewarded_at IS NULL", (at, referral_id))


def leaderboard_rows(store: Store, start: str, end_exclusive: str, currency: str, limit: int) -> list[dict[str, Any]]:
    """Per referrer: friends brought in [start, end) and those friends' net revenue in [start, end)."""
    return store.rows(
        "SELECT r.referrer_id AS customer_id, c.name,"
        " sum(CASE WHEN r.created_at >= :start THEN 1 ELSE 0 END) AS referred,"
        " coalesce(sum(rev.revenue), 0) AS revenue"
        " FROM referrals r JOIN customers c ON c.id = r.referrer_id"
        f" LEFT JOIN (SELECT o.customer_id, sum({NET_REVENUE_SQL}) AS revenue FROM orders o"
        "  WHERE o.customer_id IN (SELECT referred_id FROM referrals WHERE flag IS NULL)"
        "  AND o.currency = :cur AND o.ordered_at >= :start AND o.ordered_at < :end"
        "  GROUP BY o.customer_id) rev ON rev.customer_id = r.referred_id"
        " WHERE r.flag IS NULL AND r.created_at < :end"
        " GROUP BY r.referrer_id HAVING referred > 0 OR revenue <> 0"
        " ORDER BY referred DESC, revenue DESC, r.referrer_id LIMIT :limit",
        {"start": start, "end": end_exclusive, "cur": currency, "limit": limit},
    )


def downline(store: Store, customer_id: int, max_depth: int) -> list[dict[str, Any]]:
    """Everyone referred below `customer_id`, with their referrer and depth, breadth first."""
    return store.rows(
        "WITH RECURSIVE down(id, parent, flag, depth) AS ("
        " SELECT referred_id, referrer_id, flag, 1 FROM referrals WHERE referrer_id = :cid"
        " UNION SELECT r.referred_id, r.referrer_id, r.flag, d.depth + 1 FROM referrals r"
        "  JOIN down d ON r.referrer_id = d.id WHERE d.depth < :max)"
        " SELECT id, parent, flag, depth FROM down ORDER BY depth, id",
        {"cid": customer_id, "max": max_depth},
    )


def advocate_ids(store: Store, minimum: int) -> set[int]:
    rows = store.rows(
        "SELECT referrer_id FROM referrals WHERE flag IS NULL GROUP BY referrer_id HAVING count(*) >= ?",
        (minimum,),
    )
    return {r["referrer_id"] for r in rows}
