"""Call today: who to call, why, with which script; logging what happened; who came back.

The list is a pure function of plain inputs (customer metrics, the call log, open promises,
orders, points, settings and the day "as of"), so the same list can be rebuilt for any past
day. `today_list` loads those inputs from the store; `CallQueue` is the list as it is walked, inside
the calling session (`shopkeep.call_session`) that the Today screen drives.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, Field, ValidationError, model_validator

from shopkeep import loyalty, money, reasons
from shopkeep.clock import day_after
from shopkeep.customer_ref import label, reference
from shopkeep.errors import ShopkeepError, StoreError
from shopkeep.i18n import N_, _, format_date, ngettext
from shopkeep.notes import clean_text
from shopkeep.scripts import (
    CALLER_SETTING,
    FREE_DELIVERY_SETTING,
    REASONS,
    SHOP_NAME_SETTING,
    Script,
    load_script,
    render_script,
)
from shopkeep.shop import shop_currency
from shopkeep.store import Store, sales
from shopkeep.store import calls as sql
from shopkeep.store import customers as customers_sql

if TYPE_CHECKING:
    from shopkeep.retention import CustomerMetrics, Retention

OUTCOMES = (
    "no_answer",
    "will_return",
    "not_interested",
    "call_later",
    "wrong_number",
    "welcomed",
    "other",
    "message_sent",  # an email or SMS to a customer without a phone (migration 0016)
)
OUTCOME_KEYS = {"a": "no_answer", "w": "will_return", "n": "not_interested", "l": "call_later", "x": "wrong_number"}
NOT_REACHED = frozenset({"no_answer", "wrong_number"})
PROMISE_KINDS = ("refund", "credit", "bonus", "other")
# Why someone is on the list, in the order they are served: promises kept first, then a recent
# refund (money went back: an unhappy customer), first-time buyers, and the model's picks last.
KINDS = ("callback", "compensation_late", "complaint", "welcome", "winback")
PROMISED_KINDS = frozenset({"callback", "compensation_late"})  # promised to the customer: always called
FRESH_KINDS = frozenset({"welcome", "winback"})  # the calls that win customers back: a share of the cap is theirs
# The label of each churn reason, in English (shopkeep.reasons is the registry; `reasons.label` translates).
REASON_LABELS = {r.key: r.label for r in reasons.REASONS}
# Reported by shop owners after win-back calls: rules of thumb, not measured by this repo and written down
# only here (docs/ holds a screenshot, no notes). `shopkeep calls results` and the results panel of the
# call screen show the shop's own figures beside them.
PRACTICE_AGREE_RATE = 0.60
PRACTICE_CONVERSION = 0.15
PRACTICE_AOV_LIFT = 0.15

SETTINGS_KEY = "calls"


class CallSettings(BaseModel):
    """The owner's knobs for the list, stored as JSON under the `calls` setting."""

    daily_cap: int = Field(15, ge=1, le=500)
    # share of the cap kept for win-back and welcome calls, so that call-backs, late compensation and
    # refunds never crowd them out (promised calls still all come, even beyond the cap)
    fresh_share_percent: int = Field(50, ge=0, le=100)
    cooldown_days: int = Field(14, ge=0, le=365)  # nobody called within this many days, unless scheduled
    welcome_from_days: int = Field(3, ge=0, le=365)  # welcome call this many days after a first order ...
    welcome_to_days: int = Field(10, ge=0, le=365)  # ... up to this many
    complaint_days: int = Field(30, ge=1, le=365)  # a refund or cancellation this recent puts them on the list
    won_back_days: int = Field(30, ge=1, le=365)  # an order this soon after a reached call counts as won back
    min_churn_risk: float = Field(0.3, ge=0, le=1)  # retention's churn risk from which a customer is slipping
    min_orders: int = Field(2, ge=1)  # a win-back call is for customers who came back at least once
    delivery_share_percent: int = Field(15, ge=1, le=100)  # shipping above this share of spend → "delivery"
    language: Literal["en", "ru", "pl"] = "en"

    @model_validator(mode="after")
    def _welcome_window(self) -> CallSettings:
        if self.welcome_from_days > self.welcome_to_days:
            raise ValueError(_("the welcome window ends before it starts"))
        return self


def load_settings(store: Store) -> CallSettings:
    raw = store.get_setting(SETTINGS_KEY, {})
    try:
        return CallSettings.model_validate(raw)
    except ValidationError as exc:
        count = exc.error_count()
        raise ShopkeepError(
            ngettext(
                "the '{key}' settings are invalid ({n} problem)",
                "the '{key}' settings are invalid ({n} problems)",
                count,
            ).format(key=SETTINGS_KEY, n=count)
        ) from None


def save_settings(store: Store, settings: CallSettings) -> None:
    store.set_setting(SETTINGS_KEY, settings.model_dump())


# -- plain inputs ----------------------------------------------------------------------------------


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


# -- the list ----------------------------------------------------------------------------------------


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


# What a promise is, as people read it (the kind is the key).
PROMISE_LABELS = {"refund": N_("refund"), "credit": N_("credit"), "bonus": N_("bonus"), "other": N_("other")}


def _promised(promise: PromiseRecord, currency: str | None) -> str:
    kind = _(PROMISE_LABELS[promise.kind]) if promise.kind in PROMISE_LABELS else promise.kind
    if promise.amount is None:
        return kind
    if promise.kind == "bonus":
        return ngettext("bonus of {n} point", "bonus of {n} points", promise.amount).format(n=promise.amount)
    return _("{kind} of {amount}").format(kind=kind, amount=_promise_money(promise.amount, currency))


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
        score = _score(inputs.metrics.get(cid))
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
        what = _promised(promise, inputs.currency or (bought[-1].currency if bought else None))
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
    for cid, m in inputs.metrics.items():
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
    callable_items.sort(key=_rank)
    no_phone.sort(key=_rank)
    items = _within_cap(callable_items, settings)

    def reasoned(item: CallItem) -> CallItem:
        if item.kind != "winback":
            return item
        reason, evidence = suggest_reason(orders_of(item.customer_id), settings)
        why = _winback_why(inputs.metrics[item.customer_id], inputs.points.get(item.customer_id, 0), evidence)
        return replace(item, reason=reason, why=why)

    items = [reasoned(i) for i in items]
    no_phone = [reasoned(i) for i in no_phone]
    return CallList(as_of, items, no_phone, len(callable_items) - len(items), dnc)


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


# -- loading from the store ------------------------------------------------------------------------


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


def _orders(store: Store, as_of: dt.date, customer_ids: Collection[int] | None = None) -> dict[int, list[OrderRecord]]:
    """Orders up to `as_of` by customer: everyone's, or only those of `customer_ids`."""
    found: dict[int, list[OrderRecord]] = defaultdict(list)
    for row in sql.orders_until(store, day_after(as_of), customer_ids):
        found[row.customer_id].append(_order_record(row))
    return found


def _calls(store: Store, as_of: dt.date) -> list[CallRecord]:
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
            calls=_calls(store, as_of),
            promises=promises,
            orders=_orders(store, as_of),
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
            self._read[customer_id] = _orders(self._store, self._as_of, (customer_id,)).get(customer_id, [])
        return self._read[customer_id]

    def __iter__(self) -> Iterator[int]:  # only those read so far: the list never walks everyone's
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)


def _light_inputs(
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
    # Only the customers past the win-back cut are walked (issue 19: not every customer's metrics built),
    # and only those who may be offered are read as contacts.
    metrics = retention.likely_to_leave(settings.min_orders, settings.min_churn_risk)
    calls = _calls(store, as_of)
    promises = [
        PromiseRecord(row["id"], row["customer_id"], row["kind"], row["amount"], dt.date.fromisoformat(row["due_on"]))
        for row in sql.open_promises(store)
    ]
    offered = {*metrics, *recent, *(c.customer_id for c in calls), *(p.customer_id for p in promises)}
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
    )


def today_list(
    store: Store, as_of: dt.date, settings: CallSettings | None = None, *, retention: Retention | None = None
) -> CallList:
    """The list for `as_of`; pass the app's shared `retention` figures for that day to skip recomputing them.

    A day's list is computed once and kept (`call_lists`): asked again with nothing changed underneath
    (no import, call, promise, points or customer change; the same settings) it is read back, not rebuilt.
    Two versions are kept: the latest, and the first — the list the owner started the day with, replaced
    by a rebuilt one only until someone is called from it; that is the one look-back reads."""
    settings = settings or load_settings(store)
    owners = settings == load_settings(store)  # not a --limit view of it
    day = as_of.isoformat()
    with store.snapshot():
        signature = _signature(store, settings)
        latest = sql.stored_list_day(store, day, "latest")
        if latest is not None and latest["signature"] == signature:
            return _stored_list(store, latest)
        versions = ["latest"]
        if sql.stored_list_day(store, day, "first") is None or not sql.called_from_list(store, day):
            versions.append("first")
        built = build_list(_light_inputs(store, as_of, settings, retention), settings, as_of)
    if owners:
        _keep(store, built, versions, signature)
    return built


def kept_list(store: Store, as_of: dt.date) -> CallList | None:
    """The day's list as kept, when nothing it depends on changed since (see today_list), else None: read
    without the retention figures (the app shows it at once, before they are computed)."""
    settings = load_settings(store)
    with store.snapshot():
        latest = sql.stored_list_day(store, as_of.isoformat(), "latest")
        if latest is not None and latest["signature"] == _signature(store, settings):
            return _stored_list(store, latest)
    return None


def _signature(store: Store, settings: CallSettings) -> str:
    return json.dumps([*sql.list_signature(store), settings.model_dump(mode="json")])


def _keep(store: Store, built: CallList, versions: list[str], signature: str) -> None:
    """Keep the list, if the database lets us at once: an import writing meanwhile is not waited for."""
    if store.conn.in_transaction:
        return
    rows = [
        (section, n, i.customer_id, i.kind, i.reason, i.why, i.priority, i.promise_id)
        for section, items in (("call", built.items), ("no_phone", built.no_phone))
        for n, i in enumerate(items)
    ]
    patience, on_wait = store.patience, store.on_wait
    store.patience, store.on_wait = 0.2, lambda: None
    try:
        with store.write() as conn:
            sql.save_list(
                conn,
                built.as_of.isoformat(),
                versions,
                built.over_cap,
                built.do_not_call,
                signature,
                store.clock.now_iso(),
                rows,
            )
    except (StoreError, sqlite3.Error):  # busy, or read-only: the list is still right, only not kept
        pass
    finally:
        store.patience, store.on_wait = patience, on_wait


def _stored_list(store: Store, day: dict[str, Any]) -> CallList:
    sections: dict[str, list[CallItem]] = {"call": [], "no_phone": []}
    for r in sql.stored_list_items(store, day["list_date"], day["version"]):
        sections[r["section"]].append(
            CallItem(
                r["customer_id"],
                r["name"],
                r["phone"],
                r["kind"],
                r["reason"],
                r["why"],
                r["priority"],
                r["promise_id"],
                r["external_id"],
            )
        )
    as_of = dt.date.fromisoformat(day["list_date"])
    return CallList(as_of, sections["call"], sections["no_phone"], day["over_cap"], day["do_not_call"])


def stored_list(store: Store, list_date: dt.date) -> CallList | None:
    """The list the owner started that day with (as kept), None when none was kept."""
    day = sql.stored_list_day(store, list_date.isoformat(), "first")
    return None if day is None else _stored_list(store, day)


class CallQueue:
    """The list as a screen walks it: the customers still to call and which one is current."""

    def __init__(self, items: Iterable[CallItem]):
        self._items = list(items)
        self._pos = 0
        self._retried: set[int] = set()

    @property
    def items(self) -> tuple[CallItem, ...]:
        """Still to call, in calling order."""
        return tuple(self._items)

    @property
    def position(self) -> int:
        return self._pos

    @property
    def current(self) -> CallItem | None:
        return self._items[self._pos] if self._pos < len(self._items) else None

    @property
    def remaining(self) -> int:
        """Customers still to call, the current one included."""
        return len(self._items)

    def select(self, customer_id: int) -> CallItem | None:
        """Make this customer the current one (the owner picked them out of order)."""
        for pos, item in enumerate(self._items):
            if item.customer_id == customer_id:
                self._pos = pos
        return self.current

    def advance(self) -> CallItem | None:
        """Done with the current customer; returns the next (None when nobody is left)."""
        if self.current is not None:
            del self._items[self._pos]
        if self._pos >= len(self._items):
            self._pos = 0
        return self.current

    def remove(self, customer_id: int) -> bool:
        """Take a customer off the list (their call was logged elsewhere). The current customer stays
        current; when it is the one taken off, the next one is."""
        for pos, item in enumerate(self._items):
            if item.customer_id == customer_id:
                del self._items[pos]
                if pos < self._pos:
                    self._pos -= 1
                elif self._pos >= len(self._items):
                    self._pos = 0
                return True
        return False

    def put_back(self, item: CallItem) -> None:
        """A call that was not saved: the customer is back on the list, next after the current one (the
        owner may be in the middle of another call by the time the write fails)."""
        if any(i.customer_id == item.customer_id for i in self._items):
            return
        self._items.insert(self._pos + 1 if self.current is not None else len(self._items), item)

    def later(self) -> CallItem | None:
        """Try the current customer again after everyone else (a no-answer), once; returns the next."""
        item = self.current
        if item is None or item.customer_id in self._retried:
            return self.advance()
        self._retried.add(item.customer_id)
        self.advance()
        self._items.append(item)
        return self.current


# -- scripts for a customer ------------------------------------------------------------------------


def placeholders(store: Store, customer_id: int, as_of: dt.date) -> dict[str, object]:
    """The customer's facts a script is filled from (`shopkeep.scripts.spoken_values` says them in the
    script's language), as of `as_of`; the shop's name, the caller and the free-delivery threshold come
    from the settings."""
    contact = sql.contact(store, customer_id)
    if contact is None:
        raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))
    until = day_after(as_of)
    orders = [o for o in _orders(store, as_of, [customer_id]).get(customer_id, []) if o.is_sale]
    expiring = loyalty.points_expiring(store, customer_id, as_of)
    currency = shop_currency(store)  # promised money and the free-delivery threshold are in it
    promises = customer_promises(store, customer_id)  # the earliest due first: that one is owed first
    owed = promises[0] if promises else None
    free_from = store.get_setting(FREE_DELIVERY_SETTING)
    return {
        "name": contact["name"],
        "first_name": contact["first_name"],
        "last_name": contact["last_name"],
        "shop": clean_text(str(store.get_setting(SHOP_NAME_SETTING) or "")).strip() or None,
        "caller": clean_text(str(store.get_setting(CALLER_SETTING) or "")).strip() or None,
        "last_product": sql.last_products(store, until, customer_id).get(customer_id),
        "days_since": (as_of - orders[-1].ordered_at.date()).days if orders else None,
        "points": sql.points_balances(store, until, customer_id).get(customer_id, 0),
        "tier": loyalty.tier_of(store, customer_id, as_of).name,
        "points_expiring": expiring.points if expiring and expiring.points > 0 else None,
        "referral_code": contact["referral_code"],
        "currency": currency,
        "free_delivery_from": free_from if isinstance(free_from, int) and free_from > 0 else None,
        "owed_kind": owed.kind if owed else None,
        "owed_amount": owed.amount if owed and owed.kind != "bonus" else None,
        "owed_points": owed.amount if owed and owed.kind == "bonus" else None,
        "owed_description": owed.description if owed else None,
        "owed_due": owed.due_on if owed else None,
    }


def script_for(store: Store, customer_id: int, reason: str, as_of: dt.date, language: str | None = None) -> Script:
    """The script for `reason` (the owner's edit or the default) filled with this customer's data."""
    language = language or load_settings(store).language
    return render_script(load_script(store, reason, language), placeholders(store, customer_id, as_of))


# -- logging calls -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Promise:
    """Compensation promised during a call: a refund, credit or bonus due by a day."""

    kind: str
    due_on: dt.date
    amount: int | None = None  # minor units for refund/credit, points for bonus
    description: str | None = None


def _check_customer(store: Store, customer_id: int) -> None:
    if not customers_sql.customer_exists(store, customer_id):
        raise ShopkeepError(_("no customer with id {id}").format(id=customer_id))


def log_call(
    store: Store,
    customer_id: int,
    outcome: str,
    *,
    reason: str | None = None,
    offer: str | None = None,
    note: str | None = None,
    callback_on: dt.date | None = None,
    list_date: dt.date | None = None,
    promise: Promise | None = None,
) -> int:
    """Record one call, stamped by the store's clock, all in one transaction: the call, its promise, the
    cleared phone of a wrong number; the draft note is dropped. Returns the call id."""
    outcome = OUTCOME_KEYS.get(outcome, outcome)
    if outcome not in OUTCOMES:
        raise ShopkeepError(
            _("unknown call outcome {outcome!r}; use one of: {names}").format(
                outcome=outcome, names=", ".join(OUTCOMES)
            )
        )
    if reason is not None and reason not in REASONS:
        raise ShopkeepError(
            _("unknown call reason {reason!r}; use one of: {names}").format(reason=reason, names=", ".join(REASONS))
        )
    if outcome == "call_later" and callback_on is None:
        raise ShopkeepError(_("a call back needs a date"))
    if promise is not None and promise.kind not in PROMISE_KINDS:
        raise ShopkeepError(
            _("unknown promise kind {kind!r}; use one of: {names}").format(
                kind=promise.kind, names=", ".join(PROMISE_KINDS)
            )
        )
    at = store.clock.now_iso()
    values = {
        "customer_id": customer_id,
        "called_at": at,
        "outcome": outcome,
        "reason": reason,
        "offer": clean_text(offer).strip() or None if offer else None,
        "note": clean_text(note, multiline=True).strip() or None if note else None,
        "callback_on": callback_on.isoformat() if outcome == "call_later" and callback_on else None,
        "list_date": list_date.isoformat() if list_date else None,
    }
    with store.write() as conn:
        _check_customer(store, customer_id)
        call_id = sql.insert_call(conn, values)
        if outcome == "wrong_number":
            sql.clear_wrong_phone(conn, customer_id, at)
        if promise is not None:
            sql.insert_promise(
                conn,
                {
                    "customer_id": customer_id,
                    "call_id": call_id,
                    "kind": promise.kind,
                    "amount": promise.amount,
                    "description": clean_text(promise.description).strip() if promise.description else None,
                    "due_on": promise.due_on.isoformat(),
                },
            )
        sql.delete_draft(conn, customer_id)
    return call_id


def close_promise(store: Store, promise_id: int, how: str, *, points: int | None = None) -> None:
    """Mark a promise kept. With `points`, the apology bonus goes to the loyalty ledger (once)."""
    row = sql.promise(store, promise_id)
    if row is None:
        raise ShopkeepError(_("no promise with id {id}").format(id=promise_id))
    if row["closed_at"] is not None:
        raise ShopkeepError(_("promise {id} is already closed").format(id=promise_id))
    if points is not None:
        loyalty.add_points(
            store,
            row["customer_id"],
            points,
            reason="apology",
            key=f"promise:{promise_id}",
            reference=f"promise:{promise_id}",
        )
    with store.write() as conn:
        sql.close_promise(conn, promise_id, store.clock.now_iso(), clean_text(how).strip() or "closed")


def customer_promises(store: Store, customer_id: int) -> list[PromiseRecord]:
    """The customer's promises not yet kept, the earliest due first."""
    return [
        PromiseRecord(
            row["id"],
            row["customer_id"],
            row["kind"],
            row["amount"],
            dt.date.fromisoformat(row["due_on"]),
            row["description"],
        )
        for row in sql.open_promises(store, customer_id)
    ]


def promise_amount(text: str, kind: str, currency: str) -> int | None:
    """What the owner typed as the amount: points for a bonus, else money in major units of `currency`
    ('12.50', '12,50'), returned in minor units. Empty means no amount; more decimals than the
    currency has are refused."""
    text = text.strip()
    if not text:
        return None
    if kind == "bonus":
        text = text.replace(" ", "")
        if not text.isdigit() or int(text) <= 0:
            raise ShopkeepError(_("a bonus is a whole number of points above 0"))
        return int(text)
    minor = money.parse(text, currency)
    if minor <= 0:
        raise ShopkeepError(_("the amount must be above 0 {currency}").format(currency=currency.upper()))
    return minor


def _promise_money(minor: int, currency: str | None) -> str:
    """A promised amount in the shop's currency; without one (no order yet, no setting) it cannot be shown
    as money, so it says so rather than show minor units as if they were major ones."""
    if currency is None:
        return ngettext("{n} minor unit", "{n} minor units", minor).format(n=minor)
    return money.format(minor, currency, compact=True)


def promise_text(promise: PromiseRecord | Promise, currency: str | None) -> str:
    """E.g. 'refund of 25 zł due 2026-11-30' (display only)."""
    what = _promised(promise, currency)  # type: ignore[arg-type]  # a Promise has the same fields
    return _("{what} due {day}").format(what=what, day=format_date(promise.due_on))


def mark_do_not_call(store: Store, customer_id: int, flag: bool = True) -> None:
    with store.write() as conn:
        _check_customer(store, customer_id)
        sql.set_do_not_call(conn, customer_id, flag, store.clock.now_iso())


def save_draft(store: Store, customer_id: int, text: str) -> None:
    """Keep a half-typed note on disk at once; an empty text drops it."""
    with store.write() as conn:
        if text.strip():
            sql.upsert_draft(conn, customer_id, text, store.clock.now_iso())
        else:
            sql.delete_draft(conn, customer_id)


def load_draft(store: Store, customer_id: int) -> str | None:
    """The saved draft, left in place (the screen keeps saving over it)."""
    return sql.draft(store, customer_id)


def take_draft(store: Store, customer_id: int) -> str | None:
    """The saved draft, removed from the store."""
    with store.write() as conn:
        text = sql.draft(store, customer_id)
        sql.delete_draft(conn, customer_id)
    return text


# -- results -----------------------------------------------------------------------------------------


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
        calls = _calls(store, as_of)
        orders = _orders(store, as_of, {c.customer_id for c in calls})  # only the called customers' orders count
        return results_from(calls, orders, settings or load_settings(store), as_of)


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
            then = build_list(_light_inputs(store, list_date, settings), settings, list_date)
    with store.snapshot():
        calls = _calls(store, as_of)
        concerned = {i.customer_id for i in then.items} | {c.customer_id for c in calls}
        return look_back_from(then.items, calls, _orders(store, as_of, concerned), list_date, as_of)


def call_log(store: Store, as_of: dt.date) -> list[dict[str, Any]]:
    """Every call up to `as_of`, oldest first, with the customer's reference and name (for export)."""
    rows = sql.call_log(store, day_after(as_of))
    for row in rows:
        row["customer"] = reference(row["customer_id"], row.pop("external_id"))
    return rows


# -- undo --------------------------------------------------------------------------------------------


def undo_call(store: Store, call_id: int) -> str:
    """Undo a logged call by a compensating entry, never a delete: the call stays in the history, marked
    undone, and the list, the results and the card leave it out; a promise made in it is closed as undone;
    a wrong-number mark gives the customer their phone back. Returns the undone call's outcome."""
    with store.write() as conn:
        row = sql.call_row(store, call_id)
        if row is None:
            raise ShopkeepError(_("no call with id {id}").format(id=call_id))
        if row["undone"]:
            raise ShopkeepError(_("call {id} is already undone").format(id=call_id))
        at = store.clock.now_iso()
        sql.mark_undone(conn, "call", call_id, at)
        sql.close_promises_of_call(conn, call_id, at)
        if row["outcome"] == "wrong_number":
            sql.restore_wrong_phone(conn, row["customer_id"], at)
    return str(row["outcome"])
