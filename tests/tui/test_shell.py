from __future__ import annotations

from textual.widgets import HelpPanel

from tests.conftest import until
from tests.tui.conftest import AS_OF

SCREEN_TITLES = {"1": "Today", "2": "Customers", "3": "Segments", "4": "Loyalty", "5": "Referrals", "6": "Dashboard"}


async def test_number_keys_switch_screens_and_each_shows_its_title(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.title == "Today"
        for key, title in [*SCREEN_TITLES.items(), ("1", "Today")]:
            await pilot.press("escape", key)  # leave any search input first
            await pilot.pause()
            assert app.screen.title == title


async def test_header_shows_shop_name_date_and_database_literally(make_app, shop_db):
    app = make_app()
    async with app.run_test(size=(120, 40)):
        assert app.screen.title == "Today"
        assert app.sub_title.startswith("Herbs [b]&[/b] Co · as of ")
        assert AS_OF.isoformat() in app.sub_title
        assert str(shop_db) in app.sub_title


async def test_question_mark_toggles_the_keys_panel(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def test_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_shop_settings_from_the_palette_change_the_title_and_are_stored(make_app, shop_db):
    from textual.widgets import Input, Static

    from shopkeep.store import Store
    from shopkeep.tui.screens.settings import ShopSettingsModal

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.title == "Herbs [b]&[/b] Co"
        await pilot.press("ctrl+p")
        await pilot.press(*"shop settings")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ShopSettingsModal))
        form = app.screen
        form.query_one("#setting-currency", Input).value = "zzz"
        await pilot.press("enter")
        assert isinstance(app.screen, ShopSettingsModal)  # refused, the form stays with the reason
        assert "not an ISO 4217 currency" in str(form.query_one("#settings-error", Static).render())
        form.query_one("#setting-currency", Input).value = "gbp"
        form.query_one("#setting-shop_name", Input).value = "Tea Corner"
        form.query_one("#setting-caller_name", Input).value = "Ola"
        await pilot.press("enter")
        await until(pilot, lambda: app.title == "Tea Corner")
        assert app.sub_title.startswith("Tea Corner · as of ")
    with Store.open(shop_db, create=False) as store:
        assert (store.get_setting("shop_name"), store.get_setting("currency")) == ("Tea Corner", "GBP")
        assert store.get_setting("caller_name") == "Ola"
