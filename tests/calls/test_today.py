from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.calls import (
    CallItem,
    CallQueue,
    Promise,
    close_promise,
    customer_promises,
    load_draft,
    load_settings,
    log_call,
    mark_do_not_call,
    placeholders,
    promise_amount,
    promise_text,
    save_draft,
    save_settings,
    script_for,
    take_draft,
    today_list,
)
from shopkeep.clock import Clock
from shopkeep.errors import ShopkeepError
from shopkeep.store import Store

from .helpers import AS_OF


def test_today_list_from_the_store(shop):
    result = today_list(shop, AS_OF)
    assert [(i.customer_id, i.kind, i.reason) for i in result.items] == [
        (2, "welcome", "first_purchase"),
        (1, "winback", "forgot"),
    ]
    assert result.items[1].why == (
        "usually orders every 24 days; 61 days since the last order; spent €1,240 in 9 orders; 340 points waiting"
    )
    assert [i.customer_id for i in result.no_phone] == [4]
    assert result.do_not_call == 1


def test_call_logged_today_takes_customer_off_the_list(shop):
    shop.clock = Clock.frozen("2026-11-23", dt.time(10))
    log_call(shop, 1, "w", reason="delivery", offer="free delivery", note="will order tea")
    assert [i.customer_id for i in today_list(shop, AS_OF).items] == [2]
    row = shop.one("SELECT outcome, reason, offer, note, list_date FROM calls WHERE customer_id = 1")
    assert row == {
        "outcome": "will_return",
        "reason": "delivery",
        "offer": "free delivery",
        "note": "will order tea",
        "list_date": None,
    }


def test_call_later_comes_back_on_its_day_despite_the_cooldown(shop):
    shop.clock = Clock.frozen("2026-11-23", dt.time(10))
    log_call(shop, 1, "l", reason="prices", callback_on=AS_OF + dt.timedelta(days=3))
    assert 1 not in [i.customer_id for i in today_list(shop, AS_OF).items]
    later = today_list(shop, AS_OF + dt.timedelta(days=3)).items
    assert (later[0].customer_id, later[0].kind, later[0].reason) == (1, "callback", "prices")


def test_call_later_needs_a_date_and_nothing_is_written(shop):
    with pytest.raises(ShopkeepError, match="needs a date"):
        log_call(shop, 1, "call_later")
    assert shop.scalar("SELECT count(*) FROM calls") == 0


def test_unknown_customer_or_outcome_refused_without_names(shop):
    with pytest.raises(ShopkeepError, match="no customer with id 99"):
        log_call(shop, 99, "no_answer")
    with pytest.raises(ShopkeepError, match="unknown call outcome 'hung_up'"):
        log_call(shop, 1, "hung_up")
    assert shop.scalar("SELECT count(*) FROM calls") == 0


def test_wrong_number_clears_the_phone_so_they_move_to_the_email_list(shop):
    shop.clock = Clock.frozen("2026-11-01", dt.time(10))
    log_call(shop, 1, "x")
    assert shop.scalar("SELECT phone FROM customers WHERE id = 1") is None
    assert 1 in [i.customer_id for i in today_list(shop, AS_OF).no_phone]


def test_mark_do_not_call(shop):
    mark_do_not_call(shop, 1)
    result = today_list(shop, AS_OF)
    assert 1 not in [i.customer_id for i in result.items]
    assert result.do_not_call == 2


def test_promise_made_in_a_call_comes_back_late_then_closes_with_points(shop):
    shop.clock = Clock.frozen("2026-11-10", dt.time(10))
    call_id = log_call(
        shop,
        1,
        "will_return",
        reason="let_down",
        promise=Promise("bonus", AS_OF - dt.timedelta(days=3), amount=200, description="apology"),
    )
    promise_id = shop.scalar("SELECT id FROM promises WHERE call_id = ?", (call_id,))
    first = today_list(shop, AS_OF).items[0]
    assert (first.customer_id, first.kind, first.why) == (
        1,
        "compensation_late",
        "promised bonus of 200 points: 3 days late",
    )
    close_promise(shop, promise_id, "points given", points=200)
    assert shop.scalar("SELECT sum(delta) FROM loyalty_ledger WHERE customer_id = 1") == 540
    assert 1 not in [i.customer_id for i in today_list(shop, AS_OF).items]  # called 13 days ago: cooldown again
    with pytest.raises(ShopkeepError, match=f"promise {promise_id} is already closed"):
        close_promise(shop, promise_id, "again", points=200)


def test_open_promises_of_a_customer_read_as_the_owner_would(shop):
    log_call(shop, 1, "will_return", promise=Promise("refund", AS_OF, amount=2550, description="fee"))
    log_call(shop, 1, "other", promise=Promise("bonus", AS_OF + dt.timedelta(days=2), amount=1))
    [refund, bonus] = customer_promises(shop, 1)
    assert (refund.kind, refund.amount, refund.description) == ("refund", 2550, "fee")
    assert promise_text(refund, "PLN") == "refund of PLN\u00a025.50 due 2026-11-23"
    assert promise_text(bonus, "PLN") == "bonus of 1 point due 2026-11-25"
    close_promise(shop, refund.id, "given")
    assert [p.id for p in customer_promises(shop, 1)] == [bonus.id]
    assert customer_promises(shop, 2) == []


@pytest.mark.parametrize(
    ("text", "kind", "currency", "minor"),
    [
        ("25", "refund", "PLN", 2500),
        (" 12,5 ", "credit", "EUR", 1250),
        ("1 000", "refund", "JPY", 1000),
        ("12.5", "refund", "KWD", 12500),
        ("12,500", "refund", "KWD", 12500),
        ("40", "bonus", "EUR", 40),
        ("", "refund", "EUR", None),
    ],
)
def test_promised_amounts_are_typed_in_major_units_and_kept_in_minor_units(text, kind, currency, minor):
    assert promise_amount(text, kind, currency) == minor


@pytest.mark.parametrize(
    ("text", "kind", "currency", "message"),
    [
        ("12.345", "refund", "EUR", "thousands or decimals"),
        ("12.5001", "refund", "KWD", "too many decimals: KWD has 3"),
        ("1.5", "refund", "JPY", "JPY has no decimals"),
        ("-3", "credit", "EUR", "above 0"),
        ("NaN", "refund", "EUR", "not an amount"),
        ("ten", "refund", "EUR", "not an amount"),
        ("2.5", "bonus", "EUR", "whole number of points"),
        ("0", "bonus", "EUR", "whole number of points"),
    ],
)
def test_a_bad_promised_amount_is_one_clear_error(text, kind, currency, message):
    with pytest.raises(ShopkeepError, match=message):
        promise_amount(text, kind, currency)


def test_draft_note_survives_a_crash_and_is_dropped_when_the_call_is_logged(db_path, shop):
    save_draft(shop, 1, "asked about green t")
    shop.close()  # the terminal is closed mid-call
    reopened = Store.open(db_path)
    assert load_draft(reopened, 1) == "asked about green t"
    save_draft(reopened, 1, "asked about green tea")
    log_call(reopened, 1, "will_return", note="asked about green tea")
    assert take_draft(reopened, 1) is None
    save_draft(reopened, 2, "half")
    assert take_draft(reopened, 2) == "half"
    assert load_draft(reopened, 2) is None
    reopened.close()


def test_script_for_a_customer_uses_their_data(shop):
    values = placeholders(shop, 1, AS_OF)
    assert (values["name"], values["first_name"]) == ("Anna {name}[/]", "Anna")
    assert values["last_product"] == "Green tea"
    assert values["days_since"] == 61
    assert values["points"] == 340
    assert values["referral_code"] == "ANNA-7Q"
    assert (values["shop"], values["caller"], values["free_delivery_from"]) == (None, None, None)
    script = script_for(shop, 1, "forgot", AS_OF, "en")
    assert script.opening == (
        "Hello Anna. Your last order with us was 2 months ago, so I wanted to check everything is all right."
    )
    assert script.talking_points == ["You have 340 points with us, at the Gold level."]


def test_script_names_the_shop_the_caller_and_the_threshold_from_the_settings(shop):
    shop.set_setting("shop_name", "Herbs & Co")
    shop.set_setting("caller_name", "Ewa")
    shop.set_setting("free_delivery_from", 5000)  # minor units of the shop's currency
    script = script_for(shop, 1, "delivery", AS_OF, "en")
    assert script.opening.startswith("Hello Anna, this is Ewa from Herbs & Co. I noticed delivery")
    assert script.talking_points == ["Orders from €50 now ship free."]
    assert script_for(shop, 2, "delivery", AS_OF, "pl").opening.startswith(
        "Dzień dobry, Bartek! Mówi Ewa ze sklepu Herbs & Co. "
    )


def test_the_compensation_script_says_what_the_customer_is_owed_and_since_when(shop):
    log_call(shop, 1, "will_return", promise=Promise("refund", AS_OF - dt.timedelta(days=3), amount=2550))
    log_call(shop, 1, "other", promise=Promise("bonus", AS_OF + dt.timedelta(days=9), amount=200))
    script = script_for(shop, 1, "compensation", AS_OF, "en")
    assert "We promised you a refund of €25.50 by 20 November, and we have not kept that promise." in script.opening
    russian = script_for(shop, 1, "compensation", AS_OF, "ru").opening
    assert "Мы обещали вам возврат 25,50\u00a0€ до 20 ноября" in russian


def test_settings_stored_as_json_and_language_picks_the_script(shop):
    settings = load_settings(shop)
    assert (settings.daily_cap, settings.cooldown_days, settings.language) == (15, 14, "en")
    save_settings(shop, settings.model_copy(update={"language": "ru", "daily_cap": 1}))
    assert shop.get_setting("calls")["daily_cap"] == 1
    assert script_for(shop, 2, "first_purchase", AS_OF).opening.startswith("Здравствуйте, Bartek!")
    assert len(today_list(shop, AS_OF).items) == 1


@pytest.mark.parametrize("bad", [{"daily_cap": "lots"}, {"welcome_from_days": 12, "welcome_to_days": 10}])
def test_invalid_settings_are_one_clear_error(shop, bad):
    shop.set_setting("calls", bad)
    with pytest.raises(ShopkeepError, match="'calls' settings are invalid"):
        load_settings(shop)


def test_queue_walks_the_list_and_retries_no_answers_last(shop):
    queue = CallQueue(today_list(shop, AS_OF).items)
    assert (queue.current.customer_id, queue.remaining) == (2, 2)
    assert queue.later().customer_id == 1  # no answer: try Bartek again at the end
    assert queue.advance().customer_id == 2
    assert queue.remaining == 1
    assert queue.advance() is None
    assert (queue.current, queue.remaining) == (None, 0)
    assert queue.advance() is None


def test_queue_lets_the_owner_pick_out_of_order_and_gives_up_after_two_no_answers(shop):
    queue = CallQueue(today_list(shop, AS_OF).items)
    assert queue.select(1).customer_id == 1
    assert queue.position == 1
    assert queue.advance().customer_id == 2  # the last one done: back to the top
    assert [i.customer_id for i in queue.items] == [2]
    assert queue.later().customer_id == 2  # alone on the list: tried again
    assert queue.later() is None  # no answer twice: left for another day
    assert queue.remaining == 0


def test_a_call_logged_elsewhere_takes_the_customer_off_the_queue_and_keeps_the_current_one():
    items = [CallItem(cid, f"c{cid}", None, "winback", "forgot", "slipping", 100 - cid) for cid in (1, 2, 3, 4)]
    queue = CallQueue(items)
    queue.select(3)
    assert queue.remove(1)  # before the current one: 3 stays current
    assert (queue.current.customer_id, [i.customer_id for i in queue.items]) == (3, [2, 3, 4])
    assert queue.remove(3)  # the current one: the next becomes current
    assert queue.current.customer_id == 4
    assert queue.remove(4)  # the last one: back to the top
    assert queue.current.customer_id == 2
    assert not queue.remove(99)  # not on the list: nothing changes
    assert queue.remaining == 1
