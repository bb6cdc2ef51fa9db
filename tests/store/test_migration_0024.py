"""Migration 0024 indexes the orders that carry a referral code: the upkeep links from them without
reading every order, and a shop from before it links the same friends once upgraded."""

from __future__ import annotations

import shutil
from pathlib import Path

from shopkeep import referrals
from shopkeep.store import Store
from shopkeep.store import referrals as referrals_sql
from tests.loyalty.conftest import add_customer, add_order

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_an_upgraded_shop_links_friends_from_the_codes_on_their_first_orders(tmp_path):
    before = tmp_path / "migrations-23"
    before.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if int(path.name[:4]) <= 23:
            shutil.copy(path, before / path.name)
    db = tmp_path / "shop.db"
    with Store.open(db, migrations_dir=before) as store:
        anna, ben, cleo, dan = (add_customer(store, name) for name in ("Anna", "Ben", "Cleo", "Dan"))
        referrals.assign_code(store, anna, "ANNA-2024")
        add_order(store, ben, 1000, at="2026-03-01T10:00:00", referral_code=" anna-2024 ")
        add_order(store, cleo, 1000, at="2026-03-02T10:00:00")  # her first order carries no code
        add_order(store, cleo, 1000, at="2026-03-05T10:00:00", referral_code="ANNA-2024")
        add_order(store, dan, 1000, at="2026-03-03T10:00:00", referral_code="   ")

    with Store.open(db) as store:
        said: list[str] = []
        store.conn.set_trace_callback(said.append)
        assert [r["customer_id"] for r in referrals_sql.unlinked_first_orders_with_code(store)] == [ben]
        store.conn.set_trace_callback(None)
        plan = " ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {said[-1]}"))
        assert "SEARCH o USING INDEX orders_referral_code" in plan  # not every order read
        assert referrals.link_from_orders(store).linked == 1
        assert store.rows("SELECT referrer_id, referred_id, code FROM referrals") == [
            {"referrer_id": anna, "referred_id": ben, "code": "ANNA-2024"}
        ]
