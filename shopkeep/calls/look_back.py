"""Looking back over the last days' lists (`look_back`): who was listed, who was called, who came back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.store import Store

if TYPE_CHECKING:
    pass
from shopkeep.calls.daily_list import stored_list
from shopkeep.calls.inputs import CallRecord, OrderRecord
from shopkeep.calls.list_builder import CallItem, build_list
from shopkeep.calls.loader import light_inputs, logged_calls, orders_by_customer
from shopkeep.calls.settings import load_settings


@dataclass(frozen=True)
class LookBackRow:
    label: str
    listed: int
    came_back: int


@dataclass(frozen=True)
class LookBack:
    list_date: dt.date
    as_of: dt.date
    listed: int
    came_back: int
    by_reason: list[LookBackRow]
    by_outcome: list[LookBackRow]


def look_back_from(
    items: Sequence[CallItem],
    calls: Sequence[CallRecord],
    orders: Mapping[int, Sequence[OrderRecord]],
    list_date: dt.date,
    as_of: dt.date,
) -> LookBack:
    """Of the customers on the list of `list_date` (and anyone called from it), who ordered by `as_of`."""
    reasons = {item.customer_id: item.reason for item in items}
    outcomes: dict[int, str] = {}
    for call in sorted(calls, key=lambda c: c.called_at):
        day = call.called_at.date()
        from_list = call.list_date == list_date or (call.list_date is None and call.customer_id in reasons)
        if from_list and list_date <= day <= as_of and call.customer_id not in outcomes:
            outcomes[call.customer_id] = call.outcome
            reasons.setdefault(call.customer_id, call.reason or "other")
    back = {
        cid
        for cid in reasons
        if any(o.is_sale and list_date < o.ordered_at.date() <= as_of for o in orders.get(cid, ()))
    }

    def rows(label_of: Mapping[int, str]) -> list[LookBackRow]:
        groups: dict[str, list[int]] = defaultdict(list)
        for cid in reasons:
            groups[label_of.get(cid, "not called")].append(cid)
        made = [LookBackRow(label, len(ids), sum(cid in back for cid in ids)) for label, ids in groups.items()]
        return sorted(made, key=lambda r: (-r.listed, r.label))

    return LookBack(list_date, as_of, len(reasons), len(back), rows(reasons), rows(outcomes))


def look_back(store: Store, days: int, as_of: dt.date) -> LookBack:
    """The list as it was `days` ago (as kept that day; rebuilt for a day without one) against what
    happened since."""
    if days < 1:
        raise ShopkeepError(_("look back at least 1 day"))
    list_date = as_of - dt.timedelta(days=days)
    then = stored_list(store, list_date)
    if then is None:
        settings = load_settings(store)
        with store.snapshot():
            then = build_list(light_inputs(store, list_date, settings), settings, list_date)
    with store.snapshot():
        calls = logged_calls(store, as_of)
        concerned = {i.customer_id for i in then.items} | {c.customer_id for c in calls}
        return look_back_from(then.items, calls, orders_by_customer(store, as_of, concerned), list_date, as_of)
