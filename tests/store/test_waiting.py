"""Issue 11, point 4: a second import (or a `points add`) started while another shopkeep holds the write
lock waits, says so on stderr with its limit, and goes on once the lock is free. Real processes."""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from shopkeep.errors import StoreBusy
from shopkeep.store import Store
from tests.store.procs import TODAY, Lines, LockHolder, start, write_export


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPKEEP_TODAY", TODAY)
    db = tmp_path / "shop.db"
    Store.open(db).close()
    return db


def _orders(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    finally:
        conn.close()


def test_a_second_import_waits_for_the_first_and_says_so(shop, tmp_path):
    holder = LockHolder(shop)  # the first import, in the middle of its file
    try:
        second = start(shop, "import", str(write_export(tmp_path / "second.csv", 40, "S")))
        err = Lines(second.stderr)
        line = err.wait_for("waiting", timeout=60)
        assert line == "waiting for the other import… (Ctrl+C to stop; giving up after 10 minutes)"
        assert second.poll() is None and _orders(shop) == 0
        holder.release()
        out, _ = second.communicate(timeout=120)
    finally:
        holder.kill()
    assert second.returncode == 0, err.seen
    assert "40 rows read; orders 40 new" in out
    assert _orders(shop) == 40


def test_points_add_waits_too_and_ctrl_c_stops_it_with_nothing_written(shop, tmp_path):
    first = start(shop, "import", str(write_export(tmp_path / "first.csv", 10, "F")))
    assert first.wait(timeout=120) == 0
    holder = LockHolder(shop)
    try:
        adding = start(shop, "points", "add", "c1@example.org", "7", "--reason", "bonus", ctrl_c=True)
        err = Lines(adding.stderr)
        line = err.wait_for("waiting", timeout=60)
        assert line == (
            "waiting for another shopkeep that is writing (an import?)… (Ctrl+C to stop; giving up after 2 minutes)"
        )
        adding.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        assert adding.wait(timeout=30) == 130
        assert time.monotonic() - stopped < 5  # heard at once, not after a 10 s busy wait
        assert "interrupted; nothing more was written" in err.wait_for("interrupted", timeout=10)
    finally:
        holder.release()
        holder.kill()
    conn = sqlite3.connect(shop)
    assert conn.execute("SELECT count(*) FROM loyalty_ledger WHERE reason = 'bonus'").fetchone() == (0,)


def test_a_write_out_of_patience_states_how_long_it_waited(shop):
    holder = LockHolder(shop)
    try:
        with Store.open(shop) as store:
            store.patience = 1.5
            told = []
            store.on_wait = lambda: told.append("waiting")
            with pytest.raises(StoreBusy, match=r"stayed busy for 1\.5 seconds: another shopkeep"):
                store.set_setting("x", 1)
            assert told == ["waiting"]
    finally:
        holder.release()
        holder.kill()
