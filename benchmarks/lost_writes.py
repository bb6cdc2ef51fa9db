"""Issue 11 re-measured: does the open app keep every call it logged while other shopkeep commands run?

    .venv/bin/python benchmarks/lost_writes.py                       # 3 runs of each scenario, 200k-row import
    .venv/bin/python benchmarks/lost_writes.py --runs 6 --big 50000
    PYTHONPATH=/path/to/other/checkout .venv/bin/python benchmarks/lost_writes.py   # the same on other code

The app is a process shaped like it (run by this script with --app): one long-lived connection, as the
app's watcher, and for each call a worker's own Store, opened and closed around shopkeep.calls.log_call,
as the Today screen's worker does. A call is counted once log_call returned (its commit did). Every other
command is a real `python -m shopkeep` process. Scenarios, as in the issue's table:

  others   the app logs 6 calls; between them, 6 `points add` and 3 `export customers` run one by one
  alone    the app logs 6 calls and nothing else runs
  import   a big `shopkeep import` runs; meanwhile the app logs 8 calls, with 10 `points add` and
           4 `export customers` between them

Printed per run: calls saved of those counted, writes the app saw fail, other commands that failed, and
`PRAGMA integrity_check` once every process is gone. Each run has its own temporary folder, deleted after.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TODAY = "2026-11-23"
HEADER = "Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status\n"
CUSTOMERS = 500


def write_export(path: Path, rows: int, prefix: str, customers: int = CUSTOMERS) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for n in range(rows):
            c = n % customers
            fh.write(
                f"{prefix}{n},2026-{1 + n % 10:02d}-{1 + n % 28:02d},C{c},c{c}@example.org,"
                f"+4860{c:07d},Customer {c},{5 + n % 200}.{n % 100:02d},PLN,paid\n"
            )
    return path


# -- the app-shaped process -------------------------------------------------------------------------


def app_main(db: str) -> int:
    """Answers one line per command on stdin: `log ID` -> `ok CALL_ID` | `fail ERROR`; `quit` -> `bye`."""
    from shopkeep import calls
    from shopkeep.store import Store

    watcher = Store.open(db, create=False)
    watcher.data_version()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "quit":
            break
        try:
            with Store.open(db, create=False) as store:
                store.patience = 30 * 60  # the app's WRITE_PATIENCE_SECONDS
                call_id = calls.log_call(store, int(arg), "no_answer")
            watcher.data_version()
            print(f"ok {call_id}", flush=True)
        except Exception as exc:
            print(f"fail {type(exc).__name__}: {exc}", flush=True)
    watcher.close()
    print("bye", flush=True)
    return 0


class App:
    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--app", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the app-shaped process did not start")
        self.counted = 0
        self.failed: list[str] = []

    def log(self, customer_id: int) -> None:
        self.proc.stdin.write(f"log {customer_id}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer.startswith("ok "):
            self.counted += 1
        else:
            self.failed.append(answer)

    def quit(self) -> None:
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.stdout.readline()
        self.proc.wait(timeout=60)


# -- the other commands -----------------------------------------------------------------------------


def shopkeep(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "shopkeep", *args, "--db", str(db)]


def points_add(db: Path, n: int) -> list[str]:
    return shopkeep(db, "points", "add", f"c{n % CUSTOMERS}@example.org", "5", "--reason", "bonus")


def export(db: Path, folder: Path, n: int) -> list[str]:
    return shopkeep(db, "export", "customers", "-o", str(folder / f"export{n}.csv"))


@dataclass
class Run:
    scenario: str
    counted: int
    saved: int
    app_failed: int
    others_failed: int
    integrity: str
    seconds: float


def _result(scenario: str, db: Path, app: App, others_failed: int, started: float) -> Run:
    conn = sqlite3.connect(db)
    try:
        integrity = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()[:2])
        saved = conn.execute("SELECT count(*) FROM calls").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        integrity, saved = str(exc), -1  # shown as "?"
    finally:
        conn.close()
    return Run(scenario, app.counted, saved, len(app.failed), others_failed, integrity, time.monotonic() - started)


def scenario(name: str, folder: Path, big_rows: int) -> Run:
    db = folder / "shop.db"
    first_csv = write_export(folder / "first.csv", 2000, "F")
    first = subprocess.run(shopkeep(db, "import", str(first_csv)), capture_output=True)
    if first.returncode:
        raise SystemExit(f"setting up the shop failed: {first.stderr.decode()}")
    big = write_export(folder / "big.csv", big_rows, "B") if name == "import" else None
    started = time.monotonic()
    app = App(db)
    failed = 0

    def run_one(cmd: list[str]) -> None:
        nonlocal failed
        failed += subprocess.run(cmd, capture_output=True).returncode != 0

    if name == "alone":
        for n in range(6):
            app.log(1 + n)
    elif name == "others":
        between = [[points_add(db, 1)], [points_add(db, 2), export(db, folder, 1)], [points_add(db, 3)]]
        between += [[export(db, folder, 2), points_add(db, 4)], [points_add(db, 5), export(db, folder, 3)]]
        between += [[points_add(db, 6)]]
        for n, commands in enumerate(between):
            app.log(1 + n)
            for cmd in commands:
                run_one(cmd)
    else:
        importer = subprocess.Popen(shopkeep(db, "import", str(big)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        small = [points_add(db, n) for n in range(10)] + [export(db, folder, n) for n in range(4)]
        small = [small[i] for i in (0, 10, 1, 2, 11, 3, 4, 12, 5, 6, 13, 7, 8, 9)]  # exports spread out
        for n in range(8):
            app.log(1 + n)
            for cmd in small[n * 2 : n * 2 + 2] if n < 7 else []:
                run_one(cmd)
        failed += importer.wait() != 0
    app.quit()
    return _result(name, db, app, failed, started)


def _saved(run: Run) -> str:
    return "?" if run.saved < 0 else str(run.saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3)")
    parser.add_argument("--big", type=int, default=200_000, help="rows of the big import (default 200000)")
    parser.add_argument("--only", choices=("others", "alone", "import"), action="append", help="scenarios to run")
    parser.add_argument("--app", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.app:
        return app_main(args.app)
    os.environ["SHOPKEEP_TODAY"] = TODAY
    os.umask(0o077)
    import shopkeep

    print(f"shopkeep from {Path(shopkeep.__file__).parent}; {args.runs} runs each; big import {args.big:,} rows")
    print(f"{'scenario':<8} {'run':>3}  {'saved/counted':>13}  {'app failed':>10}  {'others failed':>13}  integrity")
    totals: dict[str, list[Run]] = {}
    for name in args.only or ("others", "alone", "import"):
        for n in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="shopkeep-lost-writes-") as folder:
                run = scenario(name, Path(folder), args.big)
            totals.setdefault(name, []).append(run)
            print(
                f"{name:<8} {n + 1:>3}  {f'{_saved(run)}/{run.counted}':>13}  {run.app_failed:>10}"
                f"  {run.others_failed:>13}  {run.integrity}  ({run.seconds:.1f} s)",
                flush=True,
            )
    print()
    for name, runs in totals.items():
        whole = sum(r.saved == r.counted and r.integrity == "ok" for r in runs)
        saved = ", ".join(f"{_saved(r)}/{r.counted}" for r in runs)
        bad = sum(r.integrity != "ok" for r in runs)
        print(f"{name:<8} saved/counted per run: {saved}; every call kept in {whole} of {len(runs)}; corrupt: {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
