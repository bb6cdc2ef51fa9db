"""Issue 11, point 6: shopkeep opens only its own databases, creates one only where no file exists, and
changes nothing (no WAL switch, no backup, no migration) in a file it refuses."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.errors import StoreError
from shopkeep.store import APPLICATION_ID, Store, migrate

runner = CliRunner()


def _snapshot(folder):
    """Every file in the folder with its bytes: what a refusal must leave exactly as it was."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _other_app_db(path, application_id: int = 0, *, rails: bool = False):
    conn = sqlite3.connect(path)
    if application_id:
        conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('groceries')")
    if rails:  # a table of the same name as shopkeep's, another application's
        conn.execute("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)")
        conn.execute("INSERT INTO schema_migrations VALUES ('20240101000000')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("application_id", "rails", "says"),
    [
        (0, False, "SQLite file of another application"),
        (0, True, "SQLite file of another application"),
        (0x47504B47, False, "another application's database (application id 0x47504b47)"),  # GeoPackage
    ],
)
def test_another_applications_database_is_refused_and_left_as_it_was(tmp_path, application_id, rails, says):
    path = _other_app_db(tmp_path / "other.sqlite", application_id, rails=rails)
    before = _snapshot(tmp_path)
    with pytest.raises(StoreError, match=r"not a shopkeep database|not a shopkeep one") as refused:
        Store.open(path)
    assert says in str(refused.value) and "nothing was changed" in str(refused.value)
    assert _snapshot(tmp_path) == before  # no shopkeep table, no WAL switch, no .bak
    result = runner.invoke(app, ["points", "sync", "--db", str(path)])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and says in result.output
    assert _snapshot(tmp_path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_an_empty_file_is_refused_not_made_into_a_database(tmp_path):
    path = tmp_path / "shop.db"
    path.touch()
    with pytest.raises(StoreError, match="is an empty file, not a shopkeep database; nothing was changed"):
        Store.open(path)
    assert _snapshot(tmp_path) == {"shop.db": b""}


def test_a_text_file_is_refused_by_sqlite_with_one_clear_line(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order ID,Total\n1,5.00\n" * 20)
    before = _snapshot(tmp_path)
    result = runner.invoke(app, ["export", "customers", "--db", str(path)])
    assert result.exit_code == 1
    assert result.output == f"error: {path} is not a shopkeep database (not an SQLite file); nothing was changed\n"
    assert _snapshot(tmp_path) == before


def test_a_database_from_a_newer_shopkeep_is_refused_before_anything_changes(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store, store.write() as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future', '2030-01-01T00:00:00')")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)  # as a newer shopkeep might
    conn.close()
    before = _snapshot(tmp_path)
    with pytest.raises(StoreError, match=r"newer than this shopkeep knows.*Nothing was changed"):
        Store.open(path)
    assert _snapshot(tmp_path) == before  # still in DELETE mode: no -wal, no header change, no .bak


def test_a_shopkeep_database_made_before_the_mark_opens_and_is_marked(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store, store.write() as conn:
        conn.execute("INSERT INTO settings VALUES ('shop_name', '\"Old shop\"')")
    conn = sqlite3.connect(path, isolation_level=None)  # as shopkeep left it before migration 0011
    conn.execute("PRAGMA application_id = 0")
    conn.execute("DELETE FROM schema_migrations WHERE version = 11")
    conn.close()
    with Store.open(path) as store:
        assert store.scalar("PRAGMA application_id") == APPLICATION_ID
        assert store.schema_version() == max(m.version for m in migrate.available())
        assert store.get_setting("shop_name") == "Old shop"
    assert len(list(tmp_path.glob("shop.db.before-v11-*.bak"))) == 1


def test_a_new_database_is_created_whole_and_marked_where_no_file_was(tmp_path):
    path = tmp_path / "new" / "shop.db"
    with Store.open(path) as store:
        assert store.scalar("PRAGMA application_id") == APPLICATION_ID
    assert sorted(p.name for p in path.parent.iterdir()) == ["shop.db"]  # no half-made or temporary file left
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    assert raw.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrate.available())


def test_the_mark_is_the_one_migration_0011_sets():
    sql = next(m for m in migrate.available() if m.version == 11).path.read_text()
    assert f"PRAGMA application_id = {APPLICATION_ID};" in sql


def test_a_backup_onto_the_database_or_one_of_its_files_is_refused(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store:
        store.set_setting("shop_name", "Mine")
        for target in ("shop.db-journal", "shop.db", "shop.db-wal", "./shop.db-shm"):
            result = runner.invoke(app, ["backup", str(tmp_path / target), "--db", str(path)])
            assert result.exit_code == 1, target
            assert "is the database itself or one of its files" in result.output or "already exists" in result.output
        assert not (tmp_path / "shop.db-journal").exists()  # the old code wrote a whole database there
        assert store.get_setting("shop_name") == "Mine"
    with Store.open(path) as store:
        assert store.get_setting("shop_name") == "Mine"


def test_a_damaged_database_is_one_clear_line_for_any_command(tmp_path):
    path = tmp_path / "shop.db"
    with Store.open(path) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO customers (email, created_at, updated_at)"
            " VALUES ('c1@example.com', '2026-01-01', '2026-01-01')"
        )
        conn.execute("INSERT INTO customer_keys VALUES ('email', 'c1@example.com', 1)")
    with Store.open(path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = store.scalar("PRAGMA page_size")
        roots = [
            r["rootpage"] for r in store.rows("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'loyalty_ledger'")
        ]
    data = bytearray(path.read_bytes())
    for root in roots:  # the points ledger's pages are scribbled over: what a lost WAL or a bad disk leaves
        data[(root - 1) * page_size : root * page_size] = b"\x5a" * page_size
    path.write_bytes(bytes(data))
    for args in (["points", "add", "c1@example.com", "5", "--reason", "bonus"], ["export", "customers"]):
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1
        assert "is damaged (database disk image is malformed); nothing more was written." in result.stderr
        assert "Restore your latest backup" in result.stderr


def test_shopkeeps_started_together_on_a_new_path_share_one_whole_database(tmp_path):
    path = tmp_path / "shop.db"
    script = (
        "import sys\n"
        "from shopkeep.store import Store\n"
        "sys.stdin.readline()\n"  # all start at once
        "with Store.open(sys.argv[1]) as store:\n"
        "    store.set_setting('opened_by_' + sys.argv[2], 1)\n"
        "print('done', flush=True)\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out == "done\n", err
    with Store.open(path) as store:
        assert store.scalar("SELECT count(*) FROM settings WHERE key LIKE 'opened_by_%'") == 4
        assert store.scalar("PRAGMA integrity_check") == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]
