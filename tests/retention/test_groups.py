"""Big spenders and VIPs are different people: one group is about money, the other about loyalty over time."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from shopkeep.retention import GROUP_RULES, compute
from shopkeep.store import Store

from .conftest import add_history

AS_OF = dt.date(2026, 6, 30)


def days_before(*offsets: int) -> list[str]:
    return [(AS_OF - dt.timedelta(days=d)).isoformat() for d in offsets]


SHIPPED = Path(__file__).resolve().parent.parent.parent / "demo.db"


def _members(retention, group: str) -> set[int]:
    return {cid for cid, m in retention.customers.items() if group in m.groups}


def test_big_spenders_are_about_money_and_vips_about_loyalty(mem):
    fillers = [
        add_history(mem, days_before(*range(20 + i, 200 + i, 60)), total=1500 + 10 * i) for i in range(20)
    ]  # regulars every two months, modest baskets
    whale = add_history(mem, days_before(15), total=90_000)  # one huge order
    lapsed = add_history(mem, days_before(*range(400, 700, 30)), total=9_000)  # spent a lot, gone for a year
    regular = add_history(mem, days_before(*range(3, 360, 12)), total=900)  # every 12 days for a year, small
    burst = add_history(mem, days_before(*range(2, 30, 3)), total=900)  # ten orders in one month
    r = compute(mem, AS_OF)
    big, vip = _members(r, "big spenders"), _members(r, "VIP")
    assert {whale, lapsed} <= big and not {whale, lapsed} & vip  # money, but not a relationship
    assert regular in vip and regular not in big  # a relationship, modest money
    assert burst not in vip  # loyal over time, not in one week
    assert not set(fillers) & vip
    assert "F score 5" in GROUP_RULES["VIP"]


def test_on_the_demo_big_spenders_and_vips_are_not_the_same_customers(tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copyfile(SHIPPED, copy)
    with Store.open(copy) as store:
        r = compute(store, dt.date.fromisoformat(store.get_setting("demo_today")))
    big, vip = _members(r, "big spenders"), _members(r, "VIP")
    assert big and vip and big != vip
    assert len(big - vip) >= 10 and len(vip - big) >= 10  # each group holds people the other does not
    for cid in vip:
        m = r.customers[cid]
        assert m.f_score == 5 and m.tenure_days >= 90 and "slipping regulars" not in m.groups
