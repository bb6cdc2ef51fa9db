"""The retention engine: per-customer metrics, RFM segments, behavioural groups, churn risk, KPIs.

`compute(store, as_of)` reads the orders in one grouped SQL pass (per customer, with the revenue
per month from the same rows; see shopkeep.store.analytics) and hands plain rows to
`compute_from_rows`, which knows nothing of the database. `cached_compute` reuses a result while
the database has not changed.

Money is integer minor units of the shop currency: the most common order currency. Orders in
other currencies count as orders (rhythm, frequency) but are left out of every money figure.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import numpy as np

from shopkeep.retention import risk
from shopkeep.retention.kpis import CustomerHistory, Kpis, summarize
from shopkeep.retention.rfm import SEGMENTS, FrequencyScorer, Ranker, explain, segment_for
from shopkeep.store import Store, analytics
from shopkeep.store.analytics import CustomerRow, OrderHistory

__all__ = [
    "GROUPS",
    "SEGMENTS",
    "CustomerMetrics",
    "Kpis",
    "Retention",
    "SegmentSummary",
    "cached_compute",
    "compute",
    "compute_from_rows",
    "explain_segment",
    "format_money",
]

# Behavioural groups; a customer can be in several. The rules, in plain words:
GROUP_RULES: dict[str, str] = {
    "first-time buyers": "exactly one order",
    "repeat buyers": "two or more orders",
    "big spenders": "revenue higher than 90% of this shop's customers",
    "high order value": "average order higher than 90% of this shop's customers",
    "full-price buyers": "no order with a discount or discount code",
    "discount buyers": "a discount or discount code on at least half of the orders",
    "VIP": "a big spender with three or more orders who still buys (R score 3 or better)",
    "slipping regulars": "a repeat buyer overdue by more than twice their usual gap between orders",
    "brand advocates": "brought two or more customers (referrals)",
}
GROUPS: tuple[str, ...] = tuple(GROUP_RULES)
TOP_SHARE = 0.9


@dataclass(frozen=True)
class CustomerMetrics:
    id: int
    external_id: str | None
    name: str | None
    email: str | None
    phone: str | None
    currency: str
    orders: int
    first_order: dt.date | None
    last_order: dt.date | None
    revenue: int
    aov: int
    recency_days: int | None
    tenure_days: int | None
    usual_gap_days: float | None
    expected_next_order: dt.date | None
    churn_risk: float
    risk_reason: str
    ltv: int
    ltv_predicted: int
    r_score: int
    f_score: int
    m_score: int
    segment: str
    groups: tuple[str, ...]


_FIELDS = tuple(CustomerMetrics.__dataclass_fields__)


def _metrics(*values: object) -> CustomerMetrics:
    """CustomerMetrics(*values) at a third of the cost: the frozen __init__ sets each of its 24
    fields through object.__setattr__, which adds up to ~0.2 s over 100k customers."""
    m = object.__new__(CustomerMetrics)
    m.__dict__.update(zip(_FIELDS, values, strict=True))
    return m


@dataclass(frozen=True)
class SegmentSummary:
    name: str
    customers: int
    revenue: int
    share: float  # of all customers' revenue


@dataclass(frozen=True)
class Retention:
    as_of: dt.date
    currency: str
    customers: dict[int, CustomerMetrics]
    segments: list[SegmentSummary]
    kpis: Kpis


def format_money(amount: int, currency: str) -> str:
    """Minor units as major units with the currency's decimals: 129950 EUR -> '1299.50'."""
    from shopkeep.importing.values import currency_digits

    digits = currency_digits(currency)
    if digits == 0:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def explain_segment(m: CustomerMetrics) -> str:
    """Plain words: "At Risk: R=2 (last order 94 days ago), F=4 (6 orders), M=3 (...)"."""
    money = f"{format_money(m.revenue, m.currency)} {m.currency}"
    return explain(m.segment, m.r_score, m.f_score, m.m_score, m.recency_days, m.orders, money)


class _Ordinals(dict[str, int]):
    """'YYYY-MM-DD' -> date ordinal, parsed once per distinct day."""

    def __missing__(self, day: str) -> int:
        value = self[day] = dt.date.fromisoformat(day).toordinal()
        return value


class _Dates(dict[int, dt.date]):
    """Date ordinal -> date, built once per distinct day."""

    def __missing__(self, ordinal: int) -> dt.date:
        value = self[ordinal] = dt.date.fromordinal(ordinal)
        return value


def _usual_gaps(occasions: list[list[int]]) -> list[float | None]:
    """Each customer's median gap between order days (None below two days), all at once: every
    customer's gaps sorted in one numpy pass instead of 100k small sorts."""
    counts = np.fromiter(map(len, occasions), dtype=np.int64, count=len(occasions))
    days = np.fromiter(itertools.chain.from_iterable(occasions), dtype=np.int64, count=int(counts.sum()))
    owner = np.repeat(np.arange(len(occasions)), counts)
    inside = owner[1:] == owner[:-1]  # not across two customers
    gaps, gap_owner = np.diff(days)[inside], owner[1:][inside]
    gaps = gaps[np.lexsort((gaps, gap_owner))]
    n = np.maximum(counts - 1, 0)
    mid = np.cumsum(n) - n + n // 2  # the upper middle gap of each customer
    has = n > 0
    upper = gaps[mid[has]]
    lower = gaps[mid[has] - 1 + n[has] % 2]  # the same one when the count is odd
    medians = iter(((lower + upper) / 2).tolist())
    return [next(medians) if k else None for k in has.tolist()]


P = ParamSpec("P")
R = TypeVar("R")


def _gc_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Runs `fn` with Python's cycle collector paused: a compute allocates a few million objects
    (rows, days, metrics), none of them in cycles, and the collector would walk the growing heap
    again and again (~1 s at 1M orders). Freed as usual by reference counting."""

    @functools.wraps(fn)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():  # nested, or paused by the caller: leave it to them
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_gc_paused
def compute_from_rows(
    customers: Mapping[int, CustomerRow],
    histories: Iterable[OrderHistory],
    as_of: dt.date,
    currency: str,
    *,
    referrals: Mapping[int, int] | None = None,
    callbacks: Mapping[int, dt.date] | None = None,
    months: Mapping[str, tuple[int, int]] | None = None,
) -> Retention:
    """Everything from plain rows: `histories` hold the orders up to `as_of`, money in `currency`;
    `months`: revenue per month (known customers, guests), see analytics.order_histories."""
    referrals = referrals or {}
    callbacks = callbacks or {}
    today = as_of.toordinal()
    ordinals = _Ordinals()
    guest_revenue = credits = other_currency_orders = 0
    known: list[OrderHistory] = []
    occasions: list[list[int]] = []
    revenue: list[int] = []
    aovs: list[int] = []
    for h in histories:
        credits += h.credits
        other_currency_orders += h.orders - h.kept_orders
        if h.customer_id is None:
            guest_revenue += h.revenue
            continue
        if h.customer_id not in customers:
            continue
        known.append(h)
        occasions.append(list(map(ordinals.__getitem__, h.days)))
        revenue.append(h.revenue + h.credits)
        aovs.append(round(h.revenue / h.kept_orders) if h.kept_orders else 0)
    recency = [today - o[-1] if o else None for o in occasions]
    usual_gaps = _usual_gaps(occasions)

    waits = [(o[1] - o[0], True) if len(o) >= 2 else (today - o[0], False) for o in occasions if o]
    curve = risk.SecondOrderCurve(waits)
    model = risk.ShopModel.fit([(len(o) - 1, o[-1] - o[0], today - o[0]) for o in occasions if o])
    blend = risk.choose_blend(occasions, today, model)
    never = -(10**9)
    r_rank_values = [-r if r is not None else never for r in recency]
    r_rank = Ranker(r_rank_values)
    f_rank = FrequencyScorer([h.orders for h in known])
    m_rank = Ranker(revenue)
    big_from = m_rank.top_threshold(TOP_SHARE)
    high_aov_from = Ranker(aovs).top_threshold(TOP_SHARE)

    r_of = r_rank.table()
    f_of = {v: f_rank.score(v) for v in {h.orders for h in known}}
    m_of = m_rank.table()
    dates = _Dates()
    repeaters = [i for i, gap in enumerate(usual_gaps) if gap is not None]
    repeat_outlooks = iter(
        risk.repeat_outlooks(
            np.array([len(occasions[i]) - 1 for i in repeaters], dtype=np.int64),
            np.array([occasions[i][-1] - occasions[i][0] for i in repeaters], dtype=np.int64),
            np.array([today - occasions[i][0] for i in repeaters], dtype=np.int64),
            np.array([usual_gaps[i] for i in repeaters], dtype=np.float64),
            model,
            blend,
        )
    )
    one_time: dict[int, risk.Outlook] = {}  # by days waited: many first-time buyers share them
    metrics: dict[int, CustomerMetrics] = {}
    kpi_rows: list[CustomerHistory] = []
    for i, h in enumerate(known):
        cid = h.customer_id
        c = customers[cid]
        o = occasions[i]
        rec = recency[i]
        gap = usual_gaps[i]
        if gap is not None:
            outlook = next(repeat_outlooks)
            expected = dates[o[-1] + round(gap)]
        elif o:
            waited = today - o[0]
            outlook = one_time.get(waited)
            if outlook is None:
                outlook = one_time[waited] = risk.one_time_outlook(waited, curve, model, blend)
            expected = dates[o[0] + round(curve.median_days)]
        else:
            outlook, expected = risk.NO_ORDER, None
        expected = callbacks.get(cid, expected)
        r = r_of[r_rank_values[i]]
        f = f_of[h.orders]
        m = m_of[revenue[i]]
        aov = aovs[i]
        big = revenue[i] > 0 and revenue[i] > big_from
        groups = []
        if h.orders == 1:
            groups.append("first-time buyers")
        elif h.orders >= 2:
            groups.append("repeat buyers")
        if big:
            groups.append("big spenders")
        if aov > 0 and aov > high_aov_from:
            groups.append("high order value")
        if h.orders > 0 and h.discounted == 0:
            groups.append("full-price buyers")
        if h.orders > 0 and 2 * h.discounted >= h.orders:
            groups.append("discount buyers")
        if big and h.orders >= 3 and r >= 3:
            groups.append("VIP")
        if gap is not None and rec is not None and rec > 2 * gap:
            groups.append("slipping regulars")
        if referrals.get(cid, 0) >= 2:
            groups.append("brand advocates")
        forgotten = c.forgotten
        metrics[cid] = _metrics(
            cid,
            None if forgotten else c.external_id,
            None if forgotten else c.name,
            None if forgotten else c.email,
            None if forgotten else c.phone,
            currency,
            h.orders,
            dates[o[0]] if o else None,
            dates[o[-1]] if o else None,
            revenue[i],
            aov,
            rec,
            today - o[0] if o else None,
            gap,
            expected,
            outlook.churn_risk,
            outlook.reason,
            revenue[i],
            round(outlook.expected_orders_year * aov),
            r,
            f,
            m,
            segment_for(r, f, m),
            tuple(groups),
        )
        kpi_rows.append(CustomerHistory(h.first_purchase, h.revenue, h.kept_orders, h.days, o, revenue[i]))

    kpis = summarize(as_of, currency, kpi_rows, months or {}, guest_revenue, credits, other_currency_orders)
    return Retention(as_of, currency, metrics, _segment_summaries(metrics.values()), kpis)


def _segment_summaries(metrics: Iterable[CustomerMetrics]) -> list[SegmentSummary]:
    counts = dict.fromkeys(SEGMENTS, 0)
    revenue = dict.fromkeys(SEGMENTS, 0)
    for m in metrics:
        counts[m.segment] += 1
        revenue[m.segment] += m.revenue
    total = sum(revenue.values())
    return [SegmentSummary(s, counts[s], revenue[s], revenue[s] / total if total else 0.0) for s in SEGMENTS]


@_gc_paused
def compute(store: Store, as_of: dt.date) -> Retention:
    """Every figure as of the end of `as_of`; later orders are ignored as if not placed yet."""
    with store.snapshot():
        currency = analytics.likely_currency(store) or store.get_setting("currency") or "EUR"
        histories, months = analytics.order_histories(store, as_of, currency)
        in_currency = sum(h.kept_orders for h in histories)
        elsewhere = sum(h.orders - h.kept_orders for h in histories)
        if elsewhere >= in_currency and elsewhere:  # the guess may be wrong: count exactly
            counts = analytics.currency_counts(store, as_of)
            best = min(counts, key=lambda c: (-counts[c], c))
            if best != currency:
                currency = best
                histories, months = analytics.order_histories(store, as_of, currency)
        customers = analytics.customers(store)
        referrals = analytics.referral_counts(store, as_of)
        callbacks = analytics.scheduled_callbacks(store, as_of)
    return compute_from_rows(
        customers, histories, as_of, currency, referrals=referrals, callbacks=callbacks, months=months
    )


_CACHE: dict[object, tuple[tuple, tuple, Retention]] = {}


def cached_compute(store: Store, as_of: dt.date) -> Retention:
    """`compute`, reused while the database has not changed (any connection, any process).

    Same connection with no commit anywhere since (SQLite's data_version and this connection's
    change count): reused at once. Otherwise a cheap fingerprint of the tables decides."""
    place = str(store.path) if store.path is not None else id(store)
    marker = (as_of, id(store.conn), *analytics.change_marker(store))
    hit = _CACHE.get(place)
    if hit is not None and hit[1] == marker:
        return hit[2]
    key = (as_of, analytics.fingerprint(store))
    if hit is not None and hit[0] == key:
        _CACHE[place] = (key, marker, hit[2])
        return hit[2]
    result = compute(store, as_of)
    _CACHE[place] = (key, marker, result)
    return result
