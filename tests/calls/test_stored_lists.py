"""Issue 19: a day's call list is computed once and kept; the same day reads it back, look-back reads the
list as it was; reasons are worked out only for the customers who make the daily cap."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from shopkeep import calls
from shopkeep.calls import CallSettings, ListInputs, build_list, log_call, look_back, mark_do_not_call, today_list
from shopkeep.clock import Clock

from .conftest import add_customer, add_order
from .helpers import AS_OF, Metrics, contact


def _refuse_to_build(*args, **kwargs):
    raise AssertionError("the list was rebuilt")


def test_the_same_day_reads_the_kept_list_back(shop, monkeypatch):
    first = today_list(shop, AS_OF)
    kept = "SELECT count(*) FROM call_lists WHERE list_date = ? AND version = ?"
    assert shop.scalar(kept, (AS_OF.isoformat(), "first")) == 3  # two to call, one without a phone
    monkeypatch.setattr(calls.daily_list, "build_list", _refuse_to_build)
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


def test_after_a_call_the_live_list_is_kept_too_and_read_back(shop, monkeypatch):
    today_list(shop, AS_OF)
    log_call(shop, 1, "w", reason="forgot", list_date=AS_OF)
    after = today_list(shop, AS_OF)  # rebuilt once: customer 1 was just called
    assert [i.customer_id for i in after.items] == [2]
    monkeypatch.setattr(calls.daily_list, "build_list", _refuse_to_build)
    assert today_list(shop, AS_OF) == after
    assert [i.customer_id for i in calls.stored_list(shop, AS_OF).items] == [2, 1]  # what the day started with


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

    monkeypatch.setattr(calls.list_builder, "suggest_reason", counting)
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


def test_the_list_read_without_every_order_is_the_list_built_from_all_of_them(shop):
    store = shop
    """A shop of varied histories (refunds, credit notes, pending orders, single orders, calls): the list the
    command builds from recent orders plus on-demand histories equals build_list over every order."""
    rng = random.Random(19)
    statuses = ["paid"] * 8 + ["refunded", "cancelled", "partially_refunded", "pending"]
    for cid in range(101, 181):
        add_customer(store, cid, f"Customer {cid}", phone=None if cid % 13 == 0 else f"+4860010{cid:04d}")
        for n in range(rng.choice([1, 1, 2, 3, 6, 12])):
            status = rng.choice(statuses)
            extra = {"status": status, "shipping": rng.choice([0, 0, 2_000]), "order_key": f"r{cid}-{n}"}
            if status == "partially_refunded":
                extra["refunded"] = 1_000
            if rng.random() < 0.05:
                extra.update(kind="credit", status="paid")
            total = -3_000 if extra.get("kind") == "credit" else rng.randrange(2_000, 30_000)
            add_order(store, cid, rng.randrange(0, 400) + n, total, **extra)
    store.conn.commit()
    for cid in (103, 107, 111):
        log_call(store, cid, "l", reason=None, callback_on=AS_OF - dt.timedelta(days=2))
    settings = CallSettings(daily_cap=12)
    for as_of in (AS_OF, AS_OF - dt.timedelta(days=9), AS_OF - dt.timedelta(days=40)):
        full = build_list(calls.load_inputs(store, as_of), settings, as_of)
        assert full.items or full.no_phone
        store.conn.execute("DELETE FROM call_list_days")  # nothing kept: built the light way
        assert today_list(store, as_of, settings) == full
