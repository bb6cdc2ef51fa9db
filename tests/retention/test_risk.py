"""Churn risk is told the way that would have told best in the shop's own past, or says it cannot tell."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from shopkeep.retention import compute_from_rows, risk
from shopkeep.store.analytics import CustomerRow, OrderHistory

AS_OF = dt.date(2026, 6, 30)
TODAY = AS_OF.toordinal()


def retention_of(shop: list[list[int]]):
    """compute_from_rows for customers 0..n-1 with an order of 10.00 on each of their days (ordinals)."""
    customers = {i: CustomerRow(i, None, None, None, None, 0) for i in range(len(shop))}
    histories = []
    for i, days in enumerate(shop):
        iso = [dt.date.fromordinal(d).isoformat() for d in sorted(set(days))]
        histories.append(OrderHistory(i, len(iso), 0, 0, 1000 * len(iso), len(iso), (iso[0], 1000), iso))
    return compute_from_rows(customers, histories, AS_OF, "EUR")


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


def regular_shop(customers: int = 600, seed: int = 5, until: int = TODAY) -> list[list[int]]:
    """Regular buyers, each on their own rhythm (every 2 weeks to 4 months, +-10%); after each order
    some stop for good. Orders up to `until` (later than today: what happened next)."""
    rng = random.Random(seed)
    shop = []
    for _ in range(customers):
        gap = rng.uniform(14, 120)
        day = TODAY - rng.randrange(3 * 365)
        days = []
        while day <= until:
            days.append(day)
            if rng.random() < 0.12:
                break
            day += round(gap * rng.uniform(0.9, 1.1))
        shop.append(days)
    return shop


def random_baskets(customers: int = 600, seed: int = 7) -> list[list[int]]:
    """Everybody orders on random days at the same steady rate: the past says nothing of the future."""
    rng = random.Random(seed)
    shop = []
    for _ in range(customers):
        day = TODAY - rng.randrange(3 * 365)
        days = []
        while day <= TODAY:
            days.append(day)
            day += 1 + int(rng.expovariate(1 / 150))
        shop.append(days)
    return shop


def test_auc_counts_ties_as_half():
    assert risk.auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert risk.auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert risk.auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5


def in_recency_order(r) -> bool:
    """Risk never falls as days since the last order grow, and equal days get equal risk."""
    by_recency = sorted((m.recency_days, m.churn_risk) for m in r.customers.values())
    return all(a[1] <= b[1] and (a[0] != b[0] or a[1] == b[1]) for a, b in itertools.pairwise(by_recency))


def test_regular_buyers_are_told_by_more_than_recency_and_the_shop_sees_how_well():
    r = retention_of(regular_shop())
    q = r.risk_quality
    assert q.can_tell
    assert q.method != "recency" and q.aucs[q.method] > q.aucs["recency"]
    assert q.replay_auc == q.aucs[q.method] > 0.8
    assert q.replay_day == AS_OF - dt.timedelta(days=365)  # old enough: the same season a year ago
    assert q.message.startswith(f"churn risk from {q.words}: replaying this shop as of {q.replay_day}")
    assert f"{q.replay_auc:.0%} of the time" in q.message
    assert not in_recency_order(r)  # a buyer every 4 months is not slipping after 3 weeks


def test_random_baskets_cannot_tell_and_fall_back_to_days_since_the_last_order():
    r = retention_of(random_baskets())
    q = r.risk_quality
    assert not q.can_tell and q.method == "recency"
    assert q.replay_day is not None and q.replay_auc is not None and max(q.aucs.values()) < risk.CANNOT_TELL_AUC
    assert q.message.startswith("not enough history to rank who is slipping away; showing days since last order")
    assert in_recency_order(r)
    assert len({round(m.churn_risk, 6) for m in r.customers.values()}) > 1  # not one flat number


def test_a_young_shop_cannot_tell_and_says_why_in_plain_words():
    rng = random.Random(1)
    shop = [[TODAY - rng.randrange(100)] for _ in range(40)] + [[TODAY - 90, TODAY - 30] for _ in range(10)]
    r = retention_of(shop)
    q = r.risk_quality
    assert not q.can_tell and q.replay_day is None and q.replay_auc is None
    assert q.message == "not enough history to rank who is slipping away; showing days since last order"
    assert in_recency_order(r)
    assert all(risk.RISK_FLOOR <= m.churn_risk <= risk.RISK_CEILING for m in r.customers.values())


def test_ties_go_to_recency():
    """A shop where days since the last order tells everything: no other way can beat it."""
    rng = random.Random(2)
    shop = []
    for _ in range(400):
        first = TODAY - 500 + rng.randrange(320)  # 0..320 days before the replay day (TODAY - 180)
        back = first >= TODAY - 180 - 100  # the recent ones of then came back once, 150 days later
        shop.append([first, first + 150] if back else [first])
    q = retention_of(shop).risk_quality
    assert q.can_tell and q.method == "recency" and q.replay_auc == 1.0


def test_the_reason_follows_the_figure():
    r = retention_of(regular_shop())
    for m in r.customers.values():
        chance = f"about {1 - m.churn_risk:.0%} likely to order again within 180 days"
        assert m.risk_reason.endswith(chance)
        assert "twice the usual gap" not in m.risk_reason
        if m.orders >= 2:
            since = f"{m.recency_days} {'day' if m.recency_days == 1 else 'days'}"
            assert m.risk_reason.startswith(f"usually orders every {m.usual_gap_days:.0f} days; {since}")


def test_a_yearly_buyer_due_soon_is_at_lower_risk_than_one_who_just_ordered():
    r = retention_of(yearly_shop())
    assert r.risk_quality.can_tell
    regulars = [m for m in r.customers.values() if m.orders >= 3]
    due = [m.churn_risk for m in regulars if 250 <= m.recency_days <= 330]
    just_ordered = [m.churn_risk for m in regulars if m.recency_days <= 60]
    assert due and just_ordered
    assert max(due) < min(just_ordered)


def test_the_risk_means_what_it_says():
    """Calibrated on the replay: the mean risk is within 0.03 of the share that did not order in the
    next 180 days (which the shop does not know yet)."""
    shop = regular_shop(1500, seed=11, until=TODAY + 180)
    r = retention_of([[d for d in days if d <= TODAY] for days in shop])
    gone = [not any(d > TODAY for d in days) for days in shop if days[0] <= TODAY]
    mean_risk = sum(m.churn_risk for m in r.customers.values()) / len(r.customers)
    assert abs(mean_risk - sum(gone) / len(gone)) < 0.03


def young_shop(customers: int = 600, seed: int = 9) -> list[list[int]]:
    """A shop selling for 200 days: regular buyers (every 10 to 60 days, +-10%), some stop after each order."""
    rng = random.Random(seed)
    shop = []
    for _ in range(customers):
        gap = rng.uniform(10, 60)
        day = TODAY - 200 + rng.randrange(60)
        days = []
        while day <= TODAY:
            days.append(day)
            if rng.random() < 0.15:
                break
            day += round(gap * rng.uniform(0.9, 1.1))
        shop.append(days)
    return shop


def test_a_shop_too_young_for_a_180_day_replay_is_replayed_over_a_shorter_look_ahead():
    r = retention_of(young_shop())
    q = r.risk_quality
    assert q.can_tell and q.method != "recency"
    assert q.look_ahead == 120 and q.replay_day == AS_OF - dt.timedelta(days=120)
    assert (
        f"replaying this shop as of {q.replay_day}, it ranked a customer who ordered again within 120 days" in q.message
    )
    assert not in_recency_order(r)  # a buyer every 2 months is not slipping after 3 weeks
    assert all(risk.RISK_FLOOR <= m.churn_risk <= risk.RISK_CEILING for m in r.customers.values())


def december_shop(customers: int = 800, seed: int = 4) -> list[list[int]]:
    """Most customers buy in December, and again each December until they stop; the others buy on
    any day, once or twice."""
    rng = random.Random(seed)
    shop = []
    for _ in range(customers):
        if rng.random() < 0.6:
            year = rng.choice([2022, 2023, 2024, 2025])
            days = []
            while year <= 2025:
                days.append(dt.date(year, 12, 1).toordinal() + rng.randrange(24))
                if rng.random() < 0.3:
                    break
                year += 1
        else:
            first = TODAY - rng.randrange(4 * 365)
            days = [first] + ([first + rng.randrange(30, 400)] if rng.random() < 0.3 else [])
        shop.append([d for d in days if d <= TODAY])
    return [days for days in shop if days]


def test_a_seasonal_shop_is_told_by_its_seasons():
    """Whoever ordered once last December is expected back this December (within the 180 days after
    June 30); a one-off spring buyer is not, though their last order is more recent."""
    r = retention_of(december_shop())
    q = r.risk_quality
    assert q.can_tell and q.method == "season"
    assert q.message.startswith("churn risk from how this shop's customers came back, by days since their last order")
    once = [m for m in r.customers.values() if m.orders == 1]
    last_december = [m.churn_risk for m in once if m.last_order.month == 12 and m.last_order.year == 2025]
    spring = [m.churn_risk for m in once if 60 <= m.recency_days <= 150]
    assert last_december and spring
    assert sum(last_december) / len(last_december) < sum(spring) / len(spring) - 0.25
