"""The blend of shop-wide BG/NBD and each customer's own evidence, checked on the shop's own past."""

from __future__ import annotations

import datetime as dt
import random

from shopkeep.retention import compute_from_rows, risk
from shopkeep.store.analytics import CustomerRow, OrderHistory

AS_OF = dt.date(2026, 6, 30)
TODAY = AS_OF.toordinal()


def test_auc_counts_ties_as_half():
    assert risk.auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert risk.auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert risk.auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5


def yearly_shop(customers: int = 400, seed: int = 3) -> list[list[int]]:
    """Gift buyers who order once a year (+-5 days), each on their own day of the year; some stop."""
    rng = random.Random(seed)
    shop = []
    for _ in range(customers):
        day = TODAY - 4 * 365 + rng.randrange(365)
        days = []
        while day <= TODAY:
            days.append(day)
            if rng.random() < 0.15:
                break
            day += 365 + rng.randint(-5, 5)
        shop.append(days)
    return shop


def test_a_shop_of_yearly_buyers_trusts_each_customers_own_rhythm():
    assert risk.choose_blend(yearly_shop(), TODAY, risk.ShopModel(1.0, 300.0)).rhythm == 1.0


def test_a_young_shop_keeps_the_default_blend():
    few = [[TODAY - 300, TODAY - 200], [TODAY - 250], [TODAY - 10]]
    assert risk.choose_blend(few, TODAY, risk.ShopModel(1.0, 90.0)) == risk.TRUST_RHYTHM


def test_a_yearly_buyer_due_soon_is_at_lower_risk_than_one_who_just_ordered():
    shop = yearly_shop()
    customers = {i: CustomerRow(i, None, None, None, None, 0) for i in range(len(shop))}
    histories = []
    for i, days in enumerate(shop):
        iso = [dt.date.fromordinal(d).isoformat() for d in days]
        histories.append(OrderHistory(i, len(days), 0, 0, 1000 * len(days), len(days), (iso[0], 1000), iso))
    r = compute_from_rows(customers, histories, AS_OF, "EUR")
    regulars = [m for m in r.customers.values() if m.orders >= 3]
    due = [m.churn_risk for m in regulars if 250 <= m.recency_days <= 330]
    just_ordered = [m.churn_risk for m in regulars if m.recency_days <= 60]
    assert due and just_ordered
    assert max(due) < min(just_ordered)
