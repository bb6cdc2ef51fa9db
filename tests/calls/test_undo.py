"""Undo is a compensating entry: the history keeps the undone call, note or points entry."""

from __future__ import annotations

import datetime as dt

import pytest

from shopkeep import loyalty
from shopkeep.calls import Promise, call_log, call_results, customer_promises, log_call, today_list, undo_call
from shopkeep.clock import Clock
from shopkeep.errors import ShopkeepError
from shopkeep.notes import add_note, undo_note
from shopkeep.store import card as card_store

from .helpers import AS_OF


@pytest.fixture
def day_shop(shop):
    shop.clock = Clock.frozen(AS_OF.isoformat(), dt.time(10))
    return shop


def test_an_undone_call_stays_in_the_history_but_the_list_and_results_ignore_it(day_shop):
    before = [i.customer_id for i in today_list(day_shop, AS_OF).items]
    assert 1 in before
    call_id = log_call(day_shop, 1, "will_return", reason="forgot", list_date=AS_OF)
    assert 1 not in [i.customer_id for i in today_list(day_shop, AS_OF).items]
    assert call_results(day_shop, AS_OF).calls == 1

    assert undo_call(day_shop, call_id) == "will_return"

    assert day_shop.scalar("SELECT count(*) FROM calls") == 1  # never deleted
    assert [i.customer_id for i in today_list(day_shop, AS_OF).items] == before
    assert call_results(day_shop, AS_OF).calls == 0
    assert call_log(day_shop, AS_OF) == []
    assert card_store.load(day_shop, 1).calls == []
    with pytest.raises(ShopkeepError, match="already undone"):
        undo_call(day_shop, call_id)


def test_undoing_a_wrong_number_gives_the_phone_back(day_shop):
    call_id = log_call(day_shop, 1, "x")
    assert day_shop.scalar("SELECT phone FROM customers WHERE id = 1") is None
    undo_call(day_shop, call_id)
    assert day_shop.scalar("SELECT phone FROM customers WHERE id = 1") == "+48600100200"
    assert 1 not in [i.customer_id for i in today_list(day_shop, AS_OF).no_phone]


def test_a_promise_made_in_an_undone_call_is_closed(day_shop):
    promise = Promise("credit", AS_OF + dt.timedelta(days=3), 500)
    call_id = log_call(day_shop, 1, "will_return", promise=promise)
    assert len(customer_promises(day_shop, 1)) == 1
    undo_call(day_shop, call_id)
    assert customer_promises(day_shop, 1) == []


def test_undoing_points_adds_a_reversing_entry(day_shop):
    entry = loyalty.add_points(day_shop, 2, 200, reason="apology")
    assert loyalty.balance(day_shop, 2) == 200
    reversal = loyalty.undo_entry(day_shop, entry.id)
    assert reversal.delta == -200
    assert loyalty.balance(day_shop, 2) == 0
    assert day_shop.scalar("SELECT count(*) FROM loyalty_ledger WHERE customer_id = 2") == 2
    with pytest.raises(ShopkeepError, match="already undone"):
        loyalty.undo_entry(day_shop, entry.id)
    with pytest.raises(ShopkeepError, match="itself an undo"):
        loyalty.undo_entry(day_shop, reversal.id)


def test_points_spent_since_cannot_be_undone(day_shop):
    entry = loyalty.add_points(day_shop, 2, 100, reason="bonus")
    loyalty.redeem(day_shop, 2, 80)
    with pytest.raises(ShopkeepError, match="spent"):
        loyalty.undo_entry(day_shop, entry.id)
    assert loyalty.balance(day_shop, 2) == 20


def test_an_undone_note_is_kept_but_no_longer_shown(day_shop):
    note_id = add_note(day_shop, 3, "likes green tea")
    assert [n["body"] for n in card_store.load(day_shop, 3).notes] == ["likes green tea"]
    assert undo_note(day_shop, note_id) == 3
    assert card_store.load(day_shop, 3).notes == []
    assert day_shop.scalar("SELECT count(*) FROM notes WHERE id = ?", (note_id,)) == 1
