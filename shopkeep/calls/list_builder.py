"""Who to call today and why, as a pure function of plain inputs (`build_list`): the kinds of call, the
reason suggested for each customer, the score, the order and the daily cap. Rebuilding the list of any
past day from the same inputs gives the same list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from shopkeep import money, reasons
from shopkeep.customer_ref import label, reference
from shopkeep.i18n import _, format_date, ngettext
from shopkeep.store import sales

if TYPE_CHECKING:
    import numpy as np

    from shopkeep.retention import CustomerMetrics
from shopkeep.calls.formatting import what_was_promised
from shopkeep.calls.inputs import CallRecord, Contact, ListInputs, OrderRecord, RankedCandidates, ReadsAhead
from shopkeep.calls.settings import CallSettings

# Why someone is on the list, in the order they are served: promises kept first, then a recent
# refund (money went back: an unhappy customer), first-time buyers, and the model's picks last.
KINDS = ("callback", "compensation_late", "complaint", "welcome", "winback")
PROMISED_KINDS = frozenset({"callback", "compensation_late"})  # promised to the customer: always called
FRESH_KINDS = frozenset({"welcome", "winback"})  # the calls that win customers back: a share of the cap is theirs
# The label of each churn reason, in English (shopkeep.reasons is the registry; `reasons.label` translates).
REASON_LABELS = {r.key: r.label for r in reasons.REASONS}


@dataclass(frozen=True)
class CallItem:
    customer_id: int
    name: str | None
    phone: str | None
    kind: str  # one of KINDS
    reason: str  # the suggested reason (one of scripts.REASONS); the owner may switch it
    why: str  # plain words, English
    priority: int  # value × churn risk × winnability, in minor units of the customer's currency
    promise_id: int | None = None
    external_id: str | None = None

    @property
    def ref(self) -> str:
        """The customer's reference shown to people (shopkeep.customer_ref)."""
        return reference(self.customer_id, self.external_id)

    @property
    def label(self) -> str:
        """Their name with the reference, or the reference alone."""
        return label(self.customer_id, self.external_id, self.name)


@dataclass(frozen=True)
class CallList:
    as_of: dt.date
    items: list[CallItem]  # in calling order, at most the daily cap
    no_phone: list[CallItem]  # would be on the list but have no phone: email or SMS them
    over_cap: int  # callable customers left out by the daily cap
    do_not_call: int  # left out because they asked not to be called


def suggest_reason(
    orders: Sequence[OrderRecord], settings: CallSettings, *, promise_late: bool = False
) -> tuple[str, str]:
    """The likely reason a customer stopped buying, with the evidence in plain words (the checks and their
    order are in the registry, `shopkeep.reasons`)."""
    return reasons.suggest(orders, settings, promise_late=promise_late)


def _winnability(recency: int, gap: float | None) -> float:
    """1 while a customer is at most three usual gaps overdue, then falling: the long lost rank lower."""
    if not gap or gap <= 0:
        return 1.0
    ratio = recency / gap
    return 1.0 if ratio <= 3 else 3 / ratio


def _score(m: CustomerMetrics | None) -> int:
    if m is None:
        return 0
    value = max(int(m.revenue or 0), 0)
    return round(value * float(m.churn_risk or 0) * _winnability(int(m.recency_days or 0), m.usual_gap_days))


def priorities(revenue: np.ndarray, churn: np.ndarray, recency: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """_score of many customers at once, from their figures as arrays (retention's: `gap` NaN for none): the
    same numbers, operation for operation (tests/calls/test_ranked.py)."""
    import numpy as np  # here: a kept list is read without it

    value = np.maximum(revenue, 0).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = recency / gap
        overdue = (gap > 0) & (ratio > 3)  # NaN compares false: no usual gap, winnability 1
        winnability = np.where(overdue, 3 / np.where(overdue, ratio, 1.0), 1.0)
    return np.rint(value * churn.astype(np.float64) * winnability).astype(np.int64)


def _winback_why(m: CustomerMetrics, points: int, evidence: str) -> str:
    parts = []
    if m.usual_gap_days:
        gap = round(m.usual_gap_days)
        parts.append(ngettext("usually orders every {n} day", "usually orders every {n} days", gap).format(n=gap))
    days = m.recency_days
    parts.append(ngettext("{n} day since the last order", "{n} days since the last order", days).format(n=days))
    spent, orders = money.format(int(m.revenue), m.currency, compact=True), int(m.orders)
    parts.append(
        ngettext("spent {amount} in {n} order", "spent {amount} in {n} orders", orders).format(amount=spent, n=orders)
    )
    if points > 0:
        parts.append(ngettext("{n} point waiting", "{n} points waiting", points).format(n=points))
    if evidence:
        parts.append(evidence)
    return "; ".join(parts)


def _refund_why(order: OrderRecord) -> str:
    day = format_date(order.ordered_at.date())
    if order.kind == "credit":
        return _("credit note of {day}: money went back").format(day=day)
    if order.status == "partially_refunded" or 0 < order.refunded < order.total:
        return _("order of {day} was partly refunded").format(day=day)
    return _("order of {day} was refunded").format(day=day)


def _rank(item: CallItem) -> tuple[int, int, int]:
    return KINDS.index(item.kind), -item.priority, item.customer_id


def _awaiting_payment(orders: list[OrderRecord]) -> bool:
    """Their latest order is placed but not paid yet: they are buying, not slipping away."""
    placed = [o for o in orders if o.kind == "order"]
    return bool(placed) and max(placed, key=lambda o: o.ordered_at).status in sales.PENDING_STATUSES


def build_list(inputs: ListInputs, settings: CallSettings, as_of: dt.date) -> CallList:
    """Today's call list from plain inputs. Nothing after `as_of` is looked at."""
    calls = sorted((c for c in inputs.calls if c.called_at.date() <= as_of), key=lambda c: c.called_at)
    last_call: dict[int, CallRecord] = {c.customer_id: c for c in calls}
    seen: dict[int, list[OrderRecord]] = {}

    def orders_of(cid: int) -> list[OrderRecord]:
        """The customer's orders up to `as_of` (read once)."""
        if cid not in seen:
            seen[cid] = [o for o in inputs.orders.get(cid, ()) if o.ordered_at.date() <= as_of]
        return seen[cid]

    late = {
        p.customer_id: p for p in sorted(inputs.promises, key=lambda p: p.due_on, reverse=True) if p.due_on <= as_of
    }
    chosen: dict[int, tuple[CallItem, bool]] = {}  # customer → (item, scheduled)

    def offer(
        cid: int, kind: str, reason: str, why: str, *, scheduled: bool = False, promise: int | None = None
    ) -> None:
        contact = inputs.contacts.get(cid)
        if contact is None:
            return
        score = inputs.scores.get(cid, 0) if inputs.scores is not None else _score(inputs.metrics.get(cid))
        item = CallItem(cid, contact.name, contact.phone, kind, reason, why, score, promise, contact.external_id)
        held = chosen.get(cid)
        if held is None or KINDS.index(kind) < KINDS.index(held[0].kind):
            chosen[cid] = (item, scheduled or (held is not None and held[1]))

    for cid, call in last_call.items():
        if call.outcome == "call_later" and call.callback_on is not None and call.callback_on <= as_of:
            if call.callback_on == as_of:
                asked = _("asked to be called back today")
            else:
                asked = _("asked to be called back on {day}").format(day=format_date(call.callback_on))
            reason = call.reason or suggest_reason(orders_of(cid), settings, promise_late=cid in late)[0]
            offer(cid, "callback", reason, asked, scheduled=True)
    for cid, promise in late.items():
        days = (as_of - promise.due_on).days
        state = _("due today") if days == 0 else ngettext("{n} day late", "{n} days late", days).format(n=days)
        bought = orders_of(cid)
        what = what_was_promised(promise, inputs.currency or (bought[-1].currency if bought else None))
        promised = _("promised {what}: {state}").format(what=what, state=state)
        offer(cid, "compensation_late", "compensation", promised, scheduled=True, promise=promise.id)
    since = as_of - dt.timedelta(days=settings.complaint_days)
    checked = inputs.orders if inputs.recent is None else inputs.recent
    for cid, all_rows in checked.items():
        rows = [o for o in all_rows if o.ordered_at.date() <= as_of]
        refunds = [o for o in rows if o.refund and o.ordered_at.date() > since]
        if refunds and not (cid in last_call and last_call[cid].called_at >= refunds[-1].ordered_at):
            offer(cid, "complaint", "let_down", _refund_why(refunds[-1]))
        paid = [o for o in rows if o.is_sale]
        if len(paid) == 1 and cid not in last_call:
            age = (as_of - paid[0].ordered_at.date()).days
            if settings.welcome_from_days <= age <= settings.welcome_to_days:
                welcome = ngettext(
                    "first order {n} day ago; ask how it went", "first order {n} days ago; ask how it went", age
                ).format(n=age)
                offer(cid, "welcome", "first_purchase", welcome)
    for cid, m in inputs.metrics.items() if inputs.ranked is None else ():
        if m.recency_days is None or int(m.orders or 0) < settings.min_orders:
            continue
        if float(m.churn_risk or 0) < settings.min_churn_risk:
            continue
        if cid in inputs.pending if inputs.pending is not None else _awaiting_payment(orders_of(cid)):
            continue
        offer(cid, "winback", "", "")  # the reason reads every order: only for those who make the cut (below)

    cooldown_start = as_of - dt.timedelta(days=settings.cooldown_days)
    callable_items, no_phone, dnc = [], [], 0
    for cid, (item, scheduled) in chosen.items():
        contact = inputs.contacts[cid]
        if contact.do_not_call:
            dnc += 1
        elif not scheduled and cid in last_call and last_call[cid].called_at.date() > cooldown_start:
            continue
        elif not contact.phone:
            no_phone.append(item)
        else:
            callable_items.append(item)
    left_out = 0  # callable win-back candidates the cap leaves out, counted without being built
    if inputs.ranked is not None:
        cooled = {cid for cid, call in last_call.items() if call.called_at.date() > cooldown_start}
        pending = inputs.pending
        if pending is None:
            pending = {cid for cid in inputs.ranked.ids.tolist() if _awaiting_payment(orders_of(cid))}
        winback = _ranked_winbacks(inputs.ranked, {*pending, *chosen}, cooled, _places(settings))
        callable_items += winback.callable
        no_phone += winback.no_phone
        dnc += winback.do_not_call
        left_out = winback.left_out
    callable_items.sort(key=_rank)
    no_phone.sort(key=_rank)
    items = _within_cap(callable_items, settings)

    def reasoned(item: CallItem) -> CallItem:
        if item.kind != "winback":
            return item
        reason, evidence = suggest_reason(orders_of(item.customer_id), settings)
        why = _winback_why(inputs.metrics[item.customer_id], inputs.points.get(item.customer_id, 0), evidence)
        return replace(item, reason=reason, why=why)

    reasoned_ids = [i.customer_id for i in (*items, *no_phone) if i.kind == "winback"]
    if len(reasoned_ids) > 1:  # many without a phone: their orders and figures read in one go each
        for source in (inputs.orders, inputs.metrics):
            if isinstance(source, ReadsAhead):
                source.read_ahead(reasoned_ids)
    items = [reasoned(i) for i in items]
    no_phone = [reasoned(i) for i in no_phone]
    return CallList(as_of, items, no_phone, len(callable_items) + left_out - len(items), dnc)


def _places(settings: CallSettings) -> int:
    """How many callable win-back calls _within_cap can ever look at: the fresh calls it takes (their share of
    the cap, or the room left) are at most this many, and it takes them in rank order."""
    return max(settings.daily_cap, -(-settings.daily_cap * settings.fresh_share_percent // 100))


@dataclass(frozen=True)
class _Winbacks:
    callable: list[CallItem]  # the first `places` callable ones, in rank order
    no_phone: list[CallItem]  # every one without a phone
    do_not_call: int  # asked not to be called
    left_out: int  # callable ones past `places`


def _ranked_winbacks(ranked: RankedCandidates, taken: set[int], cooled: set[int], places: int) -> _Winbacks:
    """What build_list's walk over every candidate's metrics makes of the win-back candidates, in the order
    of its tests: skipped when awaiting payment or on the list for another reason (`taken`) or forgotten; counted
    when asked not to be called; skipped when called within the cooldown (`cooled`); set aside without a phone;
    callable else. Only the callable ones that can make the cap and those without a phone are built."""
    import numpy as np

    ids = ranked.ids
    kept = ~np.isin(ids, np.fromiter({*taken, *ranked.forgotten}, dtype=np.int64))
    asked = kept & np.isin(ids, np.fromiter(ranked.do_not_call, dtype=np.int64))
    kept &= ~asked & ~np.isin(ids, np.fromiter(cooled, dtype=np.int64))
    phoneless = kept & np.isin(ids, np.fromiter(ranked.no_phone, dtype=np.int64))
    callable_at = np.flatnonzero(kept & ~phoneless)  # positions in rank order
    chosen, without_phone = callable_at[:places], np.flatnonzero(phoneless)
    wanted = [*ids[chosen].tolist(), *ids[without_phone].tolist()]
    contacts = ranked.contacts(wanted) if wanted else {}

    def items(at: np.ndarray) -> list[CallItem]:
        return [
            _winback_item(contacts[cid], score)
            for cid, score in zip(ids[at].tolist(), ranked.priorities[at].tolist(), strict=True)
        ]

    return _Winbacks(items(chosen), items(without_phone), int(asked.sum()), len(callable_at) - len(chosen))


def _winback_item(contact: Contact, score: int) -> CallItem:
    return CallItem(contact.id, contact.name, contact.phone, "winback", "", "", score, None, contact.external_id)


def _within_cap(ranked: list[CallItem], settings: CallSettings) -> list[CallItem]:
    """Promised calls all come; win-back and welcome calls keep their share of the cap (when there are
    any), taking turns; refunds take what is left, then any free place goes to the next win-back or welcome."""
    promised = [i for i in ranked if i.kind in PROMISED_KINDS]
    fresh = [i for i in ranked if i.kind in FRESH_KINDS]
    other = [i for i in ranked if i.kind not in PROMISED_KINDS | FRESH_KINDS]
    cap = settings.daily_cap
    reserved = min(-(-cap * settings.fresh_share_percent // 100), len(fresh))
    room = max(cap - len(promised), 0)
    other = other[: max(room - reserved, 0)]
    fresh = _alternate([i for i in fresh if i.kind == "winback"], [i for i in fresh if i.kind == "welcome"])
    fresh = fresh[: max(reserved, room - len(other))]
    return sorted(promised + other + fresh, key=_rank)


def _alternate(first: list[CallItem], second: list[CallItem]) -> list[CallItem]:
    """Turn about from each list (each in its own order), then the rest of the longer one."""
    mixed = [item for pair in zip(first, second, strict=False) for item in pair]
    shorter = min(len(first), len(second))
    return mixed + first[shorter:] + second[shorter:]
