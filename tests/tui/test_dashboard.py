from __future__ import annotations

from textual.widgets import Static

from tests.conftest import insert_row, new_order
from tests.conftest import until as wait_for


async def test_dashboard_shows_kpis_revenue_by_month_and_cohorts(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await wait_for(pilot, lambda: app.retention is not None)
        await pilot.pause()
        kpis = str(app.screen.query_one("#kpis", Static).render())
        assert "Customers" in kpis and "7 customers with a paid order; 6 bought in the last 12 months" in kpis
        assert "Repeat purchase rate" in kpis and "71%" in kpis  # 5 of 7 bought twice or more
        revenue = str(app.screen.query_one("#revenue", Static).render())
        assert "2026-11" in revenue
        assert "█" in revenue
        cohorts = str(app.screen.query_one("#cohorts", Static).render())
        assert "cohort" in cohorts and "%" in cohorts


async def test_dashboard_shows_call_results_beside_the_practice_figures(make_app, shop_db):
    from shopkeep.store import Store

    with Store.open(shop_db) as store, store.write():  # Smith, called on 11-20, orders again on 11-22
        at = "2026-11-22T10:00:00"
        new_order(
            store,
            2,
            source="generic",
            order_key="won",
            ordered_at=at,
            currency="PLN",
            total=9000,
            created_at=at,
            updated_at=at,
        )
        insert_row(
            store, "calls", customer_id=7, called_at="2026-11-21T10:00:00", outcome="no_answer", reason="delivery"
        )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        calls = app.screen.query_one("#calls", Static)
        await wait_for(pilot, lambda: "Calls made" in str(calls.render()))
        text = str(calls.render())
        assert "Calls made                2" in text
        assert "Reached                   1 (50%)" in text
        assert "Agreed to return          100%          about 60%" in text
        assert "Call → order              1 (50%)       about 15%" in text
        assert "Won-back order vs before  +48%          about +15%" in text  # 90.00 vs 60.83 PLN before
        assert "prices                  1 call, 1 won back" in text  # one call, in the singular
        assert "delivery cost           1 call, 0 won back" in text


async def test_dashboard_says_so_when_no_call_was_logged(make_app, shop_db):
    from shopkeep.store import Store

    with Store.open(shop_db) as store, store.write() as conn:
        conn.execute("DELETE FROM calls")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        calls = app.screen.query_one("#calls", Static)
        await wait_for(pilot, lambda: "No calls logged yet" in str(calls.render()))
        assert "Calls made" not in str(calls.render())
