"""Queries for the health check."""

from __future__ import annotations

import sqlite3

from shopkeep.store import Store

COUNTED = ("customers", "orders", "order_lines", "imports", "calls", "notes", "loyalty_ledger", "referrals")


def integrity_check(store: Store) -> list[str]:
    try:
        return [row[0] for row in store.conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def table_counts(store: Store) -> dict[str, int]:
    counts = {}
    for name in COUNTED:
        try:
            counts[name] = store.scalar(f"SELECT count(*) FROM {name}")
        except sqlite3.DatabaseError:
            counts[name] = -1
    return counts
