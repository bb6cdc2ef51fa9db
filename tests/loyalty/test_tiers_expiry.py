from __future__ import annotations

import datetime as dt

import pytest

from shopkeep import loyalty, referrals
from tests.loyalty.conftest import add_customer, add_order

AS_OF = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("spend", "tier"),
    [(0, "Bronze"), (29999, "Bronze"), (30000, "Silver"), (79999, "Silver"), (80000, "Gold"), (200000, "VIP")],
)
def test_tier_boundaries_are_reached_exactly_at_the_threshold(shop, spend, tier):
    cid = add_customer(shop)
    if spend:
        add_order(shop, cid, spend, at="2026-06-30T23:59:59")
    assert loyalty.tier_of(shop, cid, AS_OF).name == tier


def test_tiers_count_net_spend_of_the_last_12_months_only(shop):
    cid = add_customer(shop)
    add_order(shop, cid, 50000, at="2025-06-30T18:00:00")  # 12 months and a day before: out
    add_order(shop, cid, 20000, at="2025-07-01T09:00:00")  # first day of the window: in
    add_order(shop, cid, 20000, at="2026-03-01T09:00:00", status="partially_refunded", refunded=5000)
    add_order(shop, cid, 90000, at="2026-04-01T09:00:00", status="refunded", refunded=90000)
    add_order(shop, cid, 90000, at="2026-07-01T09:00:00")  # after as_of: not yet placed
    assert loyalty.spend_12m(shop, cid, AS_OF) == 35000
    tier = loyalty.tier_of(shop, cid, AS_OF)
    assert tier.name == "Silver"
    assert "free delivery" in tier.benefits


def test_refresh_tiers_records_each_change_once(shop):
    cid = add_customer(shop)
    quiet = add_customer(shop, "Quiet")
    add_order(shop, cid, 85000, at="2026-05-01T10:00:00")
    assert loyalty.refresh_tiers(shop, AS_OF) == [loyalty.TierChange(cid, None, "Gold")]
    assert loyalty.refresh_tiers(shop, AS_OF) == []
    # a year later the spend has left the window: back down, recorded once
    later = dt.date(2027, 6, 1)
    assert loyalty.refresh_tiers(shop, later) == [loyalty.TierChange(cid, "Gold", "Bronze")]
    rows = shop.rows("SELECT customer_id, from_tier, to_tier, changed_at FROM tier_changes ORDER BY id")
    assert rows == [
        {"customer_id": cid, "from_tier": None, "to_tier": "Gold", "changed_at": "2026-06-30"},
        {"customer_id": cid, "from_tier": "Gold", "to_tier": "Bronze", "changed_at": "2027-06-01"},
    ]
    assert quiet not in {r["customer_id"] for r in rows}


def test_configured_tiers_replace_the_defaults(shop):
    tiers = (loyalty.Tier(name="Friend", min_spend=0), loyalty.Tier(name="Family", min_spend=100, benefits="-10%"))
    loyalty.save_rules(shop, loyalty.LoyaltyRules(tiers=tiers))
    cid = add_customer(shop)
    add_order(shop, cid, 10000)
    assert loyalty.tier_of(shop, cid, AS_OF) == tiers[1]


def test_close_to_next_tier_lists_who_needs_little_least_first(shop):
    near = add_customer(shop, "Near")
    nearer = add_customer(shop, "Nearer")
    far = add_customer(shop, "Far")
    top = add_customer(shop, "Top")
    add_order(shop, near, 26000)  # 40 EUR short of Silver
    add_order(shop, nearer, 79000)  # 10 EUR short of Gold
    add_order(shop, far, 10000)
    add_order(shop, top, 300000)
    found = loyalty.close_to_next_tier(shop, AS_OF)
    assert [(n.customer_id, n.next_tier, n.missing) for n in found] == [(nearer, "Gold", 1000), (near, "Silver", 4000)]
    assert [n.customer_id for n in loyalty.close_to_next_tier(shop, AS_OF, within=2000)] == [nearer]


def test_summary_for_all_gives_points_tier_and_referrals(shop):
    a = add_customer(shop, "A")
    b = add_customer(shop, "B", phone="+48600000001")
    c = add_customer(shop, "C", phone="+48600000002")
    add_order(shop, a, 31000)
    loyalty.sync_purchase_points(shop, AS_OF)
    referrals.link_referral(shop, b, a)
    referrals.link_referral(shop, c, a)
    summary = loyalty.summary_for_all(shop, AS_OF)
    assert summary[a] == loyalty.CustomerLoyalty(points=310, tier="Silver", referrals=2)
    assert summary[b] == loyalty.CustomerLoyalty(points=0, tier="Bronze", referrals=0)


def test_points_expire_n_months_after_the_last_order_with_a_warning_first(shop):
    cid = add_customer(shop)
    add_order(shop, cid, 12000, at="2025-07-15T10:00:00")
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.points_expiring(shop, cid, dt.date(2026, 6, 1)) is None  # 44 days ahead: not yet
    soon = loyalty.points_expiring(shop, cid, AS_OF)
    assert soon == loyalty.Expiring(cid, 120, dt.date(2026, 7, 15))
    assert loyalty.expiring_soon(shop, AS_OF) == [soon]
    assert loyalty.expire_points(shop, AS_OF) == 0
    assert loyalty.expire_points(shop, dt.date(2026, 7, 16)) == 120
    assert loyalty.expire_points(shop, dt.date(2026, 8, 1)) == 0
    assert loyalty.balance(shop, cid) == 0
    assert loyalty.history(shop, cid)[-1].created_at == "2026-07-15T00:00:00"


def test_a_new_order_moves_the_expiry_and_zero_months_means_never(shop):
    cid = add_customer(shop)
    add_order(shop, cid, 12000, at="2025-07-15T10:00:00")
    add_order(shop, cid, 1000, at="2026-06-01T10:00:00")
    loyalty.sync_purchase_points(shop, AS_OF)
    assert loyalty.points_expiring(shop, cid, AS_OF) is None
    assert loyalty.expire_points(shop, dt.date(2026, 8, 1)) == 0
    loyalty.save_rules(shop, loyalty.LoyaltyRules(expiry_months=0))
    assert loyalty.expire_points(shop, dt.date(2030, 1, 1)) == 0
    assert loyalty.balance(shop, cid) == 130


def test_add_months_clamps_to_month_end():
    assert loyalty.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert loyalty.add_months(dt.date(2026, 3, 15), -12) == dt.date(2025, 3, 15)
    assert loyalty.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_points_of_a_customer_who_never_ordered_expire_after_the_last_points_earned(shop):
    cid = add_customer(shop)
    with shop.write() as conn:
        conn.execute(
            "INSERT INTO loyalty_ledger (customer_id, delta, reason, created_at) VALUES (?, 75, 'newsletter', ?)",
            (cid, "2025-08-20T09:00:00"),
        )
    assert loyalty.points_expiring(shop, cid, dt.date(2026, 8, 1)) == loyalty.Expiring(cid, 75, dt.date(2026, 8, 20))
    assert loyalty.expire_points(shop, dt.date(2026, 8, 21)) == 75
