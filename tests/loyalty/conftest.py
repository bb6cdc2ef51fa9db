"""Customers and orders inserted with plain SQL, as the importer would leave them."""

from __future__ import annotations

import itertools

import pytest

_keys = itertools.count(1)


def add_customer(store, name="Anna Kowalska", *, first_name=None, email=None, phone=None, city=None, external_id=None):
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO customers (external_id, name, first_name, email, phone, city, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00', '2025-01-01T00:00:00')",
            (external_id, name, first_name, email, phone, city),
        )
    return cursor.lastrowid


def add_order(
    store,
    customer_id,
    total,
    *,
    at="2026-03-10T12:00:00",
    status="paid",
    refunded=0,
    kind="order",
    currency="EUR",
    referral_code=None,
):
    key = f"o{next(_keys)}"
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO orders (source, order_key, customer_id, ordered_at, status, kind, currency, total, refunded,"
            " referral_code, content_hash, created_at, updated_at)"
            " VALUES ('generic', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)",
            (key, customer_id, at, status, kind, currency, total, refunded, referral_code, at, at),
        )
    return cursor.lastrowid


def update_order(store, order_id, *, updated_at="2026-04-01T09:00:00", **fields):
    """What a re-import does when the platform reports a refund or cancellation."""
    sets = ", ".join(f"{name} = ?" for name in fields)
    with store.write() as conn:
        conn.execute(f"UPDATE orders SET {sets}, updated_at = ? WHERE id = ?", (*fields.values(), updated_at, order_id))


def ledger(store, customer_id):
    return store.rows(
        "SELECT delta, reason, reference, created_at, idempotency_key FROM loyalty_ledger"
        " WHERE customer_id = ? ORDER BY id",
        (customer_id,),
    )


@pytest.fixture
def shop(store):
    store.set_setting("currency", "EUR")
    store.set_setting("country", "PL")
    store.set_setting("referral_salt", "test-salt")
    return store
