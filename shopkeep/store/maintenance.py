"""Queries for the health check, and the file's schema as sqlite-utils reads it (tables, rows, indexes)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shopkeep.clock import Clock
from shopkeep.store import Store, configure, migrate

if TYPE_CHECKING:
    import sqlite_utils

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


@dataclass(frozen=True)
class TableInfo:
    name: str
    rows: int
    columns: tuple[str, ...]
    indexes: tuple[str, ...]  # those created by name (CREATE INDEX), not SQLite's own for keys


def tables(store: Store) -> list[TableInfo]:
    """Every table of the file with its row count, columns and named indexes, read through sqlite-utils."""
    return _tables(store.db)


def _tables(db: sqlite_utils.Database) -> list[TableInfo]:
    found = []
    for name in db.table_names():
        table = db.table(name)
        named = tuple(sorted(index.name for index in table.indexes if index.origin == "c"))
        found.append(TableInfo(name, table.count, tuple(table.columns_dict), named))
    return found


def schema_shape(store: Store) -> set[str]:
    """What the file's schema is made of, one word each: 'table t', 'column t.c', 'index i', 'trigger g'."""
    return _shape(store.db)


def expected_schema_shape(migrations_dir: Path | None, clock: Clock) -> set[str]:
    """`schema_shape` of a new database made by the migrations (a private one in memory, never a file)."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        configure(conn)
        migrate.apply_pending(conn, None, migrations_dir, clock)
        return _shape(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False))
    finally:
        conn.close()


def _shape(db: sqlite_utils.Database) -> set[str]:
    shape = {f"view {name}" for name in db.view_names()} | {f"trigger {t.name}" for t in db.triggers}
    for info in _tables(db):
        if info.name.startswith("sqlite_"):  # SQLite's own (sqlite_stat1 after an ANALYZE, sqlite_sequence)
            continue
        shape |= {f"table {info.name}"} | {f"column {info.name}.{c}" for c in info.columns}
        shape |= {f"index {i}" for i in info.indexes}
    return shape
