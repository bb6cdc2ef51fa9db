"""Hand-made order histories, inserted with plain SQL."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from shopkeep.store import Store

STAMP = "2026-01-01T00:00:00"
_keys = itertools.count(1)


def add_customer(
    store: Store,
    *,
    external_id: str | None = None,
    name: str | None = "A Customer",
    email: str | None = None,
    phone: str | None = None,
    forgotten: bool = False,
    id: int | None = None,  # None: the next free one
) -> int:
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO customers (id, external_id, name, email, phone, created_at, updated_at, forgotten_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (id, external_id, name, email, phone, STAMP, STAMP, STAMP if forgotten else None),
        )
    return cursor.lastrowid


def add_order(
    store: Store,
    customer_id: int | None,
    day: str | dt.date,
    total: int = 5000,
    *,
    status: str = "paid",
    kind: str = "order",
    currency: str = "EUR",
    refunded: int = 0,
    discount: int = 0,
    discount_code: str | None = None,
) -> int:
    day = day.isoformat() if isinstance(day, dt.date) else day
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO orders (source, order_key, customer_id, ordered_at, status, kind, currency, total, refunded,"
            " discount, discount_code, content_hash, created_at, updated_at)"
            " VALUES ('test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)",
            (
                str(next(_keys)),
                customer_id,
                f"{day}T12:00:00",
                status,
                kind,
                currency,
                total,
                refunded,
                discount,
                discount_code,
                STAMP,
                STAMP,
            ),
        )
    return cursor.lastrowid


def add_history(store: Store, days: list[str], total: int = 5000, **customer) -> int:
    """A customer with one paid order of `total` on each day."""
    cid = add_customer(store, **customer)
    for day in days:
        add_order(store, cid, day, total)
    return cid


@pytest.fixture
def mem():
    s = Store.memory()
    yield s
    s.close()
