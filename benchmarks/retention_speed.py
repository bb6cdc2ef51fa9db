"""How long a full retention `compute` takes on a big shop, against one plain GROUP BY.

Builds (deterministically, in a temp dir) a 1M-order / 100k-customer database by direct SQL
inserts, then times `shopkeep.retention.compute` and
`SELECT customer_id, count(*), sum(total), min(ordered_at), max(ordered_at) FROM orders GROUP BY customer_id`
on the same database in the same run. Target: compute <= 3x the query.

Wall and CPU time are both reported (the machine may be shared); --db PATH keeps the built
database there and reuses it on the next run.

Run: .venv/bin/python benchmarks/retention_speed.py [--orders N] [--customers N] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from shopkeep.retention import cached_compute, compute
from shopkeep.store import Store, analytics

AS_OF = dt.date(2026, 6, 30)
START = dt.date(2022, 1, 1)
BASELINE = "SELECT customer_id, count(*), sum(total), min(ordered_at), max(ordered_at) FROM orders GROUP BY customer_id"


def build(path: Path, n_orders: int, n_customers: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    store = Store.open(path)
    span = (AS_OF - START).days
    stamp = "2026-06-30T12:00:00"
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO customers (id, external_id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            ((i, f"{i:07d}", f"Customer {i}", f"c{i}@example.com", stamp, stamp) for i in range(1, n_customers + 1)),
        )
        # Heavy-tailed order counts: most customers buy once, a few buy very often.
        weights = [rng.paretovariate(1.2) for _ in range(n_customers)]
        scale = n_orders / sum(weights)
        counts = [max(1, round(w * scale)) for w in weights]
        rows = []
        order_id = 0
        for cid, count in enumerate(counts, start=1):
            first = rng.randrange(span)
            for _ in range(count):
                if order_id >= n_orders:
                    break
                order_id += 1
                day = START + dt.timedelta(days=min(span, first + rng.randrange(span - first + 1)))
                guest = rng.random() < 0.03
                status = rng.choices(["paid", "refunded", "partially_refunded", "cancelled"], [94, 2, 2, 2])[0]
                total = rng.randrange(500, 40_000)
                rows.append(
                    (
                        order_id,
                        "bench",
                        str(order_id),
                        None if guest else cid,
                        f"{day.isoformat()}T{rng.randrange(8, 22):02d}:00:00",
                        status,
                        "EUR",
                        total,
                        total // 3 if status == "partially_refunded" else 0,
                        rng.choice([0, 0, 0, 500]),
                        stamp,
                    )
                )
        conn.executemany(
            "INSERT INTO orders (id, source, order_key, customer_id, ordered_at, status, currency, total, refunded,"
            " discount, content_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)",
            ((*r[:-1], r[-1], r[-1]) for r in rows),
        )
    store.conn.execute("ANALYZE")
    store.close()


def timed(fn, repeat: int = 3) -> tuple[float, float]:
    """Median (wall, CPU) seconds of `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def measure(path: Path) -> tuple[tuple[float, float], ...]:
    """(wall, CPU) of: the baseline, a full compute, a compute with every customer's metrics read
    (they are built when first read), a cache hit, the cache's re-check after a commit."""
    store = Store.open(path)
    baseline = timed(lambda: store.conn.execute(BASELINE).fetchall())
    full = timed(lambda: compute(store, AS_OF))
    everyone = timed(lambda: list(compute(store, AS_OF).customers.values()))
    cached_compute(store, AS_OF)
    cached = timed(lambda: cached_compute(store, AS_OF))
    recheck = timed(lambda: analytics.fingerprint(store))
    store.close()
    return baseline, full, everyone, cached, recheck


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="build the database here once and reuse it")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.orders, args.customers)
            print(f"built {args.orders:,} orders / {args.customers:,} customers in {time.perf_counter() - t0:.1f} s")
        baseline, full, everyone, cached, recheck = measure(path)
    ratio, cpu_ratio = full[0] / baseline[0], full[1] / baseline[1]
    print(f"GROUP BY baseline   {baseline[0] * 1000:8.0f} ms wall {baseline[1] * 1000:8.0f} ms CPU")
    print(f"retention.compute   {full[0] * 1000:8.0f} ms wall {full[1] * 1000:8.0f} ms CPU", end="")
    print(f"  ({ratio:.2f}x baseline wall, {cpu_ratio:.2f}x CPU, target <= 3x)")
    print(f"... + all customers {everyone[0] * 1000:8.0f} ms wall {everyone[1] * 1000:8.0f} ms CPU", end="")
    print(f"  ({everyone[0] / baseline[0]:.2f}x baseline wall: every customer's metrics read as well)")
    print(f"cached_compute hit  {cached[0] * 1000:8.2f} ms wall")
    print(f"cache re-check      {recheck[0] * 1000:8.2f} ms wall (after any commit: the fingerprint)")
    print("target met" if ratio <= 3 else "TARGET MISSED: compute is slower than 3x the GROUP BY")
    return 1 if ratio > 3 and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
