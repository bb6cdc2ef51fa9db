"""The import's upkeep works in bulk (issue 19) and gives what the one-at-a-time path gave."""

from __future__ import annotations

import datetime as dt
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopkeep import loyalty, referrals
from shopkeep.store import Store, sales
from tests.loyalty.conftest import add_customer, add_order


def codes(store):
    return {r["id"]: r["referral_code"] for r in store.rows("SELECT id, referral_code FROM customers")}


def test_codes_for_many_customers_come_from_one_read_of_the_random_source(shop, monkeypatch):
    ids = [add_customer(shop, f"Customer {n}") for n in range(50)]
    reads = []

    def token_bytes(n):
        reads.append(n)
        return os.urandom(n)

    monkeypatch.setattr(referrals.secrets, "token_bytes", token_bytes)
    assert referrals.ensure_codes(shop) == 50
    assert reads == [8 * 50]
    got = codes(shop)
    assert len({got[cid] for cid in ids}) == 50
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", got[cid]) for cid in ids)


def test_a_drawn_code_someone_has_or_drawn_twice_is_drawn_again(shop, monkeypatch):
    owner = add_customer(shop, "Owner")
    referrals.assign_code(shop, owner, "2222-2222")
    ids = [add_customer(shop, f"Customer {n}") for n in range(5)]
    # The bulk read gives every customer the owner's code; the draws after it are random.
    monkeypatch.setattr(referrals.secrets, "token_bytes", lambda n: bytes(n) if n > 8 else os.urandom(n))
    assert referrals.ensure_codes(shop) == 5
    got = codes(shop)
    assert got[owner] == "2222-2222"
    assert len({got[cid] for cid in ids} | {"2222-2222"}) == 6


def _codes_one_at_a_time(store, salt):
    """The path before issue 19: every customer in turn, checked against every code seen so far."""
    taken = {r["referral_code"] for r in store.rows("SELECT referral_code FROM customers WHERE referral_code NOT NULL")}
    given = {}
    for row in store.rows("SELECT id FROM customers WHERE referral_code IS NULL AND forgotten_at IS NULL ORDER BY id"):
        code = referrals.new_code(taken.__contains__, row["id"], salt)
        taken.add(code)
        given[row["id"]] = code
    return given


def test_the_demo_shop_gets_the_codes_the_one_at_a_time_path_gave(shop):
    shop.set_setting("referral_salt", "demo-11")
    ids = [add_customer(shop, f"Customer {n}") for n in range(30)]
    # Three customers already hold codes that later customers would draw first.
    for holder, later in ((ids[0], ids[5]), (ids[1], ids[17]), (ids[2], ids[29])):
        referrals.assign_code(shop, holder, referrals.make_code(later, "demo-11"))
    expected = _codes_one_at_a_time(shop, "demo-11")
    assert referrals.ensure_codes(shop) == 27
    got = codes(shop)
    assert {cid: got[cid] for cid in expected} == expected
    assert got[ids[5]] == referrals.make_code(ids[5], "demo-11", attempt=1)


# -- tiers -------------------------------------------------------------------------------------------------

TIER_DAY = dt.date(2026, 6, 30)
MOMENTS = [
    "2025-06-30T10:00:00",
    "2025-07-01T00:00:00",
    "2025-12-24T18:00:00",
    "2026-06-30T23:59:00",
    "2026-07-01T00:00:00",
]


def _tiers_one_at_a_time(store, as_of):
    """The tier of every customer (not forgotten) from their orders, summed here row by row."""
    rules = loyalty.load_rules(store)
    start, end = (
        (loyalty.add_months(as_of, -12) + dt.timedelta(days=1)).isoformat(),
        (as_of + dt.timedelta(days=1)).isoformat(),
    )
    spend: dict[int, int] = {}
    for o in store.rows("SELECT customer_id, ordered_at, status, currency, total, refunded FROM orders"):
        if o["currency"] == "EUR" and start <= o["ordered_at"] < end and o["status"] in sales.SALE_STATUSES:
            spend[o["customer_id"]] = spend.get(o["customer_id"], 0) + o["total"] - o["refunded"]
    ladder = rules.thresholds("EUR")
    alive = store.rows("SELECT id FROM customers WHERE forgotten_at IS NULL")
    return {
        r["id"]: rules.tiers[max(i for i, t in enumerate(ladder) if spend.get(r["id"], 0) >= t or i == 0)].name
        for r in alive
    }


def _recorded(store):
    rows = store.rows("SELECT customer_id, to_tier FROM tier_changes ORDER BY id")
    return {r["customer_id"]: r["to_tier"] for r in rows}


order_st = st.tuples(
    st.integers(0, 3),  # customer
    st.sampled_from(MOMENTS),
    st.sampled_from(["paid", "partially_refunded", "pending", "refunded", "cancelled"]),
    st.sampled_from(["order", "order", "credit"]),
    st.integers(0, 150_000),
    st.sampled_from(["EUR", "EUR", "PLN"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(order_st, max_size=6), min_size=1, max_size=3), forget=st.booleans())
def test_tiers_worked_out_by_sqlite_are_the_tiers_of_each_customers_orders(batches, forget):
    store = Store.memory()
    store.set_setting("currency", "EUR")
    ids = [add_customer(store, f"Customer {n}") for n in range(4)]
    for n, batch in enumerate(batches):
        for c, at, status, kind, total, currency in batch:
            signed = -total if kind == "credit" else total
            refunded = total // 3 if status == "partially_refunded" and kind == "order" else 0
            add_order(store, ids[c], signed, at=at, status=status, kind=kind, currency=currency, refunded=refunded)
        if forget and n == len(batches) - 1:
            with store.write() as conn:
                conn.execute("UPDATE customers SET forgotten_at = '2026-01-01' WHERE id = ?", (ids[3],))
        before = _recorded(store)
        expected = _tiers_one_at_a_time(store, TIER_DAY)
        changes = loyalty.refresh_tiers(store, TIER_DAY)
        first = loyalty.load_rules(store).tiers[0].name
        assert {c.customer_id: (c.from_tier, c.to_tier) for c in changes} == {
            cid: (before.get(cid), tier) for cid, tier in expected.items() if tier != before.get(cid, first)
        }
        recorded = _recorded(store)
        assert {cid: recorded.get(cid, first) for cid in expected} == expected
        assert loyalty.refresh_tiers(store, TIER_DAY) == []


def test_a_customer_whose_year_is_only_a_credit_note_is_in_the_first_tier_not_the_top(shop):
    anna = add_customer(shop, "Anna")
    add_order(shop, anna, 120_000, at="2025-03-01T10:00:00")  # before the year
    add_order(shop, anna, -120_000, at="2026-03-10T12:00:00", kind="credit")  # its cancellation invoice, in it
    assert loyalty.tier_of(shop, anna, TIER_DAY).name == "Bronze"
    assert loyalty.refresh_tiers(shop, TIER_DAY) == []
    assert loyalty.summary_for_all(shop, TIER_DAY)[anna].tier == "Bronze"
