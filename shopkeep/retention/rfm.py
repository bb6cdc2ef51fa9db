"""RFM: 1–5 scores by quintiles of this shop's customers, and the named segments.

Scores (5 = best):
- R and M: a customer's mid-rank among this shop's customers ((worse + half of equal) / all),
  cut into fifths. Equal values always get the same score.
- F: most small shops have a large block of one-order customers, so quintiles of order counts
  would be arbitrary. Deliberately: one order is always F=1; customers with two or more orders
  are ranked among the repeat buyers only and cut into quarters (F=2..5). Equal counts share a score.

The segment table below is read top to bottom; the first row that matches wins, so narrow
segments come before broad ones. Together the rows cover all 125 (R, F, M) triples.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

Range = tuple[int, int]


@dataclass(frozen=True)
class SegmentRule:
    name: str
    r: Range
    f: Range
    m: Range
    meaning: str


#            name                   R       F       M       what it means
SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule("Champions", (4, 5), (4, 5), (4, 5), "bought recently, buy often and spend the most"),
    SegmentRule("Can't Lose Them", (1, 2), (4, 5), (4, 5), "were among the best, but have not been back for long"),
    SegmentRule("Loyal Customers", (3, 5), (3, 5), (1, 5), "buy regularly and not long ago"),
    SegmentRule("At Risk", (1, 2), (3, 5), (1, 5), "bought often, but not for a long time"),
    SegmentRule("Potential Loyalists", (4, 5), (2, 2), (1, 5), "recent customers with a second order"),
    SegmentRule("New Customers", (5, 5), (1, 1), (1, 5), "made their first order very recently"),
    SegmentRule("Promising", (4, 4), (1, 1), (1, 5), "made their first order recently"),
    SegmentRule("Need Attention", (3, 3), (1, 2), (3, 5), "spent well, but recency and frequency are only average"),
    SegmentRule("About to Sleep", (3, 3), (1, 2), (1, 2), "few orders, low spend, recency slipping"),
    SegmentRule("Hibernating", (2, 2), (1, 2), (1, 5), "few orders, and the last one was long ago"),
    SegmentRule("Lost", (1, 1), (1, 2), (1, 5), "few orders, and the last one was longer ago than almost anyone's"),
)

SEGMENTS: tuple[str, ...] = tuple(rule.name for rule in SEGMENT_RULES)
_MEANING = {rule.name: rule.meaning for rule in SEGMENT_RULES}


def _inside(value: int, bounds: Range) -> bool:
    return bounds[0] <= value <= bounds[1]


def segment_rule(r: int, f: int, m: int) -> SegmentRule:
    """The first rule of SEGMENT_RULES that matches; every triple 1..5 matches one."""
    for rule in SEGMENT_RULES:
        if _inside(r, rule.r) and _inside(f, rule.f) and _inside(m, rule.m):
            return rule
    raise ValueError(f"RFM scores out of range: {r}{f}{m}")


_BY_SCORES = {(r, f, m): segment_rule(r, f, m).name for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)}


def segment_for(r: int, f: int, m: int) -> str:
    """The segment of a score triple (the table above, looked up once per triple)."""
    return _BY_SCORES[r, f, m]


def segment_meaning(name: str) -> str:
    return _MEANING[name]


class Ranker:
    """Scores values (higher = better) by mid-rank within a population, cut into `bands` bands."""

    def __init__(self, values: Sequence[float], bands: int = 5, lowest: int = 1):
        self._sorted = sorted(values)
        self._bands = bands
        self._lowest = lowest
        self._scores: dict[float, int] = {}

    def share_below(self, value: float) -> float:
        """Share of the population strictly below `value` plus half of those equal to it."""
        n = len(self._sorted)
        if n == 0:
            return 0.5
        lo = bisect.bisect_left(self._sorted, value)
        hi = bisect.bisect_right(self._sorted, value)
        return (lo + (hi - lo) / 2) / n

    def top_threshold(self, share: float) -> float:
        """Values above this one are higher than at least `share` of the population."""
        n = len(self._sorted)
        if n == 0:
            return math.inf
        return self._sorted[max(0, math.ceil(share * n) - 1)]

    def table(self) -> dict[float, int]:
        """The score of every value of the population, in one walk over the sorted values."""
        values, n, bands, lowest = self._sorted, len(self._sorted), self._bands, self._lowest
        scores: dict[float, int] = {}
        i = 0
        while i < n:
            value = values[i]
            j = bisect.bisect_right(values, value, i)
            scores[value] = lowest + min(bands - 1, int((i + (j - i) / 2) / n * bands))
            i = j
        return scores

    def score(self, value: float) -> int:
        found = self._scores.get(value)
        if found is None:
            band = min(self._bands - 1, int(self.share_below(value) * self._bands))
            found = self._scores[value] = self._lowest + band
        return found


class FrequencyScorer:
    """F: one order (or none) = 1; repeat buyers ranked among themselves into 2..5."""

    def __init__(self, counts: Sequence[int]):
        self._repeat = Ranker([c for c in counts if c >= 2], bands=4, lowest=2)

    def score(self, count: int) -> int:
        return 1 if count < 2 else self._repeat.score(count)


def explain(name: str, r: int, f: int, m: int, recency_days: int | None, orders: int, revenue_text: str) -> str:
    """Plain words: why this customer is in this segment."""
    last = "no kept order yet" if recency_days is None else f"last order {recency_days} days ago"
    order_word = "order" if orders == 1 else "orders"
    return (
        f"{name}: R={r} ({last}), F={f} ({orders} {order_word}), M={m} ({revenue_text} spent) — "
        f"{segment_meaning(name)}. Scores are 1–5 within this shop, 5 = best."
    )
