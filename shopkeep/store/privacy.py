"""SQL for erasure on request."""

from __future__ import annotations

from shopkeep.store import Store


def has_forgotten(store: Store) -> bool:
    return store.scalar("SELECT 1 FROM customer_keys WHERE kind LIKE 'forgotten:%' LIMIT 1") is not None


def customer_for_key(store: Store, kind: str, value: str) -> int | None:
    return store.scalar("SELECT customer_id FROM customer_keys WHERE kind = ? AND value = ?", (kind, value))


def customer_exists(store: Store, customer_id: int) -> bool:
    return store.scalar("SELECT 1 FROM customers WHERE id = ?", (customer_id,)) is not None


def keys_of(store: Store, customer_id: int) -> list[tuple[str, str]]:
    rows = store.conn.execute(
        "SELECT kind, value FROM customer_keys WHERE customer_id = ? AND kind NOT LIKE 'forgotten:%'",
        (customer_id,),
    ).fetchall()
    c = store.one("SELECT email, phone, external_id FROM customers WHERE id = ?", (customer_id,)) or {}
    extra = [("email", c.get("email")), ("phone", c.get("phone"))]
    return sorted({*rows, *((k, v) for k, v in extra if v)})


def replace_keys(store: Store, customer_id: int, hashed: list[tuple[str, str]]) -> None:
    store.conn.execute(
        "DELETE FROM customer_keys WHERE customer_id = ? AND kind NOT LIKE 'forgotten:%'", (customer_id,)
    )
    store.conn.executemany(
        "INSERT OR IGNORE INTO customer_keys (kind, value, customer_id) VALUES (?, ?, ?)",
        [(kind, value, customer_id) for kind, value in hashed],
    )


def erase_personal_data(store: Store, customer_id: int, when: str) -> None:
    store.conn.execute(
        "UPDATE customers SET external_id = NULL, name = NULL, first_name = NULL, last_name = NULL, email = NULL,"
        " phone = NULL, city = NULL, birthday = NULL, do_not_call = 1, forgotten_at = ?, updated_at = ?"
        " WHERE id = ?",
        (when, when, customer_id),
    )
    store.conn.execute("DELETE FROM notes WHERE customer_id = ?", (customer_id,))
    store.conn.execute("DELETE FROM wrong_phones WHERE customer_id = ?", (customer_id,))
    store.conn.execute("UPDATE calls SET note = NULL, offer = NULL WHERE customer_id = ?", (customer_id,))
    store.conn.execute("UPDATE promises SET description = NULL WHERE customer_id = ?", (customer_id,))
    store.conn.execute("UPDATE orders SET city = NULL WHERE customer_id = ?", (customer_id,))
    if store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'call_drafts'"):
        store.conn.execute("DELETE FROM call_drafts WHERE customer_id = ?", (customer_id,))


def scrub_files(store: Store) -> None:
    """Overwrite freed bytes: the erased values must not linger in the database or its WAL."""
    store.conn.execute("VACUUM")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
