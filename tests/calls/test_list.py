from __future__ import annotations

import datetime as dt

from shopkeep.calls import CallRecord, CallSettings, ListInputs, PromiseRecord, build_list, suggest_reason

from .helpers import AS_OF, Metrics, contact, day, order

SETTINGS = CallSettings()


def _build(metrics=(), contacts=None, settings=SETTINGS, **kw):
    metrics = {m.id: m for m in metrics}
    contacts = contacts or {cid: contact(cid) for cid in metrics}
    return build_list(ListInputs(metrics=metrics, contacts=contacts, **kw), settings, AS_OF)


def test_slipping_customer_with_plain_words_why():
    result = _build([Metrics(1)], points={1: 340})
    [item] = result.items
    assert item.kind == "winback"
    assert item.reason == "forgot"
    assert (
        item.why
        == "usually orders every 24 days; 61 days since the last order; spent €1,240 in 9 orders; 340 points waiting"
    )


def test_ranked_by_value_times_risk_and_winnable_before_long_lost():
    result = _build(
        [
            Metrics(1, revenue=50_000, churn_risk=0.9),
            Metrics(2, revenue=100_000, churn_risk=0.9),
            # worth more, but 20 usual gaps overdue: long lost, ranks below the recently overdue
            Metrics(3, revenue=150_000, churn_risk=0.95, recency_days=480),
            Metrics(4, revenue=900_000, churn_risk=0.2),  # not slipping
            Metrics(5, orders=1, churn_risk=0.9),  # one order only: not a win-back
        ]
    )
    assert [i.customer_id for i in result.items] == [2, 1, 3]


def test_daily_cap():
    result = _build([Metrics(i, revenue=1000 * i) for i in range(1, 21)], settings=CallSettings(daily_cap=5))
    assert [i.customer_id for i in result.items] == [20, 19, 18, 17, 16]
    assert result.over_cap == 15


def test_do_not_call_never_listed_even_when_scheduled():
    calls = [CallRecord(1, day(5), "call_later", callback_on=AS_OF)]
    result = _build([Metrics(1), Metrics(2)], contacts={1: contact(1, do_not_call=True), 2: contact(2)}, calls=calls)
    assert [i.customer_id for i in result.items] == [2]
    assert result.do_not_call == 1
    assert result.no_phone == []


def test_recently_called_skipped_unless_scheduled():
    calls = [
        CallRecord(1, day(13), "not_interested"),  # within 14 days
        CallRecord(2, day(14), "no_answer"),  # exactly 14 days ago: free again
        CallRecord(3, day(2), "call_later", callback_on=AS_OF - dt.timedelta(days=1)),  # overdue call-back
        CallRecord(4, day(3), "call_later", callback_on=AS_OF + dt.timedelta(days=1)),  # tomorrow
    ]
    result = _build([Metrics(i) for i in (1, 2, 3, 4)], calls=calls)
    assert {i.customer_id: i.kind for i in result.items} == {3: "callback", 2: "winback"}


def test_callbacks_beat_the_model_and_the_cap():
    calls = [CallRecord(9, day(7), "call_later", reason="delivery", callback_on=AS_OF)]
    metrics = [Metrics(i, revenue=1_000_000) for i in range(1, 4)] + [Metrics(9, revenue=100, churn_risk=0.1)]
    result = _build(metrics, calls=calls, settings=CallSettings(daily_cap=2))
    first = result.items[0]
    assert (first.customer_id, first.kind, first.reason) == (9, "callback", "delivery")
    assert first.why == "asked to be called back today"
    assert len(result.items) == 2


def test_crowded_day_keeps_half_the_cap_for_win_backs_and_welcomes():
    # 5 call-backs, 1 late compensation and 5 refunds would fill a cap of 10 with no win-back at all
    callbacks = [CallRecord(cid, day(7), "call_later", callback_on=AS_OF) for cid in range(1, 6)]
    promises = [PromiseRecord(1, 6, "refund", 2500, AS_OF - dt.timedelta(days=1))]
    orders = {cid: [order(cid, 90), order(cid, 10, status="refunded", refunded=10_000)] for cid in range(7, 12)}
    orders[12] = [order(12, 5)]  # a first-time buyer to welcome
    winbacks = [Metrics(cid, revenue=1000 * cid) for cid in range(20, 30)]
    contacts = {cid: contact(cid) for cid in [*range(1, 13), *range(20, 30)]}
    result = _build(winbacks, contacts, CallSettings(daily_cap=10), calls=callbacks, promises=promises, orders=orders)
    kinds = [i.kind for i in result.items]
    # everything promised comes; the 5 places kept for winning customers back go to the welcome and the
    # 4 most valuable win-backs; the refunds wait for another day, and the list runs over the cap by one
    assert kinds == ["callback"] * 5 + ["compensation_late"] + ["welcome"] + ["winback"] * 4
    assert [i.customer_id for i in result.items if i.kind == "winback"] == [29, 28, 27, 26]
    assert result.over_cap == 5 + 6


def test_free_places_go_to_refunds_then_more_win_backs():
    orders = {cid: [order(cid, 90), order(cid, 10, status="refunded", refunded=10_000)] for cid in range(1, 4)}
    contacts = {cid: contact(cid) for cid in [1, 2, 3, 20, 21, 22, 23]}
    winbacks = [Metrics(cid) for cid in (20, 21, 22, 23)]
    result = _build(winbacks, contacts, CallSettings(daily_cap=6), orders=orders)
    assert [i.kind for i in result.items] == ["complaint"] * 3 + ["winback"] * 3
    only_one_winback = _build(winbacks[:1], contacts, CallSettings(daily_cap=6), orders=orders)
    assert [i.kind for i in only_one_winback.items] == ["complaint"] * 3 + ["winback"]


def test_a_later_call_supersedes_the_callback():
    calls = [
        CallRecord(1, day(10), "call_later", callback_on=AS_OF),
        CallRecord(1, day(1), "will_return"),
    ]
    assert _build([Metrics(1)], calls=calls).items == []


def test_customers_without_phone_listed_apart():
    contacts = {1: contact(1, phone=None), 2: contact(2)}
    result = _build([Metrics(1), Metrics(2)], contacts=contacts)
    assert [i.customer_id for i in result.items] == [2]
    assert [i.customer_id for i in result.no_phone] == [1]


def test_welcome_calls_window():
    orders = {cid: [order(cid, age)] for cid, age in ((1, 2), (2, 3), (3, 10), (4, 11))}
    orders[5] = [order(5, 5), order(5, 4)]  # second order already: not a first-time buyer
    orders[6] = [order(6, 5)]
    calls = [CallRecord(6, day(4), "welcomed")]  # already welcomed
    contacts = {cid: contact(cid) for cid in orders}
    result = _build(contacts=contacts, orders=orders, calls=calls)
    welcome = {i.customer_id: i for i in result.items}
    assert set(welcome) == {2, 3}
    assert welcome[2].reason == "first_purchase"
    assert welcome[3].why == "first order 10 days ago; ask how it went"


def test_compensation_late_back_on_list_even_if_called_recently():
    calls = [CallRecord(1, day(6), "will_return", reason="let_down")]
    promises = [
        PromiseRecord(7, 1, "refund", 2500, AS_OF - dt.timedelta(days=2)),
        PromiseRecord(8, 2, "bonus", 200, AS_OF + dt.timedelta(days=1)),  # not due yet
    ]
    contacts = {1: contact(1), 2: contact(2)}
    orders = {1: [order(1, 40, 2500)]}
    result = _build(contacts=contacts, calls=calls, promises=promises, orders=orders)
    [item] = result.items
    assert (item.customer_id, item.kind, item.reason, item.promise_id) == (1, "compensation_late", "compensation", 7)
    assert item.why == "promised refund of €25: 2 days late"


def test_recent_refund_puts_customer_on_list_until_called():
    orders = {
        1: [order(1, 90), order(1, 20, status="refunded", refunded=10_000)],
        2: [order(2, 200, status="refunded")],  # long ago
        3: [order(3, 90), order(3, 10, status="cancelled"), order(3, 9, status="voided")],  # no money went back
        4: [order(4, 90), order(4, 12, refunded=2_000)],
        5: [order(5, 90), order(5, 8, -3_000, kind="credit")],
    }
    contacts = {cid: contact(cid) for cid in orders}
    result = _build(contacts=contacts, orders=orders)
    assert [(i.customer_id, i.kind, i.reason, i.why) for i in result.items] == [
        (1, "complaint", "let_down", f"order of {day(20).date()} was refunded"),
        (4, "complaint", "let_down", f"order of {day(12).date()} was partly refunded"),
        (5, "complaint", "let_down", f"credit note of {day(8).date()}: money went back"),
    ]
    called = _build(contacts=contacts, orders=orders, calls=[CallRecord(1, day(15), "will_return")])
    assert 1 not in [i.customer_id for i in called.items]


def test_orders_and_calls_after_as_of_are_ignored():
    future = AS_OF + dt.timedelta(days=1)
    calls = [CallRecord(1, dt.datetime.combine(future, dt.time(9)), "will_return")]
    result = _build([Metrics(1)], calls=calls, orders={2: [order(2, -1)]}, contacts={1: contact(1), 2: contact(2)})
    assert [i.customer_id for i in result.items] == [1]


def test_suggested_reason_from_the_orders():
    s = SETTINGS
    assert suggest_reason([order(1, 90), order(1, 60, status="cancelled")], s)[0] == "let_down"
    assert suggest_reason([order(1, 90, shipping=2000), order(1, 60, shipping=1000)], s) == (
        "delivery",
        "delivery was 15% of what they paid",
    )
    assert suggest_reason([order(1, 90, discount=500), order(1, 60, discount_code="SALE")], s)[0] == "prices"
    assert suggest_reason([order(1, 90, city="Kraków"), order(1, 60, city="Gdańsk")], s)[0] == "moved"
    assert suggest_reason([order(1, 90, city="Kraków"), order(1, 60, city=" kraków")], s)[0] == "forgot"
    assert suggest_reason([order(1, 90)], s, promise_late=True)[0] == "compensation"
