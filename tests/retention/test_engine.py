from __future__ import annotations

import datetime as dt

import pytest

from shopkeep.retention import GROUPS, SEGMENTS, cached_compute, compute, compute_from_rows, explain_segment
from shopkeep.retention.risk import RISK_CEILING, RISK_FLOOR
from shopkeep.store import Store, analytics
from shopkeep.store.analytics import CustomerRow, OrderHistory

from .conftest import add_customer, add_history, add_order

AS_OF = dt.date(2026, 6, 30)


def days_before(*offsets: int) -> list[str]:
    return [(AS_OF - dt.timedelta(days=d)).isoformat() for d in offsets]


def day_numbers(*days: str) -> list[int]:
    return [dt.date.fromisoformat(day).toordinal() for day in days]


@pytest.fixture
def shop(mem):
    """Twenty ordinary customers and three that matter."""
    ids = {}
    for i in range(20):
        ids[f"filler{i}"] = add_history(mem, days_before(30 + 15 * i, 60 + 15 * i)[: 1 + i % 2], total=3000 + 100 * i)
    ids["champion"] = add_history(mem, days_before(3, 20, 41, 60, 80, 101, 120, 140), total=20_000)
    ids["at_risk"] = add_history(mem, days_before(300, 330, 360, 390, 420, 450), total=500)
    ids["one_timer"] = add_history(mem, days_before(10), total=2500)
    return ids


def test_a_champion_and_an_at_risk_customer(mem, shop):
    r = compute(mem, AS_OF)
    champ = r.customers[shop["champion"]]
    assert champ.segment == "Champions"
    assert (champ.r_score, champ.f_score, champ.m_score) == (5, 5, 5)
    assert champ.orders == 8 and champ.revenue == 160_000 and champ.aov == 20_000
    assert champ.recency_days == 3 and champ.first_order == AS_OF - dt.timedelta(days=140)
    assert champ.usual_gap_days == 20
    assert champ.expected_next_order == AS_OF + dt.timedelta(days=17)
    assert champ.churn_risk < 0.2
    assert champ.risk_reason == "usually orders every 20 days; 3 days since the last order"
    assert {"repeat buyers", "big spenders", "VIP", "full-price buyers"} <= set(champ.groups)

    gone = r.customers[shop["at_risk"]]
    assert gone.segment == "At Risk"
    assert gone.r_score <= 2 and gone.f_score >= 3
    assert "slipping regulars" in gone.groups
    assert gone.churn_risk > 0.8 > champ.churn_risk
    assert "usually orders every 30 days; 300 days since the last order" in gone.risk_reason
    assert explain_segment(gone).startswith(f"At Risk: R={gone.r_score} (last order 300 days ago), F={gone.f_score}")


def test_a_one_time_buyer_is_never_certain_and_waits_on_the_shops_rhythm(mem, shop):
    r = compute(mem, AS_OF)
    one = r.customers[shop["one_timer"]]
    assert one.orders == 1 and one.f_score == 1 and one.segment == "New Customers"
    assert "first-time buyers" in one.groups and "repeat buyers" not in one.groups
    assert one.usual_gap_days is None
    assert RISK_FLOOR <= one.churn_risk <= RISK_CEILING
    # 23 customers: too few to replay; the reason gives the facts and no figure the shop cannot back
    assert not r.risk_quality.can_tell
    assert one.risk_reason == "one order, 10 days ago"
    # the shop's repeat customers came back after 15 (fillers), 20 (champion) or 30 days (at risk)
    assert one.expected_next_order == AS_OF + dt.timedelta(days=-10 + r.kpis.time_to_second_order_days)
    # a one-timer who has waited far longer than anybody ever did is at higher risk than a fresh one
    old = min((m for m in r.customers.values() if m.orders == 1), key=lambda m: -m.recency_days)
    assert old.churn_risk > one.churn_risk


def test_orders_after_the_as_of_day_are_ignored(mem):
    cid = add_history(mem, ["2026-01-10", "2026-02-10"])
    add_order(mem, cid, "2026-07-01", 9999)
    r = compute(mem, AS_OF)
    m = r.customers[cid]
    assert m.orders == 2 and m.last_order == dt.date(2026, 2, 10) and m.revenue == 10_000
    before = compute(mem, dt.date(2026, 1, 31))
    assert before.customers[cid].orders == 1
    assert compute(mem, dt.date(2026, 1, 9)).customers == {}


def test_refunds_and_credit_notes_reduce_revenue_and_cancelled_orders_do_not_count(mem):
    cid = add_customer(mem)
    add_order(mem, cid, "2026-05-01", 10_000, status="partially_refunded", refunded=2_500)
    add_order(mem, cid, "2026-05-10", 6_000)
    add_order(mem, cid, "2026-05-12", -1_000, kind="credit")
    add_order(mem, cid, "2026-05-20", 7_000, status="cancelled")
    add_order(mem, cid, "2026-05-21", 8_000, status="refunded")
    m = compute(mem, AS_OF).customers[cid]
    assert m.orders == 2
    assert m.revenue == 7_500 + 6_000 - 1_000
    assert m.last_order == dt.date(2026, 5, 10)


def test_a_customer_without_a_sale_is_in_no_figure_and_every_count_says_so(mem):
    buyer = add_history(mem, ["2026-06-01"], total=4_000)
    refunded = add_customer(mem)
    add_order(mem, refunded, "2026-06-01", 5_000, status="refunded", refunded=5_000)
    pending = add_customer(mem)
    add_order(mem, pending, "2026-06-03", 5_000, status="pending")
    add_customer(mem)  # imported from a customers list: no order at all
    r = compute(mem, AS_OF)
    assert list(r.customers) == [buyer]
    assert sum(s.customers for s in r.segments) == r.kpis.customers == len(r.customers) == 1
    assert r.without_sale == 3
    assert r.population() == "1 customer with a paid order (3 more without one)"


def test_a_payee_with_nothing_in_the_shop_currency_scores_lowest_on_money(mem):
    mem.set_setting("currency", "EUR")
    euro = add_history(mem, ["2026-04-01", "2026-05-01"], total=40_000)
    dollars = [add_customer(mem) for _ in range(20)]
    for cid in dollars:  # their orders count, their money is in another currency: 0.00 EUR
        add_order(mem, cid, "2026-05-01", 9_000, currency="USD")
        add_order(mem, cid, "2026-06-01", 9_000, currency="USD")
    refunded = add_customer(mem)
    add_order(mem, refunded, "2026-05-20", 5_000, status="partially_refunded", refunded=5_000)
    r = compute(mem, AS_OF)
    for cid in (*dollars, refunded):
        assert (r.customers[cid].revenue, r.customers[cid].m_score) == (0, 1)
        assert r.customers[cid].segment != "Champions"
    assert r.customers[euro].m_score == 5
    assert abs(sum(s.share for s in r.segments) - 1) < 1e-9


def test_guest_orders_count_in_shop_revenue_but_make_no_customer(mem):
    cid = add_history(mem, ["2026-06-01"], total=4_000)
    add_order(mem, None, "2026-06-02", 1_500)
    r = compute(mem, AS_OF)
    assert list(r.customers) == [cid]
    assert r.kpis.revenue == 5_500
    assert r.kpis.customers == 1
    assert r.kpis.months[-1].guests == 1_500 and r.kpis.months[-1].new == 4_000


def test_other_currencies_count_as_orders_but_not_as_money(mem):
    cid = add_history(mem, ["2026-06-01", "2026-06-05"], total=4_000)
    add_order(mem, cid, "2026-06-10", 100_000, currency="USD")
    r = compute(mem, AS_OF)
    m = r.customers[cid]
    assert r.currency == "EUR" and m.orders == 3 and m.revenue == 8_000 and m.last_order == dt.date(2026, 6, 10)
    assert r.kpis.other_currency_orders == 1


def test_the_shop_currency_is_the_most_common_one(mem):
    cid = add_customer(mem)
    for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
        add_order(mem, cid, day, 1_000, currency="PLN")
    for day in ("2026-04-01", "2026-05-01", "2026-06-01", "2026-06-02"):
        add_order(mem, cid, day, 50, currency="EUR")
    for i in range(4):
        add_order(mem, None, f"2026-06-1{i}", 1_000, currency="PLN")
    r = compute(mem, AS_OF)
    assert r.currency == "PLN" and r.customers[cid].revenue == 3_000


def test_ties_get_the_same_scores(mem):
    a = add_history(mem, ["2026-06-01", "2026-06-15"], total=5_000)
    b = add_history(mem, ["2026-06-01", "2026-06-15"], total=5_000)
    c = add_history(mem, ["2025-06-01"], total=100)
    r = compute(mem, AS_OF)
    ma, mb = r.customers[a], r.customers[b]
    assert (ma.r_score, ma.f_score, ma.m_score, ma.segment) == (mb.r_score, mb.f_score, mb.m_score, mb.segment)
    assert r.customers[c].r_score < ma.r_score and r.customers[c].f_score == 1


def test_a_single_customer_shop_and_an_empty_shop(mem):
    empty = compute(mem, AS_OF)
    assert empty.customers == {} and empty.kpis.customers == 0 and empty.kpis.revenue == 0
    assert [s.customers for s in empty.segments] == [0] * len(SEGMENTS)
    assert empty.kpis.time_to_second_order_days is None
    cid = add_history(mem, ["2026-06-20"], total=1_000)
    r = compute(mem, AS_OF)
    m = r.customers[cid]
    assert m.segment in SEGMENTS and m.orders == 1
    assert RISK_FLOOR <= m.churn_risk <= RISK_CEILING
    assert m.expected_next_order is not None  # the shop has no rhythm yet: a cautious default
    assert sum(s.customers for s in r.segments) == 1


def test_a_scheduled_call_back_wins_for_the_next_order_but_a_call_does_not_reset_the_rhythm(mem, shop):
    cid = shop["at_risk"]
    before = compute(mem, AS_OF).customers[cid]
    with mem.write() as conn:
        conn.execute(
            "INSERT INTO calls (customer_id, called_at, outcome, callback_on) VALUES (?, ?, 'call_later', ?)",
            (cid, "2026-06-29T10:00:00", "2026-07-06"),
        )
    after = compute(mem, AS_OF).customers[cid]
    assert after.expected_next_order == dt.date(2026, 7, 6)
    assert (after.churn_risk, after.recency_days) == (before.churn_risk, before.recency_days)
    # once the call-back day has passed, the model is back in charge
    assert compute(mem, dt.date(2026, 7, 7)).customers[cid].expected_next_order == before.expected_next_order


def test_groups_discounts_and_advocates(mem, shop):
    bargain = add_customer(mem)
    add_order(mem, bargain, "2026-06-01", 3_000, discount=500)
    add_order(mem, bargain, "2026-06-08", 3_000, discount_code="SUMMER")
    with mem.write() as conn:
        for friend in (shop["filler1"], shop["filler2"], shop["filler3"]):
            conn.execute(
                "INSERT INTO referrals (referrer_id, referred_id, source, created_at) VALUES (?, ?, 'manual', ?)",
                (bargain, friend, "2026-06-10T00:00:00"),
            )
    r = compute(mem, AS_OF)
    groups = r.customers[bargain].groups
    assert "discount buyers" in groups and "full-price buyers" not in groups
    assert "brand advocates" in groups
    assert "brand advocates" not in r.customers[shop["champion"]].groups
    assert set(groups) <= set(GROUPS)


def test_ltv_and_predicted_value(mem, shop):
    r = compute(mem, AS_OF)
    champ, gone = r.customers[shop["champion"]], r.customers[shop["at_risk"]]
    assert champ.ltv == champ.revenue
    assert champ.ltv_predicted > 5 * champ.aov  # about 18 orders a year while alive
    assert gone.ltv_predicted < champ.ltv_predicted / 10


def test_shop_kpis(mem):
    a = add_history(mem, ["2026-01-05", "2026-01-25", "2026-02-14"], total=6_000)
    add_history(mem, ["2026-01-20"], total=3_000)
    add_history(mem, ["2025-03-01"], total=1_000)  # not active in the last 12 months
    r = compute(mem, AS_OF)
    k = r.kpis
    assert (k.customers, k.customers_active) == (3, 2)
    assert k.repeat_purchase_rate == pytest.approx(1 / 3)
    assert k.revenue == 18_000 + 3_000 + 1_000
    assert k.returning_revenue_share == pytest.approx(12_000 / 22_000)
    assert (k.aov_new, k.aov_returning) == (round(10_000 / 3), 6_000)
    assert k.time_to_second_order_days == 20
    assert k.ltv_median == 3_000 and k.ltv_mean == round(22_000 / 3)
    jan = next(c for c in k.cohorts if c.month == "2026-01")
    assert jan.customers == 2 and jan.retention[:3] == (1.0, 0.5, 0.0)
    feb = next(m for m in k.months if m.month == "2026-02")
    assert (feb.new, feb.returning) == (0, 6_000)
    assert r.customers[a].segment in SEGMENTS


def test_forgotten_customers_keep_their_figures_without_personal_data(mem):
    cid = add_history(mem, ["2026-06-01"], name="Jan Kowalski", email="jan@example.com", forgotten=True)
    m = compute(mem, AS_OF).customers[cid]
    assert (m.name, m.email, m.phone, m.external_id) == (None, None, None, None)
    assert m.orders == 1


def test_cached_compute_reuses_the_result_until_the_data_changes(mem, shop):
    first = cached_compute(mem, AS_OF)
    assert cached_compute(mem, AS_OF) is first
    assert cached_compute(mem, AS_OF + dt.timedelta(days=1)) is not first
    again = cached_compute(mem, AS_OF)
    add_order(mem, shop["one_timer"], "2026-06-29", 1_000)
    fresh = cached_compute(mem, AS_OF)
    assert fresh is not again and fresh.customers[shop["one_timer"]].orders == 2
    with mem.write() as conn:  # a re-import changing an order's status
        conn.execute("UPDATE orders SET status = 'refunded', updated_at = '2026-06-30T09:00:00' WHERE total = 1000")
    assert cached_compute(mem, AS_OF).customers[shop["one_timer"]].orders == 1


def test_the_core_runs_on_plain_rows_without_a_database():
    customers = {7: CustomerRow(7, "007", "Ann", None, None, 0)}
    rows = [
        OrderHistory(7, 3, 1, -500, 9_000, 3, ("2026-05-01", 3_000), ["2026-05-01", "2026-05-21", "2026-06-10"]),
        OrderHistory(None, 1, 0, 0, 2_000, 1, ("2026-06-01", 2_000), ["2026-06-01"]),
    ]
    r = compute_from_rows(customers, rows, AS_OF, "EUR", months={"2026-05": (6_000, 0), "2026-06": (3_000, 2_000)})
    m = r.customers[7]
    assert (m.orders, m.revenue, m.aov, m.usual_gap_days, m.recency_days) == (3, 8_500, 3_000, 20, 20)
    assert m.expected_next_order == dt.date(2026, 6, 30)
    assert r.kpis.revenue == 9_000 + 2_000 - 500
    assert [(x.month, x.new, x.returning, x.guests) for x in r.kpis.months] == [
        ("2026-05", 3_000, 3_000, 0),
        ("2026-06", 0, 3_000, 2_000),
    ]


def test_cached_compute_sees_commits_from_another_connection(store, db_path):
    cid = add_history(store, ["2026-06-01"])
    first = cached_compute(store, AS_OF)
    assert cached_compute(store, AS_OF) is first
    with Store.open(db_path) as other:
        add_order(other, cid, "2026-06-15", 1_000)
    assert cached_compute(store, AS_OF).customers[cid].orders == 2


def test_a_yearly_buyer_is_expected_back_when_the_year_comes_round(mem, shop):
    on_time = add_history(mem, ["2022-12-10", "2023-12-12", "2024-12-09", "2025-12-11"])
    overdue = add_history(mem, ["2021-12-10", "2022-12-12", "2023-12-09", "2024-12-11"])
    r = compute(mem, AS_OF)
    yearly, late = r.customers[on_time], r.customers[overdue]
    assert yearly.usual_gap_days == 367 and yearly.expected_next_order == dt.date(2026, 12, 13)
    assert "slipping regulars" not in yearly.groups
    assert yearly.churn_risk < late.churn_risk
    assert yearly.risk_reason == "usually orders every 367 days; 201 days since the last order"
    assert list(yearly.groups) == [g for g in GROUPS if g in yearly.groups]  # always in GROUPS order


def test_a_wrong_first_guess_at_the_currency_is_corrected(mem, monkeypatch):
    monkeypatch.setattr(analytics, "CURRENCY_SAMPLE", 2)  # the latest two orders are in USD
    cid = add_history(mem, ["2026-01-01", "2026-02-01", "2026-03-01"], total=1_000)
    add_order(mem, cid, "2026-04-01", 90_000, currency="USD")
    add_order(mem, None, "2026-04-02", 90_000, currency="USD")
    r = compute(mem, AS_OF)
    assert r.currency == "EUR" and r.customers[cid].revenue == 3_000 and r.kpis.other_currency_orders == 2


def test_monthly_revenue_counts_kept_orders_in_the_shop_currency_only(mem):
    cid = add_history(mem, ["2026-03-02", "2026-03-20", "2026-04-01"], total=2_000)
    add_order(mem, cid, "2026-03-05", 9_000, currency="USD")
    add_order(mem, cid, "2026-03-06", 4_000, status="partially_refunded", refunded=1_500)
    add_order(mem, cid, "2026-03-07", 7_000, status="refunded", refunded=7_000)
    add_order(mem, cid, "2026-03-08", 7_000, status="cancelled")
    add_order(mem, None, "2026-03-09", 800)
    add_order(mem, None, "2026-04-09", 900, currency="USD")
    months = {m.month: (m.new, m.returning, m.guests) for m in compute(mem, AS_OF).kpis.months}
    assert months == {"2026-03": (2_000, 2_000 + 2_500, 800), "2026-04": (0, 2_000, 0)}


def test_one_pass_reads_every_kind_of_order_of_a_customer(mem):
    """Orders of all kinds on one customer, as the retention figures read them."""
    cid = add_customer(mem)
    add_order(mem, cid, "2026-02-01", 3_000, currency="USD", discount=200)  # an order, no money
    add_order(mem, cid, "2026-02-01", 4_000)  # the first purchase in the currency
    add_order(mem, cid, "2026-02-03", 6_000, status="refunded", refunded=6_000)  # not an order, no day
    add_order(mem, cid, "2026-03-04", 5_000, status="partially_refunded", refunded=1_000, discount_code="X")
    add_order(mem, cid, "2026-03-05", -700, kind="credit")
    add_order(mem, cid, "2026-03-06", 9_000, status="voided")
    add_order(mem, None, "2026-03-04", 1_200)
    columns, months = analytics.order_columns(mem, AS_OF, "EUR")
    assert columns.customer_ids == [None, cid]  # guests first
    money = (columns.orders, columns.discounted, columns.credits, columns.revenue, columns.kept_orders)
    assert [c.tolist() for c in money] == [[1, 3], [0, 2], [0, -700], [1_200, 8_000], [1, 2]]
    assert columns.first_purchases == [("2026-03-04", 1_200), ("2026-02-01", 4_000)]
    assert columns.counts.tolist() == [1, 2]
    assert columns.days.tolist() == [dt.date(2026, 3, 4).toordinal(), *day_numbers("2026-02-01", "2026-03-04")]
    assert months == {"2026-02": (4_000, 0), "2026-03": (4_000, 1_200)}
    kpis = compute(mem, AS_OF).kpis
    assert (kpis.aov_new, kpis.aov_returning, kpis.revenue) == (4_000, 4_000, 8_000 - 700 + 1_200)


def test_order_days_across_month_and_year_ends_are_read_exactly(mem):
    days = ["1999-12-31", "2000-01-01", "2024-02-29", "2024-03-01", "2026-06-30"]
    cid = add_history(mem, list(reversed(days)))
    add_order(mem, cid, "2024-02-29", status="refunded")  # a refunded order adds no order day
    columns, _ = analytics.order_columns(mem, AS_OF, "EUR")
    assert columns.counts.tolist() == [5] and columns.days.tolist() == day_numbers(*days)
    m = compute(mem, AS_OF).customers[cid]
    assert (m.first_order, m.last_order, m.orders) == (dt.date(1999, 12, 31), AS_OF, 5)


def test_an_order_date_that_is_not_iso_is_refused_not_misread(mem):
    cid = add_history(mem, ["2026-06-01"])
    with mem.write() as conn:
        conn.execute("UPDATE orders SET ordered_at = '2025/06/01T12:00:00' WHERE customer_id = ?", (cid,))
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        analytics.order_columns(mem, AS_OF, "EUR")


def test_customers_with_far_apart_ids_are_read_in_id_order_with_guests_first(mem):
    small = add_history(mem, ["2026-05-01", "2026-06-01"])
    big = add_customer(mem, id=10**12)
    add_order(mem, big, "2026-06-10", 3_000)
    add_order(mem, None, "2026-06-11", 700)
    columns, _ = analytics.order_columns(mem, AS_OF, "EUR")
    assert columns.customer_ids == [None, small, big]
    assert columns.revenue.tolist()[2] == 3_000 and columns.counts.tolist() == [1, 2, 1]
    r = compute(mem, AS_OF)
    assert list(r.customers) == [small, big] and r.customers[big].last_order == dt.date(2026, 6, 10)


def test_the_customers_read_like_a_dict_and_each_is_built_once(mem, shop):
    r = compute(mem, AS_OF)
    customers = r.customers
    assert len(customers) == len(list(customers)) and shop["champion"] in customers and -1 not in customers
    assert customers.get(-1) is None
    with pytest.raises(KeyError):
        customers[-1]
    champ = customers[shop["champion"]]
    assert customers[shop["champion"]] is champ
    assert dict(customers.items())[shop["champion"]] is champ
    assert [m.id for m in customers.values()] == list(customers)
    assert customers == {m.id: m for m in customers.values()}


def test_a_person_row_is_read_by_the_positions_of_customer_row():
    from shopkeep import retention

    assert CustomerRow._fields[retention._NAME] == "name" and CustomerRow._fields[retention._FORGOTTEN] == "forgotten"
