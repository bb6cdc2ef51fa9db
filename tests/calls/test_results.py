from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.calls import CallItem, CallRecord, CallSettings, look_back_from, results_from

from .helpers import AS_OF, day, order

SETTINGS = CallSettings()


def _call(cid: int, days_ago: int, outcome: str = "will_return", reason: str | None = "forgot") -> CallRecord:
    return CallRecord(cid, day(days_ago, hour=10), outcome, reason)


@pytest.mark.parametrize(("gap", "won"), [(29, 1), (30, 1), (31, 0)])
def test_order_within_30_days_of_a_reached_call_is_won_back(gap, won):
    calls = [_call(1, 40)]
    orders = {1: [order(1, 100), order(1, 40 - gap)]}
    assert results_from(calls, orders, SETTINGS, AS_OF).won_back == won


def test_no_answer_and_wrong_number_never_count():
    calls = [_call(1, 40, "no_answer"), _call(2, 40, "wrong_number")]
    orders = {1: [order(1, 35)], 2: [order(2, 35)]}
    r = results_from(calls, orders, SETTINGS, AS_OF)
    assert (r.calls, r.reached, r.won_back, r.reach_rate) == (2, 0, 0, 0.0)


def test_orders_after_as_of_are_ignored():
    calls = [_call(1, 10)]
    orders = {1: [order(1, -3)]}  # three days after "as of"
    assert results_from(calls, orders, SETTINGS, AS_OF).won_back == 0
    later = AS_OF + dt.timedelta(days=5)
    assert results_from(calls, orders, SETTINGS, later).won_back == 1


def test_order_before_the_call_or_cancelled_does_not_count():
    calls = [_call(1, 40)]
    orders = {1: [order(1, 41), order(1, 30, status="cancelled")]}
    assert results_from(calls, orders, SETTINGS, AS_OF).won_back == 0


def test_one_order_wins_back_only_the_latest_reached_call():
    calls = [_call(1, 40, "not_interested"), _call(1, 20, "will_return")]
    r = results_from(calls, {1: [order(1, 10)]}, SETTINGS, AS_OF)
    assert r.won_back == 1
    assert r.per_reason[0].won_back == 1


def test_rates_aov_lift_and_per_reason():
    calls = [
        _call(1, 60, "will_return", "delivery"),
        _call(2, 60, "will_return", "delivery"),
        _call(3, 60, "not_interested", "prices"),
        _call(4, 60, "no_answer", "delivery"),
    ]
    orders = {
        1: [order(1, 200, 10_000), order(1, 100, 10_000), order(1, 50, 11_500)],  # earlier AOV 100, won 115
        2: [order(2, 300, 8_000), order(2, 55, 9_200)],  # earlier AOV 80, won 92
        3: [order(3, 200)],
    }
    r = results_from(calls, orders, SETTINGS, AS_OF)
    assert (r.calls, r.reached, r.agreed, r.won_back) == (4, 3, 2, 2)
    assert r.agree_rate == pytest.approx(2 / 3)
    assert r.conversion == pytest.approx(0.5)
    assert r.aov_lift == pytest.approx(0.15)
    by_reason = {row.reason: (row.calls, row.reached, row.won_back) for row in r.per_reason}
    assert by_reason == {"delivery": (3, 2, 2), "prices": (1, 1, 0)}


def test_no_calls_gives_no_rates():
    r = results_from([], {}, SETTINGS, AS_OF)
    assert (r.reach_rate, r.agree_rate, r.conversion, r.aov_lift) == (None, None, None, None)


def test_look_back_by_reason_and_outcome():
    list_date = AS_OF - dt.timedelta(days=30)
    items = [
        CallItem(1, "A", "+1", "winback", "delivery", "", 0),
        CallItem(2, "B", "+1", "winback", "delivery", "", 0),
        CallItem(3, "C", "+1", "winback", "forgot", "", 0),
    ]
    calls = [
        CallRecord(1, day(30, 11), "will_return", "delivery", list_date=list_date),
        CallRecord(2, day(29, 11), "no_answer", "delivery"),
        CallRecord(4, day(30, 12), "will_return", "prices", list_date=list_date),  # called from that list
    ]
    orders = {1: [order(1, 20)], 3: [order(3, 31), order(3, 5)], 4: [order(4, 40)]}
    lb = look_back_from(items, calls, orders, list_date, AS_OF)
    assert (lb.listed, lb.came_back) == (4, 2)
    assert {(r.label, r.listed, r.came_back) for r in lb.by_reason} == {
        ("delivery", 2, 1),
        ("forgot", 1, 1),
        ("prices", 1, 0),
    }
    assert {(r.label, r.listed, r.came_back) for r in lb.by_outcome} == {
        ("will_return", 2, 1),
        ("no_answer", 1, 0),
        ("not called", 1, 1),
    }
