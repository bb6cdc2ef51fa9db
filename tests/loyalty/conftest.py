"""Customers and orders as the importer would leave them (the shared factories in tests/conftest.py)."""

from __future__ import annotations

import itertools

import pytest

from tests.conftest import new_customer, new_order

_keys = itertools.count(1)


def add_customer(store, name="Anna Kowalska", *, first_name=None, email=None, phone=None, city=None, external_id=None):
    return new_customer(
        store,
        external_id=external_id,
        name=name,
        first_name=first_name,
        email=email,
        phone=phone,
        city=city,
        created_at="2025-01-01T00:00:00",
        updated_at="2025-01-01T00:00:00",
    )


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
    return new_order(
        store,
        customer_id,
        source="generic",
        order_key=f"o{next(_keys)}",
        ordered_at=at,
        status=status,
        kind=kind,
        currency=currency,
        total=total,
        refunded=refunded,
        referral_code=referral_code,
        created_at=at,
        updated_at=at,
    )


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
