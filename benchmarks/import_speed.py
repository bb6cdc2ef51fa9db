"""How fast `shopkeep import` is against the plain floor (csv.reader + sqlite3 executemany).

    .venv/bin/python benchmarks/import_speed.py            # 1,000,000 orders, 100,000 customers
    .venv/bin/python benchmarks/import_speed.py --rows 50000

Writes a deterministic generic export into a temporary folder (deleted afterwards), then runs,
each in its own subprocess so that peak memory is measured separately:
  floor     csv.reader + one sqlite3 executemany of the same rows in one transaction
  shopkeep  shopkeep.importing.load.import_file into a fresh database (in-process API)
  stages    the CPU of reading, parsing and grouping alone (the rest of shopkeep's CPU is loading + SQLite)
  store     the orders shopkeep stored, copied into a fresh store by one INSERT ... SELECT (no Python per
            row), with its indexes built at the end: what shopkeep's own table costs SQLite, whoever fills it
  cli       `python -m shopkeep import` of a one-row file: the fixed cost the command adds
and prints seconds, rows/s, peak RSS, the ratio shopkeep / floor and a CPU breakdown. The target (issue 19) is for
the whole command, upkeep included: <= 4.0x the floor and <= 300 MB, measured by benchmarks/scale.py.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["Order ID", "Date", "Customer ID", "Email", "Phone", "Name", "Total", "Currency", "Status", "City"]
CITIES = ["Warszawa", "Kraków", "Gdańsk", "Poznań", "Wrocław", "Łódź"]
STATUSES = ["paid"] * 18 + ["refunded", "cancelled"]


def generate(path: Path, rows: int, customers: int) -> None:
    rng = random.Random(20261123)
    start = dt.datetime(2023, 1, 1, 9, 0, 0)
    people = [
        (
            f"C{n:06d}",
            f"customer{n}@example.com",
            f"+48 60{n:07d}",
            f"Customer {n}",
            rng.choice(CITIES),
        )
        for n in range(customers)
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for n in range(rows):
            cid, email, phone, name, city = people[rng.randrange(customers)]
            when = start + dt.timedelta(minutes=n)
            cents = rng.randrange(500, 50000)
            writer.writerow(
                [
                    f"{100000 + n}",
                    when.strftime("%Y-%m-%d %H:%M:%S"),
                    cid,
                    email,
                    phone,
                    name,
                    f"{cents // 100}.{cents % 100:02d}",
                    "PLN",
                    rng.choice(STATUSES),
                    city,
                ]
            )


def run_floor(csv_path: Path, db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"CREATE TABLE plain ({', '.join(f'c{i} TEXT' for i in range(len(HEADERS)))})")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(f"INSERT INTO plain VALUES ({', '.join('?' * len(HEADERS))})", reader)
        conn.execute("COMMIT")
    conn.close()


def run_shopkeep(csv_path: Path, db_path: Path) -> dict:
    from shopkeep.importing.load import import_file
    from shopkeep.importing.parse import ImportOptions
    from shopkeep.store import Store

    with Store.open(db_path) as store:
        result = import_file(store, csv_path, ImportOptions())
    if not result.ok:
        raise SystemExit(f"import failed: {result.error_count} bad values, first {result.errors[:3]}")
    return {"orders_new": result.orders_new, "customers_new": result.customers_new}


def run_stages(csv_path: Path) -> dict:
    """CPU seconds of each streaming stage, each run from the start of the file."""
    from shopkeep.importing.group import group_orders
    from shopkeep.importing.parse import ImportOptions, parse_rows, plan_file
    from shopkeep.importing.readers import CsvLayout, read_records

    plan = plan_file(csv_path, ImportOptions())
    layout = CsvLayout(plan.headers, plan.encoding, plan.delimiter)
    stages = {
        "read": lambda: read_records(csv_path, layout),
        "read+parse": lambda: parse_rows(csv_path, plan, ImportOptions()),
        "read+parse+group": lambda: group_orders(parse_rows(csv_path, plan, ImportOptions()), plan.source, plan.grain),
    }
    seconds = {}
    for name, stream in stages.items():
        started = time.process_time()
        for _ in stream():
            pass
        seconds[name] = time.process_time() - started
    return {"stages": seconds}


def run_store(imported: Path, db_path: Path) -> dict:
    """CPU of storing the already typed orders of `imported` in shopkeep's schema (constraints, indexes, commit)."""
    from shopkeep.store import Store
    from shopkeep.store import orders as order_sql

    with Store.open(db_path) as store:
        conn = store.conn
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{imported}?mode=ro",))
        conn.execute("PRAGMA temp_store = MEMORY")
        with store.write():  # not timed: the rows the orders point at, and the orders staged in memory
            conn.execute("INSERT INTO imports SELECT * FROM src.imports")
            conn.execute("INSERT INTO customers SELECT * FROM src.customers")
            conn.execute("CREATE TEMP TABLE staged AS SELECT * FROM src.orders")
        started = time.process_time()
        with store.write() as write, order_sql.indexes_deferred(write):
            write.execute("INSERT INTO orders SELECT * FROM staged")
        return {"store_cpu": time.process_time() - started}


def child(kind: str, csv_path: Path, db_path: Path) -> None:
    started = time.perf_counter()
    runs = {"floor": run_floor, "shopkeep": run_shopkeep, "store": run_store}
    extra = run_stages(csv_path) if kind == "stages" else runs[kind](csv_path, db_path)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    peak_mb = usage.ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, **(extra or {})}))


def measure(kind: str, csv_path: Path, db_path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(csv_path), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def cli_overhead(folder: Path) -> float:
    tiny = folder / "tiny.csv"
    generate(tiny, 1, 1)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "shopkeep", "import", "--db", str(folder / "tiny.db"), str(tiny)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path, db_path = args.child
        child(kind, Path(csv_path), Path(db_path))
        return
    customers = max(1, args.rows // 10)
    with tempfile.TemporaryDirectory(prefix="shopkeep-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "orders.csv"
        generate(csv_path, args.rows, customers)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"{args.rows:,} orders, {customers:,} customers, {size_mb:.0f} MB CSV")
        floor = measure("floor", csv_path, folder / "floor.db")
        shop = measure("shopkeep", csv_path, folder / "shop.db")
        stages = measure("stages", csv_path, folder / "unused.db")["stages"]
        store = measure("store", folder / "shop.db", folder / "store.db")["store_cpu"]
        overhead = cli_overhead(folder)
    for name, m in (("floor", floor), ("shopkeep", shop)):
        rate = args.rows / m["seconds"]
        print(
            f"{name:9} {m['seconds']:8.2f} s wall {m['cpu']:8.2f} s CPU {rate:10,.0f} rows/s"
            f"  peak RSS {m['peak_mb']:6.0f} MB"
        )
    print(f"imported: {shop['orders_new']:,} orders, {shop['customers_new']:,} customers")
    print(
        f"ratio shopkeep/floor: {shop['seconds'] / floor['seconds']:.2f}x wall,"
        f" {shop['cpu'] / floor['cpu']:.2f}x CPU (the whole command, upkeep included: <= 4.0x, benchmarks/scale.py)"
    )
    print(f"peak RSS shopkeep: {shop['peak_mb']:.0f} MB (target <= 300 MB)")
    read, parse, group = stages["read"], stages["read+parse"], stages["read+parse+group"]
    print(
        f"shopkeep CPU breakdown: read CSV {read:.2f} s, parse {parse - read:.2f} s, group {group - parse:.2f} s,"
        f" load + SQLite + commit {shop['cpu'] - group:.2f} s"
    )
    fc = floor["cpu"]
    print(
        f"store floor: the typed orders, already in memory, into shopkeep's table by one INSERT ... SELECT:"
        f" {store:.2f} s CPU ({store / fc:.2f}x the plain floor). So no importer into this schema is under"
    )
    print(
        f"  {(fc + store) / fc:.2f}x typing in SQL (the raw rows staged = the plain floor itself, then that insert), or"
        f" {(parse + store) / fc:.2f}x typing in Python (reading + shopkeep's parsing + that insert)"
    )
    print(f"CLI fixed overhead (start-up + one-row import): {overhead:.2f} s")


if __name__ == "__main__":
    main()
