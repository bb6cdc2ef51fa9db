"""The app open while `shopkeep import` writes to the same database."""

from __future__ import annotations

import subprocess
import sys
import time

from shopkeep.store import Store
from shopkeep.tui.app import ShopkeepApp
from tests.tui.conftest import AS_OF

ROWS = 20_000


def _export(path):
    lines = ["Order ID,Order Date,Email,Name,Total,Currency,Status"]
    for n in range(ROWS):
        day = f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}"
        lines.append(f"W{n},{day},buyer{n % 2000}@example.org,Buyer {n % 2000},{10 + n % 90}.50,PLN,paid")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_import_while_the_app_is_open_loses_nothing_and_shows_up(shop_db, tmp_path):
    export = tmp_path / "big.csv"
    _export(export)
    app = ShopkeepApp(shop_db, as_of=AS_OF)
    app.WATCH_SECONDS = 0.2
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            if app.retention is not None and getattr(app.screen, "queue", None) is not None:
                break
            await pilot.pause(0.05)
        customers_before = len(app.retention.customers)
        first = app.screen.queue.current.customer_id
        importer = subprocess.Popen(
            [sys.executable, "-m", "shopkeep", "import", str(export), "--db", str(shop_db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        await pilot.pause(1.0)  # the import is running: it holds the write lock for its file
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
        assert not any("locked" in m or "busy" in m for m in _notifications(app))
        assert any("New orders" in m for m in _notifications(app))
    with Store.open(shop_db, create=False) as store:
        outcomes = store.rows("SELECT outcome FROM calls WHERE customer_id = ? AND called_at >= '2026-11-23'", (first,))
        assert outcomes == [{"outcome": "no_answer"}]
        assert store.scalar("SELECT count(*) FROM orders WHERE order_key LIKE 'W%'") == ROWS
