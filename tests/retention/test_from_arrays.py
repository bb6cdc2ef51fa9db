"""Issue 19: what the screens add up over every customer (group sizes, the base of revenue shares, the browse
orders, the newest order, the call list's win-back candidates) is read from the figures' arrays, without making
100k customers' metrics; it is what walking every customer's metrics gives."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from shopkeep.browse import SORTS, sort_customers
from shopkeep.first_run import newest_order
from shopkeep.retention import GROUPS, compute, share_base
from shopkeep.store import Store
from tests.retention.test_groups import SHIPPED


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    copy = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(SHIPPED, copy)
    with Store.open(copy) as store:
        with store.write() as conn:  # one forgotten customer, one without a name: the name order's edges
            conn.execute("UPDATE customers SET name = NULL, forgotten_at = '2026-01-01' WHERE id = 3")
            conn.execute("UPDATE customers SET name = '  ' WHERE id = 4")
        yield compute(store, dt.date.fromisoformat(store.get_setting("demo_today")))


def _walked_groups(customers):
    rows = []
    for group in GROUPS:
        members = [m for m in customers if group in m.groups]
        rows.append((group, len(members), sum(m.revenue for m in members), sum(max(m.revenue, 0) for m in members)))
    return rows


def test_group_sizes_and_the_share_base_are_those_of_every_customer(demo):
    everyone = list(demo.customers.values())
    assert demo.group_sizes() == _walked_groups(everyone)
    assert demo.share_base() == share_base(everyone)
    assert demo.newest_order() == newest_order(everyone)


@pytest.mark.parametrize("by", SORTS)
def test_the_browse_order_is_sort_customers(demo, by):
    expected = [m.id for m in sort_customers(demo.customers.values(), by)]
    shown = demo.browse(by)
    assert len(shown) == len(expected)
    assert [m.id for m in shown[: len(expected)]] == expected
    assert shown[0].id == expected[0] and shown[-1].id == expected[-1]


def test_the_win_back_candidates_are_those_past_the_cut(demo):
    for min_orders, min_risk in ((2, 0.3), (1, 0.0), (5, 0.6)):
        walked = demo.likely_to_leave(min_orders, min_risk)
        expected = [
            cid
            for cid, m in demo.customers.items()
            if m.recency_days is not None and m.orders >= min_orders and m.churn_risk >= min_risk
        ]
        assert list(walked) == expected
        assert all(walked[cid] == demo.customers[cid] for cid in list(demo.customers)[:50])
