from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from shopkeep import loyalty
from tests.loyalty.conftest import add_customer, ledger


def test_balance_is_the_sum_of_entries_and_history_lists_them(shop):
    cid = add_customer(shop)
    loyalty.add_points(shop, cid, 120, reason="bonus", note="thanks for the review")
    loyalty.redeem(shop, cid, 45, note="discount on order #1042")
    assert loyalty.balance(shop, cid) == 75
    entries = loyalty.history(shop, cid)
    assert [(e.delta, e.reason) for e in entries] == [(120, "bonus"), (-45, "redeem")]
    assert entries[1].note == "discount on order #1042"


def test_overdraw_is_refused_and_nothing_changes(shop):
    cid = add_customer(shop)
    loyalty.add_points(shop, cid, 50)
    with pytest.raises(loyalty.NotEnoughPoints, match=f"#{cid} has 50 points; cannot redeem 51"):
        loyalty.redeem(shop, cid, 51)
    assert loyalty.balance(shop, cid) == 50
    assert len(ledger(shop, cid)) == 1


def test_database_refuses_negative_balance_changes_and_deletes(shop):
    cid = add_customer(shop)
    loyalty.add_points(shop, cid, 10)
    with pytest.raises(sqlite3.IntegrityError, match="negative"):
        shop.conn.execute(
            "INSERT INTO loyalty_ledger (customer_id, delta, reason, created_at) VALUES (?, -11, 'redeem', 'x')", (cid,)
        )
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        shop.conn.execute("UPDATE loyalty_ledger SET delta = 1000")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        shop.conn.execute("DELETE FROM loyalty_ledger")
    assert loyalty.balance(shop, cid) == 10


def test_unknown_customer_and_bad_amounts_are_refused(shop):
    with pytest.raises(loyalty.LoyaltyError, match="no customer #999"):
        loyalty.add_points(shop, 999, 10)
    cid = add_customer(shop)
    with pytest.raises(loyalty.LoyaltyError, match="positive"):
        loyalty.add_points(shop, cid, 0)
    with pytest.raises(loyalty.LoyaltyError, match="positive"):
        loyalty.redeem(shop, cid, -5)
    with pytest.raises(loyalty.LoyaltyError, match="not a reason"):
        loyalty.add_points(shop, cid, 5, reason="purchase")


def test_same_idempotency_key_adds_once(shop):
    cid = add_customer(shop)
    assert loyalty.add_points(shop, cid, 30, key="promise:7") is not None
    assert loyalty.add_points(shop, cid, 30, key="promise:7") is None
    assert loyalty.balance(shop, cid) == 30


def test_actions_earn_the_rule_amount_once_per_period(shop):
    cid = add_customer(shop)
    day = dt.date(2026, 5, 4)
    assert loyalty.award_action(shop, cid, "newsletter", day).delta == 20
    assert loyalty.award_action(shop, cid, "newsletter", day + dt.timedelta(days=40)) is None
    assert loyalty.award_action(shop, cid, "birthday", day).delta == 100
    assert loyalty.award_action(shop, cid, "birthday", dt.date(2026, 12, 1)) is None
    assert loyalty.award_action(shop, cid, "birthday", dt.date(2027, 5, 4)).delta == 100
    assert loyalty.award_action(shop, cid, "review", day).delta == 50
    assert loyalty.award_action(shop, cid, "review", day + dt.timedelta(days=1)).delta == 50
    assert loyalty.balance(shop, cid) == 20 + 100 + 100 + 50 + 50
    with pytest.raises(loyalty.LoyaltyError, match="not an action"):
        loyalty.award_action(shop, cid, "purchase", day)


def test_bonus_and_apology_use_the_rules(shop):
    cid = add_customer(shop)
    rules = loyalty.load_rules(shop).model_copy(update={"apology_bonus_points": 250})
    loyalty.save_rules(shop, rules)
    assert loyalty.give_bonus(shop, cid, apology=True).delta == 250
    assert loyalty.give_bonus(shop, cid).delta == 100
    assert [e.reason for e in loyalty.history(shop, cid)] == ["apology", "bonus"]


def test_rules_round_trip_and_bad_rules_are_one_clear_error(shop):
    rules = loyalty.LoyaltyRules(points_per_unit="2.5", expiry_months=6)
    loyalty.save_rules(shop, rules)
    assert loyalty.load_rules(shop) == rules
    shop.set_setting("loyalty_rules", {"tiers": [{"name": "Gold", "min_spend": 100}]})
    with pytest.raises(loyalty.LoyaltyError, match="loyalty rules in the settings are invalid"):
        loyalty.load_rules(shop)
