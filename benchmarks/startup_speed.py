"""Cold start to first paint of the shopkeep app on a 100k-customer / 1M-order database,
against a bare Textual app in the same run (each in a fresh subprocess, median of several runs).

Also times, in process, what the owner waits for after the first paint: the search index
(Customers), the retention figures (Segments, Dashboard) and a 100k-row members table.

    .venv/bin/python benchmarks/startup_speed.py [--customers 100000] [--orders 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shopkeep.store import Store

AS_OF = dt.date(2026, 11, 23)

BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(120, 40))
"""

SHOPKEEP = """
import sys
from pathlib import Path
from shopkeep.tui.app import ShopkeepApp

class FirstPaint(ShopkeepApp):
    def on_mount(self):
        self.call_after_refresh(self.exit)

FirstPaint(Path(sys.argv[1])).run(headless=True, size=(120, 40))
"""


def build(path: Path, customers: int, orders: int) -> None:
    rng = random.Random(7)
    now = "2026-11-01T00:00:00"
    with Store.open(path) as store, store.write() as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('demo_today', ?)", (f'"{AS_OF}"',))
        conn.executemany(
            "INSERT INTO customers (id, external_id, name, email, phone, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (i, f"{i:06d}", f"Customer {i} Surname{i % 977}", f"c{i}@example.com", f"+4860{i:07d}", now, now)
                for i in range(1, customers + 1)
            ),
        )
        start = AS_OF.toordinal() - 3 * 365

        def rows():
            for n in range(1, orders + 1):
                cid = min(customers, int(rng.paretovariate(1.2))) if n % 3 else rng.randint(1, customers)
                day = dt.date.fromordinal(start + rng.randrange(3 * 365))
                total = rng.randrange(500, 40_000)
                yield (n, f"o{n}", cid, f"{day}T12:00:00", total, now, now)

        conn.executemany(
            "INSERT INTO orders (id, source, order_key, customer_id, ordered_at, currency, total, content_hash,"
            " created_at, updated_at) VALUES (?, 'generic', ?, ?, ?, 'EUR', ?, 'h', ?, ?)",
            rows(),
        )


def cold_start(code: str, args: list[str], runs: int, folder: Path) -> float:
    script = folder / f"child_{abs(hash(code))}.py"
    script.write_text(code)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, str(script), *args], check=True, capture_output=True, timeout=120)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def waits(path: Path) -> dict[str, float]:
    from shopkeep.tui.app import ShopkeepApp
    from shopkeep.tui.screens.segments import MembersScreen

    app = ShopkeepApp(path, as_of=AS_OF)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(condition) -> float:
            began = time.perf_counter()
            while not condition():
                await pilot.pause(0.01)
            return time.perf_counter() - began

        await pilot.press("2")
        out["search index ready (s)"] = await until(lambda: app.screen.index is not None)
        began = time.perf_counter()
        app.screen.query_one("#search").value = "surname12"
        await until(lambda: app.screen.shown_query == "surname12")
        out["search 'surname12' to results, debounce included (s)"] = time.perf_counter() - began
        await pilot.press("escape", "3")
        out["retention figures ready (s)"] = await until(lambda: app.retention is not None)
        size = sum(1 for m in app.retention.customers.values() if "full-price buyers" in m.groups)
        app.push_screen(MembersScreen("group", "full-price buyers"))
        await pilot.pause()
        out[f"members table, {size} rows sorted and shown (s)"] = await until(
            lambda: app.screen.query_one("#members").row_count == size
        )
        began = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        out["jump to the last row (s)"] = time.perf_counter() - began
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "big.db"
        began = time.perf_counter()
        build(db, options.customers, options.orders)
        print(f"built {options.customers} customers / {options.orders} orders in {time.perf_counter() - began:.1f} s")
        bare = cold_start(BARE, [], options.runs, folder)
        ours = cold_start(SHOPKEEP, [str(db)], options.runs, folder)
        print(f"cold start to first paint, median of {options.runs}:")
        print(f"  bare Textual app   {bare:.3f} s")
        print(f"  shopkeep           {ours:.3f} s   ({ours / bare:.2f}x; target <= 2x)")
        for label, seconds in asyncio.run(waits(db)).items():
            print(f"  {label:<48} {seconds:.3f}")


if __name__ == "__main__":
    main()
