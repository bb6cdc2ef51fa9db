"""A customer who paid only in another currency is never shown as a silent 0.00 on the card."""

from __future__ import annotations

from textual.widgets import Static

from shopkeep.store import Store
from shopkeep.tui.screens.card import CustomerCardScreen


async def test_the_card_shows_money_in_other_currencies_beside_the_shops(make_app, shop_db):
    with Store.open(shop_db) as store, store.write() as conn:
        conn.execute(
            "INSERT INTO customers (id, name, created_at, updated_at)"
            " VALUES (20, 'Tourist', '2026-01-01', '2026-01-01')"
        )
        for n, day in enumerate(("2026-09-01", "2026-10-01")):
            conn.execute(
                "INSERT INTO orders (source, order_key, customer_id, ordered_at, currency, total, content_hash,"
                " created_at, updated_at) VALUES ('generic', ?, 20, ?, 'USD', 15000, 'h', ?, ?)",
                (f"usd{n}", f"{day}T10:00:00", day, day),
            )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(20)
        numbers = ""
        for _ in range(300):
            if isinstance(app.screen, CustomerCardScreen) and app.screen.query("#numbers"):
                numbers = str(app.screen.query_one("#numbers", Static).render())
                if "other currencies" in numbers:
                    break
            await pilot.pause(0.02)
        assert "In other currencies" in numbers and "$300.00 (2 orders) (not in the shop's figures)" in numbers
