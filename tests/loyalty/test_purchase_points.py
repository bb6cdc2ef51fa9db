from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shopkeep import loyalty
from tests.loyalty.conftest import add_customer, add_order, ledger, update_order

AS_OF = dt.date(2026, 6, 30)


def test_paid_order_earns_once_dated_with_the_order(shop):
    cid = add_customer(shop)
    oid = add_order(shop, cid, 14990, at="2026-03-10T12:00:00")  # 149.90 EUR -> 149 points
    first = loyalty.sync_purchase_points(shop, AS_OF)
    assert (first.orders_awarded, first.points_awarded) == (1, 149)
    again = loyalty.sync_purchase_points(shop, AS_OF)
    assert not again.changed
    assert ledger(shop, cid) == [
        {
            "delta": 149,
            "reason": "purchase",
            "reference": f"order:{oid}",
            "created_at": "2026-03-10T12:00:00",
            "idempotency_key": f"order:{oid}:earn",
        }
    ]


def test_pending_guest_future_and_cancelled_orders_earn_nothing_until_paid(shop):
    cid = add_customer(shop)
    pending = add_order(shop, cid, 5000, status="pending")
    add_order(shop, None, 9000)  # a guest
    add_order(shop, cid, 7000, at="2026-07-01T09:00:00")  # after as_of
    add_order(shop, cid, 3000, status="cancelled")
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed
    assert loyalty.balance(shop, cid) == 0
    update_order(shop, pending, status="paid")
    assert loyalty.sync_purchase_points(shop, AS_OF).points_awarded == 50
    assert loyalty.sync_purchase_points(shop, dt.date(2026, 7, 1)).points_awarded == 70


def test_refund_reverses_the_points_of_that_order_once(shop):
    cid = add_customer(shop)
    keep = add_order(shop, cid, 4000)
    gone = add_order(shop, cid, 6000)
    loyalty.sync_purchase_points(shop, AS_OF)
    update_order(shop, gone, status="refunded", refunded=6000, updated_at="2026-04-02T10:00:00")
    result = loyalty.sync_purchase_points(shop, AS_OF)
    assert (result.orders_reversed, result.points_reversed) == (1, 60)
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed
    assert loyalty.balance(shop, cid) == 40
    refund = ledger(shop, cid)[-1]
    assert refund["idempotency_key"] == f"order:{gone}:refund"
    assert refund["created_at"] == "2026-04-02T10:00:00"
    assert keep != gone


def test_partial_refund_reverses_proportionally_once_per_amount(shop):
    cid = add_customer(shop)
    oid = add_order(shop, cid, 10000)  # 100 points
    loyalty.sync_purchase_points(shop, AS_OF)
    update_order(shop, oid, status="partially_refunded", refunded=2500)
    assert loyalty.sync_purchase_points(shop, AS_OF).points_reversed == 25
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed
    update_order(shop, oid, refunded=4000)
    assert loyalty.sync_purchase_points(shop, AS_OF).points_reversed == 15
    update_order(shop, oid, status="refunded", refunded=10000)
    assert loyalty.sync_purchase_points(shop, AS_OF).points_reversed == 60
    assert loyalty.balance(shop, cid) == 0
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed


def test_rate_change_applies_from_then_on_and_never_to_earned_points(shop):
    cid = add_customer(shop)
    old = add_order(shop, cid, 10000, at="2026-02-01T10:00:00")
    loyalty.sync_purchase_points(shop, AS_OF)
    loyalty.save_rules(shop, loyalty.LoyaltyRules(points_per_unit=Decimal(3)))
    add_order(shop, cid, 10000, at="2026-05-01T10:00:00")
    assert loyalty.sync_purchase_points(shop, AS_OF).points_awarded == 300
    assert [e["delta"] for e in ledger(shop, cid)] == [100, 300]
    # refunding the old order takes back what it earned at the old rate, not at the new one
    update_order(shop, old, status="refunded", refunded=10000)
    assert loyalty.sync_purchase_points(shop, AS_OF).points_reversed == 100
    assert loyalty.balance(shop, cid) == 300


def test_refund_after_points_were_spent_never_goes_negative(shop):
    cid = add_customer(shop)
    oid = add_order(shop, cid, 10000)
    loyalty.sync_purchase_points(shop, AS_OF)
    loyalty.redeem(shop, cid, 70)
    update_order(shop, oid, status="refunded", refunded=10000)
    result = loyalty.sync_purchase_points(shop, AS_OF)
    assert (result.points_reversed, result.points_not_reversed) == (30, 70)
    assert loyalty.balance(shop, cid) == 0
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed


def test_credit_note_takes_back_points_for_the_cancelled_amount(shop):
    cid = add_customer(shop)
    add_order(shop, cid, 20000)
    add_order(shop, cid, -5000, kind="credit", at="2026-03-12T12:00:00")
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.balance(shop, cid) == 150
    assert not loyalty.sync_purchase_points(shop, AS_OF).changed


def test_a_yen_shop_earns_a_point_per_100_yen_and_its_tiers_are_in_yen(shop):
    cid = add_customer(shop)
    add_order(shop, cid, 1599, currency="JPY")  # ¥1,599: no decimals, so 1599 minor units
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.balance(shop, cid) == 15
    assert loyalty.LoyaltyRules().thresholds("JPY")[1] == 30_000  # Silver: 300 units of ¥100


def test_rules_saved_before_price_levels_keep_one_point_per_unit_of_the_currency(shop):
    """A shop that saved its rules explicitly keeps what they meant: 1 point per taka, Gold from 800 taka."""
    saved = loyalty.LoyaltyRules(points_per_unit=Decimal(2)).model_dump(mode="json")
    del saved["price_level"]  # as written before price levels existed
    shop.set_setting("loyalty_rules", saved)
    shop.set_setting("currency", "BDT")
    cid = add_customer(shop)
    add_order(shop, cid, 150_000, currency="BDT")  # 1,500 BDT
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.balance(shop, cid) == 3000
    assert loyalty.tier_of(shop, cid, AS_OF).name == "Gold"  # from 800 taka


def test_a_new_taka_shop_scales_points_and_tiers_with_the_price_level(shop):
    shop.set_setting("currency", "BDT")
    cid = add_customer(shop)
    add_order(shop, cid, 150_000, currency="BDT")  # 1,500 BDT: about 15 EUR
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.balance(shop, cid) == 15
    assert loyalty.tier_of(shop, cid, AS_OF).name == "Bronze"  # Silver is 300 x 100 BDT a year
    [entry] = loyalty.history(shop, cid)
    assert entry.note == "1 points per 100 BDT"


def test_an_owner_sets_the_price_level_and_goes_back_to_the_usual_one(shop):
    shop.set_setting("currency", "BDT")
    rules = loyalty.change_rules(loyalty.load_rules(shop), {"price_level": "50"})
    loyalty.save_rules(shop, rules)
    assert loyalty.load_rules(shop).level("BDT") == 50
    assert loyalty.load_rules(shop).level("USD", "BDT") == 1  # another currency keeps its own level
    back = loyalty.change_rules(rules, {"price_level": "default"})
    assert back.price_level is None and back.level("BDT") == 100
