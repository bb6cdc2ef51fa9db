"""How well churn_risk ranks customers who will order again, against recency alone and BG/NBD.

For each shop the order histories are split at a date. churn_risk is computed as of that date from
the earlier orders only (shopkeep.retention.compute_from_rows), and the AUC of (1 - churn_risk) for
"ordered again within HORIZON days after the split" is reported, next to
  (a) days since the last order alone, and
  (b) a BG/NBD model fitted by maximum likelihood (scipy) on the same earlier orders,
      scored by P(at least one order within the horizon).
Target: churn_risk at least as good as BG/NBD.

Shops: synthetic (a weekly grocer, monthly cosmetics, seasonal gifts: heterogeneous customers who
buy on their own rhythm and drop out), and CDNOW (real CD-store transactions, 1997–98) from the
data files shipped in the `lifetimes` package (pip install lifetimes, or --cdnow PATH to
CDNOW_master.txt).

Needs scipy: pip install -e '.[bench]'.  Run: .venv/bin/python benchmarks/churn_quality.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import math
import random
import sys
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
Histories = dict[int, list[dt.date]]


# -- synthetic shops ---------------------------------------------------------------------------


def _gamma_gap(rng: random.Random, mean: float, regularity: float) -> float:
    return rng.gammavariate(regularity, mean / regularity)


def simulate(kind: str, seed: int, customers: int = 3000) -> tuple[Histories, dt.date]:
    """Order days per customer. Each customer has an own mean gap and regularity and, after each
    order, a personal chance of never coming back."""
    rng = random.Random(seed)
    start, end = dt.date(2022, 1, 1), dt.date(2026, 6, 30)
    split = dt.date(2025, 9, 30)
    span = (split - start).days
    base_gap = {"grocer": 7.0, "cosmetics": 35.0, "gifts": 365.0}[kind]
    histories: Histories = {}
    for cid in range(1, customers + 1):
        day = start + dt.timedelta(days=rng.randrange(span))
        if kind == "gifts" and rng.random() < 0.7:  # most first orders fall in the gift season
            day = dt.date(rng.choice([2022, 2023, 2024]), 12, 1) + dt.timedelta(days=rng.randrange(-20, 23))
        mean_gap = base_gap * math.exp(rng.gauss(0, 0.6))
        regularity = rng.choice([1.0, 2.0, 4.0, 8.0])
        dropout = rng.betavariate(1.0, {"grocer": 12.0, "cosmetics": 4.0, "gifts": 2.5}[kind])
        days = []
        while day <= end:
            days.append(day)
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
        histories[cid] = days
    return histories, split


# -- CDNOW ------------------------------------------------------------------------------------


def cdnow_path(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    spec = importlib.util.find_spec("lifetimes")  # the data files only: the package itself is not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "CDNOW_master.txt"
    return path if path.exists() else None


def load_cdnow(path: Path) -> tuple[Histories, dt.date]:
    histories: Histories = defaultdict(list)
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[0].isdigit():
            continue
        histories[int(parts[0])].append(dt.datetime.strptime(parts[1], "%Y%m%d").date())
    return dict(histories), dt.date(1997, 9, 30)  # the usual calibration end: 39 of 78 weeks


# -- scoring -----------------------------------------------------------------------------------


def auc(scores: list[float], labels: list[bool]) -> float:
    """P(a random positive scores above a random negative), ties counting half."""
    order = np.argsort(scores, kind="mergesort")
    s = np.asarray(scores)[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i : j + 1] = (i + j) / 2 + 1
        i = j + 1
    y = np.asarray(labels)[order]
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


def evaluate(name: str, histories: Histories, split: dt.date) -> dict[str, float]:
    before = {cid: [d for d in days if d <= split] for cid, days in histories.items()}
    before = {cid: days for cid, days in before.items() if days}
    end = split + dt.timedelta(days=HORIZON)
    labels = {cid: any(split < d <= end for d in histories[cid]) for cid in before}
    customers = {cid: CustomerRow(cid, None, None, None, None, False) for cid in before}
    rows = [
        OrderHistory(cid, len(days), 0, 0, 1000 * len(days), len(days), (min(days).isoformat(), 1000), distinct)
        for cid, days in before.items()
        for distinct in [sorted({d.isoformat() for d in days})]
    ]
    retention = compute_from_rows(customers, rows, split, "EUR")
    ids = sorted(before)
    y = [labels[c] for c in ids]
    ours = [1 - retention.customers[c].churn_risk for c in ids]
    recency = [-retention.customers[c].recency_days for c in ids]
    feats = [features(before[c], split) for c in ids]
    x, tx, big_t = (np.array(col, dtype=float) for col in zip(*feats, strict=True))
    params = fit_bgnbd(x, tx, big_t)
    result = {
        "customers": len(ids),
        "came_back": sum(y) / len(y),
        "shopkeep": auc(ours, y),
        "recency": auc(recency, y),
        "bgnbd": auc(bgnbd_scores(feats, params), y),
    }
    print(
        f"{name:<22}{result['customers']:>9}{result['came_back']:>10.1%}"
        f"{result['shopkeep']:>10.4f}{result['recency']:>10.4f}{result['bgnbd']:>10.4f}"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdnow", help="path to CDNOW_master.txt (default: from the lifetimes package)")
    parser.add_argument("--customers", type=int, default=3000, help="customers per synthetic shop")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    print(f"AUC of each score for 'ordered again within {HORIZON} days of the split' (higher is better)")
    print(f"{'shop':<22}{'customers':>9}{'came back':>10}{'shopkeep':>10}{'recency':>10}{'BG/NBD':>10}")
    results = [
        evaluate(f"synthetic {kind}", *simulate(kind, seed=11 + i, customers=args.customers))
        for i, kind in enumerate(("grocer", "cosmetics", "gifts"))
    ]
    path = cdnow_path(args.cdnow)
    if path is None:
        print("CDNOW: skipped (pip install lifetimes, or pass --cdnow PATH)")
    else:
        results.append(evaluate("CDNOW (real)", *load_cdnow(path)))
    worse = [r for r in results if r["shopkeep"] < r["bgnbd"]]
    print("target met: churn_risk at least as good as BG/NBD" if not worse else f"below BG/NBD on {len(worse)} shop(s)")
    return 1 if worse and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
