"""Any sequence of orders, payments, refunds, redemptions, rule changes and syncs keeps the ledger sound."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeep import loyalty
from shopkeep.store import Store
from tests.loyalty.conftest import add_customer, add_order, update_order

AS_OF = dt.date(2026, 6, 30)

customer = st.integers(0, 1)
order_ref = st.integers(0, 7)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("order"), customer, st.integers(0, 50_000), st.sampled_from(["paid", "pending"])),
        st.tuples(st.just("pay"), order_ref),
        st.tuples(st.just("partial"), order_ref, st.integers(1, 99)),
        st.tuples(st.just("status"), order_ref, st.sampled_from(["refunded", "cancelled", "voided"])),
        st.tuples(st.just("redeem"), customer, st.integers(1, 400)),
        st.tuples(st.just("bonus"), customer, st.integers(1, 100)),
        st.tuples(st.just("rate"), st.sampled_from(["0", "0.5", "1", "3"])),
        st.tuples(st.just("sync")),
    ),
    max_size=25,
)


def check_invariants(store: Store, customers: list[int]) -> None:
    for cid in customers:
        entries = sorted(loyalty.history(store, cid), key=lambda e: e.id)
        assert loyalty.balance(store, cid) == sum(e.delta for e in entries) >= 0
        running = 0
        for e in entries:  # in the order they were written, the balance never dipped below zero
            running += e.delta
            assert running >= 0
    earned: dict[str, int] = {}
    taken: dict[str, int] = {}
    for row in store.rows("SELECT reference, reason, delta FROM loyalty_ledger WHERE reason IN ('purchase', 'refund')"):
        book = earned if row["reason"] == "purchase" else taken
        assert not (book is earned and row["reference"] in earned), "an order earned twice"
        book[row["reference"]] = book.get(row["reference"], 0) + row["delta"]
    for ref, minus in taken.items():
        if not store.scalar("SELECT 1 FROM orders WHERE kind = 'credit' AND 'order:' || id = ?", (ref,)):
            assert -minus <= earned.get(ref, 0), "more taken back than the order earned"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_keeps_balance_equal_to_sum_non_negative_and_syncs_idempotent(ops):
    store = Store.memory()
    customers = [add_customer(store, "A"), add_customer(store, "B")]
    orders: list[dict] = []
    written: list[dict] = []
    for op in ops:
        match op:
            case ("order", c, total, status):
                orders.append({"id": add_order(store, customers[c], total, status=status), "total": total})
            case ("pay", i) if i < len(orders):
                update_order(store, orders[i]["id"], status="paid")
            case ("partial", i, pct) if i < len(orders):
                refunded = orders[i]["total"] * pct // 100
                update_order(store, orders[i]["id"], status="partially_refunded", refunded=refunded)
            case ("status", i, status) if i < len(orders):
                update_order(store, orders[i]["id"], status=status, refunded=orders[i]["total"])
            case ("redeem", c, points):
                before = loyalty.balance(store, customers[c])
                try:
                    loyalty.redeem(store, customers[c], points)
                except loyalty.NotEnoughPoints:
                    assert points > before
                    assert loyalty.balance(store, customers[c]) == before
                else:
                    assert loyalty.balance(store, customers[c]) == before - points
            case ("bonus", c, points):
                loyalty.add_points(store, customers[c], points, reason="bonus")
            case ("rate", rate):
                loyalty.save_rules(store, loyalty.LoyaltyRules(points_per_unit=Decimal(rate)))
            case ("sync",):
                loyalty.sync_purchase_points(store, AS_OF)
                count = store.scalar("SELECT count(*) FROM loyalty_ledger")
                assert not loyalty.sync_purchase_points(store, AS_OF).changed
                assert store.scalar("SELECT count(*) FROM loyalty_ledger") == count
        check_invariants(store, customers)
        now = store.rows("SELECT * FROM loyalty_ledger ORDER BY id")
        assert now[: len(written)] == written, "an entry was changed or removed"
        written = now
    store.close()
