"""Issue 14, point 2: the forgotten-identity check happens inside the import's write transaction.

Real processes: `forget` (paused inside its write transaction, holding the lock) and a `shopkeep import` of
an old export that waits for that lock. The import read the list of forgotten identities before it waited
(the bug: the person came back in 7 of 13 trials); it must read it once it holds the lock.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from typer.testing import CliRunner

from shopkeep.cli import app
from shopkeep.store import Store

runner = CliRunner()
EXPORT = """Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status
A1,2026-03-01,000731,zofia.nowak@example.pl,+48 600 700 800,Zofia Nowak,120.00,PLN,paid
A2,2026-05-01,000731,zofia.nowak@example.pl,+48 600 700 800,Zofia Nowak,80.00,PLN,paid
B1,2026-04-01,000999,jan@example.pl,,Jan Lis,50.00,PLN,paid
"""
# `forget` in its own process, stopped inside its write transaction until the test says go.
FORGET = """
import sys, time
from pathlib import Path
from shopkeep.privacy import forget
from shopkeep.store import Store
from shopkeep.store import privacy as queries

db, locked, go = (Path(a) for a in sys.argv[1:4])
erase = queries.erase_personal_data

def paused(*args, **kwargs):
    erase(*args, **kwargs)
    locked.touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)

queries.erase_personal_data = paused
with Store.open(db) as store:
    forget(store, 1, copies=False)
"""


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_an_import_waiting_for_the_lock_while_forget_commits_does_not_bring_the_person_back(tmp_path, db_path):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = runner.invoke(app, ["import", str(export), "--db", str(db_path), "--country", "PL"])
    assert result.exit_code == 0, result.output
    locked, go = tmp_path / "locked", tmp_path / "go"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    forgetting = subprocess.Popen([sys.executable, "-c", FORGET, str(db_path), str(locked), str(go)], env=env)
    importing = None
    try:
        _wait_for(lambda: locked.exists() or forgetting.poll() is not None, "forget to hold the lock")
        assert forgetting.poll() is None, "forget ended before it was paused"
        # The old export again, while forget holds the write lock: the import waits, and says so.
        importing = subprocess.Popen(
            [sys.executable, "-m", "shopkeep", "import", str(export), "--db", str(db_path), "--country", "PL"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in importing.stderr], daemon=True).start()
        line = lines.get(timeout=60)
        assert "waiting for the other import" in line
        go.touch()  # forget commits; then the import gets the lock
        assert forgetting.wait(timeout=60) == 0
        out, _ = importing.communicate(timeout=120)
        assert importing.returncode == 0, out
    finally:
        go.touch()
        for process in (forgetting, importing):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    with Store.open(db_path) as store:
        assert store.scalar("SELECT count(*) FROM customers") == 2
        assert store.scalar("SELECT count(*) FROM customers WHERE email LIKE 'zofia%' OR name LIKE '%Zofia%'") == 0
        assert store.scalar("SELECT count(*) FROM customers WHERE phone = '+48600700800'") == 0
        assert store.scalar("SELECT count(*) FROM customer_keys WHERE value LIKE '%zofia%'") == 0
        forgotten = store.scalar("SELECT id FROM customers WHERE forgotten_at IS NOT NULL")
        assert store.scalar("SELECT sum(total) FROM orders WHERE customer_id = ?", (forgotten,)) == 20000
    assert b"zofia.nowak@example.pl" not in Path(db_path).read_bytes()
