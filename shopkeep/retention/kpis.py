"""Shop-wide figures: how many customers come back, and what returning customers are worth."""

from __future__ import annotations

import datetime as dt
import itertools
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


class CustomerHistory(NamedTuple):
    """What the KPIs need of one customer: orders in the shop currency and all order days."""

    first_purchase: tuple[str, int] | None  # (YYYY-MM-DD, net) of the first order in the shop currency
    revenue: int  # net of all orders in the shop currency
    orders: int  # orders in the shop currency
    days: Sequence[str]  # distinct order days in any currency, sorted
    occasions: Sequence[int]  # the same days as date ordinals
    ltv: int


class _MonthIndex(dict[str, int]):
    """'YYYY-MM' -> months since year 0, computed once per month."""

    def __missing__(self, month: str) -> int:
        value = self[month] = int(month[:4]) * 12 + int(month[5:7]) - 1
        return value


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _cohort_activity(occasions: Sequence[Sequence[int]]) -> dict[tuple[int, int], int]:
    """(first month, months after it) -> customers who ordered in that month, up to COHORT_MONTHS;
    months counted from year 0 as in _MonthIndex. `occasions`: each buyer's order days (ordinals,
    sorted, at least one), counted for all at once with numpy."""
    counts = np.fromiter(map(len, occasions), dtype=np.int64, count=len(occasions))
    days = np.fromiter(itertools.chain.from_iterable(occasions), dtype=np.int64, count=int(counts.sum()))
    since_1970 = (days - EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    months = since_1970 + 1970 * 12
    owner = np.repeat(np.arange(len(occasions)), counts)
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
    histories: Sequence[CustomerHistory],
    month_totals: Mapping[str, tuple[int, int]],
    guest_revenue: int,
    credits: int,
    other_currency_orders: int,
) -> Kpis:
    """`month_totals`: order revenue per month (known customers, guests); `credits`: credit notes."""
    active_since = (as_of - dt.timedelta(days=ACTIVE_DAYS)).isoformat()
    month_index = _MonthIndex()
    as_of_month = month_index[as_of.isoformat()[:7]]
    new_rev = new_n = ret_rev = ret_n = 0
    new_by_month: dict[str, int] = {}
    cohort_sizes: dict[str, int] = {}
    occasions: list[Sequence[int]] = []
    second_gaps: list[int] = []
    buyers = repeaters = active = 0
    ltvs: list[int] = []
    for h in histories:
        days = h.days
        if not days:
            continue
        buyers += 1
        ltvs.append(h.ltv)
        if len(days) >= 2:
            repeaters += 1
            second_gaps.append(h.occasions[1] - h.occasions[0])
        if days[-1] >= active_since:
            active += 1
        occasions.append(h.occasions)
        cohort = days[0][:7]
        cohort_sizes[cohort] = cohort_sizes.get(cohort, 0) + 1
        if h.first_purchase is not None:
            day, net = h.first_purchase
            new_by_month[day[:7]] = new_by_month.get(day[:7], 0) + net
            new_rev += net
            new_n += 1
            ret_rev += h.revenue - net
            ret_n += h.orders - 1
    months = tuple(
        MonthRevenue(m, new_by_month.get(m, 0), known - new_by_month.get(m, 0), guests)
        for m, (known, guests) in sorted(month_totals.items())
    )
    cohort_active = _cohort_activity(occasions)
    cohorts = []
    for cohort in sorted(cohort_sizes):
        size = cohort_sizes[cohort]
        span = min(COHORT_MONTHS, as_of_month - month_index[cohort])
        cohorts.append(
            CohortRow(
                cohort,
                size,
                tuple(_share(cohort_active.get((month_index[cohort], k), 0), size) for k in range(span + 1)),
            )
        )
    return Kpis(
        as_of=as_of,
        currency=currency,
        customers=buyers,
        customers_active=active,
        repeat_purchase_rate=_share(repeaters, buyers),
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
