"""Issue 14, point 1, beyond the week (tests/test_forget_week.py): the ledger stays auditable, an old copy's
ledger is corrected too, a second run finishes what a first one left, and what shopkeep could not do is
said (a damaged copy, a half-written file, a reader holding the WAL), with a non-zero exit."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopkeep import loyalty, maintenance
from shopkeep.cli import app
from shopkeep.paths import resource_path
from shopkeep.privacy import forget
from shopkeep.store import Store

runner = CliRunner()
EMAIL = "ida.quellenberg@example.com"
SURNAME = b"Quellenberg"
EXPORT = f"""Order ID,Order Date,Email,Phone,Name,Total,Currency,Status
A1,2026-03-01,{EMAIL},+44 7700 900123,Ida Quellenberg,20.00,GBP,paid
B1,2026-03-02,tom@example.com,+44 7700 900456,Tom Reed,15.00,GBP,paid
"""


def _shop(db: Path, tmp_path: Path, migrations: Path | None = None) -> None:
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    from shopkeep.importing.load import import_file
    from shopkeep.importing.parse import ImportOptions

    with Store.open(db, migrations_dir=migrations) as store:
        assert import_file(store, export, ImportOptions()).ok
        loyalty.add_points(store, 1, 10, reason="review", note="Ida Quellenberg wrote a lovely review")
        loyalty.add_points(store, 2, 5, reason="bonus", note="friend of Ida Quellenberg")


def _clean(path: Path) -> bool:
    data = path.read_bytes()
    return EMAIL.encode() not in data and SURNAME not in data and b"7700900123" not in data


def test_the_ledger_keeps_its_amounts_and_allows_no_other_change(db_path, tmp_path):
    _shop(db_path, tmp_path)
    with Store.open(db_path) as store:
        forget(store, 1)
        assert [e.note for e in loyalty.history(store, 1)] == ["[erased]"]
        assert [(e.delta, e.note) for e in loyalty.history(store, 2)] == [(5, "friend of [erased]")]
        audit = store.rows("SELECT entry_id, note_after, why FROM ledger_redactions ORDER BY entry_id")
        assert [r["note_after"] for r in audit] == ["[erased]", "friend of [erased]"]
        assert all(r["why"] == "erasure request for customer #1" for r in audit)
        entry = audit[0]["entry_id"]
        for sql in (
            "UPDATE loyalty_ledger SET delta = 99 WHERE id = ?",  # an amount, even on a redacted entry
            "UPDATE loyalty_ledger SET note = 'rewritten' WHERE id = ?",  # a note no redaction row says
            "DELETE FROM loyalty_ledger WHERE id = ?",
            "DELETE FROM ledger_redactions WHERE entry_id = ?",
            "UPDATE ledger_redactions SET note_after = 'x' WHERE entry_id = ?",
        ):
            with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
                conn.execute(sql, (entry,))


TRIGGER = "SELECT sql FROM sqlite_master WHERE name = 'loyalty_ledger_no_update'"


def test_a_migration_backup_at_an_old_schema_has_its_ledger_corrected_and_its_trigger_kept(db_path, tmp_path):
    old = tmp_path / "migrations-v10"
    old.mkdir()
    for sql in resource_path("migrations").glob("*.sql"):
        if int(sql.name[:4]) <= 10:
            shutil.copy(sql, old / sql.name)
    _shop(db_path, tmp_path, old)
    with Store.open(db_path) as store:  # the upgrade writes the migration backup
        (bak,) = db_path.parent.glob("shop.db.before-v11-*.bak")
        with closing(sqlite3.connect(bak)) as conn:
            trigger = conn.execute(TRIGGER).fetchone()
        report = forget(store, 1)
    assert [(c.kind, c.error) for c in report.copies] == [("migration backup", None)]
    assert _clean(bak)
    conn = sqlite3.connect(bak)
    try:
        assert conn.execute("SELECT note FROM loyalty_ledger ORDER BY id").fetchall()[-2:] == [
            ("[erased]",),
            ("friend of [erased]",),
        ]
        assert (
            conn.execute("SELECT sql FROM sqlite_master WHERE name = 'loyalty_ledger_no_update'").fetchone() == trigger
        )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE loyalty_ledger SET note = 'x' WHERE id = 1")
    finally:
        conn.close()


def test_a_second_run_finds_the_copies_a_first_run_did_not_reach(db_path, tmp_path):
    _shop(db_path, tmp_path)
    with Store.open(db_path) as store:
        backup = maintenance.backup(store)
        forget(store, 1, copies=False)  # e.g. stopped by a full disk before the copies
    assert not _clean(backup)
    result = runner.invoke(app, ["forget", "#1", "--yes", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "already forgotten" in result.output and f"backup scrubbed: {backup}" in result.output
    assert _clean(backup)


def test_what_shopkeep_could_not_do_is_said_and_the_exit_is_not_zero(db_path, tmp_path):
    _shop(db_path, tmp_path)
    with Store.open(db_path) as store:
        good = maintenance.backup(store)
    folder = db_path.parent / "backups"
    damaged = folder / "shop-20260101-120000.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    old_part = folder / f".{good.name}.abc123.part"
    old_part.write_bytes(EMAIL.encode())
    hours_ago = time.time() - 3 * 3600
    os.utime(old_part, (hours_ago, hours_ago))
    fresh_part = db_path.parent / ".customers.csv.xyz789.part"
    fresh_part.write_bytes(b"being written")
    os.utime(fresh_part, (time.time(), time.time()))  # the clock the test runs under (a moved date moves it)
    result = runner.invoke(app, ["forget", EMAIL, "--yes", "--db", str(db_path)])
    assert result.exit_code == 1
    out = result.output
    assert f"backup scrubbed: {good}" in out and _clean(good)
    assert f"could not scrub the backup {damaged}" in out and "delete it" in out
    assert f"removed a half-written temporary file: {old_part}" in out and not old_part.exists()
    assert str(fresh_part) in out.split("still to do")[1] and fresh_part.exists()


HOLD_READ = """
import sqlite3, sys, time
from pathlib import Path
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM customers").fetchone()
Path(sys.argv[2]).touch()
while not Path(sys.argv[3]).exists():
    time.sleep(0.02)
conn.execute("COMMIT")
"""


def test_a_reader_holding_the_wal_is_said_and_a_second_run_finishes(db_path, tmp_path, monkeypatch):
    _shop(db_path, tmp_path)
    import shopkeep.store

    monkeypatch.setattr(shopkeep.store, "BUSY_TIMEOUT_MS", 1000)  # forget waits this long for the reader
    reading, done = tmp_path / "reading", tmp_path / "done"
    reader = subprocess.Popen([sys.executable, "-c", HOLD_READ, str(db_path), str(reading), str(done)])
    try:
        deadline = time.monotonic() + 60
        while not reading.exists():
            assert reader.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        result = runner.invoke(app, ["forget", EMAIL, "--yes", "--db", str(db_path)])
    finally:
        done.touch()
        reader.wait(timeout=60)
    assert result.exit_code == 1
    assert "is reading the database, so its WAL still holds old pages" in result.output
    again = runner.invoke(app, ["forget", "#1", "--yes", "--db", str(db_path)])
    assert again.exit_code == 0, again.output
    for path in db_path.parent.glob("shop.db*"):
        assert _clean(path), path
