"""A customer who paid only in another currency is never shown as a silent 0.00 on the card."""

from __future__ import annotations

from textual.widgets import Static

from shopkeep.store import Store
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import new_customer, new_order, until


async def test_the_card_shows_money_in_other_currencies_beside_the_shops(make_app, shop_db):
    with Store.open(shop_db) as store, store.write():
        new_customer(store, id=20, name="Tourist", created_at="2026-01-01", updated_at="2026-01-01")
        for n, day in enumerate(("2026-09-01", "2026-10-01")):
            new_order(
                store,
                20,
                source="generic",
                order_key=f"usd{n}",
                ordered_at=f"{day}T10:00:00",
                currency="USD",
                total=15000,
                created_at=day,
                updated_at=day,
            )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_customer(20)

        def numbers_shown() -> str:
            if isinstance(app.screen, CustomerCardScreen) and app.screen.query("#numbers"):
                return str(app.screen.query_one("#numbers", Static).render())
            return ""

        await until(pilot, lambda: "other currencies" in numbers_shown(), "the card's money in other currencies")
        numbers = numbers_shown()
        assert "In other currencies" in numbers and "$300.00 (2 orders) (not in the shop's figures)" in numbers
