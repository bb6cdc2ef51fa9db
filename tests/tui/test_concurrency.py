"""The app open while `shopkeep import` writes to the same database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from tests.conftest import messages, record_notifications, until
from tests.tui.conftest import AS_OF

ROWS = 20_000


def _export(path):
    lines = ["Order ID,Order Date,Email,Name,Total,Currency,Status"]
    for n in range(ROWS):
        day = f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}"
        lines.append(f"W{n},{day},buyer{n % 2000}@example.org,Buyer {n % 2000},{10 + n % 90}.50,PLN,paid")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_lock_is_held(db) -> bool:
    """Whether another connection holds the database's write lock now (a probe that never waits)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        return True
    finally:
        probe.close()


async def test_import_while_the_app_is_open_loses_nothing_and_shows_up(shop_db, tmp_path, monkeypatch):
    export = tmp_path / "big.csv"
    _export(export)
    app = ShopkeepApp(shop_db, as_of=AS_OF)
    app.WATCH_SECONDS = 0.2
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.retention is not None and getattr(app.screen, "session", None) is not None)
        customers_before = len(app.retention.customers)
        first = app.screen.session.current.customer_id
        importer = subprocess.Popen(
            [sys.executable, "-m", "shopkeep", "import", str(export), "--db", str(shop_db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Only once the import holds the write lock (for its whole file) does the owner log "no answer".
        await until(pilot, lambda: write_lock_is_held(shop_db) or importer.poll() is not None, "the import's lock")
        assert importer.poll() is None, "the import ended before it was seen holding the lock"
        await pilot.press("a")  # log "no answer" meanwhile
        while importer.poll() is None:
            await pilot.pause(0.1)
        out, err = importer.communicate()
        assert importer.returncode == 0, err
        assert f"{ROWS} rows read" in out
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.retention is not None and len(app.retention.customers) > customers_before:
                break
            await pilot.pause(0.1)
        assert len(app.retention.customers) == customers_before + 2000
        assert not any("locked" in m or "busy" in m for m in messages(shown))
        assert any("New orders" in m for m in messages(shown))
    with Store.open(shop_db, create=False) as store:
        outcomes = store.rows("SELECT outcome FROM calls WHERE customer_id = ? AND called_at >= '2026-11-23'", (first,))
        assert outcomes == [{"outcome": "no_answer"}]
        assert store.scalar("SELECT count(*) FROM orders WHERE order_key LIKE 'W%'") == ROWS
