"""One definition of a sale (shopkeep.store.sales), the same in every figure: a pending order is not a
sale yet — no revenue, no order counted, no points, no referral reward — until an import says it is
paid; and its customer is not called as slipping away."""

from __future__ import annotations

import datetime as dt

from shopkeep import calls, loyalty, referrals
from shopkeep.retention import compute

from .conftest import add_customer, add_order, ledger, update_order

AS_OF = dt.date(2026, 11, 23)


def test_a_pending_order_counts_nowhere_until_it_is_paid(shop):
    anna = add_customer(shop, "Anna Kowalska", phone="+48600100100")
    add_order(shop, anna, 10_000, at="2026-10-01T12:00:00")
    pending = add_order(shop, anna, 5_000, at="2026-11-20T12:00:00", status="pending")
    loyalty.sync_purchase_points(shop, AS_OF)
    m = compute(shop, AS_OF).customers[anna]
    assert (m.orders, m.revenue, m.last_order) == (1, 10_000, dt.date(2026, 10, 1))
    assert [e["reference"] for e in ledger(shop, anna)] == [f"order:{pending - 1}"]  # the paid one only

    update_order(shop, pending, status="paid")  # the next export says it was paid
    loyalty.sync_purchase_points(shop, AS_OF)
    m = compute(shop, AS_OF).customers[anna]
    assert (m.orders, m.revenue, m.last_order) == (2, 15_000, dt.date(2026, 11, 20))
    assert len(ledger(shop, anna)) == 2


def test_a_friend_whose_only_order_is_pending_earns_the_referrer_nothing_yet(shop):
    referrer = add_customer(shop, "Zofia Nowak")
    friend = add_customer(shop, "Jan Nowak")
    add_order(shop, referrer, 10_000, at="2026-09-01T12:00:00")
    referrals.link_referral(shop, friend, referrer)
    order = add_order(shop, friend, 4_000, at="2026-11-01T12:00:00", status="pending")
    assert referrals.sync_referrals(shop, AS_OF).rewarded == 0
    update_order(shop, order, status="paid")
    assert referrals.sync_referrals(shop, AS_OF).rewarded == 1


def test_a_regular_whose_latest_order_awaits_payment_is_not_called_as_slipping(shop):
    regular = add_customer(shop, "Maria Wiśniewska", phone="+48600100200")
    for k in range(6):  # every 20 days, the last paid one 100 days ago: slipping away
        add_order(shop, regular, 9_000, at=f"{AS_OF - dt.timedelta(days=100 + 20 * k)}T12:00:00")
    assert regular in [i.customer_id for i in calls.today_list(shop, AS_OF).items]
    add_order(shop, regular, 9_000, at="2026-11-21T12:00:00", status="pending")
    assert regular not in [i.customer_id for i in calls.today_list(shop, AS_OF).items]


def test_the_import_summary_says_how_many_orders_are_pending(tmp_path):
    from typer.testing import CliRunner

    from shopkeep.cli import app

    export = tmp_path / "orders.csv"
    export.write_text(
        "Order ID,Date,Email,Total,Currency,Status\n"
        "1,2026-11-01,ann@example.com,10.00,EUR,paid\n"
        "2,2026-11-02,ann@example.com,12.00,EUR,pending\n"
        "3,2026-11-03,bob@example.com,9.00,EUR,awaiting payment\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", str(export), "--db", str(tmp_path / "shop.db")])
    assert result.exit_code == 0, result.output
    assert "2 of 3 orders are pending (placed, not paid yet): no revenue or points until a later export says paid" in (
        result.output
    )
