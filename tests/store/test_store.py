from __future__ import annotations

import shutil
import sqlite3
import stat

import pytest

from shopkeep.errors import StoreError
from shopkeep.paths import resource_path
from shopkeep.store import Store, migrate
from tests.conftest import insert_row, new_customer, new_order


def test_new_database_has_every_table_and_pragmas(store):
    tables = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type='table'")}
    for name in (
        "customers",
        "customer_keys",
        "orders",
        "order_lines",
        "imports",
        "notes",
        "calls",
        "promises",
        "loyalty_ledger",
        "referrals",
        "settings",
        "call_scripts",
        "tier_changes",
    ):
        assert name in tables
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA busy_timeout") >= 5000
    assert store.scalar("PRAGMA synchronous") == 2  # FULL


def test_files_are_private(tmp_path):
    path = tmp_path / "data" / "shop.db"
    Store.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_migrating_twice_is_a_no_op(db_path):
    Store.open(db_path).close()
    with Store.open(db_path) as s:
        version = s.schema_version()
        assert migrate.apply_pending(s.conn, db_path, None, s.clock) == []
        assert s.schema_version() == version
        assert s.scalar("SELECT count(*) FROM schema_migrations") == len(migrate.available())


def _customer(s, name="Anna"):
    new_customer(s, name=name, created_at="2026-01-01", updated_at="2026-01-01")


def test_failing_migration_changes_nothing_and_backup_is_written(tmp_path, db_path):
    folder = tmp_path / "migrations"
    shutil.copytree(resource_path("migrations"), folder)
    with Store.open(db_path, migrations_dir=folder) as s:
        _customer(s)
        version = s.schema_version()
    (folder / "9998_add_column.sql").write_text("ALTER TABLE customers ADD COLUMN nickname TEXT;\n")
    (folder / "9999_broken.sql").write_text(
        "UPDATE customers SET name = 'changed';\nCREATE TABLE oops (x INTEGER);\nSELECT * FROM nowhere;\n"
    )
    with pytest.raises(StoreError, match="9999_broken failed"):
        Store.open(db_path, migrations_dir=folder)
    conn = sqlite3.connect(db_path)
    # 9998 applied in its own transaction; 9999 left nothing behind
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 9998
    assert conn.execute("SELECT name FROM customers").fetchall() == [("Anna",)]
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'oops'").fetchone()
    backups = list(tmp_path.glob("shop.db.before-v9998-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == version
    assert copy.execute("SELECT name FROM customers").fetchall() == [("Anna",)]


def test_database_newer_than_app_is_refused(db_path):
    with Store.open(db_path) as s, s.write() as c:
        c.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future', '2030-01-01')")
    with pytest.raises(StoreError, match="newer than this shopkeep knows"):
        Store.open(db_path)


def test_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello, this is not sqlite\n" * 10)
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store.open(bad)


def test_write_rolls_back_on_error(store):
    with pytest.raises(RuntimeError), store.write():
        new_customer(store, name="X", created_at="2026-01-01", updated_at="2026-01-01")
        raise RuntimeError("boom")
    assert store.scalar("SELECT count(*) FROM customers") == 0


def test_money_columns_refuse_floats(store):
    with pytest.raises(sqlite3.IntegrityError), store.write():
        new_order(
            store,
            None,
            source="generic",
            order_key="1",
            ordered_at="2026-01-01",
            currency="EUR",
            total=12.5,
            created_at="x",
            updated_at="x",
        )


def test_loyalty_ledger_is_append_only_and_never_negative(store):
    _customer(store)
    cid = store.scalar("SELECT id FROM customers")
    insert_row(store, "loyalty_ledger", customer_id=cid, delta=100, reason="bonus", created_at="x")
    with pytest.raises(sqlite3.IntegrityError, match="negative"):
        insert_row(store, "loyalty_ledger", customer_id=cid, delta=-101, reason="redeem", created_at="x")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"), store.write() as c:
        c.execute("UPDATE loyalty_ledger SET delta = 5")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"), store.write() as c:
        c.execute("DELETE FROM loyalty_ledger")
    assert store.scalar("SELECT sum(delta) FROM loyalty_ledger") == 100


def test_settings_round_trip(store):
    store.set_setting("daily_cap", 15)
    store.set_setting("shop", {"name": "Ромашка"})
    assert store.get_setting("daily_cap") == 15
    assert store.get_setting("shop") == {"name": "Ромашка"}
    assert store.get_setting("missing", "d") == "d"


def test_a_migration_numbered_below_the_applied_ones_still_runs(tmp_path, db_path):
    folder = tmp_path / "migrations"
    shutil.copytree(resource_path("migrations"), folder)
    (folder / "9990_later.sql").write_text("CREATE TABLE later_table (x INTEGER);\n")
    Store.open(db_path, migrations_dir=folder).close()
    (folder / "9980_landed_late.sql").write_text("CREATE TABLE late_table (x INTEGER);\n")
    with Store.open(db_path, migrations_dir=folder) as s:
        assert s.scalar("SELECT 1 FROM sqlite_master WHERE name = 'late_table'") == 1
        assert s.scalar("SELECT count(*) FROM schema_migrations WHERE version IN (9980, 9990)") == 2


def test_a_writer_waits_for_a_long_import_instead_of_failing(db_path):
    import threading
    import time

    Store.open(db_path).close()
    importer = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    importer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    importer.execute("INSERT INTO settings VALUES ('by_import', '1')")
    with Store.open(db_path) as app_store:
        app_store.conn.execute("PRAGMA busy_timeout = 100")  # each wait is short; patience decides
        app_store.patience = 10
        threading.Timer(1.0, lambda: importer.execute("COMMIT")).start()
        started = time.monotonic()
        app_store.set_setting("by_app", 2)
        assert time.monotonic() - started >= 0.9
        assert app_store.get_setting("by_app") == 2
        assert app_store.get_setting("by_import") == 1
    importer.close()


def test_a_writer_out_of_patience_gets_a_clear_message(db_path):
    from shopkeep.errors import StoreBusy

    Store.open(db_path).close()
    importer = sqlite3.connect(db_path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    with Store.open(db_path) as s:
        s.conn.execute("PRAGMA busy_timeout = 50")
        s.patience = 0.2
        with pytest.raises(StoreBusy, match="another shopkeep"):
            s.set_setting("x", 1)
    importer.execute("ROLLBACK")
    importer.close()
