"""A calling session: the owner working down today's list, one customer after another.

The rules of the session, with no screen and no database: who is current, the reason and offer the owner
picked for each customer, the promise they are making, which outcome keeps someone on the list (a
no-answer is tried again after everyone else, once; anything else takes them off), which open promise
`g` closes, and how a call is stamped (with the list's day). `CallSession` holds that state and RETURNS
the writes to make (`LogCall`, `KeepPromise`, `SaveDraft`); whoever drives it (the Today screen) performs
them with the core functions (`perform` below, in a worker) and reports back with `saved`/`not_saved`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shopkeep.calls import CallItem, CallQueue, Promise, PromiseRecord, close_promise, log_call, save_draft
from shopkeep.store import Store

RETRIED = "no_answer"  # tried again after everyone else (once); every other outcome takes them off the list
WITH_NOTE = frozenset({"will_return", "not_interested", "call_later"})  # the owner types a note before it is logged
NEEDS_DAY = "call_later"  # needs the day to call back


@dataclass(frozen=True)
class CallOutcome:
    """A call logged by hand for one customer (the card's call dialog, its outcome keys), for `log_call`."""

    outcome: str
    reason: str | None = None
    note: str | None = None
    callback_on: dt.date | None = None


@dataclass(frozen=True)
class Pending:
    """An outcome chosen, waiting for the optional note."""

    item: CallItem
    outcome: str
    callback_on: dt.date | None = None


@dataclass(frozen=True)
class LogCall:
    """Log one call (`shopkeep.calls.log_call`): what happened, with the reason and offer in use."""

    item: CallItem
    outcome: str
    reason: str
    offer: str | None
    note: str | None
    callback_on: dt.date | None
    list_date: dt.date  # the day of the list the call was made from
    promise: Promise | None = None

    @property
    def customer_id(self) -> int:
        return self.item.customer_id


@dataclass(frozen=True)
class KeepPromise:
    """Mark an open promise given (`shopkeep.calls.close_promise`); a bonus adds its points."""

    promise: PromiseRecord

    @property
    def points(self) -> int | None:
        return self.promise.amount if self.promise.kind == "bonus" else None


@dataclass(frozen=True)
class SaveDraft:
    """Keep the half-typed note of a call not yet logged."""

    customer_id: int
    text: str


Write = LogCall | KeepPromise | SaveDraft


def perform(store: Store, write: Write) -> int | None:
    """Make one write the session asked for; returns the call id of a logged call."""
    if isinstance(write, LogCall):
        return log_call(
            store,
            write.customer_id,
            write.outcome,
            reason=write.reason,
            offer=write.offer,
            note=write.note,
            callback_on=write.callback_on,
            list_date=write.list_date,
            promise=write.promise,
        )
    if isinstance(write, KeepPromise):
        close_promise(store, write.promise.id, "given", points=write.points)
    else:
        save_draft(store, write.customer_id, write.text)
    return None


class CallSession:
    """Today's list as the owner calls down it. `as_of` is the list's day; `no_phone` the customers who
    would be on it but have no phone (messaged instead)."""

    def __init__(self, items: Iterable[CallItem], as_of: dt.date, no_phone: Sequence[CallItem] = ()) -> None:
        self.as_of = as_of
        self.queue = CallQueue(items)
        self.no_phone = tuple(no_phone)
        self.pending: Pending | None = None
        self.made = 0  # calls whose write has committed (here, or on a card for someone on the list)
        self.saving = 0  # calls handed to the writer, not yet committed
        self._reasons: dict[int, str] = {}  # the reason the owner switched to, by customer
        self._offers: dict[int, int] = {}  # the offer chosen, by customer (index into the offers shown)
        self._promised: dict[int, Promise] = {}  # made during the call, saved with its next logged call
        self._logged: set[int] = set()  # customers whose call was logged (its write may still be running)
        self._off_list: dict[int, CallItem] = {}  # off the list by a saved call: back on it when undone
        self._kept: set[int] = set()  # promise ids marked given in this session
        self._messaged: set[int] = set()  # customers without a phone whose message was logged as sent

    # -- reading ---------------------------------------------------------------------------------------

    @property
    def current(self) -> CallItem | None:
        return self.queue.current

    @property
    def items(self) -> tuple[CallItem, ...]:
        """Still to call, in calling order."""
        return self.queue.items

    @property
    def position(self) -> int:
        return self.queue.position

    @property
    def remaining(self) -> int:
        return self.queue.remaining

    @property
    def can_act(self) -> bool:
        """Someone to call and no outcome waiting for its note: the outcome, reason, offer keys work."""
        return self.current is not None and self.pending is None

    def reason_of(self, item: CallItem) -> str:
        """The reason in use: the owner's pick, else the suggested one."""
        return self._reasons.get(item.customer_id, item.reason)

    def offer_of(self, customer_id: int) -> int | None:
        """The offer chosen (its position among those shown), None when none is."""
        return self._offers.get(customer_id)

    def promising(self, customer_id: int) -> Promise | None:
        """The promise being made to this customer, saved with their next logged call."""
        return self._promised.get(customer_id)

    def is_logged(self, customer_id: int) -> bool:
        return customer_id in self._logged

    def promise_kept(self, item: CallItem) -> bool:
        """The promise that put this customer on the list was marked given today."""
        return item.promise_id is not None and item.promise_id in self._kept

    def no_phone_left(self) -> list[CallItem]:
        """Customers without a phone whose message has not been logged as sent."""
        return [i for i in self.no_phone if i.customer_id not in self._messaged]

    # -- the owner's choices ---------------------------------------------------------------------------

    def select(self, customer_id: int) -> bool:
        """The owner picked this customer out of order (not while a note is being typed). True if it moved."""
        current = self.current
        if self.pending is not None or (current is not None and current.customer_id == customer_id):
            return False
        self.queue.select(customer_id)
        return True

    def switch_reason(self, item: CallItem, reason: str) -> bool:
        """Another reason, hence another script (and no offer chosen in it yet). True if it changed."""
        if reason == self.reason_of(item):
            return False
        self._reasons[item.customer_id] = reason
        self._offers.pop(item.customer_id, None)
        return True

    def next_offer(self, customer_id: int, shown: int) -> int | None:
        """The next of the `shown` offers for this customer; after the last, none. Returns the choice."""
        chosen = self._offers.get(customer_id)
        following = 0 if chosen is None else chosen + 1
        if following >= shown:
            self._offers.pop(customer_id, None)
            return None
        self._offers[customer_id] = following
        return following

    def forget_offers(self) -> None:
        """The scripts changed (edited, another language): the offers chosen may not be there any more."""
        self._offers.clear()

    def promise(self, customer_id: int, promise: Promise) -> None:
        self._promised[customer_id] = promise

    # -- outcomes --------------------------------------------------------------------------------------

    def begin(
        self, outcome: str, *, callback_on: dt.date | None = None, draft: str | None = None, offers: Sequence[str] = ()
    ) -> LogCall | Pending | None:
        """The owner pressed an outcome key for the current customer. A no-answer or a wrong number is
        logged at once (with the draft note, if any): the write is returned. Will return, not interested
        and call later (which needs `callback_on`) wait for the note: the pending outcome is returned.
        None when there is nothing to do (nobody current, a note already being typed, no call-back day)."""
        item = self.current
        if item is None or self.pending is not None or (outcome == NEEDS_DAY and callback_on is None):
            return None
        if outcome in WITH_NOTE:
            self.pending = Pending(item, outcome, callback_on)
            return self.pending
        return self._log(Pending(item, outcome), draft, offers)

    def finish(self, note: str | None, offers: Sequence[str] = ()) -> LogCall | None:
        """The note typed (or skipped: None) for the pending outcome: the call to log."""
        if self.pending is None:
            return None
        return self._log(self.pending, note, offers)

    def log_now(
        self, item: CallItem, outcome: str, draft: str | None = None, offers: Sequence[str] = ()
    ) -> LogCall | None:
        """`begin` for an outcome the owner confirmed first (a wrong number): only if `item` is still the
        current customer and no note is being typed."""
        current = self.current
        if current is None or current.customer_id != item.customer_id:
            return None
        write = self.begin(outcome, draft=draft, offers=offers)
        return write if isinstance(write, LogCall) else None

    def draft(self, text: str) -> SaveDraft | None:
        """The note being typed, to keep until the call is logged."""
        return None if self.pending is None else SaveDraft(self.pending.item.customer_id, text)

    def _log(self, pending: Pending, note: str | None, offers: Sequence[str]) -> LogCall:
        """The call to write, and on to the next customer at once: a no-answer is tried again later (once),
        anything else takes the customer off the list. It counts as made once its write is `saved`."""
        item = pending.item
        chosen = self._offers.get(item.customer_id)
        offer = offers[chosen] if chosen is not None and chosen < len(offers) else None
        write = LogCall(
            item=item,
            outcome=pending.outcome,
            reason=self.reason_of(item),
            offer=offer,
            note=note or None,
            callback_on=pending.callback_on,
            list_date=self.as_of,
            promise=self._promised.pop(item.customer_id, None),
        )
        self._logged.add(item.customer_id)
        self.pending = None
        self.saving += 1
        if pending.outcome == RETRIED:
            self.queue.later()
        else:
            self.queue.advance()
        return write

    # -- what the writes did ---------------------------------------------------------------------------

    def saved(self, write: LogCall) -> None:
        """The call's write committed."""
        self._off_list[write.customer_id] = write.item
        self.saving -= 1
        self.made += 1

    def not_saved(self, write: LogCall) -> None:
        """The call's write failed: the customer is back on the list (next after the current one), with the
        promise that was to go with it."""
        self.saving -= 1
        self._logged.discard(write.customer_id)
        if write.promise is not None:
            self._promised.setdefault(write.customer_id, write.promise)
        self.queue.put_back(write.item)

    def logged_elsewhere(self, customer_id: int, outcome: str) -> bool:
        """A call logged on a customer's card: that customer is off the list as if it were logged here,
        unless nobody answered or the owner is typing this customer's note here. True if the list changed."""
        if outcome == "message_sent":
            self._messaged.add(customer_id)
        typing_here = self.pending is not None and self.pending.item.customer_id == customer_id
        on_list = next((i for i in self.queue.items if i.customer_id == customer_id), None)
        if outcome == RETRIED or typing_here or on_list is None or not self.queue.remove(customer_id):
            return False
        self._off_list[customer_id] = on_list
        self._logged.add(customer_id)
        self.made += 1
        return True

    def undone(self, customer_id: int) -> bool:
        """A call undone (here or on a card): the customer is back on the list as before it, and the current
        one unless a note is being typed for someone else. True if so."""
        self._messaged.discard(customer_id)
        item = self._off_list.pop(customer_id, None)
        if item is None:
            return False
        self._logged.discard(customer_id)
        self.made = max(0, self.made - 1)
        self.queue.put_back(item)
        if self.pending is None:  # the owner undid a wrong key: that customer is the one to call again, now
            self.queue.select(customer_id)
        return True

    # -- promises --------------------------------------------------------------------------------------

    def promise_due(self, promises: Sequence[PromiseRecord]) -> PromiseRecord | None:
        """Of the current customer's open `promises`, the one `g` closes: the one that put them on the list,
        else the earliest due by today (a call-back outranks a late promise on the list); None if nothing is
        due or a note is being typed."""
        item = self.current
        if item is None or self.pending is not None:
            return None
        due = [p for p in promises if p.id == item.promise_id or p.due_on <= self.as_of]
        return next((p for p in due if p.id == item.promise_id), due[0] if due else None)

    def give(self, promises: Sequence[PromiseRecord]) -> KeepPromise | None:
        """`g`: the promise to mark given, if one is due."""
        promise = self.promise_due(promises)
        return None if promise is None else KeepPromise(promise)

    def kept(self, promise_id: int) -> None:
        """A promise was marked given (here or on a card)."""
        self._kept.add(promise_id)
