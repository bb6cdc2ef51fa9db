"""Cold start to first paint of the shopkeep app on a 100k-customer / 1M-order database,
against a bare Textual app in the same run (each a fresh interpreter in a pseudo-terminal, runs
alternating, median of several). First paint: the screen's own text written to the terminal.

Also times, in process, what the owner waits for after the first paint: the search index
(Customers), the retention figures (Segments, Dashboard) and a 100k-row members table.

    .venv/bin/python benchmarks/startup_speed.py [--customers 100000] [--orders 1000000] [--runs 5] [--db PATH]
    .venv/bin/python benchmarks/startup_speed.py --screens --db PATH [--as-of DAY]

With --db, the database at PATH is reused (built there first if it does not exist yet). With --screens, only
issue 19's screen keys: the app opened headless (Pilot) on PATH, and after its first paint F1, F2, F3 and F6
pressed in turn (Today, Customers, Segments, Dashboard), each timed from the keypress until the screen shows
its data (target: within 1 s each). benchmarks/scale.py runs it on the 1M-order shop.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import fcntl
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from shopkeep.store import Store

AS_OF = dt.date(2026, 11, 23)

# Each child runs the real app in a pseudo-terminal (120x40, not headless: headless Textual writes
# nothing), and the parent stops the clock when the whole first frame has reached the terminal: the
# screen's own text and the header's icon (Textual may first send a partial update without it).
HEADER_MARK = "⭘".encode()
BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello, first paint")
        yield Footer()

Bare().run()
"""
BARE_MARKS = (b"hello, first paint", HEADER_MARK)

SHOPKEEP = """
import sys
from pathlib import Path
from shopkeep.tui.app import ShopkeepApp

ShopkeepApp(Path(sys.argv[1])).run()
"""
# The Today screen's status line, part of its first real layout (header, list, footer).
SHOPKEEP_MARKS = (b"Building today's list", HEADER_MARK)
SIZE = (120, 40)


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


def first_paint(argv: list[str], marks: tuple[bytes, ...], cwd: Path, timeout: float = 60.0) -> float:
    """Seconds from starting a fresh interpreter (in `cwd`: the installed package, not a checkout
    that happens to be the current folder) until all of `marks` are written to its terminal."""
    master, child_end = pty.openpty()
    columns, lines = SIZE
    fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
    began = time.perf_counter()
    process = subprocess.Popen(argv, stdin=child_end, stdout=child_end, stderr=child_end, env=env, cwd=cwd)
    os.close(child_end)
    seen = b""
    try:
        while not all(mark in seen for mark in marks):
            left = began + timeout - time.perf_counter()
            if left <= 0 or not select.select([master], [], [], left)[0]:
                raise TimeoutError(f"no first paint within {timeout} s: {argv}")
            try:
                seen += os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                raise RuntimeError(f"the child ended before its first paint: {seen[-2000:]!r}") from None
        return time.perf_counter() - began
    finally:
        process.kill()
        process.wait()
        os.close(master)


def cold_starts(db: Path, runs: int, folder: Path) -> dict[str, list[float]]:
    """Alternating bare / shopkeep / `shopkeep` command, each a cold interpreter; one warm-up round
    first (disk cache, .pyc files) that is not counted."""
    children = {
        "bare Textual app": ([sys.executable, "-c", BARE], BARE_MARKS),
        "shopkeep app": ([sys.executable, "-c", SHOPKEEP, str(db)], SHOPKEEP_MARKS),
        "`shopkeep --db` command": ([sys.executable, "-m", "shopkeep", "--db", str(db)], SHOPKEEP_MARKS),
    }
    times: dict[str, list[float]] = {name: [] for name in children}
    for n in range(runs + 1):
        for name, (argv, marks) in children.items():
            seconds = first_paint(argv, marks, folder)
            if n:
                times[name].append(seconds)
    return times


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
        began = time.perf_counter()
        app.screen.query_one("#search").value = "surname12"  # typing starts the index build
        await until(lambda: app.screen.shown_query == "surname12")
        out["search 'surname12' to results, debounce included (s)"] = time.perf_counter() - began
        await until(lambda: app.screen.index is not None)
        out["search index ready, from the first letter typed (s)"] = time.perf_counter() - began
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


# What "the screen shows its data" means for each screen a key opens (issue 19).
SCREEN_KEYS = {
    "f1": ("Today", lambda screen: screen.summary is not None),
    "f2": ("Customers", lambda screen: screen.metrics is not None and screen.query_one("#everyone").display),
    "f3": ("Segments", lambda screen: screen.query_one("#segments").row_count > 0),
    "f6": ("Dashboard", lambda screen: "Computing" not in str(screen.query_one("#kpis").content)),
}


async def screen_keys(path: Path, as_of: dt.date | None, timeout: float = 120.0) -> dict[str, float]:
    """Seconds from each key press (after the first paint) until that screen shows its data."""
    from shopkeep.tui.app import SCREENS_BY_KEY, ShopkeepApp

    titles = {f"f{key}": title for key, (_, title) in SCREENS_BY_KEY.items()}
    assert all(titles[key] == title for key, (title, _) in SCREEN_KEYS.items()), "SCREENS_BY_KEY changed"
    app = ShopkeepApp(path, as_of=as_of)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        began = time.perf_counter()

        async def until(condition, what: str) -> float:
            start = time.perf_counter()
            while not condition():
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"{what}: nothing shown within {timeout:.0f} s")
                await pilot.pause(0.005)
            return time.perf_counter() - start

        await until(lambda: app._painted, "first paint")
        painted = time.perf_counter()
        out["first paint (s)"] = painted - began
        ready: list[float] = []
        app.retention_ready.subscribe(app, lambda _: ready.append(time.perf_counter()) if not ready else None)
        for key, (title, shown) in SCREEN_KEYS.items():
            # The key as a terminal sends it (App.simulate_key posts the same Key event), not Pilot.press: that
            # waits after each key until the whole process is idle (textual._wait.wait_for_idle, up to 1 s twice),
            # which adds ~2 s while any worker thread computes, a wait no owner's terminal has.
            pressed, cpu = time.perf_counter(), time.process_time()
            app.simulate_key(key)
            await until(lambda title=title: title == app.screen.TITLE, title)
            await until(lambda shown=shown: shown(app.screen), title)
            out[f"{key.upper()} {title}: key to data shown (s)"] = time.perf_counter() - pressed
            out[f"{key.upper()} {title}: CPU of the process meanwhile (s)"] = time.process_time() - cpu
    if ready:
        out["(the figures were ready, after the first paint) (s)"] = ready[0] - painted
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="reuse this database (built there if missing)")
    parser.add_argument("--screens", action="store_true", help="only the screen keys, on --db (issue 19)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="with --screens: the app's day")
    options = parser.parse_args()
    if options.screens:
        if options.db is None or not options.db.exists():
            raise SystemExit("--screens needs --db PATH of an existing shop")
        for label, seconds in asyncio.run(screen_keys(options.db, options.as_of)).items():
            print(f"  {label:<48} {seconds:.3f}", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = options.db or folder / "big.db"
        if db.exists():
            print(f"reusing {db}")
        else:
            began = time.perf_counter()
            build(db, options.customers, options.orders)
            print(
                f"built {options.customers} customers / {options.orders} orders in {time.perf_counter() - began:.1f} s"
            )
        times = cold_starts(db, options.runs, folder)
        bare = statistics.median(times["bare Textual app"])
        print(f"cold start to first paint (in a terminal, fresh interpreter), median of {options.runs}:")
        for name, seconds in times.items():
            median = statistics.median(seconds)
            runs = " ".join(f"{t:.3f}" for t in seconds)
            print(f"  {name:<24} {median:.3f} s  {median / bare:.2f}x  (runs: {runs})")
        print("  target: shopkeep app <= 2x the bare app")
        for label, seconds in asyncio.run(waits(db)).items():
            print(f"  {label:<48} {seconds:.3f}")


if __name__ == "__main__":
    main()
