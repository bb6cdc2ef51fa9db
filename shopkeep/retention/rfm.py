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

import itertools
import math
from dataclasses import dataclass

import numpy as np

from shopkeep.i18n import N_, _, ngettext

Range = tuple[int, int]


@dataclass(frozen=True)
class SegmentRule:
    name: str
    r: Range
    f: Range
    m: Range
    meaning: str


# The words say what the scores say and no more: R, F and M rank a customer among THIS shop's customers,
# so "recent" means "more recent than most of this shop's customers" (in a shop whose data ends years ago
# that can be thousands of days; the app says so about the data itself). What will happen next is the
# churn risk's to say, not the segment's: see OUTLOOK and `explain`.
MEANINGS: dict[str, str] = {  # what each segment means, in the words shown
    "Champions": N_("ordered more recently than most of this shop's customers, order often and spend the most"),
    "Can't Lose Them": N_(
        "were among the best (many orders, high spend), but their last order is older than most customers'"
    ),
    "Loyal Customers": N_("order more often than most, and their last order is not among this shop's oldest"),
    "At Risk": N_("ordered more often than most, but their last order is older than most customers'"),
    "Potential Loyalists": N_("a second order, more recently than most of this shop's customers"),
    "New Customers": N_("one order, among the most recent in this shop"),
    "Promising": N_("one order, more recent than most customers' last order"),
    "Need Attention": N_("spent well, but few orders, and the last one is in the middle of this shop's customers'"),
    "About to Sleep": N_("few orders, low spend, and the last one is in the middle of this shop's customers'"),
    "Hibernating": N_("few orders, and the last one is older than most customers'"),
    "Lost": N_("few orders, and the last one is older than almost anyone's in this shop"),
}

#            name                   R       F       M
SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule(N_("Champions"), (4, 5), (4, 5), (4, 5), MEANINGS["Champions"]),
    SegmentRule(N_("Can't Lose Them"), (1, 2), (4, 5), (4, 5), MEANINGS["Can't Lose Them"]),
    SegmentRule(N_("Loyal Customers"), (3, 5), (3, 5), (1, 5), MEANINGS["Loyal Customers"]),
    SegmentRule(N_("At Risk"), (1, 2), (3, 5), (1, 5), MEANINGS["At Risk"]),
    SegmentRule(N_("Potential Loyalists"), (4, 5), (2, 2), (1, 5), MEANINGS["Potential Loyalists"]),
    SegmentRule(N_("New Customers"), (5, 5), (1, 1), (1, 5), MEANINGS["New Customers"]),
    SegmentRule(N_("Promising"), (4, 4), (1, 1), (1, 5), MEANINGS["Promising"]),
    SegmentRule(N_("Need Attention"), (3, 3), (1, 2), (3, 5), MEANINGS["Need Attention"]),
    SegmentRule(N_("About to Sleep"), (3, 3), (1, 2), (1, 2), MEANINGS["About to Sleep"]),
    SegmentRule(N_("Hibernating"), (2, 2), (1, 2), (1, 5), MEANINGS["Hibernating"]),
    SegmentRule(N_("Lost"), (1, 1), (1, 2), (1, 5), MEANINGS["Lost"]),
)

# What a segment's name suggests comes next: "leaving" (the shop may lose them) or "staying". When the churn
# risk says otherwise, `explain` says so in the same breath, so that the card never reads as two answers.
OUTLOOK: dict[str, str] = {
    "Champions": "staying",
    "Loyal Customers": "staying",
    "Potential Loyalists": "staying",
    "Can't Lose Them": "leaving",
    "At Risk": "leaving",
    "About to Sleep": "leaving",
    "Hibernating": "leaving",
    "Lost": "leaving",
}

SEGMENTS: tuple[str, ...] = tuple(rule.name for rule in SEGMENT_RULES)


def _inside(value: int, bounds: Range) -> bool:
    return bounds[0] <= value <= bounds[1]


def segment_rule(r: int, f: int, m: int) -> SegmentRule:
    """The first rule of SEGMENT_RULES that matches; every triple 1..5 matches one."""
    for rule in SEGMENT_RULES:
        if _inside(r, rule.r) and _inside(f, rule.f) and _inside(m, rule.m):
            return rule
    raise ValueError(_("RFM scores out of range: {scores}").format(scores=f"{r}{f}{m}"))


# The table above as a lookup array: [r, f, m] -> index into SEGMENTS (scores 1..5; row 0 unused).
_SEGMENT_OF = np.zeros((6, 6, 6), dtype=np.int64)
for _r, _f, _m in itertools.product(range(1, 6), repeat=3):
    _SEGMENT_OF[_r, _f, _m] = SEGMENTS.index(segment_rule(_r, _f, _m).name)


def segment_for(r: int, f: int, m: int) -> str:
    """The segment of a score triple (the table above, looked up once per triple)."""
    return SEGMENTS[_SEGMENT_OF[r, f, m]]


def segment_indexes(r: np.ndarray, f: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The segment (index into SEGMENTS) of many score triples at once."""
    return _SEGMENT_OF[r, f, m]


def segment_meaning(name: str) -> str:
    """What the segment means, in the language in use (its name is the key; show it with `_(name)`)."""
    return _(MEANINGS[name])


def band_scores(values: np.ndarray, bands: int = 5, lowest: int = 1) -> np.ndarray:
    """Scores each value (higher = better) by its mid-rank among `values` ((worse + half of
    equal) / all), cut into `bands` bands from `lowest` up."""
    # Each value's place among the sorted ones, looked up in sorted order and put back: a search for values in
    # sorted order runs through memory in order (~3x faster than looking up 100k values as they come, issue 19).
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    below, upto = np.empty(len(values), dtype=np.int64), np.empty(len(values), dtype=np.int64)
    below[order] = np.searchsorted(ranked, ranked, side="left")
    upto[order] = np.searchsorted(ranked, ranked, side="right")
    share = (below + (upto - below) / 2) / max(1, len(ranked))
    return lowest + np.minimum(bands - 1, (share * bands).astype(np.int64))


def frequency_scores(counts: np.ndarray) -> np.ndarray:
    """F: one order (or none) = 1; repeat buyers ranked among themselves into 2..5."""
    scores = np.ones(len(counts), dtype=np.int64)
    repeat = counts >= 2
    scores[repeat] = band_scores(counts[repeat], bands=4, lowest=2)
    return scores


def top_threshold(values: np.ndarray, share: float) -> float:
    """Values above this one are higher than at least `share` of `values`."""
    if len(values) == 0:
        return math.inf
    return np.sort(values)[max(0, math.ceil(share * len(values)) - 1)].item()


def explain(
    name: str,
    r: int,
    f: int,
    m: int,
    recency_days: int | None,
    orders: int,
    revenue_text: str,
    risk_level: str | None = None,
    outlooks: frozenset[str] | None = None,
) -> str:
    """Plain words: why this customer is in this segment. `risk_level` ('low', 'medium', 'high'; None when
    the shop's history cannot tell): when it goes against what the segment's name suggests (or any of
    `outlooks`, the customer's labels' outlooks when given: see OUTLOOK), said too."""
    if recency_days is None:
        last = _("no kept order yet")
    else:
        last = ngettext("last order {n} day ago", "last order {n} days ago", recency_days).format(n=recency_days)
    counted = ngettext("{n} order", "{n} orders", orders).format(n=orders)
    text = _("{segment}: R={r} ({last}), F={f} ({orders}), M={m} ({spent} spent) — {meaning}.").format(
        segment=_(name), r=r, last=last, f=f, orders=counted, m=m, spent=revenue_text, meaning=segment_meaning(name)
    )
    outlook = outlooks if outlooks is not None else {OUTLOOK.get(name)}
    if "leaving" in outlook and risk_level == "low":
        text += " " + _("All the same, their churn risk is low: they are likely to order again (see Churn risk).")
    elif "staying" in outlook and risk_level == "high":
        text += " " + _("All the same, their churn risk is high: they may not order again (see Churn risk).")
    return text + " " + _("Scores are 1–5 within this shop, 5 = best.")
