"""Issue 15 §3: the words on a customer's card agree with the figures beside them, for every customer of the demo
and of a shop whose data ends years ago: the segment says only what its scores say (within this shop, never an
absolute "recently" that 5,524 days would contradict), and when the churn risk goes against what the segment's
name suggests ("Can't Lose Them" with a low risk), the explanation says so instead of reading as two answers."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from shopkeep import demo
from shopkeep.retention import GROUP_OUTLOOK, compute, explain_segment, risk_level
from shopkeep.retention.rfm import OUTLOOK
from shopkeep.store import Store
from tests.conftest import new_customer, new_order
from tests.test_demo import SHIPPED

# What each phrase of a segment's words claims about R (recency within this shop), as scores it allows.
R_CLAIMS = {
    "older than almost anyone's": {1},
    "older than most customers'": {1, 2},
    "in the middle of this shop's customers'": {3},
    "not among this shop's oldest": {3, 4, 5},
    "more recently than most": {4, 5},
    "more recent than most": {4, 5},
    "among the most recent in this shop": {5},
}
# Absolute words a relative score cannot back (the old "bought recently" beside "5524 days ago").
NEVER = ("bought recently", "not long ago", "for a long time", "very recently", "have not been back for long")


def _old_shop(path) -> None:
    """A shop whose orders end on 2011-12-09 (like the UCI export): 80 customers of every kind."""
    rng = random.Random(15)
    end = dt.date(2011, 12, 9)
    with Store.open(path) as store:
        for k in range(80):
            cid = new_customer(store, name=f"Customer {k}")
            orders = rng.choice([1, 1, 1, 2, 3, 5, 8, 12])
            gap = rng.randint(7, 90)
            last = end - dt.timedelta(days=rng.randint(0, 360))
            for n in range(orders):
                day = last - dt.timedelta(days=gap * n)
                new_order(store, cid, ordered_at=f"{day.isoformat()}T12:00:00", total=rng.randint(500, 40_000))


def _check_every_customer(retention) -> int:
    can_tell = retention.risk_quality.can_tell
    checked = 0
    for m in retention.customers.values():
        text = explain_segment(m, can_tell)
        days = f"{m.recency_days} day{'' if m.recency_days == 1 else 's'}"
        assert f"R={m.r_score} (last order {days} ago)" in text
        assert f"F={m.f_score} ({m.orders} order" in text
        claims = [phrase for phrase in R_CLAIMS if phrase in text]
        assert claims, f"{m.segment}: the words say nothing of the last order: {text}"
        for phrase in claims:
            assert m.r_score in R_CLAIMS[phrase], f"R={m.r_score} but the words say {phrase!r}: {text}"
        assert not [word for word in NEVER if word in text], text
        level = risk_level(m.churn_risk)
        said = re.findall(r"churn risk is (low|medium|high)", text)
        # what the card's labels (segment and groups) suggest comes next
        outlooks = {OUTLOOK.get(m.segment), *(GROUP_OUTLOOK.get(g) for g in m.groups)}
        labels = f"{m.segment} {m.groups} with churn risk {m.churn_risk:.2f}"
        if not can_tell:
            assert not said, text  # the risk only follows recency then: nothing to set against the segment
        elif "leaving" in outlooks and level == "low":
            assert said == ["low"], f"{labels} and no word of it: {text}"
        elif "staying" in outlooks and level == "high":
            assert said == ["high"], f"{labels} and no word of it: {text}"
        else:
            assert not said, text
        likely = re.search(r"about (\d+)% likely to order again", m.risk_reason)
        if likely:  # the reason's chance is the figure's other side
            assert int(likely.group(1)) == round(100 * (1 - m.churn_risk)), (m.risk_reason, m.churn_risk)
        checked += 1
    return checked


def test_every_demo_customer_s_explanation_agrees_with_their_figures(tmp_path):
    copy = demo.copy_demo(SHIPPED, tmp_path / "demo.db")
    with Store.open(copy, create=False) as store:
        retention = compute(store, store.clock.as_of)
    assert _check_every_customer(retention) > 1000
    # the cases the owner saw: best customers gone quiet, or regulars overdue by more than twice their usual gap,
    # whom the risk still expects back, are told apart
    quiet = [
        m for m in retention.customers.values() if m.segment == "Can't Lose Them" or "slipping regulars" in m.groups
    ]
    assert quiet
    for m in quiet:
        if risk_level(m.churn_risk) == "low":
            assert "All the same, their churn risk is low" in explain_segment(m, retention.risk_quality.can_tell)


@pytest.mark.parametrize("as_of", [dt.date(2026, 12, 5), dt.date(2011, 12, 9)], ids=["as of today", "as of its end"])
def test_a_shop_whose_data_ends_years_ago_is_explained_within_the_shop(tmp_path, as_of):
    path = tmp_path / "old.db"
    _old_shop(path)
    with Store.open(path, create=False) as store:
        retention = compute(store, as_of)
    assert _check_every_customer(retention) == 80
    best = [m for m in retention.customers.values() if m.r_score >= 4]
    if as_of.year == 2026:  # thousands of days ago, and still "more recent than most of this shop's customers"
        assert all(m.recency_days > 5000 for m in best)
        recent = ("more recently than most", "more recent than most", "most recent in this shop", "not among this shop")
        assert all(any(words in explain_segment(m) for words in recent) for m in best)
