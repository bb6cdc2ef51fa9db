"""`python -m shopkeep.demo build PATH`: the developer's command that (re)builds the shipped demo.db
(`make demo-db`). Not a `shopkeep` command: the owner opens the demo with `shopkeep demo`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from shopkeep.demo.build import build
from shopkeep.demo.defaults import DEFAULT_CUSTOMERS, DEFAULT_SEED, DEFAULT_TODAY
from shopkeep.errors import ShopkeepError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopkeep.demo", description="Build the demo shop database.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the demo database at PATH")
    build_cmd.add_argument("path", type=Path)
    build_cmd.add_argument("--today", default=DEFAULT_TODAY.isoformat(), help="the demo's own today (YYYY-MM-DD)")
    build_cmd.add_argument("--seed", type=int, default=DEFAULT_SEED)
    build_cmd.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    args = parser.parse_args(argv)
    try:
        today = dt.date.fromisoformat(args.today)
    except ValueError:
        parser.error(f"not a date: {args.today!r} (use YYYY-MM-DD)")
    started = time.perf_counter()
    try:
        figures = build(args.path, today=today, seed=args.seed, customers=args.customers)
    except ShopkeepError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{key} {value}" for key, value in figures.items())
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s: {summary}")
    return 0
