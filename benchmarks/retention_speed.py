"""How long a full retention `compute` takes on a big shop, against one plain GROUP BY.

Builds (deterministically, in a temp dir) a 1M-order / 100k-customer database by direct SQL
inserts, then times `shopkeep.retention.compute` and
`SELECT customer_id, count(*), sum(total), min(ordered_at), max(ordered_at) FROM orders GROUP BY customer_id`
on the same database in the same run. Target: compute <= 3x the query.

Run: .venv/bin/python benchmarks/retention_speed.py [--orders N] [--customers N]
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
from shopkeep.store import Store

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


def timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build(path, args.orders, args.customers)
        print(f"built {args.orders:,} orders / {args.customers:,} customers in {time.perf_counter() - t0:.1f} s")
        store = Store.open(path)
        baseline = timed(lambda: store.conn.execute(BASELINE).fetchall())
        full = timed(lambda: compute(store, AS_OF))
        cached_compute(store, AS_OF)
        cached = timed(lambda: cached_compute(store, AS_OF))
        store.close()
    ratio = full / baseline
    print(f"GROUP BY baseline   {baseline * 1000:8.0f} ms")
    print(f"retention.compute   {full * 1000:8.0f} ms  ({ratio:.2f}x baseline, target <= 3x)")
    print(f"cached_compute hit  {cached * 1000:8.2f} ms")
    print("target met" if ratio <= 3 else "TARGET MISSED: compute is slower than 3x the GROUP BY")
    return 1 if ratio > 3 and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
