"""The import's upkeep works in bulk (issue 19) and gives what the one-at-a-time path gave."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shopkeep import loyalty, referrals
from shopkeep.clock import Clock
from shopkeep.store import Store, sales
from shopkeep.store import loyalty as loyalty_sql
from tests.loyalty.conftest import add_customer, add_order, update_order


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
        # The card list and the export (one query for all) and one customer's card say the same.
        summary = loyalty.summary_for_all(store, TIER_DAY)
        assert {cid: summary[cid].tier for cid in expected} == expected
        assert {cid: loyalty.tier_of(store, cid, TIER_DAY).name for cid in expected} == expected


def test_a_customer_whose_year_is_only_a_credit_note_is_in_the_first_tier_not_the_top(shop):
    anna = add_customer(shop, "Anna")
    add_order(shop, anna, 120_000, at="2025-03-01T10:00:00")  # before the year
    add_order(shop, anna, -120_000, at="2026-03-10T12:00:00", kind="credit")  # its cancellation invoice, in it
    assert loyalty.tier_of(shop, anna, TIER_DAY).name == "Bronze"
    assert loyalty.refresh_tiers(shop, TIER_DAY) == []
    assert loyalty.summary_for_all(shop, TIER_DAY)[anna].tier == "Bronze"


# -- purchase points -------------------------------------------------------------------------------------

_OLD_COLUMNS = (
    "SELECT o.id, o.customer_id, o.kind, o.status, o.total, o.refunded, o.currency, o.ordered_at, o.updated_at,"
    " e.id IS NOT NULL AS awarded, coalesce(e.delta, 0) AS earned,"
    " (SELECT coalesce(sum(r.delta), 0) FROM loyalty_ledger r WHERE r.idempotency_key >= 'order:' || o.id || ':r'"
    "   AND r.idempotency_key < 'order:' || o.id || ':s') AS reversed"
    " FROM orders o LEFT JOIN loyalty_ledger e ON e.idempotency_key = 'order:' || o.id || ':earn'"
)
_OLD_QUERIES = (
    _OLD_COLUMNS + " LEFT JOIN loyalty_ledger c ON c.idempotency_key = 'order:' || o.id || ':credit'"
    " WHERE o.ordered_at >= :start AND o.ordered_at < :end AND o.customer_id IS NOT NULL AND ("
    f"  ({sales.sale_sql('o')} AND e.id IS NULL) OR ({sales.credit_sql('o')} AND c.id IS NULL AND o.total < 0))"
    " ORDER BY +o.ordered_at, o.id",
    _OLD_COLUMNS + " WHERE o.kind = 'order' AND o.customer_id IS NOT NULL AND +o.ordered_at < :end"
    f" AND (o.status IN {sales.UNDONE_STATUSES_SQL} OR o.refunded > 0) AND e.id IS NOT NULL"
    " ORDER BY +o.ordered_at, o.id",
)


def _old_candidates(store, start, end_exclusive):
    """Before issue 19: the orders undone since their award were found by reading every order."""
    for query in _OLD_QUERIES:
        rows = store.rows(query, {"start": start, "end": end_exclusive})
        if rows:
            yield rows


ledger_op_batches = st.lists(
    st.one_of(
        st.tuples(
            st.just("order"),
            st.integers(0, 2),
            st.integers(0, 50_000),
            st.sampled_from(["paid", "paid", "paid", "pending"]),
            st.sampled_from(
                [
                    "2025-11-02T10:00:00",
                    "2026-03-10T12:00:00",
                    "2026-03-10T12:00:00",
                    "2026-06-30T18:00:00",
                    "2026-07-02T09:00:00",
                ]
            ),
        ),
        st.tuples(st.just("credit"), st.integers(0, 2), st.integers(1, 20_000)),
        st.tuples(st.just("pay"), st.integers(0, 5)),
        st.tuples(st.just("partial"), st.integers(0, 5), st.integers(1, 99)),
        st.tuples(st.just("undo"), st.integers(0, 5), st.sampled_from(["refunded", "cancelled", "voided"])),
        st.tuples(st.just("redeem"), st.integers(0, 2), st.integers(1, 400)),
        st.tuples(st.just("start"), st.sampled_from(["2025-01-01", "2026-03-01"])),
    ),
    max_size=6,
)


def _replay(batches, monkeypatch, candidates):
    monkeypatch.setattr(loyalty_sql, "purchase_candidates", candidates)
    # A clock that does not move: the two replays compare their ledgers' stamps (a redeem is stamped "now"),
    # and a second that ticked between them failed the test now and then.
    store = Store.memory(clock=Clock.frozen(Clock.resolve().as_of))
    store.set_setting("currency", "EUR")
    ids = [add_customer(store, f"Customer {n}") for n in range(3)]
    orders: list[tuple[int, int]] = []
    results = []
    for op in (op for batch in batches for op in (*batch, ("sync",))):  # a sync (an import's upkeep) after each
        match op:
            case ("order", c, total, status, at):
                orders.append((add_order(store, ids[c], total, status=status, at=at), total))
            case ("credit", c, total):
                add_order(store, ids[c], -total, kind="credit", at="2026-04-01T10:00:00")
            case ("pay", i) if orders:
                update_order(store, orders[i % len(orders)][0], status="paid")
            case ("partial", i, pct) if orders:
                order_id, total = orders[i % len(orders)]
                update_order(store, order_id, status="partially_refunded", refunded=total * pct // 100)
            case ("undo", i, status) if orders:
                order_id, total = orders[i % len(orders)]
                update_order(store, order_id, status=status, refunded=total)
            case ("redeem", c, points):
                with contextlib.suppress(loyalty.NotEnoughPoints):
                    loyalty.redeem(store, ids[c], points)
            case ("start", day):
                rules = loyalty.load_rules(store)
                loyalty.save_rules(store, rules.model_copy(update={"start_day": dt.date.fromisoformat(day)}))
            case ("sync",):
                results.append(loyalty.sync_purchase_points(store, TIER_DAY))
    book = store.rows(
        "SELECT id, customer_id, delta, reason, reference, created_at, idempotency_key, note FROM loyalty_ledger"
    )
    store.close()
    return results, book


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(ledger_op_batches, min_size=1, max_size=4))
@example(batches=[[("order", 0, 10_000, "paid", "2026-03-10T12:00:00")], [("partial", 0, 30)], [("partial", 0, 60)]])
@example(batches=[[("order", 0, 10_000, "paid", "2026-03-10T12:00:00"), ("redeem", 0, 80)], [("undo", 0, "refunded")]])
@example(batches=[[("order", 1, 10_000, "pending", "2025-11-02T10:00:00")], [("pay", 0)], [("undo", 0, "voided")]])
@example(
    batches=[[("order", 2, 9_000, "paid", "2026-06-30T18:00:00"), ("credit", 2, 4_000)], [("undo", 0, "cancelled")]]
)
def test_points_synced_from_the_awards_are_the_ledger_the_every_order_path_wrote(batches, monkeypatch):
    with monkeypatch.context() as patch:
        expected = _replay(batches, patch, _old_candidates)
    with monkeypatch.context() as patch:
        got = _replay(batches, patch, loyalty_sql.purchase_candidates)
    assert got == expected
