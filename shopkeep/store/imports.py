"""SQL for the record of import runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shopkeep.store import Store

COUNTS = (
    "rows_read",
    "orders_new",
    "orders_known",
    "orders_updated",
    "customers_new",
    "customers_matched",
    "guest_orders",
    "skipped",
)


def start(conn: sqlite3.Connection, file_name: str, file_hash: str, fmt: str, started_at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO imports (file_name, file_hash, format, started_at) VALUES (?, ?, ?, ?)",
        (file_name, file_hash, fmt, started_at),
    )
    return cursor.lastrowid


def finish(conn: sqlite3.Connection, import_id: int, counts: dict[str, int], finished_at: str) -> None:
    assignments = ", ".join(f"{name} = ?" for name in COUNTS)
    conn.execute(
        f"UPDATE imports SET {assignments}, finished_at = ? WHERE id = ?",
        (*(counts[name] for name in COUNTS), finished_at, import_id),
    )


def recent(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest import runs, newest first."""
    return store.rows(
        f"SELECT id, file_name, file_hash, format, started_at, finished_at, {', '.join(COUNTS)}"
        " FROM imports ORDER BY id DESC LIMIT ?",
        (limit,),
    )


@contextmanager
def bulk_cache(conn: sqlite3.Connection, kib: int = 65_536) -> Iterator[None]:
    """A bigger page cache while one import runs, so index pages are not spilled and re-read."""
    previous = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(previous)}")
