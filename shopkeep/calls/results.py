"""Who came back after a call (`call_results`): calls, agreed, orders after the call and their value,
per reason, beside the rules of thumb shop owners report; and the call log for export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shopkeep.clock import day_after
from shopkeep.customer_ref import reference
from shopkeep.store import Store
from shopkeep.store import calls as sql

if TYPE_CHECKING:
    pass
from shopkeep.calls.inputs import CallRecord, OrderRecord
from shopkeep.calls.loader import logged_calls, orders_by_customer
from shopkeep.calls.settings import CallSettings, load_settings
from shopkeep.calls.writes import NOT_REACHED

# Reported by shop owners after win-back calls: rules of thumb, not measured by this repo and written down
# only here (docs/ holds a screenshot, no notes). `shopkeep calls results` and the results panel of the
# call screen show the shop's own figures beside them.
PRACTICE_AGREE_RATE = 0.60
PRACTICE_CONVERSION = 0.15
PRACTICE_AOV_LIFT = 0.15


@dataclass(frozen=True)
class ReasonResult:
    reason: str
    calls: int
    reached: int
    won_back: int


@dataclass(frozen=True)
class Results:
    as_of: dt.date
    calls: int
    reached: int
    agreed: int  # reached calls that ended "will return"
    won_back: int  # calls followed by an order within the window
    won_back_sum: int  # net of the won-back orders that have an earlier AOV to compare with ...
    earlier_aov_sum: int  # ... and the sum of those customers' AOV before the call
    per_reason: list[ReasonResult]

    @property
    def reach_rate(self) -> float | None:
        return self.reached / self.calls if self.calls else None

    @property
    def agree_rate(self) -> float | None:
        return self.agreed / self.reached if self.reached else None

    @property
    def conversion(self) -> float | None:
        return self.won_back / self.calls if self.calls else None

    @property
    def aov_lift(self) -> float | None:
        """How much bigger the won-back order was than the customer's orders before (0.15 = 15% higher)."""
        return self.won_back_sum / self.earlier_aov_sum - 1 if self.earlier_aov_sum > 0 else None


def won_back_orders(
    calls: Sequence[CallRecord], orders: Mapping[int, Sequence[OrderRecord]], settings: CallSettings, as_of: dt.date
) -> dict[int, OrderRecord]:
    """For each reached call (by its index in `calls`), the order that won the customer back.

    An order wins a call when it is the customer's first sale after the call, within the window
    (in days, inclusive), before any later reached call and no later than `as_of`."""
    reached: dict[int, list[tuple[int, CallRecord]]] = defaultdict(list)
    for index, call in enumerate(calls):
        if call.outcome not in NOT_REACHED and call.called_at.date() <= as_of:
            reached[call.customer_id].append((index, call))
    found = {}
    for cid, pairs in reached.items():
        pairs.sort(key=lambda p: p[1].called_at)
        sales = sorted((o for o in orders.get(cid, ()) if o.is_sale and o.ordered_at.date() <= as_of), key=_when)
        for n, (index, call) in enumerate(pairs):
            until = pairs[n + 1][1].called_at if n + 1 < len(pairs) else None
            after = next((o for o in sales if o.ordered_at > call.called_at), None)
            if after is None or (until is not None and after.ordered_at >= until):
                continue
            if (after.ordered_at.date() - call.called_at.date()).days <= settings.won_back_days:
                found[index] = after
    return found


def _when(order: OrderRecord) -> dt.datetime:
    return order.ordered_at


def results_from(
    calls: Sequence[CallRecord],
    orders: Mapping[int, Sequence[OrderRecord]],
    settings: CallSettings,
    as_of: dt.date,
) -> Results:
    """Call results as of a day: nothing called or ordered after `as_of` counts."""
    calls = [c for c in calls if c.called_at.date() <= as_of]
    won = won_back_orders(calls, orders, settings, as_of)
    won_sum = earlier_sum = 0
    for index, order in won.items():
        call = calls[index]
        before = [o.net for o in orders.get(call.customer_id, ()) if o.is_sale and o.ordered_at < call.called_at]
        if before:
            won_sum += order.net
            earlier_sum += sum(before) // len(before)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for index, call in enumerate(calls):
        counts = per[call.reason or "other"]
        counts[0] += 1
        counts[1] += call.outcome not in NOT_REACHED
        counts[2] += index in won
    return Results(
        as_of=as_of,
        calls=len(calls),
        reached=sum(c.outcome not in NOT_REACHED for c in calls),
        agreed=sum(c.outcome == "will_return" for c in calls),
        won_back=len(won),
        won_back_sum=won_sum,
        earlier_aov_sum=earlier_sum,
        per_reason=[ReasonResult(reason, *per[reason]) for reason in sorted(per, key=lambda r: (-per[r][0], r))],
    )


def call_results(store: Store, as_of: dt.date, settings: CallSettings | None = None) -> Results:
    with store.snapshot():
        calls = logged_calls(store, as_of)
        orders = orders_by_customer(
            store, as_of, {c.customer_id for c in calls}
        )  # only the called customers' orders count
        return results_from(calls, orders, settings or load_settings(store), as_of)


def call_log(store: Store, as_of: dt.date) -> list[dict[str, Any]]:
    """Every call up to `as_of`, oldest first, with the customer's reference and name (for export)."""
    rows = sql.call_log(store, day_after(as_of))
    for row in rows:
        row["customer"] = reference(row["customer_id"], row.pop("external_id"))
    return rows
