"""Hand-made order histories (through the shared factories in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from shopkeep.store import Store
from tests.conftest import new_customer, new_order

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
    return new_customer(
        store,
        id=id,
        external_id=external_id,
        name=name,
        email=email,
        phone=phone,
        created_at=STAMP,
        updated_at=STAMP,
        forgotten_at=STAMP if forgotten else None,
    )


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
    return new_order(
        store,
        customer_id,
        order_key=str(next(_keys)),
        ordered_at=f"{day}T12:00:00",
        status=status,
        kind=kind,
        currency=currency,
        total=total,
        refunded=refunded,
        discount=discount,
        discount_code=discount_code,
        created_at=STAMP,
        updated_at=STAMP,
    )


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
