"""The retention engine: per-customer metrics, RFM segments, behavioural groups, churn risk, KPIs.

`compute(store, as_of)` reads the orders in one SQL pass, grouped per customer as arrays (with
the revenue per month from the same rows; see shopkeep.store.analytics.order_columns), and works
on those; `compute_from_rows` does the same from plain rows, knowing nothing of the database.
`cached_compute` reuses a result while the database has not changed. `Retention.customers`
builds each customer's CustomerMetrics when it is first read. `Retention.risk_quality` says which way
tells churn risk in this shop and how well it told on the shop's own past, or that the history
cannot tell yet (then the risk follows days since the last order): see shopkeep.retention.risk.

Money is integer minor units of the shop currency: the most common order currency. Orders in
other currencies count as orders (rhythm, frequency) but are left out of every money figure.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, ParamSpec, TypeVar, overload

import numpy as np

from shopkeep import collector, shop
from shopkeep.i18n import N_, _
from shopkeep.retention import rfm, risk
from shopkeep.retention.kpis import CustomerDays, Kpis, summarize
from shopkeep.retention.rfm import OUTLOOK, SEGMENTS, explain
from shopkeep.store import Store, analytics
from shopkeep.store.analytics import CustomerRow, OrderColumns, OrderHistory, PersonRow

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
    "risk_level",
]

# Behavioural groups; a customer can be in several. The rules, in plain words (names and rules are shown
# through `_`):
GROUP_RULES: dict[str, str] = {
    N_("first-time buyers"): N_("exactly one order"),
    N_("repeat buyers"): N_("two or more orders"),
    N_("big spenders"): N_("revenue higher than 90% of this shop's customers"),
    N_("high order value"): N_("average order higher than 90% of this shop's customers"),
    N_("full-price buyers"): N_("no order with a discount or discount code"),
    N_("discount buyers"): N_("a discount or discount code on at least half of the orders"),
    N_("VIP"): N_("a loyal regular: among the most frequent buyers (F score 5) for three months or more, not overdue"),
    N_("slipping regulars"): N_("a repeat buyer overdue by more than twice their usual gap between orders"),
    N_("brand advocates"): N_("brought two or more customers (referrals)"),
}
GROUPS: tuple[str, ...] = tuple(GROUP_RULES)
# What a group's name suggests comes next, as rfm.OUTLOOK for segments: the card's explanation sets it against
# the churn risk too ("slipping regulars" whom the risk expects back are said to be expected back).
GROUP_OUTLOOK = {"slipping regulars": "leaving", "VIP": "staying"}
TOP_SHARE = 0.9
VIP_MIN_DAYS = 90  # from the first order: loyal over time, not a burst of orders in one week
FEW = 5000  # customers' metrics built one by one from the arrays; beyond, all rows are made at once


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
    customers: Mapping[int, CustomerMetrics]  # by id; see _Customers
    segments: list[SegmentSummary]
    summary: Callable[[], Kpis] = field(repr=False, compare=False)  # the KPIs, worked out when first read
    risk_quality: risk.RiskQuality = field(kw_only=True)  # which way tells churn risk here, how well it told
    # Customers (not forgotten) with no sale as of the day: only refunds, cancellations, pending orders or
    # nothing yet. They are in no figure, segment or group; screens that count customers say so.
    without_sale: int = 0
    # Whether any customer has a sale or a credit note in another currency than `currency` (when not, an
    # export need not look for such money: shopkeep.customer_export).
    elsewhere: bool = True

    def read_contacts(self) -> None:
        """Read every customer's name and contacts now, on this thread, if they are not read yet (they are
        read when first needed: see _People). The app's worker calls it, so that no screen reads the
        database on the main thread when it shows a customer's name."""
        if isinstance(self.customers, _Customers):
            self.customers._table.people.everyone  # noqa: B018  # read, and kept

    @functools.cached_property
    def kpis(self) -> Kpis:
        """The shop's KPIs (worked out on first use: the call list and the exports never need them)."""
        return self.summary()

    def group_sizes(self) -> list[tuple[str, int, int, int]]:
        """(group, customers, revenue, revenue counted in shares) of every group in GROUPS order, empty ones
        included: what walking every customer's metrics adds up to, from the arrays (no metrics built)."""
        return self._customers().group_sizes()

    def newest_order(self) -> dt.date | None:
        """The latest last order day of any customer (shopkeep.first_run.newest_order), from the arrays."""
        last = self._customers()._array("last")
        return _date(int(last.max())) if len(last) else None

    def share_base(self) -> int:
        """share_base(self.customers.values()), from the arrays."""
        return self._customers().share_base()

    def browse(self, by: str) -> Sequence[CustomerMetrics]:
        """shopkeep.browse.sort_customers(self.customers.values(), by), each customer's metrics built only when
        read (a screen shows a page of them)."""
        return self._customers().browse(by)

    def _customers(self) -> _Customers:
        assert isinstance(self.customers, _Customers), "made by _from_columns"
        return self.customers

    def arrays(self, *names: str) -> tuple[np.ndarray, ...] | None:
        """Every customer's figures `names` as arrays, customer k at k of each: "ids", "recency" (days since the
        last order, 0 for none) or any of "orders", "first" (date ordinal, 0: no kept order), "last", "revenue",
        "churn", "gap" (the usual gap in days, NaN: fewer than two order days) ... (see _ARRAY_NAMES); each
        customer's CustomerMetrics holds the same numbers. None when the figures are not held as arrays."""
        if not isinstance(self.customers, _Customers):
            return None
        customers = self.customers

        def one(name: str) -> np.ndarray:
            if name == "ids":
                return np.array(customers._ids, dtype=np.int64)
            if name == "recency":
                first, last = customers._array("first"), customers._array("last")
                return np.where(first != 0, customers._table.today - last, 0)
            return customers._array(name)

        return tuple(one(name) for name in names)

    def likely_to_leave(self, min_orders: int, min_risk: float) -> Mapping[int, CustomerMetrics]:
        """`customers`, walked over only those with a sale, at least `min_orders` orders and a churn risk of at
        least `min_risk` (picked from the figures' arrays: the others' metrics are never built); any
        customer can still be looked up in it."""
        customers = self.customers
        if not isinstance(customers, _Customers):
            wanted = [
                cid
                for cid, m in customers.items()
                if m.recency_days is not None and m.orders >= min_orders and m.churn_risk >= min_risk
            ]
            return _Walk(customers, wanted)
        return customers.where(min_orders, min_risk)

    def population(self) -> str:
        """What every screen's "customers" counts, in words: '1,484 customers with a paid order (16 more without)'."""
        from shopkeep.i18n import format_number, ngettext

        count = len(self.customers)
        text = ngettext("{n} customer with a paid order", "{n} customers with a paid order", count).format(
            n=format_number(count)
        )
        if self.without_sale:
            text += " " + ngettext("({n} more without one)", "({n} more without one)", self.without_sale).format(
                n=format_number(self.without_sale)
            )
        return text


# Churn risk in words: from these figures up it is "medium", then "high" (below: "low"). The one place the
# words are cut, so that a segment's explanation and the risk shown beside it use the same ones.
RISK_LEVELS = ((N_("high"), 0.7), (N_("medium"), 0.4))


def risk_level(churn_risk: float) -> str:
    """'low', 'medium' or 'high' (untranslated keys: show them with `_`)."""
    return next((level for level, start in RISK_LEVELS if churn_risk >= start), N_("low"))


def explain_segment(m: CustomerMetrics, can_tell: bool = True) -> str:
    """Plain words: "At Risk: R=2 (last order 94 days ago), F=4 (6 orders), M=3 (...)", and, when the churn
    risk goes against what the segment's name suggests, that too. `can_tell`: the shop's RiskQuality.can_tell
    (when it cannot, the risk only follows the days since the last order, and is not set against the segment)."""
    from shopkeep import money

    spent = money.format(m.revenue, m.currency)
    level = risk_level(m.churn_risk) if can_tell else None
    outlooks = frozenset({OUTLOOK.get(m.segment), *(GROUP_OUTLOOK.get(g) for g in m.groups)} - {None})
    return explain(m.segment, m.r_score, m.f_score, m.m_score, m.recency_days, m.orders, spent, level, outlooks)


class _People:
    """Whom the figures are about: every customer's id and whether they were forgotten (arrays, read with the
    figures), and their names and contacts (CustomerRow), read only when a customer's metrics are built. A call
    list with few customers past its cut, a count or a segment's size needs few or none of them: reading 100k
    customers' rows as objects took ~0.2 s of the 1.3 s of a first `shopkeep calls` of the day at 1M orders
    (issue 19), and more to free them at exit. The app reads them all in its worker (Retention.read_contacts),
    never on the main thread."""

    def __init__(
        self,
        ids: np.ndarray,
        forgotten: np.ndarray,
        read: Callable[[Collection[int] | None], Mapping[int, PersonRow]],
    ):
        self.ids, self.forgotten, self._read = ids, forgotten, read
        self._everyone: Mapping[int, PersonRow] | None = None
        self._some: dict[int, PersonRow | None] = {}  # read ahead or one by one, before everyone's was
        self._alone = 0  # rows read one by one

    @classmethod
    def of(cls, rows: Mapping[int, CustomerRow]) -> _People:
        """People whose rows are at hand."""
        people = cls(
            np.fromiter(rows, dtype=np.int64, count=len(rows)),
            np.fromiter((bool(r.forgotten) for r in rows.values()), dtype=bool, count=len(rows)),
            lambda ids: rows,
        )
        people._everyone = rows
        return people

    @property
    def everyone(self) -> Mapping[int, PersonRow]:
        """Every customer's row by id, read now if not yet (two threads may both read it, to the same effect)."""
        rows = self._everyone
        if rows is None:
            rows = self._everyone = self._read(None)
        return rows

    def read_ahead(self, ids: list[int]) -> None:
        """Read these customers' rows in one go (a walk over them follows); everyone's when they are many."""
        if self._everyone is None:
            # Most of them: one plain pass over the table is cheaper (at 100k customers, reading 25k rows by id
            # took a third of the time of a pass, 50k two thirds).
            if len(ids) * 2 > len(self.ids):
                self.everyone  # noqa: B018  # read, and kept
            elif ids:
                found = self._read(ids)
                self._some.update({cid: found.get(cid) for cid in ids})

    def row(self, cid: int) -> PersonRow | None:
        if self._everyone is not None:
            return self._everyone.get(cid)
        if cid not in self._some:
            self._alone += 1
            if self._alone > ALONE:  # many asked one by one (every customer walked): read everyone's
                return self.everyone.get(cid)
            self._some[cid] = self._read([cid]).get(cid)
        return self._some[cid]


_NAME: Final = 2  # CustomerRow._fields.index("name"), in a PersonRow
_FORGOTTEN: Final = 5  # CustomerRow._fields.index("forgotten")
ALONE = 50  # customers' rows read one at a time (a connection each) before everyone's is read


class _Columns:
    """Every customer's figures as arrays (customer i of `ids`, `people`); `metrics(i)` builds one
    CustomerMetrics from them, with what is only ever shown (reason, dates, names) made then."""

    def __init__(
        self,
        ids: list[int],
        people: _People,
        currency: str,
        today: int,
        callbacks: Mapping[int, dt.date],
        can_tell: bool,
        arrays: tuple[np.ndarray, ...],
    ):
        self.ids, self.people, self.currency, self.today = ids, people, currency, today
        self.callbacks, self.can_tell, self.arrays = callbacks, can_tell, arrays
        self.asked = 0

    @functools.cached_property
    def rows(self) -> list[tuple]:
        """The arrays as one tuple of Python numbers per customer, made once (cheap to read one by one)."""
        return list(zip(*(a.tolist() for a in self.arrays), strict=True))

    def row(self, i: int) -> tuple:
        """Customer i's numbers: read from the arrays for the first few asked for (a call list builds a few
        hundred customers' metrics, not 100k), from `rows` once many are."""
        self.asked += 1
        if self.asked <= FEW:
            return tuple(a[i].item() for a in self.arrays)
        return self.rows[i]

    def metrics(self, i: int) -> CustomerMetrics:
        orders, first, last, revenue, aov, gap, expected, churn, ltv_predicted, r, f, m, segment, bits = self.row(i)
        cid = self.ids[i]
        person = self.people.row(cid)
        contact = (None,) * 4 if person is None or person[_FORGOTTEN] else person[1:5]
        recency, tenure = (self.today - last, self.today - first) if first else (None, None)
        gap = None if gap != gap else gap  # NaN: fewer than two order days
        next_order = self.callbacks.get(cid) or _date(expected)
        why = risk.reason(recency, gap, 1 - churn, self.can_tell) if first else _(risk.NO_ORDER_REASON)
        return _metrics(
            cid,
            *contact,
            self.currency,
            orders,
            _date(first),
            _date(last),
            revenue,
            aov,
            recency,
            tenure,
            gap,
            next_order,
            churn,
            why,
            revenue,
            ltv_predicted,
            r,
            f,
            m,
            SEGMENTS[segment],
            _group_names(bits),
        )


class _Customers(Mapping[int, CustomerMetrics]):
    """Customers' metrics by id, read-only: each CustomerMetrics is built the first time it is
    asked for, then kept. A compute pays for the arrays only; whoever reads every customer pays
    for their objects then."""

    def __init__(self, ids: list[int], table: _Columns):
        self._ids, self._table, self._build = ids, table, table.metrics
        self._position = dict(zip(ids, range(len(ids)), strict=True))
        self._built: dict[int, CustomerMetrics] = {}

    def _array(self, name: str) -> np.ndarray:
        return self._table.arrays[_ARRAY_NAMES.index(name)]

    def group_sizes(self) -> list[tuple[str, int, int, int]]:
        bits, revenue = self._array("bits"), self._array("revenue")
        rows = []
        for k, group in enumerate(GROUPS):
            member = (bits >> k & 1).astype(bool)
            rows.append(
                (group, int(member.sum()), int(revenue[member].sum()), int(np.maximum(revenue[member], 0).sum()))
            )
        return rows

    def share_base(self) -> int:
        return int(np.maximum(self._array("revenue"), 0).sum())

    def browse(self, by: str) -> Sequence[CustomerMetrics]:
        ids = np.array(self._ids, dtype=np.int64)
        if by == "value":
            order = np.lexsort((ids, -self._array("revenue")))
        elif by == "last order":
            last = self._array("last")
            order = np.lexsort((ids, -np.where(last > 0, last, dt.date.min.toordinal())))
        elif by == "risk":
            order = np.lexsort((ids, -self._array("churn")))
        elif by == "name":
            people = self._table.people.everyone
            names = [("" if p is None or p[_FORGOTTEN] else p[_NAME]) or "" for p in map(people.get, self._ids)]
            order = np.array(
                sorted(range(len(names)), key=lambda i: (not names[i].strip(), names[i].casefold(), self._ids[i])),
                dtype=np.int64,
            )
        else:
            raise ValueError(f"unknown sort {by!r}")
        return _InOrder(self, [self._ids[i] for i in order.tolist()])

    def where(self, min_orders: int, min_risk: float) -> Mapping[int, CustomerMetrics]:
        """See Retention.likely_to_leave: the same test as on CustomerMetrics, on the arrays."""
        orders, first, churn = (self._array(name) for name in ("orders", "first", "churn"))
        picked = np.flatnonzero((first != 0) & (orders >= min_orders) & (churn >= min_risk)).tolist()
        walked = [self._ids[i] for i in picked]
        self._table.people.read_ahead(walked)
        return _Walk(self, walked)

    def read_ahead(self, customer_ids: Collection[int]) -> None:
        """Read the names and contacts of these customers in one go (their metrics are about to be built)."""
        self._table.people.read_ahead([cid for cid in customer_ids if cid not in self._built])

    def __getitem__(self, cid: int) -> CustomerMetrics:
        m = self._built.get(cid)
        if m is None:
            m = self._built[cid] = self._build(self._position[cid])
        return m

    def __contains__(self, cid: object) -> bool:
        return cid in self._position

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


# The arrays of _Columns, by name (the order _from_columns hands them over in).
_ARRAY_NAMES = (
    "orders", "first", "last", "revenue", "aov", "gap", "expected", "churn", "ltv_predicted", "r", "f", "m",
    "segment", "bits",
)  # fmt: skip


class _InOrder(Sequence[CustomerMetrics]):
    """Customers' metrics in a given order of their ids, each built when read."""

    def __init__(self, customers: _Customers, ids: list[int]):
        self._customers, self._ids = customers, ids

    @overload
    def __getitem__(self, at: int) -> CustomerMetrics: ...
    @overload
    def __getitem__(self, at: slice) -> list[CustomerMetrics]: ...
    def __getitem__(self, at: int | slice) -> CustomerMetrics | list[CustomerMetrics]:
        if isinstance(at, slice):
            return [self._customers[cid] for cid in self._ids[at]]
        return self._customers[self._ids[at]]

    def __len__(self) -> int:
        return len(self._ids)


class _Walk(Mapping[int, CustomerMetrics]):
    """Every customer's metrics by id, iterated over `walked` only."""

    def __init__(self, everyone: Mapping[int, CustomerMetrics], walked: list[int]):
        self._everyone, self._walked = everyone, walked

    def __getitem__(self, cid: int) -> CustomerMetrics:
        return self._everyone[cid]

    def __contains__(self, cid: object) -> bool:
        return cid in self._everyone

    def __iter__(self) -> Iterator[int]:
        return iter(self._walked)

    def __len__(self) -> int:
        return len(self._walked)


@functools.cache
def _date(ordinal: int) -> dt.date | None:
    """Date ordinal -> date; 0 (no such day) -> None."""
    return dt.date.fromordinal(ordinal) if ordinal else None


@functools.cache
def _group_names(bits: int) -> tuple[str, ...]:
    """The groups whose bits (1 << index in GROUPS) are set."""
    return tuple(g for k, g in enumerate(GROUPS) if bits >> k & 1)


P = ParamSpec("P")
R = TypeVar("R")


def _gc_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """Runs `fn` with Python's cycle collector paused: a compute allocates a few million objects
    (rows, days, metrics), none of them in cycles, and the collector would walk the growing heap
    again and again (~1 s at 1M orders). Freed as usual by reference counting. Only on the main thread:
    see shopkeep.collector (a TUI worker leaves the process's collector alone)."""

    @functools.wraps(fn)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector.paused():
            return fn(*args, **kwargs)

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
    `months`: revenue per month (known customers, guests), see analytics.order_columns."""
    return _from_columns(
        _People.of(customers),
        OrderColumns.of(histories),
        as_of,
        currency,
        referrals=referrals or {},
        callbacks=callbacks or {},
        months=months or {},
    )


@_gc_paused
def _from_columns(
    people: _People,
    columns: OrderColumns,
    as_of: dt.date,
    currency: str,
    *,
    referrals: Mapping[int, int],
    callbacks: Mapping[int, dt.date],
    months: Mapping[str, tuple[int, int]],
) -> Retention:
    """compute_from_rows, with the histories as arrays (as analytics.order_columns reads them)."""
    today = as_of.toordinal()
    credits = int(columns.credits.sum())
    other_currency_orders = int(columns.orders.sum() - columns.kept_orders.sum())
    guest_revenue = int(columns.revenue[columns.guest].sum())
    # The customers the figures are about: those with a sale (kept order) as of the day, in any currency.
    chosen = np.isin(columns.ids, people.ids) & ~columns.guest & (columns.orders > 0)
    known = columns.select(chosen)
    known_ids = known.ids
    ids, orders, discounted, counts, days = known_ids.tolist(), known.orders, known.discounted, known.counts, known.days
    n = len(ids)
    net, kept = known.revenue, known.kept_orders
    revenue = net + known.credits
    aov = np.rint(net / np.maximum(kept, 1)).astype(np.int64)  # round() halves to even as rint

    # Order days as ordinals: all customers' one after the other, `counts` of them each.
    ends = np.cumsum(counts)
    starts = ends - counts
    bought, repeat = counts > 0, counts >= 2
    first, last = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    first[bought], last[bought] = days[starts[bought]], days[ends[bought] - 1]
    recency = today - last

    # Churn risk, told the way that would have told best in the shop's own past (risk.choose).
    values = np.where(known.first_day > 0, known.first_net, 0)[bought]  # the first order's value (0: none)
    now = risk.Snapshot(days, counts[bought], values, today)
    usual_gaps = np.full(n, np.nan)  # NaN: fewer than two order days
    usual_gaps[bought] = now.gaps
    choice = risk.choose(days, counts[bought], values, today)
    churn = np.full(n, risk.RISK_CEILING)  # no kept order
    churn[bought] = risk.squeeze(1 - choice.chances(now))

    r = rfm.band_scores(np.where(bought, -recency, -(10**9)))
    f = rfm.frequency_scores(orders)
    m = np.where(revenue > 0, rfm.band_scores(revenue), 1)  # nothing (or less) left after refunds: the lowest
    segment = rfm.segment_indexes(r, f, m)

    # Expected orders a year: BG/NBD for repeat buyers, the shop's second-order curve for one-time buyers.
    per_year = np.zeros(n)
    model, curve = now.model, now.curve
    per_year[bought] = np.where(
        now.repeat,
        now.alive * model.rate(now.counts - 1, now.age) * risk.YEAR_DAYS,
        curve.reorder_chance(now.age, risk.YEAR_DAYS),
    )
    ltv_predicted = np.rint(per_year * aov).astype(np.int64)

    once = bought & ~repeat
    expected = np.zeros(n, dtype=np.int64)  # ordinal of the expected next order, 0: none
    expected[repeat] = last[repeat] + np.rint(usual_gaps[repeat]).astype(np.int64)
    expected[once] = first[once] + round(curve.median_days)

    big = (revenue > 0) & (revenue > rfm.top_threshold(revenue, TOP_SHARE))
    slipping = repeat & (recency > 2 * np.nan_to_num(usual_gaps))
    rules = {  # GROUP_RULES as masks
        "first-time buyers": orders == 1,
        "repeat buyers": orders >= 2,
        "big spenders": big,
        "high order value": (aov > 0) & (aov > rfm.top_threshold(aov, TOP_SHARE)),
        "full-price buyers": (orders > 0) & (discounted == 0),
        "discount buyers": (orders > 0) & (2 * discounted >= orders),
        "VIP": repeat & (f == 5) & (today - first >= VIP_MIN_DAYS) & ~slipping,  # big spenders are about money
        "slipping regulars": slipping,
        "brand advocates": np.isin(known_ids, [cid for cid, brought in referrals.items() if brought >= 2]),
    }
    bits = sum((rules[g].astype(np.int64) << k for k, g in enumerate(GROUPS)), np.zeros(n, dtype=np.int64))

    table = _Columns(
        ids,
        people,
        currency,
        today,
        dict(callbacks),
        choice.quality.can_tell,
        (orders, first, last, revenue, aov, usual_gaps, expected, churn, ltv_predicted, r, f, m, segment, bits),
    )
    months = dict(months)

    def kpis() -> Kpis:
        customer_days = CustomerDays(known.first_purchases, net, kept, counts, days, revenue)
        return summarize(as_of, currency, customer_days, months, guest_revenue, credits, other_currency_orders)

    elsewhere = columns.elsewhere
    by_id = _Customers(ids, table)
    without = int(np.count_nonzero(~people.forgotten & ~np.isin(people.ids, known_ids)))
    return Retention(
        as_of,
        currency,
        by_id,
        _segment_summaries(segment, revenue),
        kpis,
        risk_quality=choice.quality,
        without_sale=without,
        elsewhere=elsewhere,
    )


def _segment_summaries(segment: np.ndarray, revenue: np.ndarray) -> list[SegmentSummary]:
    """Each segment's customers, revenue and share of the customers' revenue (a customer refunded more than
    they paid adds nothing to a share, so shares are of one stated base and add up to 100%)."""
    counts = np.bincount(segment, minlength=len(SEGMENTS)).tolist()
    totals, gains = np.zeros(len(SEGMENTS), dtype=np.int64), np.zeros(len(SEGMENTS), dtype=np.int64)
    np.add.at(totals, segment, revenue)
    np.add.at(gains, segment, np.maximum(revenue, 0))
    base = int(gains.sum())
    return [
        SegmentSummary(s, counts[k], int(totals[k]), int(gains[k]) / base if base else 0.0)
        for k, s in enumerate(SEGMENTS)
    ]


def share_base(customers: Iterable[CustomerMetrics]) -> int:
    """What a share of revenue is of: the revenue of the customers who brought any (see _segment_summaries)."""
    return sum(max(m.revenue, 0) for m in customers)


def compute(store: Store, as_of: dt.date) -> Retention:
    """Every figure as of the end of `as_of`; later orders are ignored as if not placed yet."""
    return _compute(store, as_of)[1]


@_gc_paused
def _compute(store: Store, as_of: dt.date) -> tuple[tuple, Retention]:
    """compute, and the database's fingerprint (analytics.fingerprint) read in the same snapshot."""
    with store.snapshot():
        currency = shop.shop_currency(store) or "EUR"
        fingerprint = analytics.fingerprint(store)
        key = analytics.orders_key_of(fingerprint)
        kept = analytics.kept_columns(store, as_of, currency, key)
        columns, months = kept or analytics.order_columns(store, as_of, currency)
        in_currency = int(columns.kept_orders.sum())
        elsewhere = int(columns.orders.sum()) - in_currency
        if elsewhere >= in_currency and elsewhere and not shop.currency_setting(store):
            # the currency of the latest orders was a guess, and may be wrong: count exactly
            counts = analytics.currency_counts(store, as_of)
            best = min(counts, key=lambda c: (-counts[c], c))
            if best != currency:
                currency = best
                kept = analytics.kept_columns(store, as_of, currency, key)
                columns, months = kept or analytics.order_columns(store, as_of, currency)
        people = _People(*analytics.customer_flags(store), analytics.customers_later(store))
        referrals = analytics.referral_counts(store, as_of)
        callbacks = analytics.scheduled_callbacks(store, as_of)
    if kept is None:  # read from every order: kept for the next command, another day, the app
        analytics.keep_columns(store, key, as_of, currency, columns, months)
    figures = _from_columns(people, columns, as_of, currency, referrals=referrals, callbacks=callbacks, months=months)
    return fingerprint, figures


def prepare(store: Store, as_of: dt.date) -> None:
    """Read the orders once and keep them grouped (store.analytics.keep_columns), so that the next command
    or app that needs the figures (on any later day without newer orders) skips that pass: for the import's
    upkeep to call after an import. Cheap when they are kept already."""
    with store.snapshot():
        currency = shop.shop_currency(store) or "EUR"
        if analytics.kept_columns(store, as_of, currency) is not None:
            return
    compute(store, as_of)


# (database, as-of day) -> (fingerprint, change marker, figures), least recently used first. Keyed by the
# day too: a look-back at another day must not push out the figures of the app's own day.
_CACHE: OrderedDict[tuple[object, dt.date, str], tuple[tuple, tuple, Retention]] = OrderedDict()
CACHE_SIZE = 4  # a few days of one or two shops; each entry holds every customer's figures


def cached_compute(store: Store, as_of: dt.date) -> Retention:
    """`compute`, reused while the database has not changed (any connection, any process).

    Same connection with no commit anywhere since (SQLite's data_version and this connection's
    change count): reused at once. Otherwise a cheap fingerprint of the tables decides. Per language too:
    the figures carry sentences (each customer's risk reason) in the language they were computed in."""
    from shopkeep.i18n import language

    place = (str(store.path) if store.path is not None else id(store), as_of, language())
    # The connection itself, not its id: the marker means something only for the connection that read it, and
    # a later connection could be given a closed one's id (and a fresh connection's data_version and change count
    # are always the same), so an entry would be taken as current after another process's commit.
    marker = (store.conn, *analytics.change_marker(store))
    hit = _CACHE.get(place)
    if hit is not None and hit[1] == marker:
        _CACHE.move_to_end(place)
        return hit[2]
    if hit is not None and hit[0] == (key := analytics.fingerprint(store)):
        result = hit[2]
    else:
        key, result = _compute(store, as_of)
    _CACHE[place] = (key, marker, result)
    _CACHE.move_to_end(place)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result
