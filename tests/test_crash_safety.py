"""SIGKILL an import at several moments: the database keeps exactly what it had and stays whole."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

ROWS = 30_000  # long enough that most of the kills below land inside the import


def _write_export(path, rows: int, prefix: str) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status\n")
        for n in range(rows):
            c = n % 5000
            fh.write(
                f"{prefix}{n},2026-{1 + n % 10:02d}-{1 + n % 28:02d},{prefix}C{c},c{c}@example.org,"
                f"+4860{c:07d},Customer {c},{5 + n % 200}.{n % 100:02d},PLN,paid\n"
            )


def _import(db, path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "shopkeep", "import", str(path), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _state(db) -> tuple:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute(
            "SELECT (SELECT count(*) FROM orders), (SELECT coalesce(sum(total), 0) FROM orders),"
            " (SELECT count(*) FROM customers), (SELECT count(*) FROM customer_keys),"
            " (SELECT count(*) FROM order_lines), (SELECT count(*) FROM imports),"
            " (SELECT count(*) FROM loyalty_ledger)"
        ).fetchone()
    finally:
        conn.close()


def test_killed_import_leaves_database_as_it_was(tmp_path):
    db = tmp_path / "shop.db"
    small, big = tmp_path / "first.csv", tmp_path / "big.csv"
    _write_export(small, 500, "S")
    _write_export(big, ROWS, "B")
    first = _import(db, small)
    assert first.wait(timeout=120) == 0, first.stderr.read()
    before = _state(db)

    # How long a whole import takes here, on a copy, so the kills land inside it.
    started = time.monotonic()
    assert _import(_copy(db, tmp_path / "timing.db"), big).wait(timeout=600) == 0
    duration = time.monotonic() - started

    killed_while_running = 0
    for n, fraction in enumerate((0.1, 0.3, 0.5, 0.7, 0.9)):
        target = _copy(db, tmp_path / f"kill{n}.db")
        proc = _import(target, big)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = _state(target)  # PRAGMA integrity_check is ok, whenever the kill came
        if state[0] == before[0]:
            assert state == before  # killed inside the import: exactly what it had
            killed_while_running += 1
        else:  # killed after the file's transaction committed (e.g. during the points upkeep)
            assert state[0] == before[0] + ROWS
    assert killed_while_running >= 2

    # After a kill, the next import completes.
    final = _import(db, big)
    _, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    assert _state(db)[0] == before[0] + ROWS


def _copy(db, target):
    """A consistent copy (backup API: the WAL's commits included)."""
    src, dst = sqlite3.connect(db), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
