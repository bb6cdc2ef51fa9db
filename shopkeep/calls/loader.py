"""The list's inputs read from the store as of a day: every order (`load_inputs`; the tests check that the
light way builds the same list), or the light way the daily list and look-back use (`light_inputs`: the
recent orders, the rest of a customer's history read on demand)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING

from shopkeep.clock import day_after
from shopkeep.store import Store
from shopkeep.store import calls as sql
from shopkeep.store import customers as customers_sql

if TYPE_CHECKING:
    import numpy as np

    from shopkeep.retention import CustomerMetrics, Retention
from shopkeep.calls.inputs import CallRecord, Contact, ListInputs, OrderRecord, PromiseRecord, RankedCandidates
from shopkeep.calls.list_builder import priorities
from shopkeep.calls.settings import CallSettings


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text[:10])


def _order_record(row: sql.OrderRow) -> OrderRecord:
    return OrderRecord(
        row.customer_id,
        dt.datetime.fromisoformat(row.ordered_at),
        row.currency,
        row.total,
        status=row.status,
        kind=row.kind,
        refunded=row.refunded,
        shipping=row.shipping,
        discount=row.discount,
        discount_code=row.discount_code,
        city=row.city,
    )


def orders_by_customer(
    store: Store, as_of: dt.date, customer_ids: Collection[int] | None = None
) -> dict[int, list[OrderRecord]]:
    """Orders up to `as_of` by customer: everyone's, or only those of `customer_ids`."""
    found: dict[int, list[OrderRecord]] = defaultdict(list)
    for row in sql.orders_until(store, day_after(as_of), customer_ids):
        found[row.customer_id].append(_order_record(row))
    return found


def logged_calls(store: Store, as_of: dt.date) -> list[CallRecord]:
    return [
        CallRecord(
            customer_id=row["customer_id"],
            called_at=dt.datetime.fromisoformat(row["called_at"]),
            outcome=row["outcome"],
            reason=row["reason"],
            callback_on=_date(row["callback_on"]),
            list_date=_date(row["list_date"]),
        )
        for row in sql.calls_until(store, day_after(as_of))
    ]


def _reachable(store: Store, customer_ids: Collection[int] | None = None) -> dict[int, Contact]:
    """Everyone who may be called at all (forgotten customers are not); or only those of `customer_ids`."""
    return {
        cid: Contact(cid, row.name, row.phone, row.do_not_call, row.external_id)
        for cid, row in customers_sql.contacts(store, customer_ids).items()
    }


def load_inputs(store: Store, as_of: dt.date, retention: Retention | None = None) -> ListInputs:
    """The list's inputs; `retention` (a `shopkeep.retention.Retention` for `as_of`) saves computing it again."""
    from shopkeep.retention import cached_compute

    with store.snapshot():
        if retention is None or retention.as_of != as_of:
            retention = cached_compute(store, as_of)
        metrics = retention.customers
        contacts = _reachable(store)
        promises = [
            PromiseRecord(
                row["id"], row["customer_id"], row["kind"], row["amount"], dt.date.fromisoformat(row["due_on"])
            )
            for row in sql.open_promises(store)
        ]
        return ListInputs(
            metrics=metrics,
            contacts=contacts,
            calls=logged_calls(store, as_of),
            promises=promises,
            orders=orders_by_customer(store, as_of),
            points=sql.points_balances(store, day_after(as_of)),
            currency=retention.currency,
        )


def recent_window(settings: CallSettings, as_of: dt.date) -> dt.date:
    """The first day whose orders the refund and welcome checks of `as_of`'s list look at."""
    return as_of - dt.timedelta(days=max(settings.complaint_days, settings.welcome_to_days))


class _OrdersOnDemand(Mapping[int, list[OrderRecord]]):
    """Customers' orders up to a day, read from the store when first asked for (one customer at a time):
    the list needs the whole history of only the few whose reason it works out."""

    def __init__(self, store: Store, as_of: dt.date):
        self._store, self._as_of = store, as_of
        self._read: dict[int, list[OrderRecord]] = {}

    def __getitem__(self, customer_id: int) -> list[OrderRecord]:
        if customer_id not in self._read:
            self._read[customer_id] = orders_by_customer(self._store, self._as_of, (customer_id,)).get(customer_id, [])
        return self._read[customer_id]

    def read_ahead(self, customer_ids: Collection[int]) -> None:
        """Read these customers' orders in one query (the list is about to read each of them)."""
        wanted = [cid for cid in customer_ids if cid not in self._read]
        if wanted:
            found = orders_by_customer(self._store, self._as_of, wanted)
            self._read.update({cid: found.get(cid, []) for cid in wanted})

    def __iter__(self) -> Iterator[int]:  # only those read so far: the list never walks everyone's
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)


def light_inputs(
    store: Store, as_of: dt.date, settings: CallSettings, retention: Retention | None = None
) -> ListInputs:
    """`load_inputs` without reading every order: the recent ones, the customers awaiting payment, and
    the rest on demand. The list built from them is the same (tests/calls/test_stored_lists.py)."""
    from shopkeep.retention import cached_compute

    if retention is None or retention.as_of != as_of:
        retention = cached_compute(store, as_of)
    recent: dict[int, list[OrderRecord]] = defaultdict(list)
    start = recent_window(settings, as_of).isoformat()
    for row in sql.recent_orders(store, start, day_after(as_of)):
        recent[row.customer_id].append(_order_record(row))
    calls = logged_calls(store, as_of)
    promises = [
        PromiseRecord(row["id"], row["customer_id"], row["kind"], row["amount"], dt.date.fromisoformat(row["due_on"]))
        for row in sql.open_promises(store)
    ]
    offered = {*recent, *(c.customer_id for c in calls), *(p.customer_id for p in promises)}
    arrays = retention.arrays("ids", "orders", "first", "revenue", "churn", "recency", "gap")
    metrics: Mapping[int, CustomerMetrics]
    if arrays is None:  # figures not held as arrays: the candidates' metrics walked
        metrics = retention.likely_to_leave(settings.min_orders, settings.min_churn_risk)
        ranked, scores, offered = None, None, {*offered, *metrics}
    else:
        # Issue 19: the candidates ranked from the figures' arrays; only those who can make the cap get their
        # metrics built and their contacts read, the rest are counted.
        metrics = retention.customers
        ranked, scores = _ranked(store, settings, arrays, offered)
    return ListInputs(
        metrics=metrics,
        contacts=_reachable(store, offered),
        calls=calls,
        promises=promises,
        orders=_OrdersOnDemand(store, as_of),
        points=sql.points_balances(store, day_after(as_of)),
        currency=retention.currency,
        recent=recent,
        pending=set(sql.awaiting_payment(store, day_after(as_of))),
        ranked=ranked,
        scores=scores,
    )


def _ranked(
    store: Store,
    settings: CallSettings,
    arrays: tuple[np.ndarray, ...],
    offered: Collection[int],
) -> tuple[RankedCandidates, dict[int, int]]:
    """The win-back candidates ranked (build_list's test on CustomerMetrics, on the arrays), and the priority of
    each customer `offered` another kind of call."""
    import numpy as np  # here: a kept list is read without it

    ids, orders, first, revenue, churn, recency, gap = arrays
    score = priorities(revenue, churn, recency, gap)
    wanted = np.flatnonzero((first != 0) & (orders >= settings.min_orders) & (churn >= settings.min_churn_risk))
    order = wanted[np.lexsort((ids[wanted], -score[wanted]))]
    apart = sql.set_apart(store)
    ranked = RankedCandidates(
        ids[order],
        score[order],
        apart.forgotten,
        apart.do_not_call,
        apart.no_phone,
        lambda some: _reachable(store, some),
    )
    others = np.isin(ids, np.fromiter(offered, dtype=np.int64))
    return ranked, dict(zip(ids[others].tolist(), score[others].tolist(), strict=True))
