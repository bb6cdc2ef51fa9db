"""SQL for the demo shop's own history: calls, promises, notes, and fixed bookkeeping times.

The orders of the demo come in through the importer; what an importer never brings (the
owner's calls and notes) is written here. Bookkeeping columns that would carry the wall clock
are set to the demo's own moment so that the same seed builds the same database.
"""

from __future__ import annotations

from collections.abc import Sequence

from shopkeep.store import Store, sales


def customer_ids(store: Store, identities: Sequence[tuple[str | None, str | None]]) -> list[int | None]:
    """The customer id for each (email, E.164 phone), by the identity keys the importer wrote."""
    keys = {
        (row["kind"], row["value"]): row["customer_id"]
        for row in store.rows("SELECT kind, value, customer_id FROM customer_keys WHERE kind IN ('email', 'phone')")
    }
    return [
        keys.get(("email", (email or "").lower())) or keys.get(("phone", phone or "")) for email, phone in identities
    ]


def set_profiles(store: Store, profiles: Sequence[tuple[int, str, str | None]]) -> None:
    """(customer id, language, own referral code or None) for each customer."""
    store.conn.executemany(
        "UPDATE customers SET language = ?, referral_code = coalesce(?, referral_code) WHERE id = ?",
        [(language, code, customer_id) for customer_id, language, code in profiles],
    )


def add_notes(store: Store, notes: Sequence[tuple[int, str, str]]) -> None:
    """(customer id, body, created_at) rows."""
    store.conn.executemany(
        "INSERT INTO notes (customer_id, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        notes,
    )


def add_call(store: Store, row: tuple) -> int:
    """(customer id, called_at, outcome, reason, offer, note, callback_on, list_date) -> the new call id."""
    cursor = store.conn.execute(
        "INSERT INTO calls (customer_id, called_at, outcome, reason, offer, note, callback_on, list_date)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        row,
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def add_promises(store: Store, promises: Sequence[tuple]) -> None:
    """(customer id, call id, kind, amount, description, due_on, closed_at) rows."""
    store.conn.executemany(
        "INSERT INTO promises (customer_id, call_id, kind, amount, description, due_on, closed_at, closed_how)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?7 IS NULL THEN NULL ELSE 'given' END)",
        promises,
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
