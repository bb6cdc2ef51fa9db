"""Shop-wide figures: how many customers come back, and what returning customers are worth."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

ACTIVE_DAYS = 365
COHORT_MONTHS = 12  # retention is shown for the first year after the first order
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # day 0 of numpy's datetime64


@dataclass(frozen=True)
class CohortRow:
    month: str  # YYYY-MM of the first order
    customers: int
    retention: tuple[float, ...]  # share of the cohort ordering in month 0, 1, 2, ... after the first


@dataclass(frozen=True)
class MonthRevenue:
    month: str
    new: int  # first orders
    returning: int  # later orders of known customers
    guests: int  # orders without a customer


@dataclass(frozen=True)
class Kpis:
    as_of: dt.date
    currency: str
    customers: int  # customers with at least one kept order
    customers_active: int  # ... and one in the last 12 months
    repeat_purchase_rate: float  # share of customers with two or more orders
    revenue: int  # all net revenue in the shop currency, guests and credit notes included
    returning_revenue_share: float  # share of customers' order revenue from orders after their first
    aov_new: int
    aov_returning: int
    ltv_mean: int
    ltv_median: int
    time_to_second_order_days: float | None  # median, over customers who came back
    cohorts: tuple[CohortRow, ...]
    months: tuple[MonthRevenue, ...]
    other_currency_orders: int  # orders in other currencies: left out of every money figure


class CustomerDays(NamedTuple):
    """What the KPIs need of the customers: one entry per customer (arrays), order days flat."""

    first_purchases: Sequence[tuple[str, int] | None]  # (YYYY-MM-DD, net) of the first order in the shop currency
    revenue: np.ndarray  # net of all orders in the shop currency
    orders: np.ndarray  # orders in the shop currency
    counts: np.ndarray  # distinct order days in any currency
    days: np.ndarray  # those days as date ordinals, sorted: all customers' one after the other
    ltv: np.ndarray


def _months(ordinals: np.ndarray) -> np.ndarray:
    """Date ordinals -> months since year 0 (year * 12 + month - 1)."""
    since_1970 = (ordinals - EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return since_1970 + 1970 * 12


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _cohort_activity(days: np.ndarray, counts: np.ndarray) -> dict[tuple[int, int], int]:
    """(first month, months after it) -> customers who ordered in that month, up to COHORT_MONTHS;
    months counted from year 0 as in _months. `days`: the buyers' order days (ordinals, sorted),
    one buyer after the other, `counts` (>= 1) of them each; counted for all at once."""
    months = _months(days)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = months[np.cumsum(counts) - counts][owner]
    offset = months - first
    new_month = np.ones(len(months), dtype=bool)  # a customer's first order day in each month
    new_month[1:] = (owner[1:] != owner[:-1]) | (months[1:] != months[:-1])
    keep = new_month & (offset <= COHORT_MONTHS)
    keys, customers = np.unique(first[keep] * (COHORT_MONTHS + 1) + offset[keep], return_counts=True)
    return {divmod(key, COHORT_MONTHS + 1): n for key, n in zip(keys.tolist(), customers.tolist(), strict=True)}


def summarize(
    as_of: dt.date,
    currency: str,
    customers: CustomerDays,
    month_totals: Mapping[str, tuple[int, int]],
    guest_revenue: int,
    credits: int,
    other_currency_orders: int,
) -> Kpis:
    """`month_totals`: order revenue per month (known customers, guests); `credits`: credit notes."""
    as_of_month = as_of.year * 12 + as_of.month - 1
    counts, days = customers.counts, customers.days
    bought = counts > 0
    starts = (np.cumsum(counts) - counts)[bought]
    counts = counts[bought]
    first, last = days[starts], days[starts + counts - 1]
    repeat = counts >= 2
    second_gaps = (days[starts[repeat] + 1] - first[repeat]).tolist()
    ltvs = customers.ltv[bought].tolist()

    purchases = [p for p in customers.first_purchases if p is not None]  # only buyers have one
    first_days, first_nets = zip(*purchases, strict=True) if purchases else ((), ())
    new_rev, new_n = sum(first_nets), len(purchases)
    paying = np.array([p is not None for p in customers.first_purchases], dtype=bool)
    ret_rev = int(customers.revenue[paying].sum()) - new_rev
    ret_n = int(customers.orders[paying].sum()) - new_n
    labels, which = np.unique(np.array([day[:7] for day in first_days], dtype=str), return_inverse=True)
    new_totals = np.zeros(len(labels), dtype=np.int64)
    np.add.at(new_totals, which, np.array(first_nets, dtype=np.int64))
    new_by_month = dict(zip(labels.tolist(), new_totals.tolist(), strict=True))
    months = tuple(
        MonthRevenue(m, new_by_month.get(m, 0), known - new_by_month.get(m, 0), guests)
        for m, (known, guests) in sorted(month_totals.items())
    )
    cohort_active = _cohort_activity(days, counts)
    cohort_months, sizes = np.unique(_months(first), return_counts=True)
    cohorts = []
    for cohort, size in zip(cohort_months.tolist(), sizes.tolist(), strict=True):
        span = min(COHORT_MONTHS, as_of_month - cohort)
        cohorts.append(
            CohortRow(
                f"{cohort // 12:04d}-{cohort % 12 + 1:02d}",
                size,
                tuple(_share(cohort_active.get((cohort, k), 0), size) for k in range(span + 1)),
            )
        )
    buyers = len(ltvs)
    return Kpis(
        as_of=as_of,
        currency=currency,
        customers=buyers,
        customers_active=int((last >= (as_of - dt.timedelta(days=ACTIVE_DAYS)).toordinal()).sum()),
        repeat_purchase_rate=_share(len(second_gaps), buyers),
        revenue=new_rev + ret_rev + guest_revenue + credits,
        returning_revenue_share=_share(ret_rev, new_rev + ret_rev),
        aov_new=round(_share(new_rev, new_n)),
        aov_returning=round(_share(ret_rev, ret_n)),
        ltv_mean=round(statistics.fmean(ltvs)) if ltvs else 0,
        ltv_median=round(statistics.median(ltvs)) if ltvs else 0,
        time_to_second_order_days=statistics.median(second_gaps) if second_gaps else None,
        cohorts=tuple(cohorts),
        months=months,
        other_currency_orders=other_currency_orders,
    )
