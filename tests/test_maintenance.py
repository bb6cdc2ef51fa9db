from __future__ import annotations

import sqlite3
import stat

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()


def _add_customers(conn: sqlite3.Connection, n: int, start: int = 0) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO customers (name, email, created_at, updated_at) VALUES (?, ?, '2026-01-01', '2026-01-01')",
        [(f"Customer {i}", f"c{i}@example.com") for i in range(start, start + n)],
    )
    conn.execute("COMMIT")


def test_backup_sees_uncheckpointed_wal_commits_while_app_is_open(db_path, tmp_path):
    Store.open(db_path).close()
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # keep every commit in the WAL
    _add_customers(writer, 50)
    reader = sqlite3.connect(db_path)  # the "app", holding the file open
    reader.execute("SELECT count(*) FROM customers").fetchone()
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0
    target = tmp_path / "copy.db"
    result = runner.invoke(app, ["backup", str(target), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert f"wrote a backup to {target}" in result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM customers").fetchone()[0] == 50
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    writer.close()
    reader.close()


def test_backup_default_location_and_refuses_to_overwrite(db_path):
    Store.open(db_path).close()
    first = runner.invoke(app, ["backup", "--db", str(db_path)])
    assert first.exit_code == 0, first.output
    written = list((db_path.parent / "backups").glob("shop-*.db"))
    assert len(written) == 1
    again = runner.invoke(app, ["backup", str(written[0]), "--db", str(db_path)])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_backup_of_missing_database_is_one_clear_line(tmp_path):
    result = runner.invoke(app, ["backup", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert "Traceback" not in result.output


def test_doctor_reports_health(db_path):
    with Store.open(db_path) as s:
        _add_customers(s.conn, 3)
    result = runner.invoke(app, ["doctor", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "integrity: ok" in result.output
    assert str(db_path) in result.output
    assert "customers" in result.output and " 3" in result.output
    assert "warning" not in result.output


def test_doctor_lists_every_table_and_says_what_another_tool_changed_in_the_schema(db_path):
    """The schema read through sqlite-utils: each table with its rows and indexes; an index dropped and a
    table added by another tool (say `sqlite-utils` or Datasette) are named, with the file still usable."""
    with Store.open(db_path) as s:
        _add_customers(s.conn, 3)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP INDEX orders_pending")
    conn.execute("CREATE TABLE my_notes (x TEXT)")
    conn.commit()
    conn.close()
    result = runner.invoke(app, ["doctor", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    customers = next(line for line in lines if line.split()[:1] == ["customers"])
    assert customers.split()[1] == "3" and "customers_email" in customers
    assert any(line.split()[:2] == ["loyalty_ledger", "0"] for line in lines)
    assert "warning: missing from the file: index orders_pending" in lines
    assert "warning: not made by shopkeep's migrations: table my_notes" in lines
    assert "warning: not made by shopkeep's migrations: column my_notes.x" in lines


def test_doctor_warns_about_cloud_synced_folder(tmp_path):
    path = tmp_path / "Dropbox" / "shop" / "shop.db"
    Store.open(path).close()
    result = runner.invoke(app, ["doctor", "--db", str(path)])
    assert "cloud-synced folder" in result.output


def test_doctor_fails_on_corrupt_database(db_path):
    with Store.open(db_path) as s:
        _add_customers(s.conn, 2000)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6)):  # scribble over a few b-tree pages
        data[offset] = 0x5A
    db_path.write_bytes(bytes(data))
    result = runner.invoke(app, ["doctor", "--db", str(db_path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception
    assert "integrity:" in result.output and "integrity: ok" not in result.output
