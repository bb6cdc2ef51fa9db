"""The call list's inputs as plain records (no store): contacts, past calls, open promises, orders, and
`ListInputs` that holds them with the retention metrics and points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

from shopkeep.store import sales

if TYPE_CHECKING:
    import numpy as np

    from shopkeep.retention import CustomerMetrics


@dataclass(frozen=True)
class Contact:
    id: int
    name: str | None
    phone: str | None
    do_not_call: bool = False
    external_id: str | None = None


@dataclass(frozen=True)
class CallRecord:
    customer_id: int
    called_at: dt.datetime
    outcome: str
    reason: str | None = None
    callback_on: dt.date | None = None
    list_date: dt.date | None = None


@dataclass(frozen=True)
class PromiseRecord:
    id: int
    customer_id: int
    kind: str
    amount: int | None
    due_on: dt.date
    description: str | None = None


class OrderRecord(NamedTuple):
    """One order as the list and the results see it (a tuple: shops have many orders)."""

    customer_id: int
    ordered_at: dt.datetime
    currency: str
    total: int
    status: str = "paid"
    kind: str = "order"
    refunded: int = 0
    shipping: int = 0
    discount: int = 0
    discount_code: str | None = None
    city: str | None = None

    @property
    def is_sale(self) -> bool:
        """An order that brought money (what counts as "came back")."""
        return sales.is_sale(self.kind, self.status)

    @property
    def troubled(self) -> bool:
        """Refunded, cancelled or voided: something went wrong."""
        return self.refund or self.status in sales.TROUBLE_STATUSES

    @property
    def refund(self) -> bool:
        """Money went back to the customer (a refund, a partial refund or a credit note)."""
        return self.kind == "credit" or self.status in ("refunded", "partially_refunded") or self.refunded > 0

    @property
    def net(self) -> int:
        return self.total - self.refunded


@runtime_checkable
class ReadsAhead(Protocol):
    """An input read from the store when first asked for (the loader's orders, retention's metrics) that reads
    many customers in one go faster than one by one: build_list says whom it is about to read."""

    def read_ahead(self, customer_ids: Collection[int]) -> None: ...


@dataclass(frozen=True)
class RankedCandidates:
    """The win-back candidates (a sale, at least `min_orders` orders, a churn risk of at least the cut: the
    test build_list makes on each customer's metrics), ranked as the list ranks them: priority down, then
    customer id; with who is set apart, so that those left out by the cap are counted, not built."""

    ids: np.ndarray  # customer ids, in rank order
    priorities: np.ndarray  # their priorities (list_builder.priorities), in the same order
    forgotten: Collection[int]  # never contacted (any customers, candidates or not)
    do_not_call: Collection[int]  # asked not to be called
    no_phone: Collection[int]  # nothing to call
    contacts: Callable[[Sequence[int]], Mapping[int, Contact]]  # these customers' contacts, read when asked


@dataclass
class ListInputs:
    """Everything the list is built from. `metrics` holds retention's CustomerMetrics by customer id."""

    metrics: Mapping[int, CustomerMetrics]
    contacts: Mapping[int, Contact]
    calls: Sequence[CallRecord] = ()
    promises: Sequence[PromiseRecord] = ()
    orders: Mapping[int, Sequence[OrderRecord]] = field(default_factory=dict)
    points: Mapping[int, int] = field(default_factory=dict)
    currency: str | None = None  # the shop's: promised money is in it
    # A shop with a long history need not hand every order over. With `recent` (see `recent_window`), the
    # refund and welcome checks read it: by customer, their orders since the window's first day plus their
    # latest sale before it; `orders` is then asked only for the few customers whose reason is worked out
    # (it may fetch them on demand). With `pending`, the customers whose latest order is placed but not
    # paid; else that is read from `orders`.
    recent: Mapping[int, Sequence[OrderRecord]] | None = None
    pending: Collection[int] | None = None
    # A shop with many customers need not walk every candidate's metrics. With `ranked`, the win-back
    # candidates come from it (not from walking `metrics`): only those who can make the cap are built (their
    # contacts read, `metrics` looked up for the reason), the others counted. `contacts` then needs only the
    # customers of the other kinds of call. With `scores`, the priority of each customer (0 when they have no
    # sale), else worked out from `metrics`.
    ranked: RankedCandidates | None = None
    scores: Mapping[int, int] | None = None
