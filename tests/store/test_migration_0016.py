"""Migration 0016 widens calls.outcome for 'message_sent' by rebuilding the table: nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from shopkeep.calls import log_call
from shopkeep.store import Store

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_the_rebuild_keeps_every_call_its_promise_link_and_the_indexes(tmp_path):
    before = tmp_path / "migrations-15"
    before.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if int(path.name[:4]) <= 15:
            shutil.copy(path, before / path.name)
    db = tmp_path / "shop.db"
    with Store.open(db, migrations_dir=before) as store, store.write() as conn:
        conn.execute("INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, 'Ann', 'x', 'x')")
        conn.execute(
            "INSERT INTO calls (id, customer_id, called_at, outcome, note) VALUES"
            " (7, 1, '2026-11-01T10:00:00', 'will_return', 'likes tea'),"
            " (9, 1, '2026-11-02T10:00:00', 'no_answer', NULL)"
        )
        conn.execute(
            "INSERT INTO promises (id, customer_id, call_id, kind, due_on) VALUES (3, 1, 7, 'credit', '2026-12-01')"
        )

    with Store.open(db) as store:
        calls = store.rows("SELECT id, outcome, note FROM calls ORDER BY id")
        assert calls == [
            {"id": 7, "outcome": "will_return", "note": "likes tea"},
            {"id": 9, "outcome": "no_answer", "note": None},
        ]
        assert store.scalar("SELECT call_id FROM promises WHERE id = 3") == 7
        indexes = {
            r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE tbl_name = 'calls' AND type = 'index'")
        }
        assert {"calls_customer", "calls_called_at"} <= indexes
        assert store.rows("PRAGMA foreign_key_check") == []
        assert log_call(store, 1, "message_sent", reason="forgot") == 10
