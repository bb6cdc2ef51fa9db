"""The calling session without a screen: who is next, what is written, what comes back on an undo."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from shopkeep.call_session import CallSession, KeepPromise, LogCall, Pending, SaveDraft, perform
from shopkeep.calls import CallItem, Promise, PromiseRecord, customer_promises, today_list
from shopkeep.clock import Clock

from .helpers import AS_OF


def item(cid: int, reason: str = "forgot", promise_id: int | None = None) -> CallItem:
    kind = "callback" if promise_id else "winback"
    return CallItem(cid, f"Customer {cid}", "+48600100200", kind, reason, "slipping", 100 - cid, promise_id=promise_id)


def ids(session: CallSession) -> list[int]:
    return [i.customer_id for i in session.items]


def test_a_no_answer_is_logged_at_once_and_tried_again_after_everyone_else():
    session = CallSession([item(1), item(2), item(3)], AS_OF)
    write = session.begin("no_answer", draft="rang twice")
    assert write == LogCall(item(1), "no_answer", "forgot", None, "rang twice", None, AS_OF)
    assert ids(session) == [2, 3, 1] and session.current.customer_id == 2
    assert session.saving == 1 and session.made == 0  # made once the write commits
    session.saved(write)
    assert (session.saving, session.made) == (0, 1)


def test_anything_else_waits_for_the_note_then_takes_the_customer_off():
    session = CallSession([item(1), item(2)], AS_OF)
    pending = session.begin("will_return")
    assert pending == Pending(item(1), "will_return")
    assert not session.can_act and session.begin("no_answer") is None  # one outcome at a time
    assert session.draft("loves") == SaveDraft(1, "loves")
    write = session.finish("loves the honey")
    assert (write.outcome, write.note, write.list_date) == ("will_return", "loves the honey", AS_OF)
    assert ids(session) == [2] and session.can_act and session.draft("x") is None


def test_a_call_back_needs_its_day():
    session = CallSession([item(1)], AS_OF)
    assert session.begin("call_later") is None  # the owner left the date dialog
    assert session.can_act
    assert session.begin("call_later", callback_on=AS_OF + dt.timedelta(days=3)).callback_on == dt.date(2026, 11, 26)
    assert session.finish("") == LogCall(item(1), "call_later", "forgot", None, None, dt.date(2026, 11, 26), AS_OF)


def test_the_reason_offer_and_promise_chosen_go_with_the_call():
    session = CallSession([item(1), item(2)], AS_OF)
    offers = ["Bonus points", "Free delivery"]
    assert session.next_offer(1, len(offers)) == 0
    assert session.next_offer(1, len(offers)) == 1
    assert session.switch_reason(item(1), "delivery")
    assert session.offer_of(1) is None  # another script, other offers
    assert not session.switch_reason(item(1), "delivery")
    session.next_offer(1, len(offers))
    promise = Promise("refund", AS_OF + dt.timedelta(days=7), 2550)
    session.promise(1, promise)
    write = session.begin("not_interested")
    assert isinstance(write, Pending)
    write = session.finish(None, offers)
    assert (write.reason, write.offer, write.promise) == ("delivery", "Bonus points", promise)
    assert session.promising(1) is None


def test_a_wrong_number_confirmed_late_is_logged_only_for_the_customer_still_current():
    session = CallSession([item(1), item(2)], AS_OF)
    session.select(2)
    assert session.log_now(item(1), "wrong_number") is None
    assert session.log_now(item(2), "wrong_number").outcome == "wrong_number"
    assert ids(session) == [1]


def test_a_write_that_fails_puts_the_customer_back_with_the_promise():
    session = CallSession([item(1), item(2), item(3)], AS_OF)
    promise = Promise("bonus", AS_OF, 50)
    session.promise(1, promise)
    write = session.begin("wrong_number")
    session.begin("no_answer")  # the owner goes on calling while the first write fails
    session.not_saved(write)
    assert ids(session) == [3, 1, 2]  # next after the current one
    assert not session.is_logged(1) and session.promising(1) == promise
    assert (session.saving, session.made) == (1, 0)


def test_undo_and_a_call_logged_on_a_card():
    session = CallSession([item(1), item(2), item(3)], AS_OF, no_phone=[item(9)])
    write = session.begin("wrong_number")
    session.saved(write)
    assert session.undone(1) and ids(session) == [2, 1, 3] and session.made == 0
    assert session.current.customer_id == 1  # a wrong key undone: that customer is the one to call now
    assert not session.undone(1)  # once
    assert session.logged_elsewhere(3, "will_return") and ids(session) == [2, 1] and session.made == 1
    assert not session.logged_elsewhere(2, "no_answer")  # nobody answered: still to call
    session.begin("will_return")
    assert not session.logged_elsewhere(1, "not_interested")  # the owner is typing their note here
    assert session.logged_elsewhere(9, "message_sent") is False and session.no_phone_left() == []
    assert session.undone(9) is False and session.no_phone_left() == [item(9)]


def test_g_closes_the_promise_that_put_them_on_the_list_else_the_earliest_due():
    session = CallSession([item(1, promise_id=7)], AS_OF)
    late = PromiseRecord(5, 1, "credit", 1000, AS_OF - dt.timedelta(days=2))
    callback = PromiseRecord(7, 1, "bonus", 40, AS_OF + dt.timedelta(days=5))
    later = PromiseRecord(8, 1, "refund", 500, AS_OF + dt.timedelta(days=9))
    assert session.give([late, callback, later]) == KeepPromise(callback)
    assert session.give([late, later]) == KeepPromise(late)
    assert session.give([later]) is None  # not due yet
    assert KeepPromise(callback).points == 40 and KeepPromise(late).points is None
    session.begin("will_return")
    assert session.give([late]) is None  # not while a note is being typed
    session.kept(7)
    assert session.promise_kept(item(1, promise_id=7))


def test_the_writes_are_made_by_the_core(shop):
    shop.clock = Clock.frozen("2026-11-23", dt.time(10, 30))
    session = CallSession(today_list(shop, AS_OF).items, AS_OF)
    first = session.current
    session.promise(first.customer_id, Promise("bonus", AS_OF, 25))
    session.begin("will_return")
    call_id = perform(shop, session.finish("soon"))
    row = shop.one("SELECT customer_id, outcome, note, called_at, list_date FROM calls WHERE id = ?", (call_id,))
    assert row == {
        "customer_id": first.customer_id,
        "outcome": "will_return",
        "note": "soon",
        "called_at": "2026-11-23T10:30:00",
        "list_date": "2026-11-23",
    }
    [promise] = customer_promises(shop, first.customer_id)
    assert perform(shop, KeepPromise(promise)) is None
    assert customer_promises(shop, first.customer_id) == []
    balance = "SELECT sum(delta) FROM loyalty_ledger WHERE customer_id = ? AND reason = 'apology'"
    assert shop.scalar(balance, (first.customer_id,)) == 25


OUTCOMES = ["no_answer", "will_return", "not_interested", "call_later", "wrong_number"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=12), st.lists(st.sampled_from(OUTCOMES), min_size=60, max_size=60))
def test_every_customer_leaves_the_list_once_after_one_answer_or_two_no_answers(n, keys):
    customers = [item(cid) for cid in range(1, n + 1)]
    session = CallSession(customers, AS_OF)
    writes: list[LogCall] = []
    for key in keys:
        if session.current is None:
            break
        step = session.begin(key, callback_on=AS_OF + dt.timedelta(days=1))
        write = session.finish("ok") if isinstance(step, Pending) else step
        assert isinstance(write, LogCall)
        session.saved(write)
        tried_before = any(w.customer_id == write.customer_id for w in writes)
        writes.append(write)
        if write.outcome == "no_answer" and not tried_before:
            assert ids(session)[-1] == write.customer_id  # tried again after everyone else
        else:
            assert write.customer_id not in ids(session)  # off the list
    by_customer: dict[int, list[str]] = {}
    for w in writes:
        by_customer.setdefault(w.customer_id, []).append(w.outcome)
    for cid, outcomes in by_customer.items():
        finished = [["no_answer", "no_answer"], *(["no_answer", o] for o in OUTCOMES[1:]), *([o] for o in OUTCOMES[1:])]
        assert outcomes in finished or (outcomes == ["no_answer"] and cid in ids(session)), outcomes
    gone = {w.customer_id for w in writes} - set(ids(session))
    assert set(ids(session)) | gone == {c.customer_id for c in customers}
    assert session.made == len(writes) and session.saving == 0
    if session.current is None:
        assert set(by_customer) == {c.customer_id for c in customers}  # nobody skipped


class Session(RuleBasedStateMachine):
    """The owner presses keys, writes commit or fail, calls are undone, in any order: the session's
    counters and list always agree with the writes that were made."""

    def __init__(self) -> None:
        super().__init__()
        self.customers = [item(cid) for cid in range(1, 7)]
        self.session = CallSession(self.customers, AS_OF)
        self.in_flight: list[LogCall] = []
        self.committed: dict[int, LogCall] = {}  # the last committed call of each customer, not undone
        self.made = 0

    def _step(self, step: LogCall | Pending | None) -> None:
        if isinstance(step, LogCall):
            self.in_flight.append(step)

    @rule(key=st.sampled_from(OUTCOMES))
    def press(self, key: str) -> None:
        self._step(self.session.begin(key, callback_on=AS_OF + dt.timedelta(days=2)))

    @precondition(lambda self: self.session.pending is not None)
    @rule(note=st.one_of(st.none(), st.text(max_size=5)))
    def note(self, note: str | None) -> None:
        self._step(self.session.finish(note))

    @rule(cid=st.integers(min_value=1, max_value=6))
    def pick(self, cid: int) -> None:
        self.session.select(cid)

    @precondition(lambda self: self.in_flight)
    @rule(ok=st.booleans(), which=st.integers(min_value=0, max_value=5))
    def write_ends(self, ok: bool, which: int) -> None:
        write = self.in_flight.pop(which % len(self.in_flight))
        if ok:
            self.session.saved(write)
            self.committed[write.customer_id] = write
            self.made += 1
        else:
            self.session.not_saved(write)

    @precondition(lambda self: self.committed)
    @rule(which=st.integers(min_value=0, max_value=5))
    def undo(self, which: int) -> None:
        cid = sorted(self.committed)[which % len(self.committed)]
        assert self.session.undone(cid)
        del self.committed[cid]
        self.made -= 1
        assert cid in ids(self.session)  # back on the list (or still there, to be tried again)

    @invariant()
    def counters_agree_with_the_writes(self) -> None:
        assert self.session.saving == len(self.in_flight)
        assert self.session.made == self.made

    @invariant()
    def nobody_is_twice_on_the_list_and_nobody_new(self) -> None:
        on_list = ids(self.session)
        assert len(on_list) == len(set(on_list))
        assert set(on_list) <= {c.customer_id for c in self.customers}

    @invariant()
    def nobody_leaves_the_list_without_a_call(self) -> None:
        gone = {c.customer_id for c in self.customers} - set(ids(self.session))
        assert gone <= set(self.committed) | {w.customer_id for w in self.in_flight}


TestSessionMachine = Session.TestCase
TestSessionMachine.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
