"""Issue 19: a day's call list is computed once and kept; the same day reads it back, look-back reads the
list as it was; reasons are worked out only for the customers who make the daily cap."""

from __future__ import annotations

import datetime as dt

import pytest

from shopkeep import calls
from shopkeep.calls import CallSettings, ListInputs, build_list, log_call, look_back, mark_do_not_call, today_list
from shopkeep.clock import Clock

from .helpers import AS_OF, Metrics, contact


def _refuse_to_build(*args, **kwargs):
    raise AssertionError("the list was rebuilt")


def test_the_same_day_reads_the_kept_list_back(shop, monkeypatch):
    first = today_list(shop, AS_OF)
    assert shop.scalar("SELECT count(*) FROM call_lists WHERE list_date = ?", (AS_OF.isoformat(),)) == 3
    monkeypatch.setattr(calls, "build_list", _refuse_to_build)
    again = today_list(shop, AS_OF)
    assert again == first


def test_a_change_before_anyone_is_called_rebuilds_the_list(shop):
    assert [i.customer_id for i in today_list(shop, AS_OF).items] == [2, 1]
    mark_do_not_call(shop, 2)
    assert [i.customer_id for i in today_list(shop, AS_OF).items] == [1]
    kept = calls.stored_list(shop, AS_OF)
    assert [i.customer_id for i in kept.items] == [1]


def test_look_back_reads_the_list_as_it_was_that_day(shop):
    shop.clock = Clock.frozen(AS_OF.isoformat(), dt.time(9))
    assert [i.customer_id for i in today_list(shop, AS_OF).items] == [2, 1]
    log_call(shop, 1, "w", reason="forgot", list_date=AS_OF)
    mark_do_not_call(shop, 2)  # later: rebuilt as of that day, customer 2 would not be on it
    assert calls.stored_list(shop, AS_OF) is not None
    assert [i.customer_id for i in today_list(shop, AS_OF).items] == []  # today, live
    assert [i.customer_id for i in calls.stored_list(shop, AS_OF).items] == [2, 1]  # the day's list stays
    back = look_back(shop, 3, AS_OF + dt.timedelta(days=3))
    assert back.listed == 2


def test_look_back_rebuilds_a_day_without_a_kept_list(shop):
    back = look_back(shop, 3, AS_OF + dt.timedelta(days=3))
    assert back.listed == 2
    assert calls.stored_list(shop, AS_OF) is None  # looking back keeps nothing


def test_reasons_are_worked_out_only_for_those_who_make_the_cut(monkeypatch):
    asked = []
    real = calls.suggest_reason

    def counting(orders, settings, **kw):
        asked.append(1)
        return real(orders, settings, **kw)

    monkeypatch.setattr(calls, "suggest_reason", counting)
    metrics = {cid: Metrics(cid, revenue=1000 * cid) for cid in range(1, 201)}
    contacts = {cid: contact(cid) for cid in metrics}
    result = build_list(ListInputs(metrics=metrics, contacts=contacts), CallSettings(daily_cap=5), AS_OF)
    assert [i.customer_id for i in result.items] == [200, 199, 198, 197, 196]
    assert all(i.reason == "forgot" and i.why for i in result.items)
    assert result.over_cap == 195
    assert len(asked) == 5


@pytest.fixture(autouse=True)
def _no_wall_clock(shop):
    shop.clock = Clock.frozen(AS_OF.isoformat(), dt.time(8))
