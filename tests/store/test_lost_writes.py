"""Issue 11: the open app lost the calls it logged, and the file could be corrupted, whenever another
shopkeep command ran beside it. Cause: Store.open read the file header with Python's open(); closing that
descriptor dropped the POSIX locks SQLite held for the app's long-lived connection, so the next process to
close believed it was the last, checkpointed and deleted the WAL the app was still writing to.

Real processes only: the app-shaped process of tests/store/app_like.py (a long-lived connection, and a new
Store for each call it logs through shopkeep.calls.log_call, as the app's workers do) and real `shopkeep`
commands beside it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from shopkeep.importing.load import import_file
from shopkeep.importing.parse import ImportOptions
from shopkeep.store import Store
from tests.store.procs import TODAY, AppLike, run, start, write_export


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPKEEP_TODAY", TODAY)
    db = tmp_path / "shop.db"
    with Store.open(db) as store:
        assert import_file(store, write_export(tmp_path / "first.csv", 200, "F"), ImportOptions()).ok
    return db


def _saved_calls(db) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT id FROM calls")}
    finally:
        conn.close()


def test_every_call_the_app_logged_is_saved_while_imports_points_and_exports_run(shop, tmp_path):
    app = AppLike(shop)
    try:
        # One after the other: each command finishes (and closes its connection) between two calls.
        steps = [
            ("points", "add", "c1@example.org", "5", "--reason", "bonus"),
            ("export", "customers", "-o", str(tmp_path / "a.csv")),
            ("import", str(write_export(tmp_path / "second.csv", 300, "S"))),
            ("points", "add", "c2@example.org", "5", "--reason", "review"),
            ("export", "customers", "-o", str(tmp_path / "b.csv")),
        ]
        app.log(1)
        for n, step in enumerate(steps):
            done = run(shop, *step)
            assert done.returncode == 0, done.stderr
            app.log(2 + n)
        # All at once: the app goes on logging while the others run.
        others = [
            start(shop, "import", str(write_export(tmp_path / "third.csv", 3000, "T"))),
            *(start(shop, "points", "add", f"c{n}@example.org", "3", "--reason", "bonus") for n in range(3, 6)),
            *(start(shop, "export", "customers", "-o", str(tmp_path / f"c{n}.csv")) for n in range(2)),
        ]
        customer = 10
        while any(p.poll() is None for p in others):
            app.log(customer)
            customer = 10 + (customer + 1) % 30
        for p in others:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        app.log(1)  # and one more once they are gone
        app.quit()
    finally:
        app.kill()
    assert set(app.logged) <= _saved_calls(shop)  # the old code lost the second call already
    assert app.failed == []  # and the app's later writes failed
    assert len(app.logged) >= len(steps) + 2


def test_another_process_closing_never_removes_the_wal_the_app_uses(shop):
    app = AppLike(shop)
    try:
        app.log(1)  # the app has opened (and closed) a worker's Store beside its long-lived connection
        wal = shop.with_name(shop.name + "-wal")
        before = os.stat(wal).st_ino
        # Another process writes, checkpoints as hard as it can and closes: it is not the last connection.
        script = (
            "import sqlite3, sys\n"
            "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "conn.execute(\"INSERT INTO settings VALUES ('other', '1')\")\n"
            "conn.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
            "conn.close()\n"
        )
        subprocess.run([sys.executable, "-c", script, str(shop)], check=True, timeout=60)
        assert wal.exists() and os.stat(wal).st_ino == before  # the old code: the WAL was deleted
        app.log(2)
        app.poll()
        app.quit()
    finally:
        app.kill()
    assert set(app.logged) <= _saved_calls(shop)
    assert app.failed == []
