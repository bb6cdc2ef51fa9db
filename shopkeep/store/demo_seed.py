"""SQL for building the demo shop (shopkeep.demo) and copying it for a session.

The orders of the demo come in through the importer, its calls and promises through the calls store
(shopkeep.store.calls); what neither brings (languages, own referral codes, notes) is written here.
Bookkeeping columns that would carry the wall clock are set to the demo's own moment so that the same
seed builds the same database; the built file is then made self-contained (no -wal) and compacted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from shopkeep.store import Store, sales


class Identity(NamedTuple):
    """How the importer keyed a demo customer: the e-mail address and the E.164 phone (either may be None)."""

    email: str | None
    phone: str | None


class Profile(NamedTuple):
    customer_id: int
    language: str
    referral_code: str | None  # the customer's own code, when they refer friends


class NoteRow(NamedTuple):
    customer_id: int
    body: str
    created_at: str


def customer_ids(store: Store, identities: Sequence[Identity]) -> list[int | None]:
    """The customer id for each identity, by the identity keys the importer wrote."""
    keys = {
        (row["kind"], row["value"]): row["customer_id"]
        for row in store.rows("SELECT kind, value, customer_id FROM customer_keys WHERE kind IN ('email', 'phone')")
    }
    return [keys.get(("email", (i.email or "").lower())) or keys.get(("phone", i.phone or "")) for i in identities]


def set_profiles(store: Store, profiles: Sequence[Profile]) -> None:
    store.conn.executemany(
        "UPDATE customers SET language = :language, referral_code = coalesce(:referral_code, referral_code)"
        " WHERE id = :customer_id",
        [p._asdict() for p in profiles],
    )


def add_notes(store: Store, notes: Sequence[NoteRow]) -> None:
    store.conn.executemany(
        "INSERT INTO notes (customer_id, body, created_at, updated_at)"
        " VALUES (:customer_id, :body, :created_at, :created_at)",
        [n._asdict() for n in notes],
    )


def settle_timestamps(store: Store, moment: str) -> None:
    """Replace wall-clock bookkeeping times with the demo's own moment (orders: the moment they were placed)."""
    conn = store.conn
    conn.execute("UPDATE schema_migrations SET applied_at = ?", (moment,))
    conn.execute("UPDATE imports SET started_at = ?1, finished_at = ?1", (moment,))
    conn.execute("UPDATE customers SET created_at = ?1, updated_at = ?1", (moment,))
    conn.execute("UPDATE orders SET created_at = ordered_at, updated_at = ordered_at")
    conn.execute("UPDATE header_mappings SET updated_at = ?", (moment,))
    conn.execute("UPDATE call_scripts SET updated_at = ?", (moment,))


def figures(store: Store) -> dict[str, int]:
    """Headline figures of a built demo: customers, orders and revenue (minor units, paid part)."""
    row = store.one(
        "SELECT (SELECT count(*) FROM customers) AS customers,"
        " (SELECT count(*) FROM orders) AS orders,"
        " (SELECT count(*) FROM order_lines) AS lines,"
        f" (SELECT coalesce(sum({sales.net_revenue_sql()}), 0) FROM orders) AS revenue,"
        " (SELECT count(*) FROM calls) AS calls"
    )
    assert row is not None
    return row


def make_self_contained(path: Path) -> None:
    """The built demo as one file: out of WAL mode (no -wal beside it), compacted. Nothing else has it open."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()


def copy_read_only(source: Path, target: Path) -> None:
    """Copy the database at `source` (opened read-only, never changed) to `target` with SQLite's backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
