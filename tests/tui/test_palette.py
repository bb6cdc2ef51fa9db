from __future__ import annotations

from textual.command import CommandList, CommandPalette

from shopkeep.tui.commands import ShopkeepCommands
from shopkeep.tui.screens.card import CustomerCardScreen
from tests.conftest import until as wait_for


async def titles(app) -> list[str]:
    provider = ShopkeepCommands(app.screen)
    return [str(hit.display) async for hit in provider.discover()]


async def test_palette_lists_every_screen_and_the_keys_of_the_screen_below(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        found = await titles(app)
        for name in ("Today", "Customers", "Segments", "Loyalty", "Referrals", "Dashboard"):
            assert f"Go to {name}" in found
        assert "Search customers" in found
        app.open_customer(6)
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCardScreen) and app.screen.card is not None)
        found = await titles(app)
        assert "Maria Nowak: Add note" in found
        assert "Maria Nowak: Log call" in found


async def test_ctrl_p_then_typing_runs_a_command(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"go to dashb")

        def found() -> list[str]:
            hits = app.screen.query_one(CommandList)
            return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]

        await wait_for(pilot, lambda: any("Dashboard" in hit for hit in found()), "the palette's hits")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.title == "Dashboard")
