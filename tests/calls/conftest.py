from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import insert_row, new_customer, new_order

from .helpers import AS_OF

NOW = "2026-01-01T00:00:00"


def add_customer(store, cid: int, name: str, phone: str | None = "+48600100200", **extra) -> None:
    new_customer(store, **{"id": cid, "name": name, "phone": phone, "created_at": NOW, "updated_at": NOW, **extra})


def add_order(store, cid: int, days_ago: int, total: int = 10_000, product: str | None = None, **extra) -> None:
    key = f"{cid}-{days_ago}-{total}"
    when = dt.datetime.combine(AS_OF - dt.timedelta(days=days_ago), dt.time(12)).isoformat()
    cols = {
        "source": "generic",
        "order_key": key,
        "customer_id": cid,
        "ordered_at": when,
        "currency": "EUR",
        "total": total,
        "content_hash": key,
        "created_at": NOW,
        "updated_at": NOW,
        **extra,
    }
    order_id = new_order(store, **cols)
    if product:
        insert_row(store, "order_lines", order_id=order_id, line_no=1, product=product, line_total=total)


@pytest.fixture
def shop(store):
    """A small shop: a slipping regular, a new buyer, a regular on track, one without phone, one do-not-call."""
    add_customer(store, 1, "Anna {name}[/]", first_name="Anna", referral_code="ANNA-7Q")
    for n in range(9):  # every 24 days, last one 61 days ago
        add_order(store, 1, 61 + 24 * (8 - n), 13_778 if n else 13_776, product="Green tea" if n == 8 else None)
    add_customer(store, 2, "Bartek", phone="+48600100300")
    add_order(store, 2, 5, 4_000, product="Mug")
    add_customer(store, 3, "Celina")  # orders every 20 days, last 5 days ago: on track
    for n in range(6):
        add_order(store, 3, 5 + 20 * n, 8_000)
    add_customer(store, 4, "Dorota", phone=None)
    for n in range(6):
        add_order(store, 4, 90 + 20 * n, 9_000)
    add_customer(store, 5, "Edyta", do_not_call=1)
    for n in range(6):
        add_order(store, 5, 90 + 20 * n, 9_000)
    store.conn.execute(
        "INSERT INTO loyalty_ledger (customer_id, delta, reason, created_at)"
        " VALUES (1, 340, 'bonus', '2026-06-01T10:00:00')"
    )
    return store
