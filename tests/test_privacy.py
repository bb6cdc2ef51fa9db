from __future__ import annotations

import sqlite3

import pytest

from shopkeep.errors import ShopkeepError
from shopkeep.privacy import ForgottenKeys, forget
from shopkeep.store import Store
from tests.conftest import insert_row, new_customer, new_order

EMAIL = "marta.wisniewska@example.pl"
OLD_PHONE = "+48600999000"  # a number the owner found wrong


def _person(store: Store) -> int:
    with store.write():
        cid = new_customer(
            store,
            external_id="000123",
            name="Marta Wiśniewska",
            email=EMAIL,
            phone="+48600123456",
            city="Kraków",
            created_at="2026-01-01",
            updated_at="2026-01-01",
        )
        for kind, value in [("email", EMAIL), ("phone", "+48600123456"), ("ext:shopify", "000123")]:
            insert_row(store, "customer_keys", kind=kind, value=value, customer_id=cid)
        new_order(
            store,
            cid,
            source="shopify",
            order_key="#1",
            ordered_at="2026-02-01T10:00:00",
            currency="PLN",
            total=12900,
            created_at="x",
            updated_at="x",
            city="Kraków",
        )
        insert_row(store, "notes", customer_id=cid, body=f"prefers email {EMAIL}", created_at="x", updated_at="x")
        insert_row(store, "calls", customer_id=cid, called_at="x", outcome="will_return", note=f"wrote to {EMAIL}")
        insert_row(store, "wrong_phones", customer_id=cid, phone=OLD_PHONE, marked_at="x")
    return cid


def test_forget_erases_person_keeps_order_totals(store):
    cid = _person(store)
    forget(store, cid)
    row = store.one("SELECT * FROM customers WHERE id = ?", (cid,))
    assert row["name"] is None and row["email"] is None and row["phone"] is None and row["external_id"] is None
    assert row["forgotten_at"] is not None and row["do_not_call"] == 1
    assert store.scalar("SELECT count(*) FROM notes") == 0
    assert store.scalar("SELECT note FROM calls") is None
    assert store.scalar("SELECT count(*) FROM wrong_phones") == 0
    assert store.scalar("SELECT sum(total) FROM orders WHERE customer_id = ?", (cid,)) == 12900
    kinds = {r["kind"] for r in store.rows("SELECT kind FROM customer_keys")}
    assert kinds == {"forgotten:email", "forgotten:phone", "forgotten:ext:shopify"}


def test_forgotten_identity_is_recognised_not_restored(store):
    cid = _person(store)
    forget(store, cid)
    keys = ForgottenKeys(store)
    assert keys.customer_for("email", EMAIL) == cid
    assert keys.customer_for("phone", "+48600123456") == cid
    assert keys.customer_for("email", "someone.else@example.pl") is None


def test_raw_bytes_no_longer_hold_the_email(db_path):
    with Store.open(db_path) as s:
        s.conn.execute("PRAGMA wal_autocheckpoint = 0")
        cid = _person(s)
        raw = db_path.read_bytes() + db_path.with_name(db_path.name + "-wal").read_bytes()
        assert EMAIL.encode() in raw  # the check below can fail
        forget(s, cid)
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists():
            data = path.read_bytes()
            assert EMAIL.encode() not in data
            assert "Wiśniewska".encode() not in data
            assert OLD_PHONE.encode() not in data
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_forget_unknown_customer(store):
    with pytest.raises(ShopkeepError, match="no customer #999"):
        forget(store, 999)
