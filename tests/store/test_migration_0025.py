"""Migration 0025 indexes what the change checks of the figures and the call list read on every command (the
newest change to a customer, the customers forgotten or not to be called): a shop from before it is upgraded,
and the checks still tell every such change (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path

from shopkeep.calls import mark_do_not_call
from shopkeep.store import Store, analytics
from shopkeep.store import calls as calls_sql
from tests.conftest import new_customer

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
STAMP = "2026-01-01T00:00:00"


def _plans(store: Store, check) -> str:
    said: list[str] = []
    store.conn.set_trace_callback(said.append)
    check(store)
    store.conn.set_trace_callback(None)
    return " ".join(r[3] for sql in said for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_an_upgraded_shop_checks_for_changes_without_reading_every_customer(tmp_path):
    before = tmp_path / "migrations-24"
    before.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if int(path.name[:4]) <= 24:
            shutil.copy(path, before / path.name)
    db = tmp_path / "shop.db"
    with Store.open(db, migrations_dir=before) as store:
        ids = [new_customer(store, name=f"Customer {n}", created_at=STAMP, updated_at=STAMP) for n in range(3)]

    with Store.open(db) as store:
        for check in (analytics.fingerprint, calls_sql.list_signature):
            plan = _plans(store, check)
            assert "SCAN customers" not in plan.replace("SCAN customers USING COVERING INDEX", "")  # no table pass
            assert "customers_updated_at" in plan and "customers_set_apart" in plan
        seen = (analytics.fingerprint(store), calls_sql.list_signature(store), analytics.orders_key(store))
        mark_do_not_call(store, ids[1])
        after = (analytics.fingerprint(store), calls_sql.list_signature(store))
        assert after[0] != seen[0] and after[1] != seen[1]
        with store.write() as conn:
            conn.execute("UPDATE customers SET forgotten_at = ? WHERE id = ?", ("2026-02-01T00:00:00", ids[2]))
        assert analytics.orders_key(store) != seen[2]  # a forgotten customer's orders count for nobody now
